/*
 * render.c — the table of report formats (see render.h): a new format is
 * one row here and one render_<format>.c with its three renderers.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "render_impl.h"

typedef int (*report_fn)(const struct rep_run *r, const struct rep_options *o, FILE *out);
typedef int (*compare_fn)(const struct rep_compare *c, FILE *out);
typedef int (*runs_fn)(const struct rep_run *runs, int n, FILE *out);

static const struct format_row {
    enum rep_format id;
    const char *names[2];       /* what --format takes; the first is the one usage shows */
    const char *extensions[3];  /* of an output file, for this format */
    report_fn report;
    compare_fn compare;
    runs_fn runs;
} formats[] = {
    /* The first row is the default. */
    {FMT_TEXT, {"text"}, {".txt", ".text"}, text_report, text_compare, text_runs},
    {FMT_MD, {"md", "markdown"}, {".md", ".markdown"}, md_report, md_compare, md_runs},
    {FMT_HTML, {"html"}, {".html", ".htm"}, html_report, html_compare, html_runs},
    {FMT_CSV, {"csv"}, {".csv"}, csv_report, csv_compare, csv_runs},
    {FMT_JSON, {"json"}, {".json"}, json_report, json_compare, json_runs},
};

#define N_FORMATS (sizeof formats / sizeof formats[0])
#define MAX_NAMES (sizeof formats[0].names / sizeof formats[0].names[0])
#define MAX_EXTENSIONS (sizeof formats[0].extensions / sizeof formats[0].extensions[0])

static const struct format_row *row_of(enum rep_format f)
{
    for (size_t i = 0; i < N_FORMATS; i++)
        if (formats[i].id == f)
            return &formats[i];
    return &formats[0];
}

int rep_format_parse(const char *name, enum rep_format *f)
{
    for (size_t i = 0; i < N_FORMATS; i++)
        for (size_t k = 0; k < MAX_NAMES && formats[i].names[k]; k++)
            if (!strcmp(name, formats[i].names[k])) {
                *f = formats[i].id;
                return 0;
            }
    return -1;
}

int rep_format_from_path(const char *path, enum rep_format *f)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    const char *dot = path ? strrchr(slash ? slash : path, '.') : NULL;
    if (!dot)
        return -1;
    for (size_t i = 0; i < N_FORMATS; i++)
        for (size_t k = 0; k < MAX_EXTENSIONS && formats[i].extensions[k]; k++)
            if (!strcasecmp(dot, formats[i].extensions[k])) {
                *f = formats[i].id;
                return 0;
            }
    return -1;
}

int rep_format_choose(const char *name, const char *out_path, enum rep_format *f)
{
    if (name)
        return rep_format_parse(name, f);
    if (rep_format_from_path(out_path, f))
        *f = formats[0].id;
    return 0;
}

void rep_format_names(char *out, size_t len)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < N_FORMATS && used < len; i++)
        used += (size_t)snprintf(out + used, len - used, "%s%s", i == 0 ? "" : i + 1 == N_FORMATS ? " or " : ", ",
                                 formats[i].names[0]);
}

/* Words after the option column, wrapped at 80 columns. */
static void print_wrapped(FILE *out, const char *option, const char *text)
{
    enum { COLUMN = 24, WIDTH = 79 };
    int col = fprintf(out, "  %-*s", COLUMN - 2, option);
    if (col > COLUMN) {
        fputc('\n', out);
        col = fprintf(out, "%*s", COLUMN, "");
    }
    const char *p = text;
    bool first = true;
    while (*p) {
        size_t n = strcspn(p, " ");
        if (!first && col + 1 + (int)n > WIDTH) {
            col = fprintf(out, "\n%*s", COLUMN, "") - 1;
            first = true;
        }
        col += fprintf(out, "%s%.*s", first ? "" : " ", (int)n, p);
        first = false;
        p += n;
        while (*p == ' ')
            p++;
    }
    fputc('\n', out);
}

void rep_format_usage(FILE *out)
{
    char names[128], text[512];
    size_t used = 0;
    for (size_t i = 0; i < N_FORMATS; i++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s%s",
                                 i == 0 ? "" : i + 1 == N_FORMATS ? " or " : ", ", formats[i].names[0],
                                 i == 0 ? " (default)" : "");
    print_wrapped(out, "-f, --format FMT", names);
    used = (size_t)snprintf(text, sizeof text,
                            "write to FILE instead of standard output; without -f, FILE's extension picks the "
                            "format:");
    for (size_t i = 0; i < N_FORMATS; i++)
        for (size_t k = 0; k < MAX_EXTENSIONS && formats[i].extensions[k]; k++)
            used += (size_t)snprintf(text + used, sizeof text - used, "%s %s", i || k ? "," : "",
                                     formats[i].extensions[k]);
    snprintf(text + used, sizeof text - used, " (others: %s)", formats[0].names[0]);
    print_wrapped(out, "-o, --output FILE", text);
}

void rep_options_init(struct rep_options *o)
{
    o->top_functions = 10;
}

static int finish(FILE *out, int rc)
{
    if (fflush(out) || ferror(out)) {
        if (!errno)
            errno = EIO;
        return -1;
    }
    return rc;
}

int rep_render_report(const struct rep_run *r, enum rep_format f, const struct rep_options *o, FILE *out)
{
    struct rep_options defaults;
    if (!o) {
        rep_options_init(&defaults);
        o = &defaults;
    }
    return finish(out, row_of(f)->report(r, o, out));
}

int rep_render_compare(const struct rep_compare *c, enum rep_format f, FILE *out)
{
    return finish(out, row_of(f)->compare(c, out));
}

int rep_render_runs(const struct rep_run *runs, int n, enum rep_format f, FILE *out)
{
    return finish(out, row_of(f)->runs(runs, n, out));
}
