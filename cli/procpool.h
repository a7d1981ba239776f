/*
 * procpool.h — runs a list of commands in at most N worker processes at a
 * time: what 'mcusim sweep' uses to synthesize models and to profile
 * workloads in parallel.
 *
 * Every job is a process of its own (fork + exec), so a run that crashes,
 * leaks or hangs cannot take the others or the caller down.  Each job's
 * stdout and stderr go to its own log file.  Jobs die with the caller
 * (PR_SET_PDEATHSIG): a sweep killed with SIGKILL leaves no orphan that
 * would store a run behind a resumed sweep's back.  SIGINT, SIGTERM and
 * SIGHUP to the caller stop the pool: no new job starts, running ones are
 * sent SIGTERM and reaped, and pool_run() returns the signal's number.
 */
#ifndef MCUSIM_CLI_PROCPOOL_H
#define MCUSIM_CLI_PROCPOOL_H

#include <stddef.h>

struct pool_job {
    char **argv;           /* NULL-terminated; argv[0] is the program (a path, no PATH search) */
    const char *log_path;  /* stdout and stderr of the job; NULL: /dev/null */
};

struct pool_result {
    int exit_status;       /* the job's exit status, -1 when killed by a signal */
    int term_signal;       /* the signal that ended it, 0 when it exited */
    double seconds;        /* wall-clock time from start to reaping */
    int stopped;           /* killed by a signal while the pool was being
                            * interrupted: the job did not fail, it was stopped */
};

struct pool_options {
    int workers;           /* at most this many jobs at once (>= 1) */
    /* Called in the caller's process as each job ends, in order of ending. */
    void (*done)(void *ctx, size_t index, const struct pool_result *r);
    /* Called about every tick_s seconds while jobs run (progress lines). */
    void (*tick)(void *ctx);
    double tick_s;
    void *ctx;
};

/* Runs jobs[0..n).  Returns 0 when every job ran (whatever its status), the
 * signal number when interrupted (the jobs not started are not run), or -1
 * with err set when a process could not be started at all (the jobs already
 * running are finished first). */
int pool_run(const struct pool_job *jobs, size_t n, const struct pool_options *opt, char *err, size_t errlen);

/* The number of CPUs this process may run on (the default for -j). */
int pool_cpu_count(void);

#endif
