/*
 * gdbstub.c — GDB's remote serial protocol over the simulator's debug
 * interface (see gdbstub.h; the packets are those of the GDB manual,
 * "Remote Protocol", "Packets" and "General Query Packets").
 *
 * Registers are numbered as the target description lists them: r0-r15
 * and xPSR, then d0-d15 and FPSCR on FPU cores, then the system
 * registers; g and G carry them in that order, little-endian.  One thread
 * (id 1).  Memory is the firmware's flash and RAM; peripheral registers
 * answer with an error rather than be read (a read can change them).
 */
#include "gdbstub.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdb_packet.h"

#define MAX_MONITORS 8
#define MONITOR_OUT 4096

/* GDB's signal numbers (gdb/signals.def). */
enum { GDB_SIGINT = 2, GDB_SIGTRAP = 5, GDB_SIGXCPU = 24 };

enum feature { FEAT_CORE, FEAT_VFP, FEAT_SYSTEM };

struct reg_desc {
    enum sim_reg reg;
    const char *name;
    int bits;
    const char *type;
    enum feature feature;
};

static const struct reg_desc all_regs[] = {
    {SIM_REG_R0 + 0, "r0", 32, "uint32", FEAT_CORE},
    {SIM_REG_R0 + 1, "r1", 32, "uint32", FEAT_CORE},
    {SIM_REG_R0 + 2, "r2", 32, "uint32", FEAT_CORE},
    {SIM_REG_R0 + 3, "r3", 32, "uint32", FEAT_CORE},
    {SIM_REG_R0 + 4, "r4", 32, "uint32", FEAT_CORE},
    {SIM_REG_R0 + 5, "r5", 32, "uint32", FEAT_CORE},
    {SIM_REG_R0 + 6, "r6", 32, "uint32", FEAT_CORE},
    {SIM_REG_R0 + 7, "r7", 32, "uint32", FEAT_CORE},
    {SIM_REG_R0 + 8, "r8", 32, "uint32", FEAT_CORE},
    {SIM_REG_R0 + 9, "r9", 32, "uint32", FEAT_CORE},
    {SIM_REG_R0 + 10, "r10", 32, "uint32", FEAT_CORE},
    {SIM_REG_R0 + 11, "r11", 32, "uint32", FEAT_CORE},
    {SIM_REG_R0 + 12, "r12", 32, "uint32", FEAT_CORE},
    {SIM_REG_SP, "sp", 32, "data_ptr", FEAT_CORE},
    {SIM_REG_LR, "lr", 32, "uint32", FEAT_CORE},
    {SIM_REG_PC, "pc", 32, "code_ptr", FEAT_CORE},
    {SIM_REG_XPSR, "xpsr", 32, "uint32", FEAT_CORE},
    {SIM_REG_D0 + 0, "d0", 64, "ieee_double", FEAT_VFP},
    {SIM_REG_D0 + 1, "d1", 64, "ieee_double", FEAT_VFP},
    {SIM_REG_D0 + 2, "d2", 64, "ieee_double", FEAT_VFP},
    {SIM_REG_D0 + 3, "d3", 64, "ieee_double", FEAT_VFP},
    {SIM_REG_D0 + 4, "d4", 64, "ieee_double", FEAT_VFP},
    {SIM_REG_D0 + 5, "d5", 64, "ieee_double", FEAT_VFP},
    {SIM_REG_D0 + 6, "d6", 64, "ieee_double", FEAT_VFP},
    {SIM_REG_D0 + 7, "d7", 64, "ieee_double", FEAT_VFP},
    {SIM_REG_D0 + 8, "d8", 64, "ieee_double", FEAT_VFP},
    {SIM_REG_D0 + 9, "d9", 64, "ieee_double", FEAT_VFP},
    {SIM_REG_D0 + 10, "d10", 64, "ieee_double", FEAT_VFP},
    {SIM_REG_D0 + 11, "d11", 64, "ieee_double", FEAT_VFP},
    {SIM_REG_D0 + 12, "d12", 64, "ieee_double", FEAT_VFP},
    {SIM_REG_D0 + 13, "d13", 64, "ieee_double", FEAT_VFP},
    {SIM_REG_D0 + 14, "d14", 64, "ieee_double", FEAT_VFP},
    {SIM_REG_D0 + 15, "d15", 64, "ieee_double", FEAT_VFP},
    {SIM_REG_FPSCR, "fpscr", 32, "int", FEAT_VFP},
    {SIM_REG_MSP, "msp", 32, "data_ptr", FEAT_SYSTEM},
    {SIM_REG_PSP, "psp", 32, "data_ptr", FEAT_SYSTEM},
    {SIM_REG_PRIMASK, "primask", 32, "uint32", FEAT_SYSTEM},
    {SIM_REG_BASEPRI, "basepri", 32, "uint32", FEAT_SYSTEM},
    {SIM_REG_FAULTMASK, "faultmask", 32, "uint32", FEAT_SYSTEM},
    {SIM_REG_CONTROL, "control", 32, "uint32", FEAT_SYSTEM},
};
#define N_ALL_REGS (int)(sizeof all_regs / sizeof all_regs[0])

