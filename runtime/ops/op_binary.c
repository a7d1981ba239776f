/*
 * op_binary.c — prepare steps of the two-input elementwise operators
 * beyond int8 ADD and MUL (op_elementwise.c), numpy broadcasting up to 4-D:
 *   ADD, SUB, MUL, DIV (float32)     a op b, then the fused activation
 *   SUB (int8, int16)                TFLite Micro's sub_common.cc rescaling
 *   MAXIMUM, MINIMUM (any type)      on the raw values, as TFLM compares them
 *   EQUAL ... GREATER_EQUAL          bool output; int8 rescaled first
 *   PRELU (int8, int16, float32)     x, or alpha * x below 0, each rescaled
 *   SQUARED_DIFFERENCE (float32)     (a - b) * (a - b)
 * Scales are combined in float where TFLM does so, then widened to double.
 */
#include "rt_ops.h"
#include "rt_quant.h"
#include "rt_target_sizes.h"

static enum rt_status binary_tensors(struct rt_prepare_ctx *ctx, struct rt_node *node, struct rt_tensor **in1,
                                     struct rt_tensor **in2, struct rt_tensor **out, struct rt_binary_params **p)
{
    enum rt_status st;
    *p = RT_PERSISTENT_NEW(ctx, struct rt_binary_params, 1);
    if (!*p)
        return RT_NO_MEMORY;
    if ((st = rt_get_input(ctx, node, 0, in1)) != RT_OK || (st = rt_get_input(ctx, node, 1, in2)) != RT_OK ||
        (st = rt_get_output(ctx, node, 0, out)) != RT_OK)
        return st;
    if ((*in1)->type != (*in2)->type)
        return rt_fail(ctx->err, RT_BAD_MODEL, "the two inputs differ in type");
    if (!rt_type_size((*in1)->type))
        return rt_fail(ctx->err, RT_UNSUPPORTED, "element type not supported");
    node->params = *p;
    node->macs = 0;
    return rt_broadcast_4d(ctx, *in1, *in2, *out, &(*p)->bc);
}

static enum rt_status fused_activation(struct rt_prepare_ctx *ctx, uint8_t options_type, uint8_t *activation)
{
    struct fb_table opt;
    bool present;
    enum rt_status st = rt_options(ctx, options_type, &opt, &present);
    return st != RT_OK ? st : rt_option_u8(ctx, &opt, present, 0, TFLITE_ACT_NONE, activation);
}

/* float32 ADD, SUB, MUL and DIV: the op-level prepare of ADD and MUL
 * sends float models here. */
enum rt_status rt_prepare_float_arithmetic(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in1, *in2, *out;
    struct rt_binary_params *p;
    uint8_t activation;
    enum rt_status st;
    uint8_t options = node->op == TFLITE_OP_ADD   ? TFLITE_OPTIONS_ADD
                      : node->op == TFLITE_OP_SUB ? TFLITE_OPTIONS_SUB
                      : node->op == TFLITE_OP_MUL ? TFLITE_OPTIONS_MUL
                                                  : TFLITE_OPTIONS_DIV;
    if ((st = binary_tensors(ctx, node, &in1, &in2, &out, &p)) != RT_OK ||
        (st = fused_activation(ctx, options, &activation)) != RT_OK ||
        (st = rt_activation_range_f32(ctx, activation, &p->act_min_f, &p->act_max_f)) != RT_OK)
        return st;
    if (in1->type != TFLITE_TYPE_FLOAT32 || out->type != TFLITE_TYPE_FLOAT32)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "this operator runs on float32 here");
    node->macs = rt_tensor_elements(out);
    return RT_OK;
}

enum rt_status rt_prepare_sub(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in1, *in2, *out;
    struct rt_binary_params *p;
    uint8_t activation;
    enum rt_status st;
    if ((st = rt_get_input(ctx, node, 0, &in1)) != RT_OK)
        return st;
    if (in1->type == TFLITE_TYPE_FLOAT32)
        return rt_prepare_float_arithmetic(ctx, node);
    if ((st = binary_tensors(ctx, node, &in1, &in2, &out, &p)) != RT_OK ||
        (st = fused_activation(ctx, TFLITE_OPTIONS_SUB, &activation)) != RT_OK)
        return st;
    if ((in1->type != TFLITE_TYPE_INT8 && in1->type != TFLITE_TYPE_INT16) || out->type != in1->type)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "sub runs on int8, int16 and float32");
    if (in1->scale <= 0 || in2->scale <= 0 || out->scale <= 0)
        return rt_fail(ctx->err, RT_BAD_MODEL, "quantized tensor without a positive scale");
    if (in1->type == TFLITE_TYPE_INT8) {
        if ((st = rt_activation_range_s8(ctx, activation, out, &p->act_min, &p->act_max)) != RT_OK)
            return st;
    } else {
        /* CalculateActivationRangeQuantized in the int16 domain. */
        float lo, hi;
        if ((st = rt_activation_range_f32(ctx, activation, &lo, &hi)) != RT_OK)
            return st;
        p->act_min = INT16_MIN;
        p->act_max = INT16_MAX;
        if (activation != TFLITE_ACT_NONE) {
            int32_t qlo = rt_quantize_value(lo, out->scale, out->zero_point);
            p->act_min = qlo > INT16_MIN ? qlo : INT16_MIN;
            if (activation != TFLITE_ACT_RELU) {
                int32_t qhi = rt_quantize_value(hi, out->scale, out->zero_point);
                p->act_max = qhi < INT16_MAX ? qhi : INT16_MAX;
            }
        }
    }
    p->input1_offset = -in1->zero_point;
    p->input2_offset = -in2->zero_point;
    p->output_offset = out->zero_point;
    p->left_shift = in1->type == TFLITE_TYPE_INT16 ? 15 : 20;
    const float twice_max = 2 * (in1->scale > in2->scale ? in1->scale : in2->scale);
    rt_quantize_multiplier((double)(in1->scale / twice_max), &p->input1_multiplier, &p->input1_shift);
    rt_quantize_multiplier((double)(in2->scale / twice_max), &p->input2_multiplier, &p->input2_shift);
    rt_quantize_multiplier((double)(twice_max / ((float)(1 << p->left_shift) * out->scale)), &p->output_multiplier,
                           &p->output_shift);
    node->macs = rt_tensor_elements(out);
    return RT_OK;
}

