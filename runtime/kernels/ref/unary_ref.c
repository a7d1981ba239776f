/*
 * unary_ref.c — ABS (int8, int16, float32), NEG and SQUARE (float32) and
 * ZEROS_LIKE (any type), as TFLite Micro's elementwise kernels: quantized
 * ABS takes |q - zero point|, rescales it when the scales differ, adds the
 * output zero point and saturates.
 */
#include <string.h>

#include "ref_kernels.h"

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
            y[i] = node->op == TFLITE_OP_ABS ? (x[i] < 0.0f ? -x[i] : x[i])
                   : node->op == TFLITE_OP_NEG ? -x[i]
                                               : x[i] * x[i];
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
