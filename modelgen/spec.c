/*
 * spec.c — parsing and checking architecture specs (see spec.h for the
 * grammar).  Numbers are parsed by hand, not with strtod, so that the
 * result never depends on the C locale or the C library.
 */
#include "spec.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "archs.h"

static const struct mg_arch *const all_archs[] = {
    &mg_arch_cnn, &mg_arch_dscnn, &mg_arch_autoencoder, &mg_arch_mobilenet, &mg_arch_resnet,
    &mg_arch_mlp,
};

const struct mg_arch *const *mg_archs(int *count)
{
    *count = (int)(sizeof all_archs / sizeof all_archs[0]);
    return all_archs;
}

const struct mg_arch *mg_find_arch(const char *name)
{
    for (size_t i = 0; i < sizeof all_archs / sizeof all_archs[0]; i++)
        if (!strcmp(all_archs[i]->name, name))
            return all_archs[i];
    return NULL;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (err && errlen)
        vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* Digits only, value at most 10^9; returns chars consumed, 0 if none. */
static int parse_digits(const char *p, int64_t *v)
{
    int n = 0;
    *v = 0;
    while (p[n] >= '0' && p[n] <= '9') {
        if (*v > 1000000000)
            return 0;
        *v = *v * 10 + (p[n] - '0');
        n++;
    }
    return n;
}

/* Parses the whole of `text` as a value of kind k. */
int mg_key_parse(const struct mg_key *k, const char *text, int32_t *v, int32_t *v2)
{
    int64_t a, b;
    int n = parse_digits(text, &a);
    if (n == 0 && !(k->kind == MG_KEY_FRACTION && text[0] == '.'))
        return -1;
    const char *p = text + n;
    switch (k->kind) {
    case MG_KEY_INT:
        *v = (int32_t)a;
        return *p ? -1 : 0;
    case MG_KEY_SIZE:
        *v = *v2 = (int32_t)a;
        if (*p == 'x') {
            int m = parse_digits(p + 1, &b);
            if (m == 0)
                return -1;
            *v2 = (int32_t)b;
            p += 1 + m;
        }
        return *p ? -1 : 0;
    case MG_KEY_FRACTION: {
        int64_t frac = 0, unit = MG_FRACTION_ONE;
        if (*p == '.') {
            p++;
            int digits = 0;
            while (*p >= '0' && *p <= '9') {
                if (++digits > 4)
                    return -1;
                unit /= 10;
                frac += (*p - '0') * unit;
                p++;
            }
            if (digits == 0)
                return -1;
        }
        if (*p || a > 100000)
            return -1;
        *v = (int32_t)(a * MG_FRACTION_ONE + frac);
        return 0;
    }
    }
    return -1;
}

void mg_format_value(const struct mg_key *k, int32_t v, int32_t v2, char *buf, size_t len)
{
    switch (k->kind) {
    case MG_KEY_INT:
        snprintf(buf, len, "%d", (int)v);
        break;
    case MG_KEY_SIZE:
        if (v == v2)
            snprintf(buf, len, "%d", (int)v);
        else
            snprintf(buf, len, "%dx%d", (int)v, (int)v2);
        break;
    case MG_KEY_FRACTION: {
        int whole = v / MG_FRACTION_ONE, frac = v % MG_FRACTION_ONE;
        if (frac == 0) {
            snprintf(buf, len, "%d", whole);
        } else {
            char digits[8];
            snprintf(digits, sizeof digits, "%04d", frac);
            for (int i = 3; i > 0 && digits[i] == '0'; i--)
                digits[i] = 0;
            snprintf(buf, len, "%d.%s", whole, digits);
        }
        break;
    }
    }
}

static const char *kind_name(const struct mg_key *k)
{
    return k->kind == MG_KEY_INT ? "an integer"
           : k->kind == MG_KEY_SIZE ? "a size N or HxW"
                                    : "a number with at most 4 decimals";
}

static void list_archs(char *buf, size_t len)
{
    buf[0] = 0;
    for (size_t i = 0; i < sizeof all_archs / sizeof all_archs[0]; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, "%s%s", i ? ", " : "", all_archs[i]->name);
    }
}

static void list_keys(const struct mg_arch *a, char *buf, size_t len)
{
    buf[0] = 0;
    for (int i = 0; i < a->num_keys; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, "%s, ", a->keys[i].name);
    }
    size_t used = strlen(buf);
    snprintf(buf + used, len - used, "dtype");
}

const char *mg_dtype_name(enum mg_dtype dtype)
{
    return dtype == MG_DTYPE_FLOAT32 ? "float32" : "int8";
}

static int parse_dtype(const char *text, enum mg_dtype *dtype)
{
    if (!strcmp(text, "int8"))
        *dtype = MG_DTYPE_INT8;
    else if (!strcmp(text, "float32"))
        *dtype = MG_DTYPE_FLOAT32;
    else
        return -1;
    return 0;
}

