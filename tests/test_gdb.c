/*
 * test_gdb.c — the GDB server, end to end: Debian's gdb-multiarch in
 * batch mode debugs firmware on mcusim (README, "Debugging").
 *
 *   - a session on the Cortex-M4 and the Cortex-M0+ boards: break at a
 *     function, next and step, print a local, an argument and a global
 *     through DWARF, a watchpoint that hits with the values before and
 *     after, 'monitor cycles', and the firmware's exit status at the end;
 *   - a profiled inference debugged (breakpoint in a kernel, 'monitor
 *     layer', stepping, a watchpoint) stores exactly the rows the same
 *     inference stores without a debugger: run, layers and functions;
 *   - a debugger that attaches to a running firmware and quits, and a
 *     client that sends malformed, oversized and out-of-order packets and
 *     then hangs up: errors answered, the run goes on to the same end;
 *   - addresses that are refused, and two simulations with a server each
 *     in one process.
 * Ports are chosen by the system (--gdb 0) and read from mcusim's
 * "listening on" line, so tests never collide.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gdb_server.h"
#include "robust_util.h"
#include "simtest.h"

#define GDB_TIMEOUT_S 120

static void require_gdb(void)
{
    cr_assert_eq(system("command -v gdb-multiarch >/dev/null 2>&1"), 0,
                 "gdb-multiarch is not installed (quickstart.sh installs it)");
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return strdup("");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = '\0';
    fclose(f);
    return s;
}

/* The port in mcusim's "gdb: listening on HOST:PORT" line. */
static int wait_for_port(const char *dir, pid_t pid)
{
    char path[512];
    snprintf(path, sizeof path, "%s/stderr", dir);
    for (int i = 0; i < 1000; i++) {
        char *err = read_file(path);
        const char *at = strstr(err, "listening on ");
        const char *colon = at ? strchr(at + 13, '\n') : NULL;
        int port = 0;
        if (colon) {
            const char *p = colon;
            while (p > at && p[-1] != ':')
                p--;
            port = atoi(p);
        }
        free(err);
        if (port > 0)
            return port;
        if (waitpid(pid, NULL, WNOHANG) == pid)
            break;
        usleep(10000);
    }
    cr_assert_fail("mcusim did not start its GDB server");
    return -1;
}

/* Runs gdb-multiarch in batch mode on elf against the port with the
 * script; returns its output (malloc'd). */
static char *run_gdb(const char *elf, int port, const char *script, const char *dir)
{
    char script_path[512], cmd[2048];
    snprintf(script_path, sizeof script_path, "%s/session.gdb", dir);
    FILE *f = fopen(script_path, "w");
    cr_assert_not_null(f);
    fprintf(f, "set pagination off\nset confirm off\nset width 0\n%s", script);
    fclose(f);
    snprintf(cmd, sizeof cmd,
             "timeout %d gdb-multiarch -batch -nx -ex 'target remote 127.0.0.1:%d' -x '%s' '%s' 2>&1",
             GDB_TIMEOUT_S, port, script_path, elf);
    char *out = NULL;
    run_command_capture(cmd, &out);
    return out ? out : strdup("");
}

#define EXPECT_IN(text, needle) cr_expect(strstr((text), (needle)) != NULL, "no '%s' in:\n%s", (needle), (text))

/* A JSON number field, the crude way (the summaries are flat). */
static double json_number(const char *path, const char *key)
{
    char *s = read_file(path);
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *at = strstr(s, pat);
    double v = at ? strtod(at + strlen(pat), NULL) : -1;
    free(s);
    return v;
}

/* ---- a debugging session on each core ---- */

static const char session_script[] =
    "break gdb_mix\n"
    "continue\n"
    "next\n"
    "next\n"
    "print acc\n"
    "print seed\n"
    "print gdb_counter\n"
    "step\n"
    "watch gdb_counter\n"
    "continue\n"
    "continue\n"
    "delete\n"
    "monitor cycles\n"
    "monitor layer\n"
    "continue\n";

