/*
 * spec_set.c — specs with ranges and lists of values (see spec_set.h).
 */
#include "spec_set.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* One key of the set: its name and the values it takes, as the spec
 * grammar spells them. */
struct key_values {
    char name[32];
    int n, max;         /* values, and room for them: the most variants there may be */
    const char *whole;  /* the whole spec, for messages */
    char (*values)[32];
};

static int add_value(struct key_values *kv, const char *text, char *err, size_t errlen)
{
    if (kv->n == kv->max)
        return fail(err, errlen, "%s names more than %d variants", kv->whole, kv->max);
    if (!kv->values && !(kv->values = calloc((size_t)kv->max, sizeof *kv->values)))
        return fail(err, errlen, "out of memory");
    snprintf(kv->values[kv->n++], sizeof kv->values[0], "%s", text);
    return 0;
}

static int32_t default_step(const struct mg_key *k)
{
    switch (k->kind) {
    case MG_KEY_FRACTION: return MG_FRACTION_ONE / 4;
    case MG_KEY_SIZE: return 32;
    default: return 1;
    }
}

/* lo..hi[..step] of key k into kv. */
static int expand_range(const char *arch, const struct mg_key *k, char *text, struct key_values *kv, char *err,
                        size_t errlen)
{
    char *hi_text = strstr(text, "..");
    *hi_text = '\0';
    hi_text += 2;
    char *step_text = strstr(hi_text, "..");
    if (step_text) {
        *step_text = '\0';
        step_text += 2;
    }
    int32_t lo, hi, step, w;
    if (k->kind == MG_KEY_SIZE && (strchr(text, 'x') || strchr(hi_text, 'x') || (step_text && strchr(step_text, 'x'))))
        return fail(err, errlen, "%s: %s: a range of sizes is of square sizes (N..M); list others with '/'", arch,
                    k->name);
    if (mg_key_parse(k, text, &lo, &w) || mg_key_parse(k, hi_text, &hi, &w) ||
        (step_text && mg_key_parse(k, step_text, &step, &w)))
        return fail(err, errlen, "%s: %s='%s..%s%s%s' is not a range of %s values (lo..hi or lo..hi..step)", arch,
                    k->name, text, hi_text, step_text ? ".." : "", step_text ? step_text : "",
                    k->kind == MG_KEY_FRACTION ? "fraction" : k->kind == MG_KEY_SIZE ? "size" : "integer");
    if (!step_text)
        step = default_step(k);
    if (step <= 0)
        return fail(err, errlen, "%s: %s: the step of a range must be more than 0", arch, k->name);
    if (hi < lo)
        return fail(err, errlen, "%s: %s: the range runs backwards (%s..%s)", arch, k->name, text, hi_text);
    for (int64_t v = lo;; v += step) {
        if (v > hi)
            v = hi;  /* the upper end is always one of the values */
        char buf[32];
        mg_format_value(k, (int32_t)v, (int32_t)v, buf, sizeof buf);
        if (add_value(kv, buf, err, errlen))
            return -1;
        if (v == hi)
            break;
    }
    return 0;
}

int mg_spec_is_set(const char *text)
{
    return strstr(text, "..") || strchr(text, '/');
}

static void free_keys(struct key_values *keys, int n)
{
    for (int i = 0; i < n; i++)
        free(keys[i].values);
}

