/*
 * quantize_s8_s8_ref.c — QUANTIZE int8 -> int8 (requantization to another
 * scale/zero point): TFLite's reference_ops::Requantize.
 */
#include "ref_kernels.h"

static enum rt_status quantize_s8_s8_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_quantize_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    const int8_t *input = (const int8_t *)in->data;
    int8_t *output = (int8_t *)rt_node_output(tensors, node, 0)->data;
    const uint32_t n = rt_tensor_elements(in);
    for (uint32_t i = 0; i < n; i++) {
        int32_t v = rt_mul_by_quantized_multiplier(input[i] - p->input_zero_point, p->multiplier, p->shift);
        output[i] = (int8_t)rt_clamp(rt_add_sat(v, p->zero_point), -128, 127);
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_quantize_s8_s8_ref = {
    .name = "quantize_s8_s8_ref", .op = TFLITE_OP_QUANTIZE, .type = TFLITE_TYPE_INT8,
    .invoke = quantize_s8_s8_ref,
};
