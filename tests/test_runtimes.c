/*
 * test_runtimes.c — the inference runtime as users choose and read it:
 * the table of runtime images (default kernels, errors listing what
 * exists), 'profile --runtime', the runtime stored with every run (and
 * read back by runs, report, JSON), the database's migration from schema
 * version 3 to 4 on a version-3 file the test makes (and from a version-2
 * file through both steps), merges of such files, 'compare' naming
 * runtime and kernels in its column headers, and
 * gate baselines that match the run's runtime and kernels.
 *
 * mcusim has one runtime today (its own); runs of another runtime are made
 * in the database by the test where a second one is needed.  The database
 * is the report tests' fixture (support/reports_fixture.c).
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reports_fixture.h"
#include "runtime_images.h"
#include "simtest.h"

/* The project's cnn workload (the fixture's model). */
static const char *cnn(void)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/workloads/cnn.tflite", build_root());
    return path;
}

/* ---- the table ---- */

Test(runtime_table, default_kernels_and_names)
{
    cr_expect_str_eq(runtime_default_kernels("mcusim"), "ref");
    cr_expect_null(runtime_default_kernels("nosuch"));
    cr_expect(runtime_known("mcusim"));
    cr_expect_not(runtime_known("nosuch"));
    cr_expect(runtime_has_kernels("opt"));
    cr_expect_not(runtime_has_kernels("fast"));
    /* The texts list every row's runtime and kernels once, the own
     * runtime first (another runtime's rows may follow). */
    char names[256], kernels[256], own[128];
    runtime_names_text("|", "|", names, sizeof names);
    runtime_kernels_text(NULL, "|", "|", kernels, sizeof kernels);
    runtime_kernels_text("mcusim", ", ", " or ", own, sizeof own);
    cr_expect_str_eq(own, "ref or opt");
    cr_expect(!strncmp(names, "mcusim", 6) && (!names[6] || names[6] == '|'), "%s", names);
    cr_expect(!strncmp(kernels, "ref|opt", 7), "%s", kernels);
    for (size_t i = 0; runtime_image_at(i); i++) {
        char bar[64];
        snprintf(bar, sizeof bar, "|%s|", runtime_image_at(i)->runtime);
        char wrapped[300];
        snprintf(wrapped, sizeof wrapped, "|%s|", names);
        cr_expect(strstr(wrapped, bar), "%s in %s", bar, names);
        cr_expect_eq(count_of(wrapped, bar), 1, "%s once in %s", bar, names);
        snprintf(bar, sizeof bar, "|%s|", runtime_image_at(i)->kernels);
        snprintf(wrapped, sizeof wrapped, "|%s|", kernels);
        cr_expect_eq(count_of(wrapped, bar), 1, "%s once in %s", bar, kernels);
    }
}

Test(runtime_table, resolve_defaults_and_explains_what_exists)
{
    char err[512] = "";
    const struct runtime_image *ri = runtime_image_resolve(NULL, NULL, err, sizeof err);
    cr_assert_not_null(ri, "%s", err);
    cr_expect_str_eq(ri->runtime, "mcusim");
    cr_expect_str_eq(ri->kernels, "ref");
    ri = runtime_image_resolve("mcusim", "opt", err, sizeof err);
    cr_assert_not_null(ri, "%s", err);
    cr_expect_str_eq(ri->kernels, "opt");
    cr_expect_eq(runtime_image_resolve("mcusim", "", err, sizeof err), runtime_image_find("mcusim", "ref"));

    cr_expect_null(runtime_image_resolve("tflite-micro", NULL, err, sizeof err));
    cr_expect(strstr(err, "runtime 'tflite-micro' is not built into this mcusim (it has mcusim") == err, "%s", err);
    cr_expect_null(runtime_image_resolve("mcusim", "cmsis-nn", err, sizeof err));
    cr_expect_str_eq(err, "runtime 'mcusim' has no kernel family 'cmsis-nn' (ref or opt)");
}

/* ---- the command line ---- */

