/*
 * depthwise_conv_3x3_s8_opt.c — DEPTHWISE_CONV_2D int8 with a 3x3 kernel,
 * depth multiplier 1, no dilation, stride 1 or 2, any padding (MobileNet's
 * and DS-CNN's depthwise layers).  Bit-identical to
 * depthwise_conv_s8_ref.c.
 *
 * Channels are contiguous in NHWC, and so are the weights of one tap
 * ([1, 3, 3, C]), so four channels (a group) are done at once: one word of
 * inputs and one of weights per tap, SXTB16 / SXTB16 ROR #8 split each
 * into even and odd channels, and SMLABB / SMLATT multiply channel by
 * channel.  Two vertically adjacent output pixels share each weight word;
 * vertical because DS-CNN's maps are 5 wide and 25 high.  A group's nine
 * weight words (36 bytes) are read from flash once per group into scratch
 * (see groups_simd for why); the weight tensor itself stays in flash.
 *
 * Borders cost nothing extra: for each pair of output rows, the 3 + stride
 * input rows a group needs are gathered into a strip, padded with the
 * input's zero point, column by column ([x][row]), so that every tap of
 * both pixels is at a fixed offset from the pixel's column.  With
 * zero-point padding the input offset folds out exactly:
 *     sum_t w_t * (x_t + offset) = sum_t w_t * x_t + offset * sum_t w_t
 * over all 9 taps (a padded tap has x_t + offset = 0 on the left and adds
 * w_t * zero_point + offset * w_t = 0 on the right), in wrapping int32 as
 * ref, so each accumulator starts at bias + offset * sum_t w_t, computed
 * once per channel, and the taps need no offset addition.
 *
 * Scratch: the folded start values (4 * C bytes), a group's
 * requantization parameters and nine weight words (128 bytes) and the strip (4 * (3 + stride)
 * bytes per input column of the window, (out_w - 1) * stride + 3 columns).
 * Channels past the last group of four, and every channel without the DSP
 * extension, take a plain C path on the input itself.
 */
#include "opt_kernels.h"

struct dw3_shape {
    int32_t in_h, in_w, C, out_h, out_w;
    int32_t strip_w, strip_rows; /* columns of the strip, input rows per column */
};

static void get_shape(const struct rt_tensor *tensors, const struct rt_node *node, struct dw3_shape *s)
{
    const struct rt_conv_params *p = node->params;
    const struct rt_tensor *in = &tensors[node->inputs[0]];
    const struct rt_tensor *out = &tensors[node->outputs[0]];
    s->in_h = in->dims[1];
    s->in_w = in->dims[2];
    s->C = in->dims[3];
    s->out_h = out->dims[1];
    s->out_w = out->dims[2];
    s->strip_w = (s->out_w - 1) * p->stride_w + 3;
    s->strip_rows = 3 + p->stride_h;
}

/* The SIMD path's scratch after the folded values: parameters and strip
 * (on a core that takes the 2x16-bit paths). */
static uint32_t simd_bytes(const struct dw3_shape *s, bool simd)
{
    return simd && s->C >= 4 ? 128u + 4u * (uint32_t)(s->strip_w * s->strip_rows) : 0;
}

static uint32_t depthwise_conv_3x3_s8_opt_scratch(const struct rt_tensor *tensors, const struct rt_node *node,
                                                  const struct rt_target *target)
{
    struct dw3_shape s;
    get_shape(tensors, node, &s);
    return 4u * (uint32_t)s.C + simd_bytes(&s, target->simd);
}

/* bias[c] + input_offset * (sum of channel c's 9 weights), wrapping. */
static void fold_offset(int32_t *fold, const int8_t *weights, const int32_t *bias, int32_t channels, int32_t offset)
{
    for (int32_t c = 0; c < channels; c++) {
        int32_t sum = 0;
        for (int32_t t = 0; t < 9; t++)
            sum += weights[t * channels + c];
        fold[c] = rt_wrap_add(bias ? bias[c] : 0, (int32_t)((uint32_t)sum * (uint32_t)offset));
    }
}

/* One channel of one output pixel straight from the input.  Interior
 * pixels start from the folded value and add no offset; border pixels
 * skip the taps in the padding and add the offset, as ref does. */
