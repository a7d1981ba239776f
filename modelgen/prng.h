/*
 * prng.h — the deterministic pseudo-random numbers behind every synthesized
 * weight and input.
 *
 * SplitMix64: tiny, fast, and defined entirely by integer arithmetic, so a
 * seed gives the same sequence on every machine.  Floating-point values are
 * made from the top 24 bits of a draw, which a float holds exactly; scaling
 * uses only +, -, * and / (exactly rounded by IEEE 754), never libm calls
 * whose last bit may differ between C libraries.
 */
#ifndef MCUSIM_MG_PRNG_H
#define MCUSIM_MG_PRNG_H

#include <stdint.h>

struct mg_rng {
    uint64_t state;
};

/* Seeds a generator; different streams of one seed are independent. */
void mg_rng_seed(struct mg_rng *r, uint64_t seed, uint64_t stream);
uint64_t mg_rng_next(struct mg_rng *r);
/* Uniform in [lo, hi), computed as lo + (hi - lo) * u with u = k / 2^24. */
double mg_rng_uniform(struct mg_rng *r, double lo, double hi);

#endif
