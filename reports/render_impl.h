/*
 * render_impl.h — the per-format renderers behind render.h, one file each
 * (render_text.c, render_md.c, render_csv.c, render_json.c,
 * render_html.c), with the same three signatures so that each format is
 * one row of render.c's table.  Each writes to out and returns 0, or -1
 * when it could not build its output (JSON allocates); write errors are
 * the caller's to find (ferror).
 */
#ifndef MCUSIM_REPORTS_RENDER_IMPL_H
#define MCUSIM_REPORTS_RENDER_IMPL_H

#include "render.h"

int text_report(const struct rep_run *r, const struct rep_options *o, FILE *out);
int text_compare(const struct rep_compare *c, FILE *out);
int text_runs(const struct rep_run *runs, int n, FILE *out);

int md_report(const struct rep_run *r, const struct rep_options *o, FILE *out);
int md_compare(const struct rep_compare *c, FILE *out);
int md_runs(const struct rep_run *runs, int n, FILE *out);

int csv_report(const struct rep_run *r, const struct rep_options *o, FILE *out);
int csv_compare(const struct rep_compare *c, FILE *out);
int csv_runs(const struct rep_run *runs, int n, FILE *out);

int json_report(const struct rep_run *r, const struct rep_options *o, FILE *out);
int json_compare(const struct rep_compare *c, FILE *out);
int json_runs(const struct rep_run *runs, int n, FILE *out);

/* The page every HTML output shares: head with the CSS, body, and a chart's
 * figure with its caption (render_html.c; also fit_render.c). */
void html_page_open(FILE *out, const char *title);
void html_page_close(FILE *out);
void html_figure_open(FILE *out, const char *caption);

int html_report(const struct rep_run *r, const struct rep_options *o, FILE *out);
int html_compare(const struct rep_compare *c, FILE *out);
int html_runs(const struct rep_run *runs, int n, FILE *out);

#endif
