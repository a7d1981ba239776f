/*
 * gather_ref.c — GATHER for any element type (batch_dims 0): for each
 * slice before the axis and each index, one contiguous block of the input.
 * An index outside the axis fails the inference, as TFLite Micro's does.
 */
#include <string.h>

#include "ref_kernels.h"

static enum rt_status gather_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_gather_params *p = node->params;
    const uint8_t *in = rt_node_input(tensors, node, 0)->data;
    const uint8_t *indices = rt_node_input(tensors, node, 1)->data;
    uint8_t *out = rt_node_output(tensors, node, 0)->data;
    for (int32_t o = 0; o < p->outer; o++) {
        for (uint32_t i = 0; i < p->num_indices; i++) {
            int64_t index;
            if (p->indices_64) {
                memcpy(&index, indices + 8 * (size_t)i, 8);
            } else {
                int32_t v;
                memcpy(&v, indices + 4 * (size_t)i, 4);
                index = v;
            }
            if (index < 0 || index >= p->axis_size)
                return RT_BAD_ARG;
            memcpy(out, in + ((size_t)o * (size_t)p->axis_size + (size_t)index) * (size_t)p->inner_bytes,
                   (size_t)p->inner_bytes);
            out += p->inner_bytes;
        }
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_gather_ref = {
    .name = "gather_ref", .op = TFLITE_OP_GATHER, .type = RT_TYPE_ANY, .invoke = gather_ref,
};