static void debug_session(const char *board)
{
    require_gdb();
    const char *elf = fw_path("tests/firmware", "gdb_target", board);
    char dir[512], json[600], plain_json[600];
    robust_tempdir(dir, sizeof dir, "gdb");
    snprintf(json, sizeof json, "%s/debugged.json", dir);
    snprintf(plain_json, sizeof plain_json, "%s/plain.json", dir);

    struct robust_cmd cmd = {.args = {"run", elf, "--board", board, "--gdb", "0", "--gdb-wait", "--json", json}};
    pid_t pid = robust_start(&cmd, dir);
    cr_assert_gt(pid, 0);
    int port = wait_for_port(dir, pid);
    char *out = run_gdb(elf, port, session_script, dir);
    struct robust_result r;
    robust_wait(pid, dir, &r);

    EXPECT_IN(out, "Breakpoint 1, gdb_mix (seed=seed@entry=7, rounds=rounds@entry=5)");
    EXPECT_IN(out, "$1 = 7\n");             /* the local acc, in memory */
    EXPECT_IN(out, "$2 = 7\n");             /* the argument */
    EXPECT_IN(out, "$3 = 0\n");             /* the global, before the loop */
    EXPECT_IN(out, "gdb_counter = gdb_counter + 1;"); /* step reached the line */
    EXPECT_IN(out, "Hardware watchpoint 2: gdb_counter\n\nOld value = 0\nNew value = 1\n");
    EXPECT_IN(out, "Old value = 1\nNew value = 2\n");
    EXPECT_IN(out, "cycles:");
    EXPECT_IN(out, "instructions:");
    EXPECT_IN(out, "simulated at");
    EXPECT_IN(out, "layers are known when the run is measured");
    EXPECT_IN(out, "[Inferior 1 (Remote target) exited with code 03]");

    /* The firmware's run, as without the debugger. */
    cr_expect_eq(r.status, 1, "exit 1: the firmware exited with status 3 (stderr: %s)", r.err);
    EXPECT_IN(r.out, "gdb target: total 1330756234, counter 20\n");
    EXPECT_IN(r.err, "debugger connected");
    struct robust_cmd plain = {.args = {"run", elf, "--board", board, "--json", plain_json, "-q"}};
    struct robust_result p;
    robust_run(&plain, &p);
    cr_expect_str_eq(r.out, p.out);
    cr_expect_eq(json_number(json, "cycles"), json_number(plain_json, "cycles"));
    cr_expect_eq(json_number(json, "instructions"), json_number(plain_json, "instructions"));
    cr_expect_gt(json_number(json, "cycles"), 0);
    robust_result_free(&p);
    robust_result_free(&r);
    free(out);
    robust_rmtree(dir);
}

Test(gdb, session_on_cortex_m4, .timeout = 300)
{
    debug_session("nano33ble");
}

Test(gdb, session_on_cortex_m0plus, .timeout = 300)
{
    debug_session("pico");
}

/* ---- a profiled inference ---- */

