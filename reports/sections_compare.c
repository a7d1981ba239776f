/*
 * sections_compare.c — the content of a comparison and of the run list,
 * as tables for the text, Markdown and HTML renderers (see sections.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "fmt.h"
#include "metrics.h"
#include "sections.h"

void sec_cmp_legend(const struct rep_compare *c, struct table *t)
{
    table_init(t, "lrllllll");
    table_row(t, 0);
    table_cell(t, "%s", "");
    table_cell(t, "run");
    table_cell(t, "tag");
    table_cell(t, "model");
    table_cell(t, "board");
    table_cell(t, "runtime/kernels");
    table_cell(t, "status");
    table_cell(t, "latency of");
    for (int k = 0; k < c->n; k++) {
        const struct rep_run *r = c->runs[k];
        table_row(t, 0);
        table_cell(t, "%c", cmp_label(k));
        table_cell(t, "%lld", (long long)r->id);
        table_cell(t, "%s", r->tag);
        table_cell(t, "%s", r->model[0] ? rep_basename(r->model) : rep_basename(r->firmware));
        table_cell(t, "%s", r->board);
        char flavor[40];
        rep_flavor(r, flavor, sizeof flavor);
        table_cell(t, "%s", flavor);
        table_cell(t, "%s", r->status);
        table_cell(t, "%s", rep_latency_scope(r));
    }
}

static void delta_headers(const struct rep_compare *c, struct table *t)
{
    for (int k = 1; k < c->n; k++) {
        table_cell(t, "%c-A", cmp_label(k));
        table_cell(t, "%c-A %%", cmp_label(k));
    }
    table_cell(t, "best");
}

static void columns(char *spec, int fixed_left, const char *left, int n)
{
    /* left columns, then one value per run, then delta and % per other
     * run, then the best run. */
    strcpy(spec, left);
    size_t p = (size_t)fixed_left;
    for (int k = 0; k < n; k++)
        spec[p++] = 'r';
    for (int k = 1; k < n; k++) {
        spec[p++] = 'r';
        spec[p++] = 'r';
    }
    spec[p++] = 'l';
    spec[p] = '\0';
}

void sec_cmp_totals(const struct rep_compare *c, bool ascii, struct table *t)
{
    char spec[TABLE_MAX_COLS + 1];
    columns(spec, 1, "l", c->n);
    table_init(t, spec);
    table_row(t, 0);
    table_cell(t, "metric");
    for (int k = 0; k < c->n; k++) {
        char label[48];
        cmp_column_label(c, k, label, sizeof label);
        table_cell(t, "%s", label);
    }
    delta_headers(c, t);
    for (int i = 0; i < c->n_totals; i++) {
        const struct cmp_total *m = &c->totals[i];
        table_row(t, 0);
        if (m->energy)
            table_cell(t, "energy %s (est.)", sec_uj(ascii));
        else
            table_cell(t, "%s%s%s", m->name, m->unit[0] ? " " : "", m->unit);
        for (int k = 0; k < c->n; k++)
            table_cell(t, "%s", m->valid[k] ? fmt_num(m->v[k], m->decimals).s : "-");
        for (int k = 1; k < c->n; k++) {
            table_cell(t, "%s", fmt_snum(cmp_delta(m, k), m->decimals).s);
            table_cell(t, "%s", fmt_spct(cmp_delta_pct(m, k)).s);
        }
        char best[32];
        cmp_best_text(m->best, m->valid, c->n, best, sizeof best);
        table_cell(t, "%s", best);
    }
}

/* "conv_s8_ref" when every run agrees, else "conv_s8_ref / conv_s8_opt". */
static void joined(struct table *t, const char (*values)[64], int n)
{
    bool same = true;
    for (int k = 1; k < n; k++)
        same = same && !strcmp(values[k], values[0]);
    if (same) {
        table_cell(t, "%s", values[0]);
        return;
    }
    char buf[CMP_MAX_RUNS * 67] = "";
    for (int k = 0; k < n; k++)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", k ? " / " : "", values[k]);
    table_cell(t, "%s", buf);
}

void sec_cmp_layers(const struct rep_compare *c, struct table *t)
{
    char spec[TABLE_MAX_COLS + 1];
    columns(spec, 4, "rlcl", c->n);
    table_init(t, spec);
    table_row(t, 0);
    table_cell(t, "#");
    table_cell(t, "op");
    table_cell(t, "kernel");
    table_cell(t, "shape");
    for (int k = 0; k < c->n; k++) {
        char label[48];
        cmp_column_label(c, k, label, sizeof label);
        table_cell(t, "%s cycles", label);
    }
    delta_headers(c, t);
    for (int i = 0; i < c->n_layers; i++) {
        const struct cmp_layer *L = &c->layers[i];
        table_row(t, 0);
        table_cell(t, "%d", L->index);
        table_cell(t, "%s", L->op);
        joined(t, L->kernel, c->n);
        joined(t, L->shape, c->n);
        for (int k = 0; k < c->n; k++)
            table_cell(t, "%s", fmt_num(L->cycles[k], 0).s);
        for (int k = 1; k < c->n; k++) {
            table_cell(t, "%s", fmt_snum(L->cycles[k] - L->cycles[0], 0).s);
            table_cell(t, "%s", L->cycles[0] ? fmt_spct(100.0 * (L->cycles[k] - L->cycles[0]) / L->cycles[0]).s
                                             : "-");
        }
        char best[32];
        bool valid[CMP_MAX_RUNS] = {true, true, true, true, true, true, true, true};
        cmp_best_text(L->best, valid, c->n, best, sizeof best);
        table_cell(t, "%s", best);
    }
}

