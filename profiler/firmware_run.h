/*
 * firmware_run.h — one firmware image run on a simulated board: find the
 * board, read the ELF, create the simulator, load, run, and keep what the
 * run gave.  The run step of a profiling session (session.h), and all of
 * 'mcusim run' without --profile; the simulator tests use it too.
 *
 * Nothing is printed: the firmware's console goes to the streams of the
 * request, and every problem comes back as a message with its exit status.
 */
#ifndef MCUSIM_FIRMWARE_RUN_H
#define MCUSIM_FIRMWARE_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "board.h"
#include "debug.h"
#include "elf_image.h"
#include "gdb_server.h"
#include "sim.h"

#define RUN_DEFAULT_MAX_INSNS 20000000000ull
#define RUN_DEFAULT_TIMEOUT_S 3600.0

struct run_request {
    const char *firmware;
    const char *board;            /* name or file, default "nano33ble" */
    char **args;                  /* firmware arguments after argv[0] */
    const char *const *file_alias;/* see sim_options.file_alias */
    int n_args;
    uint64_t max_instructions;
    double timeout_s;
    bool vector_faults;
    bool verbose;
    bool bare;                    /* engine only, see sim_options.bare */
    bool empty_hook;              /* with bare: an empty block hook */
    const struct sim_observer *observer;
    /* A debugger to attach (debug.h); with debugger_wait it is called
     * before the first instruction. */
    const struct sim_debugger *debugger;
    bool debugger_wait;
    /* A GDB server for the run (gdb_server.h), NULL: none. */
    const struct gdb_server_options *gdb;
    /* Called after loading, before running: place a model, paint memory. */
    int (*prepare)(void *ctx, struct sim *s, char *err, size_t errlen);
    /* Called after the run while the simulation still exists (to read
     * memory and state before it is freed). */
    void (*finish)(void *ctx, struct sim *s, const struct sim_result *res);
    void *prepare_ctx;
    FILE *out, *err;              /* firmware console (default stdout/stderr) */
    const char *unmodelled;       /* stub, log or fault: overrides the board's; NULL: the board's */
    const char *uart_in;          /* file the console UART receives ("-": stdin), or NULL */
    const char *uart_out;         /* file that gets a copy of what UARTs transmit, or NULL */
};

struct run_outcome {
    struct board board;
    struct elf_image image;
    bool image_loaded;
    struct sim_result result;
    char error[1024];             /* why the run could not start */
    int error_status;             /* exit status for that (exitcodes.h) */
    char regs_dump[1024];         /* verbose: registers and trace */
};

void run_request_init(struct run_request *req);

/* Runs the firmware.  Returns 0 when a simulation ran (whatever its
 * outcome, in out->result), or -1 when it could not start: bad input or an
 * internal error, explained in out->error with out->error_status. */
int run_firmware(const struct run_request *req, struct run_outcome *out);
void run_outcome_free(struct run_outcome *out);

/* mcusim's outcome of a finished simulation (exitcodes.h): 0 the firmware
 * exited with status 0, 1 it exited with another status, 3 it faulted, 4 a
 * limit stopped it, 5 the simulator failed. */
int run_exit_status(const struct sim_result *r);

#endif
