/*
 * space_batch_ref.c — SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND (int8,
 * float32; NHWC) as TFLite's reference kernels: whole pixels (C elements)
 * copied; SPACE_TO_BATCH_ND fills the padding with memset of the pad
 * value, as TFLite does.
 */
#include <string.h>

#include "ref_kernels.h"

static enum rt_status space_to_batch_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_space_batch_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    struct rt_tensor *out = rt_node_output(tensors, node, 0);
    const int32_t ib = in->dims[0], ih = in->dims[1], iw = in->dims[2];
    const int32_t ob = out->dims[0], oh = out->dims[1], ow = out->dims[2];
    const size_t pixel = (size_t)in->dims[3] * rt_type_size(in->type);
    uint8_t *dst = out->data;
    for (int32_t b = 0; b < ob; b++) {
        const int32_t src_b = b % ib, shift_w = b / ib % p->block_w, shift_h = b / ib / p->block_w;
        for (int32_t y = 0; y < oh; y++)
            for (int32_t x = 0; x < ow; x++, dst += pixel) {
                const int32_t iy = y * p->block_h + shift_h - p->pad_top, ix = x * p->block_w + shift_w - p->pad_left;
                if (iy < 0 || iy >= ih || ix < 0 || ix >= iw)
                    memset(dst, p->pad_value, pixel);
                else
                    memcpy(dst, in->data + (size_t)((src_b * ih + iy) * iw + ix) * pixel, pixel);
            }
    }
    return RT_OK;
}

static enum rt_status batch_to_space_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_space_batch_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    struct rt_tensor *out = rt_node_output(tensors, node, 0);
    const int32_t ib = in->dims[0], ih = in->dims[1], iw = in->dims[2];
    const int32_t ob = out->dims[0], oh = out->dims[1], ow = out->dims[2];
    const size_t pixel = (size_t)in->dims[3] * rt_type_size(in->type);
    for (int32_t b = 0; b < ib; b++) {
        const int32_t dst_b = b % ob, offset = b / ob;
        for (int32_t y = 0; y < ih; y++) {
            const int32_t oy = y * p->block_h + offset / p->block_w - p->pad_top;
            if (oy < 0 || oy >= oh)
                continue;
            for (int32_t x = 0; x < iw; x++) {
                const int32_t ox = x * p->block_w + offset % p->block_w - p->pad_left;
                if (ox < 0 || ox >= ow)
                    continue;
                memcpy(out->data + (size_t)((dst_b * oh + oy) * ow + ox) * pixel,
                       in->data + (size_t)((b * ih + y) * iw + x) * pixel, pixel);
            }
        }
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_space_to_batch_nd_s8_ref = {
    .name = "space_to_batch_nd_s8_ref", .op = TFLITE_OP_SPACE_TO_BATCH_ND, .type = TFLITE_TYPE_INT8,
    .invoke = space_to_batch_ref,
};
const struct rt_kernel rt_kernel_space_to_batch_nd_f32_ref = {
    .name = "space_to_batch_nd_f32_ref", .op = TFLITE_OP_SPACE_TO_BATCH_ND, .type = TFLITE_TYPE_FLOAT32,
    .invoke = space_to_batch_ref,
};
const struct rt_kernel rt_kernel_batch_to_space_nd_s8_ref = {
    .name = "batch_to_space_nd_s8_ref", .op = TFLITE_OP_BATCH_TO_SPACE_ND, .type = TFLITE_TYPE_INT8,
    .invoke = batch_to_space_ref,
};
const struct rt_kernel rt_kernel_batch_to_space_nd_f32_ref = {
    .name = "batch_to_space_nd_f32_ref", .op = TFLITE_OP_BATCH_TO_SPACE_ND, .type = TFLITE_TYPE_FLOAT32,
    .invoke = batch_to_space_ref,
};
