/*
 * test_reports.c — 'mcusim report', 'compare' and 'runs' on a database
 * filled by profiling the project's workloads (reports_fixture.h):
 * the text and Markdown formats against golden files, CSV and JSON
 * against the stored rows, run selection and bad input, 'profile'
 * printing the same report, 'runs rm', the format an output file's
 * extension picks in every command, and the HTML reports rendered in
 * headless Chromium with their charts checked pixel by pixel (skipped when
 * Debian's chromium is not installed).
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "compare.h"
#include "fmt.h"
#include "simtest.h"
#include "reports_fixture.h"
#include "browser.h"

/* ---- small helpers ---- */

static sqlite3 *open_db(const char *name)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open_v2(fixture_path(name), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    return db;
}

static long long query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sql);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static long long db_int(const char *name, const char *sql)
{
    sqlite3 *db = open_db(name);
    long long v = query_int(db, sql);
    sqlite3_close(db);
    return v;
}

/* The line of text starting with prefix (malloc'd), or NULL. */
static char *line_starting(const char *text, const char *prefix)
{
    for (const char *p = text; p && *p;) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        if (!strncmp(p, prefix, strlen(prefix)))
            return strndup(p, n);
        p = eol ? eol + 1 : NULL;
    }
    return NULL;
}

/* The command's status is taken before its captured stderr is read. */
#define run_ok(what, call, err)                                                   \
    do {                                                                          \
        int rc_ = (call);                                                         \
        cr_assert_eq(rc_, 0, "%s: exit %d: %s", what, rc_, (err) ? (err) : "");  \
    } while (0)

/* ---- the number formats every human-readable report uses ---- */

Test(units, number_formats)
{
    cr_expect_str_eq(fmt_int(0).s, "0");
    cr_expect_str_eq(fmt_int(999).s, "999");
    cr_expect_str_eq(fmt_int(1000).s, "1,000");
    cr_expect_str_eq(fmt_int(41572867).s, "41,572,867");
    cr_expect_str_eq(fmt_int(18446744073709551615ull).s, "18,446,744,073,709,551,615");
    cr_expect_str_eq(fmt_num(1833.5224, 2).s, "1,833.52");
    cr_expect_str_eq(fmt_num(-1234567.891, 1).s, "-1,234,567.9");
    cr_expect_str_eq(fmt_num(-0.0004, 2).s, "0.00", "no minus sign on a zero");
    cr_expect_str_eq(fmt_num(NAN, 2).s, "-");
    cr_expect_str_eq(fmt_snum(3.14159, 2).s, "+3.14");
    cr_expect_str_eq(fmt_snum(-2010112, 0).s, "-2,010,112");
    cr_expect_str_eq(fmt_snum(-0.0004, 1).s, "-0.0", "a tiny decrease keeps its sign");
    cr_expect_str_eq(fmt_snum(0, 0).s, "+0");
    cr_expect_str_eq(fmt_pct(9.5123).s, "9.5%");
    cr_expect_str_eq(fmt_spct(-63.63).s, "-63.6%");
    cr_expect_str_eq(fmt_kb(1048576).s, "1,024.0");
    cr_expect_str_eq(fmt_kb(24940).s, "24.4");
    cr_expect_str_eq(fmt_mhz(64000000).s, "64 MHz");
    cr_expect_str_eq(fmt_mhz(133500000).s, "133.5 MHz");
    cr_expect_eq(utf8_width("energy µJ (est.)"), 16);
}

Test(units, best_run_text)
{
    const bool all[3] = {true, true, true}, two[3] = {true, false, true};
    char out[16];
    cmp_best_text(1u << 1, all, 3, out, sizeof out);
    cr_expect_str_eq(out, "B");
    cmp_best_text(1u << 0 | 1u << 2, all, 3, out, sizeof out);
    cr_expect_str_eq(out, "A C", "a tie names every winner");
    cmp_best_text(1u << 0 | 1u << 2, two, 3, out, sizeof out);
    cr_expect_str_eq(out, "=", "all runs with a value are equal");
    cmp_best_text(0, all, 3, out, sizeof out);
    cr_expect_str_eq(out, "", "not ranked");
}

/* ---- report ---- */

