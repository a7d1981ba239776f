/*
 * fully_connected_wrapper_s8_opt.c — the `opt` family's FULLY_CONNECTED
 * int8 entry (see conv_wrapper_s8_opt.c for how wrappers work):
 *
 *   weights with zero point 0 (TFLite's int8 spec)  -> fully_connected_s8_opt
 *   asymmetric weights                              -> fully_connected_s8_ref
 */
#include "opt_kernels.h"

static const struct rt_kernel *choose(const struct rt_tensor *tensors, const struct rt_node *node)
{
    (void)tensors;
    const struct rt_fc_params *p = node->params;
    return p->filter_offset == 0 ? &rt_kernel_fully_connected_s8_opt : &rt_kernel_fully_connected_s8_ref;
}

static enum rt_status fc_wrapper_prepare(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    node->kernel = choose(ctx->tensors, node);
    return RT_OK;
}

static uint32_t fc_wrapper_scratch(const struct rt_tensor *tensors, const struct rt_node *node,
                                   const struct rt_target *target)
{
    const struct rt_kernel *k = choose(tensors, node);
    return k->scratch_size ? k->scratch_size(tensors, node, target) : 0;
}

static enum rt_status fc_wrapper_invoke(struct rt_tensor *tensors, const struct rt_node *node)
{
    return choose(tensors, node)->invoke(tensors, node);
}

const struct rt_kernel rt_kernel_fully_connected_wrapper_s8_opt = {
    .name = "fully_connected_wrapper_s8_opt", .op = TFLITE_OP_FULLY_CONNECTED, .type = TFLITE_TYPE_INT8,
    .prepare = fc_wrapper_prepare, .scratch_size = fc_wrapper_scratch, .invoke = fc_wrapper_invoke,
};