static const char *const feature_names[] = {
    "org.gnu.gdb.arm.m-profile", "org.gnu.gdb.arm.vfp", "org.gnu.gdb.arm.m-system",
};

struct gdbstub {
    struct sim *sim;
    struct gdbstub_io io;
    struct gdb_framer in;
    struct gdb_buf reply;      /* the body being answered */
    struct gdb_buf framed;     /* the body framed for sending */
    bool no_ack;
    bool swbreak;              /* the debugger takes swbreak/hwbreak stop reasons */
    bool awaiting;             /* it resumed the firmware and waits for a stop reply */
    bool have_stop;
    bool ended;                /* the run is over: nothing can resume */
    struct sim_stop stop;
    char stop_message[1024];
    /* the target description */
    const struct reg_desc *regs[N_ALL_REGS];
    int n_regs;
    struct gdb_buf xml;
    struct gdbstub_monitor monitors[MAX_MONITORS];
    int n_monitors;
};

/* ---- sending ---- */

static void send_raw(struct gdbstub *g, const char *bytes, size_t n)
{
    g->io.send(g->io.ctx, bytes, n);
}

/* Sends g->reply as a packet; a reply that could not be built is an
 * error. */
static void send_reply(struct gdbstub *g)
{
    if (g->reply.failed) {
        gdb_buf_reset(&g->reply);
        gdb_buf_str(&g->reply, "E01");
    }
    gdb_buf_reset(&g->framed);
    gdb_packet_frame(&g->framed, g->reply.data ? g->reply.data : "", g->reply.len);
    if (!g->framed.failed)
        send_raw(g, g->framed.data, g->framed.len);
    gdb_buf_reset(&g->reply);
}

static void reply_str(struct gdbstub *g, const char *s)
{
    gdb_buf_reset(&g->reply);
    gdb_buf_str(&g->reply, s);
}

/* ---- the target description ---- */

static void build_description(struct gdbstub *g)
{
    struct gdb_buf *x = &g->xml;
    gdb_buf_str(x, "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n"
                   "<architecture>arm</architecture>\n");
    for (int f = FEAT_CORE; f <= FEAT_SYSTEM; f++) {
        bool open = false;
        for (int i = 0; i < g->n_regs; i++) {
            const struct reg_desc *r = g->regs[i];
            if ((int)r->feature != f)
                continue;
            if (!open)
                gdb_buf_printf(x, "<feature name=\"%s\">\n", feature_names[f]);
            open = true;
            gdb_buf_printf(x, "<reg name=\"%s\" bitsize=\"%d\" regnum=\"%d\" type=\"%s\"%s/>\n", r->name, r->bits, i,
                           r->type, f == FEAT_VFP ? " group=\"float\"" : "");
        }
        if (open)
            gdb_buf_str(x, "</feature>\n");
    }
    gdb_buf_str(x, "</target>\n");
}

/* ---- life cycle ---- */

struct gdbstub *gdbstub_create(struct sim *s, const struct gdbstub_io *io)
{
    struct gdbstub *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->sim = s;
    g->io = *io;
    for (int i = 0; i < N_ALL_REGS; i++)
        if (sim_debug_has_reg(s, all_regs[i].reg))
            g->regs[g->n_regs++] = &all_regs[i];
    build_description(g);
    if (g->xml.failed) {
        gdbstub_destroy(g);
        return NULL;
    }
    gdbstub_connected(g);
    return g;
}

