/*
 * test_runtimes_tflm.c — TensorFlow Lite Micro through mcusim's command
 * line, as users reach it: the table's tflm rows, 'profile --runtime tflm'
 * with both kernel families (per-layer rows, the runtime stored), the
 * default family, 'compare' of mcusim/opt against tflm/cmsis-nn matched by
 * layer index and op with the faster kernel marked, 'gate' holding a run
 * against a baseline of its own runtime, a sweep manifest that varies the
 * runtime, and a model too large for the board (exit 6 with the numbers).
 *
 * Built only when TFLM's sources were found (meson's runtimes_built has
 * 'tflm'); the byte-for-byte outputs are test_tflm_firmware's.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime_images.h"
#include "simtest.h"

/* A fresh working directory per test. */
static char work[256];

static void make_work(void)
{
    snprintf(work, sizeof work, "/tmp/mcusim-tflm-cli-XXXXXX");
    cr_assert_not_null(mkdtemp(work));
}

static void remove_work(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
    cr_expect_eq(system(cmd), 0);
}

TestSuite(tflm_cli, .init = make_work, .fini = remove_work);

/* Runs "mcusim ARGS" in the working directory, stdout and stderr together
 * in *out; returns the exit status. */
__attribute__((format(printf, 2, 3))) static int mcusim(char **out, const char *fmt, ...)
{
    char args[2048], cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s/mcusim' %s 2>&1", work, build_root(), args);
    int rc = run_command_capture(cmd, out);
    cr_assert_not_null(*out, "%s", cmd);
    return rc;
}

static const char *cnn(void)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/workloads/cnn.tflite", build_root());
    return path;
}

/* One value of an SQL query on a database of the working directory. */
static long long query_int(const char *db_name, const char *sql)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", work, db_name);
    sqlite3 *db;
    cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK, "%s", path);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
    long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void profile_ok(const char *args)
{
    char *out;
    int rc = mcusim(&out, "profile %s", args);
    cr_assert_eq(rc, 0, "profile %s:\n%s", args, out);
    free(out);
}

Test(tflm_cli, the_table_has_both_families_cmsis_nn_first)
{
    cr_expect(runtime_known("tflm"));
    cr_expect_str_eq(runtime_default_kernels("tflm"), "cmsis-nn");
    char known[128];
    runtime_kernels_text("tflm", ", ", " or ", known, sizeof known);
    cr_expect_str_eq(known, "cmsis-nn or ref");
    const struct runtime_image *ri = runtime_image_find("tflm", "ref");
    cr_assert_not_null(ri);
    cr_expect_null(ri->host_family, "TFLM plans its arena in the firmware");
    char path[1024], err[1024];
    cr_expect_eq(runtime_image_path(ri, "nano33ble", path, sizeof path, err, sizeof err), 0, "%s", err);
}

/* Both families on the default board: a run of runtime tflm with the
 * model's operators as layer rows (cnn has 9), the firmware's kernels
 * named, an inference region and TFLM's planned arena. */
