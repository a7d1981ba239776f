/*
 * budget.c — reading budget files (see budget.h) with inih.
 *
 * inih reports keys but neither line numbers (unless built so) nor empty
 * sections, so the line reader handed to ini_parse_stream() counts lines
 * and notes each [section] as it passes: every message can then name its
 * line, and a section with no key at all is still seen.
 */
#include "budget.h"

#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime_images.h"

const char *const budget_keys[BM_COUNT] = {
    "max_ram_kb",         "max_flash_kb",           "max_latency_ms",           "max_energy_uj",
    "max_regression_pct", "max_ram_regression_pct", "max_flash_regression_pct", "max_energy_regression_pct",
};

#define KNOWN_KEYS                                                                                    \
    "tag, model, board, runtime, kernels, max_ram_kb, max_flash_kb, max_latency_ms, max_energy_uj,"             \
    " max_regression_pct, max_ram_regression_pct, max_flash_regression_pct, max_energy_regression_pct"

struct parse {
    const char *path;
    FILE *f;
    int line;                  /* lines read so far: the one being parsed */
    int err_line;              /* first error, 0 when none */
    char *err;
    size_t errlen;
    struct budget *b;
    struct budget_workload defaults;
    bool in_defaults;
    bool seen_defaults;
    int defaults_line;
    int cur;                   /* index of the current workload, -1 before any */
    unsigned set_keys;         /* keys given in the current section (bit per key) */
};

__attribute__((format(printf, 3, 4))) static int fail(struct parse *p, int line, const char *fmt, ...)
{
    if (p->err_line && p->err_line <= line)
        return 0;
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(p->err, p->errlen, "%s:%d: %s", p->path, line, msg);
    p->err_line = line;
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
        e--;
    *e = '\0';
    return s;
}

static void new_section(struct parse *p, const char *name)
{
    p->set_keys = 0;
    if (!strcmp(name, "defaults")) {
        if (p->seen_defaults)
            fail(p, p->line, "[defaults] given twice (first on line %d)", p->defaults_line);
        p->in_defaults = true;
        p->seen_defaults = true;
        p->defaults_line = p->line;
        return;
    }
    p->in_defaults = false;
    if (!*name) {
        fail(p, p->line, "empty section name: '[]'");
        p->cur = -1;
        return;
    }
    for (int i = 0; i < p->b->n; i++)
        if (!strcmp(p->b->w[i].name, name)) {
            fail(p, p->line, "workload [%s] given twice (first on line %d)", name, p->b->w[i].line);
            p->cur = i;
            return;
        }
    if (strlen(name) >= sizeof p->b->w[0].name) {
        fail(p, p->line, "workload name longer than %zu characters", sizeof p->b->w[0].name - 1);
        p->cur = -1;
        return;
    }
    struct budget_workload *grown = realloc(p->b->w, (size_t)(p->b->n + 1) * sizeof *grown);
    if (!grown) {
        fail(p, p->line, "out of memory");
        p->cur = -1;
        return;
    }
    p->b->w = grown;
    struct budget_workload *w = &grown[p->b->n];
    memset(w, 0, sizeof *w);
    snprintf(w->name, sizeof w->name, "%s", name);
    w->line = p->line;
    p->cur = p->b->n++;
}

/* fgets for inih that counts lines and notes section headers. */
static char *read_line(char *str, int num, void *stream)
{
    struct parse *p = stream;
    if (!fgets(str, num, p->f))
        return NULL;
    size_t len = strlen(str);
    bool whole = len && str[len - 1] == '\n';
    if (!whole && !feof(p->f)) {
        p->line++;
        fail(p, p->line, "line longer than %d characters", num - 2);
        /* Skip the rest of the line so that counting stays right. */
        int c;
        while ((c = fgetc(p->f)) != EOF && c != '\n')
            ;
        str[0] = '\0';
        return str;
    }
    p->line++;
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", str);
    char *t = trim(copy);
    if (*t == '[') {
        char *end = strchr(t, ']');
        if (end) {
            *end = '\0';
            new_section(p, trim(t + 1));
        }
    }
    return str;
}

static int parse_number(struct parse *p, const char *key, const char *value, bool allow_zero, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(value, &end);
    while (*end == ' ' || *end == '\t')
        end++;
    if (!*value || errno || *end || !isfinite(v) || v < 0 || (!allow_zero && v == 0))
        return fail(p, p->line, "%s needs a %s number, not '%s'", key, allow_zero ? "non-negative" : "positive",
                    value);
    *out = v;
    return 1;
}

