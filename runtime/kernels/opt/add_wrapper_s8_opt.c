/*
 * add_wrapper_s8_opt.c — the `opt` family's ADD int8 entry (see
 * conv_wrapper_s8_opt.c for how wrappers work):
 *
 *   same shapes, shifts the exact short form covers  -> add_s8_opt
 *   broadcasting, or other shifts                    -> add_s8_ref
 */
#include "opt_kernels.h"

static const struct rt_kernel *choose(const struct rt_tensor *tensors, const struct rt_node *node)
{
    return rt_opt_add_fits(tensors, node) ? &rt_kernel_add_s8_opt : &rt_kernel_add_s8_ref;
}

static enum rt_status add_wrapper_prepare(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    node->kernel = choose(ctx->tensors, node);
    return RT_OK;
}

static uint32_t add_wrapper_scratch(const struct rt_tensor *tensors, const struct rt_node *node,
                                    const struct rt_target *target)
{
    const struct rt_kernel *k = choose(tensors, node);
    return k->scratch_size ? k->scratch_size(tensors, node, target) : 0;
}

static enum rt_status add_wrapper_invoke(struct rt_tensor *tensors, const struct rt_node *node)
{
    return choose(tensors, node)->invoke(tensors, node);
}

const struct rt_kernel rt_kernel_add_wrapper_s8_opt = {
    .name = "add_wrapper_s8_opt", .op = TFLITE_OP_ADD, .type = TFLITE_TYPE_INT8,
    .prepare = add_wrapper_prepare, .scratch_size = add_wrapper_scratch, .invoke = add_wrapper_invoke,
};