Test(report, text_matches_golden_and_tag_selects_latest, .timeout = 120)
{
    char *out, *err;
    run_ok("report", mcusim(&out, &err, "report cnn-ref --db runs.db"), err);
    cr_expect_str_empty(err);
    /* A tag selects its most recently stored run. */
    char *id = line_starting(out, "run ");
    cr_assert_not_null(id, "%s", out);
    cr_expect_str_eq(id, "run 8, tag cnn-ref");
    /* Nothing host-dependent outside the host lines. */
    char *masked = mask_host_lines(out);
    cr_expect_null(strstr(masked, fixture_dir()), "%s", masked);
    cr_expect_null(strstr(masked, build_root()), "%s", masked);
    cr_expect_null(strstr(masked, "MIPS"), "%s", masked);
    check_golden("report_cnn_ref.txt", out);
    free(id);
    free(masked);
    free(out);
    free(err);
}

Test(report, markdown_matches_golden, .timeout = 120)
{
    char *out, *err;
    run_ok("report -f md", mcusim(&out, &err, "report 1 --db runs.db -f md"), err);
    cr_expect(strstr(out, "### mcusim report: cnn.tflite on nano33ble") == out, "%s", out);
    cr_expect(strstr(out, "| # | op | kernel | shape | MACs | cycles | % | cycles/MAC | ms | RAM KB | energy µJ (est.) |"),
              "%s", out);
    check_golden("report_cnn_ref.md", out);
    free(out);
    free(err);
}

Test(report, nofit_run_reports_its_numbers, .timeout = 120)
{
    char *out, *err;
    run_ok("report big-ram", mcusim(&out, &err, "report big-ram --db runs.db"), err);
    char want[160];
    snprintf(want, sizeof want, "nofit: big_ram.tflite does not fit nano33ble: RAM needs %lld bytes of 262144",
             db_int("runs.db", "SELECT ram_capacity - ram_arena_capacity + ram_arena_planned FROM runs WHERE id = 6"));
    cr_expect(strstr(out, want), "%s\n%s", want, out);
    long long need =
        db_int("runs.db", "SELECT ram_capacity - ram_arena_capacity + ram_arena_planned FROM runs WHERE id = 6");
    snprintf(want, sizeof want, "RAM: needs %s KB of 256.0 KB (%.1f%%), does not fit; nothing ran", kb_text(need),
             100.0 * need / (256 * 1024));
    cr_expect(strstr(out, want), "%s\n%s", want, out);
    cr_expect(strstr(out, "latency: not measured (nothing ran: the model does not fit the board)\n"
                          "energy: not measured\n"),
              "%s", out);
    cr_expect_null(strstr(out, "no energy model"), "%s", out);
    cr_expect(strstr(out, want), "%s\n%s", want, out);
    check_golden("report_big_ram.txt", out);
    free(out);
    free(err);
    run_ok("report big-flash", mcusim(&out, &err, "report big-flash --db runs.db"), err);
    cr_expect(strstr(out, "big_flash.tflite does not fit nano33ble: flash needs "), "%s", out);
    long long used = db_int("runs.db", "SELECT flash_code + flash_rodata + flash_data + flash_model FROM runs WHERE id = 7");
    snprintf(want, sizeof want, "flash: %s KB of 1,024.0 KB (%.1f%%), does not fit", kb_text(used),
             100.0 * used / (1024 * 1024));
    cr_expect(strstr(out, want), "%s\n%s", want, out);
    free(out);
    free(err);
}

Test(report, run_without_layers, .timeout = 120)
{
    char *out, *err;
    run_ok("report big-flash", mcusim(&out, &err, "report big-flash --db runs.db"), err);
    cr_expect(strstr(out, "\nno layers or regions were measured\n"), "%s", out);
    cr_expect_null(strstr(out, "  #  op"), "no empty layer table:\n%s", out);
    free(out);
    free(err);
}

/* A board file without [energy] stores 0: reports say "not estimated"
 * instead of showing 0 uJ as if it were measured.  Every shipped board has
 * a model, so the test makes such a file: nano33ble's without [energy]. */
Test(report, board_without_energy_model, .timeout = 120)
{
    char *out, *err;
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "awk '/^; Energy model/{skip=1} /^; Memory timing/{skip=0} !skip' '%s/boards/nano33ble.ini' >noenergy.ini",
             source_root());
    run_ok("awk", shell(&out, &err, cmd), err);
    free(out);
    free(err);
    run_ok("profile", mcusim(&out, &err, "profile %s/workloads/cnn_half.tflite --board noenergy.ini --db noenergy.db -q",
                             build_root()),
           err);
    free(out);
    free(err);
    run_ok("report", mcusim(&out, &err, "report latest --db noenergy.db"), err);
    cr_expect(strstr(out, "energy not estimated (board nano33ble has no energy model)"), "%s", out);
    cr_expect_null(strstr(out, "0.00 uJ"), "%s", out);
    cr_expect_null(strstr(out, "self uJ"), "no function energy column without a model: %s", out);
    free(out);
    free(err);
}

