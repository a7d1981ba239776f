/*
 * cmd_sweep.c — 'mcusim sweep MANIFEST': profiles every combination of
 * models, boards, kernel families and inputs a manifest names
 * (sweep_manifest.h), in parallel worker processes, into one database; or,
 * with --emit-jobs, writes one self-contained 'mcusim profile' command per
 * run for GNU parallel or a Slurm array (docs/sweep.md).
 *
 * Each run is 'mcusim profile' in a process of its own (procpool.h, this
 * very binary through /proc/self/exe), so a crashing run cannot take the
 * sweep down, the runs a sweep stores are exactly the runs the emitted
 * jobs store, and the database sees ordinary concurrent writers (WAL, busy
 * timeout and retries in profiler/db.c).  Resume is by run key: a workload
 * whose measurement is already stored is not run again (see settled()).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <sha2.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "board.h"
#include "commands.h"
#include "db.h"
#include "exitcodes.h"
#include "procpool.h"
#include "runtime_images.h"
#include "sweep_manifest.h"
#include "wall_time.h"
#include "work_files.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mcusim sweep MANIFEST [options]\n\n"
            "Profiles every combination of the models, boards, runtimes with their kernel\n"
            "families, and inputs a manifest names (docs/sweep.md), in parallel worker\n"
            "processes, into one database.  'kernels = ref, opt' are mcusim's own runtime's;\n"
            "RUNTIME/FAMILY names another runtime's ('kernels = opt, tflm/cmsis-nn'), a runtime\n"
            "alone its default family.  Tags may use {model} {board} {runtime} {kernels} {input}.\n"
            "Workloads whose run is already stored (same firmware, model, input, board, runtime\n"
            "and kernels) are skipped, so an interrupted sweep resumes where it stopped.\n\n"
            "options:\n"
            "  -j, --jobs N          worker processes (default: the CPUs this process may use)\n"
            "      --db FILE         run database (default: mcusim.db)\n"
            "      --work-dir DIR    synthesized models and run logs (default: DB.d)\n"
            "      --retry-failed    run again workloads whose stored run faulted or failed\n"
            "                        (limit runs are always run again; ok and nofit never)\n"
            "      --emit-jobs FILE  run nothing: write one self-contained shell command per run\n"
            "                        still missing, for GNU parallel or a Slurm array\n"
            "      --jobs-dir DIR    with --emit-jobs: where each job writes its own database\n"
            "                        (default: WORK-DIR/jobs); merge them with 'mcusim db merge'\n"
            "  -n, --dry-run         list the workloads and what would run; run nothing\n"
            "  -q, --quiet           no progress lines, only the summary\n"
            "  -h, --help            this help\n\n"
            "exit status: 0 every workload has an ok run (or does not fit its board: nofit is a\n"
            "  result), 1 some workload's run faulted, hit a limit or failed, 2 bad manifest or\n"
            "  arguments, 5 internal error (database, processes), 128+N interrupted by signal N\n");
}

/* A board of the manifest, resolved: its name, its file, and the runtime
 * firmware for each kernel family. */
struct board_info {
    char name[64];
    char path[PATH_MAX];
    char fw[SWEEP_MAX_KERNELS][PATH_MAX];
    char fw_sha[SWEEP_MAX_KERNELS][65];
};

enum plan { PLAN_RUN, PLAN_SKIP };

struct workload {
    struct sweep_model *model;
    struct sweep_input *input;
    int board, kernels;
    char tag[SWEEP_TAG_LEN];
    char key[65];
    char name[256];             /* model.board.kernels.input: log and job file names */
    unsigned stored;            /* DB_STATUS_* of runs already stored */
    enum plan plan;
    const char *outcome;        /* ok, fault, limit, error, nofit; NULL: not run (interrupted) */
    char diagnostic[512];
    char log[PATH_MAX];
};

struct sweep {
    struct sweep_manifest m;
    const char *db_path;
    char db_abs[PATH_MAX];
    char work_dir[PATH_MAX];
    char jobs_dir[PATH_MAX];
    char self[PATH_MAX];        /* this binary, for emitted jobs */
    char self_sha[65];
    int workers;
    bool retry_failed, quiet, tty;
    struct board_info *boards;
    int n_boards;
    struct workload *w;
    int n_w;
    /* progress */
    int total, done, failed;
    double started;
    struct workload **running_list; /* pool index -> workload */
};

