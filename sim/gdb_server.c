/*
 * gdb_server.c — see gdb_server.h.
 *
 * One listening socket and at most one connection.  Sends never raise
 * SIGPIPE (MSG_NOSIGNAL): a debugger that went away shows up as a failed
 * read, which is a detach.  Nothing is global, so every simulation in a
 * process can have a server of its own.
 */
#include "gdb_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "debug.h"

#define PENDING_MAX 4096

struct gdb_server {
    struct sim *sim;
    struct gdb_server_options opt;
    struct gdbstub *stub;
    int listen_fd, conn_fd;
    char host[256];
    int port;
    bool waited;               /* the wait for the first debugger is over */
    /* Bytes that arrived while the firmware ran (acknowledgements): the
     * stub reads them at the next stop. */
    uint8_t pending[PENDING_MAX];
    size_t n_pending;
};

__attribute__((format(printf, 2, 3))) static void say(const struct gdb_server *srv, const char *fmt, ...)
{
    if (!srv->opt.log)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(srv->opt.log, "mcusim: gdb: ");
    vfprintf(srv->opt.log, fmt, ap);
    fputc('\n', srv->opt.log);
    fflush(srv->opt.log);
    va_end(ap);
}

/* ---- the address ---- */

int gdb_parse_address(const char *text, char *host, size_t hostlen, int *port, char *err, size_t errlen)
{
    const char *port_text = text;
    snprintf(host, hostlen, "127.0.0.1");
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (!close || close[1] != ':' || (size_t)(close - text - 1) >= hostlen || close == text + 1) {
            snprintf(err, errlen, "gdb address '%s': an IPv6 host is written [HOST]:PORT", text);
            return -1;
        }
        snprintf(host, hostlen, "%.*s", (int)(close - text - 1), text + 1);
        port_text = close + 2;
    } else {
        const char *colon = strrchr(text, ':');
        if (colon) {
            if (colon == text || strchr(text, ':') != colon || (size_t)(colon - text) >= hostlen) {
                snprintf(err, errlen, "gdb address '%s' is not [HOST:]PORT", text);
                return -1;
            }
            snprintf(host, hostlen, "%.*s", (int)(colon - text), text);
            port_text = colon + 1;
        }
    }
    char *end;
    errno = 0;
    long p = strtol(port_text, &end, 10);
    if (!*port_text || *end || errno || p < 0 || p > 65535) {
        snprintf(err, errlen, "gdb address '%s': the port must be a number from 0 to 65535 (0: any free port)",
                 text);
        return -1;
    }
    *port = (int)p;
    return 0;
}

static bool is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        if (IN6_IS_ADDR_LOOPBACK(a))
            return true;
        return IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127;
    }
    return false;
}

static int listen_on(struct gdb_server *srv, char *err, size_t errlen)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    char service[16];
    snprintf(service, sizeof service, "%d", srv->port);
    int rc = getaddrinfo(srv->host, service, &hints, &res);
    if (rc) {
        snprintf(err, errlen, "gdb address '%s': %s", srv->host, gai_strerror(rc));
        return -1;
    }
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        if (!is_loopback(ai->ai_addr) && !srv->opt.allow_remote) {
            snprintf(err, errlen,
                     "gdb address '%s' is not a loopback address: the GDB server has no authentication and a "
                     "debugger can read and write all of the firmware's memory (--gdb-allow-remote accepts it)",
                     srv->host);
            freeaddrinfo(res);
            return -1;
        }
    }
    int last_errno = 0;
    for (struct addrinfo *ai = res; ai && srv->listen_fd < 0; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
        if (fd < 0) {
            last_errno = errno;
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 1)) {
            last_errno = errno;
            close(fd);
            continue;
        }
        srv->listen_fd = fd;
    }
    freeaddrinfo(res);
    if (srv->listen_fd < 0) {
        snprintf(err, errlen, "gdb server: cannot listen on %s:%d: %s", srv->host, srv->port,
                 strerror(last_errno ? last_errno : EADDRNOTAVAIL));
        return -1;
    }
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(srv->listen_fd, (struct sockaddr *)&ss, &len) == 0)
        srv->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                   : ((struct sockaddr_in *)&ss)->sin_port);
    return 0;
}

/* ---- the connection ---- */

