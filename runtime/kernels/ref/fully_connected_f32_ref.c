/*
 * fully_connected_f32_ref.c — FULLY_CONNECTED in float32, as TFLite's
 * reference_ops::FullyConnected: a plain dot product in input order, bias
 * added after, then the fused activation's clamp.
 */
#include "ref_kernels.h"

static enum rt_status fully_connected_f32_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_fc_params *p = node->params;
    const float *input = (const float *)(const void *)rt_node_input(tensors, node, 0)->data;
    const float *weights = (const float *)(const void *)rt_node_input(tensors, node, 1)->data;
    const struct rt_tensor *bias_t = rt_node_input(tensors, node, 2);
    const float *bias = bias_t ? (const float *)(const void *)bias_t->data : NULL;
    float *output = (float *)(void *)rt_node_output(tensors, node, 0)->data;

    for (int32_t b = 0; b < p->batches; b++) {
        for (int32_t o = 0; o < p->out_depth; o++) {
            float total = 0.0f;
            for (int32_t i = 0; i < p->in_depth; i++)
                total += input[b * p->in_depth + i] * weights[o * p->in_depth + i];
            float value = total + (bias ? bias[o] : 0.0f);
            value = value < p->act_min_f ? p->act_min_f : (value > p->act_max_f ? p->act_max_f : value);
            output[b * p->out_depth + o] = value;
        }
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_fully_connected_f32_ref = {
    .name = "fully_connected_f32_ref", .op = TFLITE_OP_FULLY_CONNECTED, .type = TFLITE_TYPE_FLOAT32,
    .invoke = fully_connected_f32_ref,
};
