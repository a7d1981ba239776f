/*
 * spec.h — architecture specs: "NAME[:key=value,...]".
 *
 * Each architecture (arch_*.c) declares its keys with defaults and ranges;
 * the parser checks a spec against them and reports the first problem in
 * one line that names it.  Values are kept as integers — fractions such as
 * width=0.5 in units of 1/10000 — so that deriving channel counts from them
 * involves no floating point and is the same everywhere.
 *
 * Grammar:
 *   spec   = NAME [ ":" pair { "," pair } ]
 *   pair   = KEY "=" value
 *   value  = integer | fraction | size | dtype
 *   fraction = digits [ "." digits ] | "." digits   (at most 4 decimals)
 *   size   = digits [ "x" digits ]       (HxW, or N for NxN)
 *   dtype  = "int8" | "float32"
 * Keys not given take their defaults; a key may appear once.
 *
 * Every architecture also takes the key `dtype`: int8 (the default) for a
 * model quantized as the TFLite converter does, float32 for the same
 * network with float tensors.  The canonical form spells it only when it
 * is float32, so an int8 spec is named as it always was.
 */
#ifndef MCUSIM_MG_SPEC_H
#define MCUSIM_MG_SPEC_H

#include <stddef.h>
#include <stdint.h>

#include "graph.h"

#define MG_MAX_KEYS 8
#define MG_FRACTION_ONE 10000
#define MG_SPEC_LEN 256

enum mg_key_kind {
    MG_KEY_INT,
    MG_KEY_FRACTION, /* def/min/max in 1/10000 */
    MG_KEY_SIZE,     /* def/min/max apply to both H and W */
};

struct mg_key {
    const char *name;
    enum mg_key_kind kind;
    int32_t def, min, max;
    const char *help;
};

struct mg_spec;

struct mg_arch {
    const char *name;
    const char *summary;
    const struct mg_key *keys;
    int num_keys;
    /* Describes the network in g; problems go to g->error. */
    void (*build)(struct mg_graph *g, const struct mg_spec *s);
};

enum mg_dtype { MG_DTYPE_INT8, MG_DTYPE_FLOAT32 };

struct mg_spec {
    const struct mg_arch *arch;
    enum mg_dtype dtype;
    int32_t value[MG_MAX_KEYS];  /* INT, FRACTION, or SIZE height */
    int32_t value2[MG_MAX_KEYS]; /* SIZE width */
    char canonical[MG_SPEC_LEN]; /* every key, in declaration order */
};

/* The known architectures, in the order --list shows them. */
const struct mg_arch *const *mg_archs(int *count);
const struct mg_arch *mg_find_arch(const char *name);

/* Returns 0, or -1 with a one-line message in err. */
int mg_spec_parse(const char *text, struct mg_spec *s, char *err, size_t errlen);

/* A key's value, by name (the arch's own keys only). */
int32_t mg_spec_get(const struct mg_spec *s, const char *key);
void mg_spec_get_size(const struct mg_spec *s, const char *key, int *h, int *w);

/* base * fraction, rounded to nearest, at least 1: a width multiplier
 * applied to a channel count. */
int mg_scale_channels(int base, int32_t fraction);
/* base * fraction rounded down, at least 1: Keras's int(filters * alpha). */
int mg_floor_channels(int base, int32_t fraction);

/* "int8" or "float32". */
const char *mg_dtype_name(enum mg_dtype dtype);

/* Parses the whole of text as a value of key k (range not checked).
 * Returns 0, or -1 when it is not one. */
int mg_key_parse(const struct mg_key *k, const char *text, int32_t *v, int32_t *v2);

/* Writes a key's default (or a value) as the spec grammar spells it. */
void mg_format_value(const struct mg_key *k, int32_t v, int32_t v2, char *buf, size_t len);

#endif
