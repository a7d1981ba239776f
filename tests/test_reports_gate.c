/*
 * test_reports_gate.c — 'mcusim gate' on a database filled by profiling
 * the project's workloads (reports_fixture.h): exit status 0 when
 * every budget holds, 1 when one is exceeded (also by a regression
 * against a baseline database or run, a model that does not fit, or a
 * workload with no run), 2 for bad input (each broken budget file with
 * its FILE:LINE message, a missing database, a bad baseline); the text
 * and Markdown verdicts against golden files; the JUnit file parsed as
 * XML (python3's xml.etree) with counts that match the verdicts.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "simtest.h"
#include "reports_fixture.h"
#include "runtime_images.h"

static long long db_int(const char *name, const char *sql)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open_v2(fixture_path(name), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sql);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* Writes a budget file into the fixture directory. */
static void budget(const char *name, const char *text)
{
    write_text(fixture_path(name), text);
}

/* The lines of the gate's output that start with word and mention every
 * one of the (NULL-terminated) words after it. */
static int lines_with(const char *out, const char *first, ...)
{
    int n = 0;
    for (const char *p = out; *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char *line = strndup(p, len);
        bool all = !strncmp(line, first, strlen(first));
        va_list ap;
        va_start(ap, first);
        for (const char *w; all && (w = va_arg(ap, const char *));)
            all = strstr(line, w) != NULL;
        va_end(ap);
        n += all;
        free(line);
        p += len + (eol ? 1 : 0);
    }
    return n;
}

static const char mixed[] =
    "; budgets for the fixture's workloads\n"
    "[defaults]\n"
    "board = nano33ble\n"
    "\n"
    "[cnn-ref]\n"
    "max_ram_kb = 64\n"
    "max_flash_kb = 256\n"
    "max_latency_ms = 2000\n"
    "max_energy_uj = 20000\n"
    "max_regression_pct = 5\n"
    "\n"
    "[dscnn]\n"
    "max_latency_ms = 500     ; too tight: fails\n"
    "max_ram_kb = 32\n"
    "\n"
    "[big-ram]\n"
    "max_ram_kb = 256\n"
    "max_flash_kb = 1024\n"
    "max_latency_ms = 1000\n"
    "\n"
    "[big-flash]\n"
    "max_flash_kb = 1024\n"
    "\n"
    "[kws]\n"
    "model = kws.tflite       ; never profiled\n"
    "max_ram_kb = 100\n";

/* One inference of run id in ms at the nano33ble's 64 MHz. */
static double latency_ms(int id)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT inference_cycles FROM runs WHERE id = %d AND clock_hz = 64000000", id);
    return db_int("runs.db", sql) / 64e3;
}

Test(gate, passes_when_every_budget_holds, .timeout = 120)
{
    /* Limits 10% above what the fixture measured, so that the test holds
     * whatever the timing model says today. */
    double cnn = latency_ms(RUN_CNN_REF_AGAIN), half = latency_ms(RUN_CNN_HALF);
    char text[512];
    snprintf(text, sizeof text,
             "[cnn-ref]\nmax_ram_kb = 64\nmax_flash_kb = 256\nmax_latency_ms = %.3f\nmax_energy_uj = 100000\n"
             "\n[half]\nmodel = cnn_half.tflite\nkernels = ref\nmax_latency_ms = %.3f\n",
             cnn * 1.1, half * 1.1);
    budget("pass.ini", text);
    char value[64], limit[64];
    snprintf(value, sizeof value, " %.3f ms ", cnn);
    snprintf(limit, sizeof limit, "limit %.3f ms", cnn * 1.1);
    char *out, *err;
    int rc = mcusim(&out, &err, "gate --budget pass.ini --db runs.db");
    cr_expect_eq(rc, 0, "%s%s", out, err);
    cr_expect_str_empty(err);
    cr_expect_eq(lines_with(out, "PASS", NULL), 7, "%s", out);
    cr_expect_eq(lines_with(out, "FAIL", NULL), 0, "%s", out);
    cr_expect_eq(lines_with(out, "PASS  cnn-ref", "latency", value, limit, "(9.1%)", NULL), 1, "%s", out);
    /* The latest cnn-ref run is the one gated; a model path matches by name. */
    cr_expect_eq(lines_with(out, "PASS  cnn-ref", "status", "run 8 in runs.db", NULL), 1, "%s", out);
    cr_expect_eq(lines_with(out, "PASS  half", "status", "run 2 in runs.db: cnn_half.tflite", NULL), 1, "%s", out);
    cr_expect(strstr(out, "\ngate: PASS: all 7 checks within budget, 0 skipped (2 workloads)\n"), "%s", out);
    free(out);
    free(err);
}

