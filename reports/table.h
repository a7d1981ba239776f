/*
 * table.h — a table of formatted cells, printed as aligned text, as a
 * Markdown table or as an HTML table.
 *
 * The report's content (which columns, which rows, how each number is
 * written) is built once per section (sections.c) and each format only
 * decides how a table looks, so text, Markdown and HTML never drift apart.
 */
#ifndef MCUSIM_REPORTS_TABLE_H
#define MCUSIM_REPORTS_TABLE_H

#include <stdio.h>

#define TABLE_MAX_COLS 32

enum table_row_flags {
    ROW_TOTAL = 1,   /* a totals row: a rule above it in text, bold in Markdown */
    ROW_MUTED = 2,   /* secondary (e.g. "outside layers"): dimmed in HTML */
};

struct table {
    int ncols;
    char align[TABLE_MAX_COLS];   /* 'l' left, 'r' right, 'c' left and code (names) */
    char **cells;                 /* nrows * ncols, row 0 is the header */
    int *flags;
    int nrows, cap;
    int oom;                      /* an allocation failed: printing says so */
};

/* columns: one letter per column as in align above. */
void table_init(struct table *t, const char *columns);
/* Starts a row; the first row is the header. */
void table_row(struct table *t, int flags);
/* Appends a cell to the current row. */
__attribute__((format(printf, 2, 3))) void table_cell(struct table *t, const char *fmt, ...);
void table_free(struct table *t);

void table_print_text(const struct table *t, FILE *f, int indent);
void table_print_md(const struct table *t, FILE *f);
void table_print_html(const struct table *t, FILE *f, const char *css_class);

#endif