void gdbstub_destroy(struct gdbstub *g)
{
    if (!g)
        return;
    gdb_buf_free(&g->reply);
    gdb_buf_free(&g->framed);
    gdb_buf_free(&g->xml);
    free(g);
}

int gdbstub_add_monitor(struct gdbstub *g, const struct gdbstub_monitor *cmd)
{
    if (g->n_monitors == MAX_MONITORS)
        return -1;
    g->monitors[g->n_monitors++] = *cmd;
    return 0;
}

void gdbstub_connected(struct gdbstub *g)
{
    gdb_framer_init(&g->in);
    g->no_ack = false;
    g->swbreak = false;
    g->awaiting = false;
}

/* ---- stop replies ---- */

static int stop_signal(const struct sim_stop *st)
{
    switch (st->kind) {
    case STOP_INTERRUPT: return GDB_SIGINT;
    case STOP_FAULT: return sim_fault_signal(st->fault);
    case STOP_LIMIT: return GDB_SIGXCPU;
    default: return GDB_SIGTRAP;
    }
}

static void add_reg_value(struct gdbstub *g, int regnum)
{
    uint64_t v = 0;
    sim_debug_read_reg(g->sim, g->regs[regnum]->reg, &v);
    uint8_t bytes[8];
    for (int i = 0; i < 8; i++)
        bytes[i] = (uint8_t)(v >> (8 * i));
    gdb_buf_hex(&g->reply, bytes, (size_t)g->regs[regnum]->bits / 8);
}

static void build_stop_reply(struct gdbstub *g)
{
    const struct sim_stop *st = &g->stop;
    gdb_buf_reset(&g->reply);
    if (!g->have_stop) {
        gdb_buf_printf(&g->reply, "S%02x", GDB_SIGTRAP);
        return;
    }
    if (st->kind == STOP_EXITED) {
        gdb_buf_printf(&g->reply, "W%02x", st->exit_code & 0xff);
        return;
    }
    gdb_buf_printf(&g->reply, "T%02xthread:1;", stop_signal(st));
    /* The registers GDB reads first at every stop: r7 (the Thumb frame
     * pointer), SP, LR and PC. */
    static const int expedited[] = {7, 13, 14, 15};
    for (int i = 0; i < 4; i++) {
        gdb_buf_printf(&g->reply, "%02x:", expedited[i]);
        add_reg_value(g, expedited[i]);
        gdb_buf_str(&g->reply, ";");
    }
    if (st->kind == STOP_BREAKPOINT && !st->trap && g->swbreak)
        gdb_buf_str(&g->reply, "swbreak:;");
    if (st->kind == STOP_WATCHPOINT) {
        const char *what = st->watch_kind == WATCH_WRITE ? "watch" : st->watch_kind == WATCH_READ ? "rwatch" : "awatch";
        gdb_buf_printf(&g->reply, "%s:%x;", what, st->watch_addr);
    }
}

/* A console line in GDB's own console ('O' packet, while it waits). */
static void console_line(struct gdbstub *g, const char *text)
{
    gdb_buf_reset(&g->reply);
    gdb_buf_str(&g->reply, "O");
    gdb_buf_hex(&g->reply, text, strlen(text));
    send_reply(g);
}

void gdbstub_stopped(struct gdbstub *g, const struct sim_stop *stop)
{
    g->stop = *stop;
    g->have_stop = true;
    g->stop_message[0] = '\0';
    if (stop->message)
        snprintf(g->stop_message, sizeof g->stop_message, "%s", stop->message);
    g->stop.message = g->stop_message;
    g->ended = stop->kind >= STOP_FAULT;
    if (!g->awaiting)
        return;
    g->awaiting = false;
    if ((stop->kind == STOP_FAULT || stop->kind == STOP_LIMIT) && g->stop_message[0]) {
        char line[1100];
        snprintf(line, sizeof line, "mcusim: %s: %s\n", stop->kind == STOP_FAULT ? "fault" : "stopped",
                 g->stop_message);
        console_line(g, line);
    }
    build_stop_reply(g);
    send_reply(g);
}

/* ---- registers and memory ---- */