Test(profile_runtime, unknown_runtime_or_kernels_is_one_line_and_exit_2, .timeout = 120)
{
    char *out, *err;
    int rc = mcusim(&out, &err, "profile %s --runtime tflite-micro --db never.db", cnn());
    cr_expect_eq(rc, 2);
    cr_expect(strstr(err, "mcusim profile: runtime 'tflite-micro' is not built into this mcusim (it has mcusim") == err,
              "%s", err);
    cr_expect_eq(count_of(err, "\n"), 1, "%s", err);
    free(out);
    free(err);
    rc = mcusim(&out, &err, "profile %s --runtime mcusim --kernels cmsis-nn --db never.db", cnn());
    cr_expect_eq(rc, 2);
    cr_expect_str_eq(err, "mcusim profile: runtime 'mcusim' has no kernel family 'cmsis-nn' (ref or opt)\n");
    free(out);
    free(err);
    cr_expect_neq(access(fixture_path("never.db"), F_OK), 0, "bad options create no database");

    rc = mcusim(&out, &err, "profile --help");
    cr_expect_eq(rc, 0);
    char names[256], line[400];
    runtime_names_text("|", "|", names, sizeof names);
    snprintf(line, sizeof line, "-r, --runtime NAME        inference runtime: %s (default: mcusim)", names);
    cr_expect(strstr(out, line), "%s", out);
    cr_expect(strstr(out, "mcusim: ref|opt"), "%s", out);
    free(out);
    free(err);
}

/* The value of one SQL query's first column as text (static buffer). */
static const char *query(const char *db_name, const char *sql)
{
    static char value[256];
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(fixture_path(db_name), &db), SQLITE_OK);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
    value[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(value, sizeof value, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return value;
}

/* Copies a database of the fixture directory (fixture_path() has one
 * buffer: the names are taken one at a time). */
static void copy_db(const char *from, const char *to)
{
    char src[1024], cmd[2200];
    snprintf(src, sizeof src, "%s", fixture_path(from));
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", src, fixture_path(to));
    cr_assert_eq(system(cmd), 0, "%s", cmd);
}

static void exec_sql(const char *db_name, const char *sql)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(fixture_path(db_name), &db), SQLITE_OK);
    char *msg = NULL;
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &msg), SQLITE_OK, "%s: %s", sql, msg ? msg : "");
    sqlite3_close(db);
}

Test(profile_runtime, the_runtime_is_stored_and_shown, .timeout = 300)
{
    char *out, *err;
    int rc = mcusim(&out, &err, "profile %s --db rt2.db --tag rt-default -q --json rt.json", cnn());
    cr_assert_eq(rc, 0, "%s", err);
    free(out);
    free(err);
    rc = mcusim(&out, &err, "profile %s --runtime mcusim --kernels opt --db rt2.db --tag rt-opt -q", cnn());
    cr_assert_eq(rc, 0, "%s", err);
    free(out);
    free(err);
    cr_expect_str_eq(query("rt2.db", "SELECT group_concat(runtime || '/' || kernels, ' ') FROM runs"),
                     "mcusim/ref mcusim/opt");
    cr_expect_str_eq(query("rt2.db", "PRAGMA user_version"), "4");
    char *json = slurp(fixture_path("rt.json"), NULL);
    cr_assert_not_null(json);
    cr_expect(strstr(json, "\"runtime\":\t\"mcusim\"") || strstr(json, "\"runtime\": \"mcusim\"") ||
                  strstr(json, "\"runtime\":\"mcusim\""),
              "%s", json);
    free(json);

    rc = mcusim(&out, &err, "runs --db rt2.db");
    cr_expect_eq(rc, 0, "%s", err);
    cr_expect(strstr(out, "runtime/kernels"), "%s", out);
    cr_expect(strstr(out, "mcusim/ref") && strstr(out, "mcusim/opt"), "%s", out);
    free(out);
    free(err);
    rc = mcusim(&out, &err, "report rt-opt --db rt2.db");
    cr_expect_eq(rc, 0, "%s", err);
    cr_expect(strstr(out, "cnn.tflite on nano33ble (cortex-m4f, 64 MHz), mcusim runtime, kernels opt"), "%s", out);
    free(out);
    free(err);
    rc = mcusim(&out, &err, "runs --db rt2.db -f csv");
    cr_expect_eq(rc, 0, "%s", err);
    cr_expect(strstr(out, ",runtime,kernels,") && strstr(out, ",mcusim,opt,"), "%s", out);
    free(out);
    free(err);
}

/* ---- schema version 3 -> 4 (and 2 -> 3 -> 4) ---- */

/* A version-3 file made from the fixture's runs: the runtime column
 * dropped and the version set back, as mcusim before runtimes wrote it;
 * one run made plain firmware (no model, no kernels). */
static void make_v3(const char *name)
{
    copy_db("runs.db", name);
    exec_sql(name, "PRAGMA journal_mode = DELETE; ALTER TABLE runs DROP COLUMN runtime; "
                   "UPDATE runs SET kernels = '', model = '' WHERE id = 2; PRAGMA user_version = 3");
    cr_assert_str_eq(query(name, "PRAGMA user_version"), "3");
    cr_assert_str_eq(query(name, "SELECT count(*) FROM pragma_table_info('runs') WHERE name = 'runtime'"), "0");
    cr_assert_str_eq(query(name, "SELECT count(*) FROM pragma_table_info('runs') WHERE name = 'clock_source'"), "1");
}

