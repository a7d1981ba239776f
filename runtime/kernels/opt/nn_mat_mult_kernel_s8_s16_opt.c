/*
 * nn_mat_mult_kernel_s8_s16_opt.c — the matrix core of the `opt`
 * convolutions (conv_s8_opt.c, conv_1x1_s8_opt.c): int8 weight rows read
 * from flash times 16-bit columns in the arena, two output channels by two
 * columns at a time, with the requantization.  The column layout is
 * described in opt_kernels.h.
 *
 * Why two by two: per four values of k, the block loads one weight word per
 * channel (split by SXTB16 / SXTB16 ROR #8 into the pairs SMLAD takes) and
 * two words per column, and does eight SMLADs: 16 MACs for 6 loads, 4
 * extends and 8 multiply-accumulates, with the four accumulators, three
 * pointers, a counter and six temporaries in the 14 allocatable registers.
 * A larger block does not fit and would spill in the innermost loop; a
 * 1x4 block loads fewer weights but twice the column words, which costs
 * more than it saves.
 *
 * On the DSP cores the multiply loop and the requantization are assembly,
 * so that their register use is certain (GCC's allocation of the same C
 * spills the loop bound and juggles the requantization's constants through
 * the stack: about 40% slower on the Cortex-M4 model).  The C beside each
 * is the same computation, is what the host tests run, and documents it.
 *
 * Without the DSP extension (RT_OPT_SIMD == 0, Cortex-M0+) the block is
 * plain C with 16-bit loads, one channel by two columns, unrolled by four.
 */
#include "opt_kernels.h"
#include "rt_target_sizes.h"

static bool zero_row(const uint32_t *zero_rows, int32_t c)
{
    return zero_rows && (zero_rows[c / 32] >> (c % 32)) & 1u;
}

static bool all_zero(const int8_t *row, int32_t k)
{
    int32_t i = 0;
    while (i < k && row[i] == 0)
        i++;
    return i == k;
}

enum rt_status rt_opt_zero_rows(struct rt_prepare_ctx *ctx, const int8_t *weights, int32_t out_c, int32_t k,
                                const uint32_t **rows)
{
    *rows = NULL;
    int32_t c = 0;
    while (c < out_c && !all_zero(weights + c * k, k))
        c++;
    if (c == out_c)
        return RT_OK;
    uint32_t *bits = RT_PERSISTENT_NEW(ctx, uint32_t, ((uint32_t)out_c + 31u) / 32u); /* zeroed */
    if (!bits)
        return RT_NO_MEMORY;
    for (; c < out_c; c++)
        if (all_zero(weights + c * k, k))
            bits[c / 32] |= 1u << (c % 32);
    *rows = bits;
    return RT_OK;
}

void rt_opt_mat_mult_init(struct rt_opt_mat_mult *mm, const int8_t *weights, const int32_t *bias, int32_t out_c,
                          int32_t k, const struct rt_conv_params *p, int32_t *table, const uint32_t *zero_rows)
{
    mm->weights = weights;
    mm->bias = bias;
    mm->out_c = out_c;
    mm->k = k;
    mm->multiplier = p->multiplier;
    mm->shift = p->shift;
    mm->out.zp = p->output_offset;
    mm->out.lo = p->act_min;
    mm->out.hi = p->act_max;
    /* The short requantization (opt_kernels.h) needs the full int8 range
     * (every RELU whose zero point is -128, and no activation); each
     * channel pair also needs shifts it takes (pair_fast), else it takes
     * ref's arithmetic. */
    mm->full_range = p->act_min == -128 && p->act_max == 127;
    mm->all_fast = mm->full_range;
    for (int32_t c = 0; c < out_c && mm->all_fast; c++)
        mm->all_fast = rt_opt_shift_short(p->shift[c]);
    /* The table of mm_pairs_table: the zero point folds into the rounding
     * term when -shift <= 22 (|zp << 22| <= 2^29); a channel of zero
     * weights holds its constant output instead (rt_opt_zero_rows), with
     * multiplier 0 and final shift 0: the short form then leaves the
     * rounding term, less 1 for a negative accumulator (double rounding),
     * and the accumulator is the bias at every pixel. */
    mm->table = NULL;
    bool tab = table != NULL && mm->full_range;
    for (int32_t c = 0; c < out_c && tab; c++)
        tab = zero_row(zero_rows, c) || (rt_opt_shift_short(p->shift[c]) && p->shift[c] >= -22);
    if (tab) {
        for (int32_t c = 0; c < out_c; c++) {
            if (zero_row(zero_rows, c)) {
                const int32_t acc = bias ? bias[c] : 0;
                const int32_t v = rt_add_sat(rt_mul_by_quantized_multiplier(acc, p->multiplier[c], p->shift[c]),
                                             p->output_offset);
                table[3 * c] = 0;
                table[3 * c + 1] = rt_opt_clamp(v, -128, 127) - (RT_OPT_SINGLE ? 0 : (acc >> 31));
                table[3 * c + 2] = 0;
                continue;
            }
            const int32_t e = -p->shift[c];
            table[3 * c] = p->multiplier[c];
            table[3 * c + 1] = rt_opt_rounding_term(e, p->output_offset);
            table[3 * c + 2] = rt_opt_final_shift(e);
        }
        mm->table = table;
        mm->all_fast = true;
    }
}

