/*
 * dequantize_s8_f32_ref.c — DEQUANTIZE int8 or int16 -> float32: TFLite's
 * reference_ops::Dequantize, x = (float)(scale * (q - zero_point)) in double.
 */
#include "ref_kernels.h"

static enum rt_status dequantize_s8_f32_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_quantize_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    float *output = (float *)(void *)rt_node_output(tensors, node, 0)->data;
    const uint32_t n = rt_tensor_elements(in);
    const double scale = p->scale;
    const bool wide = in->type == TFLITE_TYPE_INT16;
    for (uint32_t i = 0; i < n; i++) {
        const int32_t q = wide ? ((const int16_t *)(const void *)in->data)[i] : ((const int8_t *)in->data)[i];
        output[i] = (float)(scale * (double)(q - p->zero_point));
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_dequantize_s8_f32_ref = {
    .name = "dequantize_s8_f32_ref", .op = TFLITE_OP_DEQUANTIZE, .type = TFLITE_TYPE_INT8,
    .invoke = dequantize_s8_f32_ref,
};
const struct rt_kernel rt_kernel_dequantize_s16_f32_ref = {
    .name = "dequantize_s16_f32_ref", .op = TFLITE_OP_DEQUANTIZE, .type = TFLITE_TYPE_INT16,
    .invoke = dequantize_s8_f32_ref,
};
