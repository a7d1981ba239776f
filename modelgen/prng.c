/*
 * prng.c — SplitMix64 and uniform draws built on it (see prng.h).
 */
#include "prng.h"

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void mg_rng_seed(struct mg_rng *r, uint64_t seed, uint64_t stream)
{
    /* Hash seed and stream together so that nearby seeds and streams start
     * far apart in the sequence. */
    r->state = mix64(seed ^ mix64(stream + 0x9E3779B97F4A7C15ull));
}

uint64_t mg_rng_next(struct mg_rng *r)
{
    r->state += 0x9E3779B97F4A7C15ull;
    return mix64(r->state);
}

double mg_rng_uniform(struct mg_rng *r, double lo, double hi)
{
    double u = (double)(mg_rng_next(r) >> 40) * (1.0 / 16777216.0);
    return lo + (hi - lo) * u;
}
