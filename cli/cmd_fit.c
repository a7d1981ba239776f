/*
 * cmd_fit.c — 'mcusim fit': which variants of a model fit a board, and
 * which is the largest within every budget.
 *
 * The search, step by step:
 *   1. the variants: a spec with ranges or lists (modelgen/spec_set.h),
 *      or .tflite files;
 *   2. every spec variant is sized from its shapes (modelgen_size: MACs,
 *      parameters, file bytes, the least arena its activations need), and
 *      one that cannot fit flash or RAM on any board is never built;
 *   3. the others are synthesized once into the work directory
 *      (work_files.h), and each is judged on every board and kernel family
 *      with the firmware's own plan (profiler/fit_verdict.h);
 *   4. those within the flash and RAM limits are profiled, in parallel
 *      worker processes running 'mcusim profile' (like 'sweep'), into the
 *      run database; a run already stored for the same firmware, model and
 *      board is not run again, so an interrupted search resumes;
 *   5. the table is judged against the budgets (reports/fit_table.h) and
 *      written in the chosen format (reports/fit_render.h).
 * Exit status: 0 when some variant fits within every budget, 1 when none
 * does.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <sha2.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board.h"
#include "commands.h"
#include "db.h"
#include "exitcodes.h"
#include "fit_render.h"
#include "fit_table.h"
#include "fit_verdict.h"
#include "metrics.h"
#include "modelgen.h"
#include "procpool.h"
#include "rundata.h"
#include "runtime_images.h"
#include "spec_set.h"
#include "wall_time.h"
#include "work_files.h"

#define FIT_MAX_VARIANTS 256
#define FIT_MAX_BOARDS 8

static void usage(FILE *out)
{
    char kernels[64];
    runtime_kernels_text(RUNTIME_DEFAULT, ", ", " and ", kernels, sizeof kernels);
    fprintf(out,
            "usage: mcusim fit VARIANTS... [--board NAME]... [budgets] [options]\n\n"
            "Finds which variants of a model fit a board and which is the largest (by MACs)\n"
            "within every budget.  Every variant is judged first without simulating (flash:\n"
            "the runtime image and the model; RAM: static data, the arena the firmware plans,\n"
            "the stack); only those within the flash and RAM limits are profiled, in parallel,\n"
            "into the run database (a run already stored is not run again).  Prints per board:\n"
            "MACs, parameters, flash, RAM, cycles, ms, energy, the verdict and the binding\n"
            "constraint, '*' on the largest within every budget.\n\n"
            "VARIANTS are a model spec with ranges or lists of values, or .tflite files:\n"
            "  mobilenet:alpha=0.25..1.0,res=96..224    ranges: lo..hi[..step], both ends\n"
            "                                           included; step 0.25 for fractions,\n"
            "                                           32 for sizes, 1 for integers\n"
            "  mobilenet:alpha=0.25/0.5,res=128/160     lists, separated by '/'\n"
            "  a.tflite b.tflite                        files\n"
            "  (keys: 'mcusim model build --help'; at most %d variants)\n\n"
            "boards and budgets:\n"
            "  -b, --board NAME|FILE      a board; repeat, or separate with ',' (default nano33ble)\n"
            "  -k, --kernels LIST         kernel families, e.g. ref,opt (default ref; there are %s)\n"
            "      --max-ram-kb KB        RAM the model's firmware may use (default: the board's)\n"
            "      --max-flash-kb KB      flash it may use (default: the board's)\n"
            "      --ram-headroom-kb KB   RAM the application keeps for itself (taken off the board's)\n"
            "      --flash-headroom-kb KB flash the application keeps for itself\n"
            "      --max-latency-ms MS    latency of one inference\n"
            "      --max-energy-uj UJ     energy of one inference (estimate)\n\n"
            "options:\n"
            "  -j, --jobs N               worker processes (default: the CPUs this process may use)\n"
            "      --db FILE              run database (default: mcusim.db)\n"
            "      --work-dir DIR         synthesized models and run logs (default: DB.d)\n"
            "      --seed N               modelgen weight seed (default 1)\n"
            "      --static               judge without simulating: no cycles, ms or energy\n"
            "  -n, --max-instructions N   per run\n"
            "  -t, --timeout SECONDS      per run, host time\n"
            "  -f, --format NAME          text (default), md, csv, json or html\n"
            "      --json                 the same as --format json\n"
            "  -o, --output FILE          write there (the extension picks the format)\n"
            "  -q, --quiet                no progress lines\n"
            "  -h, --help                 this help\n\n"
            "exit status: 0 some variant fits within every budget, 1 none does, 2 bad input,\n"
            "  5 internal error, 128+N interrupted by signal N (the same command resumes)\n",
            FIT_MAX_VARIANTS, kernels);
}

/* A board of the search with what each kernel family's image leaves. */
struct fit_board_info {
    struct board board;
    char arg[PATH_MAX];                      /* for the worker's --board */
    struct image_room room[FIT_MAX_KERNELS];
    char fw_sha[FIT_MAX_KERNELS][65];
};

