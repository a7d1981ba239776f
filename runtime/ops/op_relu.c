/*
 * op_relu.c — prepare steps of the piecewise activations RELU, RELU6,
 * LEAKY_RELU and HARD_SWISH, for int8, int16 (not HARD_SWISH) and float32,
 * computing the parameters exactly as TFLite Micro's Prepare does —
 * including where it divides scales in float before widening to double,
 * and that its quantized RELU6 clamps the raw input bytes between the
 * input's quantized 0 and 6 without rescaling.
 */
#include "rt_ops.h"
#include "rt_quant.h"
#include "rt_target_sizes.h"

static enum rt_status activation_tensors(struct rt_prepare_ctx *ctx, const struct rt_node *node, bool int16_ok,
                                         struct rt_tensor **in, struct rt_tensor **out)
{
    enum rt_status st;
    if ((st = rt_get_input(ctx, node, 0, in)) != RT_OK || (st = rt_get_output(ctx, node, 0, out)) != RT_OK)
        return st;
    uint8_t type = (*in)->type;
    if (type != (*out)->type)
        return rt_fail(ctx->err, RT_BAD_MODEL, "input and output types differ");
    if (type != TFLITE_TYPE_INT8 && type != TFLITE_TYPE_FLOAT32 && !(int16_ok && type == TFLITE_TYPE_INT16))
        return rt_fail(ctx->err, RT_UNSUPPORTED, "input type not supported");
    if ((*in)->bytes != (*out)->bytes)
        return rt_fail(ctx->err, RT_BAD_MODEL, "input and output sizes differ");
    if (type != TFLITE_TYPE_FLOAT32 && ((*in)->scale <= 0 || (*out)->scale <= 0))
        return rt_fail(ctx->err, RT_BAD_MODEL, "quantized tensor without a positive scale");
    return RT_OK;
}

static void type_range(uint8_t type, int32_t *lo, int32_t *hi)
{
    *lo = type == TFLITE_TYPE_INT16 ? INT16_MIN : INT8_MIN;
    *hi = type == TFLITE_TYPE_INT16 ? INT16_MAX : INT8_MAX;
}

/* micro_utils.h's FloatToQuantizedType: round(value / scale) + zero point,
 * clamped to the type. */
static int32_t to_quantized(float value, float scale, int32_t zero_point, uint8_t type)
{
    int32_t lo, hi;
    type_range(type, &lo, &hi);
    int32_t q = rt_quantize_value(value, scale, zero_point);
    return q < lo ? lo : q > hi ? hi : q;
}

enum rt_status rt_prepare_relu(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in, *out;
    enum rt_status st;
    struct rt_relu_params *p = RT_PERSISTENT_NEW(ctx, struct rt_relu_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    if ((st = activation_tensors(ctx, node, true, &in, &out)) != RT_OK)
        return st;
    node->params = p;
    node->macs = 0;
    if (in->type == TFLITE_TYPE_FLOAT32)
        return RT_OK;
    p->input_zero_point = in->zero_point;
    p->output_zero_point = out->zero_point;
    if (node->op == TFLITE_OP_RELU6) {
        /* TFLM's Relu6Prepare: the bounds in the input's domain. */
        p->act_min = in->zero_point;
        p->act_max = to_quantized(6.0f, in->scale, in->zero_point, in->type);
        return RT_OK;
    }
    rt_quantize_multiplier((double)(in->scale / out->scale), &p->multiplier, &p->shift);
    int32_t lo, hi;
    type_range(in->type, &lo, &hi);
    p->act_min = out->zero_point > lo ? out->zero_point : lo; /* the output's quantized 0 */
    p->act_max = hi;
    return RT_OK;
}

enum rt_status rt_prepare_leaky_relu(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in, *out;
    struct fb_table opt;
    bool present;
    enum rt_status st;
    struct rt_relu_params *p = RT_PERSISTENT_NEW(ctx, struct rt_relu_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    if ((st = activation_tensors(ctx, node, true, &in, &out)) != RT_OK ||
        (st = rt_options(ctx, TFLITE_OPTIONS_LEAKY_RELU, &opt, &present)) != RT_OK ||
        (st = rt_option_f32(ctx, &opt, present, 0, 0.0f, &p->alpha)) != RT_OK)
        return st;
    node->params = p;
    node->macs = 0;
    if (in->type == TFLITE_TYPE_FLOAT32)
        return RT_OK;
    p->input_zero_point = in->zero_point;
    p->output_zero_point = out->zero_point;
    rt_quantize_multiplier((double)(in->scale * p->alpha / out->scale), &p->alpha_multiplier, &p->alpha_shift);
    rt_quantize_multiplier((double)(in->scale / out->scale), &p->multiplier, &p->shift);
    return RT_OK;
}

/* common.h's DownScaleInt32ToInt16Multiplier. */
static int16_t int16_multiplier(int32_t m)
{
    if (m >= INT32_MAX - (1 << 15))
        return INT16_MAX;
    return (int16_t)((m + (1 << 15)) >> 16);
}

enum rt_status rt_prepare_hard_swish(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in, *out;
    enum rt_status st;
    struct rt_relu_params *p = RT_PERSISTENT_NEW(ctx, struct rt_relu_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    if ((st = activation_tensors(ctx, node, false, &in, &out)) != RT_OK)
        return st;
    node->params = p;
    node->macs = rt_tensor_elements(in);
    if (in->type == TFLITE_TYPE_FLOAT32)
        return RT_OK;
    p->input_zero_point = in->zero_point;
    p->output_zero_point = out->zero_point;
    const float hires_input_scale = (1.0f / 128.0f) * in->scale;
    const float reluish_scale = 3.0f / 32768.0f;
    int32_t m;
    rt_quantize_multiplier((double)(hires_input_scale / out->scale), &m, &p->hs_output_exponent);
    p->hs_output_multiplier = int16_multiplier(m);
    if (p->hs_output_exponent > 0)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "hard swish output scale too small for the input's");
    rt_quantize_multiplier((double)(hires_input_scale / reluish_scale), &m, &p->hs_reluish_exponent);
    p->hs_reluish_multiplier = int16_multiplier(m);
    return RT_OK;
}
