/*
 * compare.h — several stored runs side by side: runtimes (mcusim's own
 * against another), kernels (ref vs opt), model variants, boards.
 *
 * The first run is the baseline: every delta is "run minus the first run",
 * absolute and in percent.  Totals are always compared; layers only where
 * the graphs agree, i.e. an operator index is compared when every run has
 * a layer with that index and the same op, whichever runtime ran it (each
 * runtime marks its operators with the model's operator index and op).  Rows are sorted by the largest
 * change, and for each row the best run (lowest value: every metric here
 * costs) is marked, unless all are equal.
 */
#ifndef MCUSIM_REPORTS_COMPARE_H
#define MCUSIM_REPORTS_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "rundata.h"

#define CMP_MAX_RUNS 8

struct cmp_total {
    const char *name;          /* "latency" */
    const char *unit;          /* "ms"; energy's unit is filled per format */
    bool energy;               /* an estimate: formats label it */
    double v[CMP_MAX_RUNS];
    bool valid[CMP_MAX_RUNS];  /* measured in that run (not for failed runs) */
    int decimals;
    bool rank;                 /* lower is better (not for MACs, a property of the model) */
    unsigned best;             /* bit k: run k has the lowest value (0: not ranked) */
    double change;             /* largest |delta %| against the first run, for sorting */
};

struct cmp_layer {
    int index;
    char op[64];
    char kernel[CMP_MAX_RUNS][64];
    char shape[CMP_MAX_RUNS][64];
    double cycles[CMP_MAX_RUNS];
    double energy_uj[CMP_MAX_RUNS];
    unsigned best;
    double change;             /* largest |delta cycles|, for sorting */
};

struct rep_compare {
    int n;
    const struct rep_run *runs[CMP_MAX_RUNS];
    struct cmp_total totals[12];
    int n_totals;
    struct cmp_layer *layers;  /* matched layers, largest change first */
    int n_layers;
    int layer_count[CMP_MAX_RUNS];
    bool graphs_agree;         /* every layer of every run matched */
};

/* Builds the comparison of runs[0..n-1] (2 <= n <= CMP_MAX_RUNS, loaded
 * with details).  The runs must outlive c.  Returns 0 or -1 with err. */
int rep_compare_build(const struct rep_run *runs, int n, struct rep_compare *c, char *err, size_t errlen);
void rep_compare_free(struct rep_compare *c);

/* "A", "B", ...: how the renderers name run i. */
char cmp_label(int i);

/* "A mcusim/ref": the letter of run k with its runtime and kernels, the
 * header of its column, so that a table of runs of several runtimes says
 * whose each column is ("A" alone for plain firmware). */
void cmp_column_label(const struct rep_compare *c, int k, char *out, size_t len);

/* The best runs of a row as text: "B", "A C" when tied, "=" when every
 * run has the same value, "" when not ranked. */
void cmp_best_text(unsigned best, const bool *valid, int n, char *out, size_t len);

/* Delta of run k against the first run: absolute and percent (NAN when the
 * first value is 0 or either is not valid). */
double cmp_delta(const struct cmp_total *t, int k);
double cmp_delta_pct(const struct cmp_total *t, int k);

#endif
