/*
 * procpool.c — see procpool.h.
 *
 * The caller blocks SIGCHLD, SIGINT, SIGTERM and SIGHUP while the pool runs
 * and waits for them with sigtimedwait(): a job's end wakes the loop at
 * once (short runs would otherwise wait for a polling interval, which costs
 * throughput), an interrupt is handled in the loop rather than in a signal
 * handler, and the timeout paces the progress ticks.
 */
#include "procpool.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "wall_time.h"

struct slot {
    pid_t pid;
    size_t index;
    double started;
};

int pool_cpu_count(void)
{
    cpu_set_t set;
    if (!sched_getaffinity(0, sizeof set, &set) && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* Starts one job; the log is opened here so that a bad log path is the
 * caller's error with a message, not a child that dies silently. */
static pid_t spawn(const struct pool_job *job, pid_t parent, const sigset_t *child_mask, char *err, size_t errlen)
{
    const char *log = job->log_path ? job->log_path : "/dev/null";
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot create the job's log: %s", log, strerror(errno));
        return -1;
    }
    int null_in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "cannot start a worker process: %s", strerror(errno));
        close(fd);
        if (null_in >= 0)
            close(null_in);
        return -1;
    }
    if (pid == 0) {
        /* Die with the pool: an orphaned run would store its result behind
         * a resumed sweep's back, and the resumed sweep would run it again. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        if (null_in >= 0)
            dup2(null_in, STDIN_FILENO);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        sigprocmask(SIG_SETMASK, child_mask, NULL);
        execv(job->argv[0], job->argv);
        dprintf(STDERR_FILENO, "mcusim: cannot run %s: %s\n", job->argv[0], strerror(errno));
        _exit(127);
    }
    close(fd);
    if (null_in >= 0)
        close(null_in);
    return pid;
}

static void signal_all(const struct slot *slots, int n, int sig)
{
    for (int i = 0; i < n; i++)
        kill(slots[i].pid, sig);
}

int pool_run(const struct pool_job *jobs, size_t n, const struct pool_options *opt, char *err, size_t errlen)
{
    int workers = opt->workers > 0 ? opt->workers : 1;
    struct slot *slots = calloc((size_t)workers, sizeof *slots);
    if (!slots) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    sigset_t wait_set, old_mask;
    sigemptyset(&wait_set);
    sigaddset(&wait_set, SIGCHLD);
    /* A signal the caller ignores (SIGHUP under nohup, SIGINT in a
     * background job of a script) must not stop the pool: a blocked
     * signal is delivered to sigtimedwait() even when ignored. */
    static const int stops[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
        struct sigaction cur;
        if (sigaction(stops[i], NULL, &cur) || cur.sa_handler != SIG_IGN)
            sigaddset(&wait_set, stops[i]);
    }
    /* SIGCHLD must not be ignored, or children are reaped behind our back. */
    struct sigaction dfl = {.sa_handler = SIG_DFL}, old_chld;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGCHLD, &dfl, &old_chld);
    sigprocmask(SIG_BLOCK, &wait_set, &old_mask);

    pid_t parent = getpid();
    double tick_s = opt->tick_s > 0 ? opt->tick_s : 1.0, last_tick = wall_time_s();
    size_t next = 0;
    int running = 0, interrupted = 0, rc = 0;
    bool killed = false;
    for (;;) {
        while (!interrupted && !rc && next < n && running < workers) {
            pid_t pid = spawn(&jobs[next], parent, &old_mask, err, errlen);
            if (pid < 0) {
                rc = -1; /* finish what runs, start nothing more */
                break;
            }
            slots[running++] = (struct slot){.pid = pid, .index = next++, .started = wall_time_s()};
        }
        if (!running)
            break;
        double wait = tick_s - (wall_time_s() - last_tick);
        if (wait < 0.01)
            wait = 0.01;
        struct timespec ts = {.tv_sec = (time_t)wait, .tv_nsec = (long)((wait - (double)(time_t)wait) * 1e9)};
        int sig = sigtimedwait(&wait_set, NULL, &ts);
        if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
            /* First signal: ask the runs to stop; a second: make them. */
            if (!interrupted) {
                interrupted = sig;
                signal_all(slots, running, SIGTERM);
            } else if (!killed) {
                killed = true;
                signal_all(slots, running, SIGKILL);
            }
        }
        for (int i = 0; i < running;) {
            int status;
            pid_t r = waitpid(slots[i].pid, &status, WNOHANG);
            if (r == 0 || (r < 0 && errno == EINTR)) {
                i++;
                continue;
            }
            struct pool_result res = {.exit_status = -1, .seconds = wall_time_s() - slots[i].started};
            if (r > 0 && WIFEXITED(status))
                res.exit_status = WEXITSTATUS(status);
            else if (r > 0 && WIFSIGNALED(status))
                res.term_signal = WTERMSIG(status);
            res.stopped = interrupted && res.term_signal;
            if (opt->done)
                opt->done(opt->ctx, slots[i].index, &res);
            slots[i] = slots[--running];
        }
        if (opt->tick && wall_time_s() - last_tick >= tick_s) {
            last_tick = wall_time_s();
            opt->tick(opt->ctx);
        }
    }
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    sigaction(SIGCHLD, &old_chld, NULL);
    free(slots);
    if (rc)
        return -1;
    return interrupted;
}