static int set_text(struct parse *p, char *field, size_t len, const char *key, const char *value)
{
    if (!*value)
        return fail(p, p->line, "%s is empty", key);
    if (strlen(value) >= len)
        return fail(p, p->line, "%s is longer than %zu characters", key, len - 1);
    snprintf(field, len, "%s", value);
    return 1;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
    struct parse *p = user;
    (void)section; /* the reader tracks sections itself (see above) */
    if (!p->in_defaults && p->cur < 0) {
        /* Before any section; or in one whose header was refused, whose
         * error is already reported. */
        if (p->b->n || p->seen_defaults || p->err_line)
            return 1;
        return fail(p, p->line, "'%s' outside a [workload] section", name);
    }
    struct budget_workload *w = p->in_defaults ? &p->defaults : &p->b->w[p->cur];
    static const char *const selectors[] = {"tag", "model", "board", "kernels", "runtime"};
    int bit = -1;
    for (int i = 0; i < 5; i++)
        if (!strcmp(name, selectors[i]))
            bit = BM_COUNT + i;
    for (int m = 0; m < BM_COUNT; m++)
        if (!strcmp(name, budget_keys[m]))
            bit = m;
    if (bit < 0)
        return fail(p, p->line, "unknown key '%s' in [%s] (known: " KNOWN_KEYS ")", name,
                    p->in_defaults ? "defaults" : w->name);
    if (p->set_keys & (1u << bit))
        return fail(p, p->line, "'%s' given twice in [%s]", name, p->in_defaults ? "defaults" : w->name);
    p->set_keys |= 1u << bit;
    if (bit < BM_COUNT) {
        bool pct = bit >= BM_LATENCY_REGRESSION;
        w->limit[bit].set = true;
        return parse_number(p, name, value, pct, &w->limit[bit].value);
    }
    if (p->in_defaults && (!strcmp(name, "tag") || !strcmp(name, "model")))
        return fail(p, p->line, "'%s' in [defaults] would select the same run for every workload", name);
    if (!strcmp(name, "tag"))
        return set_text(p, w->tag, sizeof w->tag, name, value);
    if (!strcmp(name, "model"))
        return set_text(p, w->model, sizeof w->model, name, value);
    if (!strcmp(name, "board"))
        return set_text(p, w->board, sizeof w->board, name, value);
    /* Names this mcusim knows (runtime_images.h), checked here so that a
     * typo is an error, not a workload that never matches a run. */
    if (!strcmp(name, "runtime")) {
        char err[512];
        if (!runtime_image_resolve(value, NULL, err, sizeof err))
            return fail(p, p->line, "%s", err);
        w->runtime_line = p->line;
        return set_text(p, w->runtime, sizeof w->runtime, name, value);
    }
    if (!runtime_has_kernels(value)) {
        char known[128];
        runtime_kernels_text(NULL, ", ", " or ", known, sizeof known);
        return fail(p, p->line, "kernels is %s, not '%s'", known, value);
    }
    w->kernels_line = p->line;
    return set_text(p, w->kernels, sizeof w->kernels, name, value);
}

static void apply_defaults(const struct budget_workload *d, struct budget_workload *w)
{
    if (!w->board[0])
        snprintf(w->board, sizeof w->board, "%s", d->board);
    if (!w->kernels[0]) {
        snprintf(w->kernels, sizeof w->kernels, "%s", d->kernels);
        w->kernels_line = d->kernels_line;
    }
    if (!w->runtime[0]) {
        snprintf(w->runtime, sizeof w->runtime, "%s", d->runtime);
        w->runtime_line = d->runtime_line;
    }
    for (int m = 0; m < BM_COUNT; m++)
        if (!w->limit[m].set)
            w->limit[m] = d->limit[m];
    if (!w->tag[0] && !w->model[0])
        snprintf(w->tag, sizeof w->tag, "%s", w->name);
}

int budget_load(const char *path, struct budget *b, char *err, size_t errlen)
{
    memset(b, 0, sizeof *b);
    snprintf(b->path, sizeof b->path, "%s", path);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open the budget file: %s", path, strerror(errno));
        return -1;
    }
    struct parse p = {.path = path, .f = f, .err = err, .errlen = errlen, .b = b, .cur = -1};
    int rc = ini_parse_stream(read_line, &p, on_key, &p);
    bool read_error = ferror(f);
    fclose(f);
    if (rc > 0 && (!p.err_line || rc < p.err_line))
        fail(&p, rc, "not a 'key = value' line or a [section]");
    if (!p.err_line && (rc < 0 || read_error))
        snprintf(err, errlen, "%s: cannot read the budget file", path);
    else if (!p.err_line && !b->n)
        snprintf(err, errlen, "%s: names no workload (add a [section] per workload with its limits)", path);
    else if (!p.err_line) {
        for (int i = 0; i < b->n && !p.err_line; i++) {
            struct budget_workload *w = &b->w[i];
            apply_defaults(&p.defaults, w);
            char err_kernels[512];
            if (w->runtime[0] && w->kernels[0] &&
                !runtime_image_resolve(w->runtime, w->kernels, err_kernels, sizeof err_kernels)) {
                fail(&p, w->kernels_line > w->runtime_line ? w->kernels_line : w->runtime_line, "[%s]: %s", w->name,
                     err_kernels);
                break;
            }
            bool any = false;
            for (int m = 0; m < BM_COUNT; m++)
                any = any || w->limit[m].set;
            if (!any)
                fail(&p, w->line, "[%s] sets no limit (max_ram_kb, max_flash_kb, max_latency_ms, max_energy_uj or "
                                  "a max_*regression_pct)",
                     w->name);
        }
        if (!p.err_line)
            return 0;
    }
    budget_free(b);
    return -1;
}

void budget_free(struct budget *b)
{
    free(b->w);
    b->w = NULL;
    b->n = 0;
}
