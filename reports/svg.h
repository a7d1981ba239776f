/*
 * svg.h — the charts of the HTML reports, written as inline SVG: no
 * script, no external resource, so the page renders the same offline and
 * in any browser.  Every bar carries a <title> with its exact value
 * (shown as a tooltip).  Widths are fixed (560 px) so two charts sit side
 * by side on a 1200 px page; heights grow with the number of rows.
 */
#ifndef MCUSIM_REPORTS_SVG_H
#define MCUSIM_REPORTS_SVG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "rundata.h"

#define SVG_WIDTH 560

/* Colours of the series; the HTML legend and the tests use them too. */
#define SVG_CYCLES "#4e79a7"
#define SVG_ENERGY "#f28e2b"
#define SVG_RAM_STATIC "#9c755f"
#define SVG_RAM_ARENA "#59a14f"
#define SVG_RAM_STACK "#edc948"
#define SVG_RAM_LIMIT "#e15759"
extern const char *const svg_mix_colors[MIX_COUNT];
extern const char *const svg_run_colors[8];

/* One horizontal bar per row, labelled, with the value after the bar. */
void svg_hbars(FILE *f, const char *id, const char *const *labels, const double *values, int n, int decimals,
               const char *unit, const char *color);

/* RAM per row as stacked columns (static, arena, stack; KB) with the
 * board's RAM as a dashed line.  ticks label the x axis, labels go to the
 * tooltips. */
void svg_ram(FILE *f, const char *id, const char *const *labels, const char *const *ticks, const double *stat,
             const double *arena, const double *stack, int n, double capacity_kb);

/* Instruction mix per row as 100% stacked bars. */
void svg_mix(FILE *f, const char *id, const char *const *labels, const uint64_t (*mix)[MIX_COUNT], int n);

/* Grouped horizontal bars: for each row one bar per series (runs). */
void svg_grouped_hbars(FILE *f, const char *id, const char *const *labels, const double *values, int n,
                       int series, const char *const *series_names, int decimals, const char *unit);

/* A scatter plot: one dot per point, coloured by its series
 * (svg_run_colors), a ring around the marked ones; points without y (not
 * measured) sit as grey triangles in a band above the plot at their x.
 * Lines mark limits: vertical at an x, horizontal at a y, dashed, each
 * with its colour and a label.  Axes start at 0. */
struct svg_point {
    double x, y;
    bool has_y;
    int series;
    bool marked;
    const char *tip;     /* tooltip */
};
struct svg_limit {
    double at;
    bool vertical;       /* at an x; else at a y */
    const char *color;
    const char *label;
};
#define SVG_LIMIT_BOARD "#e15759"   /* what the board has */
#define SVG_LIMIT_BUDGET "#b07aa1"  /* what the budget allows */
#define SVG_NOT_RUN "#9d9d9d"
void svg_scatter(FILE *f, const char *id, const struct svg_point *p, int n, const char *const *series_names,
                 int n_series, const struct svg_limit *limits, int n_limits, const char *x_title,
                 const char *y_title);

#endif