Test(gate, fails_with_the_numbers_and_matches_golden, .timeout = 120)
{
    budget("mixed.ini", mixed);
    char *out, *err;
    int rc = mcusim(&out, &err, "gate --budget mixed.ini --db runs.db --junit mixed.xml --md mixed.md");
    cr_expect_eq(rc, 1, "%s%s", out, err);
    cr_expect_str_empty(err);
    cr_expect_eq(lines_with(out, "FAIL  dscnn", "latency", "limit 500.000 ms", "headroom -", NULL), 1, "%s", out);
    /* A model that does not fit fails with its numbers. */
    char arena[64], ram[64], flash[64];
    snprintf(arena, sizeof arena, "arena %lld + stack",
             db_int("runs.db", "SELECT ram_arena_planned FROM runs WHERE tag = 'big-ram'"));
    snprintf(ram, sizeof ram, " %s KB ",
             kb_text(db_int("runs.db", "SELECT ram_capacity - ram_arena_capacity + ram_arena_planned FROM runs"
                                       " WHERE tag = 'big-ram'")));
    snprintf(flash, sizeof flash, " %s KB ",
             kb_text(db_int("runs.db", "SELECT flash_code + flash_rodata + flash_data + flash_model FROM runs"
                                       " WHERE tag = 'big-flash'")));
    cr_expect_eq(lines_with(out, "FAIL  big-ram", "status", "nofit", arena, NULL), 1, "%s\n%s", arena, out);
    cr_expect_eq(lines_with(out, "FAIL  big-ram", "ram", ram, "limit 256.0 KB", "runtime's plan", NULL), 1,
                 "%s\n%s", ram, out);
    cr_expect_eq(lines_with(out, "FAIL  big-ram", "latency", "not measured", NULL), 1, "%s", out);
    cr_expect_eq(lines_with(out, "FAIL  big-flash", "flash", flash, "limit 1,024.0 KB", NULL), 1, "%s\n%s", flash,
                 out);
    cr_expect_eq(lines_with(out, "FAIL  kws", "run", "missing", "model 'kws.tflite'", NULL), 1, "%s", out);
    cr_expect_eq(lines_with(out, "SKIP  cnn-ref", "latency_regression", "no baseline given", NULL), 1, "%s", out);
    check_golden("gate_mixed.txt", out);
    char *md = slurp(fixture_path("mixed.md"), NULL);
    cr_assert_not_null(md);
    check_golden("gate_mixed.md", md);
    free(md);
    free(out);
    free(err);
}

Test(gate, junit_is_valid_xml_with_matching_counts, .timeout = 120)
{
    budget("junit.ini", mixed);
    char *out, *err;
    cr_assert_eq(mcusim(&out, &err, "gate --budget junit.ini --db runs.db --junit junit.xml"), 1, "%s", err);
    int fails = lines_with(out, "FAIL", NULL), skips = lines_with(out, "SKIP", NULL);
    int checks = count_of(out, "\n") - 1;
    free(out);
    free(err);
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c '\n"
             "import sys, xml.etree.ElementTree as ET\n"
             "root = ET.parse(\"junit.xml\").getroot()\n"
             "assert root.tag == \"testsuites\", root.tag\n"
             "cases = root.findall(\"testsuite/testcase\")\n"
             "fails = root.findall(\"testsuite/testcase/failure\")\n"
             "skips = root.findall(\"testsuite/testcase/skipped\")\n"
             "for s in root.findall(\"testsuite\"):\n"
             "    assert int(s.get(\"tests\")) == len(s.findall(\"testcase\")), s.get(\"name\")\n"
             "    assert int(s.get(\"failures\")) == len(s.findall(\"testcase/failure\")), s.get(\"name\")\n"
             "print(len(cases), len(fails), len(skips), root.get(\"tests\"), root.get(\"failures\"),"
             " root.get(\"skipped\"), len(root.findall(\"testsuite\")))\n"
             "'");
    int rc = shell(&out, &err, cmd);
    cr_assert_eq(rc, 0, "junit.xml does not parse as expected: %s", err);
    char want[128];
    snprintf(want, sizeof want, "%d %d %d %d %d %d 5\n", checks, fails, skips, checks, fails, skips);
    cr_expect_str_eq(out, want, "cases failures skipped, attributes, suites (one per workload)");
    cr_expect_gt(fails, 0);
    free(out);
    free(err);
    char *xml = slurp(fixture_path("junit.xml"), NULL);
    char failure[256];
    snprintf(failure, sizeof failure,
             "<testcase classname=\"mcusim.gate.dscnn\" name=\"latency\" time=\"0\">\n"
             "      <failure type=\"budget\" message=\"dscnn latency: %.3f ms, limit 500.000 ms, headroom -",
             latency_ms(RUN_DSCNN));
    cr_expect(strstr(xml, failure), "%s\nnot in\n%s", failure, xml);
    free(xml);
}

