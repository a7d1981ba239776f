/*
 * quantize_f32_s8_ref.c — QUANTIZE float32 -> int8 or int16: TFLite's
 * reference_ops::AffineQuantize, q = clamp(round(x / scale) + zero_point).
 */
#include "ref_kernels.h"
#include "rt_quant.h"

static enum rt_status quantize_f32_s8_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_quantize_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    const float *input = (const float *)(const void *)in->data;
    struct rt_tensor *out = rt_node_output(tensors, node, 0);
    const uint32_t n = rt_tensor_elements(in);
    if (out->type == TFLITE_TYPE_INT16) {
        int16_t *output = (int16_t *)(void *)out->data;
        for (uint32_t i = 0; i < n; i++)
            output[i] = (int16_t)rt_clamp(rt_quantize_value(input[i], p->scale, p->zero_point), INT16_MIN, INT16_MAX);
        return RT_OK;
    }
    int8_t *output = (int8_t *)out->data;
    for (uint32_t i = 0; i < n; i++)
        output[i] = (int8_t)rt_clamp(rt_quantize_value(input[i], p->scale, p->zero_point), -128, 127);
    return RT_OK;
}

const struct rt_kernel rt_kernel_quantize_f32_s8_ref = {
    .name = "quantize_f32_s8_ref", .op = TFLITE_OP_QUANTIZE, .type = TFLITE_TYPE_FLOAT32,
    .invoke = quantize_f32_s8_ref,
};