Test(report, json_agrees_with_the_database, .timeout = 120)
{
    char *out, *err;
    run_ok("report -f json", mcusim(&out, &err, "report 1 --db runs.db --format json"), err);
    cJSON *j = cJSON_Parse(out);
    cr_assert_not_null(j, "not JSON: %s", out);
    cJSON *run = cJSON_GetObjectItem(j, "run");
    cJSON *lat = cJSON_GetObjectItem(run, "latency");
    long long inf = db_int("runs.db", "SELECT inference_cycles FROM runs WHERE id = 1");
    cr_assert_gt(inf, 0);
    cr_expect_eq((long long)cJSON_GetObjectItem(lat, "cycles")->valuedouble, inf);
    cr_expect_float_eq(cJSON_GetObjectItem(lat, "ms")->valuedouble, inf / 64e3, 1e-9);
    cr_expect_str_eq(cJSON_GetObjectItem(lat, "scope")->valuestring, "inference");
    cJSON *layers = cJSON_GetObjectItem(j, "layers");
    cr_expect_eq(cJSON_GetArraySize(layers), db_int("runs.db", "SELECT count(*) FROM layers WHERE run_id = 1"));
    long long macs = db_int("runs.db", "SELECT sum(macs) FROM layers WHERE run_id = 1 AND kind = 'layer'");
    cr_expect_eq((long long)cJSON_GetObjectItem(lat, "macs")->valuedouble, macs);
    cJSON *fl = cJSON_GetObjectItem(run, "flash");
    cr_expect_eq((long long)cJSON_GetObjectItem(fl, "used")->valuedouble,
                 db_int("runs.db", "SELECT flash_code + flash_rodata + flash_data + flash_model FROM runs WHERE id = 1"));
    /* Energy keys say they are estimates. */
    cr_expect_not_null(cJSON_GetObjectItem(lat, "energy_uj_est"));
    cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "functions")), 10);
    cJSON_Delete(j);
    free(out);
    free(err);
}

Test(report, csv_rows_are_the_layers_and_a_total, .timeout = 120)
{
    char *out, *err;
    run_ok("report -f csv", mcusim(&out, &err, "report 1 --db runs.db -f csv"), err);
    int lines = count_of(out, "\n");
    long long layers = db_int("runs.db", "SELECT count(*) FROM layers WHERE run_id = 1 AND kind = 'layer'");
    cr_expect_eq(lines, layers + 2, "header, %lld layers, total:\n%s", layers, out);
    /* Every row has the header's number of fields (no field here needs quoting). */
    int fields = -1;
    for (char *p = out; *p;) {
        char *eol = strchr(p, '\n');
        int f = 1;
        for (char *q = p; q < eol; q++)
            f += *q == ',';
        if (fields < 0)
            fields = f;
        cr_expect_eq(f, fields, "%.*s", (int)(eol - p), p);
        p = eol + 1;
    }
    cr_expect_eq(fields, 22);
    char *total = line_starting(out, "1,cnn-ref,nano33ble,mcusim,ref,");
    cr_assert_not_null(total);
    char *last = strrchr(out, '\n');
    *last = '\0';
    last = strrchr(out, '\n') + 1;
    char want[64];
    snprintf(want, sizeof want, ",inference,,,,,%lld,%lld,",
             db_int("runs.db", "SELECT sum(macs) FROM layers WHERE run_id = 1 AND kind = 'layer'"),
             db_int("runs.db", "SELECT inference_cycles FROM runs WHERE id = 1"));
    cr_expect(strstr(last, want), "%s does not have %s", last, want);
    free(total);
    free(out);
    free(err);
}

