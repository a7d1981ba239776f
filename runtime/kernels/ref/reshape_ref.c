/*
 * reshape_ref.c — RESHAPE for any type.  The planner usually gives the
 * output the input's bytes (an alias), and then there is nothing to do;
 * otherwise (constant input) the bytes are copied.
 */
#include <string.h>

#include "ref_kernels.h"

static enum rt_status reshape_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    struct rt_tensor *out = rt_node_output(tensors, node, 0);
    if (out->data != in->data && out->bytes)
        memcpy(out->data, in->data, out->bytes);
    return RT_OK;
}

const struct rt_kernel rt_kernel_reshape_ref = {
    .name = "reshape_ref", .op = TFLITE_OP_RESHAPE, .type = RT_TYPE_ANY, .invoke = reshape_ref,
};

/* SQUEEZE and EXPAND_DIMS change only the shape, as RESHAPE does. */
const struct rt_kernel rt_kernel_squeeze_ref = {
    .name = "squeeze_ref", .op = TFLITE_OP_SQUEEZE, .type = RT_TYPE_ANY, .invoke = reshape_ref,
};
const struct rt_kernel rt_kernel_expand_dims_ref = {
    .name = "expand_dims_ref", .op = TFLITE_OP_EXPAND_DIMS, .type = RT_TYPE_ANY, .invoke = reshape_ref,
};
