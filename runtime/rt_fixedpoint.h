/*
 * rt_fixedpoint.h — the integer arithmetic of TFLite's int8 kernels:
 * gemmlowp's SaturatingRoundingDoublingHighMul and RoundingDivideByPOT,
 * TFLite's MultiplyByQuantizedMultiplier, and the gemmlowp fixed-point
 * exp / 1/(1+x) / logistic / tanh that the int8 SOFTMAX, LOGISTIC and TANH
 * reference kernels use.
 *
 * Fixed-point values are plain int32 "raw" numbers; a comment gives the
 * number of integer bits (Qm = m integer bits, 31-m fractional bits).
 * Additions that gemmlowp does with wrapping int32 arithmetic are done in
 * uint32 here, which wraps the same way without C's signed-overflow UB.
 *
 * Bit-exactness with TFLite matters: outputs are compared byte for byte
 * with other engines, and the opt family is tested against this one.
 */
#ifndef RT_FIXEDPOINT_H
#define RT_FIXEDPOINT_H

#include <stdint.h>

static inline int32_t rt_wrap_add(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

static inline int32_t rt_wrap_sub(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a - (uint32_t)b);
}

/* a + b saturated to int32.  Used where TFLite adds the output zero point
 * to a requantized value: identical for every real model, and a hostile
 * model's saturated accumulator cannot overflow (UB) on the way to the clamp. */
static inline int32_t rt_add_sat(int32_t a, int32_t b)
{
    int64_t sum = (int64_t)a + b;
    return sum > INT32_MAX ? INT32_MAX : (sum < INT32_MIN ? INT32_MIN : (int32_t)sum);
}