static void send_bytes(void *ctx, const void *bytes, size_t n)
{
    struct gdb_server *srv = ctx;
    const char *p = bytes;
    while (n && srv->conn_fd >= 0) {
        ssize_t k = send(srv->conn_fd, p, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return; /* the next read sees the connection gone */
        p += k;
        n -= (size_t)k;
    }
}

static bool accept_debugger(struct gdb_server *srv, bool block)
{
    if (block) {
        struct pollfd pfd = {.fd = srv->listen_fd, .events = POLLIN};
        while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
            ;
    }
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int fd = accept4(srv->listen_fd, (struct sockaddr *)&ss, &len, SOCK_CLOEXEC);
    if (fd < 0)
        return false;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    srv->conn_fd = fd;
    srv->n_pending = 0;
    gdbstub_connected(srv->stub);
    say(srv, "debugger connected on %s:%d", srv->host, srv->port);
    return true;
}

static void hang_up(struct gdb_server *srv, const char *why)
{
    if (srv->conn_fd < 0)
        return;
    close(srv->conn_fd);
    srv->conn_fd = -1;
    srv->n_pending = 0;
    say(srv, "%s; the run goes on (another debugger may attach to %s:%d)", why, srv->host, srv->port);
}

/* ---- the simulator's debugger callbacks ---- */

static bool on_poll(void *ctx, struct sim *s, enum sim_stop_kind *kind)
{
    struct gdb_server *srv = ctx;
    (void)s;
    if (srv->conn_fd < 0) {
        if (!accept_debugger(srv, false))
            return false;
        *kind = STOP_START;
        return true;
    }
    uint8_t buf[512];
    ssize_t n = recv(srv->conn_fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        sim_debug_clear_points(s);
        hang_up(srv, "debugger disconnected");
        return false;
    }
    bool interrupt = false;
    for (ssize_t i = 0; i < n; i++) {
        if (buf[i] == 0x03)
            interrupt = true;
        else if (srv->n_pending < PENDING_MAX)
            srv->pending[srv->n_pending++] = buf[i];
    }
    *kind = STOP_INTERRUPT;
    return interrupt;
}

static enum sim_resume on_stopped(void *ctx, struct sim *s, const struct sim_stop *stop)
{
    struct gdb_server *srv = ctx;
    if (srv->conn_fd < 0 && stop->kind == STOP_START && srv->opt.wait && !srv->waited) {
        say(srv, "waiting for a debugger on %s:%d", srv->host, srv->port);
        accept_debugger(srv, true);
    }
    srv->waited = true;
    if (srv->conn_fd < 0)
        return RESUME_DETACH; /* nobody to stop for */
    gdbstub_stopped(srv->stub, stop);
    if (stop->kind == STOP_EXITED)
        return RESUME_CONTINUE;
    for (;;) {
        if (srv->n_pending) {
            size_t used;
            enum gdbstub_request r = gdbstub_receive(srv->stub, srv->pending, srv->n_pending, &used);
            memmove(srv->pending, srv->pending + used, srv->n_pending - used);
            srv->n_pending -= used;
            switch (r) {
            case GDBSTUB_NONE: break;
            case GDBSTUB_CONTINUE: return RESUME_CONTINUE;
            case GDBSTUB_STEP: return RESUME_STEP;
            case GDBSTUB_KILL:
                say(srv, "the debugger ended the run");
                return RESUME_KILL;
            case GDBSTUB_DETACH:
                sim_debug_clear_points(s);
                hang_up(srv, "debugger detached");
                return RESUME_DETACH;
            }
            continue;
        }
        struct pollfd pfd = {.fd = srv->conn_fd, .events = POLLIN};
        if (poll(&pfd, 1, -1) < 0 && errno == EINTR)
            continue;
        ssize_t n = recv(srv->conn_fd, srv->pending, sizeof srv->pending, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            sim_debug_clear_points(s);
            hang_up(srv, "debugger disconnected");
            return RESUME_DETACH;
        }
        srv->n_pending = (size_t)n;
    }
}

static bool on_present(void *ctx)
{
    const struct gdb_server *srv = ctx;
    return srv->conn_fd >= 0;
}

/* ---- life cycle ---- */

struct gdb_server *gdb_server_open(struct sim *s, const struct gdb_server_options *opt, char *err, size_t errlen)
{
    struct gdb_server *srv = calloc(1, sizeof *srv);
    if (!srv) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    srv->sim = s;
    srv->opt = *opt;
    srv->listen_fd = srv->conn_fd = -1;
    if (gdb_parse_address(opt->address, srv->host, sizeof srv->host, &srv->port, err, errlen) ||
        listen_on(srv, err, errlen)) {
        gdb_server_close(srv);
        return NULL;
    }
    struct gdbstub_io io = {.ctx = srv, .send = send_bytes};
    srv->stub = gdbstub_create(s, &io);
    if (!srv->stub) {
        snprintf(err, errlen, "out of memory");
        gdb_server_close(srv);
        return NULL;
    }
    for (int i = 0; i < opt->n_monitors; i++)
        gdbstub_add_monitor(srv->stub, &opt->monitors[i]);
    struct sim_debugger dbg = {.ctx = srv, .stopped = on_stopped, .poll = on_poll, .present = on_present};
    if (sim_debug_attach(s, &dbg, opt->wait, err, errlen)) {
        gdb_server_close(srv);
        return NULL;
    }
    say(srv, "listening on %s:%d", srv->host, srv->port);
    return srv;
}

int gdb_server_port(const struct gdb_server *srv)
{
    return srv->port;
}

void gdb_server_close(struct gdb_server *srv)
{
    if (!srv)
        return;
    if (srv->conn_fd >= 0)
        close(srv->conn_fd);
    if (srv->listen_fd >= 0)
        close(srv->listen_fd);
    gdbstub_destroy(srv->stub);
    free(srv);
}