struct variant_info {
    bool from_spec;
    struct mg_sizing sizing;     /* from_spec */
    bool build;                  /* worth building: it may fit somewhere */
    char sha256[65];
};

/* One profile run to do or to read back. */
struct run_job {
    int row;
    char key[65];
    char tag[256];
    char log[PATH_MAX + 400];
    char *argv[24];
    char max_insns[24], timeout[32];
    const char *outcome;         /* set when it ends */
};

struct fit {
    struct fit_table t;
    struct fit_board_info *boards;
    struct variant_info *info;
    const char *db_path;
    char db_abs[PATH_MAX];
    char work_dir[PATH_MAX];
    char self_sha[65];
    uint64_t seed;
    int workers;
    bool static_only, quiet, tty;
    uint64_t max_instructions;
    double timeout_s;
    /* progress */
    int total, done, failed;
    double started;
    struct run_job *jobs;
};

__attribute__((format(printf, 3, 4))) static void errmsg(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static int parse_kb(const char *opt, const char *text, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end || !(v >= 0) || !isfinite(v)) {
        fprintf(stderr, "mcusim fit: %s wants a number of at least 0, not '%s'\n", opt, text);
        return -1;
    }
    *out = v;
    return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcasecmp(s + n - m, suffix);
}

/* ---- boards and kernel families ---- */

static int add_board(struct fit *f, const char *arg, char *err, size_t errlen)
{
    if (f->t.n_boards == FIT_MAX_BOARDS) {
        errmsg(err, errlen, "at most %d boards", FIT_MAX_BOARDS);
        return EXIT_BAD_INPUT;
    }
    struct fit_board_info *bi = &f->boards[f->t.n_boards];
    if (board_find(arg, &bi->board, err, errlen))
        return EXIT_BAD_INPUT;
    for (int i = 0; i < f->t.n_boards; i++)
        if (!strcmp(f->boards[i].board.name, bi->board.name)) {
            errmsg(err, errlen, "board '%s' is named twice", bi->board.name);
            return EXIT_BAD_INPUT;
        }
    if (!realpath(bi->board.path, bi->arg))
        snprintf(bi->arg, sizeof bi->arg, "%s", bi->board.path);
    struct fit_board *fb = &f->t.boards[f->t.n_boards];
    snprintf(fb->name, sizeof fb->name, "%s", bi->board.name);
    snprintf(fb->core, sizeof fb->core, "%s%s", core_name(bi->board.core), bi->board.core->fpu ? "f" : "");
    fb->clock_hz = bi->board.clock_hz;
    fb->flash_capacity = board_main_region(&bi->board, REGION_FLASH)->size;
    fb->ram_capacity = board_main_region(&bi->board, REGION_RAM)->size;
    fb->has_energy = bi->board.energy.present;
    f->t.n_boards++;
    return 0;
}

static int add_boards(struct fit *f, const char *list, char *err, size_t errlen)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *p = strtok(buf, ","); p; p = strtok(NULL, ",")) {
        int rc = add_board(f, p, err, errlen);
        if (rc)
            return rc;
    }
    return 0;
}

static int set_kernels(struct fit *f, const char *list, char *err, size_t errlen)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    f->t.n_kernels = 0;
    for (char *p = strtok(buf, ","); p; p = strtok(NULL, ",")) {
        if (!runtime_image_find(RUNTIME_DEFAULT, p)) {
            char known[64];
            runtime_kernels_text(RUNTIME_DEFAULT, ", ", " or ", known, sizeof known);
            errmsg(err, errlen, "--kernels: '%s' is not a kernel family (%s)", p, known);
            return EXIT_BAD_INPUT;
        }
        for (int k = 0; k < f->t.n_kernels; k++)
            if (!strcmp(f->t.kernels[k], p)) {
                errmsg(err, errlen, "--kernels: '%s' is named twice", p);
                return EXIT_BAD_INPUT;
            }
        if (f->t.n_kernels == FIT_MAX_KERNELS) {
            errmsg(err, errlen, "--kernels: at most %d families", FIT_MAX_KERNELS);
            return EXIT_BAD_INPUT;
        }
        snprintf(f->t.kernels[f->t.n_kernels++], sizeof f->t.kernels[0], "%s", p);
    }
    if (!f->t.n_kernels) {
        errmsg(err, errlen, "--kernels: no kernel family named");
        return EXIT_BAD_INPUT;
    }
    return 0;
}

