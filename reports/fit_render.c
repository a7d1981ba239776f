/*
 * fit_render.c — the answer of 'mcusim fit' in every format (see
 * fit_render.h).  Text, Markdown and HTML share one table per board built
 * here (table.h); CSV and JSON write the rows raw.
 */
#include "fit_render.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "render_impl.h"
#include "svg.h"
#include "table.h"

/* ---- numbers as the tables write them ---- */

/* 568.7 M, 13.6 M, 470.6 k, 820 */
static struct fmtbuf count_text(uint64_t v)
{
    struct fmtbuf b;
    if (!v)
        snprintf(b.s, sizeof b.s, "-");
    else if (v >= 1000000)
        snprintf(b.s, sizeof b.s, "%.56s M", fmt_num((double)v / 1e6, 1).s);
    else if (v >= 1000)
        snprintf(b.s, sizeof b.s, "%.56s k", fmt_num((double)v / 1e3, 1).s);
    else
        snprintf(b.s, sizeof b.s, "%llu", (unsigned long long)v);
    return b;
}

static const char *uj(bool ascii)
{
    return ascii ? "uJ" : "µJ";
}

static bool ran_ok(const struct fit_row *r)
{
    return !strcmp(r->status, "ok");
}

/* "the board's", "200.0 KB", "the board's less 32.0 KB for the application" */
static void memory_budget(double max_kb, double headroom_kb, char *out, size_t len)
{
    int n = max_kb > 0 ? snprintf(out, len, "%s KB", fmt_num(max_kb, 1).s) : snprintf(out, len, "the board's");
    if (headroom_kb > 0 && n >= 0 && (size_t)n < len)
        snprintf(out + n, len - (size_t)n, "%s less %s KB for the application", max_kb > 0 ? " or the board's" : "",
                 fmt_num(headroom_kb, 1).s);
}

static void describe_budget(const struct fit_table *t, bool ascii, char *out, size_t len)
{
    const struct fit_budget *b = &t->budget;
    char flash[160], ram[160], latency[80], energy[80];
    memory_budget(b->max_flash_kb, b->flash_headroom_kb, flash, sizeof flash);
    memory_budget(b->max_ram_kb, b->ram_headroom_kb, ram, sizeof ram);
    if (b->max_latency_ms > 0)
        snprintf(latency, sizeof latency, "%s ms", fmt_num(b->max_latency_ms, 3).s);
    else
        snprintf(latency, sizeof latency, "none");
    if (b->max_energy_uj > 0)
        snprintf(energy, sizeof energy, "%s %s", fmt_num(b->max_energy_uj, 2).s, uj(ascii));
    else
        snprintf(energy, sizeof energy, "none");
    snprintf(out, len, "flash %s; RAM %s; latency %s; energy %s", flash, ram, latency, energy);
}

static void describe_board(const struct fit_table *t, int b, char *out, size_t len)
{
    const struct fit_board *bd = &t->boards[b];
    snprintf(out, len, "%s: %s at %s, flash %s KB, RAM %s KB; limits flash %s KB, RAM %s KB", bd->name, bd->core,
             fmt_mhz(bd->clock_hz).s, fmt_kb(bd->flash_capacity).s, fmt_kb(bd->ram_capacity).s,
             fmt_kb(fit_flash_limit(t, b)).s, fmt_kb(fit_ram_limit(t, b)).s);
}

static void describe_search(const struct fit_table *t, char *out, size_t len)
{
    size_t n = (size_t)snprintf(out, len, "%s: %d variant%s on %d board%s, kernels ", t->search, t->n_variants,
                                t->n_variants == 1 ? "" : "s", t->n_boards, t->n_boards == 1 ? "" : "s");
    for (int k = 0; k < t->n_kernels && n < len; k++)
        n += (size_t)snprintf(out + n, len - n, "%s%s", k ? (k + 1 == t->n_kernels ? " and " : ", ") : "",
                              t->kernels[k]);
}

/* The rows of a board, in the table's order. */
static int board_rows(const struct fit_table *t, int b, const struct fit_row **rows)
{
    int n = 0;
    for (int i = 0; i < t->n_rows; i++)
        if (t->rows[i].board == b)
            rows[n++] = &t->rows[i];
    return n;
}

