/*
 * simtest.h — helpers for tests that run firmware on the simulator:
 * locate build products and run an image with its console captured.
 */
#ifndef MCUSIM_SIMTEST_H
#define MCUSIM_SIMTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "firmware_run.h"

struct fw_result {
    int setup_failed;         /* run_firmware() returned -1 */
    struct run_outcome outcome;
    char *out;                /* firmware stdout, NUL-terminated */
    char *err;                /* firmware stderr */
    size_t out_len, err_len;
};

/* <build>/<dir>/<name>-<board>.elf, in a static buffer. */
const char *fw_path(const char *dir, const char *name, const char *board);
const char *build_root(void);
const char *source_root(void);

/* Runs firmware; args is NULL-terminated (may be NULL). */
void fw_run(struct fw_result *r, const char *elf, const char *board, const char *const *args,
            uint64_t max_instructions, bool vector_faults);
void fw_result_free(struct fw_result *r);

/* Runs a shell command, captures stdout (malloc'd) and returns the exit
 * status, or -1 if it could not run. */
int run_command_capture(const char *cmd, char **out);

#endif