/* The image of every board and kernel family: its room and its hash (the
 * run key's firmware). */
static int resolve_images(struct fit *f, char *err, size_t errlen)
{
    for (int b = 0; b < f->t.n_boards; b++)
        for (int k = 0; k < f->t.n_kernels; k++) {
            struct fit_board_info *bi = &f->boards[b];
            char path[PATH_MAX];
            if (image_room_find(&bi->board, f->t.kernels[k], &bi->room[k], err, errlen) ||
                runtime_image_path(runtime_image_find(RUNTIME_DEFAULT, f->t.kernels[k]), bi->board.name, path,
                                   sizeof path, err, errlen))
                return EXIT_BAD_INPUT;
            if (!SHA256File(path, bi->fw_sha[k])) {
                errmsg(err, errlen, "%s: cannot read: %s", path, strerror(errno));
                return EXIT_BAD_INPUT;
            }
        }
    return 0;
}

/* ---- variants ---- */

static int add_variant(struct fit *f, const char *label, const char *spec, const char *path, char *err,
                       size_t errlen)
{
    if (f->t.n_variants == FIT_MAX_VARIANTS) {
        errmsg(err, errlen, "more than %d variants", FIT_MAX_VARIANTS);
        return EXIT_BAD_INPUT;
    }
    int i = f->t.n_variants++;
    struct fit_variant *v = &f->t.variants[i];
    memset(v, 0, sizeof *v);
    memset(&f->info[i], 0, sizeof f->info[i]);
    snprintf(v->label, sizeof v->label, "%s", label);
    snprintf(v->spec, sizeof v->spec, "%s", spec ? spec : "");
    snprintf(v->path, sizeof v->path, "%s", path ? path : "");
    for (int k = 0; k < i; k++)
        if (!strcmp(f->t.variants[k].label, v->label)) {
            errmsg(err, errlen, "variant '%s' is named twice", v->label);
            return EXIT_BAD_INPUT;
        }
    return 0;
}

static int add_variants(struct fit *f, const char *arg, char *err, size_t errlen)
{
    if (ends_with(arg, ".tflite")) {
        const char *base = strrchr(arg, '/');
        return add_variant(f, base ? base + 1 : arg, NULL, arg, err, errlen);
    }
    struct mg_spec_set set;
    if (mg_spec_set_expand(arg, FIT_MAX_VARIANTS, &set, err, errlen))
        return EXIT_BAD_INPUT;
    int rc = 0;
    for (int i = 0; i < set.n && !rc; i++) {
        /* With several specs, a label is the whole spec: labels name one variant. */
        rc = add_variant(f, set.variants[i].label, set.variants[i].spec, NULL, err, errlen);
        if (!rc)
            f->info[f->t.n_variants - 1].from_spec = true;
    }
    mg_spec_set_free(&set);
    return rc;
}

/* A verdict from sizes alone: flash exact, the arena at least its
 * activations. */
static void sized_verdict(const struct fit *f, int v, int b, int k, struct fit_verdict *out)
{
    memset(out, 0, sizeof *out);
    out->room = f->boards[b].room[k];
    out->model_bytes = f->info[v].sizing.file_bytes;
    out->arena = f->info[v].sizing.peak_activation_bytes;
    fit_verdict_judge(out);
}

static bool within_memory(const struct fit *f, int b, uint64_t flash, uint64_t ram)
{
    return flash <= fit_flash_limit(&f->t, b) && ram <= fit_ram_limit(&f->t, b);
}

/* Step 2: size the spec variants; build only those that may fit. */
static int size_variants(struct fit *f, char *err, size_t errlen)
{
    for (int i = 0; i < f->t.n_variants; i++) {
        struct variant_info *in = &f->info[i];
        struct fit_variant *v = &f->t.variants[i];
        if (!in->from_spec) {
            in->build = false;
            continue;
        }
        if (modelgen_size(v->spec, f->seed, &in->sizing, err, errlen))
            return EXIT_BAD_INPUT;
        v->macs = in->sizing.macs;
        v->params = in->sizing.params;
        v->model_bytes = in->sizing.file_bytes;
        for (int b = 0; b < f->t.n_boards && !in->build; b++)
            for (int k = 0; k < f->t.n_kernels && !in->build; k++) {
                struct fit_verdict sv;
                sized_verdict(f, i, b, k, &sv);
                in->build = within_memory(f, b, sv.flash_needed, sv.ram_needed);
            }
    }
    return 0;
}

