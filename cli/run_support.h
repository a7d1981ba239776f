/*
 * run_support.h — what the commands that run firmware share on the command
 * line: the limit options, and a finished run's summary as text and JSON.
 * The run itself is the library's (profiler/firmware_run.h).
 */
#ifndef MCUSIM_RUN_SUPPORT_H
#define MCUSIM_RUN_SUPPORT_H

#include <stdint.h>
#include <stdio.h>

#include "firmware_run.h"

void run_print_summary(const struct run_outcome *out, FILE *f);
int run_write_json(const struct run_outcome *out, const char *path);

int parse_count(const char *s, uint64_t *out);
int parse_seconds(const char *s, double *out);

/* The limit options every running command takes: -n/--max-instructions
 * (opt 'n') and -t/--timeout (opt 't').  Returns 0, or -1 after a one-line
 * message naming the command. */
int parse_limit_option(const char *cmd, int opt, const char *value, uint64_t *max_instructions, double *timeout_s);

#endif
