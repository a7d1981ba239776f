/*
 * run_support.h — what the commands that run firmware share on the command
 * line: the limit options, and a finished run's summary as text and JSON.
 * The run itself is the library's (profiler/firmware_run.h).
 */
#ifndef MCUSIM_RUN_SUPPORT_H
#define MCUSIM_RUN_SUPPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "firmware_run.h"
#include "gdb_server.h"

/* The one line that says how a run ended: "mcusim: FW exited with status
 * 0", "mcusim: FW: firmware exited with status 3", "mcusim: FW: fault:
 * ...", "...: stopped: ..." (a limit) or "...: error: ...". */
void run_print_outcome(const char *firmware, const struct sim_result *r, FILE *f);

/* The outcome line, instructions, cycles, times and speed, and with
 * --verbose the registers.  quiet: only the outcome line, and only when
 * the run did not end with the firmware's status 0. */
void run_print_summary(const struct run_outcome *out, bool quiet, FILE *f);

/* The summary as JSON ("-": stdout); exit_code is the status mcusim exits
 * with, firmware_exit_code the firmware's own when it exited. */
int run_write_json(const struct run_outcome *out, int exit_code, const char *path);

int parse_count(const char *s, uint64_t *out);
int parse_seconds(const char *s, double *out);

/* The limit options every running command takes: -n/--max-instructions
 * (opt 'n') and -t/--timeout (opt 't').  Returns 0, or -1 after a one-line
 * message naming the command. */
int parse_limit_option(const char *cmd, int opt, const char *value, uint64_t *max_instructions, double *timeout_s);

/* The debugger options of 'run' and 'profile' (getopt codes below), and
 * their help lines. */
enum { OPT_GDB = 0x100, OPT_GDB_WAIT, OPT_GDB_ALLOW_REMOTE };
#define GDB_OPTIONS_HELP \
    "      --gdb [HOST:]PORT      serve GDB's remote protocol (target remote HOST:PORT);\n" \
    "                             HOST defaults to 127.0.0.1, PORT 0 picks a free port\n" \
    "                             (printed); the firmware runs and a debugger may attach\n" \
    "                             at any time; time stopped in it does not count\n" \
    "      --gdb-wait             with --gdb: wait at the reset vector for a debugger\n" \
    "      --gdb-allow-remote     with --gdb: accept a HOST that is not loopback (there is\n" \
    "                             no authentication: whoever connects reads and writes\n" \
    "                             all of the firmware's memory)\n"

struct gdb_cli_options {
    const char *address;
    bool wait, allow_remote;
};

/* Takes one of the OPT_GDB* options. */
void gdb_cli_option(struct gdb_cli_options *g, int opt, const char *value);

/* The server's options from the command line's (log: stderr).  Returns 1
 * when a server was asked for, 0 when not, -1 after a one-line message
 * naming the command (--gdb-wait without --gdb, a malformed address). */
int gdb_cli_finish(const char *cmd, const struct gdb_cli_options *g, struct gdb_server_options *out);

#endif