/* Error messages may be cut short; paths are checked where they are made. */
__attribute__((format(printf, 3, 4))) static void errmsg(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Builds a path; -1 when it does not fit (a path cut short would name
 * another file). */
__attribute__((format(printf, 3, 4))) static int pathf(char *out, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, len, fmt, ap);
    va_end(ap);
    return n >= 0 && (size_t)n < len ? 0 : -1;
}

/* ---- resolving the manifest: boards, firmware, models, inputs ---- */

static int resolve_boards(struct sweep *s, char *err, size_t errlen)
{
    s->boards = calloc((size_t)s->m.n_boards, sizeof *s->boards);
    if (!s->boards) {
        errmsg(err, errlen, "out of memory");
        return EXIT_INTERNAL;
    }
    for (int i = 0; i < s->m.n_boards; i++) {
        struct board b;
        char why[768];
        const struct sweep_board *sb = &s->m.boards[i];
        if (board_find(sb->arg, &b, why, sizeof why)) {
            errmsg(err, errlen, "%s:%d: %s", s->m.path, sb->line, why);
            return EXIT_BAD_INPUT;
        }
        struct board_info *bi = &s->boards[s->n_boards];
        snprintf(bi->name, sizeof bi->name, "%s", b.name);
        if (!realpath(b.path, bi->path))
            snprintf(bi->path, sizeof bi->path, "%s", b.path);
        for (int k = 0; k < s->n_boards; k++)
            if (!strcmp(s->boards[k].name, bi->name)) {
                errmsg(err, errlen, "%s:%d: board '%s' is listed twice (as '%s')", s->m.path, sb->line, bi->name,
                         s->m.boards[k].arg);
                return EXIT_BAD_INPUT;
            }
        for (int k = 0; k < s->m.n_kernels; k++) {
            char fw[PATH_MAX], why[1024];
            if (runtime_image_path(runtime_image_find(s->m.runtimes[k], s->m.kernels[k]), bi->name, fw, sizeof fw,
                                   why, sizeof why)) {
                errmsg(err, errlen, "%s:%d: %s", s->m.path, sb->line, why);
                return EXIT_BAD_INPUT;
            }
            if (!realpath(fw, bi->fw[k]) || !SHA256File(bi->fw[k], bi->fw_sha[k])) {
                errmsg(err, errlen, "%s: cannot read: %s", fw, strerror(errno));
                return EXIT_BAD_INPUT;
            }
        }
        s->n_boards++;
    }
    return 0;
}

static void announce_builds(void *p, int to_build)
{
    const struct sweep *s = p;
    if (to_build && !s->quiet)
        fprintf(stderr, "sweep: synthesizing %d model%s\n", to_build, to_build == 1 ? "" : "s");
}

/* Synthesizes the spec models into WORK/models/NAME.tflite, in parallel,
 * reusing what is there (work_files.h: the model cache). */
static int synthesize_models(struct sweep *s, char *err, size_t errlen)
{
    char dir[PATH_MAX + 16];
    pathf(dir, sizeof dir, "%s/models", s->work_dir);
    if (mkdir_p(dir, err, errlen))
        return EXIT_INTERNAL;
    int n = s->m.n_models, n_builds = 0, rc = 0;
    struct model_build *builds = calloc((size_t)n + 1, sizeof *builds);
    int *which = calloc((size_t)n + 1, sizeof *which);
    if (!builds || !which) {
        errmsg(err, errlen, "out of memory");
        rc = EXIT_INTERNAL;
        goto out;
    }
    for (int i = 0; i < n; i++) {
        struct sweep_model *model = &s->m.models[i];
        if (!model->spec)
            continue;
        char path[PATH_MAX + 128];
        pathf(path, sizeof path, "%s/%s.tflite", dir, model->name);
        if (!(model->path = strdup(path))) {
            errmsg(err, errlen, "out of memory");
            rc = EXIT_INTERNAL;
            goto out;
        }
        builds[n_builds] = (struct model_build){.spec = model->spec, .path = model->path, .line = model->line};
        which[n_builds++] = i;
    }
    int brc = model_cache_build(builds, n_builds, s->m.seed, s->self_sha, s->workers, announce_builds, s, err,
                                errlen);
    if (brc < 0 || brc > 1) {
        rc = brc < 0 ? EXIT_INTERNAL : brc;
        goto out;
    }
    for (int j = 0; j < n_builds; j++) {
        if (!builds[j].status)
            continue;
        struct sweep_model *model = &s->m.models[which[j]];
        errmsg(err, errlen, "%s:%d: model '%s': %s", s->m.path, model->line, model->name, builds[j].why);
        rc = builds[j].status == EXIT_BAD_INPUT ? EXIT_BAD_INPUT : EXIT_INTERNAL;
        goto out;
    }
    for (int i = 0; i < n; i++) {
        struct sweep_model *model = &s->m.models[i];
        if (!SHA256File(model->path, model->sha256)) {
            errmsg(err, errlen, "%s: cannot read: %s", model->path, strerror(errno));
            rc = EXIT_BAD_INPUT;
            goto out;
        }
    }
out:
    free(builds);
    free(which);
    return rc;
}

