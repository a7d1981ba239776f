/*
 * mul_s8_ref.c — MUL, int8, broadcasting, fused activation: TFLite's
 * reference_integer_ops::Mul (product of the offset inputs rescaled once).
 */
#include "ref_kernels.h"

static enum rt_status mul_s8_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_mul_params *p = node->params;
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
                    int32_t product = (in1[i1] + p->input1_offset) * (in2[i2] + p->input2_offset);
                    int32_t v = rt_add_sat(p->output_offset,
                                           rt_mul_by_quantized_multiplier(product, p->output_multiplier, p->output_shift));
                    out[i++] = (int8_t)rt_clamp(v, p->act_min, p->act_max);
                }
    return RT_OK;
}

const struct rt_kernel rt_kernel_mul_s8_ref = {
    .name = "mul_s8_ref", .op = TFLITE_OP_MUL, .type = TFLITE_TYPE_INT8, .invoke = mul_s8_ref,
};
