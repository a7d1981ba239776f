/*
 * add_s8_ref.c — ADD, int8 with different input scales, broadcasting, fused
 * activation: TFLite's reference_integer_ops::Add.  Both inputs are shifted
 * left by 20 bits, rescaled to twice the larger input scale, summed, and
 * the sum rescaled to the output.
 */
#include "ref_kernels.h"

static int8_t add_one(const struct rt_add_params *p, int8_t a, int8_t b)
{
    const int32_t shifted1 = (a + p->input1_offset) * (1 << p->left_shift);
    const int32_t shifted2 = (b + p->input2_offset) * (1 << p->left_shift);
    const int32_t scaled1 = rt_mul_by_quantized_multiplier(shifted1, p->input1_multiplier, p->input1_shift);
    const int32_t scaled2 = rt_mul_by_quantized_multiplier(shifted2, p->input2_multiplier, p->input2_shift);
    const int32_t raw_sum = rt_add_sat(scaled1, scaled2);
    const int32_t raw_output =
        rt_add_sat(rt_mul_by_quantized_multiplier(raw_sum, p->output_multiplier, p->output_shift), p->output_offset);
    return (int8_t)rt_clamp(raw_output, p->act_min, p->act_max);
}

static enum rt_status add_s8_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_add_params *p = node->params;
    const int8_t *in1 = (const int8_t *)rt_node_input(tensors, node, 0)->data;
    const int8_t *in2 = (const int8_t *)rt_node_input(tensors, node, 1)->data;
    int8_t *out = (int8_t *)rt_node_output(tensors, node, 0)->data;
    const struct rt_broadcast *bc = &p->bc;
    int32_t i = 0;
    for (int32_t d0 = 0; d0 < bc->out_dims[0]; d0++)
        for (int32_t d1 = 0; d1 < bc->out_dims[1]; d1++)
            for (int32_t d2 = 0; d2 < bc->out_dims[2]; d2++)
                for (int32_t d3 = 0; d3 < bc->out_dims[3]; d3++) {
                    int32_t i1 = d0 * bc->in1_strides[0] + d1 * bc->in1_strides[1] + d2 * bc->in1_strides[2] +
                                 d3 * bc->in1_strides[3];
                    int32_t i2 = d0 * bc->in2_strides[0] + d1 * bc->in2_strides[1] + d2 * bc->in2_strides[2] +
                                 d3 * bc->in2_strides[3];
                    out[i++] = add_one(p, in1[i1], in2[i2]);
                }
    return RT_OK;
}

const struct rt_kernel rt_kernel_add_s8_ref = {
    .name = "add_s8_ref", .op = TFLITE_OP_ADD, .type = TFLITE_TYPE_INT8, .invoke = add_s8_ref,
};
