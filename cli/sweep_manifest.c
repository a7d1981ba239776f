/*
 * sweep_manifest.c — reads and checks a sweep manifest (see
 * sweep_manifest.h; the format is documented in docs/sweep.md).
 */
#include "sweep_manifest.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "modelgen.h"
#include "run_support.h"
#include "runtime_images.h"

/* inih's line buffer (INI_MAX_LINE, 200 with the terminator and newline):
 * longer lines would be split silently, so they are refused. */
#define MAX_LINE 200

/* [inputs.NAME] may come before the model it names; it is parked here and
 * matched when the file has been read. */
struct pending_inputs {
    char model[SWEEP_NAME_LEN];
    int line;
    struct sweep_input_list list;
};

struct parse_state {
    struct sweep_manifest *m;
    struct pending_inputs *pending;
    int n_pending;
    FILE *f;
    int cur_line;
    bool cur_indented;          /* the line read last starts with blanks: a continuation */
    bool line_too_long;
    char *err;
    size_t errlen;
    int err_line;               /* 0 while there is no error */
    char last_section[80];
    char last_key[80];
    bool seen_sweep;
};

static int fail(struct parse_state *st, int line, const char *fmt, ...)
{
    if (st->err_line)
        return 0;
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line > 0)
        snprintf(st->err, st->errlen, "%s:%d: %s", st->m->path, line, msg);
    else
        snprintf(st->err, st->errlen, "%s: %s", st->m->path, msg);
    st->err_line = line > 0 ? line : -1;
    return 0;
}

static char *read_line(char *buf, int size, void *stream)
{
    struct parse_state *st = stream;
    char *line = fgets(buf, size, st->f);
    if (!line)
        return NULL;
    st->cur_line++;
    size_t len = strlen(line);
    if (len == (size_t)size - 1 && line[len - 1] != '\n' && !feof(st->f)) {
        if (!st->line_too_long)
            fail(st, st->cur_line, "line longer than %d characters", size - 2);
        st->line_too_long = true;
        /* Skip the rest of the line so that inih does not see it as one. */
        int c;
        while ((c = fgetc(st->f)) != EOF && c != '\n')
            ;
        line[0] = '\0';
        return line;
    }
    st->cur_indented = line[0] == ' ' || line[0] == '\t';
    return line;
}

/* Names become parts of tags and file names. */
static bool valid_name(const char *s)
{
    if (!*s || strlen(s) >= SWEEP_NAME_LEN)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_' ||
              *s == '-' || *s == '.'))
            return false;
    return true;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

/* An absolute path for a manifest-relative one, checked to be a readable
 * regular file. */
static char *resolve_file(struct parse_state *st, int line, const char *what, const char *rel)
{
    char joined[PATH_MAX * 2];
    if (rel[0] == '/')
        snprintf(joined, sizeof joined, "%s", rel);
    else
        snprintf(joined, sizeof joined, "%s/%s", st->m->dir, rel);
    char real[PATH_MAX];
    struct stat sb;
    if (!realpath(joined, real) || stat(real, &sb)) {
        fail(st, line, "%s '%s': %s (relative paths are relative to the manifest)", what, rel, strerror(errno));
        return NULL;
    }
    if (!S_ISREG(sb.st_mode)) {
        fail(st, line, "%s '%s' is not a regular file", what, rel);
        return NULL;
    }
    char *p = strdup(real);
    if (!p)
        fail(st, line, "out of memory");
    return p;
}

/* Splits a list ("a, b c") and calls add() for each item. */
static int each_item(struct parse_state *st, const char *value, int (*add)(struct parse_state *, const char *))
{
    char buf[MAX_LINE + 1];
    snprintf(buf, sizeof buf, "%s", value);
    /* Debian's inih (r55) leaves inline comments on continuation lines. */
    for (char *c = strchr(buf, ';'); c; c = strchr(c + 1, ';'))
        if (c > buf && (c[-1] == ' ' || c[-1] == '\t')) {
            *c = '\0';
            break;
        }
    char *save = NULL;
    for (char *tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save))
        if (!add(st, tok))
            return 0;
    return 1;
}

