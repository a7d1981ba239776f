/*
 * softmax_s8_ref.c — SOFTMAX int8 -> int8: TFLite's reference_ops::Softmax
 * fixed-point path (what TFLite Micro runs).  Per row: differences to the
 * row maximum are rescaled into Q5, exponentiated with gemmlowp's
 * exp_on_negative_values, summed in Q12, and each exp is multiplied by the
 * fixed-point reciprocal of the sum.  Differences below diff_min give -128.
 */
#include "ref_kernels.h"

static int count_leading_zeros(uint32_t x)
{
    return x ? __builtin_clz(x) : 32;
}

/* 1/x for x in Q(integer_digits), as TFLite's GetReciprocal: returns the
 * reciprocal in Q0 scaled by 2^-num_bits_over_unit. */
static int32_t reciprocal(int32_t x, int integer_digits, int *num_bits_over_unit)
{
    int headroom_plus_one = count_leading_zeros((uint32_t)x);
    *num_bits_over_unit = integer_digits - headroom_plus_one;
    int32_t shifted_minus_one = (int32_t)(((uint32_t)x << headroom_plus_one) - ((uint32_t)1 << 31));
    return rt_fp_one_over_one_plus_x(shifted_minus_one);
}

static enum rt_status softmax_s8_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_softmax_params *p = node->params;
    const int8_t *input = (const int8_t *)rt_node_input(tensors, node, 0)->data;
    int8_t *output = (int8_t *)rt_node_output(tensors, node, 0)->data;
    const int scaled_diff_integer_bits = 5, accumulation_integer_bits = 12;

    for (int32_t row = 0; row < p->outer; row++) {
        const int8_t *in = input + row * p->depth;
        int8_t *out = output + row * p->depth;
        int32_t max_in_row = -128;
        for (int32_t c = 0; c < p->depth; c++)
            max_in_row = in[c] > max_in_row ? in[c] : max_in_row;

        int32_t sum_of_exps = 0; /* Q12 */
        for (int32_t c = 0; c < p->depth; c++) {
            int32_t diff = in[c] - max_in_row;
            if (diff >= p->diff_min) {
                int32_t scaled = rt_mul_by_quantized_multiplier(diff, p->input_multiplier, p->input_left_shift);
                int32_t e = rt_fp_exp_on_negative_values(scaled, scaled_diff_integer_bits);
                sum_of_exps = rt_wrap_add(sum_of_exps, rt_rdbpot(e, accumulation_integer_bits)); /* Q0 -> Q12 */
            }
        }

        int num_bits_over_unit;
        int32_t shifted_scale = reciprocal(sum_of_exps, accumulation_integer_bits, &num_bits_over_unit);
        /* In range for any row of up to 2048 elements; the clamp only keeps
         * a hostile model's overflowed sum from shifting by 32 or more. */
        int exponent = num_bits_over_unit + 31 - 8;
        exponent = exponent < 0 ? 0 : (exponent > 31 ? 31 : exponent);

        for (int32_t c = 0; c < p->depth; c++) {
            int32_t diff = in[c] - max_in_row;
            if (diff >= p->diff_min) {
                int32_t scaled = rt_mul_by_quantized_multiplier(diff, p->input_multiplier, p->input_left_shift);
                int32_t e = rt_fp_exp_on_negative_values(scaled, scaled_diff_integer_bits);
                int32_t unsat = rt_rdbpot(rt_srdhm(shifted_scale, e), exponent);
                out[c] = (int8_t)rt_clamp(unsat - 128, -128, 127);
            } else {
                out[c] = -128;
            }
        }
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_softmax_s8_ref = {
    .name = "softmax_s8_ref", .op = TFLITE_OP_SOFTMAX, .type = TFLITE_TYPE_INT8, .invoke = softmax_s8_ref,
};