static int32_t channel(const int8_t *input, const int8_t *weights, const struct dw3_shape *s,
                       const struct rt_conv_params *p, const int32_t *fold, const int32_t *bias, int32_t oy,
                       int32_t ox, int32_t c)
{
    const int32_t iy0 = oy * p->stride_h - p->pad_h, ix0 = ox * p->stride_w - p->pad_w, C = s->C;
    if (iy0 >= 0 && iy0 + 3 <= s->in_h && ix0 >= 0 && ix0 + 3 <= s->in_w) {
        const int8_t *x = input + (iy0 * s->in_w + ix0) * C + c, *w = weights + c;
        int32_t acc = fold[c];
        for (int32_t ky = 0; ky < 3; ky++, x += s->in_w * C, w += 3 * C)
            acc = rt_wrap_add(acc, x[0] * w[0] + x[C] * w[C] + x[2 * C] * w[2 * C]);
        return acc;
    }
    int32_t acc = bias ? bias[c] : 0;
    for (int32_t ky = 0; ky < 3; ky++) {
        const int32_t iy = iy0 + ky;
        if (iy < 0 || iy >= s->in_h)
            continue;
        for (int32_t kx = 0; kx < 3; kx++) {
            const int32_t ix = ix0 + kx;
            if (ix < 0 || ix >= s->in_w)
                continue;
            acc = rt_wrap_add(acc, (input[(iy * s->in_w + ix) * C + c] + p->input_offset) *
                                       weights[(ky * 3 + kx) * C + c]);
        }
    }
    return acc;
}

#if RT_OPT_SIMD

/* The strip of group g for output rows oy and oy + 1: word
 * (sx * rows + r) holds the group's four channels at input row
 * oy * stride_h - pad_h + r, column sx - pad_w, or four zero points
 * outside the input. */
static void build_strip(uint32_t *strip, const int8_t *input, const struct dw3_shape *s,
                        const struct rt_conv_params *p, int32_t oy, int32_t g, uint32_t zp4)
{
    const int32_t iy0 = oy * p->stride_h - p->pad_h, rows = s->strip_rows, C = s->C;
    /* Rows [r0, r1) of a column lie inside the input. */
    const int32_t r0 = iy0 < 0 ? (-iy0 < rows ? -iy0 : rows) : 0;
    const int32_t r1 = s->in_h - iy0 < rows ? (s->in_h - iy0 > r0 ? s->in_h - iy0 : r0) : rows;
    const int32_t rb = s->in_w * C;
    /* Columns [x0, x1) of the strip lie inside the input. */
    const int32_t x0 = p->pad_w < s->strip_w ? p->pad_w : s->strip_w;
    const int32_t x1 = p->pad_w + s->in_w < s->strip_w ? p->pad_w + s->in_w : s->strip_w;
    uint32_t *dst = strip;
    for (int32_t i = 0; i < x0 * rows; i++)
        *dst++ = zp4;
    const int8_t *src = input + (iy0 * s->in_w + x0 - p->pad_w) * C + 4 * g;
    if (r0 == 0 && r1 == rows) {
        /* Every row inside: straight copies, the common case. */
        for (int32_t sx = x0; sx < x1; sx++, src += C, dst += rows) {
            dst[0] = rt_read_u32(src);
            dst[1] = rt_read_u32(src + rb);
            dst[2] = rt_read_u32(src + 2 * rb);
            dst[3] = rt_read_u32(src + 3 * rb);
            if (rows > 4)
                dst[4] = rt_read_u32(src + 4 * rb);
        }
    } else {
        for (int32_t sx = x0; sx < x1; sx++, src += C) {
            for (int32_t r = 0; r < rows; r++)
                *dst++ = r >= r0 && r < r1 ? rt_read_u32(src + r * rb) : zp4;
        }
    }
    for (int32_t i = x1 * rows; i < s->strip_w * rows; i++)
        *dst++ = zp4;
}

/* Nine taps of one group for two output pixels, (oy, ox) and (oy + 1, ox):
 * their windows start at strip word x and x + stride_h; acc[0..3] is the
 * upper pixel, acc[4..7] the lower.  ws: the group's nine weight words,
 * tap t = 3 * ky + kx at ws[t] (see groups_simd).
 *
 * On the DSP cores, assembly for strides 1 and 2 (the strip has 4 or 5
 * rows per column): eight accumulators, the strip and weight pointers and
 * four temporaries, 14 registers, every address a fixed offset.  Per tap:
 * one weight word, two input words, six SXTB16, eight SMLAxy. */