#if RT_OPT_SIMD


/* Value kk of column j (any kk < 4 * ceil(k / 4)). */
static inline void set_value(uint32_t *cols, int j, int32_t kk, int32_t v)
{
    uint16_t *g = (uint16_t *)(void *)(cols + 4 * (kk / 4) + 2 * j + (kk & 1));
    g[(kk & 2) >> 1] = (uint16_t)v;
}

/* A column that ends inside a group gets zeros after its last value, so
 * that whole groups can be multiplied (see rt_opt_mat_mult_s8). */
static void pad_end(uint32_t *cols, int32_t k, int j)
{
    for (int32_t kk = k; kk % 4 != 0; kk++)
        set_value(cols, j, kk, 0);
}

void rt_opt_column_fill(uint32_t *cols, int32_t k, int j, int32_t k0, const int8_t *src, int32_t n,
                        int32_t input_offset)
{
    const uint32_t off2 = rt_pack16(input_offset, input_offset);
    uint32_t *dst = cols + 4 * (k0 / 4) + 2 * j;
    int32_t i = 0;
    /* Whole groups: one load, two extends, two offset adds, two stores. */
    for (; i + 8 <= n; i += 8) {
        uint32_t a = rt_read_u32(src + i), b = rt_read_u32(src + i + 4);
        dst[0] = rt_sadd16(rt_sxtb16(a), off2);
        dst[1] = rt_sadd16(rt_sxtb16_ror8(a), off2);
        dst[4] = rt_sadd16(rt_sxtb16(b), off2);
        dst[5] = rt_sadd16(rt_sxtb16_ror8(b), off2);
        dst += 8;
    }
    if (i + 4 <= n) {
        uint32_t a = rt_read_u32(src + i);
        dst[0] = rt_sadd16(rt_sxtb16(a), off2);
        dst[1] = rt_sadd16(rt_sxtb16_ror8(a), off2);
        i += 4;
    }
    for (; i < n; i++)
        set_value(cols, j, k0 + i, src[i] + input_offset);
    if (k0 + n == k)
        pad_end(cols, k, j);
}

void rt_opt_column_zero(uint32_t *cols, int32_t k, int j, int32_t k0, int32_t n)
{
    int32_t i = 0;
    uint32_t *dst = cols + 4 * (k0 / 4) + 2 * j;
    for (; i + 4 <= n; i += 4) {
        dst[0] = 0;
        dst[1] = 0;
        dst += 4;
    }
    for (; i < n; i++)
        set_value(cols, j, k0 + i, 0);
    if (k0 + n == k)
        pad_end(cols, k, j);
}

void rt_opt_column_fill_pair(uint32_t *cols, int32_t k0, const int8_t *src0, const int8_t *src1, int32_t n,
                             int32_t input_offset)
{
    const uint32_t off2 = rt_pack16(input_offset, input_offset);
    uint32_t *dst = cols + k0; /* 4 words per group of 4 values */
#if RT_SIMD_DSP
    /* Assembly: GCC pairs the four stores into two STRDs, which a Cortex-M4
     * cannot pipeline (3 cycles each against 1 per STR with an offset). */
    if (n >= 4) {
        uint32_t a, b, t;
        int32_t groups = n / 4;
        __asm__ volatile(".p2align 2\n\t"
                         "1:\n\t"
                         "ldr %[a], [%[s0]], #4\n\t"
                         "ldr %[b], [%[s1]], #4\n\t"
                         "sxtb16 %[t], %[a]\n\t"
                         "sxtb16 %[a], %[a], ror #8\n\t"
                         "sadd16 %[t], %[t], %[off]\n\t"
                         "sadd16 %[a], %[a], %[off]\n\t"
                         "str %[t], [%[d]], #16\n\t"
                         "str %[a], [%[d], #-12]\n\t"
                         "sxtb16 %[t], %[b]\n\t"
                         "sxtb16 %[b], %[b], ror #8\n\t"
                         "sadd16 %[t], %[t], %[off]\n\t"
                         "sadd16 %[b], %[b], %[off]\n\t"
                         "str %[t], [%[d], #-8]\n\t"
                         "str %[b], [%[d], #-4]\n\t"
                         "subs %[g], %[g], #1\n\t"
                         "bne 1b\n\t"
                         : [a] "=&r"(a), [b] "=&r"(b), [t] "=&r"(t), [s0] "+r"(src0), [s1] "+r"(src1), [d] "+r"(dst),
                           [g] "+r"(groups)
                         : [off] "r"(off2)
                         : "cc", "memory");
    }
    return; /* n is a multiple of 4 */
#endif
    for (int32_t i = 0; i < n; i += 4, dst += 4) {
        const uint32_t a = rt_read_u32(src0 + i), b = rt_read_u32(src1 + i);
        dst[0] = rt_sadd16(rt_sxtb16(a), off2);
        dst[1] = rt_sadd16(rt_sxtb16_ror8(a), off2);
        dst[2] = rt_sadd16(rt_sxtb16(b), off2);
        dst[3] = rt_sadd16(rt_sxtb16_ror8(b), off2);
    }
}

