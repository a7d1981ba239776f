/*
 * test_sweep.c — 'mcusim sweep' and 'mcusim db merge', run as a user runs
 * them (the built binary, in a scratch directory): every combination of a
 * small manifest runs exactly once with the right tags and identities;
 * a second sweep runs nothing; a sweep stopped by SIGINT, SIGTERM or
 * SIGKILL resumes without duplicates and leaves no orphan behind; failed
 * runs are reported, stored and retried by the documented rule; the jobs
 * of --emit-jobs, run by GNU parallel and merged, give the same runs and
 * the same numbers as the sweep; merging is idempotent; a bad input to a
 * merge leaves the output byte for byte as it was; bad manifests are one
 * line naming file and line; kernels items may name the runtime, tags may
 * use {runtime}, jobs pass --runtime.
 *
 * The models are tiny synthesized ones, so the whole suite takes seconds.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <inttypes.h>
#include <sha2.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "simtest.h"

/* Twelve workloads: mlp with two inputs and cnn with the default one, on
 * two boards (an M4F and an M0+), with both kernel families. */
static const char *const small_manifest =
    "; the test sweep\n"
    "[sweep]\n"
    "tag = t\n"
    "boards = nano33ble, pico\n"
    "kernels = ref, opt\n"
    "\n"
    "[models]\n"
    "mlp = mlp\n"
    "cnn = cnn:res=16,width=0.25\n"
    "\n"
    "[inputs.mlp]\n"
    "random = random\n"
    "file = in64.bin   ; relative to the manifest\n";
#define SMALL_TOTAL 12

static char dir[256];

static void scratch(void)
{
    snprintf(dir, sizeof dir, "/tmp/mcusim-sweep-test-%d", (int)getpid());
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    cr_assert_eq(system(cmd), 0);
}

static void cleanup(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd))
        fprintf(stderr, "could not remove %s\n", dir);
}

TestSuite(sweep, .init = scratch, .fini = cleanup, .timeout = 300);

static const char *at(const char *name)
{
    static char paths[8][512];
    static int next;
    char *p = paths[next++ % 8];
    snprintf(p, sizeof paths[0], "%s/%s", dir, name);
    return p;
}

static void put(const char *name, const void *data, size_t len)
{
    FILE *f = fopen(at(name), "wb");
    cr_assert(f, "%s: %s", at(name), strerror(errno));
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

static void put_text(const char *name, const char *text)
{
    put(name, text, strlen(text));
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return strdup("");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    cr_assert(buf);
    size_t got = fread(buf, 1, (size_t)n, f);
    buf[got] = '\0';
    fclose(f);
    return buf;
}

struct cmd_result {
    int status;                 /* exit status, or 128+signal */
    char *out, *err;
};

static void cmd_free(struct cmd_result *r)
{
    free(r->out);
    free(r->err);
}

/* Runs a shell command in the scratch directory; MCUSIM stands for the
 * built binary. */
static struct cmd_result sh(const char *fmt, ...)
{
    char body[4096], cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "cd '%s' && MCUSIM='%s/mcusim' && { %s ; } > .out 2> .err", dir, build_root(), body);
    int st = system(cmd);
    struct cmd_result r = {.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st)};
    r.out = slurp(at(".out"));
    r.err = slurp(at(".err"));
    return r;
}

static void sweep_ok(const char *manifest, const char *db, const char *extra)
{
    struct cmd_result r = sh("$MCUSIM sweep %s --db %s %s", manifest, db, extra ? extra : "");
    cr_assert_eq(r.status, 0, "sweep %s failed (%d):\n%s\n%s", manifest, r.status, r.out, r.err);
    cmd_free(&r);
}

static void small_setup(void)
{
    unsigned char in[64];
    for (int i = 0; i < 64; i++)
        in[i] = (unsigned char)(i * 37 + 11);
    put("in64.bin", in, sizeof in);
    put_text("small.ini", small_manifest);
}

static sqlite3 *open_ro(const char *name)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open_v2(at(name), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK, "%s", at(name));
    sqlite3_busy_timeout(db, 10000);
    return db;
}

static int64_t q_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
    int rc = sqlite3_step(st);
    int64_t v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

static int64_t count_in(const char *name, const char *sql)
{
    sqlite3 *db = open_ro(name);
    int64_t v = q_int(db, sql);
    sqlite3_close(db);
    return v;
}