#if RT_SIMD_DSP
#define RT_DW_TAP(wt, x0, x1)                                                                                         \
    "ldr %[we], [%[w], #" wt "]\n\t"                                                                                  \
    "ldr %[xe], [%[x], #" x0 "]\n\t"                                                                                  \
    "sxtb16 %[wo], %[we], ror #8\n\t"                                                                                 \
    "sxtb16 %[we], %[we]\n\t"                                                                                         \
    "sxtb16 %[xo], %[xe], ror #8\n\t"                                                                                 \
    "sxtb16 %[xe], %[xe]\n\t"                                                                                         \
    "smlabb %[a0], %[xe], %[we], %[a0]\n\t"                                                                           \
    "smlatt %[a2], %[xe], %[we], %[a2]\n\t"                                                                           \
    "smlabb %[a1], %[xo], %[wo], %[a1]\n\t"                                                                           \
    "smlatt %[a3], %[xo], %[wo], %[a3]\n\t"                                                                           \
    "ldr %[xe], [%[x], #" x1 "]\n\t"                                                                                  \
    "sxtb16 %[xo], %[xe], ror #8\n\t"                                                                                 \
    "sxtb16 %[xe], %[xe]\n\t"                                                                                         \
    "smlabb %[b0], %[xe], %[we], %[b0]\n\t"                                                                           \
    "smlatt %[b2], %[xe], %[we], %[b2]\n\t"                                                                           \
    "smlabb %[b1], %[xo], %[wo], %[b1]\n\t"                                                                           \
    "smlatt %[b3], %[xo], %[wo], %[b3]\n\t"

/* Taps in weight order t = 3 * ky + kx: weight word t, strip byte offset
 * 4 * (rows * kx + ky); the lower pixel 4 * stride bytes further. */
#define RT_DW_TAPS_S1                                                                                                 \
    RT_DW_TAP("0", "0", "4") RT_DW_TAP("4", "16", "20") RT_DW_TAP("8", "32", "36")                                    \
    RT_DW_TAP("12", "4", "8") RT_DW_TAP("16", "20", "24") RT_DW_TAP("20", "36", "40")                                 \
    RT_DW_TAP("24", "8", "12") RT_DW_TAP("28", "24", "28") RT_DW_TAP("32", "40", "44")
#define RT_DW_TAPS_S2                                                                                                 \
    RT_DW_TAP("0", "0", "8") RT_DW_TAP("4", "20", "28") RT_DW_TAP("8", "40", "48")                                    \
    RT_DW_TAP("12", "4", "12") RT_DW_TAP("16", "24", "32") RT_DW_TAP("20", "44", "52")                                \
    RT_DW_TAP("24", "8", "16") RT_DW_TAP("28", "28", "36") RT_DW_TAP("32", "48", "56")

#define RT_DW_ASM(taps)                                                                                               \
    __asm__ volatile(taps                                                                                             \
                     : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [b0] "+r"(b0), [b1] "+r"(b1),      \
                       [b2] "+r"(b2), [b3] "+r"(b3), [we] "=&r"(we), [wo] "=&r"(wo), [xe] "=&r"(xe), [xo] "=&r"(xo)   \
                     : [x] "r"(x), [w] "r"(ws)                                                                        \
                     : "memory")

/* The requantization of channel i of both pixels with the group's
 * parameters P (see group_params). */
#define RT_DW_RQ(a, b, i)                                                                                             \
    "ldr %[m], [%[P], #" #i "*12]\n\t"                                                                                \
    "ldr %[r], [%[P], #" #i "*12+4]\n\t"                                                                              \
    "ldr %[n], [%[P], #" #i "*12+8]\n\t"                                                                              \
    "smmla %[" #a "], %[" #a "], %[m], %[r]\n\t"                                                                       \
    "smmla %[" #b "], %[" #b "], %[m], %[r]\n\t"                                                                       \
    "asr %[" #a "], %[" #a "], %[n]\n\t"                                                                               \
    "asr %[" #b "], %[" #b "], %[n]\n\t"                                                                               \
    "ssat %[" #a "], #8, %[" #a "]\n\t"                                                                                \
    "ssat %[" #b "], #8, %[" #b "]\n\t"                                                                                \
    "strb %[" #a "], [%[o0], #" #i "]\n\t"                                                                             \
    "strb %[" #b "], [%[o1], #" #i "]\n\t"
#endif

