/*
 * render_html.c — one self-contained HTML page per report: inline CSS and
 * inline SVG charts (svg.h), no script and no external resource, so it
 * opens offline, as a CI artifact or an e-mail attachment.
 *   report:  headline cards, then charts of cycles per layer, RAM across
 *            layers against the board's RAM (static, arena, stack
 *            stacked), energy per layer (estimate) and the instruction
 *            mix, then the tables of the text report.
 *   compare: latency per run, cycles per matched layer per run, tables.
 */
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "fmt.h"
#include "metrics.h"
#include "render_impl.h"
#include "sections.h"
#include "svg.h"

static const char css[] =
    "body{font-family:'DejaVu Sans',system-ui,sans-serif;margin:24px auto;max-width:1180px;color:#222;"
    "padding:0 12px}\n"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;"
    "padding-bottom:4px}\n"
    ".sub{color:#555;margin:0 0 12px}.status{font-weight:600}.ok{color:#227a4a}.bad{color:#b3261e}\n"
    ".diag{background:#fdecea;border:1px solid #f5c2c0;border-radius:6px;padding:8px 12px;margin:8px 0}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}\n"
    ".card{border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:170px}\n"
    ".card .k{color:#555;font-size:12px}.card .v{font-size:20px;font-weight:600}.card .s{color:#555;"
    "font-size:12px}\n"
    ".meter{height:6px;background:#eee;border-radius:3px;margin-top:6px;overflow:hidden}"
    ".meter div{height:6px;background:#4e79a7}.meter div.over{background:#e15759}\n"
    ".charts{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:16px;align-items:start}\n"
    "figure{margin:0;border:1px solid #ddd;border-radius:6px;padding:8px;overflow-x:auto}\n"
    "figcaption{font-weight:600;margin-bottom:6px}\n"
    "table{border-collapse:collapse;font-size:13px;margin:6px 0}\n"
    "th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:left;white-space:nowrap}\n"
    "th{background:#f6f6f6}.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "tr.total td{font-weight:600;border-top:2px solid #999}tr.muted td{color:#888}\n"
    "code{font-size:12px}footer{color:#777;font-size:12px;margin-top:28px}\n";

void html_page_open(FILE *out, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", out);
    fput_xml(out, title);
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
}

void html_page_close(FILE *out)
{
    fputs("</body>\n</html>\n", out);
}

static void card(FILE *out, const char *key, const char *value, const char *sub, double meter_pct)
{
    fputs("<div class=\"card\"><div class=\"k\">", out);
    fput_xml(out, key);
    fputs("</div><div class=\"v\">", out);
    fput_xml(out, value);
    fputs("</div><div class=\"s\">", out);
    fput_xml(out, sub);
    fputs("</div>", out);
    if (meter_pct >= 0)
        fprintf(out, "<div class=\"meter\"><div%s style=\"width:%.1f%%\"></div></div>",
                meter_pct > 100 ? " class=\"over\"" : "", meter_pct > 100 ? 100 : meter_pct);
    fputs("</div>\n", out);
}

static double pct(double part, double whole)
{
    return whole > 0 ? 100.0 * part / whole : 0;
}

static void cards(const struct rep_run *r, FILE *out)
{
    char v[128], s[256];
    fputs("<section class=\"cards\">\n", out);
    if (rep_run_ok(r)) {
        snprintf(v, sizeof v, "%s ms", fmt_num(rep_latency_ms(r), 3).s);
        snprintf(s, sizeof s, "%s cycles at %s", fmt_int(rep_latency_cycles(r)).s, fmt_mhz(r->clock_hz).s);
        char k[64];
        snprintf(k, sizeof k, "latency (%s)", rep_latency_scope(r));
        card(out, k, v, s, -1);
        snprintf(v, sizeof v, "%s µJ", fmt_num(rep_latency_energy_uj(r), 2).s);
        snprintf(s, sizeof s, "estimate from the %s energy model", r->board);
        card(out, "energy (est.)", v, s, -1);
    }
    bool measured;
    uint64_t ram = rep_ram_needed(r, &measured);
    snprintf(v, sizeof v, "%s KB", fmt_kb(ram).s);
    snprintf(s, sizeof s, "%s of %s KB", fmt_pct(pct((double)ram, (double)r->ram_capacity)).s,
             fmt_kb(r->ram_capacity).s);
    card(out, measured ? "peak RAM" : "RAM needed (plan)", v, s, pct((double)ram, (double)r->ram_capacity));
    uint64_t fl = rep_flash_used(r);
    snprintf(v, sizeof v, "%s KB", fmt_kb(fl).s);
    snprintf(s, sizeof s, "%s of %s KB", fmt_pct(pct((double)fl, (double)r->flash_capacity)).s,
             fmt_kb(r->flash_capacity).s);
    card(out, "flash", v, s, pct((double)fl, (double)r->flash_capacity));
    uint64_t macs = rep_total_macs(r);
    if (macs && rep_run_ok(r)) {
        snprintf(v, sizeof v, "%s", fmt_int(macs).s);
        snprintf(s, sizeof s, "%s cycles/MAC", fmt_num((double)rep_latency_cycles(r) / (double)macs, 2).s);
        card(out, "MACs", v, s, -1);
    }
    fputs("</section>\n", out);
}

void html_figure_open(FILE *out, const char *caption)
{
    fputs("<figure><figcaption>", out);
    fput_xml(out, caption);
    fputs("</figcaption>\n", out);
}

static void charts(const struct rep_run *r, FILE *out)
{
    const struct rep_layer **rows = calloc((size_t)r->n_layers + 1, sizeof *rows);
    const char *kind = "layer";
    int n = rows ? rep_table_rows(r, rows, r->n_layers, &kind) : 0;
    if (!n) {
        /* Nothing to chart: the Layers section below says so. */
        free(rows);
        return;
    }
    bool layers = !strcmp(kind, "layer");
    char (*label)[96] = calloc((size_t)n + 1, sizeof *label);
    char (*tick)[16] = calloc((size_t)n, sizeof *tick);
    const char **labels = calloc((size_t)n + 1, sizeof *labels);
    const char **ticks = calloc((size_t)n, sizeof *ticks);
    double *cycles = calloc((size_t)n, sizeof *cycles), *energy = calloc((size_t)n, sizeof *energy);
    double *stat = calloc((size_t)n, sizeof *stat), *arena = calloc((size_t)n, sizeof *arena);
    double *stack = calloc((size_t)n, sizeof *stack);
    uint64_t(*mix)[MIX_COUNT] = calloc((size_t)n + 1, sizeof *mix);
    if (!label || !tick || !labels || !ticks || !cycles || !energy || !stat || !arena || !stack || !mix) {
        fputs("<p>(out of memory drawing the charts)</p>\n", out);
        goto done;
    }
    for (int i = 0; i < n; i++) {
        const struct rep_layer *L = rows[i];
        int idx = layers ? L->index : L->seq;
        snprintf(label[i + 1], sizeof label[i + 1], "%d %.20s", idx, L->op);
        snprintf(tick[i], sizeof tick[i], "%d", idx);
        labels[i] = label[i + 1];
        ticks[i] = tick[i];
        cycles[i] = (double)L->cycles;
        energy[i] = L->energy_uj;
        stat[i] = r->ram_static / 1024.0;
        arena[i] = L->arena_used / 1024.0;
        stack[i] = L->stack_peak / 1024.0;
    }
    fputs("<section class=\"charts\">\n", out);
    html_figure_open(out, layers ? "Cycles per layer" : "Cycles per region");
    svg_hbars(out, "chart-cycles", labels, cycles, n, 0, "cycles", SVG_CYCLES);
    fputs("</figure>\n", out);

    char caption[160];
    snprintf(caption, sizeof caption, "RAM across %s against the board's RAM (%s KB)", layers ? "layers" : "regions",
             fmt_kb(r->ram_capacity).s);
    html_figure_open(out, caption);
    svg_ram(out, "chart-ram", labels, ticks, stat, arena, stack, n, r->ram_capacity / 1024.0);
    fputs("</figure>\n", out);

    html_figure_open(out, layers ? "Energy per layer (estimate, µJ)" : "Energy per region (estimate, µJ)");
    svg_hbars(out, "chart-energy", labels, energy, n, 2, "µJ (est.)", SVG_ENERGY);
    fputs("</figure>\n", out);

    /* The mix of the whole inference first, then each row. */
    const struct rep_layer *whole = NULL;
    for (int i = 0; i < r->n_layers; i++)
        if (!strcmp(r->layers[i].kind, "inference"))
            whole = &r->layers[i];
    int m = 0;
    if (whole) {
        snprintf(label[0], sizeof label[0], "inference");
        memcpy(mix[0], whole->mix, sizeof mix[0]);
        m = 1;
    }
    for (int i = 0; i < n; i++)
        memcpy(mix[m + i], rows[i]->mix, sizeof mix[0]);
    const char **mlabels = calloc((size_t)(n + m), sizeof *mlabels);
    if (mlabels) {
        if (m)
            mlabels[0] = label[0];
        for (int i = 0; i < n; i++)
            mlabels[m + i] = label[i + 1];
        html_figure_open(out, "Instruction mix");
        svg_mix(out, "chart-mix", mlabels, (const uint64_t(*)[MIX_COUNT])mix, n + m);
        fputs("</figure>\n", out);
        free(mlabels);
    }
    fputs("</section>\n", out);
done:
    free(rows);
    free(label);
    free(tick);
    free(labels);
    free(ticks);
    free(cycles);
    free(energy);
    free(stat);
    free(arena);
    free(stack);
    free(mix);
}

static void footer(const struct rep_run *r, FILE *out)
{
    char host[4][1200];
    int n = sec_host_lines(r, host, 4);
    fputs("<footer>\n", out);
    for (int i = 0; i < n; i++) {
        fput_xml(out, host[i]);
        fputs("<br>\n", out);
    }
    fputs("Energy is an estimate from the board's energy model; every other number is measured in the "
          "simulation.\n</footer>\n",
          out);
}

int html_report(const struct rep_run *r, const struct rep_options *o, FILE *out)
{
    char title[1200], line[512];
    sec_title(r, title, sizeof title);
    char page_title[1300];
    snprintf(page_title, sizeof page_title, "mcusim report: %s", title);
    html_page_open(out, page_title);
    fputs("<header><h1>", out);
    fput_xml(out, title);
    fputs("</h1><p class=\"sub\">", out);
    sec_identity(r, line, sizeof line);
    if (line[0]) {
        fput_xml(out, line);
        fputs(" · ", out);
    }
    fprintf(out, "status <span class=\"status %s\">", rep_run_ok(r) ? "ok" : "bad");
    fput_xml(out, r->status);
    fputs("</span></p></header>\n", out);
    if (!rep_run_ok(r)) {
        fputs("<div class=\"diag\">", out);
        fput_xml(out, r->diagnostic[0] ? r->diagnostic : "(no diagnostic)");
        fputs("</div>\n", out);
    }
    cards(r, out);
    charts(r, out);

    struct table t;
    fputs("<h2>Layers</h2>\n", out);
    if (sec_layers(r, false, &t))
        table_print_html(&t, out, "layers");
    else
        fputs("<p>No layers or regions were measured.</p>\n", out);
    table_free(&t);
    char lines[2][512];
    int n = sec_summary_lines(r, false, lines, 2);
    fputs("<p>", out);
    for (int i = 0; i < n; i++) {
        fput_xml(out, lines[i]);
        fputs(i + 1 < n ? "<br>\n" : "</p>\n", out);
    }

    fputs("<h2>Flash and RAM</h2>\n<p>", out);
    char headline[512];
    sec_flash(r, headline, sizeof headline, &t);
    fput_xml(out, headline);
    fputs("</p>\n", out);
    table_print_html(&t, out, "memory");
    table_free(&t);
    sec_ram(r, headline, sizeof headline, &t);
    fputs("<p>", out);
    fput_xml(out, headline);
    fputs("</p>\n", out);
    table_print_html(&t, out, "memory");
    table_free(&t);

    if (r->n_functions && o->top_functions > 0) {
        fputs("<h2>Top functions by self cycles</h2>\n", out);
        sec_functions(r, o->top_functions, false, &t);
        table_print_html(&t, out, "functions");
        table_free(&t);
    }
    footer(r, out);
    html_page_close(out);
    return 0;
}

int html_compare(const struct rep_compare *c, FILE *out)
{
    char title[128];
    snprintf(title, sizeof title, "mcusim compare: %d runs", c->n);
    html_page_open(out, title);
    fprintf(out, "<header><h1>Comparison of %d runs</h1><p class=\"sub\">deltas against A; the best run of each "
                 "row is named in the last column</p></header>\n",
            c->n);
    struct table t;
    sec_cmp_legend(c, &t);
    table_print_html(&t, out, "legend");
    table_free(&t);
    for (int k = 0; k < c->n; k++)
        if (c->runs[k]->diagnostic[0] && !rep_run_ok(c->runs[k])) {
            fprintf(out, "<div class=\"diag\">%c %s: ", cmp_label(k), c->runs[k]->status);
            fput_xml(out, c->runs[k]->diagnostic);
            fputs("</div>\n", out);
        }

    char names[CMP_MAX_RUNS][160];
    const char *series[CMP_MAX_RUNS];
    double latency[CMP_MAX_RUNS];
    for (int k = 0; k < c->n; k++) {
        const struct rep_run *r = c->runs[k];
        char label[48];
        cmp_column_label(c, k, label, sizeof label);
        snprintf(names[k], sizeof names[k], "%s %.40s", label,
                 r->tag[0] ? r->tag : r->model[0] ? rep_basename(r->model) : r->board);
        series[k] = names[k];
        latency[k] = rep_run_ok(r) ? rep_latency_ms(r) : 0;
    }
    fputs("<section class=\"charts\">\n", out);
    html_figure_open(out, "Latency per run (ms; 0 when the run did not complete)");
    svg_hbars(out, "chart-latency", series, latency, c->n, 3, "ms", SVG_CYCLES);
    fputs("</figure>\n", out);
    if (c->n_layers) {
        /* Chart in operator order, not in the tables' order of change. */
        int n = c->n_layers;
        double *v = calloc((size_t)n * (size_t)c->n, sizeof *v);
        char (*label)[96] = calloc((size_t)n, sizeof *label);
        const char **labels = calloc((size_t)n, sizeof *labels);
        int *order = calloc((size_t)n, sizeof *order);
        if (v && label && labels && order) {
            for (int i = 0; i < n; i++)
                order[i] = i;
            for (int i = 1; i < n; i++)
                for (int j = i; j > 0 && c->layers[order[j - 1]].index > c->layers[order[j]].index; j--) {
                    int tmp = order[j];
                    order[j] = order[j - 1];
                    order[j - 1] = tmp;
                }
            for (int i = 0; i < n; i++) {
                const struct cmp_layer *L = &c->layers[order[i]];
                snprintf(label[i], sizeof label[i], "%d %.20s", L->index, L->op);
                labels[i] = label[i];
                for (int k = 0; k < c->n; k++)
                    v[i * c->n + k] = L->cycles[k];
            }
            html_figure_open(out, "Cycles per layer");
            svg_grouped_hbars(out, "chart-layers", labels, v, n, c->n, series, 0, "cycles");
            fputs("</figure>\n", out);
        }
        free(v);
        free(label);
        free(labels);
        free(order);
    }
    fputs("</section>\n", out);

    fputs("<h2>Totals</h2>\n<p>largest change first; latency and energy cover what each run's \"latency of\" "
          "column says</p>\n",
          out);
    sec_cmp_totals(c, false, &t);
    table_print_html(&t, out, "totals");
    table_free(&t);
    char note[256];
    sec_cmp_layers_note(c, note, sizeof note);
    if (note[0]) {
        fputs("<h2>Layers</h2>\n<p>", out);
        fput_xml(out, note);
        fputs("</p>\n", out);
    }
    if (c->n_layers) {
        sec_cmp_layers(c, &t);
        table_print_html(&t, out, "layers");
        table_free(&t);
    }
    if (sec_cmp_functions(c, 10, false, &t)) {
        fputs("<h2>Functions: A's top 10 by self energy (estimate)</h2>\n", out);
        table_print_html(&t, out, "functions");
    }
    table_free(&t);
    fputs("<footer>Energy is an estimate from each board's energy model; every other number is measured in the "
          "simulation.</footer>\n",
          out);
    html_page_close(out);
    return 0;
}

int html_runs(const struct rep_run *runs, int n, FILE *out)
{
    html_page_open(out, "mcusim runs");
    fprintf(out, "<header><h1>%d stored runs</h1></header>\n", n);
    struct table t;
    sec_runs(runs, n, &t);
    table_print_html(&t, out, "runs");
    table_free(&t);
    html_page_close(out);
    return 0;
}
