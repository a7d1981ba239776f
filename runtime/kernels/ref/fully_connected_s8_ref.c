/*
 * fully_connected_s8_ref.c — FULLY_CONNECTED, int8, per-tensor or
 * per-channel weights [out, in], int32 bias: TFLite's
 * reference_integer_ops::FullyConnected (and its per-channel variant).
 */
#include "ref_kernels.h"

static enum rt_status fully_connected_s8_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_fc_params *p = node->params;
    const int8_t *input = (const int8_t *)rt_node_input(tensors, node, 0)->data;
    const int8_t *weights = (const int8_t *)rt_node_input(tensors, node, 1)->data;
    const struct rt_tensor *bias_t = rt_node_input(tensors, node, 2);
    const int32_t *bias = bias_t ? (const int32_t *)(const void *)bias_t->data : NULL;
    int8_t *output = (int8_t *)rt_node_output(tensors, node, 0)->data;

    for (int32_t b = 0; b < p->batches; b++) {
        const int8_t *in_row = input + b * p->in_depth;
        for (int32_t o = 0; o < p->out_depth; o++) {
            const int8_t *w_row = weights + o * p->in_depth;
            int32_t acc = 0;
            for (int32_t i = 0; i < p->in_depth; i++)
                acc = rt_wrap_add(acc, (w_row[i] + p->filter_offset) * (in_row[i] + p->input_offset));
            if (bias)
                acc = rt_wrap_add(acc, bias[o]);
            int32_t c = p->per_channel ? o : 0;
            acc = rt_mul_by_quantized_multiplier(acc, p->multiplier[c], p->shift[c]);
            acc = rt_add_sat(acc, p->output_offset);
            output[b * p->out_depth + o] = (int8_t)rt_clamp(acc, p->act_min, p->act_max);
        }
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_fully_connected_s8_ref = {
    .name = "fully_connected_s8_ref", .op = TFLITE_OP_FULLY_CONNECTED, .type = TFLITE_TYPE_INT8,
    .invoke = fully_connected_s8_ref,
};
