/*
 * fully_connected_s8_opt.c — FULLY_CONNECTED int8 with symmetric weights
 * (zero point 0, as TFLite's int8 spec requires), per-tensor or
 * per-channel: each input row is expanded once to 16 bits with the input
 * offset added, then four weight rows at a time (int8, read from flash)
 * are multiplied with it.  Bit-identical to fully_connected_s8_ref.c.
 *
 * Every weight is used once, so the cost is dominated by reading and
 * extending the weights: per four inputs and four rows, two input loads,
 * four weight loads, eight extends, eight SMLADs.
 *
 * Scratch: the expanded input row, 2 * in_depth bytes (rounded to 4); rows
 * longer than FC_CHUNK values are done in chunks (1024 bytes) with every
 * output's accumulator in scratch (4 * out_depth bytes).  Without the DSP
 * extension no scratch: the offset is added to each product.
 * Expanded layout (RT_OPT_SIMD): per group of four values two words
 * [x0|x2] [x1|x3], matching SXTB16 / SXTB16 ROR #8 of a weight word; then
 * one halfword per remaining value.  Without it, plain int16.
 */
#include "opt_kernels.h"

/* Longer input rows are expanded (and multiplied) in chunks of this many
 * values, with the accumulators of every output kept in scratch between
 * chunks: micro_speech's 4000-value row would otherwise take 8000 bytes. */
#define FC_CHUNK 512

static uint32_t fully_connected_s8_opt_scratch(const struct rt_tensor *tensors, const struct rt_node *node,
                                               const struct rt_target *target)
{
    (void)tensors;
    const struct rt_fc_params *p = node->params;
    if (!target->simd)
        return 0;
    if (p->in_depth <= FC_CHUNK)
        return (2u * (uint32_t)p->in_depth + 3u) & ~3u;
    return 2u * FC_CHUNK + 4u * (uint32_t)p->out_depth;
}

#if RT_OPT_SIMD

static void expand_row(uint32_t *dst, const int8_t *src, int32_t n, int32_t input_offset)
{
    const uint32_t off2 = rt_pack16(input_offset, input_offset);
    int32_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint32_t a = rt_read_u32(src + i), b = rt_read_u32(src + i + 4);
        dst[0] = rt_sadd16(rt_sxtb16(a), off2);
        dst[1] = rt_sadd16(rt_sxtb16_ror8(a), off2);
        dst[2] = rt_sadd16(rt_sxtb16(b), off2);
        dst[3] = rt_sadd16(rt_sxtb16_ror8(b), off2);
        dst += 4;
    }
    if (i + 4 <= n) {
        uint32_t a = rt_read_u32(src + i);
        dst[0] = rt_sadd16(rt_sxtb16(a), off2);
        dst[1] = rt_sadd16(rt_sxtb16_ror8(a), off2);
        dst += 2;
        i += 4;
    }
    int16_t *tail = (int16_t *)(void *)dst;
    for (; i < n; i++)
        *tail++ = (int16_t)(src[i] + input_offset);
}

/* Rows w[0..3] (advanced past the groups) times the expanded input x:
 * acc[r] += row r . x over `groups` groups of four.
 *
 * On the DSP cores, assembly: four accumulators, the input and four row
 * pointers, a counter and four temporaries (14 registers); per group the
 * two input words are loaded once and each row's weight word is split by
 * SXTB16 / SXTB16 ROR #8 and used by two SMLADs.  Two groups per
 * iteration, entered with one first when the count is odd.  The C below
 * is the same computation.  Out of line: inlined, it leaves GCC no
 * register for the caller's values. */
#if RT_SIMD_DSP
#define RT_FC_ROW(a, wp)                                                                                              \
    "ldr %[w], [%[" wp "]], #4\n\t"                                                                                   \
    "sxtb16 %[wo], %[w], ror #8\n\t"                                                                                 \
    "sxtb16 %[w], %[w]\n\t"                                                                                          \
    "smlad %[" a "], %[w], %[xe], %[" a "]\n\t"                                                                       \
    "smlad %[" a "], %[wo], %[xo], %[" a "]\n\t"
#define RT_FC_GROUP(xe_addr, xo_addr)                                                                                 \
    "ldr %[xe], " xe_addr "\n\t"                                                                                     \
    "ldr %[xo], " xo_addr "\n\t"                                                                                     \
    RT_FC_ROW("a0", "w0") RT_FC_ROW("a1", "w1") RT_FC_ROW("a2", "w2") RT_FC_ROW("a3", "w3")
#endif

