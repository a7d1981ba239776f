/*
 * debug.h — the simulator's interface for a debugger: stop and resume,
 * breakpoints, watchpoints, single steps, registers and memory.
 *
 * A debugger attaches a struct sim_debugger; the simulation then calls it
 * back from inside sim_run(), on the simulator's own thread:
 *   - poll() every so often while the firmware runs (about every 4 M
 *     simulated cycles, and while it sleeps), so that the debugger can ask
 *     for a stop (Ctrl-C, a new connection) without a thread of its own;
 *   - stopped() whenever the firmware stops for it (a breakpoint, a step,
 *     a watchpoint, an interrupt request, the start of the run, a fault or
 *     a limit, the exit).  It serves the debugger, with the sim_debug_*
 *     calls below, until the debugger resumes, and says how.
 * The time spent inside stopped() does not count against the run's
 * wall-clock limit nor its measured host time.
 *
 * Attaching changes nothing the simulation measures: cycles, instruction
 * counts, DWT CYCCNT as the firmware reads it, the observer's events and
 * the firmware's output are the same with and without a debugger, however
 * often it stops, steps or inspects.  debug.c says how.
 *
 * Breakpoints and watchpoints are the simulator's, not instructions
 * written into memory: the firmware never sees them.  Watchpoints see the
 * firmware's own loads and stores (not the simulator's exception stacking
 * or semihosting transfers) and stop before the accessing instruction, as
 * GDB expects on Arm (resuming there executes it); the engine cannot stop
 * inside an IT block, so a stop that falls in one comes after the block.
 */
#ifndef MCUSIM_DEBUG_H
#define MCUSIM_DEBUG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim.h"

/* Why the firmware stopped. */
enum sim_stop_kind {
    STOP_START,       /* before the first instruction, or a debugger attached */
    STOP_INTERRUPT,   /* the debugger asked for a stop */
    STOP_BREAKPOINT,  /* a breakpoint, or a BKPT instruction in the firmware (trap) */
    STOP_STEP,        /* one instruction executed */
    STOP_WATCHPOINT,
    STOP_FAULT,       /* the run ended with a fault: inspect, then it ends */
    STOP_LIMIT,       /* the run ended at a limit: inspect, then it ends */
    STOP_EXITED,      /* the firmware exited: nothing left to inspect */
};

enum sim_watch_kind { WATCH_WRITE, WATCH_READ, WATCH_ACCESS };

struct sim_stop {
    enum sim_stop_kind kind;
    uint32_t pc;
    bool trap;                   /* STOP_BREAKPOINT: a BKPT instruction, not a set breakpoint */
    uint32_t watch_addr;         /* STOP_WATCHPOINT: the watched address hit */
    enum sim_watch_kind watch_kind;
    enum sim_fault_kind fault;   /* STOP_FAULT */
    int exit_code;               /* STOP_EXITED */
    const char *message;         /* STOP_FAULT, STOP_LIMIT: the run's one-line outcome */
};

/* What the debugger wants next. */
enum sim_resume {
    RESUME_CONTINUE,
    RESUME_STEP,      /* one instruction, then STOP_STEP */
    RESUME_DETACH,    /* forget breakpoints and watchpoints, run on */
    RESUME_KILL,      /* end the run (a limit: "stopped by the debugger") */
};

struct sim_debugger {
    void *ctx;
    enum sim_resume (*stopped)(void *ctx, struct sim *s, const struct sim_stop *stop);
    /* While running; true asks for a stop (STOP_INTERRUPT, or STOP_START
     * for a debugger that just connected: *kind says which).  Must not
     * block. */
    bool (*poll)(void *ctx, struct sim *s, enum sim_stop_kind *kind);
    /* Whether a debugger is there to stop for (NULL: always).  Without
     * one, a BKPT instruction in the firmware is the fault it is in a run
     * without a debugger. */
    bool (*present)(void *ctx);
};

/* Attaches a debugger before sim_run(); stop_at_start: stop before the
 * first instruction (STOP_START).  Fails (-1, err) on a simulator without
 * the block hook (sim_options.bare). */
int sim_debug_attach(struct sim *s, const struct sim_debugger *d, bool stop_at_start, char *err, size_t errlen);

/* ---- while stopped ---- */

/* Breakpoints (any number; inserting one twice is one) and watchpoints
 * (len 1..64 bytes).  They take effect when the firmware resumes.
 * Return 0, or -1 for an address or length that cannot be watched. */
int sim_debug_breakpoint(struct sim *s, uint32_t addr, bool insert);
int sim_debug_watchpoint(struct sim *s, enum sim_watch_kind kind, uint32_t addr, uint32_t len, bool insert);
void sim_debug_clear_points(struct sim *s);

/* The debugger's registers: r0-r15, then the system and FP registers. */
enum sim_reg {
    SIM_REG_R0 = 0,
    SIM_REG_SP = 13, SIM_REG_LR = 14, SIM_REG_PC = 15,
    SIM_REG_XPSR,
    SIM_REG_MSP, SIM_REG_PSP, SIM_REG_PRIMASK, SIM_REG_BASEPRI, SIM_REG_FAULTMASK, SIM_REG_CONTROL,
    SIM_REG_FPSCR,
    SIM_REG_D0,                      /* d0-d15: 64 bits each */
    SIM_REG_COUNT = SIM_REG_D0 + 16,
};

/* Whether the core has register r (no BASEPRI/FAULTMASK on ARMv6-M, no
 * FP registers without an FPU). */
bool sim_debug_has_reg(const struct sim *s, enum sim_reg r);
int sim_debug_read_reg(struct sim *s, enum sim_reg r, uint64_t *value);
/* xPSR: only the flags (N, Z, C, V, Q, GE) can be written; the PC keeps
 * the Thumb state.  Returns -1 for a register the core lacks. */
int sim_debug_write_reg(struct sim *s, enum sim_reg r, uint64_t value);

/* Flash and RAM as the firmware sees them.  Peripheral registers are not
 * read (a read may change them, and the run with it): those bytes, and
 * unmapped ones, end the transfer.  Returns the bytes transferred from
 * the start (0: none).  A write into code the simulator has already
 * decoded is refused (it would keep running the old instructions). */
uint32_t sim_debug_read_mem(struct sim *s, uint32_t addr, void *buf, uint32_t len);
uint32_t sim_debug_write_mem(struct sim *s, uint32_t addr, const void *buf, uint32_t len);

/* Where the run is: cycles and instructions up to the instruction at the
 * PC (DWT CYCCNT as that instruction would read it, plus the cycles before
 * CYCCNT was started), and simulated time. */
struct sim_debug_position {
    uint64_t cycles;
    uint64_t instructions;
    uint64_t sleep_cycles;
    double sim_time_s;
    uint32_t clock_hz;
};
void sim_debug_position(struct sim *s, struct sim_debug_position *p);

/* Restarts the firmware from its reset vector, as the reset pin does:
 * core registers and core peripherals reset, memory kept; cycles and
 * instructions keep counting.  Returns 0, or -1 with err. */
int sim_debug_reset(struct sim *s, char *err, size_t errlen);

/* The GDB signal number that fits a fault (SIGSEGV for memory faults,
 * SIGILL, SIGFPE, SIGBUS, SIGTRAP, ...). */
int sim_fault_signal(enum sim_fault_kind k);

#endif /* MCUSIM_DEBUG_H */