static void board_table(const struct fit_table *t, int b, bool ascii, struct table *tab)
{
    table_init(tab, "lcl" "rrrrrrr" "ll");
    table_row(tab, 0);
    table_cell(tab, "%s", "");
    table_cell(tab, "variant");
    table_cell(tab, "kernels");
    table_cell(tab, "MACs");
    table_cell(tab, "params");
    table_cell(tab, "flash KB");
    table_cell(tab, "RAM KB");
    table_cell(tab, "cycles");
    table_cell(tab, "ms");
    table_cell(tab, "%s (est.)", uj(ascii));
    table_cell(tab, "verdict");
    table_cell(tab, "binding");
    const struct fit_row **rows = calloc((size_t)t->n_rows + 1, sizeof *rows);
    int n = rows ? board_rows(t, b, rows) : 0;
    for (int i = 0; i < n; i++) {
        const struct fit_row *r = rows[i];
        const struct fit_variant *v = &t->variants[r->variant];
        table_row(tab, r->outcome == FIT_FITS ? 0 : ROW_MUTED);
        table_cell(tab, "%s", r->best ? "*" : "");
        table_cell(tab, "%s", v->label);
        table_cell(tab, "%s", t->kernels[r->kernels]);
        table_cell(tab, "%s", count_text(v->macs).s);
        table_cell(tab, "%s", count_text(v->params).s);
        table_cell(tab, "%s", fmt_kb(r->flash_needed).s);
        table_cell(tab, "%s%s", r->exact ? "" : ">=", fmt_kb(r->ram_needed).s);
        if (ran_ok(r)) {
            table_cell(tab, "%s", fmt_int(r->cycles).s);
            table_cell(tab, "%s", fmt_num(r->ms, 3).s);
            table_cell(tab, "%s", r->has_energy ? fmt_num(r->energy_uj, 2).s : "-");
        } else {
            table_cell(tab, "-");
            table_cell(tab, "-");
            table_cell(tab, "-");
        }
        table_cell(tab, "%s", fit_outcome_name(r->outcome));
        table_cell(tab, "%s %s", fit_constraint_name(r->binding), fmt_pct(r->binding_pct).s);
    }
    free(rows);
}

/* "ref: alpha=0.5,res=128 (48.7 M MACs, 512.123 ms, 1,234.56 uJ)" per kernel family. */
static int best_lines(const struct fit_table *t, int b, bool ascii, char lines[][512])
{
    int n = 0;
    for (int k = 0; k < t->n_kernels; k++) {
        const struct fit_row *r = fit_best(t, b, k);
        if (!r) {
            snprintf(lines[n++], 512, "%s: none within every budget", t->kernels[k]);
            continue;
        }
        const struct fit_variant *v = &t->variants[r->variant];
        char measured[160] = "";
        if (ran_ok(r))
            snprintf(measured, sizeof measured, ", %s ms%s%s%s", fmt_num(r->ms, 3).s, r->has_energy ? ", " : "",
                     r->has_energy ? fmt_num(r->energy_uj, 2).s : "", r->has_energy ? (ascii ? " uJ" : " µJ") : "");
        snprintf(lines[n++], 512, "%s: %s (%s MACs%s, RAM %s KB, flash %s KB)", t->kernels[k], v->label,
                 count_text(v->macs).s, measured, fmt_kb(r->ram_needed).s, fmt_kb(r->flash_needed).s);
    }
    return n;
}

/* Rows whose verdict needs a word: not measured, cannot run. */
static void notes(const struct fit_table *t, int b, FILE *out, bool md)
{
    for (int i = 0; i < t->n_rows; i++) {
        const struct fit_row *r = &t->rows[i];
        if (r->board != b || (r->outcome != FIT_NOT_MEASURED && r->outcome != FIT_CANNOT_RUN))
            continue;
        if (md) {
            fputs("- ", out);
            fput_md(out, t->variants[r->variant].label, false);
            fprintf(out, " (%s): ", t->kernels[r->kernels]);
            fput_md(out, r->note, false);
            fputc('\n', out);
        } else {
            fprintf(out, "  %s (%s): %s\n", t->variants[r->variant].label, t->kernels[r->kernels], r->note);
        }
    }
}

/* ---- text and Markdown ---- */

static int fit_text(const struct fit_table *t, FILE *out)
{
    char line[2048];
    describe_search(t, line, sizeof line);
    fprintf(out, "fit: %s\n", line);
    describe_budget(t, true, line, sizeof line);
    fprintf(out, "budgets: %s\n", line);
    for (int b = 0; b < t->n_boards; b++) {
        describe_board(t, b, line, sizeof line);
        fprintf(out, "\n%s\n", line);
        struct table tab;
        board_table(t, b, true, &tab);
        table_print_text(&tab, out, 2);
        table_free(&tab);
        notes(t, b, out, false);
        char best[FIT_MAX_KERNELS][512];
        int n = best_lines(t, b, true, best);
        fprintf(out, "largest within every budget (*):\n");
        for (int i = 0; i < n; i++)
            fprintf(out, "  %s\n", best[i]);
    }
    return 0;
}

