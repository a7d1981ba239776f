/*
 * opt_kernels.h — the `opt` kernel family: kernels for Cortex-M cores with
 * the DSP extension (SMLAD and friends, through rt_simd.h), in the spirit
 * of CMSIS-NN, bit-identical to `ref` (tests/test_kernels_opt*.c check it).
 *
 * Files follow CMSIS-NN's grammar, <op>_<variant>_<type>_opt.c.  For each
 * op the family's table holds a wrapper (<op>_wrapper_s8_opt.c) whose
 * prepare step picks the fastest kernel that fits the layer's shape and
 * puts it in node->kernel, so that the profiler's per-layer table names
 * the kernel that really ran; shapes no fast kernel takes keep the `ref`
 * kernel.  Every kernel that needs memory says so in scratch_size, and the
 * planner places it in the arena: there are no hidden buffers.  Weights
 * are read where the model keeps them (flash), never copied.
 *
 * Also here: the requantization every kernel ends with, the arithmetic of
 * ref's rt_mul_by_quantized_multiplier with a cheaper exact path.
 */
#ifndef RT_OPT_KERNELS_H
#define RT_OPT_KERNELS_H

#include "ref_kernels.h"
#include "rt_simd.h"

/* Wrappers (the family's table) and the kernels they choose from. */
extern const struct rt_kernel rt_kernel_conv_wrapper_s8_opt;
extern const struct rt_kernel rt_kernel_conv_s8_opt;
extern const struct rt_kernel rt_kernel_conv_1x1_s8_opt;
extern const struct rt_kernel rt_kernel_depthwise_conv_wrapper_s8_opt;
extern const struct rt_kernel rt_kernel_depthwise_conv_3x3_s8_opt;
extern const struct rt_kernel rt_kernel_depthwise_conv_s8_opt;
extern const struct rt_kernel rt_kernel_depthwise_conv_mult_s8_opt;
extern const struct rt_kernel rt_kernel_fully_connected_wrapper_s8_opt;
extern const struct rt_kernel rt_kernel_fully_connected_s8_opt;
extern const struct rt_kernel rt_kernel_add_wrapper_s8_opt;
extern const struct rt_kernel rt_kernel_add_s8_opt;

/* Whether add_s8_opt can run this ADD layer exactly (add_s8_opt.c). */
bool rt_opt_add_fits(const struct rt_tensor *tensors, const struct rt_node *node);

extern const struct rt_kernel_family rt_family_opt;

/* ---- requantization ---- */

/* ref's rt_mul_by_quantized_multiplier(acc, m, shift) + output_offset,
 * clamped to [lo, hi], as one int8.
 *
 * With TFLite's single rounding the result is
 *   floor((acc * m + 2^(t-1)) / 2^t),  t = 31 - shift.
 * For shift <= -2 (t >= 33: every real-valued scale below 1/4, i.e. nearly
 * every conv and FC layer) the rounding term is a multiple of 2^32, so
 *   = floor((floor(acc * m / 2^32) + 2^(t-33)) / 2^(t-32)),
 * one SMMUL (the product's high word), an add and an arithmetic shift,
 * instead of a 64-bit add and a 64-bit variable shift.  The high word is
 * below 2^30 in magnitude, so nothing saturates and the output offset can
 * be added plainly.  Other shifts take ref's own function, out of line
 * (rt_opt_requant_generic, in nn_requant_s8_opt.c) to keep loops small. */
int32_t rt_opt_requant_generic(int32_t acc, int32_t m, int32_t shift, int32_t zp);

/* The output's zero point and the fused activation's bounds. */
struct rt_opt_out {
    int32_t zp, lo, hi;
};

static inline int32_t rt_opt_clamp(int32_t v, int32_t lo, int32_t hi)
{
    v = v < lo ? lo : v;
    return v > hi ? hi : v;
}

static inline int32_t rt_opt_requant(int32_t acc, int32_t m, int32_t shift, int32_t zp, int32_t lo, int32_t hi)
{
    int32_t v;
#ifndef RT_DOUBLE_ROUNDING
    if (__builtin_expect(shift <= -2, 1))
        v = ((rt_mul_hi(acc, m) + ((int32_t)1 << (-shift - 2))) >> (-shift - 1)) + zp;
    else
#endif
        v = rt_opt_requant_generic(acc, m, shift, zp);
    return v < lo ? lo : (v > hi ? hi : v);
}

