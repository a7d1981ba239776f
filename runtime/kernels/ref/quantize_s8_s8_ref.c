/*
 * quantize_s8_s8_ref.c — QUANTIZE int8 or int16 -> int8, int16 or int32
 * (requantization to another scale and zero point): TFLite's
 * reference_ops::Requantize.
 */
#include "ref_kernels.h"

static enum rt_status requantize_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_quantize_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    struct rt_tensor *out = rt_node_output(tensors, node, 0);
    const bool wide_in = in->type == TFLITE_TYPE_INT16;
    const int32_t lo = out->type == TFLITE_TYPE_INT8 ? INT8_MIN : out->type == TFLITE_TYPE_INT16 ? INT16_MIN : INT32_MIN;
    const int32_t hi = out->type == TFLITE_TYPE_INT8 ? INT8_MAX : out->type == TFLITE_TYPE_INT16 ? INT16_MAX : INT32_MAX;
    const uint32_t n = rt_tensor_elements(in);
    for (uint32_t i = 0; i < n; i++) {
        const int32_t x = wide_in ? ((const int16_t *)(const void *)in->data)[i] : ((const int8_t *)in->data)[i];
        int32_t v = rt_mul_by_quantized_multiplier(x - p->input_zero_point, p->multiplier, p->shift);
        v = rt_clamp(rt_add_sat(v, p->zero_point), lo, hi);
        if (out->type == TFLITE_TYPE_INT8)
            ((int8_t *)out->data)[i] = (int8_t)v;
        else if (out->type == TFLITE_TYPE_INT16)
            ((int16_t *)(void *)out->data)[i] = (int16_t)v;
        else
            ((int32_t *)(void *)out->data)[i] = v;
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_quantize_s8_s8_ref = {
    .name = "quantize_s8_s8_ref", .op = TFLITE_OP_QUANTIZE, .type = TFLITE_TYPE_INT8, .invoke = requantize_ref,
};
const struct rt_kernel rt_kernel_quantize_s16_ref = {
    .name = "quantize_s16_ref", .op = TFLITE_OP_QUANTIZE, .type = TFLITE_TYPE_INT16, .invoke = requantize_ref,
};
