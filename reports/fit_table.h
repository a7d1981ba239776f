/*
 * fit_table.h — the answer of 'mcusim fit': model variants on boards with
 * kernel families, each with its static verdict (flash and RAM, from
 * profiler/fit_verdict.h) and, when it ran, its measured latency and
 * energy; judged against budgets; the largest variant within every budget
 * marked per board and kernel family.
 *
 * Plain data filled by the command (cli/cmd_fit.c) and judged here, so the
 * rules can be tested without simulating anything; fit_render.c prints it
 * as text, Markdown, JSON or an HTML page with charts.
 *
 * The rules (fit_judge):
 *   limits     flash and RAM: the board's, less the headroom kept for the
 *              application, and at most the budget when one is given;
 *              latency and energy: the budget, when one is given
 *   verdict    over: a static resource over its limit (the model cannot
 *                    fit, whatever runs), or a measured one over
 *              fits: every limit met (latency and energy measured when
 *                    they have a budget)
 *              not measured: fits statically, but a budget needs a run
 *                    that did not happen or did not complete
 *              cannot run: fits statically, but the runtime lacks an
 *                    operator of the model
 *   binding    the constraint nearest to (or furthest over) its limit: the
 *              one that decides how much larger the variant could be
 *   best       among the variants that fit on a board with a kernel
 *              family, the one with the most MACs (then the fastest)
 */
#ifndef MCUSIM_REPORTS_FIT_TABLE_H
#define MCUSIM_REPORTS_FIT_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#define FIT_MAX_KERNELS 4

struct fit_budget {
    double max_ram_kb, max_flash_kb;            /* 0: the board's */
    double max_latency_ms, max_energy_uj;       /* 0: none */
    double ram_headroom_kb, flash_headroom_kb;  /* kept for the application */
};

struct fit_board {
    char name[64];
    char core[32];
    uint32_t clock_hz;
    uint32_t flash_capacity, ram_capacity;      /* bytes */
    bool has_energy;                            /* an [energy] model */
};

struct fit_variant {
    char label[256];        /* what varies: "alpha=0.25,res=96", or the file's name */
    char spec[256];         /* the canonical spec; "" for a file */
    char path[1024];        /* the .tflite; "" when it was only sized, never built */
    uint64_t macs, params;  /* 0 when unknown */
    uint64_t model_bytes;
};

enum fit_outcome { FIT_FITS, FIT_OVER, FIT_NOT_MEASURED, FIT_CANNOT_RUN };

enum fit_constraint { FIT_FLASH, FIT_RAM, FIT_LATENCY, FIT_ENERGY, FIT_CONSTRAINTS };

struct fit_row {
    int variant, board, kernels;
    /* static, from the verdict */
    bool exact;              /* from the firmware's plan of the built model; else RAM is a lower bound */
    bool runnable;           /* the runtime can run the model */
    char why[256];           /* when not runnable */
    uint64_t flash_needed, ram_needed;   /* bytes */
    /* measured, when it ran */
    char status[16];         /* the run's (ok, fault, limit, error); "" when it did not run */
    char diagnostic[256];
    int64_t run_id;
    uint64_t cycles;         /* one inference */
    double ms, energy_uj;
    bool has_energy;
    /* judged (fit_judge) */
    enum fit_outcome outcome;
    enum fit_constraint binding;
    double binding_pct;      /* of its limit */
    char note[160];          /* why not measured, or what is over */
    bool best;
};

struct fit_table {
    char search[1024];       /* what was searched: the spec, or the files */
    struct fit_budget budget;
    struct fit_board *boards;
    int n_boards;
    char kernels[FIT_MAX_KERNELS][16];
    int n_kernels;
    struct fit_variant *variants;
    int n_variants;
    struct fit_row *rows;    /* variant-major: variant, then board, then kernels */
    int n_rows;
};

/* The limits on a board, bytes; 0 for latency and energy without a budget. */
uint64_t fit_flash_limit(const struct fit_table *t, int board);
uint64_t fit_ram_limit(const struct fit_table *t, int board);

/* Judges every row (outcome, binding, note) and marks the best. */
void fit_judge(struct fit_table *t);

/* Whether any row fits. */
bool fit_any_fits(const struct fit_table *t);

/* The best row on a board with a kernel family, or NULL. */
const struct fit_row *fit_best(const struct fit_table *t, int board, int kernels);

const char *fit_outcome_name(enum fit_outcome o);      /* "fits", "over", "not measured", "cannot run" */
const char *fit_constraint_name(enum fit_constraint c); /* "flash", "RAM", "latency", "energy" */

void fit_table_free(struct fit_table *t);

#endif
