/*
 * pad_ref.c — PAD and PADV2 (int8, int16, float32; up to 4-D), the
 * padding filled with the prepared value (the output zero point, 0.0f, or
 * PADV2's constant), and MIRROR_PAD (int8, float32), the padding copied
 * from inside the input, mirrored at the edge (REFLECT leaves the edge
 * out, SYMMETRIC repeats it), as TFLite Micro's pad.cc and mirror_pad.cc.
 */
#include <string.h>

#include "ref_kernels.h"

/* The input index that output index i of one dimension reads (MIRROR_PAD's
 * GetInputDimension), or -1 in constant padding. */
static int32_t source_index(int32_t i, int32_t before, int32_t size, int32_t mirror)
{
    if (mirror < 0)
        return i < before || i >= before + size ? -1 : i - before;
    if (i < before) {
        const int32_t edge = before + mirror - 1;
        return edge - (i < edge - mirror ? i : edge - mirror);
    }
    i -= before;
    if (i >= size) {
        i -= size;
        const int32_t edge = size - (1 + mirror);
        return edge - (i < edge ? i : edge);
    }
    return i;
}

static enum rt_status pad_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_pad_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    uint8_t *out = rt_node_output(tensors, node, 0)->data;
    const size_t size = rt_type_size(in->type);
    uint8_t value[4];
    if (size == 1)
        value[0] = (uint8_t)(int8_t)p->pad_value;
    else if (size == 2)
        memcpy(value, &(int16_t){(int16_t)p->pad_value}, 2);
    else
        memcpy(value, &p->pad_value, 4);
    for (int32_t d0 = 0; d0 < p->out_dims[0]; d0++) {
        const int32_t i0 = source_index(d0, p->before[0], p->in_dims[0], p->mirror);
        for (int32_t d1 = 0; d1 < p->out_dims[1]; d1++) {
            const int32_t i1 = source_index(d1, p->before[1], p->in_dims[1], p->mirror);
            for (int32_t d2 = 0; d2 < p->out_dims[2]; d2++) {
                const int32_t i2 = source_index(d2, p->before[2], p->in_dims[2], p->mirror);
                for (int32_t d3 = 0; d3 < p->out_dims[3]; d3++, out += size) {
                    const int32_t i3 = source_index(d3, p->before[3], p->in_dims[3], p->mirror);
                    if (i0 < 0 || i1 < 0 || i2 < 0 || i3 < 0)
                        memcpy(out, value, size);
                    else
                        memcpy(out,
                               in->data + (size_t)(((i0 * p->in_dims[1] + i1) * p->in_dims[2] + i2) * p->in_dims[3] +
                                                   i3) * size,
                               size);
                }
            }
        }
    }
    return RT_OK;
}

#define PAD_KERNEL(var, opname, op_code, type_code)                                                         \
    const struct rt_kernel var = {.name = opname, .op = op_code, .type = type_code, .invoke = pad_ref}

PAD_KERNEL(rt_kernel_pad_s8_ref, "pad_s8_ref", TFLITE_OP_PAD, TFLITE_TYPE_INT8);
PAD_KERNEL(rt_kernel_pad_s16_ref, "pad_s16_ref", TFLITE_OP_PAD, TFLITE_TYPE_INT16);
PAD_KERNEL(rt_kernel_pad_f32_ref, "pad_f32_ref", TFLITE_OP_PAD, TFLITE_TYPE_FLOAT32);
PAD_KERNEL(rt_kernel_padv2_s8_ref, "padv2_s8_ref", TFLITE_OP_PADV2, TFLITE_TYPE_INT8);
PAD_KERNEL(rt_kernel_padv2_s16_ref, "padv2_s16_ref", TFLITE_OP_PADV2, TFLITE_TYPE_INT16);
PAD_KERNEL(rt_kernel_padv2_f32_ref, "padv2_f32_ref", TFLITE_OP_PADV2, TFLITE_TYPE_FLOAT32);
PAD_KERNEL(rt_kernel_mirror_pad_s8_ref, "mirror_pad_s8_ref", TFLITE_OP_MIRROR_PAD, TFLITE_TYPE_INT8);
PAD_KERNEL(rt_kernel_mirror_pad_f32_ref, "mirror_pad_f32_ref", TFLITE_OP_MIRROR_PAD, TFLITE_TYPE_FLOAT32);