/* SQUARED_DIFFERENCE (float32): (a - b) * (a - b), no activation. */
enum rt_status rt_prepare_squared_difference(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in1, *in2, *out;
    struct rt_binary_params *p;
    enum rt_status st;
    if ((st = binary_tensors(ctx, node, &in1, &in2, &out, &p)) != RT_OK)
        return st;
    if (in1->type != TFLITE_TYPE_FLOAT32 || out->type != TFLITE_TYPE_FLOAT32)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "this operator runs on float32 here");
    node->macs = rt_tensor_elements(out);
    return RT_OK;
}

enum rt_status rt_prepare_min_max(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in1, *in2, *out;
    struct rt_binary_params *p;
    enum rt_status st;
    if ((st = binary_tensors(ctx, node, &in1, &in2, &out, &p)) != RT_OK)
        return st;
    if (out->type != in1->type)
        return rt_fail(ctx->err, RT_BAD_MODEL, "output type differs from the inputs'");
    node->macs = rt_tensor_elements(out);
    return RT_OK;
}

enum rt_status rt_prepare_comparison(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in1, *in2, *out;
    struct rt_binary_params *p;
    enum rt_status st;
    if ((st = binary_tensors(ctx, node, &in1, &in2, &out, &p)) != RT_OK)
        return st;
    if (out->type != TFLITE_TYPE_BOOL)
        return rt_fail(ctx->err, RT_BAD_MODEL, "a comparison's output must be bool");
    if (in1->type == TFLITE_TYPE_INT8) {
        if (!(in1->scale > 0 && in1->scale < 1 && in2->scale > 0 && in2->scale < 1))
            return rt_fail(ctx->err, RT_UNSUPPORTED, "int8 comparison needs input scales in (0, 1)");
        p->left_shift = 8;
        p->input1_offset = -in1->zero_point;
        p->input2_offset = -in2->zero_point;
        rt_quantize_multiplier((double)in1->scale, &p->input1_multiplier, &p->input1_shift);
        rt_quantize_multiplier((double)in2->scale, &p->input2_multiplier, &p->input2_shift);
    } else if (in1->type == TFLITE_TYPE_INT16 || in1->type == TFLITE_TYPE_UINT8) {
        return rt_fail(ctx->err, RT_UNSUPPORTED, "comparison input type not supported");
    }
    node->macs = rt_tensor_elements(out);
    return RT_OK;
}

/* PRELU: int8 and int16 inputs with an int8 alpha, and float32; alpha is
 * broadcast against the input.  x >= 0 is rescaled by input / output
 * scale, x < 0 multiplied by alpha and rescaled by input * alpha / output
 * scale, as TFLite Micro's prelu_common.cc: the first multiplier goes in
 * input1_*, the second in input2_*. */
enum rt_status rt_prepare_prelu(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in, *alpha, *out;
    enum rt_status st;
    struct rt_binary_params *p = RT_PERSISTENT_NEW(ctx, struct rt_binary_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    if ((st = rt_get_input(ctx, node, 0, &in)) != RT_OK || (st = rt_get_input(ctx, node, 1, &alpha)) != RT_OK ||
        (st = rt_get_output(ctx, node, 0, &out)) != RT_OK)
        return st;
    if (out->type != in->type)
        return rt_fail(ctx->err, RT_BAD_MODEL, "input and output differ in type");
    if (in->type == TFLITE_TYPE_FLOAT32) {
        if (alpha->type != TFLITE_TYPE_FLOAT32)
            return rt_fail(ctx->err, RT_UNSUPPORTED, "a float32 input wants a float32 alpha");
    } else if (in->type == TFLITE_TYPE_INT8 || in->type == TFLITE_TYPE_INT16) {
        if (alpha->type != TFLITE_TYPE_INT8)
            return rt_fail(ctx->err, RT_UNSUPPORTED, "a quantized input wants an int8 alpha");
        if (in->scale <= 0 || alpha->scale <= 0 || out->scale <= 0)
            return rt_fail(ctx->err, RT_BAD_MODEL, "quantized tensor without a positive scale");
        rt_quantize_multiplier((double)in->scale / (double)out->scale, &p->input1_multiplier, &p->input1_shift);
        rt_quantize_multiplier((double)in->scale * (double)alpha->scale / (double)out->scale, &p->input2_multiplier,
                               &p->input2_shift);
        p->input1_offset = -in->zero_point;
        p->input2_offset = -alpha->zero_point;
        p->output_offset = out->zero_point;
        p->act_min = in->type == TFLITE_TYPE_INT8 ? INT8_MIN : INT16_MIN;
        p->act_max = in->type == TFLITE_TYPE_INT8 ? INT8_MAX : INT16_MAX;
    } else {
        return rt_fail(ctx->err, RT_UNSUPPORTED, "input type not supported");
    }
    node->params = p;
    node->macs = rt_tensor_elements(out);
    return rt_broadcast_4d(ctx, in, alpha, out, &p->bc);
}