static int fit_md(const struct fit_table *t, FILE *out)
{
    char line[2048];
    describe_search(t, line, sizeof line);
    fputs("### mcusim fit: ", out);
    fput_md(out, line, false);
    fputs("\n\nBudgets: ", out);
    describe_budget(t, false, line, sizeof line);
    fput_md(out, line, false);
    fputs(".\n", out);
    for (int b = 0; b < t->n_boards; b++) {
        describe_board(t, b, line, sizeof line);
        fputs("\n**", out);
        fput_md(out, line, false);
        fputs("**\n\n", out);
        struct table tab;
        board_table(t, b, false, &tab);
        table_print_md(&tab, out);
        table_free(&tab);
        fputc('\n', out);
        notes(t, b, out, true);
        char best[FIT_MAX_KERNELS][512];
        int n = best_lines(t, b, false, best);
        fputs("Largest within every budget (\\*):\n", out);
        for (int i = 0; i < n; i++) {
            fputs("- ", out);
            fput_md(out, best[i], false);
            fputc('\n', out);
        }
    }
    return 0;
}

/* ---- CSV and JSON ---- */

static int fit_csv(const struct fit_table *t, FILE *out)
{
    fputs("variant,spec,file,board,kernels,macs,params,model_bytes,flash_bytes,flash_limit,ram_bytes,"
          "ram_is_lower_bound,ram_limit,status,run_id,cycles,ms,energy_uj_est,verdict,binding,binding_pct,best\n",
          out);
    for (int i = 0; i < t->n_rows; i++) {
        const struct fit_row *r = &t->rows[i];
        const struct fit_variant *v = &t->variants[r->variant];
        fput_csv(out, v->label);
        fputc(',', out);
        fput_csv(out, v->spec);
        fputc(',', out);
        fput_csv(out, v->path);
        fputc(',', out);
        fput_csv(out, t->boards[r->board].name);
        fprintf(out, ",%s,%llu,%llu,%llu,%llu,%llu,%llu,%d,%llu,", t->kernels[r->kernels],
                (unsigned long long)v->macs, (unsigned long long)v->params, (unsigned long long)v->model_bytes,
                (unsigned long long)r->flash_needed, (unsigned long long)fit_flash_limit(t, r->board),
                (unsigned long long)r->ram_needed, !r->exact, (unsigned long long)fit_ram_limit(t, r->board));
        fput_csv(out, r->status);
        if (ran_ok(r))
            fprintf(out, ",%lld,%llu,%.6f,%.4f", (long long)r->run_id, (unsigned long long)r->cycles, r->ms,
                    r->has_energy ? r->energy_uj : 0.0);
        else
            fprintf(out, ",%lld,,,", (long long)r->run_id);
        fprintf(out, ",%s,%s,%.2f,%d\n", fit_outcome_name(r->outcome), fit_constraint_name(r->binding),
                r->binding_pct, r->best);
    }
    return 0;
}

static void num_or_null(cJSON *o, const char *key, bool have, double v)
{
    if (have)
        cJSON_AddNumberToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

static cJSON *row_json(const struct fit_table *t, const struct fit_row *r)
{
    const struct fit_variant *v = &t->variants[r->variant];
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "variant", v->label);
    cJSON_AddStringToObject(o, "spec", v->spec);
    cJSON_AddStringToObject(o, "file", v->path);
    cJSON_AddStringToObject(o, "kernels", t->kernels[r->kernels]);
    num_or_null(o, "macs", v->macs, (double)v->macs);
    num_or_null(o, "params", v->params, (double)v->params);
    cJSON_AddNumberToObject(o, "model_bytes", (double)v->model_bytes);
    cJSON_AddNumberToObject(o, "flash_bytes", (double)r->flash_needed);
    cJSON_AddNumberToObject(o, "ram_bytes", (double)r->ram_needed);
    cJSON_AddBoolToObject(o, "ram_is_lower_bound", !r->exact);
    cJSON_AddBoolToObject(o, "runnable", r->runnable);
    cJSON_AddStringToObject(o, "status", r->status[0] ? r->status : "not run");
    num_or_null(o, "run_id", r->run_id, (double)r->run_id);
    num_or_null(o, "cycles", ran_ok(r), (double)r->cycles);
    num_or_null(o, "ms", ran_ok(r), r->ms);
    num_or_null(o, "energy_uj_est", ran_ok(r) && r->has_energy, r->energy_uj);
    cJSON_AddStringToObject(o, "verdict", fit_outcome_name(r->outcome));
    cJSON_AddStringToObject(o, "binding", fit_constraint_name(r->binding));
    cJSON_AddNumberToObject(o, "binding_pct", r->binding_pct);
    cJSON_AddStringToObject(o, "note", r->note);
    cJSON_AddBoolToObject(o, "best", r->best);
    return o;
}