Test(tflm_cli, profile_both_families_per_layer, .timeout = 600)
{
    char args[2048];
    snprintf(args, sizeof args, "%s --runtime tflm --kernels cmsis-nn --db r.db --tag t-cmsis -q", cnn());
    profile_ok(args);
    snprintf(args, sizeof args, "%s --runtime tflm --kernels ref --db r.db --tag t-ref -q", cnn());
    profile_ok(args);
    snprintf(args, sizeof args, "%s --runtime tflm --db r.db --tag t-default -q", cnn());
    profile_ok(args);
    cr_expect_eq(query_int("r.db", "SELECT count(*) FROM runs WHERE runtime = 'tflm' AND kernels = 'cmsis-nn'"), 2);
    cr_expect_eq(query_int("r.db", "SELECT count(*) FROM runs WHERE runtime = 'tflm' AND kernels = 'ref'"), 1);
    cr_expect_eq(query_int("r.db", "SELECT count(*) FROM runs WHERE status <> 'ok'"), 0);
    for (const char *const *tag = (const char *const[]){"t-cmsis", "t-ref", NULL}; *tag; tag++) {
        char sql[512];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM layers l JOIN runs r ON r.id = l.run_id WHERE r.tag = '%s' "
                 "AND l.kind = 'layer' AND l.cycles > 0 AND l.instructions > 0",
                 *tag);
        cr_expect_eq(query_int("r.db", sql), 9, "%s", *tag);
        snprintf(sql, sizeof sql, "SELECT ram_arena_planned FROM runs WHERE tag = '%s'", *tag);
        cr_expect_gt(query_int("r.db", sql), 0, "%s: TFLM's arena_used_bytes()", *tag);
    }
    /* CMSIS-NN's convolutions are its own functions; the reference build's
     * are TFLM's. */
    cr_expect_gt(query_int("r.db", "SELECT count(*) FROM layers l JOIN runs r ON r.id = l.run_id "
                                   "WHERE r.tag = 't-cmsis' AND l.op = 'CONV_2D' AND l.kernel LIKE 'arm_%'"),
                 0);
    cr_expect_eq(query_int("r.db", "SELECT count(*) FROM layers l JOIN runs r ON r.id = l.run_id "
                                   "WHERE r.tag = 't-ref' AND l.kernel LIKE 'arm_%'"),
                 0);

    char *out;
    int rc = mcusim(&out, "report t-ref --db r.db");
    cr_expect_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "cnn.tflite on nano33ble (cortex-m4f, 64 MHz), tflm runtime, kernels ref"), "%s", out);
    free(out);
    rc = mcusim(&out, "runs --db r.db");
    cr_expect_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "tflm/cmsis-nn") && strstr(out, "tflm/ref"), "%s", out);
    free(out);
}

/* A layer row of compare's table: "  2  CONV_2D  KERNEL  SHAPE  A  B
 * B-A  B-A%  BEST"; the two runs' cycles and the mark of the faster. */
struct compare_row {
    long long a, b;
    char mark;
};

static bool parse_row(const char *line, struct compare_row *r)
{
    char buf[512], *tok[64];
    snprintf(buf, sizeof buf, "%.*s", (int)strcspn(line, "\n"), line);
    int n = 0;
    for (char *t = strtok(buf, " "); t && n < 64; t = strtok(NULL, " "))
        tok[n++] = t;
    if (n < 7)
        return false;
    long long v[2];
    for (int k = 0; k < 2; k++) {
        v[k] = 0;
        for (const char *p = tok[n - 5 + k]; *p; p++)
            if (*p >= '0' && *p <= '9')
                v[k] = v[k] * 10 + (*p - '0');
            else if (*p != ',')
                return false;
    }
    r->a = v[0];
    r->b = v[1];
    r->mark = tok[n - 1][0];
    return true;
}

Test(tflm_cli, compare_own_opt_with_tflm_cmsis_nn, .timeout = 600)
{
    char args[2048];
    snprintf(args, sizeof args, "%s --runtime mcusim --kernels opt --db c.db --tag own-opt -q", cnn());
    profile_ok(args);
    snprintf(args, sizeof args, "%s --runtime tflm --kernels cmsis-nn --db c.db --tag tflm-cmsis -q", cnn());
    profile_ok(args);
    char *out;
    int rc = mcusim(&out, "compare own-opt tflm-cmsis --db c.db");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "A mcusim/opt  B tflm/cmsis-nn"), "%s", out);
    cr_expect(strstr(out, "A mcusim/opt cycles  B tflm/cmsis-nn cycles"), "%s", out);
    cr_expect(strstr(out, "layers: all 9 matched by index and op"), "%s", out);
    /* Every layer row marks the run with fewer cycles. */
    int rows = 0;
    for (int i = 0; i < 9; i++) {
        char head[32];
        snprintf(head, sizeof head, "\n%3d  ", i);
        const char *line = strstr(out, head);
        cr_assert_not_null(line, "layer %d:\n%s", i, out);
        struct compare_row r;
        cr_assert(parse_row(line + 1, &r), "layer %d: %.120s", i, line + 1);
        cr_expect_eq(r.mark, r.a < r.b ? 'A' : r.a > r.b ? 'B' : '=', "layer %d: %lld vs %lld marked %c", i, r.a,
                     r.b, r.mark);
        rows += r.a != r.b;
    }
    cr_expect_gt(rows, 0, "%s", out);
    free(out);

    /* A gate's baseline is a run of the same runtime and kernels. */
    char path[512];
    snprintf(path, sizeof path, "%s/g.ini", work);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("[tflm-cmsis]\nruntime = tflm\nkernels = cmsis-nn\nmax_ram_kb = 256\n", f);
    fclose(f);
    rc = mcusim(&out, "gate --budget g.ini --db c.db");
    cr_expect_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "PASS"), "%s", out);
    free(out);
}

