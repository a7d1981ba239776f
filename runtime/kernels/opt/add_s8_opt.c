/*
 * add_s8_opt.c — ADD int8 of two tensors of the same shape (ResNet's
 * shortcut additions), with different input scales and a fused
 * activation.  Bit-identical to add_s8_ref.c, which is TFLite's
 * reference_integer_ops::Add: each input is offset, shifted left by 20,
 * rescaled by rt_mul_by_quantized_multiplier, the two are summed, and the
 * sum rescaled to the output.
 *
 * ref pays three 64-bit multiply-round-shift sequences per element.  Here
 * each rescaling is exact in three instructions: for |x| small enough that
 * x << L fits in int32 (L = max(0, shift + 2)),
 *     ref(x, m, shift) = (high word of (x << L) * m + 2^(n-1)) >> n,
 *     n = max(1, -shift - 1),
 * one SMMLA and one arithmetic shift (see rescale_init for why), and the
 * input offset and the shift by 20 are one multiply-accumulate.  Inputs are
 * at most 255 << 20 in magnitude and their rescaled sum below 2^29, which
 * bounds L; the wrapper checks the shifts allow it and leaves other
 * layers, and broadcasting, to ref.  No scratch.
 */
#include "opt_kernels.h"

/* ref's rt_mul_by_quantized_multiplier(x, m, shift) for |x| < limit. */
struct rescale {
    int32_t L, m, R, n;
};

/* Why the formula is exact.  ref computes floor((x * m + 2^(t-1)) / 2^t)
 * with t = 31 - shift.  With y = x * 2^L, L = max(0, 33 - t), and
 * p = y * m = x * m * 2^L, take n = t + L - 32 (= max(1, t - 32)):
 *   floor((x * m + 2^(t-1)) / 2^t) = floor((p + 2^(t+L-1)) / 2^(t+L))
 *                                  = floor((floor(p / 2^32) + 2^(n-1)) / 2^n)
 * because 2^(t+L-1) = 2^32 * 2^(n-1) is a multiple of 2^32 (t + L >= 33)
 * and nested floor divisions by powers of two compose.  floor(p / 2^32)
 * is SMMUL's result; adding 2^(n-1) with it is SMMLA.  Nothing saturates:
 * |y| < 2^31 and m < 2^31, so the high word is below 2^30.  Returns false
 * when y could overflow. */
static bool rescale_init(struct rescale *r, int32_t m, int32_t shift, int32_t limit_log2)
{
    const int32_t t = 31 - shift;
    r->L = t < 33 ? 33 - t : 0;
    if (limit_log2 + r->L > 31)
        return false;
    r->m = m;
    r->n = t + r->L - 32;
    r->R = (int32_t)1 << (r->n - 1);
    return true;
}

struct add_plan {
    struct rescale s1, s2, out;
    int32_t off1, off2;      /* input offsets */
    bool table1, table2;     /* input k rescaled through a table (else it is (in + offset) << 19) */
    bool folded;             /* zero point in out.R, bounds [-128, 127]: SSAT */
    int32_t zp, lo, hi;
};

/* Input k's rescaling is (in + offset) << 19 exactly when its multiplier
 * is 1/2 (m = 2^30, shift 0: the input with the larger scale always has
 * it): y = (in + offset) << 22 and (y * 2^30 / 2^32 + 1) >> 1 = y >> 3,
 * y >> 2 being even.  Otherwise a 256-entry table of the exact values. */
static bool is_half(int32_t m, int32_t shift)
{
    return m == (int32_t)1 << 30 && shift == 0;
}

static bool plan(struct add_plan *a, const struct rt_add_params *p)
{
#ifdef RT_DOUBLE_ROUNDING
    return false;
#endif
    if (p->left_shift != 20)
        return false;
    /* |(in + offset) << 20| <= 255 << 20 < 2^28; each rescaled input is
     * below 2^28 (the input multipliers are at most 1/2), the sum below 2^29. */
    if (!rescale_init(&a->s1, p->input1_multiplier, p->input1_shift, 28) ||
        !rescale_init(&a->s2, p->input2_multiplier, p->input2_shift, 28) ||
        !rescale_init(&a->out, p->output_multiplier, p->output_shift, 29) || p->input1_shift > 0 ||
        p->input2_shift > 0)
        return false;
    a->off1 = p->input1_offset;
    a->off2 = p->input2_offset;
    a->table1 = !is_half(p->input1_multiplier, p->input1_shift);
    a->table2 = !is_half(p->input2_multiplier, p->input2_shift);
    a->zp = p->output_offset;
    a->lo = p->act_min;
    a->hi = p->act_max;
    /* Folding the zero point into the rounding term (see
     * depthwise_conv_3x3_s8_opt.c's group_params) needs n <= 21. */
    a->folded = a->out.n <= 21 && a->lo == -128 && a->hi == 127;
    if (a->folded)
        a->out.R += (int32_t)((uint32_t)a->zp << a->out.n);
    return true;
}

