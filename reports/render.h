/*
 * render.h — writing a run report, a comparison or the run list in one of
 * five formats, each one row of render.c's table (its names, the file
 * extensions that pick it, and its three renderers):
 *   text  for terminals: aligned columns, totals lines
 *   md    Markdown, to paste into a pull-request comment
 *   csv   one row per layer (or per compared metric/layer, or per run)
 *   json  everything, for scripts
 *   html  one self-contained page with inline SVG charts
 * Every format labels energy as an estimate.  In text and md, facts that
 * depend on the host (start time, host speed, absolute paths) appear only
 * on lines beginning "host: " (in md: "<sub>host: ").
 */
#ifndef MCUSIM_REPORTS_RENDER_H
#define MCUSIM_REPORTS_RENDER_H

#include <stddef.h>
#include <stdio.h>

#include "compare.h"
#include "rundata.h"

enum rep_format { FMT_TEXT, FMT_MD, FMT_CSV, FMT_JSON, FMT_HTML };

/* The format --format names (its name or an alias, e.g. "markdown"):
 * 0 and *f set, or -1 for an unknown name. */
int rep_format_parse(const char *name, enum rep_format *f);

/* The format an output file's extension names (".html", ".htm", ".md",
 * ".csv", ".json", ".txt", in any case): 0 and *f set, or -1 when the
 * path has none of them. */
int rep_format_from_path(const char *path, enum rep_format *f);

/* What 'report', 'compare' and 'runs' write: the --format name when
 * given, else what the -o file's extension names, else text.  Returns 0,
 * or -1 for an unknown --format name. */
int rep_format_choose(const char *name, const char *out_path, enum rep_format *f);

/* "text, md, html, csv or json": the names for messages. */
void rep_format_names(char *out, size_t len);

/* The -f/--format and -o/--output lines of a command's usage, with the
 * names and extensions of every format. */
void rep_format_usage(FILE *out);

struct rep_options {
    int top_functions;  /* functions listed (default 10) */
};
void rep_options_init(struct rep_options *o);

/* Each returns 0, or -1 when writing failed (errno says why). */
int rep_render_report(const struct rep_run *r, enum rep_format f, const struct rep_options *o, FILE *out);
int rep_render_compare(const struct rep_compare *c, enum rep_format f, FILE *out);
int rep_render_runs(const struct rep_run *runs, int n, enum rep_format f, FILE *out);

#endif