Test(tflm_cli, a_sweep_varies_the_runtime, .timeout = 900)
{
    char path[512];
    snprintf(path, sizeof path, "%s/s.ini", work);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("[sweep]\ntag = s-{runtime}-{kernels}-{model}\nboards = nano33ble\nkernels = mcusim/opt, tflm/cmsis-nn, "
          "tflm/ref\n[models]\nmlp = mlp\n",
          f);
    fclose(f);
    char *out;
    int rc = mcusim(&out, "sweep s.ini --db s.db --emit-jobs jobs.txt");
    cr_assert_eq(rc, 0, "%s", out);
    free(out);
    char *jobs = NULL;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cat '%s/jobs.txt'", work);
    cr_assert_eq(run_command_capture(cmd, &jobs), 0);
    cr_expect(strstr(jobs, " --runtime tflm --kernels cmsis-nn ") && strstr(jobs, " --runtime tflm --kernels ref "),
              "%s", jobs);
    free(jobs);
    rc = mcusim(&out, "sweep s.ini --db s.db -j 2");
    cr_assert_eq(rc, 0, "%s", out);
    free(out);
    cr_expect_eq(query_int("s.db", "SELECT count(*) FROM runs WHERE status = 'ok'"), 3);
    cr_expect_eq(query_int("s.db", "SELECT count(*) FROM runs WHERE tag = 's-tflm-cmsis-nn-mlp' AND runtime = 'tflm'"),
                 1);
    cr_expect_eq(query_int("s.db", "SELECT count(*) FROM runs WHERE tag = 's-tflm-ref-mlp' AND runtime = 'tflm'"), 1);
    cr_expect_eq(query_int("s.db", "SELECT count(*) FROM runs WHERE tag = 's-mcusim-opt-mlp' AND runtime = 'mcusim'"),
                 1);
    cr_expect_gt(query_int("s.db", "SELECT count(*) FROM layers l JOIN runs r ON r.id = l.run_id "
                                   "WHERE r.runtime = 'tflm' AND l.kind = 'layer'"),
                 0);
}

/* A model whose arena is larger than the board's RAM: TFLM's firmware
 * finds it out, the run is stored as 'nofit' and mcusim exits 6 with the
 * numbers. */
Test(tflm_cli, too_big_for_the_board_is_exit_6, .timeout = 600)
{
    char *out;
    int rc = mcusim(&out, "model build cnn:res=128 -o big.tflite");
    cr_assert_eq(rc, 0, "%s", out);
    free(out);
    rc = mcusim(&out, "profile big.tflite --runtime tflm --kernels cmsis-nn --db b.db --tag big -q");
    cr_expect_eq(rc, 6, "%s", out);
    cr_expect(strstr(out, "does not fit in RAM: the tensor arena needs at least "), "%s", out);
    cr_expect(strstr(out, " bytes"), "%s", out);
    free(out);
    cr_expect_eq(query_int("b.db", "SELECT count(*) FROM runs WHERE tag = 'big' AND status = 'nofit' "
                                   "AND runtime = 'tflm'"),
                 1);
}