Test(report, html_file_is_self_contained, .timeout = 120)
{
    char *out, *err;
    run_ok("report -o", mcusim(&out, &err, "report 1 --db runs.db -o cnn-ref.html"), err);
    cr_expect_str_empty(out);
    char *html = slurp(fixture_path("cnn-ref.html"), NULL);
    cr_assert_not_null(html);
    cr_expect(strstr(html, "<!DOCTYPE html>") == html, "the format follows the extension");
    cr_expect_eq(count_of(html, "<svg id=\"chart-"), 4);
    cr_expect_eq(count_of(html, "<script"), 0);
    cr_expect_eq(count_of(html, " src="), 0);
    cr_expect_eq(count_of(html, "<link"), 0);
    cr_expect_eq(count_of(html, "url("), 0);
    /* The only URL is the SVG namespace, which loads nothing. */
    cr_expect_eq(count_of(html, "http"), count_of(html, "xmlns=\"http://www.w3.org/2000/svg\""));
    cr_expect(strstr(html, "Energy per layer (estimate"), "energy is labelled an estimate");
    free(html);
    free(out);
    free(err);
}

Test(report, selectors_and_bad_input, .timeout = 120)
{
    char *out, *err;
    long long latest = db_int("runs.db", "SELECT max(id) FROM runs");
    run_ok("report latest", mcusim(&out, &err, "report --db runs.db"), err);
    char want[64];
    snprintf(want, sizeof want, "\nrun %lld, tag ", latest);
    cr_expect(strstr(out, want), "latest is run %lld:\n%s", latest, out);
    free(out);
    free(err);

    cr_expect_eq(mcusim(&out, &err, "report 999 --db runs.db"), 2);
    cr_expect_str_eq(err, "mcusim report: runs.db: no run with id or tag '999' (see 'mcusim runs')\n");
    cr_expect_str_empty(out);
    free(out);
    free(err);
    cr_expect_eq(mcusim(&out, &err, "report no-such-tag --db runs.db"), 2);
    cr_expect_str_eq(err, "mcusim report: runs.db: no run with tag 'no-such-tag' (see 'mcusim runs')\n");
    free(out);
    free(err);
    cr_expect_eq(mcusim(&out, &err, "report --db missing.db"), 2);
    cr_expect_str_eq(err, "mcusim report: missing.db: no such database (profile something first, or give --db)\n");
    cr_expect_eq(access(fixture_path("missing.db"), F_OK), -1, "reading never creates a database");
    free(out);
    free(err);
    write_text(fixture_path("garbage.db"), "this is not a database, only text that is long enough to matter\n");
    cr_expect_eq(mcusim(&out, &err, "report --db garbage.db"), 2);
    cr_expect(strstr(err, "garbage.db: not an mcusim database") != NULL, "%s", err);
    cr_expect_eq(count_of(err, "\n"), 1, "one line: %s", err);
    free(out);
    free(err);
    cr_expect_eq(mcusim(&out, &err, "report 1 --db runs.db -f pdf"), 2);
    cr_expect_str_eq(err, "mcusim report: --format is text, md, html, csv or json, not 'pdf'\n");
    free(out);
    free(err);
}

/* 'mcusim profile' prints the report of the run it measured, through the
 * same renderer: the same text as 'mcusim report' but for the run id it
 * cannot know yet (it says where it stored the run instead). */
Test(report, profile_prints_the_same_report, .timeout = 120)
{
    char *prof, *rep, *err;
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s/mcusim' profile '%s/workloads/cnn.tflite' --no-db --tag cnn-ref", build_root(),
             build_root());
    run_ok("profile", shell(&prof, &err, cmd), err);
    free(err);
    run_ok("report", mcusim(&rep, &err, "report 1 --db runs.db"), err);
    free(err);
    /* The firmware's "output: ..." line comes first. */
    char *body = strstr(prof, "\ncnn.tflite on nano33ble");
    cr_assert_not_null(body, "%s", prof);
    char *p = mask_host_lines(body + 1);
    char *r = mask_host_lines(rep);
    char *id = strstr(r, "run 1, tag cnn-ref\n");
    cr_assert_not_null(id);
    memmove(id, id + strlen("run 1, "), strlen(id + strlen("run 1, ")) + 1);
    cr_expect_str_eq(p, r);
    free(p);
    free(r);
    free(prof);
    free(rep);
}

/* ---- compare ---- */

Test(compare, variants_text_matches_golden, .timeout = 120)
{
    char *out, *err;
    run_ok("compare", mcusim(&out, &err, "compare 1 cnn-half --db runs.db"), err);
    cr_expect(strstr(out, "layers: all 9 matched by index and op"), "%s", out);
    check_golden("compare_cnn_variants.txt", out);
    free(out);
    free(err);
}

Test(compare, boards_markdown_matches_golden, .timeout = 120)
{
    char *out, *err;
    run_ok("compare -f md", mcusim(&out, &err, "compare 1 cnn-f7 cnn-pico --db runs.db -f md"), err);
    check_golden("compare_boards.md", out);
    free(out);
    free(err);
}

