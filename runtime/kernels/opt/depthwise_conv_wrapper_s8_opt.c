/*
 * depthwise_conv_wrapper_s8_opt.c — the `opt` family's DEPTHWISE_CONV_2D
 * int8 entry (see conv_wrapper_s8_opt.c for how wrappers work):
 *
 *   3x3, depth multiplier 1, no dilation,
 *   vertical stride 1 or 2                -> depthwise_conv_3x3_s8_opt
 *   other kernels, depth multiplier 1     -> depthwise_conv_s8_opt
 *   depth multiplier > 1                  -> depthwise_conv_mult_s8_opt
 */
#include "opt_kernels.h"

static const struct rt_kernel *choose(const struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_conv_params *p = node->params;
    const struct rt_tensor *filter = &tensors[node->inputs[1]];
    if (p->depth_multiplier != 1)
        return &rt_kernel_depthwise_conv_mult_s8_opt;
    if (filter->dims[1] == 3 && filter->dims[2] == 3 && p->dilation_h == 1 && p->dilation_w == 1 &&
        p->stride_h <= 2)
        return &rt_kernel_depthwise_conv_3x3_s8_opt;
    return &rt_kernel_depthwise_conv_s8_opt;
}

static enum rt_status dw_wrapper_prepare(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    node->kernel = choose(ctx->tensors, node);
    return RT_OK;
}

static uint32_t dw_wrapper_scratch(const struct rt_tensor *tensors, const struct rt_node *node,
                                   const struct rt_target *target)
{
    const struct rt_kernel *k = choose(tensors, node);
    return k->scratch_size ? k->scratch_size(tensors, node, target) : 0;
}

static enum rt_status dw_wrapper_invoke(struct rt_tensor *tensors, const struct rt_node *node)
{
    return choose(tensors, node)->invoke(tensors, node);
}

const struct rt_kernel rt_kernel_depthwise_conv_wrapper_s8_opt = {
    .name = "depthwise_conv_wrapper_s8_opt", .op = TFLITE_OP_DEPTHWISE_CONV_2D, .type = TFLITE_TYPE_INT8,
    .prepare = dw_wrapper_prepare, .scratch_size = dw_wrapper_scratch, .invoke = dw_wrapper_invoke,
};
