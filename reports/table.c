/*
 * table.c — see table.h.
 */
#include "table.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

void table_init(struct table *t, const char *columns)
{
    memset(t, 0, sizeof *t);
    t->ncols = (int)strlen(columns);
    if (t->ncols > TABLE_MAX_COLS)
        t->ncols = TABLE_MAX_COLS;
    memcpy(t->align, columns, (size_t)t->ncols);
}

void table_row(struct table *t, int flags)
{
    if (t->oom)
        return;
    if (t->nrows == t->cap) {
        int cap = t->cap ? t->cap * 2 : 16;
        char **cells = realloc(t->cells, (size_t)cap * (size_t)t->ncols * sizeof *cells);
        int *fl = cells ? realloc(t->flags, (size_t)cap * sizeof *fl) : NULL;
        if (cells)
            t->cells = cells;
        if (!cells || !fl) {
            t->oom = 1;
            return;
        }
        t->flags = fl;
        t->cap = cap;
    }
    memset(&t->cells[(size_t)t->nrows * (size_t)t->ncols], 0, (size_t)t->ncols * sizeof *t->cells);
    t->flags[t->nrows++] = flags;
}

void table_cell(struct table *t, const char *fmt, ...)
{
    if (t->oom || !t->nrows)
        return;
    char **row = &t->cells[(size_t)(t->nrows - 1) * (size_t)t->ncols];
    int col = 0;
    while (col < t->ncols && row[col])
        col++;
    if (col == t->ncols)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&row[col], fmt, ap) < 0) {
        row[col] = NULL;
        t->oom = 1;
    }
    va_end(ap);
}

void table_free(struct table *t)
{
    for (int i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->flags);
    memset(t, 0, sizeof *t);
}

static const char *cell(const struct table *t, int row, int col)
{
    const char *c = t->cells[(size_t)row * (size_t)t->ncols + (size_t)col];
    return c ? c : "";
}

void table_print_text(const struct table *t, FILE *f, int indent)
{
    if (t->oom) {
        fprintf(f, "%*s(out of memory)\n", indent, "");
        return;
    }
    int width[TABLE_MAX_COLS] = {0};
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            int w = utf8_width(cell(t, r, c));
            if (w > width[c])
                width[c] = w;
        }
    int total = 0;
    for (int c = 0; c < t->ncols; c++)
        total += width[c] + (c ? 2 : 0);
    bool ruled = false;
    for (int r = 0; r < t->nrows; r++) {
        if ((t->flags[r] & ROW_TOTAL) && !ruled) {
            fprintf(f, "%*s", indent, "");
            for (int i = 0; i < total; i++)
                fputc('-', f);
            fputc('\n', f);
            ruled = true;
        }
        /* Trailing blanks are left out: golden files and diffs stay clean. */
        int last = t->ncols - 1;
        while (last > 0 && !*cell(t, r, last))
            last--;
        fprintf(f, "%*s", indent, "");
        for (int c = 0; c <= last; c++) {
            const char *s = cell(t, r, c);
            int pad = width[c] - utf8_width(s);
            if (c)
                fputs("  ", f);
            if (t->align[c] == 'r')
                fprintf(f, "%*s%s", pad, "", s);
            else
                fprintf(f, "%s%*s", s, c == last ? 0 : pad, "");
        }
        fputc('\n', f);
    }
}

void table_print_md(const struct table *t, FILE *f)
{
    if (t->oom) {
        fputs("(out of memory)\n", f);
        return;
    }
    for (int r = 0; r < t->nrows; r++) {
        fputc('|', f);
        for (int c = 0; c < t->ncols; c++) {
            const char *s = cell(t, r, c);
            bool code = t->align[c] == 'c' && r > 0 && *s;
            bool bold = (t->flags[r] & ROW_TOTAL) && *s;
            fputc(' ', f);
            if (bold)
                fputs("**", f);
            if (code)
                fputc('`', f);
            fput_md(f, s, code);
            if (code)
                fputc('`', f);
            if (bold)
                fputs("**", f);
            fputs(" |", f);
        }
        fputc('\n', f);
        if (r == 0) {
            fputc('|', f);
            for (int c = 0; c < t->ncols; c++)
                fputs(t->align[c] == 'r' ? " --: |" : " :-- |", f);
            fputc('\n', f);
        }
    }
}

void table_print_html(const struct table *t, FILE *f, const char *css_class)
{
    if (t->oom) {
        fputs("<p>(out of memory)</p>\n", f);
        return;
    }
    fprintf(f, "<table class=\"%s\">\n", css_class);
    for (int r = 0; r < t->nrows; r++) {
        const char *cls = (t->flags[r] & ROW_TOTAL) ? " class=\"total\"" : (t->flags[r] & ROW_MUTED) ? " class=\"muted\"" : "";
        fprintf(f, r ? "<tr%s>" : "<thead><tr%s>", cls);
        for (int c = 0; c < t->ncols; c++) {
            const char *tag = r ? "td" : "th";
            fprintf(f, "<%s%s>", tag, t->align[c] == 'r' ? " class=\"num\"" : "");
            bool code = t->align[c] == 'c' && r > 0 && *cell(t, r, c);
            if (code)
                fputs("<code>", f);
            fput_xml(f, cell(t, r, c));
            if (code)
                fputs("</code>", f);
            fprintf(f, "</%s>", tag);
        }
        fputs(r ? "</tr>\n" : "</tr></thead>\n", f);
    }
    fputs("</table>\n", f);
}