static int hash_inputs(struct sweep_input_list *l, char *err, size_t errlen)
{
    for (int i = 0; i < l->n; i++) {
        struct sweep_input *in = &l->items[i];
        if (in->path && !SHA256File(in->path, in->sha256)) {
            errmsg(err, errlen, "%s: cannot read: %s", in->path, strerror(errno));
            return EXIT_BAD_INPUT;
        }
    }
    return 0;
}

/* ---- the workloads ---- */

static int expand(struct sweep *s, char *err, size_t errlen)
{
    int total = 0;
    for (int i = 0; i < s->m.n_models; i++)
        total += sweep_model_inputs(&s->m, &s->m.models[i])->n * s->n_boards * s->m.n_kernels;
    s->w = calloc((size_t)total, sizeof *s->w);
    if (!s->w) {
        errmsg(err, errlen, "out of memory");
        return EXIT_INTERNAL;
    }
    for (int i = 0; i < s->m.n_models; i++) {
        struct sweep_model *model = &s->m.models[i];
        struct sweep_input_list *inputs = (struct sweep_input_list *)sweep_model_inputs(&s->m, model);
        for (int in = 0; in < inputs->n; in++)
            for (int b = 0; b < s->n_boards; b++)
                for (int k = 0; k < s->m.n_kernels; k++) {
                    struct workload *w = &s->w[s->n_w++];
                    w->model = model;
                    w->input = &inputs->items[in];
                    w->board = b;
                    w->kernels = k;
                    const char *board = s->boards[b].name, *kernels = s->m.kernels[k];
                    const char *runtime = s->m.runtimes[k];
                    if (sweep_tag(&s->m, model->name, board, runtime, kernels, w->input->name, w->tag,
                                  sizeof w->tag)) {
                        errmsg(err, errlen, "%s:%d: the tag of %s/%s/%s/%s/%s is longer than %d characters",
                                 s->m.path, s->m.tag_line, model->name, board, runtime, kernels, w->input->name,
                                 SWEEP_TAG_LEN - 1);
                        return EXIT_BAD_INPUT;
                    }
                    /* The key profile will store: db_run_key() of the
                     * identity fields the session fills in (session.c). */
                    struct prof_run id;
                    memset(&id, 0, sizeof id);
                    snprintf(id.firmware_sha256, sizeof id.firmware_sha256, "%s", s->boards[b].fw_sha[k]);
                    snprintf(id.model_sha256, sizeof id.model_sha256, "%s", model->sha256);
                    snprintf(id.input_sha256, sizeof id.input_sha256, "%s", w->input->sha256);
                    snprintf(id.board, sizeof id.board, "%s", board);
                    snprintf(id.runtime, sizeof id.runtime, "%s", runtime);
                    snprintf(id.kernels, sizeof id.kernels, "%s", kernels);
                    db_run_key(&id, w->key);
                    char tb[64], flavor[40];
                    name_tame(board, tb, sizeof tb);
                    /* The own runtime's names stay as they were before there
                     * were runtimes to choose from. */
                    if (strcmp(runtime, RUNTIME_DEFAULT))
                        snprintf(flavor, sizeof flavor, "%s-%s", runtime, kernels);
                    else
                        snprintf(flavor, sizeof flavor, "%s", kernels);
                    snprintf(w->name, sizeof w->name, "%s.%s.%s.%s", model->name, tb, flavor, w->input->name);
                }
    }
    return 0;
}

