/*
 * session.h — one profiled run as a sequence of steps: the library behind
 * 'mcusim profile', 'run --profile' and 'bench' ('sweep' runs 'mcusim
 * profile' in worker processes, and reads the same image table).
 *
 *   session_open    the board, the firmware (for a model: the runtime image
 *                   of runtime_images.h and its model slot), the model
 *                   file; fills the run record's identity and flash facts
 *   session_check   the model as the runtime will read it, and whether it
 *                   fits the board, flash and RAM (fit_verdict.h); a model
 *                   that does not fit is a result, not an error: the
 *                   record says nofit, with the numbers of both, and
 *                   nothing is simulated
 *   session_run     simulates with the collector measuring (as the job's
 *                   mode asks); the firmware's console goes to the job's
 *                   streams
 *   session_collect the record's status, diagnostic and exit status; the
 *                   trace and folded stacks files (-1 when one cannot be
 *                   written: the record is complete all the same, store it)
 *   session_store   the record into the database (when the job names one)
 *   session_close   frees what the steps hold
 *
 * Each step returns 0, or -1 when the session cannot go on: then
 * s->error holds one line ("FILE: problem") and s->exit_status its
 * status (exitcodes.h).  session_check also returns 0 with s->done set
 * when the model does not fit: the record is complete, store it.  Nothing
 * is printed: the firmware's console goes to job->out and job->err (NULL:
 * dropped), everything else is in the session for the caller to print.
 */
#ifndef MCUSIM_SESSION_H
#define MCUSIM_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "board.h"
#include "collector.h"
#include "fit_verdict.h"
#include "firmware_run.h"
#include "model_fit.h"
#include "run_record.h"
#include "runtime_images.h"

/* How much is measured: everything, cycles only (no observer), nothing but
 * the engine (no block hook), or the engine calling an empty block hook:
 * the speeds `mcusim bench` compares. */
enum profile_mode { PROFILE_FULL, PROFILE_CYCLES, PROFILE_ENGINE, PROFILE_EMPTY_HOOK };

struct profile_job {
    enum profile_mode mode;
    const char *firmware;      /* NULL with a model: the runtime's image for the board */
    const char *model;         /* .tflite placed in the flash slot, or NULL */
    const char *board;         /* name or file */
    const char *runtime;       /* runtime_images.h (NULL: "mcusim") */
    const char *kernels;       /* kernel family of the runtime (models; NULL: the runtime's first) */
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
    bool verbose;              /* registers and last blocks when the run does not exit */
    bool vector_faults;        /* deliver faults to the firmware's handlers (run --vector-faults) */
    const struct sim_debugger *debugger; /* attached to the run (debug.h), NULL: none */
    bool debugger_wait;        /* the debugger sees the run before its first instruction */
    /* A GDB server for the run (gdb_server.h), NULL: none.  With it the
     * firmware's console is printed as it comes, not after the run, and
     * the server gets 'monitor layer' when the run is measured. */
    const struct gdb_server_options *gdb;
    FILE *out, *err;           /* the firmware's console; NULL: dropped */
    const char *unmodelled;    /* see run_request (firmware_run.h) */
    const char *uart_in, *uart_out;
};

void profile_job_init(struct profile_job *job);

struct profile_session {
    const struct profile_job *job;
    /* what runs (session_open) */
    struct board board;
    const struct runtime_image *image;  /* the runtime and kernels, with a model */
    char firmware[1024];
    struct model_file model;            /* bytes NULL: no model */
    struct model_slot slot;
    struct image_room room;             /* what the image leaves for the model */
    struct fit_verdict verdict;         /* session_check's, when has_verdict */
    bool has_verdict;
    /* the run (session_run) */
    struct collector *collector;
    struct sim_observer observer;       /* the collector's, while it runs */
    const char *aliases[5];             /* ":input", path, ":output", path */
    int n_aliases;
    struct run_outcome ran;             /* the simulation's result */
    bool has_result;
    int finish_rc;                      /* the collector's, after the run */
    char *console_err;                  /* the firmware's stderr, for the diagnostic */
    /* results */
    struct prof_run run;                /* the record */
    int64_t run_id;                     /* in the database; 0: not stored */
    bool done;                          /* the record is complete before running (nofit) */
    int exit_status;                    /* mcusim's status for this run (exitcodes.h) */
    char error[1024];                   /* why a step failed */
    char output_line[4096];             /* the runtime's "output: ..." line */
    char regs_dump[1024];               /* verbose: registers and last blocks */
};

int session_open(struct profile_session *s, const struct profile_job *job);
int session_check(struct profile_session *s);
int session_run(struct profile_session *s);
int session_collect(struct profile_session *s);
int session_store(struct profile_session *s);
void session_close(struct profile_session *s);

/* Every step in order.  Returns 0 when a run was measured or found not to
 * fit (whatever its status; stored when the job names a database), -1 when
 * it could not be (s->error, s->exit_status).  Close the session either
 * way. */
int session_execute(struct profile_session *s, const struct profile_job *job);

#endif
