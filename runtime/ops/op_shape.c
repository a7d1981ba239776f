/*
 * op_shape.c — prepare steps of the ops that move or reduce data without
 * weights: RESHAPE (any type; may alias its input, see rt_interp.c), PAD,
 * PADV2 and MIRROR_PAD (int8, int16, float32), CONCATENATION (any type; int8 inputs
 * must share the output's quantization, as TFLite Micro requires) and MEAN
 * (int8, any axes, as TFLite's reduce Prepare).
 */
#include <string.h>

#include "rt_ops.h"
#include "rt_target_sizes.h"
#include "rt_quant.h"

enum rt_status rt_prepare_reshape(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in, *out;
    enum rt_status st;
    if ((st = rt_get_input(ctx, node, 0, &in)) != RT_OK || (st = rt_get_output(ctx, node, 0, &out)) != RT_OK)
        return st;
    if (in->type != out->type || in->bytes != out->bytes)
        return rt_fail(ctx->err, RT_BAD_MODEL, "reshape changes the type or the number of elements");
    node->params = NULL;
    node->macs = 0;
    return RT_OK;
}

/* Reads a constant int32 tensor of exactly count elements. */
static enum rt_status constant_i32(struct rt_prepare_ctx *ctx, const struct rt_tensor *t, uint32_t count,
                                   const int32_t **values)
{
    if (!t->is_constant || t->type != TFLITE_TYPE_INT32)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "parameter tensor must be a constant int32 tensor");
    if (rt_tensor_elements(t) != count)
        return rt_fail(ctx->err, RT_BAD_MODEL, "parameter tensor has the wrong size");
    *values = (const int32_t *)(const void *)t->data; /* the reader checked 4-byte alignment */
    return RT_OK;
}

/* PAD, PADV2 (a constant scalar to pad with) and MIRROR_PAD (REFLECT or
 * SYMMETRIC copies of the edge), int8, int16 and float32, up to 4-D; PAD
 * pads with the output zero point (0.0), as TFLite Micro's pad.cc. */
enum rt_status rt_prepare_pad(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in, *paddings, *out;
    const int32_t *pads;
    enum rt_status st;
    struct rt_pad_params *p = RT_PERSISTENT_NEW(ctx, struct rt_pad_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    if ((st = rt_get_input(ctx, node, 0, &in)) != RT_OK || (st = rt_get_input(ctx, node, 1, &paddings)) != RT_OK ||
        (st = rt_get_output(ctx, node, 0, &out)) != RT_OK)
        return st;
    if (in->type != out->type)
        return rt_fail(ctx->err, RT_BAD_MODEL, "input and output differ in type");
    if (in->type != TFLITE_TYPE_INT8 && in->type != TFLITE_TYPE_INT16 && in->type != TFLITE_TYPE_FLOAT32)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "input type not supported");
    if (in->ndims > 4 || out->ndims != in->ndims)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "pad supports ranks up to 4 with equal input/output rank");
    if (in->type != TFLITE_TYPE_FLOAT32 && (in->scale != out->scale || in->zero_point != out->zero_point))
        return rt_fail(ctx->err, RT_UNSUPPORTED, "pad input and output quantization must match");
    if ((st = constant_i32(ctx, paddings, 2u * in->ndims, &pads)) != RT_OK)
        return st;
    p->mirror = -1;
    if (node->op == TFLITE_OP_MIRROR_PAD) {
        struct fb_table opt;
        bool present;
        uint8_t mode;
        if ((st = rt_options(ctx, TFLITE_OPTIONS_MIRROR_PAD, &opt, &present)) != RT_OK ||
            (st = rt_option_u8(ctx, &opt, present, 0, 0, &mode)) != RT_OK)
            return st;
        p->mirror = mode == 0 ? 1 : 0; /* REFLECT skips the edge, SYMMETRIC repeats it */
    }
    unsigned lead = 4u - in->ndims;
    for (unsigned d = 0; d < 4; d++) {
        int32_t before = 0, after = 0, dim = 1;
        if (d >= lead) {
            before = pads[2 * (d - lead)];
            after = pads[2 * (d - lead) + 1];
            dim = in->dims[d - lead];
        }
        if (before < 0 || after < 0)
            return rt_fail(ctx->err, RT_BAD_MODEL, "negative padding");
        /* A mirror reads the padding from inside the input. */
        if (p->mirror >= 0 && (before > dim - p->mirror || after > dim - p->mirror))
            return rt_fail(ctx->err, RT_BAD_MODEL, "mirror padding larger than the input allows");
        int64_t size = (int64_t)dim + before + after;
        if (d >= lead && size != out->dims[d - lead])
            return rt_fail(ctx->err, RT_BAD_MODEL, "output shape differs from the padded input shape");
        p->in_dims[d] = dim;
        p->out_dims[d] = (int32_t)(d >= lead ? size : 1);
        p->before[d] = before;
    }
    p->pad_value = 0; /* float 0.0f has all bits 0 */
    if (in->type != TFLITE_TYPE_FLOAT32)
        p->pad_value = out->zero_point;
    struct rt_tensor *value = node->op == TFLITE_OP_PADV2 ? rt_node_input(ctx->tensors, node, 2) : NULL;
    if (value) {
        if (value->type != in->type || rt_tensor_elements(value) != 1 || !value->is_constant)
            return rt_fail(ctx->err, RT_UNSUPPORTED, "the pad value must be a constant scalar of the input's type");
        if (in->type == TFLITE_TYPE_INT8)
            p->pad_value = ((const int8_t *)value->data)[0];
        else if (in->type == TFLITE_TYPE_INT16)
            p->pad_value = ((const int16_t *)(const void *)value->data)[0];
        else
            memcpy(&p->pad_value, value->data, 4);
    }
    node->params = p;
    node->macs = 0;
    return RT_OK;
}