static int add_board(struct parse_state *st, const char *item)
{
    struct sweep_manifest *m = st->m;
    char *arg;
    /* A board file (a path, or ending in .ini) is relative to the manifest;
     * a name is looked up in the board directory as 'profile' does. */
    if (strchr(item, '/') || ends_with(item, ".ini"))
        arg = resolve_file(st, st->cur_line, "board file", item);
    else
        arg = strdup(item);
    if (!arg)
        return fail(st, st->cur_line, "out of memory");
    for (int i = 0; i < m->n_boards; i++)
        if (!strcmp(m->boards[i].arg, arg)) {
            free(arg);
            return fail(st, st->cur_line, "board '%s' is listed twice", item);
        }
    struct sweep_board *grown = realloc(m->boards, (m->n_boards + 1) * sizeof *grown);
    if (!grown) {
        free(arg);
        return fail(st, st->cur_line, "out of memory");
    }
    m->boards = grown;
    m->boards[m->n_boards++] = (struct sweep_board){.arg = arg, .line = st->cur_line};
    return 1;
}

int sweep_kernels_item(const char *item, char runtime[16], char kernels[16], char *err, size_t errlen)
{
    const char *slash = strchr(item, '/');
    const struct runtime_image *ri;
    if (slash) {
        /* RUNTIME/FAMILY */
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(slash - item), item);
        if (!slash[1] || !name[0]) {
            snprintf(err, errlen, "'%s' is not FAMILY, RUNTIME/FAMILY or RUNTIME", item);
            return -1;
        }
        ri = runtime_image_resolve(name, slash + 1, err, errlen);
    } else if (runtime_image_find(RUNTIME_DEFAULT, item)) {
        /* A family of the own runtime: the manifests written before there
         * were runtimes to choose from mean it. */
        ri = runtime_image_find(RUNTIME_DEFAULT, item);
    } else if (runtime_known(item)) {
        ri = runtime_image_resolve(item, NULL, err, errlen);
    } else {
        char families[64], runtimes[64];
        runtime_kernels_text(RUNTIME_DEFAULT, ", ", " or ", families, sizeof families);
        runtime_names_text(", ", " or ", runtimes, sizeof runtimes);
        snprintf(err, errlen,
                 "kernels are %s (mcusim's own), RUNTIME/FAMILY or a runtime (%s), not '%s'", families, runtimes,
                 item);
        return -1;
    }
    if (!ri)
        return -1;
    snprintf(runtime, 16, "%s", ri->runtime);
    snprintf(kernels, 16, "%s", ri->kernels);
    return 0;
}

static int add_kernels(struct parse_state *st, const char *item)
{
    struct sweep_manifest *m = st->m;
    char runtime[16], kernels[16], why[512];
    if (sweep_kernels_item(item, runtime, kernels, why, sizeof why))
        return fail(st, st->cur_line, "%s", why);
    for (int i = 0; i < m->n_kernels; i++)
        if (!strcmp(m->kernels[i], kernels) && !strcmp(m->runtimes[i], runtime))
            return fail(st, st->cur_line, "kernels '%s/%s' listed twice", runtime, kernels);
    if (m->n_kernels == SWEEP_MAX_KERNELS)
        return fail(st, st->cur_line, "more than %d kernel families", SWEEP_MAX_KERNELS);
    snprintf(m->runtimes[m->n_kernels], sizeof m->runtimes[0], "%s", runtime);
    snprintf(m->kernels[m->n_kernels++], sizeof m->kernels[0], "%s", kernels);
    m->kernels_line = st->cur_line;
    return 1;
}

/* What a tag prefix is followed by (the longest form). */
#define TAG_PARTS "/{model}/{board}/{runtime}/{kernels}/{input}"

static int check_template(struct parse_state *st, const char *t)
{
    static const char *const known[] = {"{model}", "{board}", "{runtime}", "{kernels}", "{input}"};
    for (const char *p = strchr(t, '{'); p; p = strchr(p + 1, '{')) {
        bool ok = false;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            ok |= !strncmp(p, known[i], strlen(known[i]));
        if (!ok)
            return fail(st, st->cur_line,
                        "tag: unknown placeholder at '%.16s' (known: {model} {board} {runtime} {kernels} {input})",
                        p);
    }
    return 1;
}