/* Runs in a database, or -1 while it cannot be read (not created yet). */
static int64_t runs_now(const char *name)
{
    sqlite3 *db;
    if (access(at(name), F_OK) || sqlite3_open_v2(at(name), &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return -1;
    sqlite3_busy_timeout(db, 2000);
    sqlite3_stmt *st;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM runs", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return v;
}

static int count_lines(const char *text, const char *prefix)
{
    int n = 0;
    for (const char *p = text; p && *p;) {
        if (!strncmp(p, prefix, strlen(prefix)))
            n++;
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return n;
}

static char *file_sha(const char *name, char out[65])
{
    cr_assert(SHA256File(at(name), out), "%s", at(name));
    return out;
}

/* ---- sweeps ---- */

Test(sweep, every_combination_exactly_once)
{
    small_setup();
    /* More workers than CPUs: four writers on one database at once. */
    struct cmd_result r = sh("$MCUSIM sweep small.ini --db s.db -j 4");
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    /* One progress line per run when stderr is not a terminal. */
    for (int i = 1; i <= SMALL_TOTAL; i++) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "sweep: %d/%d ", i, SMALL_TOTAL);
        cr_expect_eq(count_lines(r.err, prefix), 1, "progress line %d:\n%s", i, r.err);
    }
    cr_expect(strstr(r.err, "runs/s, ETA") != NULL, "%s", r.err);
    cr_expect(strstr(r.out, "12 workloads: 12 run now, 0 already in s.db") != NULL, "%s", r.out);
    cmd_free(&r);

    sqlite3 *db = open_ro("s.db");
    cr_expect_eq(q_int(db, "SELECT count(*) FROM runs"), SMALL_TOTAL);
    cr_expect_eq(q_int(db, "SELECT count(DISTINCT run_key) FROM runs"), SMALL_TOTAL);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM runs WHERE status = 'ok'"), SMALL_TOTAL);
    /* Each expected tag once, and the run behind it is what the tag says. */
    const char *models[] = {"mlp", "mlp", "cnn"}, *inputs[] = {"random", "file", "random"};
    const char *boards[] = {"nano33ble", "pico"}, *kernels[] = {"ref", "opt"};
    char in_sha[65];
    file_sha("in64.bin", in_sha);
    for (int m = 0; m < 3; m++)
        for (int b = 0; b < 2; b++)
            for (int k = 0; k < 2; k++) {
                char sql[1024];
                snprintf(sql, sizeof sql,
                         "SELECT count(*) FROM runs WHERE tag = 't/%s/%s/%s/%s' AND board = '%s' AND kernels = '%s'"
                         " AND model LIKE '%%/%s.tflite' AND input_sha256 = '%s'",
                         models[m], boards[b], kernels[k], inputs[m], boards[b], kernels[k], models[m],
                         strcmp(inputs[m], "file") ? "" : in_sha);
                cr_expect_eq(q_int(db, sql), 1, "%s", sql);
            }
    /* Layers and functions were stored for every run. */
    cr_expect_eq(q_int(db, "SELECT count(*) FROM runs r WHERE NOT EXISTS (SELECT 1 FROM layers l WHERE l.run_id = r.id"
                           " AND l.kind = 'layer') OR NOT EXISTS (SELECT 1 FROM functions f WHERE f.run_id = r.id)"),
                 0);
    /* The two kernel families really ran differently. */
    cr_expect_eq(q_int(db, "SELECT count(*) FROM runs a JOIN runs b ON a.model = b.model AND a.board = b.board AND"
                           " a.input_sha256 = b.input_sha256 AND a.kernels = 'ref' AND b.kernels = 'opt'"
                           " WHERE a.cycles != b.cycles"),
                 SMALL_TOTAL / 2);
    sqlite3_close(db);
}

Test(sweep, second_sweep_runs_nothing)
{
    small_setup();
    sweep_ok("small.ini", "s.db", "-j 2");
    int64_t last = count_in("s.db", "SELECT max(id) FROM runs");
    cr_assert_eq(last, SMALL_TOTAL);
    struct cmd_result r = sh("$MCUSIM sweep small.ini --db s.db -j 2");
    cr_expect_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_expect(strstr(r.out, "12 workloads: 0 run now, 12 already in s.db") != NULL, "%s", r.out);
    cr_expect_eq(count_lines(r.err, "sweep: 1/"), 0, "nothing ran:\n%s", r.err);
    cmd_free(&r);
    cr_expect_eq(count_in("s.db", "SELECT count(*) FROM runs"), SMALL_TOTAL);
    cr_expect_eq(count_in("s.db", "SELECT max(id) FROM runs"), last);
    /* A dry run agrees. */
    r = sh("$MCUSIM sweep small.ini --db s.db --dry-run");
    cr_expect_eq(r.status, 0);
    cr_expect_eq(count_lines(r.out, "skip  t/"), SMALL_TOTAL, "%s", r.out);
    cmd_free(&r);
}

/* Longer runs (a few seconds in all, one worker) so that the sweep can be
 * stopped half way. */
static const char *const slow_manifest =
    "[sweep]\n"
    "tag = slow\n"
    "boards = nano33ble, pico, stm32f746disco\n"
    "kernels = ref, opt\n"
    "[models]\n"
    "cnn_half = cnn:width=0.5\n"
    "kws = dscnn:blocks=2\n";
#define SLOW_TOTAL 12

static void interrupt_and_resume(int sig)
{
    put_text("slow.ini", slow_manifest);
    /* The models first, so that the interrupted sweep is busy running. */
    struct cmd_result r = sh("$MCUSIM sweep slow.ini --db slow.db --dry-run");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cmd_free(&r);

    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        char exe[1024];
        snprintf(exe, sizeof exe, "%s/mcusim", build_root());
        if (chdir(dir))
            _exit(126);
        freopen("/dev/null", "w", stdout);
        freopen(".sweep-err", "w", stderr);
        execl(exe, exe, "sweep", "slow.ini", "--db", "slow.db", "-j", "1", (char *)NULL);
        _exit(127);
    }
    /* Stop it once some runs are stored and others are not. */
    int64_t n = -1;
    for (int i = 0; i < 3000 && n < 3; i++) {
        usleep(10000);
        n = runs_now("slow.db");
    }
    cr_assert_geq(n, 3, "the sweep stored nothing in 30 s");
    kill(pid, sig);
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    if (sig == SIGKILL) {
        cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    } else {
        /* Stopped cleanly: 128 + the signal, and a message saying so. */
        cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 128 + sig, "status %#x", status);
        char *err = slurp(at(".sweep-err"));
        cr_expect(strstr(err, "interrupted by SIG") != NULL, "%s", err);
        free(err);
    }
    /* No orphan goes on storing runs behind the sweep's back. */
    int64_t stopped = runs_now("slow.db");
    usleep(1500000);
    cr_expect_eq(runs_now("slow.db"), stopped, "a run was stored after the sweep was stopped");
    cr_expect_lt(stopped, SLOW_TOTAL, "the sweep was not stopped half way (it had finished)");

    r = sh("$MCUSIM sweep slow.ini --db slow.db -j 2");
    cr_expect_eq(r.status, 0, "%s\n%s", r.out, r.err);
    char expect[128];
    snprintf(expect, sizeof expect, "%d run now, %d already in slow.db", SLOW_TOTAL - (int)stopped, (int)stopped);
    cr_expect(strstr(r.out, expect) != NULL, "expected '%s' in:\n%s", expect, r.out);
    cmd_free(&r);
    cr_expect_eq(count_in("slow.db", "SELECT count(*) FROM runs"), SLOW_TOTAL);
    cr_expect_eq(count_in("slow.db", "SELECT count(DISTINCT run_key) FROM runs WHERE status = 'ok'"), SLOW_TOTAL);
}