/* A version-2 file: a version-3 one without what version 3 added (what
 * set the clock and the memory timing), as mcusim wrote it before both. */
static void make_v2(const char *name)
{
    make_v3(name);
    exec_sql(name, "ALTER TABLE runs DROP COLUMN clock_source; ALTER TABLE runs DROP COLUMN memory_timing_source; "
                   "PRAGMA user_version = 2");
    cr_assert_str_eq(query(name, "PRAGMA user_version"), "2");
    cr_assert_str_eq(query(name, "SELECT count(*) FROM pragma_table_info('runs') WHERE name = 'clock_source'"), "0");
}

/* Read-only commands read an older file as migrated without migrating it;
 * the first write migrates it to the current version, model runs having
 * run mcusim's own runtime. */
static void check_reads_as_migrated_and_migrates_on_write(const char *name, const char *version)
{
    char *out, *err;
    int rc = mcusim(&out, &err, "runs --db %s -f csv", name);
    cr_expect_eq(rc, 0, "%s", err);
    cr_expect(strstr(out, ",mcusim,ref,"), "%s", out);
    free(out);
    free(err);
    rc = mcusim(&out, &err, "report cnn-ref --db %s", name);
    cr_expect_eq(rc, 0, "%s", err);
    cr_expect(strstr(out, "cnn.tflite on ") && strstr(out, "), mcusim runtime, kernels ref"), "%s", out);
    free(out);
    free(err);
    cr_expect_str_eq(query(name, "PRAGMA user_version"), version);
    rc = mcusim(&out, &err, "db check %s", name);
    cr_expect_eq(rc, 0, "%s", err);
    free(out);
    free(err);

    rc = mcusim(&out, &err, "profile %s --kernels opt --db %s --tag after -q", cnn(), name);
    cr_assert_eq(rc, 0, "%s", err);
    free(out);
    free(err);
    cr_expect_str_eq(query(name, "PRAGMA user_version"), "4");
    cr_expect_str_eq(query(name, "SELECT count(*) FROM runs WHERE runtime = 'mcusim'"),
                     query(name, "SELECT count(*) FROM runs WHERE kernels <> ''"));
    cr_expect_str_eq(query(name, "SELECT runtime FROM runs WHERE id = 2"), "");
    cr_expect_str_eq(query(name, "SELECT runtime || '/' || kernels FROM runs WHERE tag = 'after'"), "mcusim/opt");
    cr_expect_str_eq(query(name, "SELECT count(*) FROM runs WHERE clock_source = '' AND memory_timing_source = ''"),
                     query(name, "SELECT count(*) FROM runs"));
    rc = mcusim(&out, &err, "db check %s", name);
    cr_expect_eq(rc, 0, "%s", err);
    free(out);
    free(err);
}

Test(schema, version_3_reads_as_migrated_and_migrates_on_write, .timeout = 300)
{
    make_v3("v3.db");
    check_reads_as_migrated_and_migrates_on_write("v3.db", "3");
}

Test(schema, version_2_migrates_through_both_steps, .timeout = 300)
{
    make_v2("v2.db");
    check_reads_as_migrated_and_migrates_on_write("v2.db", "2");
}

/* Merging an older file names the runtime of its model runs, as its
 * migration would. */
static void check_merge_names_the_runtime(const char *from, const char *into)
{
    char *out, *err;
    int rc = mcusim(&out, &err, "db merge %s %s", into, from);
    cr_assert_eq(rc, 0, "%s%s", out, err);
    free(out);
    free(err);
    cr_expect_str_eq(query(into, "PRAGMA user_version"), "4");
    cr_expect_str_eq(query(into, "SELECT count(*) FROM runs"), query(from, "SELECT count(*) FROM runs"));
    cr_expect_str_eq(query(into, "SELECT count(*) FROM runs WHERE runtime = 'mcusim'"),
                     query(from, "SELECT count(*) FROM runs WHERE kernels <> ''"));
    cr_expect_str_eq(query(into, "SELECT count(*) FROM runs WHERE runtime = '' AND kernels = ''"), "1");
}

Test(schema, merging_a_version_3_file_names_the_runtime, .timeout = 300)
{
    make_v3("v3m.db");
    check_merge_names_the_runtime("v3m.db", "merged3.db");
}

Test(schema, merging_a_version_2_file_names_the_runtime, .timeout = 300)
{
    make_v2("v2m.db");
    check_merge_names_the_runtime("v2m.db", "merged2.db");
}