static double num_at(cJSON *array, int i)
{
    cJSON *v = cJSON_GetArrayItem(array, i);
    cr_assert(cJSON_IsNumber(v));
    return v->valuedouble;
}

Test(compare, deltas_winners_and_order, .timeout = 120)
{
    char *out, *err;
    run_ok("compare -f json", mcusim(&out, &err, "compare cnn-ref cnn-half --db runs.db -f json"), err);
    cJSON *j = cJSON_Parse(out);
    cr_assert_not_null(j, "%s", out);
    cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(j, "graphs_agree")));
    cJSON *layers = cJSON_GetObjectItem(j, "layers");
    cr_assert_eq(cJSON_GetArraySize(layers), 9);
    double last = INFINITY;
    for (int i = 0; i < 9; i++) {
        cJSON *l = cJSON_GetArrayItem(layers, i);
        cJSON *c = cJSON_GetObjectItem(l, "cycles");
        double a = num_at(c, 0), b = num_at(c, 1);
        cr_expect_leq(fabs(b - a), last, "layers sorted by largest change");
        last = fabs(b - a);
        cJSON *best = cJSON_GetObjectItem(l, "best");
        if (a != b) {
            cr_assert_eq(cJSON_GetArraySize(best), 1);
            cr_expect_str_eq(cJSON_GetArrayItem(best, 0)->valuestring, b < a ? "B" : "A");
        } else {
            cr_expect_eq(cJSON_GetArraySize(best), 2, "a tie names both");
        }
    }
    cJSON *totals = cJSON_GetObjectItem(j, "totals");
    bool seen_latency = false;
    double prev = INFINITY;
    for (int i = 0; i < cJSON_GetArraySize(totals); i++) {
        cJSON *t = cJSON_GetArrayItem(totals, i);
        cJSON *v = cJSON_GetObjectItem(t, "values"), *p = cJSON_GetObjectItem(t, "delta_pct");
        double pct = num_at(p, 1);
        cr_expect_float_eq(pct, 100.0 * (num_at(v, 1) - num_at(v, 0)) / num_at(v, 0), 1e-9);
        cr_expect_leq(fabs(pct), prev + 1e-9, "totals sorted by largest change");
        prev = fabs(pct);
        if (!strcmp(cJSON_GetObjectItem(t, "metric")->valuestring, "latency")) {
            seen_latency = true;
            cr_expect_lt(num_at(v, 1), num_at(v, 0), "the half-width model is faster");
            cr_expect_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(t, "best"), 0)->valuestring, "B");
        }
    }
    cr_expect(seen_latency);
    cJSON_Delete(j);
    free(out);
    free(err);
}

Test(compare, different_graphs_compare_totals_only_where_ops_agree, .timeout = 120)
{
    char *out, *err;
    run_ok("compare", mcusim(&out, &err, "compare cnn-ref dscnn --db runs.db -f json"), err);
    cJSON *j = cJSON_Parse(out);
    cr_assert_not_null(j);
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(j, "graphs_agree")));
    cJSON *layers = cJSON_GetObjectItem(j, "layers");
    sqlite3 *db = open_db("runs.db");
    for (int i = 0; i < cJSON_GetArraySize(layers); i++) {
        cJSON *l = cJSON_GetArrayItem(layers, i);
        char sql[256];
        int index = cJSON_GetObjectItem(l, "index")->valueint;
        const char *op = cJSON_GetObjectItem(l, "op")->valuestring;
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM layers WHERE kind = 'layer' AND layer_index = %d AND op = '%s'"
                 " AND run_id IN (1, 5)",
                 index, op);
        cr_expect_eq(query_int(db, sql), 2, "layer %d (%s) is in both graphs", index, op);
    }
    sqlite3_close(db);
    cJSON_Delete(j);
    free(out);
    free(err);
    run_ok("compare", mcusim(&out, &err, "compare cnn-ref dscnn --db runs.db"), err);
    cr_expect(strstr(out, "layers: the graphs differ;"), "%s", out);
    free(out);
    free(err);
}

Test(compare, ref_against_opt_kernels, .timeout = 120)
{
    cr_assert_eq(db_int("runs.db", "SELECT count(*) FROM runs WHERE tag = 'cnn-opt' AND status = 'ok'"), 1,
                 "the opt run of the fixture completed");
    char *out, *err;
    run_ok("compare", mcusim(&out, &err, "compare cnn-ref cnn-opt --db runs.db"), err);
    cr_expect(strstr(out, "layers: all 9 matched by index and op"), "%s", out);
    cr_expect(strstr(out, "conv_s8_ref / "), "kernels of both runs named:\n%s", out);
    free(out);
    free(err);
}