int mg_spec_set_expand(const char *text, int max, struct mg_spec_set *set, char *err, size_t errlen)
{
    memset(set, 0, sizeof *set);
    if (max < 1)
        max = 1;
    char buf[4 * MG_SPEC_LEN];
    if (!text || strlen(text) >= sizeof buf)
        return fail(err, errlen, "model spec longer than %zu characters", sizeof buf - 1);
    strcpy(buf, text);
    char *colon = strchr(buf, ':');
    if (colon)
        *colon = '\0';
    const struct mg_arch *a = mg_find_arch(buf);
    if (!a) {
        /* The spec parser names the known architectures. */
        struct mg_spec s;
        return mg_spec_parse(buf, &s, err, errlen);
    }
    struct key_values keys[MG_MAX_KEYS + 1];
    int n_keys = 0, rc = 0;
    memset(keys, 0, sizeof keys);
    if (colon && !colon[1])
        rc = fail(err, errlen, "%s: nothing after ':' (expected key=value,...)", a->name);
    for (char *p = colon ? colon + 1 : NULL; p && !rc;) {
        char *next = strchr(p, ',');
        if (next)
            *next++ = '\0';
        if (!*p) {
            rc = fail(err, errlen, "%s: empty key=value pair (a stray ',')", a->name);
            break;
        }
        char *eq = strchr(p, '=');
        if (!eq || n_keys == MG_MAX_KEYS + 1) {
            /* Not key=value, or more keys than any spec has: the spec
             * parser says what is wrong. */
            struct mg_spec s;
            rc = mg_spec_parse(text, &s, err, errlen) ? -1 : fail(err, errlen, "%s: malformed spec", a->name);
            break;
        }
        *eq = '\0';
        struct key_values *kv = &keys[n_keys++];
        snprintf(kv->name, sizeof kv->name, "%s", p);
        kv->max = max;
        kv->whole = text;
        const struct mg_key *k = NULL;
        for (int i = 0; i < a->num_keys; i++)
            if (!strcmp(a->keys[i].name, p))
                k = &a->keys[i];
        char *value = eq + 1;
        if (strstr(value, "..")) {
            if (k) {
                rc = expand_range(a->name, k, value, kv, err, errlen);
            } else if (!strcmp(p, "dtype")) {
                rc = fail(err, errlen, "%s: dtype takes a list (int8/float32), not a range", a->name);
            } else {
                /* The spec parser names the keys there are. */
                char probe[MG_SPEC_LEN];
                struct mg_spec s;
                snprintf(probe, sizeof probe, "%s:%.100s=1", a->name, p);
                rc = mg_spec_parse(probe, &s, err, errlen);
            }
        } else {
            for (char *v = value; v && !rc;) {
                char *slash = strchr(v, '/');
                if (slash)
                    *slash++ = '\0';
                if (!*v)
                    rc = fail(err, errlen, "%s: %s: an empty value in a list ('/')", a->name, p);
                else
                    rc = add_value(kv, v, err, errlen);
                v = slash;
            }
        }
        p = next;
    }
    int64_t total = 1;
    for (int i = 0; i < n_keys && !rc; i++) {
        total *= keys[i].n;
        if (total > max)
            rc = fail(err, errlen, "%s names more than %d variants", text, max);
    }
    if (!rc && !(set->variants = calloc((size_t)total, sizeof *set->variants)))
        rc = fail(err, errlen, "out of memory");
    for (int64_t index = 0; index < total && !rc; index++) {
        /* The index in mixed radix, the last key varying fastest. */
        char spec[4 * MG_SPEC_LEN], label[MG_SPEC_LEN];
        size_t used = (size_t)snprintf(spec, sizeof spec, "%s", a->name), lused = 0;
        label[0] = '\0';
        int64_t rest = index, stride = total;
        for (int i = 0; i < n_keys; i++) {
            stride /= keys[i].n;
            const char *v = keys[i].values[rest / stride];
            rest %= stride;
            used += (size_t)snprintf(spec + used, sizeof spec - used, "%s%s=%s", i ? "," : ":", keys[i].name, v);
            if (keys[i].n > 1 && lused < sizeof label)
                lused += (size_t)snprintf(label + lused, sizeof label - lused, "%s%s=%s", lused ? "," : "",
                                          keys[i].name, v);
        }
        struct mg_spec s;
        if (mg_spec_parse(spec, &s, err, errlen)) {
            rc = -1;
            break;
        }
        struct mg_variant *var = &set->variants[set->n++];
        snprintf(var->spec, sizeof var->spec, "%s", s.canonical);
        snprintf(var->label, sizeof var->label, "%s", label[0] ? label : a->name);
    }
    free_keys(keys, n_keys);
    if (rc)
        mg_spec_set_free(set);
    return rc;
}

void mg_spec_set_free(struct mg_spec_set *set)
{
    free(set->variants);
    set->variants = NULL;
    set->n = 0;
}
