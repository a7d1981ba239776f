/*
 * mean_s8_ref.c — MEAN int8 over any axes of a tensor of rank <= 4, as
 * TFLite Micro's reduce: sums go to an int32 scratch buffer (declared
 * through mean_s8_ref_scratch_size, one int32 per output), then either the
 * raw average with integer division (input and output quantized alike:
 * reference_ops::Mean) or a requantization with 1/count folded into the
 * multiplier (reference_ops::QuantizedMeanOrSum).
 */
#include <string.h>

#include "ref_kernels.h"

static uint32_t mean_s8_ref_scratch_size(const struct rt_tensor *tensors, const struct rt_node *node,
                                         const struct rt_target *target)
{
    (void)target;
    (void)tensors;
    const struct rt_mean_params *p = node->params;
    return (uint32_t)p->num_outputs * sizeof(int32_t);
}

static enum rt_status mean_s8_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_mean_params *p = node->params;
    const int8_t *input = (const int8_t *)rt_node_input(tensors, node, 0)->data;
    int8_t *output = (int8_t *)rt_node_output(tensors, node, 0)->data;
    int32_t *sums = node->scratch;
    memset(sums, 0, (size_t)p->num_outputs * sizeof(int32_t));

    int32_t i = 0;
    int32_t idx[4];
    for (idx[0] = 0; idx[0] < p->in_dims[0]; idx[0]++)
        for (idx[1] = 0; idx[1] < p->in_dims[1]; idx[1]++)
            for (idx[2] = 0; idx[2] < p->in_dims[2]; idx[2]++)
                for (idx[3] = 0; idx[3] < p->in_dims[3]; idx[3]++) {
                    int32_t o = 0;
                    for (int d = 0; d < 4; d++)
                        if (!p->reduced[d])
                            o = o * p->in_dims[d] + idx[d];
                    sums[o] = rt_wrap_add(sums[o], input[i++]);
                }

    for (int32_t o = 0; o < p->num_outputs; o++) {
        int32_t v;
        if (p->same_quantization) {
            v = sums[o] / p->num_elements_in_axis;
        } else {
            int32_t shifted = rt_wrap_sub(sums[o], (int32_t)((uint32_t)p->input_zero_point *
                                                              (uint32_t)p->num_elements_in_axis));
            v = rt_add_sat(rt_mul_by_quantized_multiplier(shifted, p->multiplier, p->shift), p->output_zero_point);
        }
        output[o] = (int8_t)rt_clamp(v, -128, 127);
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_mean_s8_ref = {
    .name = "mean_s8_ref", .op = TFLITE_OP_MEAN, .type = TFLITE_TYPE_INT8,
    .scratch_size = mean_s8_ref_scratch_size, .invoke = mean_s8_ref,
};

/* SUM: the same sums, rescaled without the 1/count (op_shape.c's prepare). */
const struct rt_kernel rt_kernel_sum_s8_ref = {
    .name = "sum_s8_ref", .op = TFLITE_OP_SUM, .type = TFLITE_TYPE_INT8,
    .scratch_size = mean_s8_ref_scratch_size, .invoke = mean_s8_ref,
};