#if RT_SIMD_DSP
/* One group of four values: the operands are the addressing modes of the
 * four column loads and the two weight loads (post-indexed forms advance
 * the pointers for free). */
#define RT_MM_GROUP(c0, c1, c2, c3, w0, w1)                                                                           \
    "ldr %[t0], " c0 "\n\t"                                                                                          \
    "ldr %[t1], " c1 "\n\t"                                                                                          \
    "ldr %[t2], " c2 "\n\t"                                                                                          \
    "ldr %[t3], " c3 "\n\t"                                                                                          \
    "ldr %[t4], " w0 "\n\t"                                                                                          \
    "sxtb16 %[t5], %[t4], ror #8\n\t"                                                                                \
    "sxtb16 %[t4], %[t4]\n\t"                                                                                        \
    "smlad %[a00], %[t4], %[t0], %[a00]\n\t"                                                                         \
    "smlad %[a00], %[t5], %[t1], %[a00]\n\t"                                                                         \
    "smlad %[a01], %[t4], %[t2], %[a01]\n\t"                                                                         \
    "smlad %[a01], %[t5], %[t3], %[a01]\n\t"                                                                         \
    "ldr %[t4], " w1 "\n\t"                                                                                          \
    "sxtb16 %[t5], %[t4], ror #8\n\t"                                                                                \
    "sxtb16 %[t4], %[t4]\n\t"                                                                                        \
    "smlad %[a10], %[t4], %[t0], %[a10]\n\t"                                                                         \
    "smlad %[a10], %[t5], %[t1], %[a10]\n\t"                                                                         \
    "smlad %[a11], %[t4], %[t2], %[a11]\n\t"                                                                         \
    "smlad %[a11], %[t5], %[t3], %[a11]\n\t"
#endif

/* Weight rows *w0 and *w1 (advanced past the groups) times the two
 * columns, over `groups` groups of four: acc[0..3] = (row 0, col 0),
 * (row 0, col 1), (row 1, col 0), (row 1, col 1).  The assembly does two
 * groups per iteration and enters with one group first when the count is
 * odd. */
static inline void mac_2x2(const int8_t **pw0, const int8_t **pw1, const uint32_t *cols, int32_t groups,
                           int32_t acc[4])
{
    int32_t a00 = acc[0], a01 = acc[1], a10 = acc[2], a11 = acc[3];
    const int8_t *w0 = *pw0, *w1 = *pw1;
#if RT_SIMD_DSP
    uint32_t t0, t1, t2, t3, t4, t5;
    int32_t n = groups;
    __asm__ volatile("lsrs %[n], %[n], #1\n\t"
                     "bcc 1f\n\t"
                     RT_MM_GROUP("[%[c]], #16", "[%[c], #-12]", "[%[c], #-8]", "[%[c], #-4]",
                                 "[%[w0]], #4", "[%[w1]], #4")
                     "1:\n\t"
                     "cmp %[n], #0\n\t"
                     "beq 3f\n\t"
                     ".p2align 2\n\t"
        "2:\n\t"
                     RT_MM_GROUP("[%[c]], #32", "[%[c], #-28]", "[%[c], #-24]", "[%[c], #-20]",
                                 "[%[w0]], #4", "[%[w1]], #4")
                     RT_MM_GROUP("[%[c], #-16]", "[%[c], #-12]", "[%[c], #-8]", "[%[c], #-4]",
                                 "[%[w0]], #4", "[%[w1]], #4")
                     "subs %[n], %[n], #1\n\t"
                     "bne 2b\n\t"
                     "3:\n\t"
                     : [a00] "+r"(a00), [a01] "+r"(a01), [a10] "+r"(a10), [a11] "+r"(a11), [c] "+r"(cols),
                       [w0] "+r"(w0), [w1] "+r"(w1), [n] "+r"(n), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2),
                       [t3] "=&r"(t3), [t4] "=&r"(t4), [t5] "=&r"(t5)
                     :
                     : "cc", "memory");