static char *regression_line(long long now, long long then)
{
    char *want;
    double pct = 100.0 * (double)(now - then) / (double)then;
    cr_assert(asprintf(&want, "%+.1f%%", pct) > 0);
    return want;
}

Test(gate, regression_against_a_baseline_database_fails, .timeout = 120)
{
    /* base.db holds cnn_half profiled as tag cnn-ref: today's cnn-ref is
     * far slower than that baseline. */
    budget("reg.ini", "[cnn-ref]\nmax_regression_pct = 5\n");
    char *out, *err;
    int rc = mcusim(&out, &err, "gate --budget reg.ini --db runs.db --baseline base.db");
    cr_expect_eq(rc, 1, "%s%s", out, err);
    char *pct = regression_line(db_int("runs.db", "SELECT inference_cycles FROM runs WHERE id = 8"),
                                db_int("base.db", "SELECT inference_cycles FROM runs WHERE tag = 'cnn-ref'"));
    cr_expect_eq(lines_with(out, "FAIL  cnn-ref", "latency_regression", pct, "limit +5.0%", "in run 1 of base.db",
                            NULL),
                 1, "%s not in:\n%s", pct, out);
    free(pct);
    free(out);
    free(err);
}

Test(gate, regression_against_a_run_fails, .timeout = 120)
{
    budget("regrun.ini", "[cnn-ref]\nmax_regression_pct = 5\nmax_ram_regression_pct = 100\n"
                         "max_energy_regression_pct = 5\n");
    char *out, *err;
    int rc = mcusim(&out, &err, "gate --budget regrun.ini --db runs.db --baseline cnn-half");
    cr_expect_eq(rc, 1, "%s%s", out, err);
    cr_expect_eq(lines_with(out, "FAIL  cnn-ref", "latency_regression", "in run 2 of runs.db", NULL), 1, "%s", out);
    cr_expect_eq(lines_with(out, "FAIL  cnn-ref", "energy_regression", NULL), 1, "%s", out);
    /* RAM grew by less than 100%: that regression limit holds. */
    cr_expect_eq(lines_with(out, "PASS  cnn-ref", "ram_regression", NULL), 1, "%s", out);
    free(out);
    free(err);
}

Test(gate, no_regression_passes_and_missing_baselines_skip, .timeout = 120)
{
    budget("noreg.ini", "[cnn-ref]\nmax_regression_pct = 0\nmax_flash_regression_pct = 0\n"
                        "[dscnn]\nmax_regression_pct = 1\n");
    char *out, *err;
    /* Against the same database: the same measurement, +0.0%. */
    int rc = mcusim(&out, &err, "gate --budget noreg.ini --db runs.db --baseline runs.db");
    cr_expect_eq(rc, 0, "%s%s", out, err);
    cr_expect_eq(lines_with(out, "PASS  cnn-ref", "latency_regression", "+0.0%", "in run 8 of runs.db", NULL), 1,
                 "%s", out);
    free(out);
    free(err);
    /* base.db has no dscnn run: a new workload has nothing to regress
     * against, which is not a failure. */
    rc = mcusim(&out, &err, "gate --budget noreg.ini --db runs.db --baseline base.db");
    cr_expect_eq(rc, 1, "cnn-ref regressed against base.db:\n%s", out);
    cr_expect_eq(lines_with(out, "SKIP  dscnn", "latency_regression", "no baseline: no run in base.db matches", NULL),
                 1, "%s", out);
    free(out);
    free(err);
}

struct broken {
    const char *text;
    const char *message;  /* after "mcusim gate: FILE" */
};

