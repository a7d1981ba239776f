/*
 * fit_table.c — judging model variants against budgets (see fit_table.h).
 */
#include "fit_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t limit_of(uint32_t capacity, double headroom_kb, double budget_kb)
{
    double limit = (double)capacity - headroom_kb * 1024.0;
    if (budget_kb > 0 && budget_kb * 1024.0 < limit)
        limit = budget_kb * 1024.0;
    return limit > 0 ? (uint64_t)limit : 0;
}

uint64_t fit_flash_limit(const struct fit_table *t, int board)
{
    return limit_of(t->boards[board].flash_capacity, t->budget.flash_headroom_kb, t->budget.max_flash_kb);
}

uint64_t fit_ram_limit(const struct fit_table *t, int board)
{
    return limit_of(t->boards[board].ram_capacity, t->budget.ram_headroom_kb, t->budget.max_ram_kb);
}

const char *fit_outcome_name(enum fit_outcome o)
{
    switch (o) {
    case FIT_FITS: return "fits";
    case FIT_OVER: return "over";
    case FIT_NOT_MEASURED: return "not measured";
    default: return "cannot run";
    }
}

const char *fit_constraint_name(enum fit_constraint c)
{
    static const char *const names[] = {"flash", "RAM", "latency", "energy"};
    return c < FIT_CONSTRAINTS ? names[c] : "";
}

static double ratio(double used, double limit)
{
    return limit > 0 ? used / limit : used > 0 ? 1e9 : 0;
}

static void judge_row(const struct fit_table *t, struct fit_row *r)
{
    const struct fit_budget *b = &t->budget;
    double use[FIT_CONSTRAINTS] = {0};
    bool have[FIT_CONSTRAINTS] = {false};
    use[FIT_FLASH] = ratio((double)r->flash_needed, (double)fit_flash_limit(t, r->board));
    use[FIT_RAM] = ratio((double)r->ram_needed, (double)fit_ram_limit(t, r->board));
    have[FIT_FLASH] = have[FIT_RAM] = true;
    bool ran_ok = !strcmp(r->status, "ok");
    bool needs_run = false, no_energy_model = false;
    if (b->max_latency_ms > 0) {
        if (ran_ok) {
            use[FIT_LATENCY] = ratio(r->ms, b->max_latency_ms);
            have[FIT_LATENCY] = true;
        } else {
            needs_run = true;
        }
    }
    if (b->max_energy_uj > 0) {
        if (ran_ok && r->has_energy) {
            use[FIT_ENERGY] = ratio(r->energy_uj, b->max_energy_uj);
            have[FIT_ENERGY] = true;
        } else if (ran_ok) {
            no_energy_model = true;
        } else {
            needs_run = true;
        }
    }
    /* The constraint furthest over, or else nearest to its limit. */
    int worst = FIT_FLASH;
    for (int c = 0; c < FIT_CONSTRAINTS; c++)
        if (have[c] && use[c] > use[worst])
            worst = c;
    r->binding = (enum fit_constraint)worst;
    r->binding_pct = 100.0 * use[worst];
    r->note[0] = '\0';
    if (use[worst] > 1) {
        r->outcome = FIT_OVER;
        snprintf(r->note, sizeof r->note, "%s over its limit", fit_constraint_name(r->binding));
    } else if (!r->runnable) {
        r->outcome = FIT_CANNOT_RUN;
        snprintf(r->note, sizeof r->note, "%.150s", r->why);
    } else if (r->status[0] && !ran_ok) {
        r->outcome = FIT_NOT_MEASURED;
        snprintf(r->note, sizeof r->note, "the run ended %s: %.100s", r->status, r->diagnostic);
    } else if (needs_run) {
        r->outcome = FIT_NOT_MEASURED;
        snprintf(r->note, sizeof r->note, "not run: the latency or energy budget needs a run");
    } else if (no_energy_model) {
        r->outcome = FIT_NOT_MEASURED;
        snprintf(r->note, sizeof r->note, "no energy model for board %s", t->boards[r->board].name);
    } else {
        r->outcome = FIT_FITS;
    }
}

/* Is a a better answer than b: more MACs, then faster, then less RAM. */
static bool better(const struct fit_table *t, const struct fit_row *a, const struct fit_row *b)
{
    uint64_t ma = t->variants[a->variant].macs, mb = t->variants[b->variant].macs;
    if (ma != mb)
        return ma > mb;
    if (a->cycles != b->cycles && a->cycles && b->cycles)
        return a->cycles < b->cycles;
    return a->ram_needed < b->ram_needed;
}

void fit_judge(struct fit_table *t)
{
    for (int i = 0; i < t->n_rows; i++) {
        judge_row(t, &t->rows[i]);
        t->rows[i].best = false;
    }
    for (int b = 0; b < t->n_boards; b++)
        for (int k = 0; k < t->n_kernels; k++) {
            struct fit_row *best = NULL;
            for (int i = 0; i < t->n_rows; i++) {
                struct fit_row *r = &t->rows[i];
                if (r->board == b && r->kernels == k && r->outcome == FIT_FITS && (!best || better(t, r, best)))
                    best = r;
            }
            if (best)
                best->best = true;
        }
}

bool fit_any_fits(const struct fit_table *t)
{
    for (int i = 0; i < t->n_rows; i++)
        if (t->rows[i].outcome == FIT_FITS)
            return true;
    return false;
}

const struct fit_row *fit_best(const struct fit_table *t, int board, int kernels)
{
    for (int i = 0; i < t->n_rows; i++)
        if (t->rows[i].board == board && t->rows[i].kernels == kernels && t->rows[i].best)
            return &t->rows[i];
    return NULL;
}

void fit_table_free(struct fit_table *t)
{
    free(t->boards);
    free(t->variants);
    free(t->rows);
    t->boards = NULL;
    t->variants = NULL;
    t->rows = NULL;
    t->n_boards = t->n_variants = t->n_rows = 0;
}