static int fit_json(const struct fit_table *t, FILE *out)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return -1;
    cJSON_AddStringToObject(o, "search", t->search);
    cJSON *k = cJSON_AddArrayToObject(o, "kernels");
    for (int i = 0; i < t->n_kernels; i++)
        cJSON_AddItemToArray(k, cJSON_CreateString(t->kernels[i]));
    cJSON *bud = cJSON_AddObjectToObject(o, "budgets");
    const struct fit_budget *b = &t->budget;
    num_or_null(bud, "max_ram_kb", b->max_ram_kb > 0, b->max_ram_kb);
    num_or_null(bud, "max_flash_kb", b->max_flash_kb > 0, b->max_flash_kb);
    num_or_null(bud, "max_latency_ms", b->max_latency_ms > 0, b->max_latency_ms);
    num_or_null(bud, "max_energy_uj", b->max_energy_uj > 0, b->max_energy_uj);
    cJSON_AddNumberToObject(bud, "ram_headroom_kb", b->ram_headroom_kb);
    cJSON_AddNumberToObject(bud, "flash_headroom_kb", b->flash_headroom_kb);
    cJSON_AddBoolToObject(o, "any_fits", fit_any_fits(t));
    cJSON *boards = cJSON_AddArrayToObject(o, "boards");
    for (int bi = 0; bi < t->n_boards; bi++) {
        const struct fit_board *bd = &t->boards[bi];
        cJSON *jb = cJSON_CreateObject();
        cJSON_AddItemToArray(boards, jb);
        cJSON_AddStringToObject(jb, "board", bd->name);
        cJSON_AddStringToObject(jb, "core", bd->core);
        cJSON_AddNumberToObject(jb, "clock_hz", bd->clock_hz);
        cJSON_AddNumberToObject(jb, "flash_capacity", bd->flash_capacity);
        cJSON_AddNumberToObject(jb, "ram_capacity", bd->ram_capacity);
        cJSON_AddNumberToObject(jb, "flash_limit", (double)fit_flash_limit(t, bi));
        cJSON_AddNumberToObject(jb, "ram_limit", (double)fit_ram_limit(t, bi));
        cJSON *best = cJSON_AddObjectToObject(jb, "best");
        for (int ki = 0; ki < t->n_kernels; ki++) {
            const struct fit_row *r = fit_best(t, bi, ki);
            if (r)
                cJSON_AddStringToObject(best, t->kernels[ki], t->variants[r->variant].label);
            else
                cJSON_AddNullToObject(best, t->kernels[ki]);
        }
        cJSON *rows = cJSON_AddArrayToObject(jb, "variants");
        for (int i = 0; i < t->n_rows; i++)
            if (t->rows[i].board == bi)
                cJSON_AddItemToArray(rows, row_json(t, &t->rows[i]));
    }
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    if (!text)
        return -1;
    fputs(text, out);
    fputc('\n', out);
    free(text);
    return 0;
}

/* ---- HTML ---- */

