/*
 * op_quantize.c — prepare steps of QUANTIZE (float32 -> int8 or int16, and
 * int8 or int16 -> int8, int16 or int32 requantization) and DEQUANTIZE
 * (int8, int16 -> float32), as TFLite Micro's quantize_common.cc and
 * dequantize.cc.
 */
#include "rt_ops.h"
#include "rt_target_sizes.h"
#include "rt_quant.h"

static enum rt_status same_shape_io(struct rt_prepare_ctx *ctx, const struct rt_node *node, struct rt_tensor **in,
                                    struct rt_tensor **out)
{
    enum rt_status st;
    if ((st = rt_get_input(ctx, node, 0, in)) != RT_OK || (st = rt_get_output(ctx, node, 0, out)) != RT_OK)
        return st;
    if (!rt_same_shape(*in, *out))
        return rt_fail(ctx->err, RT_BAD_MODEL, "input and output shapes differ");
    return RT_OK;
}

enum rt_status rt_prepare_quantize(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in, *out;
    enum rt_status st;
    struct rt_quantize_params *p = RT_PERSISTENT_NEW(ctx, struct rt_quantize_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    if ((st = same_shape_io(ctx, node, &in, &out)) != RT_OK)
        return st;
    const bool from_float = in->type == TFLITE_TYPE_FLOAT32;
    if (!from_float && in->type != TFLITE_TYPE_INT8 && in->type != TFLITE_TYPE_INT16)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "quantize input must be float32, int8 or int16");
    if (out->type != TFLITE_TYPE_INT8 && out->type != TFLITE_TYPE_INT16 &&
        (from_float || out->type != TFLITE_TYPE_INT32))
        return rt_fail(ctx->err, RT_UNSUPPORTED, "quantize output type not supported");
    if (out->num_scales > 1 || in->num_scales > 1)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "per-channel quantize is not supported");
    if (!(out->scale > 0) || (!from_float && !(in->scale > 0)))
        return rt_fail(ctx->err, RT_BAD_MODEL, "quantized tensor without a positive scale");
    p->scale = out->scale;
    p->zero_point = out->zero_point;
    if (!from_float) {
        p->input_zero_point = in->zero_point;
        rt_quantize_multiplier((double)in->scale / (double)out->scale, &p->multiplier, &p->shift);
    }
    node->params = p;
    node->macs = rt_tensor_elements(in);
    return RT_OK;
}

enum rt_status rt_prepare_dequantize(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in, *out;
    enum rt_status st;
    struct rt_quantize_params *p = RT_PERSISTENT_NEW(ctx, struct rt_quantize_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    if ((st = same_shape_io(ctx, node, &in, &out)) != RT_OK)
        return st;
    if (in->type != TFLITE_TYPE_INT8 && in->type != TFLITE_TYPE_INT16)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "dequantize input must be int8 or int16");
    if (out->type != TFLITE_TYPE_FLOAT32)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "dequantize output must be float32");
    if (in->num_scales > 1)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "per-channel dequantize is not supported");
    p->scale = in->scale;
    p->zero_point = in->zero_point;
    node->params = p;
    node->macs = rt_tensor_elements(in);
    return RT_OK;
}