Test(compare, bad_input, .timeout = 120)
{
    char *out, *err;
    cr_expect_eq(mcusim(&out, &err, "compare cnn-ref --db runs.db"), 2);
    cr_expect_str_eq(err, "mcusim compare: needs at least two runs\n");
    free(out);
    free(err);
    cr_expect_eq(mcusim(&out, &err, "compare cnn-ref nope --db runs.db"), 2);
    cr_expect_str_eq(err, "mcusim compare: runs.db: no run with tag 'nope' (see 'mcusim runs')\n");
    free(out);
    free(err);
}

/* ---- runs ---- */

Test(runs, lists_every_run, .timeout = 120)
{
    char *out, *err;
    long long n = db_int("runs.db", "SELECT count(*) FROM runs");
    cr_assert_geq(n, 8);
    run_ok("runs", mcusim(&out, &err, "runs --db runs.db"), err);
    cr_expect_eq(count_of(out, "\n"), n + 1, "%s", out);
    cr_expect(strstr(out, "id  started ") == out, "%s", out);
    char *big = line_starting(out, " 6  ");
    cr_assert_not_null(big, "%s", out);
    cr_expect(strstr(big, "big-ram") && strstr(big, "big_ram.tflite") && strstr(big, "nofit"), "%s", big);
    free(big);
    free(out);
    free(err);
    run_ok("runs -f json", mcusim(&out, &err, "runs --db runs.db -f json"), err);
    cJSON *j = cJSON_Parse(out);
    cr_assert_not_null(j);
    cr_expect_eq(cJSON_GetArraySize(j), n);
    cJSON_Delete(j);
    free(out);
    free(err);
    run_ok("runs -f csv", mcusim(&out, &err, "runs --db runs.db -f csv"), err);
    cr_expect_eq(count_of(out, "\n"), n + 1);
    free(out);
    free(err);
}

static void copy_db(const char *to)
{
    char cmd[256], *out, *err;
    snprintf(cmd, sizeof cmd, "cp runs.db %s", to);
    cr_assert_eq(shell(&out, &err, cmd), 0, "%s", err);
    free(out);
    free(err);
}

Test(runs, rm_removes_a_run_with_its_layers_and_functions, .timeout = 120)
{
    copy_db("rm1.db");
    long long before = db_int("rm1.db", "SELECT count(*) FROM runs");
    cr_assert_gt(db_int("rm1.db", "SELECT count(*) FROM layers WHERE run_id = 2"), 0);
    cr_assert_gt(db_int("rm1.db", "SELECT count(*) FROM functions WHERE run_id = 2"), 0);
    char *out, *err;
    run_ok("runs rm", mcusim(&out, &err, "runs rm 2 --db rm1.db"), err);
    cr_expect_str_eq(out, "removed run 2: cnn_half.tflite tagged cnn-half on nano33ble, ok\n");
    cr_expect_eq(db_int("rm1.db", "SELECT count(*) FROM runs"), before - 1);
    cr_expect_eq(db_int("rm1.db", "SELECT count(*) FROM runs WHERE id = 2"), 0);
    cr_expect_eq(db_int("rm1.db", "SELECT count(*) FROM layers WHERE run_id = 2"), 0);
    cr_expect_eq(db_int("rm1.db", "SELECT count(*) FROM functions WHERE run_id = 2"), 0);
    cr_expect_eq(db_int("rm1.db", "SELECT count(*) FROM layers WHERE run_id = 1"),
                 db_int("runs.db", "SELECT count(*) FROM layers WHERE run_id = 1"), "other runs untouched");
    free(out);
    free(err);
    cr_expect_eq(mcusim(&out, &err, "report 2 --db rm1.db"), 2);
    free(out);
    free(err);
}

Test(runs, rm_by_tag_removes_every_run_with_it, .timeout = 120)
{
    copy_db("rm2.db");
    char *out, *err;
    run_ok("runs rm", mcusim(&out, &err, "runs rm cnn-ref --db rm2.db"), err);
    cr_expect_str_eq(out, "removed run 1: cnn.tflite tagged cnn-ref on nano33ble, ok\n"
                          "removed run 8: cnn.tflite tagged cnn-ref on nano33ble, ok\n");
    cr_expect_eq(db_int("rm2.db", "SELECT count(*) FROM runs WHERE tag = 'cnn-ref'"), 0);
    free(out);
    free(err);
}