static void announce_builds(void *p, int to_build)
{
    const struct fit *f = p;
    if (to_build && !f->quiet)
        fprintf(stderr, "fit: synthesizing %d model%s\n", to_build, to_build == 1 ? "" : "s");
}

/* Step 3a: synthesize the variants worth building. */
static int build_variants(struct fit *f, char *err, size_t errlen)
{
    char dir[PATH_MAX + 16];
    snprintf(dir, sizeof dir, "%s/models", f->work_dir);
    if (mkdir_p(dir, err, errlen))
        return EXIT_INTERNAL;
    struct model_build *builds = calloc((size_t)f->t.n_variants + 1, sizeof *builds);
    int *which = calloc((size_t)f->t.n_variants + 1, sizeof *which);
    int n = 0, rc = 0;
    if (!builds || !which) {
        errmsg(err, errlen, "out of memory");
        rc = EXIT_INTERNAL;
        goto out;
    }
    for (int i = 0; i < f->t.n_variants; i++) {
        struct fit_variant *v = &f->t.variants[i];
        if (!f->info[i].build)
            continue;
        char name[MG_SPEC_LEN];
        name_tame(v->spec, name, sizeof name);
        if (snprintf(v->path, sizeof v->path, "%s/%s.tflite", dir, name) >= (int)sizeof v->path) {
            errmsg(err, errlen, "%s: the work directory's path is too long", dir);
            rc = EXIT_BAD_INPUT;
            goto out;
        }
        builds[n] = (struct model_build){.spec = v->spec, .path = v->path};
        which[n++] = i;
    }
    int brc = model_cache_build(builds, n, f->seed, f->self_sha, f->workers, announce_builds, f, err, errlen);
    if (brc < 0 || brc > 1) {
        rc = brc < 0 ? EXIT_INTERNAL : brc;
        goto out;
    }
    for (int j = 0; j < n; j++)
        if (builds[j].status) {
            errmsg(err, errlen, "%s: %s", f->t.variants[which[j]].spec, builds[j].why);
            rc = builds[j].status == EXIT_BAD_INPUT ? EXIT_BAD_INPUT : EXIT_INTERNAL;
            goto out;
        }
out:
    free(builds);
    free(which);
    return rc;
}

/* Step 3b: every variant on every board and kernel family, judged. */
static int judge_statically(struct fit *f, char *err, size_t errlen)
{
    int nr = f->t.n_variants * f->t.n_boards * f->t.n_kernels;
    if (!(f->t.rows = calloc((size_t)nr + 1, sizeof *f->t.rows))) {
        errmsg(err, errlen, "out of memory");
        return EXIT_INTERNAL;
    }
    for (int i = 0; i < f->t.n_variants; i++) {
        struct fit_variant *v = &f->t.variants[i];
        struct model_file m;
        bool have_file = v->path[0];
        if (have_file) {
            if (model_file_read(v->path, &m, err, errlen))
                return EXIT_BAD_INPUT;
            if (!SHA256File(v->path, f->info[i].sha256)) {
                errmsg(err, errlen, "%s: cannot read: %s", v->path, strerror(errno));
                model_file_free(&m);
                return EXIT_BAD_INPUT;
            }
            v->model_bytes = m.len;
        }
        for (int b = 0; b < f->t.n_boards; b++)
            for (int k = 0; k < f->t.n_kernels; k++) {
                struct fit_row *r = &f->t.rows[f->t.n_rows++];
                r->variant = i;
                r->board = b;
                r->kernels = k;
                struct fit_verdict fv;
                if (have_file) {
                    if (fit_verdict_make(&m, f->t.kernels[k], &f->boards[b].board, &f->boards[b].room[k], &fv, err,
                                         errlen)) {
                        model_file_free(&m);
                        return EXIT_BAD_INPUT;
                    }
                    r->exact = fv.planned;
                    r->runnable = fv.planned;
                    snprintf(r->why, sizeof r->why, "%.250s", fv.why);
                    /* A file's MACs and parameters come from its plan. */
                    if (!f->info[i].from_spec) {
                        if (fv.macs)
                            v->macs = fv.macs;
                        v->params = fv.params;
                    }
                } else {
                    sized_verdict(f, i, b, k, &fv);
                    r->runnable = true;
                }
                r->flash_needed = fv.flash_needed;
                r->ram_needed = fv.ram_needed;
            }
        if (have_file)
            model_file_free(&m);
    }
    return 0;
}

