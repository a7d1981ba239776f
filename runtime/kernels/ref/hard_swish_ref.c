/*
 * hard_swish_ref.c — HARD_SWISH, x * relu6(x + 3) / 6, for int8 and
 * float32 as TFLite's reference_ops::HardSwish computes it: int8 in 16-bit
 * fixed point (the input at 2^7 times its resolution, a "reluish" factor
 * in [0, 1] as Q0.15, their high product rescaled to the output).
 */
#include "ref_kernels.h"

/* gemmlowp's 16-bit SaturatingRoundingDoublingHighMul. */
static int16_t srdhm16(int16_t a, int16_t b)
{
    if (a == b && a == INT16_MIN)
        return INT16_MAX;
    int32_t ab = (int32_t)a * (int32_t)b;
    int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
    return (int16_t)((ab + nudge) / (1 << 15));
}

/* hard_swish.h's non-rounding SaturatingDoublingHighMul. */
static int16_t sdhm16(int16_t a, int16_t b)
{
    if (a == b && a == INT16_MIN)
        return INT16_MAX;
    return (int16_t)(((int32_t)a * (int32_t)b) / (1 << 15));
}

/* gemmlowp's RoundingDivideByPOT on 16 bits. */
static int16_t rdbpot16(int16_t x, int exponent)
{
    int32_t mask = (1 << exponent) - 1;
    int32_t remainder = x & mask;
    int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (int16_t)((x >> exponent) + (remainder > threshold ? 1 : 0));
}

static int16_t sat_shift_left16(int16_t x, int amount)
{
    int64_t r = (int64_t)x * ((int64_t)1 << amount);
    return (int16_t)(r > INT16_MAX ? INT16_MAX : r < INT16_MIN ? INT16_MIN : r);
}

static enum rt_status hard_swish_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_relu_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    struct rt_tensor *out = rt_node_output(tensors, node, 0);
    uint32_t n = rt_tensor_elements(in);
    if (in->type == TFLITE_TYPE_FLOAT32) {
        const float *x = (const float *)(const void *)in->data;
        float *y = (float *)(void *)out->data;
        for (uint32_t i = 0; i < n; i++) {
            float r = x[i] + 3.0f;
            r = r < 0.0f ? 0.0f : r;
            r = r > 6.0f ? 6.0f : r;
            y[i] = x[i] * r / 6.0f;
        }
        return RT_OK;
    }
    const int8_t *x = (const int8_t *)in->data;
    int8_t *y = (int8_t *)out->data;
    for (uint32_t i = 0; i < n; i++) {
        const int16_t value = (int16_t)(x[i] - p->input_zero_point);
        const int16_t hires = (int16_t)(value * (1 << 7));
        const int16_t preshift = srdhm16(hires, p->hs_output_multiplier);
        int16_t reluish = hires;
        if (p->hs_reluish_exponent > 0)
            reluish = sat_shift_left16(reluish, p->hs_reluish_exponent - 1);
        reluish = srdhm16(reluish, p->hs_reluish_multiplier);
        if (p->hs_reluish_exponent > 0)
            reluish = sat_shift_left16(reluish, 1);
        if (p->hs_reluish_exponent < 0)
            reluish = rdbpot16(reluish, -p->hs_reluish_exponent);
        reluish = (int16_t)((reluish + (1 << 15)) >> 1);
        int16_t v = rdbpot16(sdhm16(reluish, preshift), -p->hs_output_exponent);
        int32_t o = (int16_t)(v + p->output_zero_point);
        y[i] = (int8_t)rt_clamp(o, INT8_MIN, INT8_MAX);
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_hard_swish_s8_ref = {
    .name = "hard_swish_s8_ref", .op = TFLITE_OP_HARD_SWISH, .type = TFLITE_TYPE_INT8, .invoke = hard_swish_ref,
};
const struct rt_kernel rt_kernel_hard_swish_f32_ref = {
    .name = "hard_swish_f32_ref", .op = TFLITE_OP_HARD_SWISH, .type = TFLITE_TYPE_FLOAT32, .invoke = hard_swish_ref,
};