#else
    for (int32_t g = 0; g < groups; g++, cols += 4) {
        uint32_t c0e = cols[0], c0o = cols[1], c1e = cols[2], c1o = cols[3];
        uint32_t w = rt_read_u32(w0);
        w0 += 4;
        uint32_t we = rt_sxtb16(w), wo = rt_sxtb16_ror8(w);
        a00 = rt_smlad(we, c0e, a00);
        a00 = rt_smlad(wo, c0o, a00);
        a01 = rt_smlad(we, c1e, a01);
        a01 = rt_smlad(wo, c1o, a01);
        w = rt_read_u32(w1);
        w1 += 4;
        we = rt_sxtb16(w);
        wo = rt_sxtb16_ror8(w);
        a10 = rt_smlad(we, c0e, a10);
        a10 = rt_smlad(wo, c0o, a10);
        a11 = rt_smlad(we, c1e, a11);
        a11 = rt_smlad(wo, c1o, a11);
    }
#endif
    *pw0 = w0;
    *pw1 = w1;
    acc[0] = a00;
    acc[1] = a01;
    acc[2] = a10;
    acc[3] = a11;
}

/* One weight row by two columns (the last channel of an odd count). */
static inline void mac_1x2(const int8_t *w0, const uint32_t *cols, int32_t groups, int32_t *acc)
{
    int32_t a00 = acc[0], a01 = acc[1];
    for (int32_t g = 0; g < groups; g++, w0 += 4, cols += 4) {
        uint32_t w = rt_read_u32(w0);
        uint32_t we = rt_sxtb16(w), wo = rt_sxtb16_ror8(w);
        a00 = rt_smlad(we, cols[0], a00);
        a00 = rt_smlad(wo, cols[1], a00);
        a01 = rt_smlad(we, cols[2], a01);
        a01 = rt_smlad(wo, cols[3], a01);
    }
    acc[0] = a00;
    acc[1] = a01;
}

/* The first `rest` (1..3) bytes at w as a word, the others zero: the
 * last, partial group of a row, read without passing the row's end. */
static inline uint32_t read_partial(const int8_t *w, int32_t rest)
{
    uint32_t v = (uint8_t)w[0];
    if (rest > 1)
        v |= (uint32_t)(uint8_t)w[1] << 8;
    if (rest > 2)
        v |= (uint32_t)(uint8_t)w[2] << 16;
    return v;
}

/* The partial last group of rows w0 and w1 (pointing at it) with the
 * columns' last group g (zero past k). */
static void partial_2x2(const int8_t *w0, const int8_t *w1, const uint32_t *g, int32_t rest, int32_t acc[4])
{
    uint32_t q = read_partial(w0, rest);
    uint32_t e = rt_sxtb16(q), o = rt_sxtb16_ror8(q);
    acc[0] = rt_smlad(o, g[1], rt_smlad(e, g[0], acc[0]));
    acc[1] = rt_smlad(o, g[3], rt_smlad(e, g[2], acc[1]));
    q = read_partial(w1, rest);
    e = rt_sxtb16(q);
    o = rt_sxtb16_ror8(q);
    acc[2] = rt_smlad(o, g[1], rt_smlad(e, g[0], acc[2]));
    acc[3] = rt_smlad(o, g[3], rt_smlad(e, g[2], acc[3]));
}

/* Channels c and c + 1 of both columns, in the fast case (see
 * rt_opt_mat_mult_init): out[c], out[c + 1] and the same at out + stride.
 * The final shift and the rounding term are made from the shift in four
 * instructions (RT_RQ_SHIFT); SSAT #8 is the clamp. */
static inline void requant_2x2_fast(const int32_t acc[4], const int32_t *m, const int8_t *s, int8_t *out,
                                    int32_t stride, int32_t zp)
{
#if RT_SIMD_DSP
    int32_t a00 = acc[0], a01 = acc[1], a10 = acc[2], a11 = acc[3];
    int32_t mv, n, rnd, t;
    __asm__ volatile("ldrsb %[n], [%[s]]\n\t"
                     "ldr %[mv], [%[m]]\n\t"
                     RT_RQ_SHIFT("n")
                     "mov %[r], #1\n\t"
                     "lsl %[r], %[r], %[n]\n\t"
                     "lsr %[r], %[r], #1\n\t"
                     RT_RQ_MUL("a00", "mv", "r", "t")
                     RT_RQ_MUL("a01", "mv", "r", "t")
                     "asr %[a00], %[a00], %[n]\n\t"
                     "asr %[a01], %[a01], %[n]\n\t"
                     "ldrsb %[n], [%[s], #1]\n\t"
                     "ldr %[mv], [%[m], #4]\n\t"
                     "add %[a00], %[a00], %[zp]\n\t"
                     "add %[a01], %[a01], %[zp]\n\t"
                     "ssat %[a00], #8, %[a00]\n\t"
                     "ssat %[a01], #8, %[a01]\n\t"
                     "strb %[a00], [%[o]]\n\t"
                     "strb %[a01], [%[o], %[st]]\n\t"
                     RT_RQ_SHIFT("n")
                     "mov %[r], #1\n\t"
                     "lsl %[r], %[r], %[n]\n\t"
                     "lsr %[r], %[r], #1\n\t"
                     RT_RQ_MUL("a10", "mv", "r", "t")
                     RT_RQ_MUL("a11", "mv", "r", "t")
                     "asr %[a10], %[a10], %[n]\n\t"
                     "asr %[a11], %[a11], %[n]\n\t"
                     "add %[a10], %[a10], %[zp]\n\t"
                     "add %[a11], %[a11], %[zp]\n\t"
                     "ssat %[a10], #8, %[a10]\n\t"
                     "ssat %[a11], #8, %[a11]\n\t"
                     "add %[n], %[o], %[st]\n\t"
                     "strb %[a10], [%[o], #1]\n\t"
                     "strb %[a11], [%[n], #1]\n\t"
                     : [a00] "+&r"(a00), [a01] "+&r"(a01), [a10] "+&r"(a10), [a11] "+&r"(a11), [mv] "=&r"(mv),
                       [n] "=&r"(n), [r] "=&r"(rnd), [t] "=&r"(t)
                     : [m] "r"(m), [s] "r"(s), [o] "r"(out), [st] "r"(stride), [zp] "r"(zp)
                     : "memory");
#else
    for (int i = 0; i < 2; i++) {
        const int32_t e = -s[i], R = rt_opt_rounding_term(e, 0), sh = rt_opt_final_shift(e);
        out[i] = (int8_t)rt_ssat8(rt_opt_short(acc[2 * i], m[i], R, sh) + zp);
        out[stride + i] = (int8_t)rt_ssat8(rt_opt_short(acc[2 * i + 1], m[i], R, sh) + zp);
    }
#endif
}