static void read_all_registers(struct gdbstub *g)
{
    gdb_buf_reset(&g->reply);
    for (int i = 0; i < g->n_regs; i++)
        add_reg_value(g, i);
}

static int write_register(struct gdbstub *g, int regnum, const char *hex, size_t digits)
{
    int bytes = g->regs[regnum]->bits / 8;
    uint8_t b[8];
    if (digits != (size_t)bytes * 2 || gdb_hex_decode(hex, digits, b, sizeof b) != bytes)
        return -1;
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; i--)
        v = v << 8 | b[i];
    return sim_debug_write_reg(g->sim, g->regs[regnum]->reg, v);
}

static void write_all_registers(struct gdbstub *g, const char *hex)
{
    size_t len = strlen(hex), pos = 0;
    for (int i = 0; i < g->n_regs; i++) {
        size_t digits = (size_t)g->regs[i]->bits / 4;
        if (pos + digits > len)
            break;
        if (write_register(g, i, hex + pos, digits)) {
            reply_str(g, "E16");
            return;
        }
        pos += digits;
    }
    reply_str(g, pos == len ? "OK" : "E16");
}

/* "ADDR,LEN" then `sep` (or the end when sep is 0). */
static int parse_addr_len(const char **p, char sep, uint32_t *addr, uint32_t *len)
{
    uint64_t a, l;
    if (gdb_parse_hex(p, &a) || **p != ',')
        return -1;
    (*p)++;
    if (gdb_parse_hex(p, &l) || a > 0xFFFFFFFFu || l > 0xFFFFFFFFu)
        return -1;
    if (sep ? **p != sep : **p != '\0')
        return -1;
    if (sep)
        (*p)++;
    *addr = (uint32_t)a;
    *len = (uint32_t)l;
    return 0;
}

static void read_memory(struct gdbstub *g, const char *args)
{
    uint32_t addr, len;
    if (parse_addr_len(&args, 0, &addr, &len)) {
        reply_str(g, "E16");
        return;
    }
    uint8_t buf[(GDB_PACKET_MAX - 8) / 2];
    if (len > sizeof buf)
        len = sizeof buf;
    uint32_t got = len ? sim_debug_read_mem(g->sim, addr, buf, len) : 0;
    if (len && !got) {
        reply_str(g, "E0e"); /* EFAULT */
        return;
    }
    gdb_buf_reset(&g->reply);
    gdb_buf_hex(&g->reply, buf, got);
}

static void write_memory(struct gdbstub *g, char *args, size_t args_len, bool binary)
{
    const char *p = args;
    uint32_t addr, len;
    if (parse_addr_len(&p, ':', &addr, &len)) {
        reply_str(g, "E16");
        return;
    }
    size_t data_len = args_len - (size_t)(p - args);
    uint8_t buf[GDB_PACKET_MAX];
    long n;
    if (binary) {
        /* The body is binary and may hold NULs: its length is the
         * framer's, not strlen's. */
        char *data = args + (p - args);
        n = gdb_unescape(data, data_len);
        if (n >= 0 && (size_t)n <= sizeof buf)
            memcpy(buf, data, (size_t)n);
        else
            n = -1;
    } else {
        n = gdb_hex_decode(p, data_len, buf, sizeof buf);
    }
    if (n < 0 || (uint32_t)n != len) {
        reply_str(g, "E16");
        return;
    }
    if (len && sim_debug_write_mem(g->sim, addr, buf, len) != len) {
        reply_str(g, "E0e");
        return;
    }
    reply_str(g, "OK");
}

/* ---- breakpoints and watchpoints ---- */

static void points(struct gdbstub *g, const char *args, bool insert)
{
    const char *p = args;
    uint64_t type, addr, kind;
    if (gdb_parse_hex(&p, &type) || *p++ != ',' || gdb_parse_hex(&p, &addr) || *p++ != ',' ||
        gdb_parse_hex(&p, &kind) || (*p && *p != ';') || addr > 0xFFFFFFFFu) {
        reply_str(g, "E16");
        return;
    }
    int rc;
    switch (type) {
    case 0: /* software and hardware breakpoints are the same here: the */
    case 1: /* simulator's, and memory is never patched */
        rc = sim_debug_breakpoint(g->sim, (uint32_t)addr, insert);
        break;
    case 2:
    case 3:
    case 4: {
        static const enum sim_watch_kind kinds[] = {WATCH_WRITE, WATCH_READ, WATCH_ACCESS};
        rc = kind > 0xFFFFFFFFu ? -1
                                : sim_debug_watchpoint(g->sim, kinds[type - 2], (uint32_t)addr, (uint32_t)kind, insert);
        break;
    }
    default:
        reply_str(g, ""); /* not supported */
        return;
    }
    reply_str(g, rc ? "E16" : "OK");
}

