/*
 * spec_set.h — a spec with ranges or lists of values, for a search over
 * model variants ('mcusim fit'):
 *
 *     mobilenet:alpha=0.25..1.0,res=96..224     20 variants
 *     mobilenet:alpha=0.25/0.5,res=128/160x128  4 variants
 *     dscnn:blocks=1..4..1,width=0.5            4 variants
 *
 * Grammar (spec.h's, with a value set where a value goes):
 *   value-set = value                           one value
 *             | value "/" value { "/" value }   a list, in its order
 *             | value ".." value [ ".." step ]  a range: from the first
 *                                               to the second, both
 *                                               included, by step
 * A range's default step is 0.25 for fractions (width multipliers), 32
 * for sizes (input resolutions, as MobileNet's are multiples of 32) and 1
 * for integers; sizes in a range are square (N).  The variants are every
 * combination, the keys' values varying fastest from the last key, and
 * each is checked as a spec of its own (spec.h: ranges of the keys).
 */
#ifndef MCUSIM_MG_SPEC_SET_H
#define MCUSIM_MG_SPEC_SET_H

#include <stddef.h>

#include "spec.h"

struct mg_variant {
    char spec[MG_SPEC_LEN];   /* canonical: every key spelled out */
    char label[MG_SPEC_LEN];  /* the keys that vary: "alpha=0.25,res=96"; the arch name when none does */
};

struct mg_spec_set {
    int n;
    struct mg_variant *variants;  /* malloc'd */
};

/* Expands text into at most max variants.  Returns 0, or -1 with a
 * one-line message in err (a malformed range or list, a value out of the
 * key's range, more than max variants). */
int mg_spec_set_expand(const char *text, int max, struct mg_spec_set *set, char *err, size_t errlen);
void mg_spec_set_free(struct mg_spec_set *set);

/* Whether text has a range or a list anywhere (else it is one spec). */
int mg_spec_is_set(const char *text);

#endif