#if RT_SIMD_DSP
/* The whole channel loop of the common case in one assembly block: a
 * bias and the fast requantization for the channels it is given
 * (rt_opt_mat_mult_init, pair_fast); all groups of the padded columns are
 * multiplied, so for k % 4 != 0 each row's last group reads up to three
 * bytes of the next row, times zero (the caller keeps the tensor's last
 * row out of it).  Per pair of channels: the biases, the multiply
 * loop of mac_2x2, and the requantization of requant_2x2_fast, with the
 * loop's state in struct mm_state (in memory: the multiply loop needs all
 * 14 allocatable registers, the state pointer included, which is pushed
 * around it).  This is the C loop of rt_opt_mat_mult_s8 below, instruction
 * for instruction the same arithmetic. */
struct mm_state {
    const uint32_t *cols;  /* 0 */
    int32_t groups;        /* 4 */
    int32_t k;             /* 8 */
    int32_t pairs;         /* 12: channel pairs left */
    const int32_t *bias;   /* 16 */
    const int32_t *mult;   /* 20 */
    const int8_t *shift;   /* 24 */
    int8_t *out;           /* 28: column 0's output of the current channel */
    int32_t stride;        /* 32: column 1's output - column 0's */
    int32_t zp;            /* 36 */
    const int8_t *w;       /* 40: weight row of the current channel */
};

#define RT_MM_PAIR_MAC \
        "4:\n\t" \
        "ldr %[t0], [%[t5], #16]\n\t" \
        "ldr %[t1], [%[t5], #8]\n\t" \
        "ldr %[w0], [%[t5], #40]\n\t" \
        "ldr %[a00], [%[t0]], #4\n\t" \
        "ldr %[a10], [%[t0]], #4\n\t" \
        "ldr %[c], [%[t5], #0]\n\t" \
        "ldr %[n], [%[t5], #4]\n\t" \
        "str %[t0], [%[t5], #16]\n\t" \
        "mov %[a01], %[a00]\n\t" \
        "mov %[a11], %[a10]\n\t" \
        "add %[w1], %[w0], %[t1]\n\t" \
        "add %[t1], %[w1], %[t1]\n\t" \
        "str %[t1], [%[t5], #40]\n\t" \
        "push {%[t5]}\n\t" \
        /* groups = 4 * n + 2 * b1 + b0: one group if b0, two if b1, \
         * then n iterations of four. */ \
        "lsrs %[n], %[n], #1\n\t" \
        "bcc 1f\n\t" \
        RT_MM_GROUP("[%[c]], #16", "[%[c], #-12]", "[%[c], #-8]", "[%[c], #-4]", "[%[w0]], #4", "[%[w1]], #4") \
        "1:\n\t" \
        "lsrs %[n], %[n], #1\n\t" \
        "bcc 5f\n\t" \
        RT_MM_GROUP("[%[c]], #32", "[%[c], #-28]", "[%[c], #-24]", "[%[c], #-20]", "[%[w0]], #4", "[%[w1]], #4") \
        RT_MM_GROUP("[%[c], #-16]", "[%[c], #-12]", "[%[c], #-8]", "[%[c], #-4]", "[%[w0]], #4", "[%[w1]], #4") \
        "5:\n\t" \
        "cmp %[n], #0\n\t" \
        "beq 3f\n\t" \
        ".p2align 2\n\t" \
        "2:\n\t" \
        RT_MM_GROUP("[%[c]], #64", "[%[c], #-60]", "[%[c], #-56]", "[%[c], #-52]", "[%[w0]], #4", "[%[w1]], #4") \
        RT_MM_GROUP("[%[c], #-48]", "[%[c], #-44]", "[%[c], #-40]", "[%[c], #-36]", "[%[w0]], #4", "[%[w1]], #4") \
        RT_MM_GROUP("[%[c], #-32]", "[%[c], #-28]", "[%[c], #-24]", "[%[c], #-20]", "[%[w0]], #4", "[%[w1]], #4") \
        RT_MM_GROUP("[%[c], #-16]", "[%[c], #-12]", "[%[c], #-8]", "[%[c], #-4]", "[%[w0]], #4", "[%[w1]], #4") \
        "subs %[n], %[n], #1\n\t" \
        "bne 2b\n\t" \
        "3:\n\t" \
        "pop {%[t5]}\n\t"

