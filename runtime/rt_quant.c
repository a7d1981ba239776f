/*
 * rt_quant.c — QuantizeMultiplier and its helpers, on IEEE-754 bits
 * (see rt_quant.h for why not libm).
 */
#include <string.h>

#include "rt_quant.h"

static uint64_t double_bits(double x)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    return bits;
}

static double bits_double(uint64_t bits)
{
    double x;
    memcpy(&x, &bits, sizeof x);
    return x;
}

bool rt_isfinite(double x)
{
    return ((double_bits(x) >> 52) & 0x7FF) != 0x7FF;
}

double rt_frexp(double x, int *exponent)
{
    uint64_t bits = double_bits(x);
    int biased = (int)((bits >> 52) & 0x7FF);
    *exponent = 0;
    if (x == 0.0 || biased == 0x7FF)
        return x;
    if (biased == 0) {
        /* Subnormal: scale into the normal range first (exact). */
        x *= 18014398509481984.0; /* 2^54 */
        bits = double_bits(x);
        biased = (int)((bits >> 52) & 0x7FF);
        *exponent = -54;
    }
    *exponent += biased - 1022;
    bits = (bits & ~((uint64_t)0x7FF << 52)) | ((uint64_t)1022 << 52);
    return bits_double(bits);
}

int64_t rt_round_to_int64(double x)
{
    bool negative = x < 0;
    double magnitude = negative ? -x : x;
    int64_t whole = (int64_t)magnitude; /* truncation */
    double fraction = magnitude - (double)whole; /* exact for |x| < 2^53 */
    if (fraction >= 0.5)
        whole += 1;
    return negative ? -whole : whole;
}

float rt_roundf(float x)
{
    bool negative = x < 0;
    float magnitude = negative ? -x : x;
    if (!(magnitude < 8388608.0f)) /* >= 2^23 (or NaN): already integral */
        return x;
    float whole = (float)(int32_t)magnitude;
    if (magnitude - whole >= 0.5f) /* exact: both are floats of the same binade or less */
        whole += 1.0f;
    return negative ? -whole : whole;
}

void rt_quantize_multiplier(double real, int32_t *multiplier, int *shift)
{
    if (real == 0.0 || !rt_isfinite(real)) {
        *multiplier = 0;
        *shift = 0;
        return;
    }
    double q = rt_frexp(real, shift);
    int64_t q_fixed = rt_round_to_int64(q * 2147483648.0); /* q * 2^31, exact scaling */
    if (q_fixed == ((int64_t)1 << 31)) {
        q_fixed /= 2;
        ++*shift;
    }
    if (*shift < -31) { /* every bit would be shifted out: the product is 0 */
        *shift = 0;
        q_fixed = 0;
    }
    if (*shift > 30) { /* saturate, as TFLite does, rather than overflow */
        *shift = 30;
        q_fixed = ((int64_t)1 << 31) - 1;
    }
    *multiplier = (int32_t)q_fixed;
}

int32_t rt_quantize_value(float value, float scale, int32_t zero_point)
{
    float scaled = rt_roundf(value / scale);
    if (!(scaled > -2147483648.0f && scaled < 2147483648.0f))
        return scaled < 0 ? INT32_MIN : INT32_MAX;
    return zero_point + (int32_t)scaled;
}