Test(gate, broken_budget_files_name_file_and_line, .timeout = 120)
{
    /* The kernel families this mcusim has, as the message lists them. */
    char kernels_msg[320], known[256];
    runtime_kernels_text(NULL, ", ", " or ", known, sizeof known);
    snprintf(kernels_msg, sizeof kernels_msg, ":2: kernels is %s, not 'fast'", known);
    const struct broken cases[] = {
        {"[cnn-ref]\nmax_ram_kb = 64\nmax_ram = 3\n",
         ":3: unknown key 'max_ram' in [cnn-ref] (known: tag, model, board, runtime, kernels, max_ram_kb, max_flash_kb,"
         " max_latency_ms, max_energy_uj, max_regression_pct, max_ram_regression_pct, max_flash_regression_pct,"
         " max_energy_regression_pct)"},
        {"[cnn-ref]\n\nmax_latency_ms = fast\n", ":3: max_latency_ms needs a positive number, not 'fast'"},
        {"[cnn-ref]\nmax_latency_ms = 0\n", ":2: max_latency_ms needs a positive number, not '0'"},
        {"[a]\nmax_regression_pct = -1\n", ":2: max_regression_pct needs a non-negative number, not '-1'"},
        {"max_ram_kb = 64\n[cnn-ref]\nmax_ram_kb = 1\n", ":1: 'max_ram_kb' outside a [workload] section"},
        {"[a]\nmax_ram_kb = 1\n; again\n[a]\nmax_ram_kb = 2\n", ":4: workload [a] given twice (first on line 1)"},
        {"[a]\nmax_ram_kb = 1\nmax_ram_kb = 2\n", ":3: 'max_ram_kb' given twice in [a]"},
        {"[a]\nmax_ram_kb = 1\nmax ram kb 64\n", ":3: not a 'key = value' line or a [section]"},
        {"[a]\nkernels = fast\nmax_ram_kb = 1\n", kernels_msg},
        {"[a]\nmax_ram_kb = 1\n\n[b]\ntag = x\n",
         ":4: [b] sets no limit (max_ram_kb, max_flash_kb, max_latency_ms, max_energy_uj or a max_*regression_pct)"},
        {"[defaults]\ntag = x\n[a]\nmax_ram_kb = 1\n", ":2: 'tag' in [defaults] would select the same run for every workload"},
        {"; nothing here\n", ": names no workload (add a [section] per workload with its limits)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[32], want[512];
        snprintf(name, sizeof name, "broken%zu.ini", i);
        budget(name, cases[i].text);
        char *out, *err;
        int rc = mcusim(&out, &err, "gate --budget %s --db runs.db", name);
        snprintf(want, sizeof want, "mcusim gate: %s%s\n", name, cases[i].message);
        cr_expect_eq(rc, 2, "case %zu: exit %d", i, rc);
        cr_expect_str_eq(err, want, "case %zu", i);
        cr_expect_str_empty(out, "case %zu: no verdict on bad input", i);
        free(out);
        free(err);
    }
}

Test(gate, bad_input_exits_2, .timeout = 120)
{
    budget("ok.ini", "[cnn-ref]\nmax_ram_kb = 64\n");
    struct {
        const char *args, *message;
    } cases[] = {
        {"gate --db runs.db", "mcusim gate: --budget FILE is required\n"},
        {"gate --budget nothere.ini --db runs.db",
         "mcusim gate: nothere.ini: cannot open the budget file: No such file or directory\n"},
        {"gate --budget ok.ini --db nothere.db",
         "mcusim gate: nothere.db: no such database (profile something first, or give --db)\n"},
        {"gate --budget ok.ini --db runs.db --baseline main/nothere.db",
         "mcusim gate: --baseline main/nothere.db: no such database\n"},
        {"gate --budget ok.ini --db runs.db --baseline no-such-run",
         "mcusim gate: --baseline 'no-such-run' is neither a database file nor a run in runs.db (no run with tag "
         "'no-such-run' (see 'mcusim runs'))\n"},
        {"gate --budget ok.ini --db runs.db --junit no/such/dir/j.xml",
         "mcusim gate: no/such/dir/j.xml: cannot write: No such file or directory\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out, *err;
        int rc = mcusim(&out, &err, "%s", cases[i].args);
        cr_expect_eq(rc, 2, "%s: exit %d", cases[i].args, rc);
        /* The verdict may be printed before an output file fails. */
        if (!strstr(cases[i].args, "--junit"))
            cr_expect_str_empty(out, "%s", cases[i].args);
        cr_expect_str_eq(err, cases[i].message, "%s", cases[i].args);
        free(out);
        free(err);
    }
}