Test(runs, rm_with_an_unknown_run_removes_nothing, .timeout = 120)
{
    copy_db("rm3.db");
    long long before = db_int("rm3.db", "SELECT count(*) FROM runs");
    char *out, *err;
    cr_expect_eq(mcusim(&out, &err, "runs rm 2 3 nope --db rm3.db"), 2);
    cr_expect_str_eq(err, "mcusim runs rm: rm3.db: no run with tag 'nope' (see 'mcusim runs')\n");
    cr_expect_eq(db_int("rm3.db", "SELECT count(*) FROM runs"), before);
    free(out);
    free(err);
    cr_expect_eq(mcusim(&out, &err, "runs rm 1 --db none.db"), 2);
    cr_expect_eq(access(fixture_path("none.db"), F_OK), -1, "no database created");
    free(out);
    free(err);
}

/* ---- output formats: one table, chosen the same way by every command ---- */

/* What "CMD -f FORMAT" writes on stdout (malloc'd). */
static char *stdout_of(const char *cmd, const char *format)
{
    char *out, *err;
    run_ok(cmd, mcusim(&out, &err, "%s --db runs.db -f %s", cmd, format), err);
    free(err);
    return out;
}

/* "CMD -o FILE [-f FORMAT]" writes nothing on stdout and exactly what
 * "CMD -f WANT" prints. */
static void expect_file_as(const char *cmd, const char *file, const char *format, const char *want)
{
    char *out, *err;
    run_ok(cmd, mcusim(&out, &err, "%s --db runs.db -o %s%s%s", cmd, file, format ? " -f " : "", format ? format : ""),
           err);
    cr_expect_str_empty(out, "%s -o %s: nothing on stdout", cmd, file);
    free(out);
    free(err);
    char *written = slurp(fixture_path(file), NULL);
    cr_assert_not_null(written, "%s -o %s wrote the file", cmd, file);
    char *expected = stdout_of(cmd, want);
    cr_expect_str_eq(written, expected, "%s -o %s%s%s is %s", cmd, file, format ? " -f " : "", format ? format : "",
                     want);
    free(expected);
    free(written);
    unlink(fixture_path(file));
}

Test(formats, the_output_file_extension_picks_the_format_in_every_command, .timeout = 120)
{
    static const char *const cmds[] = {"report 1", "compare 1 cnn-half", "runs"};
    static const struct {
        const char *file, *format;
    } files[] = {
        {"x.htm", "html"}, {"x.html", "html"}, {"X.HTML", "html"}, {"x.md", "md"},   {"x.markdown", "md"},
        {"x.csv", "csv"},  {"x.json", "json"}, {"x.txt", "text"},  {"x.log", "text"}, {"out.d/x", "text"},
    };
    mkdir(fixture_path("out.d"), 0755);
    for (size_t c = 0; c < sizeof cmds / sizeof cmds[0]; c++) {
        for (size_t f = 0; f < sizeof files / sizeof files[0]; f++)
            expect_file_as(cmds[c], files[f].file, NULL, files[f].format);
        /* --format wins over the extension. */
        expect_file_as(cmds[c], "x.html", "csv", "csv");
    }
    /* The formats really differ, so the comparisons above tell them apart. */
    char *text = stdout_of("runs", "text"), *html = stdout_of("runs", "html");
    cr_expect(strcmp(text, html) != 0);
    cr_expect(strstr(html, "<!DOCTYPE html>") == html, "%s", html);
    free(text);
    free(html);
}

Test(formats, every_command_names_every_format_and_extension, .timeout = 120)
{
    static const char *const cmds[] = {"report", "compare", "runs"};
    static const char *const words[] = {"text (default), md, html, csv or json", ".txt", ".md", ".html", ".htm",
                                        ".csv", ".json", "-o, --output FILE"};
    for (size_t c = 0; c < sizeof cmds / sizeof cmds[0]; c++) {
        char *out, *err;
        run_ok(cmds[c], mcusim(&out, &err, "%s --help", cmds[c]), err);
        for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
            cr_expect(strstr(out, words[w]), "'%s --help' names %s:\n%s", cmds[c], words[w], out);
        free(out);
        free(err);
        cr_expect_eq(mcusim(&out, &err, "%s --db runs.db -f pdf%s", cmds[c], strcmp(cmds[c], "compare") ? "" : " 1 2"),
                     2);
        char want[128];
        snprintf(want, sizeof want, "mcusim %s: --format is text, md, html, csv or json, not 'pdf'\n", cmds[c]);
        cr_expect_str_eq(err, want);
        free(out);
        free(err);
    }
}

