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
 * clamped to [lo, hi] (within [-128, 127]), as one int8.
 *
 * For shift <= -2 (every real-valued scale below 1/4, i.e. nearly every
 * conv and FC layer) both roundings have a short exact form, with
 * e = -shift and a multiplier m in [2^30, 2^31):
 *
 * Single rounding (RT_SINGLE_ROUNDING): ref is floor((acc * m + 2^(e+30))
 * / 2^(e+31)); the rounding term is a multiple of 2^32, so
 *   = (floor(acc * m / 2^32) + 2^(e-2)) >> (e-1),
 * one SMMUL (the product's high word), an add and an arithmetic shift.
 *
 * Double rounding (the default, TFLM's): ref is RoundingDivideByPOT(r, e)
 * with r = floor((acc * m + 2^30) / 2^31) (SaturatingRoundingDoublingHigh-
 * Mul, which never saturates here), i.e. floor((r + 2^(e-1) - [r < 0]) /
 * 2^e).  Nested floor divisions compose, so this is floor((acc * m + 2^30
 * + 2^(e+30) - [r < 0] * 2^31) / 2^(e+31)); with 2 acc in place of acc,
 * the terms below 2^32 are SMMLAR's rounding (+2^31) and, when acc < 0
 * (exactly when r < 0, but for acc = -1 and m = 2^30, where both give the
 * same result for e >= 2), one less in the high word:
 *   = (SMMLAR(2 acc, m, 2^(e-1)) + (acc >> 31)) >> e,
 * exact for -2^30 <= acc < 2^30.  The doubling saturates (QADD): beyond
 * that range ref's result is at least 2^(29-e) in magnitude, and for
 * e <= 21 the saturated form's too, so both clamp to the same int8 bound
 * whatever the zero point.  Larger e need |acc| < 2^30.
 *
 * Either way the high word is below 2^30 in magnitude, so the output offset
 * can be added plainly, or folded into the rounding term (zp << (e-1),
 * resp. zp << e) when e <= 22.  Other cases take ref's own function, out of
 * line (rt_opt_requant_generic, in nn_requant_s8_opt.c) to keep loops
 * small. */
int32_t rt_opt_requant_generic(int32_t acc, int32_t m, int32_t shift, int32_t zp);

#ifdef RT_SINGLE_ROUNDING
#define RT_OPT_SINGLE 1
#else
#define RT_OPT_SINGLE 0
#endif

/* Whether the short form takes every accumulator at this shift (the
 * kernels' per-channel test, made once per layer). */
static inline bool rt_opt_shift_short(int32_t shift)
{
    return shift <= -2 && (RT_OPT_SINGLE || shift >= -21);
}

/* Whether it takes this accumulator at this shift. */
static inline bool rt_opt_short_fits(int32_t acc, int32_t shift)
{
    return rt_opt_shift_short(shift) || (shift <= -2 && (uint32_t)acc + (1u << 30) < (1u << 31));
}

/* The short form, without the output offset unless it is folded into R
 * (rt_opt_rounding_term); sh = rt_opt_final_shift(-shift). */
static inline int32_t rt_opt_short(int32_t acc, int32_t m, int32_t R, int32_t sh)
{
#ifdef RT_SINGLE_ROUNDING
    return (rt_mul_hi(acc, m) + R) >> sh;
#else
    return (rt_smmlar(rt_qadd(acc, acc), m, R) + (acc >> 31)) >> sh;
#endif
}

/* The short form's rounding term for e = -shift, with zp folded in
 * (0 for none; needs e <= 22). */
static inline int32_t rt_opt_rounding_term(int32_t e, int32_t zp)
{
#ifdef RT_SINGLE_ROUNDING
    return ((int32_t)1 << (e - 2)) + (int32_t)((uint32_t)zp << (e - 1));
#else
    return ((int32_t)1 << (e - 1)) + (int32_t)((uint32_t)zp << e);
#endif
}

/* The shift the short form ends with (the table's third word). */
static inline int32_t rt_opt_final_shift(int32_t e)
{
#ifdef RT_SINGLE_ROUNDING
    return e - 1;
#else
    return e;
#endif
}

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
    if (__builtin_expect(rt_opt_short_fits(acc, shift), 1))
        v = rt_opt_short(acc, m, rt_opt_rounding_term(-shift, 0), rt_opt_final_shift(-shift)) + zp;
    else
        v = rt_opt_requant_generic(acc, m, shift, zp);
    return v < lo ? lo : (v > hi ? hi : v);
}

#if RT_SIMD_DSP
/* The short form in assembly, for the kernels' requantization blocks.
 * RT_RQ_SHIFT turns a register holding the shift into the final shift
 * (single rounding: -shift - 1, double: -shift); the rounding term without
 * a zero point is then (1 << that) >> 1 in both.  RT_RQ_MUL(a, m, r, t)
 * leaves in a what is then shifted right: single rounding, SMMLA of a * m
 * onto r; double rounding, SMMLAR of 2a (saturated, QADD) * m onto r,
 * minus 1 when a < 0, with t as a temporary. */
#ifdef RT_SINGLE_ROUNDING
#define RT_RQ_SHIFT(n) "mvn %[" n "], %[" n "]\n\t"
#define RT_RQ_MUL(a, m, r, t) "smmla %[" a "], %[" a "], %[" m "], %[" r "]\n\t"
#else
#define RT_RQ_SHIFT(n) "rsb %[" n "], %[" n "], #0\n\t"
#define RT_RQ_MUL(a, m, r, t)                                                                                         \
    "qadd %[" t "], %[" a "], %[" a "]\n\t"                                                                          \
    "smmlar %[" t "], %[" t "], %[" m "], %[" r "]\n\t"                                                              \
    "add %[" a "], %[" t "], %[" a "], asr #31\n\t"
#endif
#endif

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

/* table: rt_opt_mat_mult_table_bytes(out_c) of scratch, or NULL.
 * zero_rows: the bitmap of weight rows that are all zero (from
 * rt_opt_zero_rows, in the conv wrapper's prepare), or NULL. */
void rt_opt_mat_mult_init(struct rt_opt_mat_mult *mm, const int8_t *weights, const int32_t *bias, int32_t out_c,
                          int32_t k, const struct rt_conv_params *p, int32_t *table, const uint32_t *zero_rows);

/* Pruned models carry output channels whose weights are all zero (most
 * channels of the late layers of MLPerf's VWW MobileNet): their output is
 * the requantized bias, the same at every pixel, often at a scale the short
 * requantization does not take.  The matrix core's table then holds that
 * constant (multiplier 0), so the channel stays in the assembly loop.
 * rt_opt_zero_rows marks them, once, in persistent memory: *rows is a
 * bitmap of out_c bits, or NULL when there are none. */
enum rt_status rt_opt_zero_rows(struct rt_prepare_ctx *ctx, const int8_t *weights, int32_t out_c, int32_t k,
                                const uint32_t **rows);

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
