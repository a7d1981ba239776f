/*
 * conv_wrapper_s8_opt.c — the `opt` family's CONV_2D entry: picks the
 * fastest kernel that fits the layer, as CMSIS-NN's
 * arm_convolve_wrapper_s8 does.
 *
 *   1x1 kernel, no padding, groups = 1  -> conv_1x1_s8_opt (any stride)
 *   any other kernel, groups = 1        -> conv_s8_opt (im2col)
 *   grouped convolution                 -> conv_s8_ref
 *
 * The choice is made once, in prepare, and put in node->kernel, so the
 * planner asks the chosen kernel for its scratch and the profiler names it
 * per layer.  scratch_size and invoke delegate too, so the wrapper is a
 * complete kernel even where nothing calls its prepare.
 */
#include "opt_kernels.h"

static const struct rt_kernel *choose(const struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_conv_params *p = node->params;
    const struct rt_tensor *in = &tensors[node->inputs[0]];
    const struct rt_tensor *filter = &tensors[node->inputs[1]];
    if (filter->dims[3] != in->dims[3])
        return &rt_kernel_conv_s8_ref;
    if (filter->dims[1] == 1 && filter->dims[2] == 1 && p->pad_h == 0 && p->pad_w == 0)
        return &rt_kernel_conv_1x1_s8_opt;
    return &rt_kernel_conv_s8_opt;
}

static enum rt_status conv_wrapper_prepare(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    node->kernel = choose(ctx->tensors, node);
    return RT_OK;
}

static uint32_t conv_wrapper_scratch(const struct rt_tensor *tensors, const struct rt_node *node,
                                     const struct rt_target *target)
{
    const struct rt_kernel *k = choose(tensors, node);
    return k->scratch_size ? k->scratch_size(tensors, node, target) : 0;
}

static enum rt_status conv_wrapper_invoke(struct rt_tensor *tensors, const struct rt_node *node)
{
    return choose(tensors, node)->invoke(tensors, node);
}

const struct rt_kernel rt_kernel_conv_wrapper_s8_opt = {
    .name = "conv_wrapper_s8_opt", .op = TFLITE_OP_CONV_2D, .type = TFLITE_TYPE_INT8,
    .prepare = conv_wrapper_prepare, .scratch_size = conv_wrapper_scratch, .invoke = conv_wrapper_invoke,
};
