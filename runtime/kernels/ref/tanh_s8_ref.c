/*
 * tanh_s8_ref.c — TANH int8 (output 1/128, 0): TFLite's
 * reference_integer_ops::Tanh, via gemmlowp's fixed-point tanh on Q4.
 */
#include "ref_kernels.h"

static enum rt_status tanh_s8_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_sigmoid_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    const int8_t *input = (const int8_t *)in->data;
    int8_t *output = (int8_t *)rt_node_output(tensors, node, 0)->data;
    const uint32_t n = rt_tensor_elements(in);
    for (uint32_t i = 0; i < n; i++) {
        const int32_t x = input[i] - p->input_zero_point;
        if (x <= -p->input_range_radius) {
            output[i] = -128;
        } else if (x >= p->input_range_radius) {
            output[i] = 127;
        } else {
            int32_t x_q4 = rt_mul_by_quantized_multiplier(x, p->input_multiplier, p->input_left_shift);
            int32_t y_q0 = rt_fp_tanh(x_q4, 4);
            output[i] = (int8_t)rt_clamp(rt_rdbpot(y_q0, 31 - 7), -128, 127);
        }
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_tanh_s8_ref = {
    .name = "tanh_s8_ref", .op = TFLITE_OP_TANH, .type = TFLITE_TYPE_INT8, .invoke = tanh_s8_ref,
};
