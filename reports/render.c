/*
 * render.c — picks the renderer for a format (see render.h).
 */
#include <errno.h>
#include <string.h>

#include "render_impl.h"

static const struct {
    const char *name;
    enum rep_format f;
} formats[] = {
    {"text", FMT_TEXT}, {"md", FMT_MD}, {"markdown", FMT_MD}, {"csv", FMT_CSV}, {"json", FMT_JSON}, {"html", FMT_HTML},
};

int rep_format_parse(const char *name, enum rep_format *f)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (!strcmp(name, formats[i].name)) {
            *f = formats[i].f;
            return 0;
        }
    return -1;
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
    int rc = 0;
    switch (f) {
    case FMT_TEXT: text_report(r, o, out); break;
    case FMT_MD: md_report(r, o, out); break;
    case FMT_CSV: csv_report(r, out); break;
    case FMT_JSON: rc = json_report(r, o, out); break;
    case FMT_HTML: html_report(r, o, out); break;
    }
    return finish(out, rc);
}

int rep_render_compare(const struct rep_compare *c, enum rep_format f, FILE *out)
{
    int rc = 0;
    switch (f) {
    case FMT_TEXT: text_compare(c, out); break;
    case FMT_MD: md_compare(c, out); break;
    case FMT_CSV: csv_compare(c, out); break;
    case FMT_JSON: rc = json_compare(c, out); break;
    case FMT_HTML: html_compare(c, out); break;
    }
    return finish(out, rc);
}

int rep_render_runs(const struct rep_run *runs, int n, enum rep_format f, FILE *out)
{
    int rc = 0;
    switch (f) {
    case FMT_TEXT: text_runs(runs, n, out); break;
    case FMT_MD: md_runs(runs, n, out); break;
    case FMT_CSV: csv_runs(runs, n, out); break;
    case FMT_JSON: rc = json_runs(runs, n, out); break;
    case FMT_HTML: html_runs(runs, n, out); break;
    }
    return finish(out, rc);
}
