/*
 * render_md.c — Markdown reports, ready to paste into a pull-request
 * comment: headline numbers first, the layer table, then the memory
 * breakdown and top functions folded in <details>.  Host facts go last,
 * each on its own "<sub>host: ...</sub>" line.
 */
#include <string.h>

#include "compare.h"
#include "fmt.h"
#include "metrics.h"
#include "render_impl.h"
#include "sections.h"

static void para(FILE *out, const char *s)
{
    fput_md(out, s, false);
    fputs("\n\n", out);
}

static void host_lines(const struct rep_run *r, FILE *out)
{
    char host[4][1200];
    int n = sec_host_lines(r, host, 4);
    for (int i = 0; i < n; i++) {
        fputs("<sub>", out);
        fput_md(out, host[i], false);
        fputs("</sub><br>\n", out);
    }
}

int md_report(const struct rep_run *r, const struct rep_options *o, FILE *out)
{
    char line[1200];
    sec_title(r, line, sizeof line);
    fputs("### mcusim report: ", out);
    fput_md(out, line, false);
    fprintf(out, " — %s\n\n", r->status);
    sec_identity(r, line, sizeof line);
    if (line[0])
        para(out, line);
    if (!rep_run_ok(r)) {
        fprintf(out, "**%s:** ", r->status);
        para(out, r->diagnostic[0] ? r->diagnostic : "(no diagnostic)");
    }
    char lines[2][512];
    int n = sec_summary_lines(r, false, lines, 2);
    for (int i = 0; i < n; i++) {
        fput_md(out, lines[i], false);
        fputs(i + 1 < n ? "<br>\n" : "\n\n", out);
    }
    char flash[512], ram[512];
    struct table ft, rt, t;
    sec_flash(r, flash, sizeof flash, &ft);
    sec_ram(r, ram, sizeof ram, &rt);
    fputs("**", out);
    fput_md(out, flash, false);
    fputs("** · **", out);
    fput_md(out, ram, false);
    fputs("**\n\n", out);

    if (sec_layers(r, false, &t)) {
        table_print_md(&t, out);
        fputc('\n', out);
    } else {
        para(out, "No layers or regions were measured.");
    }
    table_free(&t);

    fputs("<details><summary>flash and RAM</summary>\n\n", out);
    table_print_md(&ft, out);
    fputc('\n', out);
    table_print_md(&rt, out);
    fputs("\n</details>\n\n", out);
    table_free(&ft);
    table_free(&rt);

    if (r->n_functions && o->top_functions > 0) {
        fputs("<details><summary>top functions by self cycles</summary>\n\n", out);
        sec_functions(r, o->top_functions, false, &t);
        table_print_md(&t, out);
        table_free(&t);
        fputs("\n</details>\n\n", out);
    }
    host_lines(r, out);
    return 0;
}

int md_compare(const struct rep_compare *c, FILE *out)
{
    fprintf(out, "### mcusim compare: %d runs, deltas against A\n\n", c->n);
    struct table t;
    sec_cmp_legend(c, &t);
    table_print_md(&t, out);
    table_free(&t);
    fputc('\n', out);
    for (int k = 0; k < c->n; k++)
        if (c->runs[k]->diagnostic[0] && strcmp(c->runs[k]->status, "ok")) {
            fprintf(out, "**%c %s:** ", cmp_label(k), c->runs[k]->status);
            para(out, c->runs[k]->diagnostic);
        }
    fputs("**Totals**, largest change first\n\n", out);
    sec_cmp_totals(c, false, &t);
    table_print_md(&t, out);
    table_free(&t);
    char note[256];
    sec_cmp_layers_note(c, note, sizeof note);
    if (note[0]) {
        fputc('\n', out);
        para(out, note);
    }
    if (c->n_layers) {
        fputs("<details><summary>per layer</summary>\n\n", out);
        sec_cmp_layers(c, &t);
        table_print_md(&t, out);
        table_free(&t);
        fputs("\n</details>\n", out);
    }
    if (sec_cmp_functions(c, 10, false, &t)) {
        fputs("\n<details><summary>per function: A's top 10 by self energy (estimates)</summary>\n\n", out);
        table_print_md(&t, out);
        fputs("\n</details>\n", out);
    }
    table_free(&t);
    return 0;
}

int md_runs(const struct rep_run *runs, int n, FILE *out)
{
    struct table t;
    sec_runs(runs, n, &t);
    table_print_md(&t, out);
    table_free(&t);
    return 0;
}
