/*
 * verdict_output.h — a fit verdict (profiler/fit_verdict.h) as the
 * commands print it: a short table for people ('model info --board') and
 * a JSON object for scripts ('model info --board --json', 'fit --json').
 */
#ifndef MCUSIM_CLI_VERDICT_OUTPUT_H
#define MCUSIM_CLI_VERDICT_OUTPUT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "fit_verdict.h"

/* "fits", "does not fit: flash", "does not fit: RAM", "does not fit:
 * flash and RAM". */
const char *verdict_summary(const struct fit_verdict *v);

/* The verdict on a board with a kernel family: a headline, flash and RAM
 * with what they are made of and how much is over or free, and a line
 * saying that latency and energy are not measured without a run. */
void verdict_print_text(const struct fit_verdict *v, const char *board, const char *kernels, FILE *out);

/* The same as a JSON object (NULL when out of memory); bytes throughout. */
cJSON *verdict_json(const struct fit_verdict *v, const char *board, const char *kernels);

#endif
