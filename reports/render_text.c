/*
 * render_text.c — reports for terminals: aligned columns with totals
 * lines, ASCII units (uJ), host facts on their own "host: " lines.
 */
#include <string.h>

#include "compare.h"
#include "fmt.h"
#include "metrics.h"
#include "render_impl.h"
#include "sections.h"

static void header(const struct rep_run *r, FILE *out)
{
    char line[1200];
    sec_title(r, line, sizeof line);
    fprintf(out, "%s: %s\n", line, r->status);
    sec_identity(r, line, sizeof line);
    if (line[0])
        fprintf(out, "%s\n", line);
    char host[4][1200];
    int n = sec_host_lines(r, host, 4);
    for (int i = 0; i < n; i++)
        fprintf(out, "%s\n", host[i]);
    if (!rep_run_ok(r))
        fprintf(out, "%s: %s\n", r->status, r->diagnostic[0] ? r->diagnostic : "(no diagnostic)");
}

int text_report(const struct rep_run *r, const struct rep_options *o, FILE *out)
{
    header(r, out);
    fputc('\n', out);

    struct table t;
    if (sec_layers(r, true, &t)) {
        table_print_text(&t, out, 2);
        fputc('\n', out);
    } else {
        fprintf(out, "no layers or regions were measured\n\n");
    }
    table_free(&t);

    char lines[2][512];
    int n = sec_summary_lines(r, true, lines, 2);
    for (int i = 0; i < n; i++)
        fprintf(out, "%s\n", lines[i]);
    fputc('\n', out);

    char headline[512];
    sec_flash(r, headline, sizeof headline, &t);
    fprintf(out, "%s\n", headline);
    table_print_text(&t, out, 2);
    table_free(&t);
    fputc('\n', out);
    sec_ram(r, headline, sizeof headline, &t);
    fprintf(out, "%s\n", headline);
    table_print_text(&t, out, 2);
    table_free(&t);

    if (r->n_functions && o->top_functions > 0) {
        fprintf(out, "\ntop functions by self cycles\n");
        sec_functions(r, o->top_functions, true, &t);
        table_print_text(&t, out, 2);
        table_free(&t);
    }
    return 0;
}

int text_compare(const struct rep_compare *c, FILE *out)
{
    fprintf(out, "comparison of %d runs, deltas against A\n", c->n);
    struct table t;
    sec_cmp_legend(c, &t);
    table_print_text(&t, out, 2);
    table_free(&t);
    for (int k = 0; k < c->n; k++)
        if (c->runs[k]->diagnostic[0] && strcmp(c->runs[k]->status, "ok"))
            fprintf(out, "  %c %s: %s\n", cmp_label(k), c->runs[k]->status, c->runs[k]->diagnostic);

    fprintf(out, "\ntotals, largest change first\n");
    sec_cmp_totals(c, true, &t);
    table_print_text(&t, out, 2);
    table_free(&t);

    char note[256];
    sec_cmp_layers_note(c, note, sizeof note);
    if (note[0])
        fprintf(out, "\n%s\n", note);
    if (c->n_layers) {
        sec_cmp_layers(c, &t);
        table_print_text(&t, out, 2);
        table_free(&t);
    }
    if (sec_cmp_functions(c, 10, true, &t)) {
        fprintf(out, "\nfunctions: A's top 10 by self energy (estimates)\n");
        table_print_text(&t, out, 2);
    }
    table_free(&t);
    return 0;
}

int text_runs(const struct rep_run *runs, int n, FILE *out)
{
    if (!n) {
        fprintf(out, "no runs\n");
        return 0;
    }
    struct table t;
    sec_runs(runs, n, &t);
    table_print_text(&t, out, 0);
    table_free(&t);
    return 0;
}