/* Is the stored outcome final?  The run key pins down everything the
 * simulation depends on (firmware, model, input, board, runtime, kernels)
 * and the
 * simulator is deterministic, so ok, nofit, fault and error (the firmware
 * refused the model or the input) come out the same when run again; a
 * different model or input is a different key anyway.  limit is not final:
 * it depends on what the key does not cover, the instruction limit (the
 * manifest may have raised it) and wall-clock time under the host's load.
 * --retry-failed runs everything but ok and nofit again (after a fix to
 * mcusim itself, say). */
static bool settled(unsigned stored, bool retry_failed)
{
    if (stored & (DB_STATUS_OK | DB_STATUS_NOFIT))
        return true;
    return !retry_failed && (stored & (DB_STATUS_FAULT | DB_STATUS_ERROR));
}

/* The outcome that settled() went by. */
static const char *stored_outcome(unsigned stored)
{
    if (stored & DB_STATUS_OK)
        return "ok";
    if (stored & DB_STATUS_NOFIT)
        return "nofit";
    if (stored & DB_STATUS_FAULT)
        return "fault";
    if (stored & DB_STATUS_ERROR)
        return "error";
    return stored ? "limit" : NULL;
}

/* Looks up what is stored for every workload in one database. */
static int lookup(struct sweep *s, sqlite3 *db, char *err, size_t errlen)
{
    for (int i = 0; i < s->n_w; i++) {
        unsigned st;
        if (db_run_key_statuses(db, s->w[i].key, &st, err, errlen))
            return EXIT_INTERNAL;
        s->w[i].stored |= st;
    }
    return 0;
}

static int open_db_status(const char *path, bool writable, sqlite3 **db, char *err, size_t errlen)
{
    *db = db_open(path, writable, err, errlen);
    if (*db)
        return 0;
    /* A file that is not a (readable) mcusim database is bad input; a
     * database that cannot be written is an internal error. */
    char why[256];
    return access(path, F_OK) == 0 && db_check(path, why, sizeof why) ? EXIT_BAD_INPUT : EXIT_INTERNAL;
}

/* ---- job commands ---- */

/* The profile command for one workload: argv (malloc'd, strings point into
 * the sweep and into bufs). */
struct job_args {
    char *argv[32];
    char max_insns[24], timeout[32];
};

static void job_argv(const struct sweep *s, const struct workload *w, const char *exe, const char *db,
                     struct job_args *a)
{
    int n = 0;
    const struct board_info *b = &s->boards[w->board];
    a->argv[n++] = (char *)exe;
    a->argv[n++] = "profile";
    a->argv[n++] = w->model->path;
    a->argv[n++] = "--board";
    a->argv[n++] = (char *)b->path;
    a->argv[n++] = "--runtime";
    a->argv[n++] = (char *)s->m.runtimes[w->kernels];
    a->argv[n++] = "--kernels";
    a->argv[n++] = (char *)s->m.kernels[w->kernels];
    a->argv[n++] = "--firmware";
    a->argv[n++] = (char *)b->fw[w->kernels];
    if (w->input->path) {
        a->argv[n++] = "--input";
        a->argv[n++] = w->input->path;
    }
    a->argv[n++] = "--db";
    a->argv[n++] = (char *)db;
    a->argv[n++] = "--tag";
    a->argv[n++] = (char *)w->tag;
    if (s->m.max_instructions) {
        snprintf(a->max_insns, sizeof a->max_insns, "%llu", (unsigned long long)s->m.max_instructions);
        a->argv[n++] = "--max-instructions";
        a->argv[n++] = a->max_insns;
    }
    if (s->m.timeout_s > 0) {
        snprintf(a->timeout, sizeof a->timeout, "%g", s->m.timeout_s);
        a->argv[n++] = "--timeout";
        a->argv[n++] = a->timeout;
    }
    a->argv[n++] = "-q";
    a->argv[n] = NULL;
}

/* POSIX shell quoting: 'text', with ' as '\''. */
static void put_quoted(FILE *f, const char *s)
{
    bool plain = *s != '\0';
    for (const char *p = s; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%", *p))
            plain = false;
    if (plain) {
        fputs(s, f);
        return;
    }
    fputc('\'', f);
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            fputs("'\\''", f);
        else
            fputc(*p, f);
    }
    fputc('\'', f);
}