Test(sweep, resumes_after_sigint) { interrupt_and_resume(SIGINT); }
Test(sweep, resumes_after_sigterm) { interrupt_and_resume(SIGTERM); }
Test(sweep, resumes_after_sigkill) { interrupt_and_resume(SIGKILL); }

Test(sweep, failed_runs_reported_and_retried_by_the_rule)
{
    /* ok (mlp), error (an input of the wrong size), nofit (2 MB of
     * weights for 1 MB of flash), limit (cnn needs more than 300000
     * instructions). */
    unsigned char shortin[10] = {0};
    put("in10.bin", shortin, sizeof shortin);
    put_text("fail.ini", "[sweep]\n"
                         "boards = nano33ble\n"
                         "max_instructions = 300000\n"
                         "[models]\n"
                         "mlp = mlp\n"
                         "big = autoencoder:input=2048,hidden=512,layers=1\n"
                         "cnn = cnn:res=16,width=0.25\n"
                         "[inputs.mlp]\n"
                         "random = random\n"
                         "short = in10.bin\n");
    struct cmd_result r = sh("$MCUSIM sweep fail.ini --db f.db");
    cr_expect_eq(r.status, 1, "some runs failed: exit 1\n%s\n%s", r.out, r.err);
    cr_expect(strstr(r.out, "1 ok, 1 nofit, 1 limit, 1 error") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "  error fail/mlp/nano33ble/ref/short: input file") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "  nofit fail/big/nano33ble/ref/random: ") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "  limit fail/cnn/nano33ble/ref/random: ") != NULL, "%s", r.out);
    cmd_free(&r);
    sqlite3 *db = open_ro("f.db");
    cr_expect_eq(q_int(db, "SELECT count(*) FROM runs"), 4);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM runs WHERE tag = 'fail/cnn/nano33ble/ref/random' AND status = 'limit'"), 1);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM runs WHERE tag = 'fail/big/nano33ble/ref/random' AND status = 'nofit'"), 1);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM runs WHERE tag = 'fail/mlp/nano33ble/ref/short' AND status = 'error'"), 1);
    sqlite3_close(db);

    /* Resume: only the limit runs again (it depends on the limit, not on
     * the run key); the state is still not all ok, so still exit 1. */
    r = sh("$MCUSIM sweep fail.ini --db f.db");
    cr_expect_eq(r.status, 1, "%s", r.out);
    cr_expect(strstr(r.out, "4 workloads: 1 run now, 3 already in f.db") != NULL, "%s", r.out);
    cmd_free(&r);
    cr_expect_eq(count_in("f.db", "SELECT count(*) FROM runs WHERE status = 'limit'"), 2);
    cr_expect_eq(count_in("f.db", "SELECT count(*) FROM runs"), 5);

    /* --retry-failed: the error and the limit again, never nofit or ok. */
    r = sh("$MCUSIM sweep fail.ini --db f.db --retry-failed");
    cr_expect_eq(r.status, 1, "%s", r.out);
    cr_expect(strstr(r.out, "4 workloads: 2 run now, 2 already in f.db") != NULL, "%s", r.out);
    cmd_free(&r);
    cr_expect_eq(count_in("f.db", "SELECT count(*) FROM runs"), 7);
    cr_expect_eq(count_in("f.db", "SELECT count(*) FROM runs WHERE status = 'nofit'"), 1);

    /* Raising the limit in the manifest is enough for the resume to
     * finish the limit run ok; the exit status then says so. */
    put_text("fail2.ini", "[sweep]\n"
                          "tag = fail\n"
                          "boards = nano33ble\n"
                          "[models]\n"
                          "mlp = mlp\n"
                          "cnn = cnn:res=16,width=0.25\n"
                          "big = autoencoder:input=2048,hidden=512,layers=1\n");
    r = sh("$MCUSIM sweep fail2.ini --db f.db --work-dir f.db.d");
    cr_expect_eq(r.status, 0, "only ok and nofit left:\n%s\n%s", r.out, r.err);
    cr_expect(strstr(r.out, "3 workloads: 1 run now, 2 already in f.db") != NULL, "%s", r.out);
    cmd_free(&r);
}

