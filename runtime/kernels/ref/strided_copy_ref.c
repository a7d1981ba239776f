/*
 * strided_copy_ref.c — TRANSPOSE, SLICE and STRIDED_SLICE for any element
 * type, DEPTH_TO_SPACE and SPACE_TO_DEPTH (int8, float32: 6-D transposes): one walk over the output in order, reading the input through the
 * per-dimension strides op_movement.c computed (TFLite's reference
 * Transpose and StridedSlice visit the elements in the same order).
 */
#include <string.h>

#include "ref_kernels.h"

static enum rt_status strided_copy_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_strided_copy_params *p = node->params;
    const uint8_t *in = rt_node_input(tensors, node, 0)->data;
    uint8_t *out = rt_node_output(tensors, node, 0)->data;
    int32_t index[RT_MAX_DIMS] = {0};
    int64_t total = 1;
    for (int d = 0; d < p->rank; d++)
        total *= p->out_dims[d];
    int64_t from = p->base;
    const uint32_t size = p->elem_bytes;
    for (int64_t i = 0; i < total; i++) {
        memcpy(out + (size_t)i * size, in + (size_t)from * size, size);
        /* Next output index, innermost first, moving `from` along. */
        for (int d = p->rank - 1; d >= 0; d--) {
            from += p->in_stride[d];
            if (++index[d] < p->out_dims[d])
                break;
            from -= (int64_t)p->in_stride[d] * p->out_dims[d];
            index[d] = 0;
        }
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_transpose_ref = {
    .name = "transpose_ref", .op = TFLITE_OP_TRANSPOSE, .type = RT_TYPE_ANY, .invoke = strided_copy_ref,
};
const struct rt_kernel rt_kernel_slice_ref = {
    .name = "slice_ref", .op = TFLITE_OP_SLICE, .type = RT_TYPE_ANY, .invoke = strided_copy_ref,
};
const struct rt_kernel rt_kernel_strided_slice_ref = {
    .name = "strided_slice_ref", .op = TFLITE_OP_STRIDED_SLICE, .type = RT_TYPE_ANY, .invoke = strided_copy_ref,
};
const struct rt_kernel rt_kernel_depth_to_space_s8_ref = {
    .name = "depth_to_space_s8_ref", .op = TFLITE_OP_DEPTH_TO_SPACE, .type = TFLITE_TYPE_INT8,
    .invoke = strided_copy_ref,
};
const struct rt_kernel rt_kernel_depth_to_space_f32_ref = {
    .name = "depth_to_space_f32_ref", .op = TFLITE_OP_DEPTH_TO_SPACE, .type = TFLITE_TYPE_FLOAT32,
    .invoke = strided_copy_ref,
};
const struct rt_kernel rt_kernel_space_to_depth_s8_ref = {
    .name = "space_to_depth_s8_ref", .op = TFLITE_OP_SPACE_TO_DEPTH, .type = TFLITE_TYPE_INT8,
    .invoke = strided_copy_ref,
};
const struct rt_kernel rt_kernel_space_to_depth_f32_ref = {
    .name = "space_to_depth_f32_ref", .op = TFLITE_OP_SPACE_TO_DEPTH, .type = TFLITE_TYPE_FLOAT32,
    .invoke = strided_copy_ref,
};
