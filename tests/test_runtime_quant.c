/*
 * test_runtime_quant.c — the integer arithmetic under every int8 kernel:
 * frexp/round done on IEEE bits (rt_quant.c) against libm, QuantizeMultiplier's
 * precision, MultiplyByQuantizedMultiplier against exact 128-bit
 * arithmetic (built twice: double rounding and -DRT_SINGLE_ROUNDING), and
 * the gemmlowp fixed-point functions against libm.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "rt_fixedpoint.h"
#include "rt_quant.h"

static uint64_t state = 88172645463325252ull;

static uint64_t next64(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static double random_double(void)
{
    uint64_t bits = next64();
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

Test(quant, frexp_matches_libm_on_random_bit_patterns)
{
    for (int i = 0; i < 200000; i++) {
        double x = random_double();
        if (!isfinite(x))
            continue;
        int e1, e2;
        double f1 = rt_frexp(x, &e1), f2 = frexp(x, &e2);
        cr_assert(f1 == f2 && e1 == e2, "frexp(%a): %a*2^%d vs libm %a*2^%d", x, f1, e1, f2, e2);
    }
    int e;
    cr_assert_eq(rt_frexp(0.0, &e), 0.0);
    cr_assert_eq(e, 0);
    cr_assert_eq(rt_frexp(4.9406564584124654e-324, &e), 0.5);
    cr_assert_eq(e, -1073);
}

Test(quant, rounding_matches_libm)
{
    for (int i = 0; i < 200000; i++) {
        double x = (double)(int64_t)(next64() >> 12) / 4096.0 * ((next64() & 1) ? 1 : -1);
        cr_assert_eq(rt_round_to_int64(x), llround(x), "round(%a)", x);
        float f = (float)x / 1024.0f;
        cr_assert_eq(rt_roundf(f), roundf(f), "roundf(%a)", (double)f);
    }
    cr_assert_eq(rt_roundf(2.5f), 3.0f);
    cr_assert_eq(rt_roundf(-2.5f), -3.0f);
    cr_assert_eq(rt_roundf(0.49999997f), 0.0f);
}

Test(quant, quantize_multiplier_is_precise)
{
    int32_t m;
    int shift;
    rt_quantize_multiplier(0.5, &m, &shift);
    cr_assert(m == (1 << 30) && shift == 0);
    rt_quantize_multiplier(1.0, &m, &shift);
    cr_assert(m == (1 << 30) && shift == 1);
    rt_quantize_multiplier(0.0, &m, &shift);
    cr_assert(m == 0 && shift == 0);
    rt_quantize_multiplier(1e-20, &m, &shift); /* below 2^-32: the product is always 0 */
    cr_assert(m == 0 && shift == 0);
    for (int i = 0; i < 100000; i++) {
        double real = ldexp((double)(next64() >> 11) / 9007199254740992.0 + 0.5, (int)(next64() % 40) - 30);
        rt_quantize_multiplier(real, &m, &shift);
        cr_assert(m >= (1 << 30), "multiplier %d for %g", m, real);
        double back = ldexp((double)m, shift - 31);
        cr_assert_leq(fabs(back - real) / real, ldexp(1.0, -31), "%g -> %d, %d", real, m, shift);
    }
}

/* The value MultiplyByQuantizedMultiplier must give, from the definitions
 * in exact 128-bit arithmetic.  Single rounding: x * m / 2^(31 - shift)
 * rounded half up.  Double rounding (gemmlowp): r = x * 2^max(shift, 0)
 * times m / 2^31 rounded half up, then r / 2^max(-shift, 0) rounded half
 * away from zero. */