/* ---- step 4: the runs ---- */

static bool to_run(const struct fit *f, const struct fit_row *r)
{
    return !f->static_only && r->exact && r->runnable && within_memory(f, r->board, r->flash_needed, r->ram_needed);
}

static void run_key(const struct fit *f, const struct fit_row *r, char key[65])
{
    /* What 'profile' stores for the run: db_run_key() of the identity
     * fields the session fills in (session.c). */
    struct prof_run id;
    memset(&id, 0, sizeof id);
    snprintf(id.firmware_sha256, sizeof id.firmware_sha256, "%s", f->boards[r->board].fw_sha[r->kernels]);
    snprintf(id.model_sha256, sizeof id.model_sha256, "%s", f->info[r->variant].sha256);
    snprintf(id.board, sizeof id.board, "%s", f->t.boards[r->board].name);
    snprintf(id.kernels, sizeof id.kernels, "%s", f->t.kernels[r->kernels]);
    db_run_key(&id, key);
}

static void job_argv(struct fit *f, struct run_job *j)
{
    const struct fit_row *r = &f->t.rows[j->row];
    int n = 0;
    j->argv[n++] = "/proc/self/exe";
    j->argv[n++] = "profile";
    j->argv[n++] = f->t.variants[r->variant].path;
    j->argv[n++] = "--board";
    j->argv[n++] = f->boards[r->board].arg;
    j->argv[n++] = "--kernels";
    j->argv[n++] = f->t.kernels[r->kernels];
    j->argv[n++] = "--db";
    j->argv[n++] = f->db_abs;
    j->argv[n++] = "--tag";
    j->argv[n++] = j->tag;
    if (f->max_instructions) {
        snprintf(j->max_insns, sizeof j->max_insns, "%llu", (unsigned long long)f->max_instructions);
        j->argv[n++] = "--max-instructions";
        j->argv[n++] = j->max_insns;
    }
    if (f->timeout_s > 0) {
        snprintf(j->timeout, sizeof j->timeout, "%g", f->timeout_s);
        j->argv[n++] = "--timeout";
        j->argv[n++] = j->timeout;
    }
    j->argv[n++] = "-q";
    j->argv[n] = NULL;
}

static void progress(const struct fit *f, const char *what)
{
    double elapsed = wall_time_s() - f->started;
    double rate = elapsed > 0 ? f->done / elapsed : 0;
    char eta[32] = "-";
    if (f->done && f->done < f->total && rate > 0)
        snprintf(eta, sizeof eta, "%.0fs", (f->total - f->done) / rate);
    if (f->tty)
        fprintf(stderr, "\r\033[Kfit: %d/%d runs%s%s, ETA %s, %d failed", f->done, f->total, what ? ": " : "",
                what ? what : "", eta, f->failed);
    else if (what)
        fprintf(stderr, "fit: %d/%d %s; ETA %s, %d failed\n", f->done, f->total, what, eta, f->failed);
    fflush(stderr);
}

static void on_tick(void *p)
{
    struct fit *f = p;
    if (!f->quiet && f->tty)
        progress(f, NULL);
}

static void on_done(void *p, size_t index, const struct pool_result *r)
{
    struct fit *f = p;
    struct run_job *j = &f->jobs[index];
    if (r->stopped)
        return;
    j->outcome = r->term_signal ? "error" : r->exit_status == 0 ? "ok" : "failed";
    f->done++;
    if (r->exit_status != 0 && r->exit_status != EXIT_NO_FIT)
        f->failed++;
    if (!f->quiet) {
        char what[400];
        snprintf(what, sizeof what, "%s %s (%.1f s)", r->exit_status == 0 ? "ok" : "failed", j->tag, r->seconds);
        progress(f, what);
    }
}

