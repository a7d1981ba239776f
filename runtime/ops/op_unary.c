/*
 * op_unary.c — prepare steps of the elementwise one-input operators that
 * need no transcendental function: ABS (int8, int16 with zero point 0,
 * float32; quantized inputs rescaled only when the output's scale differs,
 * as TFLite Micro's elementwise.cc), NEG, SQUARE, CEIL, FLOOR and ROUND
 * (float32), and ZEROS_LIKE (any type).
 */
#include "rt_ops.h"
#include "rt_quant.h"
#include "rt_target_sizes.h"

enum rt_status rt_prepare_unary(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in, *out;
    enum rt_status st;
    struct rt_relu_params *p = RT_PERSISTENT_NEW(ctx, struct rt_relu_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    if ((st = rt_get_input(ctx, node, 0, &in)) != RT_OK || (st = rt_get_output(ctx, node, 0, &out)) != RT_OK)
        return st;
    if (in->type != out->type || in->bytes != out->bytes)
        return rt_fail(ctx->err, RT_BAD_MODEL, "input and output differ in type or size");
    node->params = p;
    node->macs = 0;
    if (node->op == TFLITE_OP_ZEROS_LIKE)
        return rt_type_size(in->type) ? RT_OK : rt_fail(ctx->err, RT_UNSUPPORTED, "element type not supported");
    if (in->type == TFLITE_TYPE_FLOAT32)
        return RT_OK;
    if (node->op != TFLITE_OP_ABS || (in->type != TFLITE_TYPE_INT8 && in->type != TFLITE_TYPE_INT16))
        return rt_fail(ctx->err, RT_UNSUPPORTED, "input type not supported");
    if (in->scale <= 0 || out->scale <= 0)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "int16 without quantization is not supported");
    if (in->type == TFLITE_TYPE_INT16 && (in->zero_point || out->zero_point))
        return rt_fail(ctx->err, RT_BAD_MODEL, "int16 zero points must be 0");
    p->input_zero_point = in->zero_point;
    p->output_zero_point = out->zero_point;
    /* act_max doubles as "needs rescale" (TFLM compares the float scales). */
    p->act_max = in->scale != out->scale;
    if (p->act_max)
        rt_quantize_multiplier((double)(in->scale / out->scale), &p->multiplier, &p->shift);
    return RT_OK;
}
