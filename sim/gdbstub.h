/*
 * gdbstub.h — GDB's remote serial protocol for one simulation, as
 * gdb-multiarch and arm-none-eabi-gdb speak it: what each packet asks of
 * the simulator's debug interface (debug.h) and what to answer.
 *
 * The stub is a state machine without I/O of its own: the transport
 * (gdb_server.c: TCP) hands it the bytes the debugger sent while the
 * firmware is stopped and gives it a function to send replies with; it
 * returns when a packet resumes the firmware (continue, step), lets it go
 * (detach) or ends the run (kill).  Packets it does not know get the empty
 * reply the protocol asks for; malformed ones an error reply ("E..");
 * nothing a debugger sends can crash it (a fuzz target, fuzz/).
 *
 * Supported: qSupported (PacketSize), the target description
 * (qXfer:features:read: org.gnu.gdb.arm.m-profile, org.gnu.gdb.arm.vfp
 * on FPU cores, org.gnu.gdb.arm.m-system with MSP, PSP, PRIMASK, BASEPRI,
 * FAULTMASK and CONTROL), g/G/p/P, m/M/X, Z0-Z4/z0-z4, c/C/s/S, vCont and
 * vCont?, ?, k, vKill, D, qAttached, qC, qfThreadInfo/qsThreadInfo (one
 * thread), QStartNoAckMode, and qRcmd: 'monitor help', 'monitor cycles',
 * 'monitor reset' and whatever commands the embedder adds (the profiler's
 * 'monitor layer').
 */
#ifndef MCUSIM_GDBSTUB_H
#define MCUSIM_GDBSTUB_H

#include <stddef.h>
#include <stdint.h>

#include "debug.h"

enum gdbstub_request {
    GDBSTUB_NONE,       /* all bytes used; the firmware stays stopped */
    GDBSTUB_CONTINUE,
    GDBSTUB_STEP,
    GDBSTUB_DETACH,
    GDBSTUB_KILL,
};

struct gdbstub_io {
    void *ctx;
    /* Sends bytes to the debugger; a lost connection is the caller's to
     * notice. */
    void (*send)(void *ctx, const void *bytes, size_t n);
};

/* A monitor command the embedder adds: 'monitor NAME ARGS'. */
struct gdbstub_monitor {
    const char *name;
    const char *help;      /* one line for 'monitor help' */
    /* Writes its answer (text, lines ending in '\n') into out. */
    void (*run)(void *ctx, struct sim *s, const char *args, char *out, size_t outlen);
    void *ctx;
};

struct gdbstub;

struct gdbstub *gdbstub_create(struct sim *s, const struct gdbstub_io *io);
void gdbstub_destroy(struct gdbstub *g);

/* Adds a monitor command (the stub keeps the pointer); -1 when full. */
int gdbstub_add_monitor(struct gdbstub *g, const struct gdbstub_monitor *cmd);

/* A new connection: acknowledgements on again, nothing awaited. */
void gdbstub_connected(struct gdbstub *g);

/* The firmware stopped (or the run ended).  When the debugger resumed it
 * and waits, the stop reply goes out now; otherwise it answers '?'. */
void gdbstub_stopped(struct gdbstub *g, const struct sim_stop *stop);

/* Bytes from the debugger while the firmware is stopped.  Returns as
 * soon as a packet resumes, detaches or kills, with *used the bytes taken
 * (the rest are for the next stop); GDBSTUB_NONE when all were used. */
enum gdbstub_request gdbstub_receive(struct gdbstub *g, const uint8_t *bytes, size_t n, size_t *used);

#endif /* MCUSIM_GDBSTUB_H */