static void job_db_path(const struct sweep *s, const struct workload *w, char *out, size_t len)
{
    pathf(out, len, "%s/%s.db", s->jobs_dir, w->name);
}

static int emit_jobs(struct sweep *s, const char *path, int *emitted, char *err, size_t errlen)
{
    char tmp[PATH_MAX + 16];
    pathf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        errmsg(err, errlen, "%s: cannot write: %s", tmp, strerror(errno));
        return EXIT_INTERNAL;
    }
    *emitted = 0;
    for (int i = 0; i < s->n_w; i++) {
        struct workload *w = &s->w[i];
        if (w->plan != PLAN_RUN)
            continue;
        char db[PATH_MAX + 300];
        job_db_path(s, w, db, sizeof db);
        struct job_args a;
        job_argv(s, w, s->self, db, &a);
        for (int k = 0; a.argv[k]; k++) {
            if (k)
                fputc(' ', f);
            put_quoted(f, a.argv[k]);
        }
        fputc('\n', f);
        (*emitted)++;
    }
    if (fclose(f) || rename(tmp, path)) {
        errmsg(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        unlink(tmp);
        return EXIT_INTERNAL;
    }
    return 0;
}

/* ---- running ---- */

static void format_duration(double s, char *out, size_t len)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(out, len, "%ldh%02ldm", t / 3600, t / 60 % 60);
    else if (t >= 60)
        snprintf(out, len, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(out, len, "%lds", t);
}

static void progress_text(const struct sweep *s, char *out, size_t len)
{
    double elapsed = wall_time_s() - s->started;
    double rate = elapsed > 0 ? s->done / elapsed : 0;
    char eta[32] = "-";
    if (s->done && s->done < s->total)
        format_duration((s->total - s->done) / rate, eta, sizeof eta);
    else if (s->done == s->total)
        snprintf(eta, sizeof eta, "0s");
    snprintf(out, len, "%.2f runs/s, ETA %s, %d failed", rate, eta, s->failed);
}

static void on_tick(void *p)
{
    struct sweep *s = p;
    if (s->quiet || !s->tty)
        return;
    char text[256];
    progress_text(s, text, sizeof text);
    fprintf(stderr, "\r\033[Ksweep: %d/%d runs, %s", s->done, s->total, text);
    fflush(stderr);
}

static const char *outcome_of(int exit_status)
{
    switch (exit_status) {
    case 0: return "ok";
    case EXIT_FAULT: return "fault";
    case EXIT_LIMIT: return "limit";
    case EXIT_NO_FIT: return "nofit";
    default: return "error";
    }
}

static void on_done(void *p, size_t index, const struct pool_result *r)
{
    struct sweep *s = p;
    struct workload *w = s->running_list[index];
    if (r->stopped) {
        /* Stopped by the interrupt: not run, and the resume runs it. */
        w->outcome = NULL;
        return;
    }
    w->outcome = r->term_signal ? "error" : outcome_of(r->exit_status);
    if (strcmp(w->outcome, "ok")) {
        log_last_line(w->log, w->diagnostic, sizeof w->diagnostic);
        /* profile -q says "[MODEL: ]STATUS: diagnostic"; the status and
         * the workload are shown apart. */
        char marker[24];
        snprintf(marker, sizeof marker, "%s: ", w->outcome);
        char *d = strstr(w->diagnostic, marker);
        if (d)
            memmove(w->diagnostic, d + strlen(marker), strlen(d + strlen(marker)) + 1);
        if (r->term_signal)
            snprintf(w->diagnostic, sizeof w->diagnostic, "killed by signal %d (%s)", r->term_signal,
                     strsignal(r->term_signal));
        else if (!w->diagnostic[0])
            snprintf(w->diagnostic, sizeof w->diagnostic, "exit status %d", r->exit_status);
    }
    s->done++;
    if (strcmp(w->outcome, "ok") && strcmp(w->outcome, "nofit"))
        s->failed++;
    if (s->quiet)
        return;
    char text[256];
    progress_text(s, text, sizeof text);
    if (s->tty) {
        /* Failures stay on the screen; the progress line is redrawn below. */
        if (strcmp(w->outcome, "ok"))
            fprintf(stderr, "\r\033[Ksweep: %-5s %s: %s\n", w->outcome, w->tag, w->diagnostic);
        fprintf(stderr, "\r\033[Ksweep: %d/%d runs, %s", s->done, s->total, text);
        fflush(stderr);
    } else {
        fprintf(stderr, "sweep: %d/%d %-5s %s (%.2f s); %s\n", s->done, s->total, w->outcome, w->tag, r->seconds,
                text);
    }
}

