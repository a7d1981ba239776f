/*
 * op_space.c — prepare steps of the operators that trade spatial size for
 * depth or batches (int8, float32; NHWC), as TFLite Micro's kernels:
 *   DEPTH_TO_SPACE  [N,H,W,b*b*C] -> [N,H*b,W*b,C]   a 6-D transpose
 *   SPACE_TO_DEPTH  the inverse                       (rt_strided_copy_params)
 *   BATCH_TO_SPACE_ND  [bh*bw*N,H,W,C] -> [N,H*bh-crops,W*bw-crops,C]
 *   SPACE_TO_BATCH_ND  the inverse, padded with the output's zero point
 *                      as TFLite does (rt_space_batch_params; TFLite Micro
 *                      leaves that value unset, its arena's bytes)
 * Input and output share their quantization: the bytes move unchanged.
 */
#include "rt_ops.h"
#include "rt_target_sizes.h"

static enum rt_status moved_tensors(struct rt_prepare_ctx *ctx, const struct rt_node *node, struct rt_tensor **in,
                                    struct rt_tensor **out)
{
    enum rt_status st;
    if ((st = rt_get_input(ctx, node, 0, in)) != RT_OK || (st = rt_get_output(ctx, node, 0, out)) != RT_OK)
        return st;
    if ((*in)->type != (*out)->type)
        return rt_fail(ctx->err, RT_BAD_MODEL, "input and output types differ");
    if ((*in)->type != TFLITE_TYPE_INT8 && (*in)->type != TFLITE_TYPE_FLOAT32)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "input type not supported");
    if ((*in)->type == TFLITE_TYPE_INT8 && ((*in)->scale != (*out)->scale || (*in)->zero_point != (*out)->zero_point))
        return rt_fail(ctx->err, RT_UNSUPPORTED, "input and output quantization must match");
    if ((*in)->ndims != 4 || (*out)->ndims != 4)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "input and output must be 4-D");
    return RT_OK;
}

enum rt_status rt_prepare_depth_space(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in, *out;
    struct fb_table opt;
    bool present;
    int32_t b;
    enum rt_status st;
    const bool to_space = node->op == TFLITE_OP_DEPTH_TO_SPACE;
    struct rt_strided_copy_params *p = RT_PERSISTENT_NEW(ctx, struct rt_strided_copy_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    if ((st = moved_tensors(ctx, node, &in, &out)) != RT_OK ||
        (st = rt_options(ctx, to_space ? TFLITE_OPTIONS_DEPTH_TO_SPACE : TFLITE_OPTIONS_SPACE_TO_DEPTH, &opt,
                         &present)) != RT_OK ||
        (st = rt_option_i32(ctx, &opt, present, 0, 0, &b)) != RT_OK)
        return st;
    if (b < 1)
        return rt_fail(ctx->err, RT_BAD_MODEL, "block size must be >= 1");
    /* The spatial tensor's sizes: out for DEPTH_TO_SPACE, in otherwise. */
    const struct rt_tensor *sp = to_space ? out : in, *dp = to_space ? in : out;
    const int32_t n = sp->dims[0], h = sp->dims[1], w = sp->dims[2], c = sp->dims[3];
    if (h % b || w % b || dp->dims[0] != n || dp->dims[1] != h / b || dp->dims[2] != w / b ||
        dp->dims[3] != c * b * b)
        return rt_fail(ctx->err, RT_BAD_MODEL, "output shape does not match the block size");
    const int32_t hb = h / b, wb = w / b;
    /* Element (n, y, dy, x, dx, c) of the spatial tensor seen as
     * [N,H/b,b,W/b,b,C] is element (n, y, x, dy, dx, c) of the depth
     * tensor seen as [N,H/b,W/b,b,b,C].  The output is walked in order
     * through its view, reading the input with the strides of the same
     * index in its own view. */
    const int32_t sp_dims[6] = {n, hb, b, wb, b, c};
    const int32_t dp_strides_sp_order[6] = {hb * wb * b * b * c, wb * b * b * c, b * c, b * b * c, c, 1};
    const int32_t dp_dims[6] = {n, hb, wb, b, b, c};
    const int32_t sp_strides_dp_order[6] = {h * w * c, b * w * c, b * c, w * c, c, 1};
    p->rank = 6;
    for (int d = 0; d < 6; d++) {
        p->out_dims[d] = to_space ? sp_dims[d] : dp_dims[d];
        p->in_stride[d] = to_space ? dp_strides_sp_order[d] : sp_strides_dp_order[d];
    }
    p->base = 0;
    p->elem_bytes = rt_type_size(in->type);
    node->params = p;
    node->macs = 0;
    return RT_OK;
}

enum rt_status rt_prepare_space_batch(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in, *out, *block_t, *pads_t;
    int32_t block[2], pads[4];
    enum rt_status st;
    const bool to_batch = node->op == TFLITE_OP_SPACE_TO_BATCH_ND;
    struct rt_space_batch_params *p = RT_PERSISTENT_NEW(ctx, struct rt_space_batch_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    if ((st = moved_tensors(ctx, node, &in, &out)) != RT_OK || (st = rt_get_input(ctx, node, 1, &block_t)) != RT_OK ||
        (st = rt_get_input(ctx, node, 2, &pads_t)) != RT_OK || (st = rt_int_values(ctx, block_t, 2, block)) != RT_OK ||
        (st = rt_int_values(ctx, pads_t, 4, pads)) != RT_OK)
        return st;
    if (block[0] < 1 || block[1] < 1 || pads[0] < 0 || pads[1] < 0 || pads[2] < 0 || pads[3] < 0)
        return rt_fail(ctx->err, RT_BAD_MODEL, "block sizes must be >= 1 and paddings >= 0");
    /* The batched tensor's sizes against the spatial one's. */
    const struct rt_tensor *sp = to_batch ? in : out, *bt = to_batch ? out : in;
    const int32_t ph = sp->dims[1] + pads[0] + pads[1], pw = sp->dims[2] + pads[2] + pads[3];
    if (ph % block[0] || pw % block[1] || bt->dims[0] != sp->dims[0] * block[0] * block[1] ||
        bt->dims[1] != ph / block[0] || bt->dims[2] != pw / block[1] || bt->dims[3] != sp->dims[3])
        return rt_fail(ctx->err, RT_BAD_MODEL, "output shape does not match the block and the padding");
    p->block_h = block[0];
    p->block_w = block[1];
    p->pad_top = pads[0];
    p->pad_left = pads[2];
    p->pad_value = in->type == TFLITE_TYPE_INT8 ? out->zero_point : 0;
    node->params = p;
    node->macs = 0;
    return RT_OK;
}