Test(sweep, bad_manifests_are_one_line_naming_file_and_line)
{
    struct {
        const char *text, *expect;
    } cases[] = {
        {"[sweep]\nboards = nano33ble\n[models]\nx = cnn:width=9\n", "bad.ini:4: model 'x': cnn: width=9"},
        {"[sweep]\nboards = nano33ble\nkernels = ref, fast\n[models]\nx = mlp\n", "bad.ini:3: kernels are ref or opt"},
        {"[sweep]\nboards = nano33ble, nosuch\n[models]\nx = mlp\n", "bad.ini:2: nosuch: unknown board"},
        {"[sweep]\nboards = nano33ble\n[models]\nx = missing.tflite\n", "bad.ini:4: model file 'missing.tflite'"},
        {"[sweep]\nboards = nano33ble\n[models]\nx = mlp\nx = cnn\n", "bad.ini:5: model 'x' is named twice"},
        {"[sweep]\nboards = nano33ble\njobs = 3\n[models]\nx = mlp\n", "bad.ini:3: unknown key 'jobs' in [sweep]"},
        {"[sweep]\nboards = nano33ble\n[models]\nx = mlp\n[inputs.y]\na = random\n", "bad.ini:6: [inputs.y]: no model"},
        {"[sweep]\nboards = nano33ble\nthis is not ini\n[models]\nx = mlp\n", "bad.ini:3: not '[section]'"},
        {"[sweep]\nboards = nano33ble\n", "bad.ini: no models"},
        {"[models]\nx = mlp\n", "bad.ini: no [sweep] section"},
        {"[sweep]\nboards = nano33ble\ntag = {model}-{bord}\n[models]\nx = mlp\n", "bad.ini:3: tag: unknown placeholder"},
        {"[sweep]\nboards = nano33ble\n[models]\nx = mlp\n[inputs]\nin = nothere.bin\n", "bad.ini:6: input file 'nothere.bin'"},
        {"[sweep]\nboards = nano33ble\nmax_instructions = lots\n[models]\nx = mlp\n", "bad.ini:3: max_instructions"},
        {"[sweep]\nboards = nano33ble\n[models]\nbad/name = mlp\n", "bad.ini:4: model name 'bad/name'"},
        {"[sweeps]\nboards = nano33ble\n", "bad.ini:2: unknown section [sweeps]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        put_text("bad.ini", cases[i].text);
        struct cmd_result r = sh("$MCUSIM sweep bad.ini --db bad.db");
        cr_expect_eq(r.status, 2, "case %zu: exit %d\n%s", i, r.status, r.err);
        cr_expect_eq(count_lines(r.err, ""), 1, "case %zu: one line:\n%s", i, r.err);
        cr_expect(strstr(r.err, cases[i].expect) != NULL, "case %zu: expected '%s' in:\n%s", i, cases[i].expect,
                  r.err);
        cmd_free(&r);
        cr_expect_neq(access(at("bad.db"), F_OK), 0, "case %zu: no database is created", i);
    }
}

/* ---- runtimes: kernels items naming a runtime, {runtime}, --runtime ---- */

Test(sweep, kernels_items_may_name_the_runtime)
{
    /* "mcusim/opt" and "mcusim" (its default family, ref) are the same
     * pairs as "opt" and "ref": same tags, same keys, nothing to run again. */
    put_text("own.ini", "[sweep]\ntag = t\nboards = nano33ble\nkernels = ref, opt\n[models]\nmlp = mlp\n");
    put_text("named.ini", "[sweep]\ntag = t\nboards = nano33ble\nkernels = mcusim/opt, mcusim\n[models]\nmlp = mlp\n");
    sweep_ok("own.ini", "o.db", NULL);
    cr_expect_eq(count_in("o.db", "SELECT count(*) FROM runs WHERE runtime = 'mcusim'"), 2);
    struct cmd_result r = sh("$MCUSIM sweep named.ini --db o.db --dry-run");
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect_eq(count_lines(r.out, "skip  t/mlp/nano33ble/opt/random"), 1, "%s", r.out);
    cr_expect_eq(count_lines(r.out, "skip  t/mlp/nano33ble/ref/random"), 1, "%s", r.out);
    cmd_free(&r);

    /* The placeholder, and jobs that say which runtime they run. */
    put_text("tpl.ini", "[sweep]\ntag = n-{runtime}-{kernels}-{model}\nboards = nano33ble\nkernels = mcusim/opt\n"
                        "[models]\nmlp = mlp\n");
    r = sh("$MCUSIM sweep tpl.ini --db p.db --dry-run");
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect_eq(count_lines(r.out, "run   n-mcusim-opt-mlp"), 1, "%s", r.out);
    cmd_free(&r);
    r = sh("$MCUSIM sweep tpl.ini --db p.db --emit-jobs jobs.txt");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cmd_free(&r);
    char *jobs = slurp(at("jobs.txt"));
    cr_expect(strstr(jobs, " --runtime mcusim --kernels opt ") != NULL, "%s", jobs);
    cr_expect(strstr(jobs, " --tag n-mcusim-opt-mlp ") != NULL, "%s", jobs);
    free(jobs);
    sweep_ok("tpl.ini", "p.db", NULL);
    cr_expect_eq(count_in("p.db", "SELECT count(*) FROM runs WHERE tag = 'n-mcusim-opt-mlp' AND runtime = 'mcusim'"
                                  " AND kernels = 'opt'"),
                 1);
}

Test(sweep, bad_kernels_items_name_what_exists)
{
    struct {
        const char *kernels, *expect;
    } cases[] = {
        {"tflite-micro/cmsis-nn", "bad.ini:3: runtime 'tflite-micro' is not built into this mcusim (it has mcusim"},
        {"mcusim/cmsis-nn", "bad.ini:3: runtime 'mcusim' has no kernel family 'cmsis-nn' (ref or opt)"},
        {"fast", "bad.ini:3: kernels are ref or opt (mcusim's own), RUNTIME/FAMILY or a runtime (mcusim"},
        {"ref, mcusim/ref", "bad.ini:3: kernels 'mcusim/ref' listed twice"},
        {"ref, mcusim", "bad.ini:3: kernels 'mcusim/ref' listed twice"}, /* mcusim: its default, ref */
        {"mcusim/", "bad.ini:3: 'mcusim/' is not FAMILY, RUNTIME/FAMILY or RUNTIME"},
        {"/ref", "bad.ini:3: '/ref' is not FAMILY, RUNTIME/FAMILY or RUNTIME"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "[sweep]\nboards = nano33ble\nkernels = %s\n[models]\nx = mlp\n",
                 cases[i].kernels);
        put_text("bad.ini", text);
        struct cmd_result r = sh("$MCUSIM sweep bad.ini --db bad.db");
        cr_expect_eq(r.status, 2, "case %zu: exit %d\n%s", i, r.status, r.err);
        cr_expect_eq(count_lines(r.err, ""), 1, "case %zu: one line:\n%s", i, r.err);
        cr_expect(strstr(r.err, cases[i].expect) != NULL, "case %zu: expected '%s' in:\n%s", i, cases[i].expect,
                  r.err);
        cmd_free(&r);
        cr_expect_neq(access(at("bad.db"), F_OK), 0, "case %zu: no database is created", i);
    }
}

/* ---- beyond one machine: --emit-jobs, GNU parallel, db merge ---- */

static void need_parallel(void)
{
    struct cmd_result r = sh("parallel --version");
    cr_assert_eq(r.status, 0, "GNU parallel is needed for this test (Debian: apt-get install parallel)");
    cmd_free(&r);
}

/* Emits the jobs of small.ini (database e.db) and runs them with GNU
 * parallel; returns the number of jobs. */
static int emit_and_run(const char *db)
{
    struct cmd_result r = sh("$MCUSIM sweep small.ini --db %s --emit-jobs jobs.txt", db);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cmd_free(&r);
    char *jobs = slurp(at("jobs.txt"));
    int n = count_lines(jobs, "");
    /* Self-contained: absolute binary, absolute model, its own database. */
    cr_expect_eq(count_lines(jobs, "/"), n, "%s", jobs);
    for (const char *p = jobs; *p; p = strchr(p, '\n') + 1) {
        char line[4096];
        snprintf(line, sizeof line, "%.*s", (int)strcspn(p, "\n"), p);
        cr_expect(strstr(line, "/mcusim profile /") && strstr(line, " --db /") && strstr(line, ".db.d/jobs/"),
                  "%s", line);
    }
    free(jobs);
    /* From another directory, as a remote machine would run them. */
    r = sh("cd / && parallel -j 2 < '%s/jobs.txt'", dir);
    cr_assert_eq(r.status, 0, "parallel: %s\n%s", r.out, r.err);
    cmd_free(&r);
    return n;
}

/* The same runs (run keys and tags) with the same numbers in two
 * databases, including every layer's. */
static void expect_same_runs(const char *a, const char *b, int total)
{
    sqlite3 *db = open_ro(a);
    char sql[2048];
    snprintf(sql, sizeof sql, "ATTACH '%s' AS b", at(b));
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    cr_expect_eq(q_int(db, "SELECT count(*) FROM main.runs"), total);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM b.runs"), total);
    cr_expect_eq(q_int(db, "SELECT count(DISTINCT run_key) FROM b.runs"), total);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM main.runs x JOIN b.runs y ON x.run_key = y.run_key"
                           " AND x.tag = y.tag AND x.status = y.status AND x.board = y.board AND x.kernels = y.kernels"
                           " AND x.cycles = y.cycles AND x.instructions = y.instructions AND x.ram_peak = y.ram_peak"
                           " AND x.inference_cycles = y.inference_cycles AND x.energy_uj = y.energy_uj"
                           " AND x.flash_model = y.flash_model AND x.ram_arena_used = y.ram_arena_used"
                           " AND x.ram_stack_peak = y.ram_stack_peak"),
                 total, "runs whose numbers agree");
    int64_t layers = q_int(db, "SELECT count(*) FROM main.layers");
    cr_expect_gt(layers, total);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM b.layers"), layers);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM main.runs x JOIN b.runs y ON x.run_key = y.run_key"
                           " JOIN main.layers lx ON lx.run_id = x.id JOIN b.layers ly ON ly.run_id = y.id"
                           " AND ly.seq = lx.seq WHERE lx.cycles = ly.cycles AND lx.instructions = ly.instructions"
                           " AND lx.ram_peak = ly.ram_peak AND lx.op = ly.op AND lx.macs = ly.macs"),
                 layers, "layers whose numbers agree");
    cr_expect_eq(q_int(db, "SELECT count(*) FROM main.functions"), q_int(db, "SELECT count(*) FROM b.functions"));
    cr_expect_eq(q_int(db, "SELECT count(*) FROM main.runs x JOIN b.runs y ON x.run_key = y.run_key"
                           " WHERE (SELECT sum(self_cycles) FROM main.functions WHERE run_id = x.id)"
                           " != (SELECT sum(self_cycles) FROM b.functions WHERE run_id = y.id)"),
                 0);
    sqlite3_close(db);
}

