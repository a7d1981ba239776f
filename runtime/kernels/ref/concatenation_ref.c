/*
 * concatenation_ref.c — CONCATENATION for any type: for each slice before
 * the axis, the inputs' contiguous blocks are copied one after another
 * (TFLite's reference_ops::Concatenation; int8 needs equal quantization).
 */
#include <string.h>

#include "ref_kernels.h"

static enum rt_status concatenation_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_concat_params *p = node->params;
    uint8_t *out = rt_node_output(tensors, node, 0)->data;
    for (int32_t o = 0; o < p->outer; o++) {
        for (unsigned k = 0; k < node->num_inputs; k++) {
            const uint8_t *in = rt_node_input(tensors, node, k)->data;
            memcpy(out, in + (size_t)o * p->copy_bytes[k], p->copy_bytes[k]);
            out += p->copy_bytes[k];
        }
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_concatenation_ref = {
    .name = "concatenation_ref", .op = TFLITE_OP_CONCATENATION, .type = RT_TYPE_ANY, .invoke = concatenation_ref,
};

/* PACK is a concatenation along a new axis: the same copies. */
const struct rt_kernel rt_kernel_pack_ref = {
    .name = "pack_ref", .op = TFLITE_OP_PACK, .type = RT_TYPE_ANY, .invoke = concatenation_ref,
};
