/*
 * reduce_min_max_ref.c — REDUCE_MAX and REDUCE_MIN over any axes of a
 * tensor of rank <= 4, int8 (raw values: input and output quantized alike)
 * and float32, as TFLite's ReduceGeneric: every output starts at the
 * type's lowest (max) or highest (min) value.
 */
#include "ref_kernels.h"

static enum rt_status reduce_min_max_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_mean_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    struct rt_tensor *out = rt_node_output(tensors, node, 0);
    const bool is_float = in->type == TFLITE_TYPE_FLOAT32, max = node->op == TFLITE_OP_REDUCE_MAX;
    const float *fin = (const float *)(const void *)in->data;
    float *fout = (float *)(void *)out->data;
    const int8_t *qin = (const int8_t *)in->data;
    int8_t *qout = (int8_t *)out->data;
    for (int32_t o = 0; o < p->num_outputs; o++) {
        if (is_float)
            fout[o] = max ? -3.402823466e+38f : 3.402823466e+38f;
        else
            qout[o] = max ? INT8_MIN : INT8_MAX;
    }
    int32_t i = 0, idx[4];
    for (idx[0] = 0; idx[0] < p->in_dims[0]; idx[0]++)
        for (idx[1] = 0; idx[1] < p->in_dims[1]; idx[1]++)
            for (idx[2] = 0; idx[2] < p->in_dims[2]; idx[2]++)
                for (idx[3] = 0; idx[3] < p->in_dims[3]; idx[3]++, i++) {
                    int32_t o = 0;
                    for (int d = 0; d < 4; d++)
                        if (!p->reduced[d])
                            o = o * p->in_dims[d] + idx[d];
                    if (is_float) {
                        if (max ? fin[i] > fout[o] : fin[i] < fout[o])
                            fout[o] = fin[i];
                    } else if (max ? qin[i] > qout[o] : qin[i] < qout[o]) {
                        qout[o] = qin[i];
                    }
                }
    return RT_OK;
}

const struct rt_kernel rt_kernel_reduce_max_s8_ref = {
    .name = "reduce_max_s8_ref", .op = TFLITE_OP_REDUCE_MAX, .type = TFLITE_TYPE_INT8, .invoke = reduce_min_max_ref,
};
const struct rt_kernel rt_kernel_reduce_max_f32_ref = {
    .name = "reduce_max_f32_ref", .op = TFLITE_OP_REDUCE_MAX, .type = TFLITE_TYPE_FLOAT32, .invoke = reduce_min_max_ref,
};
const struct rt_kernel rt_kernel_reduce_min_s8_ref = {
    .name = "reduce_min_s8_ref", .op = TFLITE_OP_REDUCE_MIN, .type = TFLITE_TYPE_INT8, .invoke = reduce_min_max_ref,
};
const struct rt_kernel rt_kernel_reduce_min_f32_ref = {
    .name = "reduce_min_f32_ref", .op = TFLITE_OP_REDUCE_MIN, .type = TFLITE_TYPE_FLOAT32, .invoke = reduce_min_max_ref,
};
