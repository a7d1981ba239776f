/*
 * compare.c — building a comparison of runs (see compare.h).
 */
#include "compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

char cmp_label(int i)
{
    return (char)('A' + i);
}

void cmp_column_label(const struct rep_compare *c, int k, char *out, size_t len)
{
    char flavor[40];
    rep_flavor(c->runs[k], flavor, sizeof flavor);
    snprintf(out, len, "%c%s%s", cmp_label(k), flavor[0] ? " " : "", flavor);
}

double cmp_delta(const struct cmp_total *t, int k)
{
    if (!t->valid[0] || !t->valid[k])
        return NAN;
    return t->v[k] - t->v[0];
}

double cmp_delta_pct(const struct cmp_total *t, int k)
{
    if (!t->valid[0] || !t->valid[k] || t->v[0] == 0)
        return NAN;
    return 100.0 * (t->v[k] - t->v[0]) / t->v[0];
}

/* The runs holding the smallest valid value; 0 when fewer than two runs
 * have a value (nothing to rank). */
static unsigned best_of(const double *v, const bool *valid, int n)
{
    int first = -1, valid_count = 0;
    for (int k = 0; k < n; k++) {
        if (!valid[k])
            continue;
        valid_count++;
        if (first < 0 || v[k] < v[first])
            first = k;
    }
    if (valid_count < 2)
        return 0;
    unsigned mask = 0;
    for (int k = 0; k < n; k++)
        if (valid[k] && v[k] == v[first])
            mask |= 1u << k;
    return mask;
}

void cmp_best_text(unsigned best, const bool *valid, int n, char *out, size_t len)
{
    out[0] = '\0';
    if (!best)
        return;
    bool all = true;
    for (int k = 0; k < n; k++)
        if (valid[k] && !(best & (1u << k)))
            all = false;
    if (all) {
        snprintf(out, len, "=");
        return;
    }
    for (int k = 0; k < n; k++)
        if (best & (1u << k)) {
            size_t used = strlen(out);
            snprintf(out + used, len - used, "%s%c", used ? " " : "", cmp_label(k));
        }
}

static struct cmp_total *add_total(struct rep_compare *c, const char *name, const char *unit, int decimals,
                                   bool rank)
{
    struct cmp_total *t = &c->totals[c->n_totals++];
    memset(t, 0, sizeof *t);
    t->name = name;
    t->unit = unit;
    t->decimals = decimals;
    t->rank = rank;
    return t;
}

static void finish_total(struct cmp_total *t, int n)
{
    t->best = t->rank ? best_of(t->v, t->valid, n) : 0;
    t->change = 0;
    for (int k = 1; k < n; k++) {
        double d = fabs(cmp_delta_pct(t, k));
        if (isfinite(d) && d > t->change)
            t->change = d;
    }
}

static void build_totals(struct rep_compare *c)
{
    int n = c->n;
    struct cmp_total *lat = add_total(c, "latency", "ms", 3, true);
    struct cmp_total *cyc = add_total(c, "cycles", "", 0, true);
    struct cmp_total *ins = add_total(c, "instructions", "", 0, true);
    struct cmp_total *en = add_total(c, "energy", "", 2, true);
    en->energy = true;
    struct cmp_total *ram = add_total(c, "peak RAM", "KB", 1, true);
    struct cmp_total *fl = add_total(c, "flash", "KB", 1, true);
    struct cmp_total *macs = add_total(c, "MACs", "", 0, false);
    struct cmp_total *cpm = add_total(c, "cycles/MAC", "", 2, true);
    for (int k = 0; k < n; k++) {
        const struct rep_run *r = c->runs[k];
        bool ok = rep_run_ok(r);
        uint64_t m = rep_total_macs(r);
        lat->v[k] = rep_latency_ms(r);
        cyc->v[k] = (double)rep_latency_cycles(r);
        ins->v[k] = (double)rep_latency_instructions(r);
        en->v[k] = rep_latency_energy_uj(r);
        ram->v[k] = r->ram_peak / 1024.0;
        fl->v[k] = rep_flash_used(r) / 1024.0;
        macs->v[k] = (double)m;
        cpm->v[k] = m ? (double)rep_latency_cycles(r) / (double)m : 0;
        lat->valid[k] = cyc->valid[k] = ins->valid[k] = ram->valid[k] = ok;
        en->valid[k] = ok && rep_has_energy(r);
        /* Flash is known before anything runs, so a model that does not
         * fit still compares on flash. */
        fl->valid[k] = true;
        macs->valid[k] = ok && m;
        cpm->valid[k] = ok && m;
    }
    for (int i = 0; i < c->n_totals; i++)
        finish_total(&c->totals[i], n);
}