/* A group's requantization in the fast case: for channel i, P[3i] = m,
 * P[3i+1] = 2^(n-1) + (zero point << n) and P[3i+2] = n = -shift - 1, so
 * that the output is SSAT8((high word of acc * m + P[3i+1]) >> n):
 * adding zp * 2^n before the shift adds exactly zp after it.  It needs
 * shift <= -2 (see rt_opt_requant) and n <= 21 (so that |zp << n| <=
 * 2^28 and the sum, with the high word below 2^30, stays in int32), and
 * the full [-128, 127] bounds.  Returns false otherwise. */
static bool group_params(int32_t *P, const struct rt_conv_params *p, int32_t c)
{
#ifdef RT_DOUBLE_ROUNDING
    return false;
#endif
    if (p->act_min != -128 || p->act_max != 127)
        return false;
    for (int i = 0; i < 4; i++) {
        const int32_t shift = p->shift[c + i];
        if (shift > -2 || shift < -22)
            return false;
        const int32_t n = -shift - 1;
        P[3 * i] = p->multiplier[c + i];
        P[3 * i + 1] = ((int32_t)1 << (n - 1)) + (int32_t)((uint32_t)p->output_offset << n);
        P[3 * i + 2] = n;
    }
    return true;
}

/* Any parameters: ref's arithmetic. */
static void requant_any(const int32_t *acc, const struct rt_conv_params *p, int32_t c, int8_t *out)
{
    for (int i = 0; i < 4; i++)
        out[i] = (int8_t)rt_opt_requant(acc[i], p->multiplier[c + i], p->shift[c + i], p->output_offset, p->act_min,
                                        p->act_max);
}

/* Both pixels of one group: taps, then requantization to o0 and o1. */
static inline void pixel_pair(const uint32_t *x, const uint32_t *ws, const int32_t *fold, const int32_t *P,
                              bool fast, const struct rt_conv_params *p, int32_t c, int8_t *o0, int8_t *o1)
{
    int32_t a0 = fold[0], a1 = fold[1], a2 = fold[2], a3 = fold[3];
    int32_t b0 = a0, b1 = a1, b2 = a2, b3 = a3;
#if RT_SIMD_DSP
    uint32_t we, wo, xe, xo;
    if (p->stride_h == 1)
        RT_DW_ASM(RT_DW_TAPS_S1);
    else
        RT_DW_ASM(RT_DW_TAPS_S2);
    if (fast) {
        int32_t m, r, n;
        __asm__ volatile(RT_DW_RQ(a0, b0, 0) RT_DW_RQ(a1, b1, 1)
                         : [a0] "+r"(a0), [a1] "+r"(a1), [b0] "+r"(b0), [b1] "+r"(b1), [m] "=&r"(m), [r] "=&r"(r),
                           [n] "=&r"(n)
                         : [P] "r"(P), [o0] "r"(o0), [o1] "r"(o1)
                         : "memory");
        __asm__ volatile(RT_DW_RQ(a2, b2, 2) RT_DW_RQ(a3, b3, 3)
                         : [a2] "+r"(a2), [a3] "+r"(a3), [b2] "+r"(b2), [b3] "+r"(b3), [m] "=&r"(m), [r] "=&r"(r),
                           [n] "=&r"(n)
                         : [P] "r"(P), [o0] "r"(o0), [o1] "r"(o1)
                         : "memory");
        return;
    }
#else
    const int32_t rows = 3 + p->stride_h, d = p->stride_h;
    for (int32_t ky = 0; ky < 3; ky++) {
        for (int32_t kx = 0; kx < 3; kx++) {
            uint32_t q = ws[ky * 3 + kx];
            uint32_t we = rt_sxtb16(q), wo = rt_sxtb16_ror8(q);
            uint32_t u = x[rows * kx + ky], v = x[rows * kx + ky + d];
            uint32_t ue = rt_sxtb16(u), uo = rt_sxtb16_ror8(u);
            uint32_t ve = rt_sxtb16(v), vo = rt_sxtb16_ror8(v);
            a0 = rt_smlabb(ue, we, a0);
            a2 = rt_smlatt(ue, we, a2);
            a1 = rt_smlabb(uo, wo, a1);
            a3 = rt_smlatt(uo, wo, a3);
            b0 = rt_smlabb(ve, we, b0);
            b2 = rt_smlatt(ve, we, b2);
            b1 = rt_smlabb(vo, wo, b1);
            b3 = rt_smlatt(vo, wo, b3);
        }
    }
    if (fast) {
        const int32_t acc[8] = {a0, a1, a2, a3, b0, b1, b2, b3};
        for (int i = 0; i < 4; i++) {
            o0[i] = (int8_t)rt_ssat8((rt_mul_hi(acc[i], P[3 * i]) + P[3 * i + 1]) >> P[3 * i + 2]);
            o1[i] = (int8_t)rt_ssat8((rt_mul_hi(acc[4 + i], P[3 * i]) + P[3 * i + 1]) >> P[3 * i + 2]);
        }
        return;
    }
#endif
    const int32_t upper[4] = {a0, a1, a2, a3}, lower[4] = {b0, b1, b2, b3};
    requant_any(lower, p, c, o1);
    requant_any(upper, p, c, o0);
}