static const struct rep_function *function_named(const struct rep_run *r, const char *name)
{
    for (int i = 0; i < r->n_functions; i++)
        if (!strcmp(r->functions[i].name, name))
            return &r->functions[i];
    return NULL;
}

int sec_cmp_functions(const struct rep_compare *c, int top, bool ascii, struct table *t)
{
    for (int k = 0; k < c->n; k++)
        if (!rep_has_energy(c->runs[k]) || !c->runs[k]->n_functions)
            return 0;
    const struct rep_run *a = c->runs[0];
    /* The first run's functions by self energy, highest first (ties by
     * name, so that the order is the same on every machine). */
    int n = a->n_functions, *order = malloc((size_t)n * sizeof *order);
    if (!order)
        return 0;
    for (int i = 0; i < n; i++)
        order[i] = i;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0; j--) {
            const struct rep_function *x = &a->functions[order[j - 1]], *y = &a->functions[order[j]];
            if (x->self_energy_uj > y->self_energy_uj ||
                (x->self_energy_uj == y->self_energy_uj && strcmp(x->name, y->name) <= 0))
                break;
            int tmp = order[j];
            order[j] = order[j - 1];
            order[j - 1] = tmp;
        }
    char spec[TABLE_MAX_COLS + 1];
    columns(spec, 1, "l", c->n);
    table_init(t, spec);
    table_row(t, 0);
    table_cell(t, "function");
    for (int k = 0; k < c->n; k++)
        table_cell(t, "%c self %s (est.)", cmp_label(k), sec_uj(ascii));
    delta_headers(c, t);
    int rows = 0;
    for (int i = 0; i < n && rows < top; i++, rows++) {
        const struct rep_function *f = &a->functions[order[i]];
        double v[CMP_MAX_RUNS];
        bool valid[CMP_MAX_RUNS];
        table_row(t, 0);
        table_cell(t, "%s", f->name);
        for (int k = 0; k < c->n; k++) {
            const struct rep_function *g = function_named(c->runs[k], f->name);
            valid[k] = g != NULL;
            v[k] = g ? g->self_energy_uj : 0;
            table_cell(t, "%s", g ? fmt_num(v[k], 2).s : "-");
        }
        for (int k = 1; k < c->n; k++) {
            if (!valid[k]) {
                table_cell(t, "-");
                table_cell(t, "-");
                continue;
            }
            table_cell(t, "%s", fmt_snum(v[k] - v[0], 2).s);
            table_cell(t, "%s", v[0] ? fmt_spct(100.0 * (v[k] - v[0]) / v[0]).s : "-");
        }
        double lowest = INFINITY;
        for (int k = 0; k < c->n; k++)
            if (valid[k] && v[k] < lowest)
                lowest = v[k];
        unsigned best = 0;
        for (int k = 0; k < c->n; k++)
            if (valid[k] && v[k] == lowest)
                best |= 1u << k;
        char text[32];
        cmp_best_text(best, valid, c->n, text, sizeof text);
        table_cell(t, "%s", text);
    }
    free(order);
    return rows;
}

void sec_cmp_layers_note(const struct rep_compare *c, char *out, size_t len)
{
    int most = 0;
    for (int k = 0; k < c->n; k++)
        if (c->layer_count[k] > most)
            most = c->layer_count[k];
    bool all_ok = true;
    char none[2 * CMP_MAX_RUNS] = "";
    for (int k = 0; k < c->n; k++) {
        all_ok = all_ok && rep_run_ok(c->runs[k]);
        if (!c->layer_count[k])
            snprintf(none + strlen(none), sizeof none - strlen(none), "%s%c", none[0] ? " " : "", cmp_label(k));
    }
    if (!most)
        out[0] = '\0';
    else if (!all_ok)
        snprintf(out, len, "layers: not compared, not every run completed (see status)");
    else if (none[0])
        snprintf(out, len, "layers: not compared, %s measured no layers (its firmware marked none)", none);
    else if (c->graphs_agree)
        snprintf(out, len, "layers: all %d matched by index and op, largest change in cycles first", c->n_layers);
    else if (!c->n_layers)
        snprintf(out, len, "layers: the graphs differ (no operator index has the same op in every run); totals only");
    else
        snprintf(out, len,
                 "layers: the graphs differ; %d operator indices have the same op in every run and are compared, "
                 "largest change in cycles first",
                 c->n_layers);
}

void sec_runs(const struct rep_run *runs, int n, struct table *t)
{
    table_init(t, "rllllllrr");
    table_row(t, 0);
    table_cell(t, "id");
    table_cell(t, "started");
    table_cell(t, "tag");
    table_cell(t, "board");
    table_cell(t, "model");
    table_cell(t, "runtime/kernels");
    table_cell(t, "status");
    table_cell(t, "cycles");
    table_cell(t, "peak RAM KB");
    for (int i = 0; i < n; i++) {
        const struct rep_run *r = &runs[i];
        table_row(t, 0);
        table_cell(t, "%lld", (long long)r->id);
        table_cell(t, "%s", r->started);
        table_cell(t, "%s", r->tag);
        table_cell(t, "%s", r->board);
        table_cell(t, "%s", r->model[0] ? rep_basename(r->model) : rep_basename(r->firmware));
        char flavor[40];
        rep_flavor(r, flavor, sizeof flavor);
        table_cell(t, "%s", flavor);
        table_cell(t, "%s", r->status);
        table_cell(t, "%s", fmt_int(rep_latency_cycles(r)).s);
        table_cell(t, "%s", fmt_kb(r->ram_peak).s);
    }
}