static void mm_pairs_fast(struct mm_state *st)
{
    int32_t a00, a01, a10, a11, n;
    uint32_t t0, t1, t2, t3, t4;
    const uint32_t *c;
    const int8_t *w0, *w1;
    __asm__ volatile(
        RT_MM_PAIR_MAC
        "ldr %[t0], [%[t5], #20]\n\t"
        "ldr %[t1], [%[t5], #24]\n\t"
        "ldr %[t2], [%[t5], #28]\n\t"
        "ldr %[t3], [%[t5], #32]\n\t"
        "ldr %[t4], [%[t5], #36]\n\t"
        /* Channel c: n = the final shift, rnd (in w1) and m (in w0). */
        "ldrsb %[n], [%[t1]], #1\n\t"
        "ldr %[w0], [%[t0]], #4\n\t"
        RT_RQ_SHIFT("n")
        "mov %[w1], #1\n\t"
        "lsl %[w1], %[w1], %[n]\n\t"
        "lsr %[w1], %[w1], #1\n\t"
        RT_RQ_MUL("a00", "w0", "w1", "c")
        RT_RQ_MUL("a01", "w0", "w1", "c")
        "asr %[a00], %[a00], %[n]\n\t"
        "asr %[a01], %[a01], %[n]\n\t"
        "ldrsb %[n], [%[t1]], #1\n\t"
        "ldr %[w0], [%[t0]], #4\n\t"
        "add %[a00], %[a00], %[t4]\n\t"
        "add %[a01], %[a01], %[t4]\n\t"
        "ssat %[a00], #8, %[a00]\n\t"
        "ssat %[a01], #8, %[a01]\n\t"
        "strb %[a00], [%[t2]]\n\t"
        "strb %[a01], [%[t2], %[t3]]\n\t"
        /* Channel c + 1. */
        RT_RQ_SHIFT("n")
        "mov %[w1], #1\n\t"
        "lsl %[w1], %[w1], %[n]\n\t"
        "lsr %[w1], %[w1], #1\n\t"
        RT_RQ_MUL("a10", "w0", "w1", "c")
        RT_RQ_MUL("a11", "w0", "w1", "c")
        "asr %[a10], %[a10], %[n]\n\t"
        "asr %[a11], %[a11], %[n]\n\t"
        "add %[a10], %[a10], %[t4]\n\t"
        "add %[a11], %[a11], %[t4]\n\t"
        "ssat %[a10], #8, %[a10]\n\t"
        "ssat %[a11], #8, %[a11]\n\t"
        "add %[c], %[t2], %[t3]\n\t"
        "strb %[a10], [%[t2], #1]\n\t"
        "strb %[a11], [%[c], #1]\n\t"
        "add %[t2], %[t2], #2\n\t"
        "str %[t0], [%[t5], #20]\n\t"
        "str %[t1], [%[t5], #24]\n\t"
        "str %[t2], [%[t5], #28]\n\t"
        "ldr %[n], [%[t5], #12]\n\t"
        "subs %[n], %[n], #1\n\t"
        "str %[n], [%[t5], #12]\n\t"
        "bne 4b\n\t"
        : [a00] "=&r"(a00), [a01] "=&r"(a01), [a10] "=&r"(a10), [a11] "=&r"(a11), [c] "=&r"(c), [w0] "=&r"(w0),
          [w1] "=&r"(w1), [n] "=&r"(n), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3),
          [t4] "=&r"(t4), [t5] "+r"(st)
        :
        : "cc", "memory");
}

/* The same with the requantization parameters of every channel taken from
 * a table (rt_opt_mat_mult_init): st->mult points at it, three words per
 * channel, m, the rounding term with the zero point folded in and the final
 * shift (opt_kernels.h), so that the output is SSAT8 of the short form. */
