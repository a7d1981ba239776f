/*
 * op_activation.c — prepare steps of the int8 nonlinearities SOFTMAX,
 * LOGISTIC and TANH, as TFLite Micro's: the input is rescaled once into a
 * gemmlowp fixed-point number (Q5 for softmax differences, Q4 for
 * logistic/tanh) by a multiplier and left shift computed here, and inputs
 * beyond the "radius" where the function saturates are clamped directly.
 * Outputs use TFLite's fixed quantization (softmax/logistic: 1/256, -128;
 * tanh: 1/128, 0).  MACs = elements (one exp or rational each).
 */
#include "rt_ops.h"
#include "rt_target_sizes.h"
#include "rt_quant.h"

/* floor(((2^integer_bits) - 1) * 2^(31 - integer_bits) / 2^left_shift), as
 * TFLite's CalculateInputRadius; exact in double (powers of two). */
static int32_t input_radius(int integer_bits, int left_shift)
{
    double r = (double)((1 << integer_bits) - 1) * (double)((int64_t)1 << (31 - integer_bits));
    for (int i = 0; i < left_shift; i++)
        r /= 2.0;
    for (int i = 0; i > left_shift; i--)
        r *= 2.0;
    if (r >= 2147483647.0)
        return INT32_MAX;
    return (int32_t)r; /* positive: truncation is floor */
}

static enum rt_status unary_int8(struct rt_prepare_ctx *ctx, const struct rt_node *node, struct rt_tensor **in,
                                 struct rt_tensor **out)
{
    enum rt_status st;
    if ((st = rt_get_input(ctx, node, 0, in)) != RT_OK || (st = rt_get_output(ctx, node, 0, out)) != RT_OK ||
        (st = rt_check_int8_tensor(ctx, *in, "input")) != RT_OK ||
        (st = rt_check_int8_tensor(ctx, *out, "output")) != RT_OK)
        return st;
    if (!rt_same_shape(*in, *out))
        return rt_fail(ctx->err, RT_BAD_MODEL, "input and output shapes differ");
    return RT_OK;
}

static enum rt_status require_output_quantization(struct rt_prepare_ctx *ctx, const struct rt_tensor *out,
                                                  float scale, int32_t zero_point)
{
    if (out->scale != scale || out->zero_point != zero_point)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "output quantization differs from TFLite's fixed one for this op");
    return RT_OK;
}

enum rt_status rt_prepare_softmax(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in, *out;
    struct fb_table opt;
    bool present;
    float beta;
    enum rt_status st;
    struct rt_softmax_params *p = RT_PERSISTENT_NEW(ctx, struct rt_softmax_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    if ((st = unary_int8(ctx, node, &in, &out)) != RT_OK ||
        (st = require_output_quantization(ctx, out, 1.0f / 256.0f, -128)) != RT_OK ||
        (st = rt_options(ctx, TFLITE_OPTIONS_SOFTMAX, &opt, &present)) != RT_OK ||
        (st = rt_option_f32(ctx, &opt, present, TFLITE_SOFTMAX_BETA, 0.0f, &beta)) != RT_OK)
        return st;
    if (in->ndims < 1 || in->dims[in->ndims - 1] < 1)
        return rt_fail(ctx->err, RT_BAD_MODEL, "softmax needs a non-empty last dimension");
    if (!(beta > 0.0f) || !rt_isfinite(beta))
        return rt_fail(ctx->err, RT_BAD_MODEL, "softmax beta must be positive");
    p->depth = in->dims[in->ndims - 1];
    p->outer = (int32_t)(rt_tensor_elements(in) / (uint32_t)p->depth);
    /* PreprocessSoftmaxScaling with 5 integer bits for the differences. */
    const int scaled_diff_integer_bits = 5;
    double real = (double)beta * (double)in->scale * (double)(1 << (31 - scaled_diff_integer_bits));
    double max_real = 2147483647.0;
    if (real > max_real)
        real = max_real;
    int shift;
    rt_quantize_multiplier(real, &p->input_multiplier, &shift);
    if (shift < 0)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "input scale too small for the int8 softmax");
    p->input_left_shift = shift;
    p->diff_min = -input_radius(scaled_diff_integer_bits, shift);
    node->params = p;
    node->macs = rt_tensor_elements(in);
    return RT_OK;
}

static enum rt_status prepare_sigmoid(struct rt_prepare_ctx *ctx, struct rt_node *node, float out_scale,
                                      int32_t out_zero_point)
{
    struct rt_tensor *in, *out;
    enum rt_status st;
    struct rt_sigmoid_params *p = RT_PERSISTENT_NEW(ctx, struct rt_sigmoid_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    if ((st = unary_int8(ctx, node, &in, &out)) != RT_OK ||
        (st = require_output_quantization(ctx, out, out_scale, out_zero_point)) != RT_OK)
        return st;
    const int input_integer_bits = 4;
    double real = (double)in->scale * (double)(1 << (31 - input_integer_bits));
    int shift;
    rt_quantize_multiplier(real, &p->input_multiplier, &shift);
    p->input_left_shift = shift;
    p->input_zero_point = in->zero_point;
    p->input_range_radius = input_radius(input_integer_bits, shift);
    node->params = p;
    node->macs = rt_tensor_elements(in);
    return RT_OK;
}

enum rt_status rt_prepare_logistic(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    return prepare_sigmoid(ctx, node, 1.0f / 256.0f, -128);
}

enum rt_status rt_prepare_tanh(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    return prepare_sigmoid(ctx, node, 1.0f / 128.0f, 0);
}