/* Every row of a table for the only run in the database, as text. */
static char *table_rows(const char *db_path, const char *sql)
{
    sqlite3 *db = robust_db_open(db_path);
    cr_assert_not_null(db, "%s", db_path);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    size_t cap = 4096, len = 0;
    char *text = malloc(cap);
    text[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const char *v = (const char *)sqlite3_column_text(st, i);
            size_t n = strlen(v ? v : "NULL") + 2;
            if (len + n + 1 > cap) {
                cap = (len + n + 1) * 2;
                text = realloc(text, cap);
            }
            len += (size_t)sprintf(text + len, "%s%c", v ? v : "NULL", i + 1 < sqlite3_column_count(st) ? '|' : '\n');
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return text;
}

static const char profile_script[] =
    "break conv_s8_ref\n"
    "continue\n"
    "monitor layer\n"
    "awatch -location *(signed char *)tensors[node->outputs[0]].data\n"
    "delete 1\n"
    "stepi 25\n"
    "next\n"
    "next\n"
    "continue\n"
    "delete\n"
    "monitor cycles\n"
    "continue\n";

Test(gdb, profiled_inference_is_exact, .timeout = 600)
{
    require_gdb();
    char model[600], dir[512], db[600], plain_db[600];
    snprintf(model, sizeof model, "%s/workloads/cnn.tflite", build_root());
    robust_tempdir(dir, sizeof dir, "gdbprof");
    snprintf(db, sizeof db, "%s/debugged.db", dir);
    snprintf(plain_db, sizeof plain_db, "%s/plain.db", dir);
    char elf[600];
    snprintf(elf, sizeof elf, "%s/runtime/firmware/runtime-nano33ble-ref.elf", build_root());

    struct robust_cmd cmd = {.args = {"profile", model, "--kernels", "ref", "--db", db, "-q", "--gdb", "0",
                                      "--gdb-wait"}};
    pid_t pid = robust_start(&cmd, dir);
    cr_assert_gt(pid, 0);
    int port = wait_for_port(dir, pid);
    char *out = run_gdb(elf, port, profile_script, dir);
    struct robust_result r;
    robust_wait(pid, dir, &r);
    EXPECT_IN(out, "Breakpoint 1, ");
    EXPECT_IN(out, "conv_s8_ref");
    EXPECT_IN(out, "layer #0 CONV_2D (kernel ");
    EXPECT_IN(out, "region inference");
    EXPECT_IN(out, "instructions so far");
    EXPECT_IN(out, "Hardware access (read/write) watchpoint 2: ");
    EXPECT_IN(out, "New value = ");
    EXPECT_IN(out, "[Inferior 1 (Remote target) exited normally]");
    cr_expect_eq(r.status, 0, "%s", r.err);
    EXPECT_IN(r.out, "output: ");

    struct robust_cmd plain = {.args = {"profile", model, "--kernels", "ref", "--db", plain_db, "-q"}};
    struct robust_result p;
    robust_run(&plain, &p);
    cr_assert_eq(p.status, 0, "%s", p.err);
    cr_expect_str_eq(r.out, p.out, "the firmware's output");
    static const char *const queries[] = {
        "SELECT status, exit_code, instructions, cycles, sim_time_s, energy_uj, inference_cycles, "
        "inference_instructions, ram_stack_peak, ram_arena_used, ram_peak FROM runs",
        "SELECT * FROM layers ORDER BY seq",
        "SELECT * FROM functions ORDER BY address",
    };
    for (int i = 0; i < 3; i++) {
        char *a = table_rows(plain_db, queries[i]), *b = table_rows(db, queries[i]);
        cr_expect_gt(strlen(a), 10u, "%s: no rows", queries[i]);
        cr_expect_str_eq(b, a, "%s differs with the debugger", queries[i]);
        free(a);
        free(b);
    }
    robust_result_free(&p);
    robust_result_free(&r);
    free(out);
    robust_rmtree(dir);
}

/* ---- attaching later, and a client that misbehaves ---- */

/* A client that speaks the protocol by hand. */
struct client {
    int fd;
    char buf[65536];
};

static void client_connect(struct client *c, int port)
{
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(connect(c->fd, (struct sockaddr *)&sa, sizeof sa), 0, "connect: %s", strerror(errno));
}

static void client_send_raw(struct client *c, const void *bytes, size_t n)
{
    cr_assert_eq(send(c->fd, bytes, n, MSG_NOSIGNAL), (ssize_t)n);
}

static void client_send(struct client *c, const char *body)
{
    char pkt[70000];
    unsigned sum = 0;
    for (const char *p = body; *p; p++)
        sum += (unsigned char)*p;
    int n = snprintf(pkt, sizeof pkt, "$%s#%02x", body, sum & 0xFF);
    client_send_raw(c, pkt, (size_t)n);
}

/* The body of the next packet (skipping acknowledgements), or NULL. */
static const char *client_reply(struct client *c)
{
    size_t len = 0;
    for (;;) {
        struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
        if (poll(&pfd, 1, 30000) <= 0)
            return NULL;
        ssize_t n = recv(c->fd, c->buf + len, 1, 0);
        if (n <= 0)
            return NULL;
        if (len == 0 && c->buf[0] != '$')
            continue; /* '+' or '-' */
        len++;
        if (len >= 4 && c->buf[len - 3] == '#') {
            c->buf[len - 3] = '\0';
            return c->buf + 1;
        }
        if (len + 1 >= sizeof c->buf)
            return NULL;
    }
}

static const char *client_ask(struct client *c, const char *body)
{
    client_send(c, body);
    const char *r = client_reply(c);
    cr_assert_not_null(r, "no reply to '%.40s'", body);
    return r;
}

Test(gdb, malformed_packets_get_errors_and_a_hang_up_lets_the_run_go_on, .timeout = 300)
{
    const char *elf = fw_path("tests/firmware", "gdb_target", "nano33ble");
    char dir[512], json[600], plain_json[600];
    robust_tempdir(dir, sizeof dir, "gdbbad");
    snprintf(json, sizeof json, "%s/debugged.json", dir);
    snprintf(plain_json, sizeof plain_json, "%s/plain.json", dir);
    struct robust_cmd cmd = {.args = {"run", elf, "--gdb", "0", "--gdb-wait", "--json", json}};
    pid_t pid = robust_start(&cmd, dir);
    int port = wait_for_port(dir, pid);
    struct client c;
    client_connect(&c, port);

    cr_expect_str_eq(client_ask(&c, "vMustReplyEmpty"), "");
    cr_expect_eq(strncmp(client_ask(&c, "qSupported:swbreak+"), "PacketSize=", 11), 0);
    cr_expect_eq(client_ask(&c, "?")[0], 'T', "stopped at the start");
    cr_expect_str_eq(client_ask(&c, "qAttached"), "1");
    cr_expect_str_eq(client_ask(&c, "qC"), "QC1");
    cr_expect_str_eq(client_ask(&c, "qfThreadInfo"), "m1");
    cr_expect_str_eq(client_ask(&c, "qsThreadInfo"), "l");
    cr_expect_str_eq(client_ask(&c, "vCont?"), "vCont;c;C;s;S");
    const char *xml = client_ask(&c, "qXfer:features:read:target.xml:0,fff");
    cr_expect(!strncmp(xml, "l<?xml", 6) && strstr(xml, "org.gnu.gdb.arm.m-profile"), "%.80s", xml);
    /* Malformed: errors, never a crash. */
    static const char *const bad[] = {
        "m", "m12", "mzz,4", "m0,", "M0,4:zz", "M0,4:001122", "X0,4:", "p", "pffff", "P0", "P0=12",
        "Z9,0,0", "Z0", "Z2,20000000,0", "Z2,20000000,4096", "zq", "G1234", "qRcmd,zz",
        "qXfer:features:read:other.xml:0,10", "vCont;x", "vCont;c:zz", "c1,2", "S", "sffffffffff",
        "m123456789abcdef01,4", "mffffffff,ffffffff",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *r = client_ask(&c, bad[i]);
        cr_expect(r[0] == 'E' || r[0] == '\0', "'%s' answered '%s'", bad[i], r);
    }
    /* A wrong checksum is refused ('-'); an oversized packet is an error. */
    client_send_raw(&c, "$g#00", 5);
    char nak;
    cr_expect_eq(recv(c.fd, &nak, 1, 0), 1);
    cr_expect_eq(nak, '-');
    static char big[20000];
    memset(big, 'A', sizeof big - 1);
    big[0] = 'm';
    cr_expect_eq(client_ask(&c, big)[0], 'E');
    /* Writing code the simulator ran is refused (it would run the old
     * instructions); data and code not run yet can be written.  Reading
     * a peripheral is refused (a read can change it). */
    for (int i = 0; i < 3; i++)
        cr_expect_eq(client_ask(&c, "vCont;s:1")[0], 'T');
    char pc_hex[16], write_pc[64];
    snprintf(pc_hex, sizeof pc_hex, "%s", client_ask(&c, "pf"));
    uint32_t pc = (uint32_t)strtoul(pc_hex, NULL, 16);
    pc = __builtin_bswap32(pc); /* registers travel little-endian */
    snprintf(write_pc, sizeof write_pc, "M%x,2:00bf", pc);
    cr_expect_eq(client_ask(&c, write_pc)[0], 'E', "%s", write_pc);
    cr_expect_str_eq(client_ask(&c, "M20000100,4:01020304"), "OK");
    cr_expect_str_eq(client_ask(&c, "m20000100,4"), "01020304");
    cr_expect_eq(client_ask(&c, "me000e010,4")[0], 'E');
    /* A monitor command that does not exist says so. */
    const char *r = client_ask(&c, "qRcmd,6e6f6e65"); /* "none" */
    cr_expect(strlen(r) > 10 && r[0] != 'E', "%s", r);
    /* Out of order: a continue with a bad address, then a hang-up while
     * stopped: the run goes on without the debugger. */
    cr_expect_eq(client_ask(&c, "cxyz")[0], 'E');
    close(c.fd);

    struct robust_result res;
    robust_wait(pid, dir, &res);
    cr_expect_eq(res.status, 1, "the firmware's exit 3 (%s)", res.err);
    EXPECT_IN(res.err, "debugger disconnected; the run goes on");
    struct robust_cmd plain = {.args = {"run", elf, "--json", plain_json, "-q"}};
    struct robust_result p;
    robust_run(&plain, &p);
    cr_expect_eq(json_number(json, "cycles"), json_number(plain_json, "cycles"));
    cr_expect_str_eq(res.out, p.out);
    robust_result_free(&p);
    robust_result_free(&res);
    robust_rmtree(dir);
}

Test(gdb, attach_to_a_running_firmware_then_quit, .timeout = 300)
{
    require_gdb();
    const char *elf = fw_path("workloads/firmware", "loop", "nano33ble");
    char dir[512];
    robust_tempdir(dir, sizeof dir, "gdbattach");
    /* Long enough to attach to: a million rounds would take minutes. */
    struct robust_cmd cmd = {.args = {"run", elf, "--gdb", "0", "--", "1000000"}};
    pid_t pid = robust_start(&cmd, dir);
    int port = wait_for_port(dir, pid);
    char *out = run_gdb(elf, port, "monitor cycles\nprint $pc\nkill\n", dir);
    struct robust_result r;
    robust_wait(pid, dir, &r);
    EXPECT_IN(out, "cycles:");
    EXPECT_IN(out, "$1 = ");
    EXPECT_IN(out, "[Inferior 1 (Remote target) killed]");
    cr_expect_eq(r.status, 4, "the debugger ended the run: a limit (%s)", r.err);
    EXPECT_IN(r.err, "stopped by the debugger");
    robust_result_free(&r);
    free(out);
    robust_rmtree(dir);
}

/* A Ctrl-C stops a running firmware wherever it is; the run then goes
 * on to exactly the end it has without the stop. */
Test(gdb, ctrl_c_stops_a_running_firmware, .timeout = 300)
{
    const char *elf = fw_path("workloads/firmware", "loop", "nano33ble");
    char dir[512], json[600], plain_json[600];
    robust_tempdir(dir, sizeof dir, "gdbint");
    snprintf(json, sizeof json, "%s/debugged.json", dir);
    snprintf(plain_json, sizeof plain_json, "%s/plain.json", dir);
    struct robust_cmd cmd = {.args = {"run", elf, "--gdb", "0", "--gdb-wait", "--json", json, "--", "20000"}};
    pid_t pid = robust_start(&cmd, dir);
    int port = wait_for_port(dir, pid);
    struct client c;
    client_connect(&c, port);
    cr_expect_eq(client_ask(&c, "?")[0], 'T');
    for (int i = 0; i < 3; i++) {
        client_send(&c, "vCont;c");
        usleep(50000);
        client_send_raw(&c, "\x03", 1);
        const char *stop = client_reply(&c);
        cr_assert_not_null(stop);
        cr_expect_eq(strncmp(stop, "T02", 3), 0, "SIGINT: %s", stop);
        const char *cycles = client_ask(&c, "qRcmd,6379636c6573"); /* "cycles" */
        cr_expect_gt(strlen(cycles), 20u, "%s", cycles);
    }
    cr_expect_str_eq(client_ask(&c, "c"), "W00");
    close(c.fd);
    struct robust_result r;
    robust_wait(pid, dir, &r);
    cr_expect_eq(r.status, 0, "%s", r.err);
    struct robust_cmd plain = {.args = {"run", elf, "--json", plain_json, "-q", "--", "20000"}};
    struct robust_result p;
    robust_run(&plain, &p);
    cr_expect_eq(json_number(json, "cycles"), json_number(plain_json, "cycles"));
    cr_expect_eq(json_number(json, "instructions"), json_number(plain_json, "instructions"));
    cr_expect_str_eq(r.out, p.out);
    robust_result_free(&p);
    robust_result_free(&r);
    robust_rmtree(dir);
}

/* A fault stops with its signal and its line in GDB's console; GDB can
 * look around; resuming ends the run with that signal. */
Test(gdb, a_fault_is_a_signal, .timeout = 300)
{
    require_gdb();
    const char *elf = fw_path("tests/firmware", "faults", "nano33ble");
    char dir[512];
    robust_tempdir(dir, sizeof dir, "gdbfault");
    struct robust_cmd cmd = {.args = {"run", elf, "--gdb", "0", "--gdb-wait", "--", "read-unmapped"}};
    pid_t pid = robust_start(&cmd, dir);
    int port = wait_for_port(dir, pid);
    char *out = run_gdb(elf, port, "continue\nbacktrace\ncontinue\n", dir);
    struct robust_result r;
    robust_wait(pid, dir, &r);
    EXPECT_IN(out, "mcusim: fault: read-unmapped at main+");
    EXPECT_IN(out, "Program received signal SIGSEGV, Segmentation fault.");
    EXPECT_IN(out, "#0  0x");
    EXPECT_IN(out, " in main (");
    EXPECT_IN(out, "Program terminated with signal SIGSEGV, Segmentation fault.");
    cr_expect_eq(r.status, 3, "%s", r.err);
    EXPECT_IN(r.err, "fault: read-unmapped at main+");
    robust_result_free(&r);
    free(out);
    robust_rmtree(dir);
}

/* 'monitor reset' starts the firmware over from its reset vector. */
Test(gdb, monitor_reset_restarts_the_firmware, .timeout = 300)
{
    const char *elf = fw_path("tests/firmware", "gdb_target", "nano33ble");
    char dir[512];
    robust_tempdir(dir, sizeof dir, "gdbreset");
    struct robust_cmd cmd = {.args = {"run", elf, "--gdb", "0", "--gdb-wait"}};
    pid_t pid = robust_start(&cmd, dir);
    int port = wait_for_port(dir, pid);
    struct client c;
    client_connect(&c, port);
    char reset_pc[16];
    snprintf(reset_pc, sizeof reset_pc, "%s", client_ask(&c, "pf"));
    for (int i = 0; i < 50; i++)
        cr_expect_eq(client_ask(&c, "s")[0], 'T');
    cr_expect_str_neq(client_ask(&c, "pf"), reset_pc);
    char text[512] = "";
    const char *hex = client_ask(&c, "qRcmd,7265736574"); /* "reset" */
    for (size_t i = 0; hex[2 * i] && hex[2 * i + 1] && i + 1 < sizeof text; i++) {
        char two[3] = {hex[2 * i], hex[2 * i + 1], 0};
        text[i] = (char)strtol(two, NULL, 16);
    }
    EXPECT_IN(text, "reset: pc 0x");
    cr_expect_str_eq(client_ask(&c, "pf"), reset_pc, "back at the reset vector");
    cr_expect_str_eq(client_ask(&c, "c"), "W03");
    close(c.fd);
    struct robust_result r;
    robust_wait(pid, dir, &r);
    cr_expect_eq(r.status, 1, "%s", r.err);
    cr_expect_str_eq(r.out, "gdb target: total 1330756234, counter 20\n");
    robust_result_free(&r);
    robust_rmtree(dir);
}

/* Time stopped in the debugger is not the run's: a stop longer than the
 * wall-clock limit does not reach it, and the host time reported leaves
 * it out. */
Test(gdb, time_stopped_does_not_count, .timeout = 300)
{
    const char *elf = fw_path("tests/firmware", "gdb_target", "nano33ble");
    char dir[512], json[600];
    robust_tempdir(dir, sizeof dir, "gdbtime");
    snprintf(json, sizeof json, "%s/run.json", dir);
    struct robust_cmd cmd = {.args = {"run", elf, "--gdb", "0", "--gdb-wait", "--timeout", "1", "--json", json}};
    pid_t pid = robust_start(&cmd, dir);
    int port = wait_for_port(dir, pid);
    struct client c;
    client_connect(&c, port);
    cr_expect_eq(client_ask(&c, "?")[0], 'T');
    cr_expect_eq(client_ask(&c, "vCont;s")[0], 'T');
    usleep(1500000);
    cr_expect_str_eq(client_ask(&c, "c"), "W03");
    close(c.fd);
    struct robust_result r;
    robust_wait(pid, dir, &r);
    cr_expect_eq(r.status, 1, "the firmware's exit, not a limit: %s", r.err);
    double wall = json_number(json, "wall_s");
    cr_expect(wall >= 0 && wall < 1.0, "wall_s %g leaves the 1.5 s stop out", wall);
    robust_result_free(&r);
    robust_rmtree(dir);
}

/* ---- addresses ---- */

Test(gdb, addresses_that_are_refused)
{
    const char *elf = fw_path("tests/firmware", "gdb_target", "nano33ble");
    static const char *const cases[][2] = {
        {"0.0.0.0:0", "not a loopback address"},
        {"127.0.0.1:99999", "port must be a number"},
        {"localhost:", "port must be a number"},
        {"[::1:0", "IPv6 host is written [HOST]:PORT"},
    };
    for (int i = 0; i < 4; i++) {
        struct robust_cmd cmd = {.args = {"run", elf, "--gdb", cases[i][0]}};
        struct robust_result r;
        robust_run(&cmd, &r);
        cr_expect_eq(r.status, 2, "%s: exit %d", cases[i][0], r.status);
        EXPECT_IN(r.err, cases[i][1]);
        cr_expect_eq(robust_count_lines(r.err), 1, "one line: %s", r.err);
        robust_result_free(&r);
    }
    /* A port another program listens on. */
    int busy = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    cr_assert_eq(bind(busy, (struct sockaddr *)&sa, sizeof sa), 0);
    cr_assert_eq(listen(busy, 1), 0);
    getsockname(busy, (struct sockaddr *)&sa, &len);
    char address[64];
    snprintf(address, sizeof address, "127.0.0.1:%d", ntohs(sa.sin_port));
    struct robust_cmd in_use = {.args = {"run", elf, "--gdb", address}};
    struct robust_result u;
    robust_run(&in_use, &u);
    close(busy);
    cr_expect_eq(u.status, 2);
    EXPECT_IN(u.err, "cannot listen on 127.0.0.1:");
    EXPECT_IN(u.err, "Address already in use");
    robust_result_free(&u);
    struct robust_cmd wait_alone = {.args = {"run", elf, "--gdb-wait"}};
    struct robust_result r;
    robust_run(&wait_alone, &r);
    cr_expect_eq(r.status, 2);
    EXPECT_IN(r.err, "--gdb-wait needs --gdb");
    robust_result_free(&r);
    /* Allowed explicitly, any address listens (and the run goes on with
     * nobody attached). */
    struct robust_cmd remote = {.args = {"run", elf, "--gdb", "0.0.0.0:0", "--gdb-allow-remote"}};
    robust_run(&remote, &r);
    cr_expect_eq(r.status, 1, "%s", r.err);
    EXPECT_IN(r.err, "listening on 0.0.0.0:");
    robust_result_free(&r);
}

/* ---- two simulations with a server each, in one process ---- */

struct twin {
    const char *board;
    struct fw_result result;
    FILE *log;                 /* the server's log: a pipe to the test */
};

static void *run_twin(void *p)
{
    struct twin *t = p;
    struct gdb_server_options gdb = {.address = "0", .wait = true, .log = t->log};
    memset(&t->result, 0, sizeof t->result);
    FILE *out = open_memstream(&t->result.out, &t->result.out_len);
    FILE *err = open_memstream(&t->result.err, &t->result.err_len);
    struct run_request req;
    run_request_init(&req);
    req.firmware = fw_path("tests/firmware", "gdb_target", t->board);
    req.board = t->board;
    req.gdb = &gdb;
    req.out = out;
    req.err = err;
    t->result.setup_failed = run_firmware(&req, &t->result.outcome);
    fclose(out);
    fclose(err);
    fclose(t->log);
    return NULL;
}

/* The port of the "listening on HOST:PORT" line read from a server's log. */
static int port_from_log(FILE *f)
{
    char line[256];
    while (fgets(line, sizeof line, f)) {
        const char *at = strstr(line, "listening on ");
        if (at)
            return atoi(strrchr(at, ':') + 1);
    }
    return -1;
}

Test(gdb, two_simulations_with_a_server_each, .timeout = 300)
{
    /* Each server listens on a free port of its own; a client steps one
     * firmware while the other runs to its end; both end as they do alone. */
    struct twin t[2] = {{.board = "nano33ble"}, {.board = "pico"}};
    FILE *logs[2];
    pthread_t th[2];
    int ports[2];
    for (int i = 0; i < 2; i++) {
        int fds[2];
        cr_assert_eq(pipe(fds), 0);
        t[i].log = fdopen(fds[1], "w");
        logs[i] = fdopen(fds[0], "r");
        pthread_create(&th[i], NULL, run_twin, &t[i]);
        ports[i] = port_from_log(logs[i]);
        cr_assert_gt(ports[i], 0);
    }
    cr_expect_neq(ports[0], ports[1]);
    struct client c[2];
    for (int i = 0; i < 2; i++) {
        client_connect(&c[i], ports[i]);
        cr_expect_eq(client_ask(&c[i], "?")[0], 'T');
    }
    for (int i = 0; i < 20; i++)
        cr_expect_eq(client_ask(&c[0], "vCont;s:1")[0], 'T');
    cr_expect_str_eq(client_ask(&c[1], "vCont;c"), "W03");
    cr_expect_str_eq(client_ask(&c[0], "c"), "W03");
    for (int i = 0; i < 2; i++) {
        close(c[i].fd);
        pthread_join(th[i], NULL);
        fclose(logs[i]);
        cr_assert_not(t[i].result.setup_failed, "%s", t[i].result.outcome.error);
        cr_expect_eq(t[i].result.outcome.result.status, SIM_EXITED);
        cr_expect_eq(t[i].result.outcome.result.exit_code, 3);
        struct fw_result alone;
        fw_run(&alone, fw_path("tests/firmware", "gdb_target", t[i].board), t[i].board, NULL, 0, false);
        cr_expect_eq(t[i].result.outcome.result.cycles, alone.outcome.result.cycles, "%s", t[i].board);
        cr_expect_str_eq(t[i].result.out, alone.out);
        fw_result_free(&alone);
        fw_result_free(&t[i].result);
    }
}