Test(schema, a_newer_file_is_refused, .timeout = 120)
{
    copy_db("runs.db", "v5.db");
    exec_sql("v5.db", "PRAGMA user_version = 5");
    char *out, *err;
    int rc = mcusim(&out, &err, "runs --db v5.db");
    cr_expect_eq(rc, 2);
    cr_expect(strstr(err, "v5.db: written by a newer mcusim (schema version 5; this mcusim knows up to 4)"), "%s",
              err);
    free(out);
    free(err);
}

/* ---- compare and gate across runtimes ---- */

Test(compare_runtime, columns_are_labelled_with_runtime_and_kernels, .timeout = 120)
{
    char *out, *err;
    int rc = mcusim(&out, &err, "compare cnn-ref cnn-opt --db runs.db");
    cr_assert_eq(rc, 0, "%s", err);
    cr_expect(strstr(out, "A mcusim/ref  B mcusim/opt"), "totals headed by runtime and kernels:\n%s", out);
    cr_expect(strstr(out, "A mcusim/ref cycles  B mcusim/opt cycles"), "layers headed likewise:\n%s", out);
    free(out);
    free(err);
}

/* The fixture's cnn runs with the second made a run of another runtime
 * (same kernels name): layers match by index and op whatever the runtime,
 * the columns say whose is whose, and the faster run is marked per layer. */
Test(compare_runtime, layers_match_across_runtimes_and_the_faster_is_marked, .timeout = 120)
{
    copy_db("runs.db", "two.db");
    exec_sql("two.db", "PRAGMA journal_mode = DELETE; UPDATE runs SET runtime = 'other', kernels = 'ref' "
                       "WHERE tag = 'cnn-opt'");
    char *out, *err;
    int rc = mcusim(&out, &err, "compare cnn-ref cnn-opt --db two.db");
    cr_assert_eq(rc, 0, "%s", err);
    cr_expect(strstr(out, "A mcusim/ref cycles  B other/ref cycles"), "%s", out);
    cr_expect(strstr(out, "layers: all 9 matched by index and op"), "%s", out);
    /* opt kernels are faster on every convolution: B wins those rows. */
    const char *conv = strstr(out, "  2  CONV_2D");
    cr_assert_not_null(conv, "%s", out);
    const char *eol = strchr(conv, '\n');
    cr_expect(eol && eol[-1] == 'B', "%.*s", (int)(eol - conv), conv);
    free(out);
    free(err);
}

static const char *gate_detail(const char *out, const char *workload, const char *check)
{
    static char line[2048];
    for (const char *p = out; *p;) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        snprintf(line, sizeof line, "%.*s", (int)n, p);
        if (strstr(line, workload) && strstr(line, check))
            return line;
        p += n + (eol ? 1 : 0);
    }
    return "";
}

Test(gate_runtime, baseline_is_the_same_runtime_and_kernels_unless_asked, .timeout = 120)
{
    /* base3.db: the fixture with the latest cnn-ref run turned into a run
     * of another runtime with the same kernels name.  The run gated (the
     * latest cnn-ref in runs.db, mcusim/ref) must be held against the
     * latest mcusim/ref cnn-ref run there, the earlier one. */
    copy_db("runs.db", "base3.db");
    exec_sql("base3.db", "PRAGMA journal_mode = DELETE; UPDATE runs SET runtime = 'other' "
                         "WHERE id = (SELECT max(id) FROM runs WHERE tag = 'cnn-ref')");
    const char *latest = query("base3.db", "SELECT max(id) FROM runs WHERE tag = 'cnn-ref'");
    char other_id[32], same_id[32];
    snprintf(other_id, sizeof other_id, "%s", latest);
    snprintf(same_id, sizeof same_id, "%s",
             query("base3.db", "SELECT max(id) FROM runs WHERE tag = 'cnn-ref' AND runtime = 'mcusim'"));
    cr_assert_neq(strcmp(other_id, same_id), 0);
    write_text(fixture_path("rt-gate.ini"), "[cnn-ref]\nmax_regression_pct = 50\n");

    char *out, *err, want[64];
    int rc = mcusim(&out, &err, "gate --budget rt-gate.ini --db runs.db --baseline base3.db");
    cr_expect_eq(rc, 0, "%s%s", out, err);
    snprintf(want, sizeof want, "in run %s of base3.db", same_id);
    cr_expect(strstr(gate_detail(out, "cnn-ref", "latency_regression"), want), "%s", out);
    free(out);
    free(err);

    rc = mcusim(&out, &err, "gate --budget rt-gate.ini --db runs.db --baseline base3.db --baseline-any-runtime");
    cr_expect_eq(rc, 0, "%s%s", out, err);
    snprintf(want, sizeof want, "in run %s of base3.db", other_id);
    cr_expect(strstr(gate_detail(out, "cnn-ref", "latency_regression"), want), "%s", out);
    free(out);
    free(err);
}

