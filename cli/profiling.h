/*
 * profiling.h — one profiled run from the command line: run the firmware
 * (the runtime image with a model placed in its flash slot, or any
 * firmware), collect layers, functions and RAM (profiler/collector.h),
 * and store the run in the database.  Shared by 'profile', 'run --profile',
 * 'sweep' and 'bench'.
 */
#ifndef MCUSIM_PROFILING_H
#define MCUSIM_PROFILING_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "run_record.h"

/* How much is measured: everything, cycles only (no observer), nothing but
 * the engine (no block hook), or the engine calling an empty block hook:
 * the speeds `mcusim bench` compares. */
enum profile_mode { PROFILE_FULL, PROFILE_CYCLES, PROFILE_ENGINE, PROFILE_EMPTY_HOOK };

struct profile_job {
    enum profile_mode mode;
    const char *firmware;      /* NULL with a model: the built runtime image */
    const char *model;         /* .tflite placed in the flash slot, or NULL */
    const char *board;         /* name or file */
    const char *kernels;       /* "ref" / "opt" (models) */
    const char *input;         /* raw input tensor file */
    const char *output;        /* raw output tensor file */
    char **args;               /* extra firmware arguments */
    int n_args;
    const char *tag;
    const char *db_path;       /* NULL: no database */
    const char *trace_path;    /* Chrome trace JSON */
    const char *folded_path;   /* folded stacks */
    const char *cmdline;       /* the mcusim command line, for the record */
    uint64_t max_instructions;
    double timeout_s;
    bool verbose;
    bool vector_faults;        /* deliver faults to the firmware's handlers (run --vector-faults) */
    FILE *out, *err;           /* firmware console (default stdout/stderr) */
};

struct profile_outcome {
    struct prof_run run;
    int64_t run_id;            /* in the database, 0 when not stored */
    int exit_status;           /* what mcusim should exit with */
    char error[1024];          /* set when the run could not even start */
    char output_line[4096];    /* the runtime's "output: ..." line */
};

void profile_job_init(struct profile_job *job);

/* Runs and stores.  Returns 0 when a run was measured (whatever its
 * status, also stored), -1 when it could not start (error[]). */
int profile_execute(const struct profile_job *job, struct profile_outcome *out);
void profile_outcome_free(struct profile_outcome *out);

/* The runtime firmware for a board and kernel family; 0 when found. */
int runtime_firmware_path(const char *board_name, const char *kernels, char *path, size_t len);

/* The text report of the run (reports/render.h), the same 'mcusim report'
 * prints for a stored run. */
void profile_print_table(const struct prof_run *run, FILE *f);

/* Run summary as JSON (--json). */
int profile_write_json(const struct profile_outcome *out, const char *path);

#endif
