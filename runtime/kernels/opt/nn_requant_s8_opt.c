/*
 * nn_requant_s8_opt.c — the out-of-line half of the `opt` family's
 * requantization (rt_opt_requant in opt_kernels.h): ref's own
 * rt_mul_by_quantized_multiplier for what the inline short form does not
 * cover (scales of 1/4 and above, a zero multiplier, and with double
 * rounding accumulators of 2^30 and more).  Kept out of line so
 * that the kernels' loops carry only the fast path.
 */
#include "opt_kernels.h"

__attribute__((noinline)) int32_t rt_opt_requant_generic(int32_t acc, int32_t m, int32_t shift, int32_t zp)
{
    return rt_add_sat(rt_mul_by_quantized_multiplier(acc, m, shift), zp);
}