/* ---- the matrix core shared by the convolutions (nn_mat_mult_kernel_s8_s16_opt.c) ----
 *
 * Convolution as a matrix product: each output pixel's receptive field is
 * a column of k = k_h * k_w * in_c values, expanded once to 16 bits with
 * the input offset added (an exact int16: |x - zero_point| <= 255), and
 * every output channel's weight row (int8, in flash, [out_c][k]) is
 * multiplied with two such columns at a time.
 *
 * Column buffer for two columns, uint32_t aligned.  With RT_OPT_SIMD, per
 * group of 4 values x0..x3 four words:
 *   [col 0: x0|x2] [col 0: x1|x3] [col 1: x0|x2] [col 1: x1|x3]
 * (low|high halfword), the order in which SXTB16 and SXTB16 ROR #8 split
 * a word of four weights, so that one SMLAD pairs each weight with its
 * value; a last, partial group is padded with zeros, so that it can be
 * multiplied whole.  Without RT_OPT_SIMD, value i of column j is int16
 * number 2 * i + j. */

/* Bytes of the buffer for two columns of k values. */
static inline uint32_t rt_opt_columns_bytes(int32_t k)
{
    return 16u * (((uint32_t)k + 3u) / 4u);
}

/* Values [k0, k0 + n) of column j from int8 src, input offset added.
 * k0 must be a multiple of 4; n may end the column at any k (the partial
 * group's padding is then zeroed). */
void rt_opt_column_fill(uint32_t *cols, int32_t k, int j, int32_t k0, const int8_t *src, int32_t n,
                        int32_t input_offset);
/* Values [k0, k0 + n) of both columns at once, from src0 and src1 (k0
 * and n multiples of 4 with RT_OPT_SIMD): the common case of im2col. */
void rt_opt_column_fill_pair(uint32_t *cols, int32_t k0, const int8_t *src0, const int8_t *src1, int32_t n,
                             int32_t input_offset);
/* Values [k0, k0 + n) of column j set to 0 (padding: zero point + offset). */
void rt_opt_column_zero(uint32_t *cols, int32_t k, int j, int32_t k0, int32_t n);

/* What the matrix core needs of a layer, set up once per invoke. */
struct rt_opt_mat_mult {
    const int8_t *weights; /* [out_c][k], in flash */
    const int32_t *bias;   /* or NULL */
    int32_t out_c, k;
    const int32_t *multiplier;
    const int8_t *shift;
    struct rt_opt_out out;
    bool full_range;       /* bounds [-128, 127]: the short requantization may apply */
    bool all_fast;         /* ... and every channel's shift allows it */
    int32_t *table;        /* per-channel requantization table, or NULL */
};

/* Bytes of the requantization table rt_opt_mat_mult_init may fill on a
 * core with (dsp) or without the DSP extension. */
static inline uint32_t rt_opt_mat_mult_table_bytes(int32_t out_c, bool dsp)
{
    return dsp ? 12u * (uint32_t)out_c : 0;
}

/* table: rt_opt_mat_mult_table_bytes(out_c) of scratch, or NULL. */
void rt_opt_mat_mult_init(struct rt_opt_mat_mult *mm, const int8_t *weights, const int32_t *bias, int32_t out_c,
                          int32_t k, const struct rt_conv_params *p, int32_t *table);

/* For every output channel c: out0[c] and out1[c], the requantized
 * products of weight row c with columns 0 and 1.  out1 may be NULL when
 * column 1 is a copy of column 0 (the last pixel of an odd count). */
void rt_opt_mat_mult_s8(const struct rt_opt_mat_mult *mm, const uint32_t *cols, int8_t *out0, int8_t *out1);

/* ---- helpers ---- */

/* The first and one-past-last tap k of a kernel row or column with
 * 0 <= start + k * dilation < size: the taps that fall inside the input,
 * so that padding costs no per-tap test. */
static inline void rt_opt_tap_range(int32_t start, int32_t taps, int32_t dilation, int32_t size, int32_t *k0, int32_t *k1)
{
    int32_t a = 0, b = taps;
    while (a < b && start + a * dilation < 0)
        a++;
    while (b > a && start + (b - 1) * dilation >= size)
        b--;
    *k0 = a;
    *k1 = b;
}

static inline const int32_t *rt_opt_bias(const struct rt_tensor *tensors, const struct rt_node *node)
{
    const bool has = node->num_inputs > 2 && node->inputs[2] >= 0;
    return has ? (const int32_t *)(const void *)tensors[node->inputs[2]].data : NULL;
}

#endif