enum rt_status rt_prepare_concatenation(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *out;
    struct fb_table opt;
    bool present;
    int32_t axis;
    uint8_t activation;
    enum rt_status st;
    struct rt_concat_params *p = RT_PERSISTENT_NEW(ctx, struct rt_concat_params, 1);
    uint32_t *copy_bytes = p ? RT_PERSISTENT_NEW(ctx, uint32_t, node->num_inputs) : NULL;
    if (!copy_bytes)
        return RT_NO_MEMORY;
    if ((st = rt_get_output(ctx, node, 0, &out)) != RT_OK ||
        (st = rt_options(ctx, TFLITE_OPTIONS_CONCATENATION, &opt, &present)) != RT_OK ||
        (st = rt_option_i32(ctx, &opt, present, TFLITE_CONCAT_AXIS, 0, &axis)) != RT_OK ||
        (st = rt_option_u8(ctx, &opt, present, TFLITE_CONCAT_FUSED_ACTIVATION, 0, &activation)) != RT_OK)
        return st;
    if (activation != TFLITE_ACT_NONE)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "fused activation on concatenation is not supported");
    if (node->num_inputs < 1 || out->ndims < 1)
        return rt_fail(ctx->err, RT_BAD_MODEL, "concatenation needs inputs and a ranked output");
    if (axis < 0)
        axis += out->ndims;
    if (axis < 0 || axis >= out->ndims)
        return rt_fail(ctx->err, RT_BAD_MODEL, "concatenation axis out of range");
    uint32_t elem = rt_type_size(out->type);
    int64_t axis_total = 0, outer = 1;
    for (int d = 0; d < axis; d++)
        outer *= out->dims[d];
    for (unsigned k = 0; k < node->num_inputs; k++) {
        struct rt_tensor *in;
        if ((st = rt_get_input(ctx, node, k, &in)) != RT_OK)
            return st;
        if (in->type != out->type || in->ndims != out->ndims)
            return rt_fail(ctx->err, RT_BAD_MODEL, "concatenation inputs differ from the output in type or rank");
        if (out->type == TFLITE_TYPE_INT8 && (in->scale != out->scale || in->zero_point != out->zero_point))
            return rt_fail(ctx->err, RT_UNSUPPORTED, "int8 concatenation needs equal input/output quantization");
        uint64_t inner = elem;
        for (int d = 0; d < out->ndims; d++) {
            if (d != axis && in->dims[d] != out->dims[d])
                return rt_fail(ctx->err, RT_BAD_MODEL, "concatenation inputs differ off the axis");
            if (d >= axis)
                inner *= (uint64_t)in->dims[d];
        }
        axis_total += in->dims[axis];
        copy_bytes[k] = (uint32_t)inner; /* <= the input's bytes */
    }
    if (axis_total != out->dims[axis])
        return rt_fail(ctx->err, RT_BAD_MODEL, "concatenated axis size differs from the output");
    p->outer = (int32_t)outer;
    p->copy_bytes = copy_bytes;
    node->params = p;
    node->macs = 0;
    return RT_OK;
}