static int run_variants(struct fit *f, int *interrupted, char *err, size_t errlen)
{
    char logs[PATH_MAX + 16];
    snprintf(logs, sizeof logs, "%s/logs", f->work_dir);
    f->jobs = calloc((size_t)f->t.n_rows + 1, sizeof *f->jobs);
    struct pool_job *pool = calloc((size_t)f->t.n_rows + 1, sizeof *pool);
    if (!f->jobs || !pool) {
        free(pool);
        errmsg(err, errlen, "out of memory");
        return EXIT_INTERNAL;
    }
    sqlite3 *db = access(f->db_path, F_OK) == 0 ? db_open(f->db_path, false, err, errlen) : NULL;
    if (access(f->db_path, F_OK) == 0 && !db) {
        free(pool);
        return EXIT_BAD_INPUT;
    }
    int n = 0, stored = 0, rc = 0;
    for (int i = 0; i < f->t.n_rows; i++) {
        const struct fit_row *r = &f->t.rows[i];
        if (!to_run(f, r))
            continue;
        struct run_job *j = &f->jobs[n];
        j->row = i;
        run_key(f, r, j->key);
        unsigned statuses = 0;
        if (db && db_run_key_statuses(db, j->key, &statuses, err, errlen)) {
            rc = EXIT_INTERNAL;
            break;
        }
        /* ok, fault and error come out the same when run again (the key
         * pins down what the simulation depends on); limit may not. */
        if (statuses & (DB_STATUS_OK | DB_STATUS_FAULT | DB_STATUS_ERROR | DB_STATUS_NOFIT)) {
            stored++;
            continue;
        }
        /* The tag names the variant by its whole spec (or file name). */
        const struct fit_variant *v = &f->t.variants[r->variant];
        snprintf(j->tag, sizeof j->tag, "fit/%.180s/%s/%s", v->spec[0] ? v->spec : v->label,
                 f->t.boards[r->board].name, f->t.kernels[r->kernels]);
        char tame[300];
        name_tame(j->tag + 4, tame, sizeof tame);
        snprintf(j->log, sizeof j->log, "%.3800s/fit.%.300s.log", logs, tame);
        job_argv(f, j);
        pool[n] = (struct pool_job){.argv = j->argv, .log_path = j->log};
        n++;
    }
    if (db)
        db_close(db);
    if (rc || (n && mkdir_p(logs, err, errlen))) {
        free(pool);
        return rc ? rc : EXIT_INTERNAL;
    }
    if (!f->quiet)
        fprintf(stderr, "fit: %d run%s to do with %d worker%s, %d already in %s\n", n, n == 1 ? "" : "s",
                f->workers, f->workers == 1 ? "" : "s", stored, f->db_path);
    f->total = n;
    f->started = wall_time_s();
    struct pool_options po = {.workers = f->workers, .done = on_done, .tick = on_tick, .tick_s = 1.0, .ctx = f};
    int prc = n ? pool_run(pool, (size_t)n, &po, err, errlen) : 0;
    if (!f->quiet && f->tty && n)
        fprintf(stderr, "\r\033[K");
    free(pool);
    if (prc < 0)
        return EXIT_INTERNAL;
    *interrupted = prc;
    return 0;
}

/* Step 4b: what the database holds for every row that was to run. */
static int read_runs(struct fit *f, char *err, size_t errlen)
{
    if (f->static_only || access(f->db_path, F_OK))
        return 0;
    sqlite3 *db = db_open(f->db_path, false, err, errlen);
    if (!db)
        return EXIT_BAD_INPUT;
    int rc = 0;
    for (int i = 0; i < f->t.n_rows && !rc; i++) {
        struct fit_row *r = &f->t.rows[i];
        if (!to_run(f, r))
            continue;
        char key[65];
        run_key(f, r, key);
        int64_t id;
        if (db_run_key_latest(db, key, &id, err, errlen)) {
            rc = EXIT_INTERNAL;
            break;
        }
        if (!id)
            continue;  /* interrupted before it ran */
        struct rep_run run;
        if (rep_load_run(db, id, false, &run, err, errlen)) {
            rc = EXIT_INTERNAL;
            break;
        }
        r->run_id = id;
        snprintf(r->status, sizeof r->status, "%s", run.status);
        snprintf(r->diagnostic, sizeof r->diagnostic, "%.250s", run.diagnostic);
        r->cycles = rep_latency_cycles(&run);
        r->ms = rep_latency_ms(&run);
        r->has_energy = rep_has_energy(&run);
        r->energy_uj = rep_latency_energy_uj(&run);
        rep_run_free(&run);
    }
    db_close(db);
    return rc;
}

/* ---- the command ---- */

