/*
 * shape_ref.c — SHAPE: the input's dimensions as int32 or int64.
 */
#include <string.h>

#include "ref_kernels.h"

static enum rt_status shape_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    struct rt_tensor *out = rt_node_output(tensors, node, 0);
    for (unsigned d = 0; d < in->ndims; d++) {
        if (out->type == TFLITE_TYPE_INT64) {
            int64_t v = in->dims[d];
            memcpy(out->data + 8 * d, &v, 8);
        } else {
            memcpy(out->data + 4 * d, &in->dims[d], 4);
        }
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_shape_ref = {
    .name = "shape_ref", .op = TFLITE_OP_SHAPE, .type = RT_TYPE_ANY, .invoke = shape_ref,
};
