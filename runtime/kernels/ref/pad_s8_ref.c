/*
 * pad_s8_ref.c — PAD int8 up to 4-D, padding with the output zero point
 * (the quantized 0.0), as TFLite's reference_ops::Pad does for int8.
 */
#include "ref_kernels.h"

static enum rt_status pad_s8_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_pad_params *p = node->params;
    const int8_t *input = (const int8_t *)rt_node_input(tensors, node, 0)->data;
    int8_t *out = (int8_t *)rt_node_output(tensors, node, 0)->data;
    int32_t o = 0;
    for (int32_t d0 = 0; d0 < p->out_dims[0]; d0++)
        for (int32_t d1 = 0; d1 < p->out_dims[1]; d1++)
            for (int32_t d2 = 0; d2 < p->out_dims[2]; d2++)
                for (int32_t d3 = 0; d3 < p->out_dims[3]; d3++) {
                    const int32_t i0 = d0 - p->before[0], i1 = d1 - p->before[1];
                    const int32_t i2 = d2 - p->before[2], i3 = d3 - p->before[3];
                    const bool inside = i0 >= 0 && i0 < p->in_dims[0] && i1 >= 0 && i1 < p->in_dims[1] &&
                                        i2 >= 0 && i2 < p->in_dims[2] && i3 >= 0 && i3 < p->in_dims[3];
                    out[o++] = inside ? input[((i0 * p->in_dims[1] + i1) * p->in_dims[2] + i2) * p->in_dims[3] + i3]
                                      : (int8_t)p->pad_value;
                }
    return RT_OK;
}

const struct rt_kernel rt_kernel_pad_s8_ref = {
    .name = "pad_s8_ref", .op = TFLITE_OP_PAD, .type = TFLITE_TYPE_INT8, .invoke = pad_s8_ref,
};