/* ---- monitor commands ---- */

static void monitor_help(struct gdbstub *g, char *out, size_t len)
{
    size_t n = (size_t)snprintf(out, len,
                                "mcusim monitor commands:\n"
                                "  cycles   simulated cycles, instructions and time so far\n"
                                "  reset    restart the firmware from its reset vector\n");
    for (int i = 0; i < g->n_monitors && n < len; i++)
        n += (size_t)snprintf(out + n, len - n, "  %-8s %s\n", g->monitors[i].name, g->monitors[i].help);
    if (n < len)
        snprintf(out + n, len - n, "  help     this list\n");
}

static void monitor_cycles(struct gdbstub *g, char *out, size_t len)
{
    struct sim_debug_position pos;
    sim_debug_position(g->sim, &pos);
    snprintf(out, len,
             "cycles:       %llu\n"
             "instructions: %llu\n"
             "time:         %.6f ms simulated at %.3g MHz (%llu cycles asleep)\n",
             (unsigned long long)pos.cycles, (unsigned long long)pos.instructions, pos.sim_time_s * 1e3,
             pos.clock_hz / 1e6, (unsigned long long)pos.sleep_cycles);
}

static void monitor_reset(struct gdbstub *g, char *out, size_t len)
{
    char err[256];
    if (g->ended || sim_debug_reset(g->sim, err, sizeof err)) {
        snprintf(out, len, "reset failed: %s\n", g->ended ? "the run has ended" : err);
        return;
    }
    uint64_t pc = 0, sp = 0;
    sim_debug_read_reg(g->sim, SIM_REG_PC, &pc);
    sim_debug_read_reg(g->sim, SIM_REG_SP, &sp);
    snprintf(out, len,
             "reset: pc 0x%08llx, sp 0x%08llx; cycles and instructions keep counting\n"
             "(GDB still shows the old registers: 'maintenance flush register-cache')\n",
             (unsigned long long)pc, (unsigned long long)sp);
}

static void monitor(struct gdbstub *g, const char *hex)
{
    char cmd[512];
    size_t digits = strlen(hex);
    int n = gdb_hex_decode(hex, digits, (uint8_t *)cmd, sizeof cmd - 1);
    if (n < 0) {
        reply_str(g, "E16");
        return;
    }
    cmd[n] = '\0';
    char *word = cmd;
    while (*word == ' ')
        word++;
    char *args = word;
    while (*args && *args != ' ')
        args++;
    if (*args)
        *args++ = '\0';
    while (*args == ' ')
        args++;
    char out[MONITOR_OUT] = "";
    if (!*word || !strcmp(word, "help")) {
        monitor_help(g, out, sizeof out);
    } else if (!strcmp(word, "cycles")) {
        monitor_cycles(g, out, sizeof out);
    } else if (!strcmp(word, "reset")) {
        monitor_reset(g, out, sizeof out);
    } else {
        int i = 0;
        while (i < g->n_monitors && strcmp(g->monitors[i].name, word))
            i++;
        if (i < g->n_monitors)
            g->monitors[i].run(g->monitors[i].ctx, g->sim, args, out, sizeof out);
        else
            snprintf(out, sizeof out, "unknown monitor command '%.200s' ('monitor help' lists them)\n", word);
    }
    gdb_buf_reset(&g->reply);
    if (out[0])
        gdb_buf_hex(&g->reply, out, strlen(out));
    else
        gdb_buf_str(&g->reply, "OK");
}

/* ---- resuming ---- */