enum rt_status rt_prepare_mean(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in, *axes, *out;
    struct fb_table opt;
    bool present;
    uint8_t keep_dims;
    const int32_t *axis;
    enum rt_status st;
    struct rt_mean_params *p = RT_PERSISTENT_NEW(ctx, struct rt_mean_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    /* REDUCE_MAX and REDUCE_MIN also take float32; MEAN and SUM int8. */
    bool min_max = node->op == TFLITE_OP_REDUCE_MAX || node->op == TFLITE_OP_REDUCE_MIN;
    if ((st = rt_get_input(ctx, node, 0, &in)) != RT_OK || (st = rt_get_input(ctx, node, 1, &axes)) != RT_OK ||
        (st = rt_get_output(ctx, node, 0, &out)) != RT_OK)
        return st;
    bool float_min_max = min_max && in->type == TFLITE_TYPE_FLOAT32 && out->type == TFLITE_TYPE_FLOAT32;
    if ((!float_min_max && ((st = rt_check_int8_tensor(ctx, in, "input")) != RT_OK ||
                            (st = rt_check_int8_tensor(ctx, out, "output")) != RT_OK)) ||
        (st = rt_options(ctx, TFLITE_OPTIONS_REDUCER, &opt, &present)) != RT_OK ||
        (st = rt_option_u8(ctx, &opt, present, TFLITE_REDUCER_KEEP_DIMS, 0, &keep_dims)) != RT_OK)
        return st;
    if (in->ndims > 4 || in->ndims < 1)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "mean supports ranks 1 to 4");
    uint32_t num_axes = rt_tensor_elements(axes);
    if ((st = constant_i32(ctx, axes, num_axes, &axis)) != RT_OK)
        return st;
    unsigned lead = 4u - in->ndims;
    for (unsigned d = 0; d < 4; d++)
        p->in_dims[d] = d >= lead ? in->dims[d - lead] : 1;
    for (uint32_t k = 0; k < num_axes; k++) {
        int32_t a = axis[k] < 0 ? axis[k] + in->ndims : axis[k];
        if (a < 0 || a >= in->ndims)
            return rt_fail(ctx->err, RT_BAD_MODEL, "mean axis out of range");
        p->reduced[lead + (unsigned)a] = true;
    }
    int64_t reduced = 1, kept = 1;
    int kept_rank = 0;
    for (unsigned d = lead; d < 4; d++) {
        if (p->reduced[d]) {
            reduced *= p->in_dims[d];
        } else {
            kept *= p->in_dims[d];
            kept_rank++;
        }
    }
    /* The output is the input with reduced axes dropped (or set to 1). */
    int expected_rank = keep_dims ? in->ndims : kept_rank;
    if (out->ndims != expected_rank || (int64_t)rt_tensor_elements(out) != kept)
        return rt_fail(ctx->err, RT_BAD_MODEL, "output shape differs from the reduced input shape");
    if (reduced < 1)
        return rt_fail(ctx->err, RT_BAD_MODEL, "mean over an empty axis");
    p->num_elements_in_axis = (int32_t)reduced;
    p->num_outputs = (int32_t)kept;
    p->input_zero_point = in->zero_point;
    p->output_zero_point = out->zero_point;
    p->same_quantization = in->scale == out->scale && in->zero_point == out->zero_point;
    node->params = p;
    node->macs = rt_tensor_elements(in);
    if (min_max) {
        /* TFLM compares raw int8 values: the quantization must not change. */
        if (!float_min_max && !p->same_quantization)
            return rt_fail(ctx->err, RT_UNSUPPORTED, "reduce max/min needs equal input/output quantization");
        return RT_OK;
    }
    int32_t multiplier;
    int shift;
    rt_quantize_multiplier((double)in->scale / (double)out->scale, &multiplier, &shift);
    if (node->op == TFLITE_OP_SUM) {
        /* QuantizedMeanOrSum with compute_sum: no 1/num, never the raw path. */
        p->same_quantization = false;
        p->multiplier = multiplier;
        p->shift = shift;
        return RT_OK;
    }
    /* TFLite's QuantizedMeanOrSum folds 1/num into the multiplier. */
    int extra = 63 - __builtin_clzll((unsigned long long)reduced);
    if (extra > 32)
        extra = 32;
    if (extra > 31 + shift)
        extra = 31 + shift;
    if (extra < 0)
        extra = 0;
    p->multiplier = (int32_t)(((int64_t)multiplier << extra) / reduced);
    p->shift = shift - extra;
    node->params = p;
    node->macs = rt_tensor_elements(in);
    return RT_OK;
}