Test(sweep, emitted_jobs_through_gnu_parallel_merge_to_the_sweep, .timeout = 600)
{
    need_parallel();
    small_setup();
    sweep_ok("small.ini", "s.db", "-j 2");
    int n = emit_and_run("e.db");
    cr_assert_eq(n, SMALL_TOTAL);
    struct cmd_result r = sh("$MCUSIM db merge e.db e.db.d/jobs");
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "merged 12 databases into e.db: 12 runs copied, 0 skipped") != NULL, "%s", r.out);
    cmd_free(&r);
    expect_same_runs("s.db", "e.db", SMALL_TOTAL);

    /* Resume works here too: with the merged database nothing is left to
     * emit, and the sweep's own database says the same. */
    r = sh("$MCUSIM sweep small.ini --db e.db --emit-jobs again.txt");
    cr_expect_eq(r.status, 0);
    cmd_free(&r);
    char *again = slurp(at("again.txt"));
    cr_expect_eq(count_lines(again, ""), 0, "%s", again);
    free(again);
}

Test(sweep, emit_jobs_leaves_out_what_is_stored)
{
    small_setup();
    /* The database has the nano33ble half (a sweep of a smaller manifest). */
    put_text("half.ini", "[sweep]\ntag = t\nboards = nano33ble\nkernels = ref, opt\n[models]\nmlp = mlp\n"
                         "cnn = cnn:res=16,width=0.25\n[inputs.mlp]\nrandom = random\nfile = in64.bin\n");
    sweep_ok("half.ini", "h.db", "--work-dir h.work");
    struct cmd_result r = sh("$MCUSIM sweep small.ini --db h.db --emit-jobs jobs.txt");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cmd_free(&r);
    char *jobs = slurp(at("jobs.txt"));
    cr_expect_eq(count_lines(jobs, ""), SMALL_TOTAL / 2, "%s", jobs);
    cr_expect(strstr(jobs, "nano33ble") == NULL, "%s", jobs);
    /* Run three of them by hand, as the first tasks of an array would;
     * emitting again leaves those out too (their own databases have them). */
    r = sh("head -n 3 jobs.txt | sh");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cmd_free(&r);
    r = sh("$MCUSIM sweep small.ini --db h.db --emit-jobs rest.txt");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cmd_free(&r);
    char *rest = slurp(at("rest.txt"));
    cr_expect_eq(count_lines(rest, ""), SMALL_TOTAL / 2 - 3, "%s", rest);
    char first[2048];
    snprintf(first, sizeof first, "%.*s", (int)strcspn(jobs, "\n"), jobs);
    cr_expect(strstr(rest, first) == NULL, "a job already run was emitted again");
    free(jobs);
    free(rest);
}