static int write_output(const struct fit *f, enum rep_format fmt, const char *path, char *err, size_t errlen)
{
    FILE *out = path && strcmp(path, "-") ? fopen(path, "w") : stdout;
    if (!out) {
        errmsg(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        return EXIT_INTERNAL;
    }
    int rc = fit_render(&f->t, fmt, out);
    if (out != stdout) {
        if (fclose(out))
            rc = -1;
    } else if (fflush(out)) {
        rc = -1;
    }
    if (rc) {
        errmsg(err, errlen, "%s: cannot write the answer", path && strcmp(path, "-") ? path : "stdout");
        return EXIT_INTERNAL;
    }
    if (path && strcmp(path, "-") && !f->quiet)
        fprintf(stderr, "fit: wrote %s\n", path);
    return 0;
}

static void fit_free(struct fit *f)
{
    for (int i = 0; f->info && i < f->t.n_variants; i++)
        if (f->info[i].from_spec)
            mg_sizing_free(&f->info[i].sizing);
    free(f->info);
    free(f->boards);
    free(f->jobs);
    fit_table_free(&f->t);
}

int cmd_fit(int argc, char **argv)
{
    struct fit f;
    memset(&f, 0, sizeof f);
    f.db_path = "mcusim.db";
    f.seed = MG_DEFAULT_SEED;
    f.workers = pool_cpu_count();
    f.boards = calloc(FIT_MAX_BOARDS, sizeof *f.boards);
    f.t.boards = calloc(FIT_MAX_BOARDS, sizeof *f.t.boards);
    f.t.variants = calloc(FIT_MAX_VARIANTS, sizeof *f.t.variants);
    f.info = calloc(FIT_MAX_VARIANTS, sizeof *f.info);
    if (!f.boards || !f.t.boards || !f.t.variants || !f.info) {
        fprintf(stderr, "mcusim fit: out of memory\n");
        fit_free(&f);
        return EXIT_INTERNAL;
    }
    const char *work_dir = NULL, *format = NULL, *out_path = NULL, *kernels = RUNTIME_DEFAULT_KERNELS;
    char err[2048] = "";
    int rc = 0;
    static const struct option opts[] = {
        {"board", required_argument, 0, 'b'},
        {"kernels", required_argument, 0, 'k'},
        {"max-ram-kb", required_argument, 0, 'R'},
        {"max-flash-kb", required_argument, 0, 'F'},
        {"ram-headroom-kb", required_argument, 0, 'r'},
        {"flash-headroom-kb", required_argument, 0, 'l'},
        {"max-latency-ms", required_argument, 0, 'L'},
        {"max-energy-uj", required_argument, 0, 'E'},
        {"jobs", required_argument, 0, 'j'},
        {"db", required_argument, 0, 'D'},
        {"work-dir", required_argument, 0, 'W'},
        {"seed", required_argument, 0, 'S'},
        {"static", no_argument, 0, 's'},
        {"max-instructions", required_argument, 0, 'n'},
        {"timeout", required_argument, 0, 't'},
        {"format", required_argument, 0, 'f'},
        {"json", no_argument, 0, 'J'},
        {"output", required_argument, 0, 'o'},
        {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "b:k:j:n:t:f:o:qh", opts, NULL)) != -1) {
        struct fit_budget *b = &f.t.budget;
        switch (c) {
        case 'b':
            if ((rc = add_boards(&f, optarg, err, sizeof err)))
                goto fail;
            break;
        case 'k': kernels = optarg; break;
        case 'R': rc = parse_kb("--max-ram-kb", optarg, &b->max_ram_kb); break;
        case 'F': rc = parse_kb("--max-flash-kb", optarg, &b->max_flash_kb); break;
        case 'r': rc = parse_kb("--ram-headroom-kb", optarg, &b->ram_headroom_kb); break;
        case 'l': rc = parse_kb("--flash-headroom-kb", optarg, &b->flash_headroom_kb); break;
        case 'L': rc = parse_kb("--max-latency-ms", optarg, &b->max_latency_ms); break;
        case 'E': rc = parse_kb("--max-energy-uj", optarg, &b->max_energy_uj); break;
        case 'j': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 4096) {
                fprintf(stderr, "mcusim fit: -j wants a number of workers from 1, not '%s'\n", optarg);
                rc = -1;
            }
            f.workers = (int)v;
            break;
        }
        case 'D': f.db_path = optarg; break;
        case 'W': work_dir = optarg; break;
        case 'S': {
            char *end;
            errno = 0;
            f.seed = strtoull(optarg, &end, 10);
            if (errno || *end || optarg[0] == '-') {
                fprintf(stderr, "mcusim fit: --seed wants a number, not '%s'\n", optarg);
                rc = -1;
            }
            break;
        }
        case 's': f.static_only = true; break;
        case 'n':
        case 't': {
            char *end;
            errno = 0;
            if (c == 'n') {
                f.max_instructions = strtoull(optarg, &end, 10);
                rc = errno || *end || !f.max_instructions || optarg[0] == '-' ? -1 : 0;
            } else {
                f.timeout_s = strtod(optarg, &end);
                rc = errno || *end || !(f.timeout_s > 0) ? -1 : 0;
            }
            if (rc)
                fprintf(stderr, "mcusim fit: %s wants a positive number, not '%s'\n",
                        c == 'n' ? "--max-instructions" : "--timeout", optarg);
            break;
        }
        case 'f': format = optarg; break;
        case 'J': format = "json"; break;
        case 'o': out_path = optarg; break;
        case 'q': f.quiet = true; break;
        case 'h':
            usage(stdout);
            fit_free(&f);
            return 0;
        default:
            usage(stderr);
            fit_free(&f);
            return EXIT_BAD_INPUT;
        }
        if (rc) {
            fit_free(&f);
            return EXIT_BAD_INPUT;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        fit_free(&f);
        return EXIT_BAD_INPUT;
    }
    enum rep_format fmt;
    if (rep_format_choose(format, out_path, &fmt)) {
        char names[64];
        rep_format_names(names, sizeof names);
        errmsg(err, sizeof err, "--format is %s, not '%s'", names, format);
        rc = EXIT_BAD_INPUT;
        goto fail;
    }
    if ((rc = set_kernels(&f, kernels, err, sizeof err)))
        goto fail;
    if (!f.t.n_boards && (rc = add_board(&f, "nano33ble", err, sizeof err)))
        goto fail;
    size_t used = 0;
    for (int i = optind; i < argc; i++) {
        if ((rc = add_variants(&f, argv[i], err, sizeof err)))
            goto fail;
        if (used < sizeof f.t.search)
            used += (size_t)snprintf(f.t.search + used, sizeof f.t.search - used, "%s%s", i > optind ? " " : "",
                                     argv[i]);
    }
    char wd[PATH_MAX];
    snprintf(wd, sizeof wd, "%s%s", work_dir ? work_dir : f.db_path, work_dir ? "" : ".d");
    if (path_absolute(wd, f.work_dir, sizeof f.work_dir - 400) || path_absolute(f.db_path, f.db_abs, sizeof f.db_abs)) {
        errmsg(err, sizeof err, "the --db or --work-dir path is too long");
        rc = EXIT_BAD_INPUT;
        goto fail;
    }
    if (readlink("/proc/self/exe", wd, sizeof wd - 1) <= 0 || !SHA256File("/proc/self/exe", f.self_sha)) {
        errmsg(err, sizeof err, "cannot find its own binary (/proc/self/exe): %s", strerror(errno));
        rc = EXIT_INTERNAL;
        goto fail;
    }
    f.tty = isatty(STDERR_FILENO);
    if ((rc = resolve_images(&f, err, sizeof err)) || (rc = size_variants(&f, err, sizeof err)))
        goto fail;
    /* Nothing is written before the arguments check out. */
    if (mkdir_p(f.work_dir, err, sizeof err)) {
        rc = EXIT_INTERNAL;
        goto fail;
    }
    if (!f.static_only && access(f.db_path, F_OK) == 0 && db_check(f.db_path, err, sizeof err)) {
        rc = EXIT_BAD_INPUT;
        goto fail;
    }
    if ((rc = build_variants(&f, err, sizeof err)) || (rc = judge_statically(&f, err, sizeof err)))
        goto fail;
    int interrupted = 0;
    if (!f.static_only && (rc = run_variants(&f, &interrupted, err, sizeof err)))
        goto fail;
    if ((rc = read_runs(&f, err, sizeof err)))
        goto fail;
    fit_judge(&f.t);
    if ((rc = write_output(&f, fmt, out_path, err, sizeof err)))
        goto fail;
    if (interrupted) {
        fprintf(stderr, "fit: interrupted by signal %d: the same command resumes the search\n", interrupted);
        rc = 128 + interrupted;
    } else {
        rc = fit_any_fits(&f.t) ? 0 : EXIT_ANSWER_NO;
    }
    fit_free(&f);
    return rc;
fail:
    fprintf(stderr, "mcusim fit: %s\n", err);
    fit_free(&f);
    return rc > 0 ? rc : EXIT_BAD_INPUT;
}