static void chart(const struct fit_table *t, int b, bool flash, FILE *out)
{
    const struct fit_row **rows = calloc((size_t)t->n_rows + 1, sizeof *rows);
    struct svg_point *pts = calloc((size_t)t->n_rows + 1, sizeof *pts);
    char (*tips)[512] = calloc((size_t)t->n_rows + 1, sizeof *tips);
    if (!rows || !pts || !tips) {
        free(rows);
        free(pts);
        free(tips);
        return;
    }
    int n = board_rows(t, b, rows);
    for (int i = 0; i < n; i++) {
        const struct fit_row *r = rows[i];
        pts[i].x = (double)(flash ? r->flash_needed : r->ram_needed) / 1024.0;
        pts[i].has_y = ran_ok(r);
        pts[i].y = r->ms;
        pts[i].series = r->kernels;
        pts[i].marked = r->best;
        char latency[80];
        if (ran_ok(r))
            snprintf(latency, sizeof latency, "%s ms", fmt_num(r->ms, 3).s);
        else
            snprintf(latency, sizeof latency, "latency not measured");
        snprintf(tips[i], sizeof tips[i], "%s (%s): %s %s KB, %s; %s%s", t->variants[r->variant].label,
                 t->kernels[r->kernels], flash ? "flash" : "RAM",
                 fmt_kb(flash ? r->flash_needed : r->ram_needed).s, latency, fit_outcome_name(r->outcome),
                 r->best ? ", the largest within every budget" : "");
        pts[i].tip = tips[i];
    }
    const struct fit_board *bd = &t->boards[b];
    struct svg_limit lim[3];
    int nl = 0;
    char l0[96], l1[96], l2[96];
    double cap_kb = (flash ? bd->flash_capacity : bd->ram_capacity) / 1024.0;
    double lim_kb = (double)(flash ? fit_flash_limit(t, b) : fit_ram_limit(t, b)) / 1024.0;
    snprintf(l0, sizeof l0, "board %s %s KB", flash ? "flash" : "RAM", fmt_num(cap_kb, 1).s);
    lim[nl++] = (struct svg_limit){cap_kb, true, SVG_LIMIT_BOARD, l0};
    if (lim_kb < cap_kb) {
        snprintf(l1, sizeof l1, "budget %s KB", fmt_num(lim_kb, 1).s);
        lim[nl++] = (struct svg_limit){lim_kb, true, SVG_LIMIT_BUDGET, l1};
    }
    if (t->budget.max_latency_ms > 0) {
        snprintf(l2, sizeof l2, "latency budget %s ms", fmt_num(t->budget.max_latency_ms, 3).s);
        lim[nl++] = (struct svg_limit){t->budget.max_latency_ms, false, SVG_LIMIT_BUDGET, l2};
    }
    const char *names[FIT_MAX_KERNELS];
    for (int k = 0; k < t->n_kernels; k++)
        names[k] = t->kernels[k];
    char id[96], caption[160];
    snprintf(id, sizeof id, "chart-%s-%d", flash ? "flash" : "ram", b);
    snprintf(caption, sizeof caption, "Latency against %s on %s", flash ? "flash" : "RAM", bd->name);
    html_figure_open(out, caption);
    svg_scatter(out, id, pts, n, names, t->n_kernels, lim, nl, flash ? "flash KB" : "RAM KB", "ms");
    fputs("</figure>\n", out);
    free(rows);
    free(pts);
    free(tips);
}

static int fit_html(const struct fit_table *t, FILE *out)
{
    char line[2048];
    describe_search(t, line, sizeof line);
    char title[2100];
    snprintf(title, sizeof title, "mcusim fit: %s", line);
    html_page_open(out, title);
    fputs("<header><h1>What fits</h1><p class=\"sub\">", out);
    fput_xml(out, line);
    fputs("<br>budgets: ", out);
    describe_budget(t, false, line, sizeof line);
    fput_xml(out, line);
    fputs("</p></header>\n", out);
    for (int b = 0; b < t->n_boards; b++) {
        describe_board(t, b, line, sizeof line);
        fputs("<h2>", out);
        fput_xml(out, line);
        fputs("</h2>\n<div class=\"charts\">\n", out);
        chart(t, b, false, out);
        chart(t, b, true, out);
        fputs("</div>\n", out);
        struct table tab;
        board_table(t, b, false, &tab);
        table_print_html(&tab, out, "fit");
        table_free(&tab);
        char best[FIT_MAX_KERNELS][512];
        int n = best_lines(t, b, false, best);
        fputs("<p>Largest within every budget (*):<br>\n", out);
        for (int i = 0; i < n; i++) {
            fput_xml(out, best[i]);
            fputs("<br>\n", out);
        }
        fputs("</p>\n", out);
    }
    fputs("<footer>Flash and RAM are the runtime's plan for each variant, judged before anything runs (RAM "
          "marked &gt;= is a lower bound for a model that was only sized or that the runtime cannot run); "
          "latency and cycles are measured in the simulation; energy is an estimate from the board's energy "
          "model.</footer>\n",
          out);
    html_page_close(out);
    return 0;
}

int fit_render(const struct fit_table *t, enum rep_format f, FILE *out)
{
    switch (f) {
    case FMT_MD: return fit_md(t, out);
    case FMT_CSV: return fit_csv(t, out);
    case FMT_JSON: return fit_json(t, out);
    case FMT_HTML: return fit_html(t, out);
    default: return fit_text(t, out);
    }
}