Test(gate_runtime, budgets_select_and_check_runtimes, .timeout = 120)
{
    write_text(fixture_path("rt-sel.ini"), "[opt]\ntag = cnn-opt\nruntime = mcusim\nkernels = opt\nmax_ram_kb = 64\n"
                                           "[none]\ntag = cnn-opt\nkernels = ref\nmax_ram_kb = 64\n");
    char *out, *err;
    int rc = mcusim(&out, &err, "gate --budget rt-sel.ini --db runs.db");
    cr_expect_eq(rc, 1, "%s%s", out, err);
    cr_expect(strstr(gate_detail(out, "opt", "status"), "PASS"), "%s", out);
    cr_expect(strstr(gate_detail(out, "none", "run"), "no run in runs.db matches tag 'cnn-opt', kernels 'ref'"), "%s",
              out);
    free(out);
    free(err);

    write_text(fixture_path("rt-bad.ini"), "[a]\nruntime = tflite-micro\nmax_ram_kb = 64\n");
    rc = mcusim(&out, &err, "gate --budget rt-bad.ini --db runs.db");
    cr_expect_eq(rc, 2);
    cr_expect(strstr(err, "mcusim gate: rt-bad.ini:2: runtime 'tflite-micro' is not built into this mcusim"), "%s", err);
    free(out);
    free(err);
    /* A family no runtime has, the runtime given in [defaults]. */
    char known[256], want[512];
    runtime_kernels_text(NULL, ", ", " or ", known, sizeof known);
    snprintf(want, sizeof want, "mcusim gate: rt-bad2.ini:4: kernels is %s, not 'fast'\n", known);
    write_text(fixture_path("rt-bad2.ini"), "[defaults]\nruntime = mcusim\n[a]\nkernels = fast\nmax_ram_kb = 1\n");
    rc = mcusim(&out, &err, "gate --budget rt-bad2.ini --db runs.db");
    cr_expect_eq(rc, 2);
    cr_expect_str_eq(err, want);
    free(out);
    free(err);
}

Test(profile_runtime, model_info_and_bench_take_the_runtime_too, .timeout = 120)
{
    char *out, *err;
    int rc = mcusim(&out, &err, "model info %s --runtime tflite-micro", cnn());
    cr_expect_eq(rc, 2);
    cr_expect(strstr(err, "mcusim model info: runtime 'tflite-micro' is not built into this mcusim") == err, "%s", err);
    free(out);
    free(err);
    rc = mcusim(&out, &err, "model info %s --runtime mcusim --kernels opt", cnn());
    cr_expect_eq(rc, 0, "%s", err);
    cr_expect(strstr(out, "kernels: opt"), "%s", out);
    free(out);
    free(err);
    rc = mcusim(&out, &err, "bench --runtime tflite-micro");
    cr_expect_eq(rc, 2);
    cr_expect(strstr(err, "mcusim bench: runtime 'tflite-micro' is not built into this mcusim") == err, "%s", err);
    free(out);
    free(err);
}

Test(runtime_table, missing_images_say_how_to_get_them)
{
    char dir[] = "/tmp/mcusim-rt-images-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    const struct runtime_image *opt = runtime_image_find("mcusim", "opt");
    const char *dirs[] = {NULL, "", dir};
    char path[1024], err[1024];
    /* No image of the row for any board: the runtime is not built. */
    cr_expect_eq(runtime_image_path_in(opt, "nano33ble", dirs, 3, path, sizeof path, err, sizeof err), -1);
    cr_expect(strstr(err, "runtime 'mcusim' with kernels 'opt' is not built into this mcusim (run 'ninja -C "
                          "BUILD_DIR'") == err,
              "%s", err);
    /* Another board's image there: this board is what is missing. */
    char other[1200];
    snprintf(other, sizeof other, "%s/runtime-pico-opt.elf", dir);
    write_text(other, "");
    cr_expect_eq(runtime_image_path_in(opt, "nano33ble", dirs, 3, path, sizeof path, err, sizeof err), -1);
    cr_expect(strstr(err, "no mcusim firmware for board 'nano33ble' with kernels 'opt'") == err, "%s", err);
    cr_expect_eq(runtime_image_path_in(opt, "pico", dirs, 3, path, sizeof path, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(path, other);
    unlink(other);
    rmdir(dir);
}