Test(sweep, merge_is_idempotent)
{
    small_setup();
    sweep_ok("small.ini", "s.db", "-j 2");
    /* Into an empty file: everything, with layers and functions. */
    struct cmd_result r = sh("$MCUSIM db merge m.db s.db");
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "12 runs copied, 0 skipped") != NULL, "%s", r.out);
    cmd_free(&r);
    expect_same_runs("s.db", "m.db", SMALL_TOTAL);
    char before[65], after[65];
    file_sha("m.db", before);
    /* Twice: nothing more. */
    r = sh("$MCUSIM db merge m.db s.db s.db");
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "0 runs copied, 24 skipped") != NULL, "%s", r.out);
    cmd_free(&r);
    cr_expect_eq(count_in("m.db", "SELECT count(*) FROM runs"), SMALL_TOTAL);
    cr_expect_eq(count_in("m.db", "SELECT count(*) FROM layers"), count_in("s.db", "SELECT count(*) FROM layers"));
    cr_expect_str_eq(file_sha("m.db", after), before, "a merge that adds nothing leaves the file as it was");

    /* A failed run already there (same key and start time) is not copied
     * twice either, while a different failed attempt is.  (Not mlp: OUT
     * has an ok run of it, and then no failed attempt is copied.) */
    put_text("f.ini", "[sweep]\nboards = nano33ble\nmax_instructions = 1000\n[models]\nmlp16 = mlp:hidden=16\n");
    r = sh("$MCUSIM sweep f.ini --db f.db");
    cr_expect_eq(r.status, 1, "%s", r.out);
    cmd_free(&r);
    r = sh("$MCUSIM db merge m.db f.db && $MCUSIM db merge m.db f.db");
    cr_expect_eq(r.status, 0, "%s", r.err);
    cmd_free(&r);
    cr_expect_eq(count_in("m.db", "SELECT count(*) FROM runs WHERE status = 'limit'"), 1);
    sleep(1); /* start times have one-second resolution */
    r = sh("$MCUSIM sweep f.ini --db f.db");
    cmd_free(&r);
    r = sh("$MCUSIM db merge m.db f.db");
    cr_expect(strstr(r.out, "1 run copied, 1 skipped") != NULL, "%s", r.out);
    cmd_free(&r);
    cr_expect_eq(count_in("m.db", "SELECT count(*) FROM runs WHERE status = 'limit'"), 2);
}

