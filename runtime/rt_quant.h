/*
 * rt_quant.h — turning real-valued scales into the integer multipliers and
 * shifts the int8 kernels use, once, at prepare time.
 *
 * TFLite does this with std::frexp and std::round in double precision.
 * Here both are done by hand on the IEEE-754 bit pattern, so the result is
 * bit-identical on x86-64 and on Cortex-M (soft-float double) and needs no
 * libm.  The runtime is compiled with -ffp-contract=off so that no fused
 * multiply-add changes a rounding.
 */
#ifndef RT_QUANT_H
#define RT_QUANT_H

#include <stdbool.h>
#include <stdint.h>

#include "rt_status.h"

/* frexp: x = fraction * 2^exponent with |fraction| in [0.5, 1). */
double rt_frexp(double x, int *exponent);
/* round half away from zero, for |x| < 2^62. */
int64_t rt_round_to_int64(double x);
/* roundf half away from zero, as TfLiteRound on a float. */
float rt_roundf(float x);
bool rt_isfinite(double x);

/* TFLite QuantizeMultiplier: multiplier in [2^30, 2^31) (or 0) and shift
 * such that real ~= multiplier * 2^(shift - 31). */
void rt_quantize_multiplier(double real, int32_t *multiplier, int *shift);

/* Quantizes a real value with (scale, zero_point) as TFLite does for
 * activation bounds: zero_point + round(value / scale) in float. */
int32_t rt_quantize_value(float value, float scale, int32_t zero_point);

#endif