__attribute__((noinline)) static void rows_4(const int8_t *w[4], const uint32_t *x, int32_t groups, int32_t acc[4])
{
    int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    const int8_t *w0 = w[0], *w1 = w[1], *w2 = w[2], *w3 = w[3];
#if RT_SIMD_DSP
    int32_t n = groups;
    uint32_t xe, xo, t, to;
    __asm__ volatile("lsrs %[n], %[n], #1\n\t"
                     "bcc 1f\n\t"
                     RT_FC_GROUP("[%[x]], #8", "[%[x], #-4]")
                     "1:\n\t"
                     "cmp %[n], #0\n\t"
                     "beq 3f\n\t"
                     ".p2align 2\n\t"
                     "2:\n\t"
                     RT_FC_GROUP("[%[x]], #16", "[%[x], #-12]")
                     RT_FC_GROUP("[%[x], #-8]", "[%[x], #-4]")
                     "subs %[n], %[n], #1\n\t"
                     "bne 2b\n\t"
                     "3:\n\t"
                     : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [x] "+r"(x), [w0] "+r"(w0),
                       [w1] "+r"(w1), [w2] "+r"(w2), [w3] "+r"(w3), [n] "+r"(n), [xe] "=&r"(xe), [xo] "=&r"(xo),
                       [w] "=&r"(t), [wo] "=&r"(to)
                     :
                     : "cc", "memory");
#else
    for (int32_t g = 0; g < groups; g++, x += 2) {
        const int8_t *const rows[4] = {w0, w1, w2, w3};
        int32_t *const accs[4] = {&a0, &a1, &a2, &a3};
        for (int r = 0; r < 4; r++) {
            uint32_t q = rt_read_u32(rows[r]);
            *accs[r] = rt_smlad(rt_sxtb16_ror8(q), x[1], rt_smlad(rt_sxtb16(q), x[0], *accs[r]));
        }
        w0 += 4;
        w1 += 4;
        w2 += 4;
        w3 += 4;
    }
#endif
    w[0] = w0;
    w[1] = w1;
    w[2] = w2;
    w[3] = w3;
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
}

static inline int32_t row_1(const int8_t *w0, const uint32_t *x, int32_t groups, int32_t a0)
{
    for (int32_t g = 0; g < groups; g++, w0 += 4, x += 2) {
        uint32_t p = rt_read_u32(w0);
        a0 = rt_smlad(rt_sxtb16(p), x[0], a0);
        a0 = rt_smlad(rt_sxtb16_ror8(p), x[1], a0);
    }
    return a0;
}

static void fc_batch(const struct rt_fc_params *p, const int8_t *weights, const int32_t *bias, const int8_t *in_row,
                     uint32_t *x, int8_t *out_row)
{
    const int32_t n = p->in_depth, groups = n / 4, rest = n % 4;
    const int16_t *tail = (const int16_t *)(const void *)(x + 2 * groups);
    expand_row(x, in_row, n, p->input_offset);
    const int32_t zp = p->output_offset, lo = p->act_min, hi = p->act_max;
    /* rt_opt_requant's short form, decided once for per-tensor weights. */
    bool same = !p->per_channel && p->shift[0] <= -2;
#ifdef RT_DOUBLE_ROUNDING
    same = false;
#endif
    const int32_t m = p->multiplier[0], sh = -p->shift[0] - 1, rnd = same ? (int32_t)1 << (sh - 1) : 0;
    int32_t o = 0;
    for (; o + 4 <= p->out_depth; o += 4) {
        const int8_t *w[4] = {weights + o * n, weights + (o + 1) * n, weights + (o + 2) * n, weights + (o + 3) * n};
        int32_t acc[4];
        for (int r = 0; r < 4; r++)
            acc[r] = bias ? bias[o + r] : 0;
        rows_4(w, x, groups, acc);
        for (int r = 0; r < 4; r++)
            for (int32_t t = 0; t < rest; t++)
                acc[r] = rt_wrap_add(acc[r], w[r][t] * tail[t]);
        if (same) {
            /* One multiplier for every row (per-tensor weights), short form. */
            for (int r = 0; r < 4; r++)
                out_row[o + r] = (int8_t)rt_opt_clamp(((rt_mul_hi(acc[r], m) + rnd) >> sh) + zp, lo, hi);
        } else {
            for (int r = 0; r < 4; r++) {
                const int32_t c = p->per_channel ? o + r : 0;
                out_row[o + r] = (int8_t)rt_opt_requant(acc[r], p->multiplier[c], p->shift[c], zp, lo, hi);
            }
        }
    }
    for (; o < p->out_depth; o++) {
        const int8_t *w0 = weights + o * n;
        int32_t acc = row_1(w0, x, groups, bias ? bias[o] : 0);
        for (int32_t t = 0; t < rest; t++)
            acc = rt_wrap_add(acc, w0[4 * groups + t] * tail[t]);
        const int32_t c0 = p->per_channel ? o : 0;
        out_row[o] = (int8_t)rt_opt_requant(acc, p->multiplier[c0], p->shift[c0], p->output_offset, p->act_min,
                                            p->act_max);
    }
}