static void copy_file(const char *from, const char *to, long max_bytes)
{
    char *cmd;
    if (max_bytes >= 0)
        cr_assert(asprintf(&cmd, "head -c %ld '%s' > '%s'", max_bytes, at(from), at(to)) > 0);
    else
        cr_assert(asprintf(&cmd, "cp '%s' '%s'", at(from), at(to)) > 0);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    free(cmd);
}

static void exec_on(const char *name, const char *sql)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(at(name), &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
    sqlite3_close(db);
}

Test(sweep, merge_of_a_bad_file_leaves_out_unchanged)
{
    small_setup();
    put_text("half.ini", "[sweep]\ntag = t\nboards = nano33ble\nkernels = ref\n[models]\nmlp = mlp\n");
    sweep_ok("half.ini", "a.db", NULL);
    int64_t out_runs = count_in("a.db", "SELECT count(*) FROM runs");
    cr_assert_eq(out_runs, 1);
    sweep_ok("small.ini", "s.db", "-j 2");
    struct stat sb;
    cr_assert_eq(stat(at("s.db"), &sb), 0);
    cr_assert_gt(sb.st_size, 64 * 1024, "big enough to cut in half");
    /* The bad inputs. */
    put_text("text.db", "these are not the runs you are looking for\n");
    copy_file("s.db", "cut.db", sb.st_size / 2);
    copy_file("s.db", "newer.db", -1);
    exec_on("newer.db", "PRAGMA user_version = 99");
    exec_on("other.db", "CREATE TABLE t (x); INSERT INTO t VALUES (1)");
    struct {
        const char *file, *expect;
    } cases[] = {
        {"text.db", "not an mcusim database"},
        {"cut.db", "cut.db: "},
        {"newer.db", "written by a newer mcusim"},
        {"other.db", "not an mcusim database"},
        {"missing.db", "missing.db: No such file"},
    };
    char before[65], after[65];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        copy_file("a.db", "out.db", -1);
        file_sha("out.db", before);
        /* A good input before the bad one: all or nothing. */
        struct cmd_result r = sh("$MCUSIM db merge out.db s.db %s", cases[i].file);
        cr_expect_eq(r.status, 2, "%s: exit %d\n%s", cases[i].file, r.status, r.err);
        cr_expect_eq(count_lines(r.err, ""), 1, "one line:\n%s", r.err);
        cr_expect(strstr(r.err, cases[i].file) && strstr(r.err, cases[i].expect), "%s: expected '%s' in:\n%s",
                  cases[i].file, cases[i].expect, r.err);
        cmd_free(&r);
        cr_expect_str_eq(file_sha("out.db", after), before, "%s: out.db changed", cases[i].file);
        cr_expect_eq(count_in("out.db", "SELECT count(*) FROM runs"), out_runs);

        /* Into a new file: no file is left behind. */
        r = sh("$MCUSIM db merge new.db s.db %s", cases[i].file);
        cr_expect_eq(r.status, 2);
        cmd_free(&r);
        cr_expect_neq(access(at("new.db"), F_OK), 0, "%s: new.db was created", cases[i].file);
    }
    /* And the output itself must not be merged into itself. */
    struct cmd_result r = sh("$MCUSIM db merge s.db ./s.db");
    cr_expect_eq(r.status, 2, "%s", r.err);
    cmd_free(&r);
    /* db check names the bad ones and passes the good. */
    r = sh("$MCUSIM db check s.db cut.db");
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.out, "s.db: ok, 12 runs") != NULL, "%s", r.out);
    cr_expect(strstr(r.err, "cut.db") != NULL, "%s", r.err);
    cmd_free(&r);
}

