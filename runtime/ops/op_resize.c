/*
 * op_resize.c — prepare step of RESIZE_BILINEAR (int8, float32) and
 * RESIZE_NEAREST_NEIGHBOR (int8, int16, float32), as TFLite Micro's
 * resize_*.cc: NHWC input, a constant int32 size [new_h, new_w], an output
 * of the input's batches and channels at that size; align_corners and
 * half_pixel_centers from the options (not both, for bilinear).
 */
#include "rt_ops.h"
#include "rt_target_sizes.h"

enum rt_status rt_prepare_resize(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in, *size_tensor, *out;
    struct fb_table opt;
    bool present;
    uint8_t align, half;
    int32_t size[2];
    enum rt_status st;
    const bool bilinear = node->op == TFLITE_OP_RESIZE_BILINEAR;
    struct rt_resize_params *p = RT_PERSISTENT_NEW(ctx, struct rt_resize_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    if ((st = rt_get_input(ctx, node, 0, &in)) != RT_OK || (st = rt_get_input(ctx, node, 1, &size_tensor)) != RT_OK ||
        (st = rt_get_output(ctx, node, 0, &out)) != RT_OK ||
        (st = rt_options(ctx, bilinear ? TFLITE_OPTIONS_RESIZE_BILINEAR : TFLITE_OPTIONS_RESIZE_NEAREST_NEIGHBOR,
                         &opt, &present)) != RT_OK ||
        (st = rt_option_u8(ctx, &opt, present, bilinear ? 2 : 0, 0, &align)) != RT_OK ||
        (st = rt_option_u8(ctx, &opt, present, bilinear ? 3 : 1, 0, &half)) != RT_OK)
        return st;
    if (in->type != out->type)
        return rt_fail(ctx->err, RT_BAD_MODEL, "input and output differ in type");
    if (in->type != TFLITE_TYPE_INT8 && in->type != TFLITE_TYPE_FLOAT32 &&
        (bilinear || in->type != TFLITE_TYPE_INT16))
        return rt_fail(ctx->err, RT_UNSUPPORTED, "input type not supported");
    if (size_tensor->type != TFLITE_TYPE_INT32 || (st = rt_int_values(ctx, size_tensor, 2, size)) != RT_OK)
        return st != RT_OK ? st : rt_fail(ctx->err, RT_BAD_MODEL, "the size must be 2 int32 values");
    if (in->ndims != 4 || out->ndims != 4 || out->dims[0] != in->dims[0] || out->dims[3] != in->dims[3] ||
        out->dims[1] != size[0] || out->dims[2] != size[1] || size[0] < 1 || size[1] < 1)
        return rt_fail(ctx->err, RT_BAD_MODEL, "output shape does not match the input and the size");
    if (bilinear && align && half)
        return rt_fail(ctx->err, RT_BAD_MODEL, "align_corners and half_pixel_centers together");
    p->align_corners = align != 0;
    p->half_pixel_centers = half != 0;
    node->params = p;
    node->macs = 0;
    return RT_OK;
}