static void mm_pairs_table(struct mm_state *st)
{
    int32_t a00, a01, a10, a11, n;
    uint32_t t0, t1, t2, t3, t4;
    const uint32_t *c;
    const int8_t *w0, *w1;
    __asm__ volatile(
        RT_MM_PAIR_MAC
        "ldr %[t0], [%[t5], #20]\n\t"
        "ldr %[t2], [%[t5], #28]\n\t"
        "ldr %[t3], [%[t5], #32]\n\t"
        /* Channel c: m, the rounding term with the zero point, the final shift. */
        "ldr %[w0], [%[t0]], #4\n\t"
        "ldr %[w1], [%[t0]], #4\n\t"
        "ldr %[n], [%[t0]], #4\n\t"
        RT_RQ_MUL("a00", "w0", "w1", "t1")
        RT_RQ_MUL("a01", "w0", "w1", "t1")
        "asr %[a00], %[a00], %[n]\n\t"
        "asr %[a01], %[a01], %[n]\n\t"
        "ssat %[a00], #8, %[a00]\n\t"
        "ssat %[a01], #8, %[a01]\n\t"
        "strb %[a00], [%[t2]]\n\t"
        "strb %[a01], [%[t2], %[t3]]\n\t"
        /* Channel c + 1. */
        "ldr %[w0], [%[t0]], #4\n\t"
        "ldr %[w1], [%[t0]], #4\n\t"
        "ldr %[n], [%[t0]], #4\n\t"
        RT_RQ_MUL("a10", "w0", "w1", "t1")
        RT_RQ_MUL("a11", "w0", "w1", "t1")
        "asr %[a10], %[a10], %[n]\n\t"
        "asr %[a11], %[a11], %[n]\n\t"
        "ssat %[a10], #8, %[a10]\n\t"
        "ssat %[a11], #8, %[a11]\n\t"
        "add %[c], %[t2], %[t3]\n\t"
        "strb %[a10], [%[t2], #1]\n\t"
        "strb %[a11], [%[c], #1]\n\t"
        "add %[t2], %[t2], #2\n\t"
        "str %[t0], [%[t5], #20]\n\t"
        "str %[t2], [%[t5], #28]\n\t"
        "ldr %[n], [%[t5], #12]\n\t"
        "subs %[n], %[n], #1\n\t"
        "str %[n], [%[t5], #12]\n\t"
        "bne 4b\n\t"
        : [a00] "=&r"(a00), [a01] "=&r"(a01), [a10] "=&r"(a10), [a11] "=&r"(a11), [c] "=&r"(c), [w0] "=&r"(w0),
          [w1] "=&r"(w1), [n] "=&r"(n), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3),
          [t4] "=&r"(t4), [t5] "+r"(st)
        :
        : "cc", "memory");
}
#endif

/* Any channel, any activation bounds: ref's arithmetic via rt_opt_requant. */
static void requant_2(int32_t a0, int32_t a1, int32_t m, int32_t shift, const struct rt_opt_out *o, int8_t *out,
                      int32_t stride)
{
    out[stride] = (int8_t)rt_opt_requant(a1, m, shift, o->zp, o->lo, o->hi);
    out[0] = (int8_t)rt_opt_requant(a0, m, shift, o->zp, o->lo, o->hi);
}

/* Whether channels c and c + 1 take the short requantization. */
static inline bool pair_fast(const struct rt_opt_mat_mult *mm, int32_t c)
{
    return mm->full_range && rt_opt_shift_short(mm->shift[c]) && rt_opt_shift_short(mm->shift[c + 1]);
}

void rt_opt_mat_mult_s8(const struct rt_opt_mat_mult *mm, const uint32_t *cols, int8_t *out0, int8_t *out1)
{
    const int32_t k = mm->k, groups = k / 4, rest = k % 4, out_c = mm->out_c;
    const uint32_t *last = cols + 4 * groups; /* the partial group, when rest */
    /* Without column 1 it repeats column 0: writing its values to out0
     * stores the same bytes. */
    const int32_t stride = out1 ? (int32_t)(out1 - out0) : 0;
    const int32_t *bias = mm->bias;
    const int8_t *w0 = mm->weights;
#if RT_SIMD_DSP
    /* Pairs before this one may read past their rows' ends (see mm_pairs_fast). */
    const int32_t padded_pairs_end = rest ? (out_c - 2) & ~1 : out_c & ~1;
#endif
    int32_t c = 0;
    while (c + 2 <= out_c) {
#if RT_SIMD_DSP
        /* A run of pairs the assembly loop takes whole. */
        if (bias) {
            int32_t end = c;
            if (mm->all_fast)
                end = padded_pairs_end;
            while (end + 2 <= padded_pairs_end && pair_fast(mm, end))
                end += 2;
            if (end > c) {
                struct mm_state st = {cols, groups + (rest != 0), k, (end - c) / 2, bias + c, mm->multiplier + c,
                                      mm->shift + c, out0 + c, stride, mm->out.zp, w0};
                if (mm->table) {
                    st.mult = mm->table + 3 * c;
                    mm_pairs_table(&st);
                } else {
                    mm_pairs_fast(&st);
                }
                c = end;
                w0 = st.w;
                continue;
            }
        }
#endif
        const int8_t *w1 = w0 + k;
        int32_t acc[4];
        acc[0] = acc[1] = bias ? bias[c] : 0;
        acc[2] = acc[3] = bias ? bias[c + 1] : 0;
        mac_2x2(&w0, &w1, cols, groups, acc);
        if (rest)
            partial_2x2(w0, w1, last, rest, acc);
        w0 = w1 + rest;
        if (pair_fast(mm, c)) {
            requant_2x2_fast(acc, mm->multiplier + c, mm->shift + c, out0 + c, stride, mm->out.zp);
        } else {
            requant_2(acc[0], acc[1], mm->multiplier[c], mm->shift[c], &mm->out, out0 + c, stride);
            requant_2(acc[2], acc[3], mm->multiplier[c + 1], mm->shift[c + 1], &mm->out, out0 + c + 1, stride);
        }
        c += 2;
    }
    if (c < out_c) {
        int32_t acc[4];
        acc[0] = acc[1] = bias ? bias[c] : 0;
        mac_1x2(w0, cols, groups, acc);
        if (rest) {
            /* partial_2x2 with the same row twice; the second half is unused. */
            const int8_t *wl = w0 + 4 * groups;
            acc[2] = acc[3] = 0;
            partial_2x2(wl, wl, last, rest, acc);
        }
        requant_2(acc[0], acc[1], mm->multiplier[c], mm->shift[c], &mm->out, out0 + c, stride);
    }
}

