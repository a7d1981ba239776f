/*
 * unary_ref.c — ABS (int8, int16, float32), NEG, SQUARE, CEIL, FLOOR and
 * ROUND (float32) and ZEROS_LIKE (any type), as TFLite Micro's elementwise,
 * ceil, floor and round kernels (ROUND rounds half to even): quantized
 * ABS takes |q - zero point|, rescales it when the scales differ, adds the
 * output zero point and saturates.
 */
#include <string.h>

#include "ref_kernels.h"

/* floorf (up = false) or ceilf (up = true) without the C library, which
 * the runtime does not link: the same value and the same sign of zero. */
static float integral(float x, bool up)
{
    if (!(x > -8388608.0f && x < 8388608.0f)) /* integral already, or NaN, or infinite */
        return x;
    float t = (float)(int32_t)x; /* toward zero */
    if (up ? t < x : t > x)
        t += up ? 1.0f : -1.0f;
    if (t == 0.0f && (x < 0.0f || (x == 0.0f && 1.0f / x < 0.0f)))
        t = -0.0f;
    return t;
}

/* TFLite's reference_ops::Round: to the nearest, ties to even. */
static float round_half_even(float v)
{
    const float f = integral(v, false), diff = v - f;
    return diff < 0.5f || (diff == 0.5f && (int)f % 2 == 0) ? f : f + 1.0f;
}

static float float_unary(int32_t op, float x)
{
    switch (op) {
    case TFLITE_OP_ABS: return x < 0.0f ? -x : x;
    case TFLITE_OP_NEG: return -x;
    case TFLITE_OP_SQUARE: return x * x;
    case TFLITE_OP_CEIL: return integral(x, true);
    case TFLITE_OP_FLOOR: return integral(x, false);
    default: return round_half_even(x); /* ROUND */
    }
}

static enum rt_status unary_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_relu_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    struct rt_tensor *out = rt_node_output(tensors, node, 0);
    const uint32_t n = rt_tensor_elements(in);
    if (node->op == TFLITE_OP_ZEROS_LIKE) {
        memset(out->data, 0, out->bytes);
        return RT_OK;
    }
    if (in->type == TFLITE_TYPE_FLOAT32) {
        const float *x = (const float *)(const void *)in->data;
        float *y = (float *)(void *)out->data;
        for (uint32_t i = 0; i < n; i++)
            y[i] = float_unary(node->op, x[i]);
        return RT_OK;
    }
    const bool wide = in->type == TFLITE_TYPE_INT16;
    const int32_t lo = wide ? INT16_MIN : INT8_MIN, hi = wide ? INT16_MAX : INT8_MAX;
    for (uint32_t i = 0; i < n; i++) {
        int32_t v = wide ? ((const int16_t *)(const void *)in->data)[i] : ((const int8_t *)in->data)[i];
        v -= p->input_zero_point;
        v = v < 0 ? -v : v;
        if (p->act_max)
            v = rt_mul_by_quantized_multiplier(v, p->multiplier, p->shift);
        v = rt_clamp(v + p->output_zero_point, lo, hi);
        if (wide)
            ((int16_t *)(void *)out->data)[i] = (int16_t)v;
        else
            ((int8_t *)out->data)[i] = (int8_t)v;
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_abs_ref = {
    .name = "abs_ref", .op = TFLITE_OP_ABS, .type = RT_TYPE_ANY, .invoke = unary_ref,
};
const struct rt_kernel rt_kernel_neg_f32_ref = {
    .name = "neg_f32_ref", .op = TFLITE_OP_NEG, .type = TFLITE_TYPE_FLOAT32, .invoke = unary_ref,
};
const struct rt_kernel rt_kernel_square_f32_ref = {
    .name = "square_f32_ref", .op = TFLITE_OP_SQUARE, .type = TFLITE_TYPE_FLOAT32, .invoke = unary_ref,
};
const struct rt_kernel rt_kernel_zeros_like_ref = {
    .name = "zeros_like_ref", .op = TFLITE_OP_ZEROS_LIKE, .type = RT_TYPE_ANY, .invoke = unary_ref,
};
const struct rt_kernel rt_kernel_ceil_f32_ref = {
    .name = "ceil_f32_ref", .op = TFLITE_OP_CEIL, .type = TFLITE_TYPE_FLOAT32, .invoke = unary_ref,
};
const struct rt_kernel rt_kernel_floor_f32_ref = {
    .name = "floor_f32_ref", .op = TFLITE_OP_FLOOR, .type = TFLITE_TYPE_FLOAT32, .invoke = unary_ref,
};
const struct rt_kernel rt_kernel_round_f32_ref = {
    .name = "round_f32_ref", .op = TFLITE_OP_ROUND, .type = TFLITE_TYPE_FLOAT32, .invoke = unary_ref,
};