/* ref's rescaled value of every int8 input value v, at table[v + 128]. */
static void fill_table(int32_t *table, const struct rescale *r, int32_t offset)
{
    for (int32_t v = -128; v < 128; v++) {
        const int32_t y = (int32_t)((uint32_t)(v + offset) << (20 + r->L));
        table[v + 128] = rt_smmla(y, r->m, r->R) >> r->n;
    }
}

/* Whether the fast arithmetic applies and the shapes need no broadcast. */
bool rt_opt_add_fits(const struct rt_tensor *tensors, const struct rt_node *node)
{
    struct add_plan a;
    const struct rt_tensor *in1 = &tensors[node->inputs[0]], *in2 = &tensors[node->inputs[1]];
    const struct rt_tensor *out = &tensors[node->outputs[0]];
    return plan(&a, node->params) && in1->bytes == out->bytes && in2->bytes == out->bytes;
}

static uint32_t add_s8_opt_scratch(const struct rt_tensor *tensors, const struct rt_node *node,
                                   const struct rt_target *target)
{
    (void)target;
    (void)tensors;
    struct add_plan a;
    if (!plan(&a, node->params))
        return 0;
    return 1024u * ((uint32_t)a.table1 + (uint32_t)a.table2);
}

/* The element loop; called with constant flags so that each combination
 * compiles to a loop without tests. */
static inline __attribute__((always_inline)) void add_loop(const struct add_plan *a, const int8_t *in1,
                                                           const int8_t *in2, const int32_t *t1, const int32_t *t2,
                                                           int8_t *out, uint32_t n, bool tab1, bool tab2, bool folded)
{
    const int32_t off1 = a->off1, off2 = a->off2, m = a->out.m, R = a->out.R, sh = a->out.n, ol = a->out.L;
    for (uint32_t i = 0; i < n; i++) {
        const int32_t s1 = tab1 ? t1[in1[i] + 128] : (int32_t)((uint32_t)(in1[i] + off1) << 19);
        const int32_t s2 = tab2 ? t2[in2[i] + 128] : (int32_t)((uint32_t)(in2[i] + off2) << 19);
        const int32_t sum = (int32_t)((uint32_t)(s1 + s2) << ol);
        const int32_t v = rt_smmla(sum, m, R) >> sh;
        out[i] = (int8_t)(folded ? rt_ssat8(v) : rt_opt_clamp(v + a->zp, a->lo, a->hi));
    }
}

static enum rt_status add_s8_opt(struct rt_tensor *tensors, const struct rt_node *node)
{
    struct add_plan a;
    if (!plan(&a, node->params))
        return RT_BAD_ARG; /* the wrapper chose this kernel only when plan() holds */
    const int8_t *in1 = (const int8_t *)tensors[node->inputs[0]].data;
    const int8_t *in2 = (const int8_t *)tensors[node->inputs[1]].data;
    const struct rt_tensor *out_t = &tensors[node->outputs[0]];
    int8_t *out = (int8_t *)out_t->data;
    const uint32_t n = out_t->bytes;
    /* No arithmetic on t1 when there is no scratch (NULL + 0 is undefined). */
    int32_t *t1 = node->scratch, *t2 = a.table1 ? t1 + 256 : t1;
    if (a.table1)
        fill_table(t1, &a.s1, a.off1);
    if (a.table2)
        fill_table(t2, &a.s2, a.off2);
    /* Let input 1 be the one with a table, if only one has. */
    if (!a.table1 && a.table2) {
        const int8_t *tmp = in1;
        in1 = in2;
        in2 = tmp;
        t1 = t2;
        a.off2 = a.off1;
        a.table1 = true;
        a.table2 = false;
    }
    if (!a.table1)
        a.folded ? add_loop(&a, in1, in2, NULL, NULL, out, n, false, false, true)
                 : add_loop(&a, in1, in2, NULL, NULL, out, n, false, false, false);
    else if (!a.table2)
        a.folded ? add_loop(&a, in1, in2, t1, NULL, out, n, true, false, true)
                 : add_loop(&a, in1, in2, t1, NULL, out, n, true, false, false);
    else
        a.folded ? add_loop(&a, in1, in2, t1, t2, out, n, true, true, true)
                 : add_loop(&a, in1, in2, t1, t2, out, n, true, true, false);
    return RT_OK;
}

const struct rt_kernel rt_kernel_add_s8_opt = {
    .name = "add_s8_opt", .op = TFLITE_OP_ADD, .type = TFLITE_TYPE_INT8,
    .scratch_size = add_s8_opt_scratch, .invoke = add_s8_opt,
};