Test(sweep, merge_failing_half_way_leaves_out_unchanged)
{
    /* A failure in the middle of copying (not caught by the checks before):
     * an input whose schema lets a function's name be NULL, on its last
     * run, so that earlier inputs and runs are copied before OUT refuses
     * the row.  Everything must be rolled back. */
    small_setup();
    put_text("half.ini", "[sweep]\ntag = t\nboards = nano33ble\nkernels = ref\n[models]\nmlp = mlp\n");
    sweep_ok("half.ini", "a.db", NULL);
    sweep_ok("small.ini", "s.db", "-j 2");
    copy_file("s.db", "weird.db", -1);
    exec_on("weird.db", "PRAGMA writable_schema = ON;"
                        "UPDATE sqlite_schema SET sql = replace(sql, 'name TEXT NOT NULL, address', 'name TEXT, address')"
                        " WHERE name = 'functions';");
    /* A measurement of its own (so that it is copied), with a NULL name. */
    exec_on("weird.db", "UPDATE functions SET name = NULL WHERE run_id = (SELECT max(id) FROM runs);"
                        "UPDATE runs SET run_key = 'other' || run_key WHERE id = (SELECT max(id) FROM runs)");
    cr_assert_gt(count_in("weird.db", "SELECT count(*) FROM functions WHERE name IS NULL"), 0);
    struct cmd_result r = sh("$MCUSIM db check weird.db");
    cr_assert_eq(r.status, 0, "the checks before the merge pass it: %s", r.err);
    cmd_free(&r);
    copy_file("a.db", "out.db", -1);
    char before[65], after[65];
    file_sha("out.db", before);
    r = sh("$MCUSIM db merge out.db s.db weird.db");
    cr_expect_neq(r.status, 0, "%s", r.out);
    cr_expect_eq(count_lines(r.err, ""), 1, "%s", r.err);
    cr_expect(strstr(r.err, "out.db is unchanged") != NULL, "%s", r.err);
    cmd_free(&r);
    cr_expect_str_eq(file_sha("out.db", after), before);
    cr_expect_eq(count_in("out.db", "SELECT count(*) FROM runs"), 1);
    cr_expect_eq(count_in("out.db", "SELECT count(*) FROM layers WHERE run_id > 1"), 0);
    /* The same into a new file: none is left behind. */
    r = sh("$MCUSIM db merge new.db s.db weird.db");
    cr_expect_neq(r.status, 0);
    cmd_free(&r);
    cr_expect_neq(access(at("new.db"), F_OK), 0);
}
