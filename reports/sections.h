/*
 * sections.h — the content of a run report, built once as tables and
 * lines that the text, Markdown and HTML renderers lay out each in their
 * own way: the title, the per-layer table with its totals, the flash and
 * RAM breakdowns against the board's capacity, and the top functions.
 *
 * Host-dependent facts (start time, host speed, absolute paths) are kept
 * out of every table and go only to sec_host_lines(), whose lines all
 * begin with "host: ", so that golden-file tests can mask them.
 */
#ifndef MCUSIM_REPORTS_SECTIONS_H
#define MCUSIM_REPORTS_SECTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "rundata.h"
#include "table.h"

/* Unit spelling: plain ASCII for terminals and CSV, µ elsewhere. */
const char *sec_uj(bool ascii);

/* "cnn.tflite on nano33ble (cortex-m4f, 64 MHz), mcusim runtime, kernels ref" */
void sec_title(const struct rep_run *r, char *out, size_t len);
/* "run 3, tag cnn-ref" ("" when neither: a run not stored). */
void sec_identity(const struct rep_run *r, char *out, size_t len);

/* Up to 4 "host: ..." lines into lines[]; returns how many. */
int sec_host_lines(const struct rep_run *r, char lines[][1200], int max);

/* "inference: 36,975,724 cycles = 577.746 ms at 64 MHz, ..." and the same
 * for the whole run; returns how many lines (1 or 2). */
int sec_summary_lines(const struct rep_run *r, bool ascii, char lines[][512], int max);

/* The per-layer table (regions when the firmware marked no layers), with
 * totals rows.  Returns the number of layer rows. */
int sec_layers(const struct rep_run *r, bool ascii, struct table *t);

/* "flash: 85.3 KB of 1,024.0 KB (8.3%)" and its breakdown table. */
void sec_flash(const struct rep_run *r, char *headline, size_t len, struct table *t);
/* "RAM: peak 24.4 KB of 256.0 KB (9.5%)" and its breakdown table. */
void sec_ram(const struct rep_run *r, char *headline, size_t len, struct table *t);

/* The top functions by self cycles. */
void sec_functions(const struct rep_run *r, int top, bool ascii, struct table *t);

/* ---- comparisons (compare.h) ---- */
struct rep_compare;

/* Who A, B, ... are. */
void sec_cmp_legend(const struct rep_compare *c, struct table *t);
/* Totals: value per run, delta against A (absolute, %), best run. */
void sec_cmp_totals(const struct rep_compare *c, bool ascii, struct table *t);
/* Matched layers: cycles per run, delta against A, best run. */
void sec_cmp_layers(const struct rep_compare *c, struct table *t);
/* "9 of 9 layers matched by index and op" or why not; "" when no layers. */
void sec_cmp_layers_note(const struct rep_compare *c, char *out, size_t len);
/* Functions side by side: the first run's top functions by self energy,
 * found by name in the others, with their self energy (µJ, est.).  Returns
 * the rows written; 0 (no table) unless every run has an energy model. */
int sec_cmp_functions(const struct rep_compare *c, int top, bool ascii, struct table *t);

/* ---- the run list ('mcusim runs') ---- */
void sec_runs(const struct rep_run *runs, int n, struct table *t);

#endif