static int run_workloads(struct sweep *s, int *interrupted, char *err, size_t errlen)
{
    char logs[PATH_MAX + 16];
    pathf(logs, sizeof logs, "%s/logs", s->work_dir);
    if (mkdir_p(logs, err, errlen))
        return EXIT_INTERNAL;
    struct pool_job *jobs = calloc((size_t)s->n_w + 1, sizeof *jobs);
    struct job_args *args = calloc((size_t)s->n_w + 1, sizeof *args);
    s->running_list = calloc((size_t)s->n_w + 1, sizeof *s->running_list);
    if (!jobs || !args || !s->running_list) {
        free(jobs);
        free(args);
        errmsg(err, errlen, "out of memory");
        return EXIT_INTERNAL;
    }
    int n = 0;
    for (int i = 0; i < s->n_w; i++) {
        struct workload *w = &s->w[i];
        if (w->plan != PLAN_RUN)
            continue;
        pathf(w->log, sizeof w->log, "%s/%s.log", logs, w->name);
        /* /proc/self/exe: the children run this very binary, even if the
         * file is rebuilt while the sweep runs. */
        job_argv(s, w, "/proc/self/exe", s->db_abs, &args[n]);
        jobs[n] = (struct pool_job){.argv = args[n].argv, .log_path = w->log};
        s->running_list[n] = w;
        n++;
    }
    s->total = n;
    s->started = wall_time_s();
    struct pool_options po = {.workers = s->workers, .done = on_done, .tick = on_tick, .tick_s = 1.0, .ctx = s};
    int rc = pool_run(jobs, (size_t)n, &po, err, errlen);
    if (!s->quiet && s->tty && n)
        fprintf(stderr, "\r\033[K");
    free(jobs);
    free(args);
    if (rc < 0)
        return EXIT_INTERNAL;
    *interrupted = rc;
    return 0;
}

static int summarize(struct sweep *s, int interrupted)
{
    int ran = 0, skipped = 0, not_run = 0, bad = 0;
    int counts[5] = {0};
    static const char *const names[] = {"ok", "nofit", "fault", "limit", "error"};
    for (int i = 0; i < s->n_w; i++) {
        struct workload *w = &s->w[i];
        if (w->plan == PLAN_SKIP)
            skipped++;
        else if (w->outcome)
            ran++;
        else
            not_run++;
        const char *o = w->outcome;
        for (int k = 0; o && k < 5; k++)
            if (!strcmp(o, names[k]))
                counts[k]++;
        if (o && strcmp(o, "ok") && strcmp(o, "nofit"))
            bad++;
    }
    double elapsed = wall_time_s() - s->started;
    printf("sweep: %d workloads: %d run now, %d already in %s", s->n_w, ran, skipped, s->db_path);
    if (not_run)
        printf(", %d not run", not_run);
    printf("; outcomes:");
    bool any = false;
    for (int k = 0; k < 5; k++)
        if (counts[k]) {
            printf("%s %d %s", any ? "," : "", counts[k], names[k]);
            any = true;
        }
    if (!any)
        printf(" none");
    if (ran)
        printf(" (%.1f s, %.2f runs/s with %d worker%s)", elapsed, elapsed > 0 ? ran / elapsed : 0, s->workers,
               s->workers == 1 ? "" : "s");
    printf("\n");
    for (int i = 0; i < s->n_w; i++) {
        struct workload *w = &s->w[i];
        if (!w->outcome || !strcmp(w->outcome, "ok"))
            continue;
        if (w->plan == PLAN_SKIP)
            printf("  %-5s %s (stored earlier%s)\n", w->outcome, w->tag,
                   strcmp(w->outcome, "nofit") ? "; --retry-failed runs it again" : "");
        else
            printf("  %-5s %s: %s (log: %s)\n", w->outcome, w->tag, w->diagnostic, w->log);
    }
    fflush(stdout);
    if (interrupted) {
        const char *name = interrupted == SIGINT ? "SIGINT" : interrupted == SIGTERM ? "SIGTERM"
                         : interrupted == SIGHUP ? "SIGHUP" : "a signal";
        fprintf(stderr, "sweep: interrupted by %s: %d of %d runs done; the same command resumes the sweep\n",
                name, ran, ran + not_run);
        return 128 + interrupted;
    }
    return bad ? EXIT_ANSWER_NO : 0;
}

