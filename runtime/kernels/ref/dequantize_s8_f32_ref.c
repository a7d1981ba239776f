/*
 * dequantize_s8_f32_ref.c — DEQUANTIZE int8 -> float32: TFLite's
 * reference_ops::Dequantize, x = (float)(scale * (q - zero_point)) in double.
 */
#include "ref_kernels.h"

static enum rt_status dequantize_s8_f32_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_quantize_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    const int8_t *input = (const int8_t *)in->data;
    float *output = (float *)(void *)rt_node_output(tensors, node, 0)->data;
    const uint32_t n = rt_tensor_elements(in);
    const double scale = p->scale;
    for (uint32_t i = 0; i < n; i++)
        output[i] = (float)(scale * (double)(input[i] - p->zero_point));
    return RT_OK;
}

const struct rt_kernel rt_kernel_dequantize_s8_f32_ref = {
    .name = "dequantize_s8_f32_ref", .op = TFLITE_OP_DEQUANTIZE, .type = TFLITE_TYPE_INT8,
    .invoke = dequantize_s8_f32_ref,
};