static int32_t expected_product(int32_t x, int32_t m, int shift)
{
#ifdef RT_SINGLE_ROUNDING
    __int128 prod = (__int128)x * m;
    int total = 31 - shift;
    return (int32_t)((prod + ((__int128)1 << (total - 1))) >> total);
#else
    int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
    __int128 ab = (__int128)x * ((int64_t)1 << left) * m; /* a multiply: x may be negative */
    __int128 r = (ab + ((__int128)1 << 30)) >> 31; /* floor: half up */
    if (right == 0)
        return (int32_t)r;
    __int128 half = (__int128)1 << (right - 1);
    __int128 mag = ((r < 0 ? -r : r) + half) >> right;
    return (int32_t)(r < 0 ? -mag : mag);
#endif
}

Test(quant, multiply_by_quantized_multiplier_rounds_exactly)
{
    for (int i = 0; i < 300000; i++) {
        int32_t x = (int32_t)(next64() >> 32) >> (next64() % 24);
        int32_t m = (int32_t)((1u << 30) + (uint32_t)(next64() % (1u << 30)));
        int shift = (int)(next64() % 40) - 31;
        if (shift > 0 && (x > (INT32_MAX >> shift) || x < (INT32_MIN >> shift)))
            continue; /* TFLite's precondition: x * 2^shift fits */
        cr_assert_eq(rt_mul_by_quantized_multiplier(x, m, shift), expected_product(x, m, shift), "x=%d m=%d shift=%d",
                     x, m, shift);
    }
}

/* A value on which the two roundings must differ. */
Test(quant, the_roundings_differ_where_they_should)
{
    /* m = 2^30 (one half) and shift -1: x / 4.  x = 6: single rounding
     * takes 1.5 up to 2; double first halves to 3 (exact), then rounds
     * 3 / 2 away from zero: 2 as well.  x = -6: single takes -1.5 up to
     * -1, double rounds -3 / 2 away from zero to -2. */
#ifdef RT_SINGLE_ROUNDING
    cr_assert_eq(rt_mul_by_quantized_multiplier(-6, 1 << 30, -1), -1);
#else
    cr_assert_eq(rt_mul_by_quantized_multiplier(-6, 1 << 30, -1), -2);
#endif
    cr_assert_eq(rt_mul_by_quantized_multiplier(6, 1 << 30, -1), 2);
}

Test(quant, gemmlowp_primitives)
{
    cr_assert_eq(rt_srdhm(INT32_MIN, INT32_MIN), INT32_MAX);
    cr_assert_eq(rt_srdhm(1 << 30, 1 << 30), 1 << 29);
    cr_assert_eq(rt_rdbpot(5, 1), 3);   /* 2.5 -> 3 */
    cr_assert_eq(rt_rdbpot(-5, 1), -3); /* -2.5 -> -3 */
    cr_assert_eq(rt_rdbpot(7, 2), 2);   /* 1.75 -> 2 */
    cr_assert_eq(rt_sat_shift_left(1 << 29, 2), INT32_MAX);
    cr_assert_eq(rt_sat_shift_left(-(1 << 29), 2), INT32_MIN);
}

Test(quant, fixed_point_exp_logistic_tanh_track_libm)
{
    for (int i = 0; i <= 4000; i++) {
        double x = -31.0 * i / 4000.0; /* Q5 inputs: [-31, 0] */
        int32_t raw = (int32_t)lround(x * (1 << 26));
        double got = rt_fp_exp_on_negative_values(raw, 5) / 2147483648.0;
        cr_assert_leq(fabs(got - exp(raw / 67108864.0)), 1e-6, "exp(%g) = %g", x, got);
    }
    for (int i = -4000; i <= 4000; i++) {
        double x = 7.9 * i / 4000.0; /* Q4 inputs */
        int32_t raw = (int32_t)lround(x * (1 << 27));
        double xv = raw / 134217728.0;
        double lg = rt_fp_logistic(raw, 4) / 2147483648.0;
        double th = rt_fp_tanh(raw, 4) / 2147483648.0;
        cr_assert_leq(fabs(lg - 1.0 / (1.0 + exp(-xv))), 1e-6, "logistic(%g) = %g", xv, lg);
        cr_assert_leq(fabs(th - tanh(xv)), 2e-6, "tanh(%g) = %g", xv, th);
    }
}