static void sweep_free(struct sweep *s)
{
    sweep_manifest_free(&s->m);
    free(s->boards);
    free(s->w);
    free(s->running_list);
}

static int parse_workers(const char *text, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || *end || v < 1 || v > 4096)
        return -1;
    *out = (int)v;
    return 0;
}

int cmd_sweep(int argc, char **argv)
{
    struct sweep s;
    memset(&s, 0, sizeof s);
    s.db_path = "mcusim.db";
    s.workers = pool_cpu_count();
    const char *work_dir = NULL, *emit = NULL, *jobs_dir = NULL;
    bool dry_run = false;
    static const struct option opts[] = {
        {"jobs", required_argument, 0, 'j'},
        {"db", required_argument, 0, 'D'},
        {"work-dir", required_argument, 0, 'W'},
        {"retry-failed", no_argument, 0, 'R'},
        {"emit-jobs", required_argument, 0, 'E'},
        {"jobs-dir", required_argument, 0, 'J'},
        {"dry-run", no_argument, 0, 'n'},
        {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "j:nqh", opts, NULL)) != -1) {
        switch (c) {
        case 'j':
            if (parse_workers(optarg, &s.workers)) {
                fprintf(stderr, "mcusim sweep: -j wants a number of workers from 1, not '%s'\n", optarg);
                return EXIT_BAD_INPUT;
            }
            break;
        case 'D': s.db_path = optarg; break;
        case 'W': work_dir = optarg; break;
        case 'R': s.retry_failed = true; break;
        case 'E': emit = optarg; break;
        case 'J': jobs_dir = optarg; break;
        case 'n': dry_run = true; break;
        case 'q': s.quiet = true; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return EXIT_BAD_INPUT;
        }
    }
    if (optind != argc - 1) {
        usage(stderr);
        return EXIT_BAD_INPUT;
    }
    if (jobs_dir && !emit) {
        fprintf(stderr, "mcusim sweep: --jobs-dir goes with --emit-jobs\n");
        return EXIT_BAD_INPUT;
    }
    s.tty = isatty(STDERR_FILENO);
    char err[2048] = "";
    int rc;
    if (sweep_manifest_load(argv[optind], &s.m, err, sizeof err)) {
        fprintf(stderr, "mcusim sweep: %s\n", err);
        return EXIT_BAD_INPUT;
    }
    char wd[PATH_MAX + 8];
    if (work_dir)
        pathf(wd, sizeof wd, "%s", work_dir);
    else
        pathf(wd, sizeof wd, "%s.d", s.db_path);
    /* Room for the file names made under them (checked once, here). */
    if (path_absolute(wd, s.work_dir, sizeof s.work_dir - 320) ||
        (jobs_dir ? path_absolute(jobs_dir, s.jobs_dir, sizeof s.jobs_dir - 320)
                  : pathf(s.jobs_dir, sizeof s.jobs_dir - 320, "%s/jobs", s.work_dir)) ||
        path_absolute(s.db_path, s.db_abs, sizeof s.db_abs)) {
        fprintf(stderr, "mcusim sweep: the --db, --work-dir or --jobs-dir path is too long\n");
        sweep_manifest_free(&s.m);
        return EXIT_BAD_INPUT;
    }
    ssize_t len = readlink("/proc/self/exe", s.self, sizeof s.self - 1);
    if (len <= 0 || !SHA256File("/proc/self/exe", s.self_sha)) {
        fprintf(stderr, "mcusim sweep: cannot find its own binary (/proc/self/exe): %s\n", strerror(errno));
        sweep_free(&s);
        return EXIT_INTERNAL;
    }
    s.self[len] = '\0';

    /* Nothing is written before the manifest's boards and firmware check out. */
    if ((rc = resolve_boards(&s, err, sizeof err)) || (rc = mkdir_p(s.work_dir, err, sizeof err) ? EXIT_INTERNAL : 0))
        goto fail;
    /* The database next: a bad --db is reported before minutes of synthesis. */
    sqlite3 *db = NULL;
    bool have_db = !(emit || dry_run) || access(s.db_path, F_OK) == 0;
    if (have_db && (rc = open_db_status(s.db_path, !(emit || dry_run), &db, err, sizeof err)))
        goto fail;
    if (db)
        db_close(db);
    db = NULL;
    if ((rc = synthesize_models(&s, err, sizeof err)) || (rc = hash_inputs(&s.m.inputs, err, sizeof err)))
        goto fail;
    for (int i = 0; i < s.m.n_models; i++)
        if (s.m.models[i].own_inputs && (rc = hash_inputs(&s.m.models[i].inputs, err, sizeof err)))
            goto fail;
    if ((rc = expand(&s, err, sizeof err)))
        goto fail;

    if (have_db) {
        if ((rc = open_db_status(s.db_path, false, &db, err, sizeof err)) || (rc = lookup(&s, db, err, sizeof err))) {
            if (db)
                db_close(db);
            goto fail;
        }
        db_close(db);
    }
    if (emit) {
        /* A job whose own database already holds its run is done too: a
         * second --emit-jobs after a partial array emits only the rest. */
        for (int i = 0; i < s.n_w; i++) {
            char path[PATH_MAX + 300];
            job_db_path(&s, &s.w[i], path, sizeof path);
            if (settled(s.w[i].stored, s.retry_failed) || access(path, F_OK))
                continue;
            /* One that cannot be read (a job killed while creating it) is
             * not done: the job is emitted again. */
            unsigned st;
            char why[1024];
            if (!(db = db_open(path, false, why, sizeof why)) ||
                db_run_key_statuses(db, s.w[i].key, &st, why, sizeof why)) {
                fprintf(stderr, "mcusim sweep: %s (emitting the job again)\n", why);
                if (db)
                    db_close(db);
                continue;
            }
            db_close(db);
            s.w[i].stored |= st;
        }
    }
    int to_run = 0;
    for (int i = 0; i < s.n_w; i++) {
        struct workload *w = &s.w[i];
        w->plan = settled(w->stored, s.retry_failed) ? PLAN_SKIP : PLAN_RUN;
        if (w->plan == PLAN_SKIP)
            w->outcome = stored_outcome(w->stored);
        to_run += w->plan == PLAN_RUN;
    }

    if (dry_run) {
        for (int i = 0; i < s.n_w; i++) {
            struct workload *w = &s.w[i];
            const char *was = stored_outcome(w->stored);
            if (w->plan == PLAN_RUN)
                printf("run   %s%s%s%s\n", w->tag, was ? " (stored: " : "", was ? was : "", was ? ")" : "");
            else
                printf("skip  %s (stored: %s)\n", w->tag, was);
        }
        printf("sweep: %d workloads, %d to run, %d already in %s\n", s.n_w, to_run, s.n_w - to_run, s.db_path);
        sweep_free(&s);
        return 0;
    }
    if (emit) {
        int emitted;
        if (to_run && (rc = mkdir_p(s.jobs_dir, err, sizeof err) ? EXIT_INTERNAL : 0))
            goto fail;
        if ((rc = emit_jobs(&s, emit, &emitted, err, sizeof err)))
            goto fail;
        printf("sweep: wrote %d job%s to %s (%d of %d workloads already stored are left out); each job writes "
               "its own database in %s/; then: mcusim db merge %s %s\n",
               emitted, emitted == 1 ? "" : "s", emit, s.n_w - emitted, s.n_w, s.jobs_dir, s.db_path, s.jobs_dir);
        sweep_free(&s);
        return 0;
    }

    if (!s.quiet)
        fprintf(stderr, "sweep: %d workloads, %d to run with %d worker%s, %d already in %s\n", s.n_w, to_run,
                s.workers, s.workers == 1 ? "" : "s", s.n_w - to_run, s.db_path);
    int interrupted = 0;
    if ((rc = run_workloads(&s, &interrupted, err, sizeof err)))
        goto fail;
    rc = summarize(&s, interrupted);
    sweep_free(&s);
    return rc;
fail:
    fprintf(stderr, "mcusim sweep: %s\n", err);
    sweep_free(&s);
    return rc;
}