/* c/s/C/S with an optional resume address ("addr", or "sig;addr"). */
static int resume_address(struct gdbstub *g, const char *args, bool with_signal)
{
    const char *p = args;
    uint64_t v;
    if (with_signal) {
        if (gdb_parse_hex(&p, &v))
            return -1;
        if (*p == '\0')
            return 0;
        if (*p++ != ';')
            return -1;
    }
    if (*p == '\0')
        return 0;
    if (gdb_parse_hex(&p, &v) || *p || v > 0xFFFFFFFFu)
        return -1;
    return sim_debug_write_reg(g->sim, SIM_REG_PC, v);
}

/* What the firmware does next; once the run has ended it cannot resume:
 * the debugger hears how it ended. */
static enum gdbstub_request resume(struct gdbstub *g, enum gdbstub_request r)
{
    if (g->ended) {
        gdb_buf_reset(&g->reply);
        if (g->stop.kind == STOP_EXITED)
            gdb_buf_printf(&g->reply, "W%02x", g->stop.exit_code & 0xff);
        else
            gdb_buf_printf(&g->reply, "X%02x", stop_signal(&g->stop));
        send_reply(g);
        return GDBSTUB_CONTINUE;
    }
    g->awaiting = true;
    return r;
}

/* vCont;ACTION[:THREAD][;ACTION[:THREAD]]...: the first action for
 * thread 1 or for all threads decides (one thread). */
static enum gdbstub_request vcont(struct gdbstub *g, const char *args)
{
    const char *p = args;
    while (*p == ';') {
        p++;
        char action = *p++;
        if (action == 'C' || action == 'S') {
            uint64_t sig;
            if (gdb_parse_hex(&p, &sig))
                break;
        }
        bool ours = true;
        if (*p == ':') {
            p++;
            uint64_t tid;
            if (*p == '-' && p[1] == '1')
                p += 2;
            else if (gdb_parse_hex(&p, &tid))
                break;
            else
                ours = tid == 1 || tid == 0;
        }
        if (*p && *p != ';')
            break;
        if (!ours)
            continue;
        if (action == 'c' || action == 'C')
            return resume(g, GDBSTUB_CONTINUE);
        if (action == 's' || action == 'S')
            return resume(g, GDBSTUB_STEP);
        break; /* 't' (stop) and range steps are not offered */
    }
    reply_str(g, "E16");
    return GDBSTUB_NONE;
}

/* ---- packets ---- */

