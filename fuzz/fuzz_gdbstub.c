/*
 * fuzz_gdbstub.c — fuzz target for the GDB remote protocol: the packet
 * framing (sim/gdb_packet.c) and the stub behind it (sim/gdbstub.c), on
 * whatever bytes a debugger, or anyone who can connect, might send.
 *
 * One simulation of the default board with a test firmware loaded
 * (registers and memory to read and write) lives for the whole run; each
 * input begins as a new connection with no breakpoints, after a stop
 * whose kind the first byte picks, and the rest is fed in pieces of sizes
 * the input also picks, as a socket would deliver them.  Checks: every
 * byte the stub sends is an acknowledgement or a well-formed packet with
 * a correct checksum; a resume request consumes no more than it was
 * given.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "debug.h"
#include "elf_image.h"
#include "fuzz_check.h"
#include "gdbstub.h"

struct fuzz_state {
    struct board board;
    struct elf_image image;
    struct sim *sim;
    struct gdbstub *stub;
};

static struct fuzz_state *state;

/* Every reply: '+', '-', or $body#hh with the right checksum. */
static void check_sent(void *ctx, const void *bytes, size_t n)
{
    (void)ctx;
    const char *p = bytes;
    if (n == 1 && (p[0] == '+' || p[0] == '-'))
        return;
    FUZZ_CHECK(n >= 4 && p[0] == '$' && p[n - 3] == '#');
    unsigned sum = 0;
    for (size_t i = 1; i + 3 < n; i++) {
        FUZZ_CHECK(p[i] != '$' && p[i] != '#');
        sum += (unsigned char)p[i];
    }
    char hex[3];
    snprintf(hex, sizeof hex, "%02x", sum & 0xFF);
    FUZZ_CHECK(p[n - 2] == hex[0] && p[n - 1] == hex[1]);
}

static enum sim_resume never_stopped(void *ctx, struct sim *s, const struct sim_stop *stop)
{
    (void)ctx;
    (void)s;
    (void)stop;
    return RESUME_CONTINUE;
}

static struct fuzz_state *setup(void)
{
    struct fuzz_state *st = calloc(1, sizeof *st);
    char err[512] = "";
    FUZZ_CHECK(st && board_find("nano33ble", &st->board, err, sizeof err) == 0);
    struct sim_options opt = {.cmdline = "fuzz"};
    st->sim = sim_create(&st->board, &opt, err, sizeof err);
    FUZZ_CHECK(st->sim);
    /* The firmware the GDB tests debug, when the build has it; an empty
     * memory otherwise. */
    const char *build = getenv("MCUSIM_BUILD_ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/firmware/gdb_target-nano33ble.elf", build ? build : "build");
    if (elf_image_load(path, &st->image, err, sizeof err) == 0)
        sim_load_elf(st->sim, &st->image, err, sizeof err);
    struct sim_debugger dbg = {.stopped = never_stopped};
    FUZZ_CHECK(sim_debug_attach(st->sim, &dbg, false, err, sizeof err) == 0);
    struct gdbstub_io io = {.send = check_sent};
    st->stub = gdbstub_create(st->sim, &io);
    FUZZ_CHECK(st->stub);
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!state)
        state = setup();
    if (size < 2)
        return 0;
    sim_debug_clear_points(state->sim);
    gdbstub_connected(state->stub);
    struct sim_stop stop = {
        .kind = (enum sim_stop_kind)(data[0] % (STOP_EXITED + 1)),
        .pc = 0x140,
        .watch_addr = 0x20000000,
        .watch_kind = (enum sim_watch_kind)(data[0] / 8 % 3),
        .fault = (enum sim_fault_kind)(data[0] / 24 % (FAULT_BREAKPOINT + 1)),
        .exit_code = data[1],
        .message = "fuzz: a stop",
    };
    gdbstub_stopped(state->stub, &stop);
    /* Pieces of 1 to 64 bytes, as a socket hands them over. */
    size_t piece = (size_t)(data[1] % 64) + 1;
    for (size_t pos = 2; pos < size;) {
        size_t n = size - pos < piece ? size - pos : piece;
        size_t used = 0;
        enum gdbstub_request r = gdbstub_receive(state->stub, data + pos, n, &used);
        FUZZ_CHECK(used <= n && (r != GDBSTUB_NONE ? used >= 1 : used == n));
        pos += used;
        if (r != GDBSTUB_NONE) /* resumed: the firmware stops again at once */
            gdbstub_stopped(state->stub, &stop);
    }
    return 0;
}
