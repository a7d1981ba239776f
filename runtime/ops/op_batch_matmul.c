/*
 * op_batch_matmul.c — prepare step of BATCH_MATMUL (int8, float32),
 * as TFLite Micro's batch_matmul.cc: two inputs of rank 2 to 5 and the
 * same type, either transposed first (adj_x, adj_y), batch dimensions
 * broadcast numpy-style; quantized outputs take one multiplier
 * (lhs scale * rhs scale / output scale, in double) over the type's whole
 * range (no fused activation).
 */
#include "rt_ops.h"
#include "rt_quant.h"
#include "rt_target_sizes.h"

/* Elements of one matrix of t (its last two dimensions). */
static int32_t matrix_elements(const struct rt_tensor *t)
{
    return t->dims[t->ndims - 2] * t->dims[t->ndims - 1];
}

enum rt_status rt_prepare_batch_matmul(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *lhs, *rhs, *out;
    struct fb_table opt;
    bool present;
    uint8_t adj_x, adj_y;
    enum rt_status st;
    struct rt_batch_matmul_params *p = RT_PERSISTENT_NEW(ctx, struct rt_batch_matmul_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    if ((st = rt_get_input(ctx, node, 0, &lhs)) != RT_OK || (st = rt_get_input(ctx, node, 1, &rhs)) != RT_OK ||
        (st = rt_get_output(ctx, node, 0, &out)) != RT_OK ||
        (st = rt_options(ctx, TFLITE_OPTIONS_BATCH_MAT_MUL, &opt, &present)) != RT_OK ||
        (st = rt_option_u8(ctx, &opt, present, TFLITE_BATCH_MATMUL_ADJ_X, 0, &adj_x)) != RT_OK ||
        (st = rt_option_u8(ctx, &opt, present, TFLITE_BATCH_MATMUL_ADJ_Y, 0, &adj_y)) != RT_OK)
        return st;
    if (lhs->type != rhs->type || lhs->type != out->type)
        return rt_fail(ctx->err, RT_BAD_MODEL, "inputs and output differ in type");
    if (lhs->type != TFLITE_TYPE_INT8 && lhs->type != TFLITE_TYPE_FLOAT32)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "input type not supported");
    const int32_t max_rank = 2 + RT_MATMUL_BATCH_DIMS;
    if (lhs->ndims < 2 || rhs->ndims < 2 || lhs->ndims > max_rank || rhs->ndims > max_rank)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "inputs must have rank 2 to 5");
    p->adj_x = adj_x != 0;
    p->adj_y = adj_y != 0;
    const int32_t *ld = lhs->dims + lhs->ndims - 2, *rd = rhs->dims + rhs->ndims - 2;
    p->rows = p->adj_x ? ld[1] : ld[0];
    p->depth = p->adj_x ? ld[0] : ld[1];
    p->cols = p->adj_y ? rd[0] : rd[1];
    if ((p->adj_y ? rd[1] : rd[0]) != p->depth)
        return rt_fail(ctx->err, RT_BAD_MODEL, "the inputs' inner dimensions differ");
    /* Batch dimensions, right-aligned into RT_MATMUL_BATCH_DIMS. */
    int32_t lstride = matrix_elements(lhs), rstride = matrix_elements(rhs);
    int32_t out_rank = lhs->ndims > rhs->ndims ? lhs->ndims : rhs->ndims;
    if (out->ndims != out_rank || out->dims[out_rank - 2] != p->rows || out->dims[out_rank - 1] != p->cols)
        return rt_fail(ctx->err, RT_BAD_MODEL, "output shape does not match the product");
    for (int32_t i = RT_MATMUL_BATCH_DIMS - 1, back = 3; i >= 0; i--, back++) {
        int32_t l = back <= lhs->ndims ? lhs->dims[lhs->ndims - back] : 1;
        int32_t r = back <= rhs->ndims ? rhs->dims[rhs->ndims - back] : 1;
        if (l != r && l != 1 && r != 1)
            return rt_fail(ctx->err, RT_BAD_MODEL, "batch dimensions do not broadcast");
        p->batch_dims[i] = l > r ? l : r;
        if (back <= out_rank && out->dims[out_rank - back] != p->batch_dims[i])
            return rt_fail(ctx->err, RT_BAD_MODEL, "output shape does not match the broadcast batches");
        p->lhs_stride[i] = l == 1 ? 0 : lstride;
        p->rhs_stride[i] = r == 1 ? 0 : rstride;
        lstride *= l;
        rstride *= r;
    }
    node->params = p;
    node->macs = (uint64_t)rt_tensor_elements(out) * (uint64_t)p->depth;
    node->weight_bytes = rt_constant_input_bytes(ctx->tensors, node);
    if (lhs->type == TFLITE_TYPE_FLOAT32)
        return RT_OK;
    if (lhs->scale <= 0 || rhs->scale <= 0 || out->scale <= 0)
        return rt_fail(ctx->err, RT_BAD_MODEL, "quantized inputs and output need scales");
    p->lhs_offset = -lhs->zero_point;
    p->rhs_offset = -rhs->zero_point;
    p->output_offset = out->zero_point;
    int shift;
    rt_quantize_multiplier((double)lhs->scale * (double)rhs->scale / (double)out->scale, &p->multiplier, &shift);
    p->shift = shift;
    p->act_min = INT8_MIN;
    p->act_max = INT8_MAX;
    return RT_OK;
}
