/*
 * fit_render.h — the answer of 'mcusim fit' (fit_table.h) in the formats
 * of render.h:
 *   text  the budgets, then per board a table of the variants (MACs,
 *         parameters, flash, RAM, cycles, ms, µJ, verdict, binding
 *         constraint; '*' marks the largest within every budget) and the
 *         best per kernel family
 *   md    the same tables in Markdown
 *   csv   one row per variant, board and kernel family
 *   json  everything, for scripts
 *   html  one page: per board, latency against RAM and against flash with
 *         the board's limits and the budgets as lines, and the table
 */
#ifndef MCUSIM_REPORTS_FIT_RENDER_H
#define MCUSIM_REPORTS_FIT_RENDER_H

#include <stdio.h>

#include "fit_table.h"
#include "render.h"

/* Writes t judged (fit_judge); returns 0, or -1 when it could not build its
 * output (out of memory). */
int fit_render(const struct fit_table *t, enum rep_format f, FILE *out);

#endif