static const struct rep_layer *find_layer(const struct rep_run *r, int index)
{
    for (int i = 0; i < r->n_layers; i++)
        if (!strcmp(r->layers[i].kind, "layer") && r->layers[i].index == index)
            return &r->layers[i];
    return NULL;
}

static int by_total_change(const void *a, const void *b)
{
    const struct cmp_total *x = a, *y = b;
    if (x->change != y->change)
        return x->change < y->change ? 1 : -1;
    return 0;
}

static int by_layer_change(const void *a, const void *b)
{
    const struct cmp_layer *x = a, *y = b;
    if (x->change != y->change)
        return x->change < y->change ? 1 : -1;
    return x->index - y->index;
}

/* qsort is not stable: equal changes keep the fixed metric order through
 * an insertion sort instead (a dozen rows). */
static void sort_totals(struct cmp_total *t, int n)
{
    for (int i = 1; i < n; i++) {
        struct cmp_total key = t[i];
        int j = i - 1;
        while (j >= 0 && by_total_change(&t[j], &key) > 0) {
            t[j + 1] = t[j];
            j--;
        }
        t[j + 1] = key;
    }
}

int rep_compare_build(const struct rep_run *runs, int n, struct rep_compare *c, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    if (n < 2 || n > CMP_MAX_RUNS) {
        snprintf(err, errlen, "compare needs 2 to %d runs, not %d", CMP_MAX_RUNS, n);
        return -1;
    }
    c->n = n;
    for (int k = 0; k < n; k++)
        c->runs[k] = &runs[k];
    build_totals(c);
    sort_totals(c->totals, c->n_totals);

    for (int k = 0; k < n; k++)
        for (int i = 0; i < runs[k].n_layers; i++)
            c->layer_count[k] += !strcmp(runs[k].layers[i].kind, "layer");
    c->layers = calloc((size_t)c->layer_count[0] + 1, sizeof *c->layers);
    if (!c->layers) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    bool all_ok = true;
    for (int k = 0; k < n; k++)
        all_ok = all_ok && rep_run_ok(&runs[k]);
    for (int i = 0; all_ok && i < runs[0].n_layers; i++) {
        const struct rep_layer *L0 = &runs[0].layers[i];
        if (strcmp(L0->kind, "layer"))
            continue;
        struct cmp_layer *m = &c->layers[c->n_layers];
        memset(m, 0, sizeof *m);
        m->index = L0->index;
        snprintf(m->op, sizeof m->op, "%s", L0->op);
        bool matched = true;
        bool valid[CMP_MAX_RUNS] = {false};
        for (int k = 0; k < n && matched; k++) {
            const struct rep_layer *L = k ? find_layer(&runs[k], L0->index) : L0;
            if (!L || strcmp(L->op, L0->op)) {
                matched = false;
                break;
            }
            snprintf(m->kernel[k], sizeof m->kernel[k], "%s", L->kernel);
            snprintf(m->shape[k], sizeof m->shape[k], "%s", L->shape);
            m->cycles[k] = (double)L->cycles;
            m->energy_uj[k] = L->energy_uj;
            valid[k] = true;
        }
        if (!matched)
            continue;
        m->best = best_of(m->cycles, valid, n);
        for (int k = 1; k < n; k++)
            if (fabs(m->cycles[k] - m->cycles[0]) > m->change)
                m->change = fabs(m->cycles[k] - m->cycles[0]);
        c->n_layers++;
    }
    c->graphs_agree = all_ok && c->n_layers > 0;
    for (int k = 0; k < n; k++)
        if (c->layer_count[k] != c->n_layers)
            c->graphs_agree = false;
    qsort(c->layers, (size_t)c->n_layers, sizeof *c->layers, by_layer_change);
    return 0;
}

void rep_compare_free(struct rep_compare *c)
{
    free(c->layers);
    c->layers = NULL;
    c->n_layers = 0;
}