/* Rows longer than FC_CHUNK: acc[o] (in scratch) collects each chunk's
 * products, then every output is requantized. */
static void fc_batch_chunked(const struct rt_fc_params *p, const int8_t *weights, const int32_t *bias,
                             const int8_t *in_row, uint32_t *x, int8_t *out_row)
{
    const int32_t n = p->in_depth;
    int32_t *acc = (int32_t *)(void *)(x + FC_CHUNK / 2);
    for (int32_t o = 0; o < p->out_depth; o++)
        acc[o] = bias ? bias[o] : 0;
    for (int32_t start = 0; start < n; start += FC_CHUNK) {
        const int32_t len = n - start < FC_CHUNK ? n - start : FC_CHUNK, groups = len / 4, rest = len % 4;
        const int16_t *tail = (const int16_t *)(const void *)(x + 2 * groups);
        expand_row(x, in_row + start, len, p->input_offset);
        int32_t o = 0;
        for (; o + 4 <= p->out_depth; o += 4) {
            const int8_t *w[4];
            for (int r = 0; r < 4; r++)
                w[r] = weights + (o + r) * n + start;
            rows_4(w, x, groups, acc + o);
            for (int r = 0; r < 4; r++)
                for (int32_t t = 0; t < rest; t++)
                    acc[o + r] = rt_wrap_add(acc[o + r], w[r][t] * tail[t]);
        }
        for (; o < p->out_depth; o++) {
            const int8_t *w0 = weights + o * n + start;
            acc[o] = row_1(w0, x, groups, acc[o]);
            for (int32_t t = 0; t < rest; t++)
                acc[o] = rt_wrap_add(acc[o], w0[4 * groups + t] * tail[t]);
        }
    }
    for (int32_t o = 0; o < p->out_depth; o++) {
        const int32_t c = p->per_channel ? o : 0;
        out_row[o] = (int8_t)rt_opt_requant(acc[o], p->multiplier[c], p->shift[c], p->output_offset, p->act_min,
                                            p->act_max);
    }
}

#else /* !RT_OPT_SIMD: plain C, the offset added per product, four products per step */

static void fc_batch(const struct rt_fc_params *p, const int8_t *weights, const int32_t *bias, const int8_t *x,
                     uint32_t *unused, int8_t *out_row)
{
    (void)unused;
    const int32_t n = p->in_depth, off = p->input_offset;
    for (int32_t o = 0; o < p->out_depth; o++) {
        const int8_t *w = weights + o * n;
        /* Wrapping sums in uint32, as ref's rt_wrap_add. */
        uint32_t acc = bias ? (uint32_t)bias[o] : 0;
        int32_t i = 0;
        for (; i + 4 <= n; i += 4)
            acc += (uint32_t)(w[i] * (x[i] + off)) + (uint32_t)(w[i + 1] * (x[i + 1] + off)) +
                   (uint32_t)(w[i + 2] * (x[i + 2] + off)) + (uint32_t)(w[i + 3] * (x[i + 3] + off));
        for (; i < n; i++)
            acc += (uint32_t)(w[i] * (x[i] + off));
        const int32_t c = p->per_channel ? o : 0;
        out_row[o] = (int8_t)rt_opt_requant((int32_t)acc, p->multiplier[c], p->shift[c], p->output_offset,
                                            p->act_min, p->act_max);
    }
}

#endif

static enum rt_status fully_connected_s8_opt(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_fc_params *p = node->params;
    const int8_t *input = (const int8_t *)rt_node_input(tensors, node, 0)->data;
    const int8_t *weights = (const int8_t *)rt_node_input(tensors, node, 1)->data;
    const int32_t *bias = rt_opt_bias(tensors, node);
    int8_t *output = (int8_t *)rt_node_output(tensors, node, 0)->data;
    for (int32_t b = 0; b < p->batches; b++) {
#if RT_OPT_SIMD
        if (p->in_depth > FC_CHUNK) {
            fc_batch_chunked(p, weights, bias, input + b * p->in_depth, node->scratch, output + b * p->out_depth);
            continue;
        }
#endif
        fc_batch(p, weights, bias, input + b * p->in_depth, node->scratch, output + b * p->out_depth);
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_fully_connected_s8_opt = {
    .name = "fully_connected_s8_opt", .op = TFLITE_OP_FULLY_CONNECTED, .type = TFLITE_TYPE_INT8,
    .scratch_size = fully_connected_s8_opt_scratch, .invoke = fully_connected_s8_opt,
};
