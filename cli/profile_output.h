/*
 * profile_output.h — what 'profile' and 'run --profile' print of a
 * profiling session (profiler/session.h): the text report and the JSON
 * summary.
 */
#ifndef MCUSIM_PROFILE_OUTPUT_H
#define MCUSIM_PROFILE_OUTPUT_H

#include <stdio.h>

#include "session.h"

/* The text report of the run (reports/render.h), the same 'mcusim report'
 * prints for a stored run. */
void profile_print_table(const struct prof_run *run, FILE *f);

/* Run summary as JSON (--json; "-" is stdout): exit_code is the status
 * mcusim exits with, firmware_exit_code the firmware's own when it
 * exited.  Returns 0 or -1. */
int profile_write_json(const struct profile_session *s, int exit_code, const char *path);

#endif