static int check_range(const struct mg_arch *a, const struct mg_key *k, int32_t v, char *err,
                       size_t errlen)
{
    if (v >= k->min && v <= k->max)
        return 0;
    char lo[32], hi[32], got[32];
    mg_format_value(k, k->min, k->min, lo, sizeof lo);
    mg_format_value(k, k->max, k->max, hi, sizeof hi);
    mg_format_value(k, v, v, got, sizeof got);
    return fail(err, errlen, "%s: %s=%s is out of range [%s, %s]", a->name, k->name, got, lo, hi);
}

int mg_spec_parse(const char *text, struct mg_spec *s, char *err, size_t errlen)
{
    char buf[MG_SPEC_LEN], names[160];
    memset(s, 0, sizeof *s);
    if (!text || !*text)
        return fail(err, errlen, "empty model spec (expected NAME[:key=value,...])");
    if (strlen(text) >= sizeof buf)
        return fail(err, errlen, "model spec longer than %zu characters", sizeof buf - 1);
    strcpy(buf, text);

    char *colon = strchr(buf, ':');
    if (colon)
        *colon = 0;
    s->arch = mg_find_arch(buf);
    if (!s->arch) {
        list_archs(names, sizeof names);
        return fail(err, errlen, "unknown architecture '%s' (known: %s)", buf, names);
    }
    const struct mg_arch *a = s->arch;
    int given[MG_MAX_KEYS] = {0}, dtype_given = 0;
    for (int i = 0; i < a->num_keys; i++)
        s->value[i] = s->value2[i] = a->keys[i].def;

    if (colon) {
        char *p = colon + 1;
        if (!*p)
            return fail(err, errlen, "%s: nothing after ':' (expected key=value,...)", a->name);
        while (p) {
            char *next = strchr(p, ',');
            if (next)
                *next++ = 0;
            if (!*p)
                return fail(err, errlen, "%s: empty key=value pair (a stray ',')", a->name);
            char *eq = strchr(p, '=');
            if (!eq)
                return fail(err, errlen, "%s: '%s' is not key=value", a->name, p);
            *eq = 0;
            if (!strcmp(p, "dtype")) {
                if (dtype_given)
                    return fail(err, errlen, "%s: key 'dtype' given twice", a->name);
                dtype_given = 1;
                if (parse_dtype(eq + 1, &s->dtype))
                    return fail(err, errlen, "%s: dtype='%s' is not int8 or float32", a->name,
                                eq + 1);
                p = next;
                continue;
            }
            int ki = 0;
            while (ki < a->num_keys && strcmp(a->keys[ki].name, p))
                ki++;
            if (ki == a->num_keys) {
                list_keys(a, names, sizeof names);
                return fail(err, errlen, "%s: unknown key '%s' (keys: %s)", a->name, p, names);
            }
            const struct mg_key *k = &a->keys[ki];
            if (given[ki])
                return fail(err, errlen, "%s: key '%s' given twice", a->name, p);
            given[ki] = 1;
            if (mg_key_parse(k, eq + 1, &s->value[ki], &s->value2[ki]))
                return fail(err, errlen, "%s: %s='%s' is not %s", a->name, k->name, eq + 1,
                            kind_name(k));
            if (check_range(a, k, s->value[ki], err, errlen) ||
                check_range(a, k, s->value2[ki], err, errlen))
                return -1;
            p = next;
        }
    }

    /* The canonical form names every key, so it identifies the model. */
    size_t used = (size_t)snprintf(s->canonical, sizeof s->canonical, "%s", a->name);
    for (int i = 0; i < a->num_keys && used < sizeof s->canonical; i++) {
        char v[32];
        mg_format_value(&a->keys[i], s->value[i], s->value2[i], v, sizeof v);
        used += (size_t)snprintf(s->canonical + used, sizeof s->canonical - used, "%s%s=%s",
                                 i ? "," : ":", a->keys[i].name, v);
    }
    if (s->dtype != MG_DTYPE_INT8 && used < sizeof s->canonical)
        snprintf(s->canonical + used, sizeof s->canonical - used, "%sdtype=%s",
                 a->num_keys ? "," : ":", mg_dtype_name(s->dtype));
    return 0;
}

static int key_index(const struct mg_spec *s, const char *key)
{
    for (int i = 0; i < s->arch->num_keys; i++)
        if (!strcmp(s->arch->keys[i].name, key))
            return i;
    return -1;
}

int32_t mg_spec_get(const struct mg_spec *s, const char *key)
{
    int i = key_index(s, key);
    return i >= 0 ? s->value[i] : 0;
}

void mg_spec_get_size(const struct mg_spec *s, const char *key, int *h, int *w)
{
    int i = key_index(s, key);
    *h = i >= 0 ? s->value[i] : 0;
    *w = i >= 0 ? s->value2[i] : 0;
}

int mg_scale_channels(int base, int32_t fraction)
{
    int64_t c = ((int64_t)base * fraction + MG_FRACTION_ONE / 2) / MG_FRACTION_ONE;
    return c < 1 ? 1 : (int)c;
}

int mg_floor_channels(int base, int32_t fraction)
{
    int64_t c = (int64_t)base * fraction / MG_FRACTION_ONE;
    return c < 1 ? 1 : (int)c;
}
