/*
 * render_impl.h — the per-format renderers behind render.h, one file each
 * (render_text.c, render_md.c, render_csv.c, render_json.c,
 * render_html.c).  Each writes to out and leaves error checking to the
 * caller (ferror).
 */
#ifndef MCUSIM_REPORTS_RENDER_IMPL_H
#define MCUSIM_REPORTS_RENDER_IMPL_H

#include "render.h"

void text_report(const struct rep_run *r, const struct rep_options *o, FILE *out);
void text_compare(const struct rep_compare *c, FILE *out);
void text_runs(const struct rep_run *runs, int n, FILE *out);

void md_report(const struct rep_run *r, const struct rep_options *o, FILE *out);
void md_compare(const struct rep_compare *c, FILE *out);
void md_runs(const struct rep_run *runs, int n, FILE *out);

void csv_report(const struct rep_run *r, FILE *out);
void csv_compare(const struct rep_compare *c, FILE *out);
void csv_runs(const struct rep_run *runs, int n, FILE *out);

/* JSON can fail to allocate: these return 0 or -1. */
int json_report(const struct rep_run *r, const struct rep_options *o, FILE *out);
int json_compare(const struct rep_compare *c, FILE *out);
int json_runs(const struct rep_run *runs, int n, FILE *out);

void html_report(const struct rep_run *r, const struct rep_options *o, FILE *out);
void html_compare(const struct rep_compare *c, FILE *out);
void html_runs(const struct rep_run *runs, int n, FILE *out);

#endif