static int on_sweep_key(struct parse_state *st, const char *key, const char *value)
{
    struct sweep_manifest *m = st->m;
    int line = st->cur_line;
    if (!strcmp(key, "boards"))
        return each_item(st, value, add_board);
    if (!strcmp(key, "kernels"))
        return each_item(st, value, add_kernels);
    if (st->cur_indented && !strcmp(key, st->last_key))
        return fail(st, line, "'%s' is not a list: a value cannot continue on the next line", key);
    if (!strcmp(key, "tag")) {
        if (!*value)
            return fail(st, line, "tag is empty");
        if (strchr(value, '{')) {
            if (strlen(value) >= sizeof m->tag)
                return fail(st, line, "tag template longer than %zu characters", sizeof m->tag - 1);
            snprintf(m->tag, sizeof m->tag, "%s", value);
            m->tag_is_prefix = false;
        } else if (strlen(value) + strlen(TAG_PARTS) + 1 >= sizeof m->tag) {
            return fail(st, line, "tag prefix too long");
        } else {
            /* Made a template once the kernels are known (finish()). */
            snprintf(m->tag, sizeof m->tag, "%s", value);
            m->tag_is_prefix = true;
        }
        m->tag_line = line;
        return check_template(st, m->tag);
    }
    if (!strcmp(key, "seed")) {
        if (parse_count(value, &m->seed))
            return fail(st, line, "seed is a non-negative integer, not '%s'", value);
        return 1;
    }
    if (!strcmp(key, "max_instructions")) {
        if (parse_count(value, &m->max_instructions) || !m->max_instructions)
            return fail(st, line, "max_instructions is a positive count, not '%s'", value);
        return 1;
    }
    if (!strcmp(key, "timeout")) {
        if (parse_seconds(value, &m->timeout_s) || m->timeout_s <= 0)
            return fail(st, line, "timeout is a positive number of seconds, not '%s'", value);
        return 1;
    }
    return fail(st, line, "unknown key '%s' in [sweep] (known: tag, boards, kernels, seed, max_instructions, timeout)",
                key);
}

static struct sweep_model *find_model(struct sweep_manifest *m, const char *name)
{
    for (int i = 0; i < m->n_models; i++)
        if (!strcmp(m->models[i].name, name))
            return &m->models[i];
    return NULL;
}

static int on_model(struct parse_state *st, const char *name, const char *value)
{
    struct sweep_manifest *m = st->m;
    int line = st->cur_line;
    if (st->cur_indented && !strcmp(name, st->last_key))
        return fail(st, line, "model '%s': a value cannot continue on the next line", name);
    if (!valid_name(name))
        return fail(st, line, "model name '%s': use letters, digits, '_', '-' and '.' (at most %d)", name,
                    SWEEP_NAME_LEN - 1);
    struct sweep_model *dup = find_model(m, name);
    if (dup)
        return fail(st, line, "model '%s' is named twice (first on line %d)", name, dup->line);
    if (!*value)
        return fail(st, line, "model '%s' names no spec or file", name);
    struct sweep_model model = {.line = line};
    snprintf(model.name, sizeof model.name, "%s", name);
    if (ends_with(value, ".tflite")) {
        if (!(model.path = resolve_file(st, line, "model file", value)))
            return 0;
    } else {
        struct mg_spec spec;
        char why[256];
        if (mg_spec_parse(value, &spec, why, sizeof why))
            return fail(st, line, "model '%s': %s (a model is a modelgen spec, or a file ending in .tflite)", name,
                        why);
        if (!(model.spec = strdup(spec.canonical)))
            return fail(st, line, "out of memory");
    }
    struct sweep_model *grown = realloc(m->models, (m->n_models + 1) * sizeof *grown);
    if (!grown) {
        free(model.spec);
        free(model.path);
        return fail(st, line, "out of memory");
    }
    m->models = grown;
    m->models[m->n_models++] = model;
    return 1;
}

static int on_input(struct parse_state *st, struct sweep_input_list *list, const char *name, const char *value)
{
    int line = st->cur_line;
    if (st->cur_indented && !strcmp(name, st->last_key))
        return fail(st, line, "input '%s': a value cannot continue on the next line", name);
    if (!valid_name(name))
        return fail(st, line, "input name '%s': use letters, digits, '_', '-' and '.' (at most %d)", name,
                    SWEEP_NAME_LEN - 1);
    for (int i = 0; i < list->n; i++)
        if (!strcmp(list->items[i].name, name))
            return fail(st, line, "input '%s' is named twice in this section (first on line %d)", name,
                        list->items[i].line);
    struct sweep_input in = {.line = line};
    snprintf(in.name, sizeof in.name, "%s", name);
    /* "random" (or nothing) is the runtime's own deterministic input. */
    if (*value && strcmp(value, "random") && !(in.path = resolve_file(st, line, "input file", value)))
        return 0;
    struct sweep_input *grown = realloc(list->items, (list->n + 1) * sizeof *grown);
    if (!grown) {
        free(in.path);
        return fail(st, line, "out of memory");
    }
    list->items = grown;
    list->items[list->n++] = in;
    return 1;
}