#else /* !RT_OPT_SIMD: plain C for cores without the DSP extension */

void rt_opt_column_fill(uint32_t *cols, int32_t k, int j, int32_t k0, const int8_t *src, int32_t n,
                        int32_t input_offset)
{
    (void)k;
    int16_t *dst = (int16_t *)(void *)cols + 2 * k0 + j;
    int32_t i = 0;
    for (; i + 4 <= n; i += 4) {
        dst[0] = (int16_t)(src[i] + input_offset);
        dst[2] = (int16_t)(src[i + 1] + input_offset);
        dst[4] = (int16_t)(src[i + 2] + input_offset);
        dst[6] = (int16_t)(src[i + 3] + input_offset);
        dst += 8;
    }
    for (; i < n; i++, dst += 2)
        dst[0] = (int16_t)(src[i] + input_offset);
}

void rt_opt_column_zero(uint32_t *cols, int32_t k, int j, int32_t k0, int32_t n)
{
    (void)k;
    int16_t *dst = (int16_t *)(void *)cols + 2 * k0 + j;
    for (int32_t i = 0; i < n; i++, dst += 2)
        dst[0] = 0;
}

void rt_opt_column_fill_pair(uint32_t *cols, int32_t k0, const int8_t *src0, const int8_t *src1, int32_t n,
                             int32_t input_offset)
{
    int16_t *dst = (int16_t *)(void *)cols + 2 * k0;
    for (int32_t i = 0; i < n; i++, dst += 2) {
        dst[0] = (int16_t)(src0[i] + input_offset);
        dst[1] = (int16_t)(src1[i] + input_offset);
    }
}


void rt_opt_mat_mult_s8(const struct rt_opt_mat_mult *mm, const uint32_t *cols, int8_t *out0, int8_t *out1)
{
    const int16_t *col = (const int16_t *)(const void *)cols;
    const int32_t k = mm->k;
    const int32_t zp = mm->out.zp, lo = mm->out.lo, hi = mm->out.hi;
    for (int32_t c = 0; c < mm->out_c; c++) {
        const int8_t *w = mm->weights + c * k;
        /* Wrapping sums in uint32, as ref's rt_wrap_add. */
        uint32_t a0 = mm->bias ? (uint32_t)mm->bias[c] : 0, a1 = a0;
        const int16_t *x = col;
        int32_t i = 0;
        for (; i + 4 <= k; i += 4, x += 8) {
            int32_t q0 = w[i], q1 = w[i + 1], q2 = w[i + 2], q3 = w[i + 3];
            a0 += (uint32_t)(q0 * x[0]) + (uint32_t)(q1 * x[2]) + (uint32_t)(q2 * x[4]) + (uint32_t)(q3 * x[6]);
            a1 += (uint32_t)(q0 * x[1]) + (uint32_t)(q1 * x[3]) + (uint32_t)(q2 * x[5]) + (uint32_t)(q3 * x[7]);
        }
        for (; i < k; i++, x += 2) {
            int32_t q = w[i];
            a0 += (uint32_t)(q * x[0]);
            a1 += (uint32_t)(q * x[1]);
        }
        if (out1)
            out1[c] = (int8_t)rt_opt_requant((int32_t)a1, mm->multiplier[c], mm->shift[c], zp, lo, hi);
        out0[c] = (int8_t)rt_opt_requant((int32_t)a0, mm->multiplier[c], mm->shift[c], zp, lo, hi);
    }
}

#endif
