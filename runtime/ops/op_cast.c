/*
 * op_cast.c — prepare steps of the operators that change a tensor's type
 * or pick indices without arithmetic, as TFLite Micro's cast.cc and
 * arg_min_max.cc:
 *   CAST            int8, int16, int32, uint32, float32, bool to int8,
 *                   int16, int32, uint32, float32: C's conversion of each
 *                   raw value (quantization is ignored)
 *   ARG_MAX/ARG_MIN int8, float32 along one axis (a constant int32), the
 *                   first index of the largest / smallest value, as int32
 */
#include "rt_ops.h"
#include "rt_target_sizes.h"

static bool cast_input_type(uint8_t t)
{
    return t == TFLITE_TYPE_INT8 || t == TFLITE_TYPE_INT16 || t == TFLITE_TYPE_INT32 || t == TFLITE_TYPE_UINT32 ||
           t == TFLITE_TYPE_FLOAT32 || t == TFLITE_TYPE_BOOL;
}

enum rt_status rt_prepare_cast(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in, *out;
    enum rt_status st;
    if ((st = rt_get_input(ctx, node, 0, &in)) != RT_OK || (st = rt_get_output(ctx, node, 0, &out)) != RT_OK)
        return st;
    if (!cast_input_type(in->type) || !cast_input_type(out->type) || out->type == TFLITE_TYPE_BOOL)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "cast between these types is not supported");
    if (rt_tensor_elements(in) != rt_tensor_elements(out))
        return rt_fail(ctx->err, RT_BAD_MODEL, "input and output differ in size");
    node->macs = 0;
    return RT_OK;
}

enum rt_status rt_prepare_arg_min_max(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in, *axis_t, *out;
    int32_t axis;
    enum rt_status st;
    struct rt_arg_params *p = RT_PERSISTENT_NEW(ctx, struct rt_arg_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    if ((st = rt_get_input(ctx, node, 0, &in)) != RT_OK || (st = rt_get_input(ctx, node, 1, &axis_t)) != RT_OK ||
        (st = rt_get_output(ctx, node, 0, &out)) != RT_OK)
        return st;
    if (in->type != TFLITE_TYPE_INT8 && in->type != TFLITE_TYPE_FLOAT32)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "input type not supported");
    if (axis_t->type != TFLITE_TYPE_INT32 || out->type != TFLITE_TYPE_INT32)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "axis and output must be int32");
    if ((st = rt_int_values(ctx, axis_t, 1, &axis)) != RT_OK)
        return st;
    if (axis < 0)
        axis += in->ndims;
    if (axis < 0 || axis >= in->ndims)
        return rt_fail(ctx->err, RT_BAD_MODEL, "axis out of range");
    if (out->ndims != in->ndims - 1)
        return rt_fail(ctx->err, RT_BAD_MODEL, "the output must drop the axis");
    p->outer = p->inner = 1;
    for (int d = 0; d < in->ndims; d++) {
        if (d == axis)
            continue;
        if (out->dims[d < axis ? d : d - 1] != in->dims[d])
            return rt_fail(ctx->err, RT_BAD_MODEL, "the output must drop the axis");
        if (d < axis)
            p->outer *= in->dims[d];
        else
            p->inner *= in->dims[d];
    }
    p->axis_size = in->dims[axis];
    if (p->axis_size < 1)
        return rt_fail(ctx->err, RT_BAD_MODEL, "an empty axis has no index");
    node->params = p;
    node->macs = 0;
    return RT_OK;
}