static void groups_simd(const int8_t *input, const int8_t *weights, const int32_t *fold, int32_t *P,
                        uint32_t *strip, int8_t *output, const struct dw3_shape *s, const struct rt_conv_params *p)
{
    const uint32_t zp4 = 0x01010101u * (uint8_t)(int8_t)-p->input_offset;
    /* With one output column the stride is never stepped, and may be any
     * int32 (a hostile model's): strip_rows * stride_w would overflow. */
    const int32_t C = s->C, column = s->out_w > 1 ? s->strip_rows * p->stride_w : 0;
    uint32_t *ws = (uint32_t *)(void *)(P + 16);
    for (int32_t g = 0; g < C / 4; g++) {
        const int32_t c = 4 * g;
        const bool fast = group_params(P, p, c);
        /* The group's nine weight words, read from flash once per group
         * rather than once per pixel pair: 9 taps C bytes apart touch 9
         * cache lines, one more than an STM32L4's 8-line flash data cache
         * holds, so the direct reads would miss on every pixel pair. */
        for (int32_t t = 0; t < 9; t++)
            ws[t] = rt_read_u32(weights + t * C + c);
        for (int32_t oy = 0; oy < s->out_h; oy += 2) {
            build_strip(strip, input, s, p, oy, g, zp4);
            int8_t *out0 = output + oy * s->out_w * C + c;
            /* The last row of an odd count has a partner below the map (in
             * the strip's zero-point rows) whose outputs go to spare words
             * of the parameter block. */
            const bool pair = oy + 1 < s->out_h;
            for (int32_t ox = 0; ox < s->out_w; ox++, out0 += C) {
                int8_t *o1 = pair ? out0 + s->out_w * C : (int8_t *)(void *)(P + 12);
                pixel_pair(strip + ox * column, ws, fold + c, P, fast, p, c, out0, o1);
            }
        }
    }
}

#endif

static enum rt_status depthwise_conv_3x3_s8_opt(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_conv_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    const int8_t *weights = (const int8_t *)rt_node_input(tensors, node, 1)->data;
    const int32_t *bias = rt_opt_bias(tensors, node);
    struct dw3_shape s;
    get_shape(tensors, node, &s);
    int32_t *fold = node->scratch;
    fold_offset(fold, weights, bias, s.C, p->input_offset);

    for (int32_t b = 0; b < in->dims[0]; b++) {
        const int8_t *input = (const int8_t *)in->data + b * s.in_h * s.in_w * s.C;
        int8_t *output = (int8_t *)rt_node_output(tensors, node, 0)->data + b * s.out_h * s.out_w * s.C;
        int32_t c0 = 0;
#if RT_OPT_SIMD
        if (s.C >= 4)
            groups_simd(input, weights, fold, fold + s.C, (uint32_t *)(void *)(fold + s.C + 32), output, &s, p);
        c0 = s.C & ~3;
#endif
        for (int32_t oy = 0; oy < s.out_h; oy++) {
            for (int32_t ox = 0; ox < s.out_w; ox++) {
                int8_t *out = output + (oy * s.out_w + ox) * s.C;
                for (int32_t c = c0; c < s.C; c++) {
                    int32_t acc = channel(input, weights, &s, p, fold, bias, oy, ox, c);
                    out[c] = (int8_t)rt_opt_requant(acc, p->multiplier[c], p->shift[c], p->output_offset,
                                                    p->act_min, p->act_max);
                }
            }
        }
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_depthwise_conv_3x3_s8_opt = {
    .name = "depthwise_conv_3x3_s8_opt", .op = TFLITE_OP_DEPTHWISE_CONV_2D, .type = TFLITE_TYPE_INT8,
    .scratch_size = depthwise_conv_3x3_s8_opt_scratch, .invoke = depthwise_conv_3x3_s8_opt,
};