static bool starts(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

static void query(struct gdbstub *g, const char *q)
{
    if (starts(q, "qSupported")) {
        g->swbreak = strstr(q, "swbreak+") != NULL;
        gdb_buf_reset(&g->reply);
        gdb_buf_printf(&g->reply,
                       "PacketSize=%x;qXfer:features:read+;swbreak+;hwbreak+;vContSupported+;QStartNoAckMode+",
                       GDB_PACKET_MAX);
    } else if (!strcmp(q, "qAttached") || starts(q, "qAttached:")) {
        reply_str(g, "1"); /* quitting the debugger detaches: the run goes on */
    } else if (!strcmp(q, "qC")) {
        reply_str(g, "QC1");
    } else if (!strcmp(q, "qfThreadInfo")) {
        reply_str(g, "m1");
    } else if (!strcmp(q, "qsThreadInfo")) {
        reply_str(g, "l");
    } else if (starts(q, "qSymbol")) {
        reply_str(g, "OK");
    } else if (starts(q, "qRcmd,")) {
        monitor(g, q + 6);
    } else if (starts(q, "qXfer:features:read:")) {
        const char *p = q + strlen("qXfer:features:read:");
        uint32_t off, len;
        if (!starts(p, "target.xml:")) {
            reply_str(g, "E00");
            return;
        }
        p += strlen("target.xml:");
        if (parse_addr_len(&p, 0, &off, &len)) {
            reply_str(g, "E16");
            return;
        }
        size_t total = g->xml.len;
        size_t n = off < total ? total - off : 0;
        if (n > len)
            n = len;
        if (n > GDB_PACKET_MAX / 2)
            n = GDB_PACKET_MAX / 2; /* escaping may double it */
        gdb_buf_reset(&g->reply);
        gdb_buf_str(&g->reply, off + n < total ? "m" : "l");
        gdb_buf_add(&g->reply, g->xml.data + (off < total ? off : total), n);
    } else {
        reply_str(g, ""); /* not supported */
    }
}

static enum gdbstub_request handle(struct gdbstub *g, char *pkt, size_t len)
{
    const char *args = pkt + 1;
    uint64_t v;
    switch (pkt[0]) {
    case '?':
        build_stop_reply(g);
        break;
    case 'g':
        read_all_registers(g);
        break;
    case 'G':
        write_all_registers(g, args);
        break;
    case 'p': {
        const char *p = args;
        if (gdb_parse_hex(&p, &v) || *p || v >= (uint64_t)g->n_regs) {
            reply_str(g, "E16");
            break;
        }
        gdb_buf_reset(&g->reply);
        add_reg_value(g, (int)v);
        break;
    }
    case 'P': {
        const char *p = args;
        if (gdb_parse_hex(&p, &v) || *p != '=' || v >= (uint64_t)g->n_regs ||
            write_register(g, (int)v, p + 1, strlen(p + 1)))
            reply_str(g, "E16");
        else
            reply_str(g, "OK");
        break;
    }
    case 'm':
        read_memory(g, args);
        break;
    case 'M':
        write_memory(g, pkt + 1, len - 1, false);
        break;
    case 'X':
        write_memory(g, pkt + 1, len - 1, true);
        break;
    case 'Z':
    case 'z':
        points(g, args, pkt[0] == 'Z');
        break;
    case 'c':
    case 'C':
    case 's':
    case 'S':
        if (!g->ended && resume_address(g, args, pkt[0] == 'C' || pkt[0] == 'S')) {
            reply_str(g, "E16");
            break;
        }
        return resume(g, pkt[0] == 'c' || pkt[0] == 'C' ? GDBSTUB_CONTINUE : GDBSTUB_STEP);
    case 'v':
        if (!strcmp(pkt, "vCont?")) {
            reply_str(g, "vCont;c;C;s;S");
        } else if (starts(pkt, "vCont;")) {
            enum gdbstub_request r = vcont(g, pkt + 5);
            if (r != GDBSTUB_NONE)
                return r;
        } else if (starts(pkt, "vKill")) {
            reply_str(g, "OK");
            send_reply(g);
            return GDBSTUB_KILL;
        } else {
            reply_str(g, ""); /* vMustReplyEmpty and everything else */
        }
        break;
    case 'q':
        query(g, pkt);
        break;
    case 'Q':
        if (!strcmp(pkt, "QStartNoAckMode")) {
            reply_str(g, "OK");
            send_reply(g);
            g->no_ack = true;
            return GDBSTUB_NONE;
        }
        reply_str(g, "");
        break;
    case 'H':
        reply_str(g, "OK");
        break;
    case 'T':
        reply_str(g, "OK");
        break;
    case 'D':
        reply_str(g, "OK");
        send_reply(g);
        return GDBSTUB_DETACH;
    case 'k':
        return GDBSTUB_KILL; /* no reply */
    default:
        reply_str(g, ""); /* not supported */
        break;
    }
    send_reply(g);
    return GDBSTUB_NONE;
}

enum gdbstub_request gdbstub_receive(struct gdbstub *g, const uint8_t *bytes, size_t n, size_t *used)
{
    for (size_t i = 0; i < n; i++) {
        enum gdb_frame f = gdb_framer_push(&g->in, bytes[i]);
        enum gdbstub_request r = GDBSTUB_NONE;
        switch (f) {
        case FRAME_NONE:
        case FRAME_INTERRUPT: /* already stopped */
            continue;
        case FRAME_BAD:
            if (!g->no_ack) {
                send_raw(g, "-", 1); /* send it again */
                continue;
            }
            reply_str(g, "E01");
            send_reply(g);
            continue;
        case FRAME_OVERSIZED:
            if (!g->no_ack)
                send_raw(g, "+", 1);
            reply_str(g, "E01");
            send_reply(g);
            continue;
        case FRAME_PACKET:
            if (!g->no_ack)
                send_raw(g, "+", 1);
            if (g->in.len == 0) {
                reply_str(g, "");
                send_reply(g);
                continue;
            }
            r = handle(g, g->in.body, g->in.len);
            break;
        }
        if (r != GDBSTUB_NONE) {
            *used = i + 1;
            return r;
        }
    }
    *used = n;
    return GDBSTUB_NONE;
}