/* ---- HTML in a real browser ---- */


/* Renders a file of the fixture (browser.h). */
static int browse(const char *file, const char *mode, char **out, char **log)
{
    return browse_in(fixture_dir(), file, mode, out, log);
}

Test(html, report_renders_in_chromium_with_visible_charts, .timeout = 240)
{
    if (!chromium())
        cr_skip_test("Chromium is not installed (Debian package chromium)");
    char *out, *err;
    run_ok("report html", mcusim(&out, &err, "report 1 --db runs.db -f html -o chart.html"), err);
    free(out);
    free(err);
    char *log;
    int rc = browse("chart.html", "--screenshot=chart.png", &out, &log);
    cr_assert_eq(rc, 0, "chromium exit %d:\n%s", rc, log);
    cr_expect_eq(console_lines(log), 0, "console messages:\n%s", log);
    free(out);
    free(log);
    struct image img;
    cr_assert_eq(load_png(fixture_path("chart.png"), &img), 0, "not a PNG");
    cr_expect_eq(img.w, 1200);
    cr_expect_eq(img.h, 2000);
    cr_expect_gt(inked(&img), 100000, "the page is not blank");
    /* Each chart's own colour fills its bars (sizes from the cnn run:
     * the big conv layers alone are about 4,000 pixels of bar). */
    cr_expect_gt(pixels_of(&img, 0x4e79a7), 3000, "cycles per layer bars");
    cr_expect_gt(pixels_of(&img, 0xf28e2b), 3000, "energy per layer bars");
    cr_expect_gt(pixels_of(&img, 0x59a14f), 3000, "RAM: arena columns");
    cr_expect_gt(pixels_of(&img, 0xe15759), 300, "RAM: the board's RAM line");
    cr_expect_gt(pixels_of(&img, 0xa0cbe8), 3000, "instruction mix: ALU share");
    free(img.rgb);

    /* Chromium parsed the four charts as SVG elements. */
    rc = browse("chart.html", "--dump-dom", &out, &log);
    cr_assert_eq(rc, 0, "%s", log);
    cr_expect_eq(count_of(out, "<svg id=\"chart-"), 4, "%s", out);
    cr_expect_eq(count_of(out, "</svg>"), 4);
    cr_expect(strstr(out, "<svg id=\"chart-cycles\"") && strstr(out, "<svg id=\"chart-ram\"") &&
              strstr(out, "<svg id=\"chart-energy\"") && strstr(out, "<svg id=\"chart-mix\""));
    free(out);
    free(log);
}

Test(html, compare_renders_in_chromium, .timeout = 240)
{
    if (!chromium())
        cr_skip_test("Chromium is not installed (Debian package chromium)");
    char *out, *err;
    run_ok("compare html", mcusim(&out, &err, "compare 1 cnn-half --db runs.db -o compare.html"), err);
    free(out);
    free(err);
    char *log;
    int rc = browse("compare.html", "--screenshot=compare.png", &out, &log);
    cr_assert_eq(rc, 0, "%s", log);
    cr_expect_eq(console_lines(log), 0, "console messages:\n%s", log);
    struct image img;
    cr_assert_eq(load_png(fixture_path("compare.png"), &img), 0);
    cr_expect_gt(pixels_of(&img, 0x4e79a7), 2000, "run A's bars");
    cr_expect_gt(pixels_of(&img, 0xf28e2b), 1000, "run B's bars");
    free(img.rgb);
    free(out);
    free(log);
}

/* The console check above must be able to fail: a page with a script
 * error is caught. */
Test(html, console_errors_are_caught, .timeout = 240)
{
    if (!chromium())
        cr_skip_test("Chromium is not installed (Debian package chromium)");
    write_text(fixture_path("broken.html"),
               "<!DOCTYPE html><html><body><p>x</p><script>no_such_function();</script></body></html>\n");
    char *out, *log;
    int rc = browse("broken.html", "--screenshot=broken.png", &out, &log);
    cr_assert_eq(rc, 0, "%s", log);
    cr_expect_gt(console_lines(log), 0, "a script error must show: %s", log);
    free(out);
    free(log);
}