/* round(a * b / 2^31), saturating the one overflowing case. */
static inline int32_t rt_srdhm(int32_t a, int32_t b)
{
    if (a == INT32_MIN && b == INT32_MIN)
        return INT32_MAX;
    int64_t ab = (int64_t)a * (int64_t)b;
    int64_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
    return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

/* x / 2^exponent rounded to nearest, ties away from zero (0 <= exponent <= 31). */
static inline int32_t rt_rdbpot(int32_t x, int exponent)
{
    int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
    int32_t remainder = x & mask;
    int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* x * 2^exponent with saturation, exponent >= 0 (gemmlowp's
 * SaturatingRoundingMultiplyByPOT for a positive exponent). */
static inline int32_t rt_sat_shift_left(int32_t x, int exponent)
{
    if (exponent == 0)
        return x;
    int32_t threshold = (int32_t)((((int64_t)1) << (31 - exponent)) - 1);
    if (x > threshold)
        return INT32_MAX;
    if (x < -threshold)
        return INT32_MIN;
    return (int32_t)((uint32_t)x << exponent);
}

/* TFLite's MultiplyByQuantizedMultiplier: x * multiplier * 2^(shift - 31),
 * multiplier a Q31 number in [0.5, 1) and shift in [-31, 30].
 *
 * TFLite has two roundings for it.  TFLite Micro and CMSIS-NN as built by
 * default (what is deployed) round twice, in gemmlowp's
 * SaturatingRoundingDoublingHighMul and then in RoundingDivideByPOT; TFLite
 * built with TFLITE_SINGLE_ROUNDING=1 (the desktop interpreter, and Arm NN)
 * rounds one 64-bit product once (half up).  The two differ by one step on
 * about 0.2% of values.  The runtime rounds twice, byte for byte with TFLM;
 * building with -DRT_SINGLE_ROUNDING (meson -Drounding=single) selects the
 * single rounding instead. */
static inline int32_t rt_mul_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift)
{
#ifndef RT_SINGLE_ROUNDING
    int left_shift = shift > 0 ? shift : 0;
    int right_shift = shift > 0 ? 0 : -shift;
    return rt_rdbpot(rt_srdhm((int32_t)((uint32_t)x << left_shift), multiplier), right_shift);
#else
    const int total_shift = 31 - shift; /* 1 .. 62 */
    const int64_t round = (int64_t)1 << (total_shift - 1);
    int64_t result = ((int64_t)x * multiplier + round) >> total_shift;
    if (result > INT32_MAX)
        return INT32_MAX;
    if (result < INT32_MIN)
        return INT32_MIN;
    return (int32_t)result;
#endif
}

/* ---- gemmlowp fixed-point transcendental functions ---- */

/* exp(a) for a in [-1/4, 0), a and result Q0. */
static inline int32_t rt_fp_exp_on_interval_m1_4_to_0(int32_t a)
{
    const int32_t constant_term = 1895147668;    /* exp(-1/8) */
    const int32_t constant_1_over_3 = 715827883; /* 1/3 */
    int32_t x = rt_wrap_add(a, 1 << 28);         /* a + 1/8 */
    int32_t x2 = rt_srdhm(x, x);
    int32_t x3 = rt_srdhm(x2, x);
    int32_t x4 = rt_srdhm(x2, x2);
    int32_t x4_over_4 = rt_rdbpot(x4, 2);
    int32_t poly = rt_rdbpot(rt_wrap_add(rt_srdhm(rt_wrap_add(x4_over_4, x3), constant_1_over_3), x2), 1);
    return rt_wrap_add(constant_term, rt_srdhm(constant_term, rt_wrap_add(x, poly)));
}

/* exp(a) for a <= 0; a has integer_bits integer bits, the result is Q0. */
static inline int32_t rt_fp_exp_on_negative_values(int32_t a, int integer_bits)
{
    static const int32_t multipliers[7] = {
        1672461947, /* exp(-1/4) */
        1302514674, /* exp(-1/2) */
        790015084,  /* exp(-1) */
        290630308,  /* exp(-2) */
        39332535,   /* exp(-4) */
        720401,     /* exp(-8) */
        242,        /* exp(-16) */
    };
    const int fractional_bits = 31 - integer_bits;
    const int32_t one_quarter = (int32_t)1 << (fractional_bits - 2);
    const int32_t mask = one_quarter - 1;
    int32_t a_mod_quarter_minus_one_quarter = rt_wrap_sub(a & mask, one_quarter);
    int32_t result = rt_fp_exp_on_interval_m1_4_to_0(
        rt_sat_shift_left(a_mod_quarter_minus_one_quarter, integer_bits)); /* rescale to Q0 */
    int32_t remainder = rt_wrap_sub(a_mod_quarter_minus_one_quarter, a);
    for (int exponent = -2; exponent <= 4; exponent++) {
        if (integer_bits > exponent) {
            int shift = fractional_bits + exponent;
            if (shift < 31 && (remainder & ((int32_t)1 << shift)))
                result = rt_srdhm(result, multipliers[exponent + 2]);
        }
    }
    /* gemmlowp clamps further only for more than 5 integer bits. */
    if (integer_bits > 5) {
        int32_t clamp = -((int32_t)1 << (fractional_bits + 5)); /* below -32: exp underflows */
        if (a < clamp)
            result = 0;
    }
    return a == 0 ? INT32_MAX : result;
}

/* Newton-Raphson iterations shared by 1/(1+x) and (1-x)/(1+x); returns x in Q2. */
static inline int32_t rt_fp_reciprocal_iterations(int32_t half_denominator)
{
    const int32_t constant_48_over_17 = 1515870810;
    const int32_t constant_neg_32_over_17 = -1010580540;
    const int32_t one_q2 = (int32_t)1 << 29;
    int32_t x = rt_wrap_add(constant_48_over_17, rt_srdhm(half_denominator, constant_neg_32_over_17));
    for (int i = 0; i < 3; i++) {
        int32_t half_denominator_times_x = rt_srdhm(half_denominator, x);
        int32_t one_minus = rt_wrap_sub(one_q2, half_denominator_times_x);
        x = rt_wrap_add(x, rt_sat_shift_left(rt_srdhm(x, one_minus), 2)); /* Q4 -> Q2 */
    }
    return x;
}

static inline int32_t rt_rounding_half_sum(int32_t a, int32_t b)
{
    int64_t sum = (int64_t)a + (int64_t)b;
    int64_t sign = sum >= 0 ? 1 : -1;
    return (int32_t)((sum + sign) / 2);
}

/* 1 / (1 + a) for a in [0, 1), Q0 in and out. */
static inline int32_t rt_fp_one_over_one_plus_x(int32_t a)
{
    int32_t x = rt_fp_reciprocal_iterations(rt_rounding_half_sum(a, INT32_MAX));
    return rt_sat_shift_left(x, 1); /* x/2 in Q1 (same raw) rescaled to Q0 */
}

/* (1 - a) / (1 + a) for a in [0, 1), Q0 in and out. */
static inline int32_t rt_fp_one_minus_x_over_one_plus_x(int32_t a)
{
    int32_t x = rt_fp_reciprocal_iterations(rt_rounding_half_sum(a, INT32_MAX));
    return rt_sat_shift_left(rt_wrap_sub(x, (int32_t)1 << 29), 2);
}

/* logistic(a), a with integer_bits integer bits, result Q0. */
static inline int32_t rt_fp_logistic(int32_t a, int integer_bits)
{
    if (a == 0)
        return (int32_t)1 << 30; /* 0.5 */
    int32_t abs_a = a > 0 ? a : rt_wrap_sub(0, a);
    int32_t positive = rt_fp_one_over_one_plus_x(rt_fp_exp_on_negative_values(rt_wrap_sub(0, abs_a), integer_bits));
    return a > 0 ? positive : rt_wrap_sub(INT32_MAX, positive);
}

/* tanh(a), a with integer_bits integer bits, result Q0. */
static inline int32_t rt_fp_tanh(int32_t a, int integer_bits)
{
    if (a == 0)
        return 0;
    int32_t negative_abs = a < 0 ? a : rt_wrap_sub(0, a);
    /* exp(2 * n): same raw value read with one more integer bit. */
    int32_t t = rt_fp_one_minus_x_over_one_plus_x(rt_fp_exp_on_negative_values(negative_abs, integer_bits + 1));
    return a < 0 ? rt_wrap_sub(0, t) : t;
}

#endif
