/*
 * gate_output.c — the gate's verdict as text (one line per check, then a
 * summary line), JUnit XML (one testsuite per workload, one testcase per
 * check) and Markdown (a table for a pull-request comment).
 */
#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "gate.h"
#include "table.h"

static const char *verdict_word(enum gate_verdict v)
{
    return v == GATE_PASS ? "PASS" : v == GATE_FAIL ? "FAIL" : "SKIP";
}

static const char *unit_text(const struct gate_check *c, bool ascii)
{
    if (!ascii && !strcmp(c->unit, "uJ"))
        return "µJ";
    return c->unit;
}

struct parts {
    char value[160], limit[160], headroom[200];
};

static struct parts parts_of(const struct gate_check *c, bool ascii)
{
    struct parts p = {"", "", ""};
    const char *u = unit_text(c, ascii);
    if (c->word[0]) {
        snprintf(p.value, sizeof p.value, "%s", c->word);
        return p;
    }
    if (c->signed_value) {
        if (c->has_value)
            snprintf(p.value, sizeof p.value, "%s", fmt_spct(c->value).s);
        else
            snprintf(p.value, sizeof p.value, "-");
        snprintf(p.limit, sizeof p.limit, "limit %s", fmt_spct(c->limit).s);
        if (c->has_value)
            snprintf(p.headroom, sizeof p.headroom, "headroom %s points", fmt_num(c->limit - c->value, 1).s);
        return p;
    }
    if (c->has_value)
        snprintf(p.value, sizeof p.value, "%s %s%s", fmt_num(c->value, c->decimals).s, u,
                 c->estimate ? " (est.)" : "");
    else
        snprintf(p.value, sizeof p.value, "-");
    snprintf(p.limit, sizeof p.limit, "limit %s %s", fmt_num(c->limit, c->decimals).s, u);
    if (c->has_value) {
        double room = c->limit - c->value;
        snprintf(p.headroom, sizeof p.headroom, "headroom %s %s (%s)", fmt_num(room, c->decimals).s, u,
                 fmt_pct(c->limit > 0 ? 100.0 * room / c->limit : 0).s);
    }
    return p;
}

static void summary(const struct gate_result *res, char *out, size_t len)
{
    if (res->failed)
        snprintf(out, len, "FAIL: %d of %d checks failed, %d passed, %d skipped (%d workload%s)", res->failed, res->n,
                 res->passed, res->skipped, res->workloads, res->workloads == 1 ? "" : "s");
    else
        snprintf(out, len, "PASS: all %d checks within budget, %d skipped (%d workload%s)", res->passed, res->skipped,
                 res->workloads, res->workloads == 1 ? "" : "s");
}

void gate_print_text(const struct gate_result *res, FILE *out)
{
    struct table t;
    table_init(&t, "lllrlll");
    for (int i = 0; i < res->n; i++) {
        const struct gate_check *c = &res->checks[i];
        struct parts p = parts_of(c, true);
        table_row(&t, 0);
        table_cell(&t, "%s", verdict_word(c->verdict));
        table_cell(&t, "%s", c->workload);
        table_cell(&t, "%s", c->metric);
        table_cell(&t, "%s", p.value);
        table_cell(&t, "%s", p.limit);
        table_cell(&t, "%s", p.headroom);
        table_cell(&t, "%s", c->detail);
    }
    table_print_text(&t, out, 0);
    table_free(&t);
    char line[256];
    summary(res, line, sizeof line);
    fprintf(out, "gate: %s\n", line);
}

static void check_message(const struct gate_check *c, char *out, size_t len)
{
    struct parts p = parts_of(c, false);
    snprintf(out, len, "%s %s: %s%s%s%s%s%s%s", c->workload, c->metric, p.value, p.limit[0] ? ", " : "", p.limit,
             p.headroom[0] ? ", " : "", p.headroom, c->detail[0] ? "; " : "", c->detail);
}

void gate_write_junit(const struct gate_result *res, const char *budget_path, FILE *out)
{
    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<testsuites name=\"mcusim gate\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\" "
                 "time=\"0\">\n",
            res->n, res->failed, res->skipped);
    for (int i = 0; i < res->n;) {
        /* Checks of one workload are consecutive. */
        int j = i, failed = 0, skipped = 0;
        while (j < res->n && !strcmp(res->checks[j].workload, res->checks[i].workload)) {
            failed += res->checks[j].verdict == GATE_FAIL;
            skipped += res->checks[j].verdict == GATE_SKIP;
            j++;
        }
        fputs("  <testsuite name=\"", out);
        fput_xml(out, res->checks[i].workload);
        fprintf(out, "\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\" time=\"0\">\n", j - i, failed,
                skipped);
        fputs("    <properties><property name=\"budget\" value=\"", out);
        fput_xml(out, budget_path);
        fputs("\"/></properties>\n", out);
        for (int k = i; k < j; k++) {
            const struct gate_check *c = &res->checks[k];
            char msg[2048];
            check_message(c, msg, sizeof msg);
            fputs("    <testcase classname=\"mcusim.gate.", out);
            fput_xml(out, c->workload);
            fputs("\" name=\"", out);
            fput_xml(out, c->metric);
            fputs("\" time=\"0\">\n", out);
            if (c->verdict == GATE_FAIL) {
                fputs("      <failure type=\"budget\" message=\"", out);
                fput_xml(out, msg);
                fputs("\">", out);
                fput_xml(out, msg);
                fputs("</failure>\n", out);
            } else if (c->verdict == GATE_SKIP) {
                fputs("      <skipped message=\"", out);
                fput_xml(out, msg);
                fputs("\"/>\n", out);
            } else {
                fputs("      <system-out>", out);
                fput_xml(out, msg);
                fputs("</system-out>\n", out);
            }
            fputs("    </testcase>\n", out);
        }
        fputs("  </testsuite>\n", out);
        i = j;
    }
    fputs("</testsuites>\n", out);
}

void gate_write_md(const struct gate_result *res, FILE *out)
{
    char line[256];
    summary(res, line, sizeof line);
    fprintf(out, "### mcusim gate %s %s\n\n", res->failed ? "❌" : "✅", line);
    struct table t;
    table_init(&t, "lllrrrl");
    table_row(&t, 0);
    table_cell(&t, "%s", "");
    table_cell(&t, "workload");
    table_cell(&t, "check");
    table_cell(&t, "value");
    table_cell(&t, "limit");
    table_cell(&t, "headroom");
    table_cell(&t, "note");
    for (int i = 0; i < res->n; i++) {
        const struct gate_check *c = &res->checks[i];
        struct parts p = parts_of(c, false);
        table_row(&t, 0);
        table_cell(&t, "%s", c->verdict == GATE_PASS ? "✅" : c->verdict == GATE_FAIL ? "❌" : "⏭️ skipped");
        table_cell(&t, "%s", c->workload);
        table_cell(&t, "%s", c->metric);
        table_cell(&t, "%s", p.value);
        table_cell(&t, "%s", p.limit[0] ? p.limit + 6 : "");       /* without "limit " */
        table_cell(&t, "%s", p.headroom[0] ? p.headroom + 9 : ""); /* without "headroom " */
        table_cell(&t, "%s", c->detail);
    }
    table_print_md(&t, out);
    table_free(&t);
}
