/*
 * split_ref.c — SPLIT, SPLIT_V and UNPACK for any element type: for each
 * slice before the axis, the input's bytes are dealt out to the outputs in
 * turn (the inverse of concatenation_ref.c).
 */
#include <string.h>

#include "ref_kernels.h"

static enum rt_status split_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_split_params *p = node->params;
    const uint8_t *in = rt_node_input(tensors, node, node->op == TFLITE_OP_SPLIT ? 1 : 0)->data;
    for (int32_t o = 0; o < p->outer; o++) {
        for (unsigned k = 0; k < node->num_outputs; k++) {
            uint8_t *out = rt_node_output(tensors, node, k)->data;
            memcpy(out + (size_t)o * p->copy_bytes[k], in, p->copy_bytes[k]);
            in += p->copy_bytes[k];
        }
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_split_ref = {
    .name = "split_ref", .op = TFLITE_OP_SPLIT, .type = RT_TYPE_ANY, .invoke = split_ref,
};
const struct rt_kernel rt_kernel_split_v_ref = {
    .name = "split_v_ref", .op = TFLITE_OP_SPLIT_V, .type = RT_TYPE_ANY, .invoke = split_ref,
};
const struct rt_kernel rt_kernel_unpack_ref = {
    .name = "unpack_ref", .op = TFLITE_OP_UNPACK, .type = RT_TYPE_ANY, .invoke = split_ref,
};