static int on_key(void *user, const char *section, const char *key, const char *value)
{
    struct parse_state *st = user;
    if (st->err_line)
        return 0;
    int rc;
    if (!strcmp(section, "sweep")) {
        st->seen_sweep = true;
        rc = on_sweep_key(st, key, value);
    } else if (!strcmp(section, "models")) {
        rc = on_model(st, key, value);
    } else if (!strcmp(section, "inputs")) {
        rc = on_input(st, &st->m->inputs, key, value);
    } else if (!strncmp(section, "inputs.", 7)) {
        const char *model = section + 7;
        struct pending_inputs *p = NULL;
        for (int i = 0; i < st->n_pending; i++)
            if (!strcmp(st->pending[i].model, model))
                p = &st->pending[i];
        if (!p) {
            if (!valid_name(model))
                return fail(st, st->cur_line, "[%s]: '%s' is not a model name", section, model);
            struct pending_inputs *grown = realloc(st->pending, (st->n_pending + 1) * sizeof *grown);
            if (!grown)
                return fail(st, st->cur_line, "out of memory");
            st->pending = grown;
            p = &st->pending[st->n_pending++];
            memset(p, 0, sizeof *p);
            snprintf(p->model, sizeof p->model, "%s", model);
            p->line = st->cur_line;
        }
        rc = on_input(st, &p->list, key, value);
    } else if (!*section) {
        rc = fail(st, st->cur_line, "'%s' outside any section (sections: [sweep], [models], [inputs], "
                                    "[inputs.MODEL])", key);
    } else {
        rc = fail(st, st->cur_line, "unknown section [%s] (known: [sweep], [models], [inputs], [inputs.MODEL])",
                  section);
    }
    snprintf(st->last_section, sizeof st->last_section, "%s", section);
    snprintf(st->last_key, sizeof st->last_key, "%s", key);
    return rc;
}

static void free_inputs(struct sweep_input_list *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->items[i].path);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

void sweep_manifest_free(struct sweep_manifest *m)
{
    for (int i = 0; i < m->n_boards; i++)
        free(m->boards[i].arg);
    free(m->boards);
    for (int i = 0; i < m->n_models; i++) {
        free(m->models[i].spec);
        free(m->models[i].path);
        free_inputs(&m->models[i].inputs);
    }
    free(m->models);
    free_inputs(&m->inputs);
    free(m->path);
    free(m->dir);
    memset(m, 0, sizeof *m);
}

static int finish(struct parse_state *st)
{
    struct sweep_manifest *m = st->m;
    if (!st->seen_sweep)
        return fail(st, 0, "no [sweep] section (it names the boards and kernels)");
    if (!m->n_boards)
        return fail(st, 0, "[sweep] names no boards (boards = nano33ble, ...)");
    if (!m->n_kernels) {
        snprintf(m->runtimes[m->n_kernels], sizeof m->runtimes[0], "%s", RUNTIME_DEFAULT);
        snprintf(m->kernels[m->n_kernels++], sizeof m->kernels[0], "%s", RUNTIME_DEFAULT_KERNELS);
    }
    if (!m->n_models)
        return fail(st, 0, "no models ([models] NAME = SPEC or FILE.tflite)");
    if (!m->inputs.n) {
        m->inputs.items = calloc(1, sizeof *m->inputs.items);
        if (!m->inputs.items)
            return fail(st, 0, "out of memory");
        snprintf(m->inputs.items[0].name, sizeof m->inputs.items[0].name, "random");
        m->inputs.n = 1;
    }
    for (int i = 0; i < st->n_pending; i++) {
        struct sweep_model *model = find_model(m, st->pending[i].model);
        if (!model)
            return fail(st, st->pending[i].line, "[inputs.%s]: no model '%s' in [models]", st->pending[i].model,
                        st->pending[i].model);
        if (model->own_inputs)
            return fail(st, st->pending[i].line, "[inputs.%s] appears twice", st->pending[i].model);
        model->own_inputs = true;
        model->inputs = st->pending[i].list;
        st->pending[i].list = (struct sweep_input_list){0};
    }
    /* A prefix (given, or the manifest's name without its extension)
     * becomes PREFIX/{model}/{board}/{kernels}/{input}, with {runtime}/
     * before {kernels} when a runtime other than mcusim's own runs (the
     * tags of a manifest of the own runtime alone stay as they were). */
    if (!m->tag[0]) {
        const char *base = strrchr(m->path, '/');
        base = base ? base + 1 : m->path;
        size_t n = strcspn(base, ".");
        if (!n)
            n = strlen(base);
        snprintf(m->tag, sizeof m->tag, "%.*s", (int)(n > 60 ? 60 : n), base);
        m->tag_is_prefix = true;
    }
    if (m->tag_is_prefix) {
        bool other_runtime = false;
        for (int k = 0; k < m->n_kernels; k++)
            other_runtime = other_runtime || strcmp(m->runtimes[k], RUNTIME_DEFAULT);
        char prefix[SWEEP_TAG_LEN];
        snprintf(prefix, sizeof prefix, "%s", m->tag);
        m->tag_is_prefix = false;
        if ((size_t)snprintf(m->tag, sizeof m->tag, "%s/{model}/{board}/%s{kernels}/{input}", prefix,
                             other_runtime ? "{runtime}/" : "") >= sizeof m->tag)
            return fail(st, m->tag_line, "tag prefix too long");
    }
    /* Two runtimes' families of one name would give their runs one tag. */
    if (!strstr(m->tag, "{runtime}"))
        for (int i = 0; i < m->n_kernels; i++)
            for (int k = i + 1; k < m->n_kernels; k++)
                if (!strcmp(m->kernels[i], m->kernels[k]))
                    return fail(st, m->tag_line ? m->tag_line : m->kernels_line,
                                "tag: the runs of %s/%s and %s/%s would share tags (add {runtime} to the template)",
                                m->runtimes[i], m->kernels[i], m->runtimes[k], m->kernels[k]);
    return 1;
}

