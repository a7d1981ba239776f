/*
 * op_pool.c — prepare step of AVERAGE_POOL_2D and MAX_POOL_2D (int8), as
 * TFLite's pooling Prepare.  Input and output share quantization (TFLite
 * requires it: pooling does not rescale).  MACs are counted as one per
 * window element read (out elements * filter_h * filter_w); TFLite counts
 * no MACs for pooling, the profiler needs a work measure all the same.
 */
#include "rt_ops.h"
#include "rt_target_sizes.h"

enum rt_status rt_prepare_pool_2d(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *input, *output;
    struct fb_table opt;
    bool present;
    uint8_t padding, activation;
    enum rt_status st;
    struct rt_pool_params *p = RT_PERSISTENT_NEW(ctx, struct rt_pool_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    if ((st = rt_get_input(ctx, node, 0, &input)) != RT_OK || (st = rt_get_output(ctx, node, 0, &output)) != RT_OK ||
        (st = rt_check_int8_tensor(ctx, input, "input")) != RT_OK ||
        (st = rt_check_int8_tensor(ctx, output, "output")) != RT_OK ||
        (st = rt_options(ctx, TFLITE_OPTIONS_POOL_2D, &opt, &present)) != RT_OK ||
        (st = rt_option_u8(ctx, &opt, present, TFLITE_POOL2D_PADDING, 0, &padding)) != RT_OK ||
        (st = rt_option_i32(ctx, &opt, present, TFLITE_POOL2D_STRIDE_W, 0, &p->stride_w)) != RT_OK ||
        (st = rt_option_i32(ctx, &opt, present, TFLITE_POOL2D_STRIDE_H, 0, &p->stride_h)) != RT_OK ||
        (st = rt_option_i32(ctx, &opt, present, TFLITE_POOL2D_FILTER_WIDTH, 0, &p->filter_w)) != RT_OK ||
        (st = rt_option_i32(ctx, &opt, present, TFLITE_POOL2D_FILTER_HEIGHT, 0, &p->filter_h)) != RT_OK ||
        (st = rt_option_u8(ctx, &opt, present, TFLITE_POOL2D_FUSED_ACTIVATION, 0, &activation)) != RT_OK)
        return st;
    if (input->ndims != 4 || output->ndims != 4)
        return rt_fail(ctx->err, RT_BAD_MODEL, "input and output must be 4-D");
    if (input->scale != output->scale || input->zero_point != output->zero_point)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "input and output quantization must match");
    int32_t out_h, out_w;
    if ((st = rt_conv_geometry(ctx, padding, input->dims[1], p->filter_h, p->stride_h, 1, &out_h, &p->pad_h)) != RT_OK ||
        (st = rt_conv_geometry(ctx, padding, input->dims[2], p->filter_w, p->stride_w, 1, &out_w, &p->pad_w)) != RT_OK)
        return st;
    if (output->dims[0] != input->dims[0] || output->dims[1] != out_h || output->dims[2] != out_w ||
        output->dims[3] != input->dims[3])
        return rt_fail(ctx->err, RT_BAD_MODEL, "output shape does not match the pooling geometry");
    if ((st = rt_activation_range_s8(ctx, activation, output, &p->act_min, &p->act_max)) != RT_OK)
        return st;
    node->params = p;
    node->macs = (uint64_t)rt_tensor_elements(output) * (uint64_t)p->filter_h * (uint64_t)p->filter_w;
    return RT_OK;
}