int sweep_manifest_load(const char *path, struct sweep_manifest *m, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    m->seed = MG_DEFAULT_SEED;
    m->path = strdup(path);
    char real[PATH_MAX];
    if (!m->path || !realpath(path, real)) {
        snprintf(err, errlen, "%s: cannot read the manifest: %s", path, strerror(errno));
        sweep_manifest_free(m);
        return -1;
    }
    char *slash = strrchr(real, '/');
    m->dir = slash == real ? strdup("/") : strndup(real, (size_t)(slash - real));
    FILE *f = fopen(path, "r");
    if (!f || !m->dir) {
        snprintf(err, errlen, "%s: cannot read the manifest: %s", path, strerror(errno));
        if (f)
            fclose(f);
        sweep_manifest_free(m);
        return -1;
    }
    struct parse_state st = {.m = m, .f = f, .err = err, .errlen = errlen};
    err[0] = '\0';
    int rc = ini_parse_stream(read_line, &st, on_key, &st);
    fclose(f);
    if (rc > 0 && (st.err_line <= 0 || rc < st.err_line)) {
        /* inih's own syntax error came first. */
        st.err_line = 0;
        fail(&st, rc, "not '[section]' or 'key = value'");
    }
    else if (rc < 0 && !st.err_line)
        fail(&st, 0, "cannot read the manifest");
    if (!st.err_line)
        finish(&st);
    for (int i = 0; i < st.n_pending; i++)
        free_inputs(&st.pending[i].list);
    free(st.pending);
    if (st.err_line) {
        sweep_manifest_free(m);
        return -1;
    }
    return 0;
}

const struct sweep_input_list *sweep_model_inputs(const struct sweep_manifest *m, const struct sweep_model *model)
{
    return model->own_inputs ? &model->inputs : &m->inputs;
}

int sweep_tag(const struct sweep_manifest *m, const char *model, const char *board, const char *runtime,
              const char *kernels, const char *input, char *out, size_t len)
{
    size_t n = 0;
    for (const char *p = m->tag; *p;) {
        const char *v = NULL;
        size_t skip = 1;
        if (!strncmp(p, "{model}", 7))
            v = model, skip = 7;
        else if (!strncmp(p, "{board}", 7))
            v = board, skip = 7;
        else if (!strncmp(p, "{runtime}", 9))
            v = runtime, skip = 9;
        else if (!strncmp(p, "{kernels}", 9))
            v = kernels, skip = 9;
        else if (!strncmp(p, "{input}", 7))
            v = input, skip = 7;
        size_t add = v ? strlen(v) : 1;
        if (n + add >= len || n + add >= SWEEP_TAG_LEN)
            return -1;
        memcpy(out + n, v ? v : p, add);
        n += add;
        p += skip;
    }
    out[n] = '\0';
    return 0;
}
