/*
 * op_conv.c — prepare steps of CONV_2D and DEPTHWISE_CONV_2D (int8 with
 * per-channel or per-tensor weights, int32 bias), as TFLite's
 * conv/depthwise_conv Prepare: geometry from the options, the output shape
 * checked against it, one multiplier/shift per output channel.
 *
 * MACs follow TFLite/CMSIS: conv = N*out_h*out_w*out_c*k_h*k_w*in_c/groups,
 * depthwise = N*out_h*out_w*out_c*k_h*k_w.
 */
#include "rt_ops.h"
#include "rt_target_sizes.h"

struct conv_tensors {
    struct rt_tensor *input, *filter, *bias, *output;
};

static enum rt_status get_conv_tensors(struct rt_prepare_ctx *ctx, const struct rt_node *node,
                                       struct conv_tensors *t)
{
    enum rt_status st;
    if ((st = rt_get_input(ctx, node, 0, &t->input)) != RT_OK ||
        (st = rt_get_input(ctx, node, 1, &t->filter)) != RT_OK ||
        (st = rt_get_output(ctx, node, 0, &t->output)) != RT_OK)
        return st;
    t->bias = rt_node_input(ctx->tensors, node, 2);
    if ((st = rt_check_int8_tensor(ctx, t->input, "input")) != RT_OK ||
        (st = rt_check_int8_tensor(ctx, t->filter, "filter")) != RT_OK ||
        (st = rt_check_int8_tensor(ctx, t->output, "output")) != RT_OK)
        return st;
    if (t->input->ndims != 4 || t->filter->ndims != 4 || t->output->ndims != 4)
        return rt_fail(ctx->err, RT_BAD_MODEL, "input, filter and output must be 4-D");
    if (t->filter->zero_point != 0)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "filter zero point must be 0 (symmetric int8 weights)");
    if (t->bias) {
        if (t->bias->type != TFLITE_TYPE_INT32)
            return rt_fail(ctx->err, RT_UNSUPPORTED, "bias must be int32");
        if (rt_tensor_elements(t->bias) != (uint32_t)t->output->dims[3])
            return rt_fail(ctx->err, RT_BAD_MODEL, "bias size differs from the output channels");
    }
    return RT_OK;
}

/* Output height/width from the options, checked against the output tensor. */
static enum rt_status check_geometry(struct rt_prepare_ctx *ctx, const struct conv_tensors *t, uint8_t padding,
                                     int32_t kh, int32_t kw, struct rt_conv_params *p)
{
    int32_t out_h, out_w;
    enum rt_status st;
    if ((st = rt_conv_geometry(ctx, padding, t->input->dims[1], kh, p->stride_h, p->dilation_h, &out_h,
                               &p->pad_h)) != RT_OK ||
        (st = rt_conv_geometry(ctx, padding, t->input->dims[2], kw, p->stride_w, p->dilation_w, &out_w,
                               &p->pad_w)) != RT_OK)
        return st;
    if (t->output->dims[0] != t->input->dims[0] || t->output->dims[1] != out_h || t->output->dims[2] != out_w)
        return rt_fail(ctx->err, RT_BAD_MODEL, "output shape does not match the convolution geometry");
    return RT_OK;
}

static enum rt_status finish(struct rt_prepare_ctx *ctx, struct rt_node *node, const struct conv_tensors *t,
                             uint8_t activation, struct rt_conv_params *p)
{
    enum rt_status st;
    p->input_offset = -t->input->zero_point;
    p->output_offset = t->output->zero_point;
    if ((st = rt_activation_range_s8(ctx, activation, t->output, &p->act_min, &p->act_max)) != RT_OK)
        return st;
    if ((st = rt_per_channel_multipliers(ctx, t->input, t->filter, t->output, t->output->dims[3],
                                         &p->multiplier, &p->shift)) != RT_OK)
        return st;
    node->params = p;
    node->weight_bytes = rt_constant_input_bytes(ctx->tensors, node);
    return RT_OK;
}

enum rt_status rt_prepare_conv_2d(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct conv_tensors t;
    struct fb_table opt;
    bool present;
    uint8_t padding, activation;
    enum rt_status st;
    struct rt_conv_params *p = RT_PERSISTENT_NEW(ctx, struct rt_conv_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    if ((st = get_conv_tensors(ctx, node, &t)) != RT_OK ||
        (st = rt_options(ctx, TFLITE_OPTIONS_CONV_2D, &opt, &present)) != RT_OK ||
        (st = rt_option_u8(ctx, &opt, present, TFLITE_CONV2D_PADDING, 0, &padding)) != RT_OK ||
        (st = rt_option_i32(ctx, &opt, present, TFLITE_CONV2D_STRIDE_W, 0, &p->stride_w)) != RT_OK ||
        (st = rt_option_i32(ctx, &opt, present, TFLITE_CONV2D_STRIDE_H, 0, &p->stride_h)) != RT_OK ||
        (st = rt_option_u8(ctx, &opt, present, TFLITE_CONV2D_FUSED_ACTIVATION, 0, &activation)) != RT_OK ||
        (st = rt_option_i32(ctx, &opt, present, TFLITE_CONV2D_DILATION_W, 1, &p->dilation_w)) != RT_OK ||
        (st = rt_option_i32(ctx, &opt, present, TFLITE_CONV2D_DILATION_H, 1, &p->dilation_h)) != RT_OK)
        return st;
    const int32_t in_c = t.input->dims[3], out_c = t.output->dims[3];
    const int32_t filter_in_c = t.filter->dims[3];
    /* in_c >= 1: with no input channels the groups below would be 0 and
     * 'out_c % groups' a division by zero (SIGFPE on the host). */
    if (t.filter->dims[0] != out_c || filter_in_c < 1 || in_c < 1 || in_c % filter_in_c != 0)
        return rt_fail(ctx->err, RT_BAD_MODEL, "filter shape does not match input/output channels");
    const int32_t groups = in_c / filter_in_c;
    if (out_c % groups != 0)
        return rt_fail(ctx->err, RT_BAD_MODEL, "output channels not divisible by the groups");
    if ((st = check_geometry(ctx, &t, padding, t.filter->dims[1], t.filter->dims[2], p)) != RT_OK)
        return st;
    node->macs = (uint64_t)rt_tensor_elements(t.output) * (uint64_t)t.filter->dims[1] *
                 (uint64_t)t.filter->dims[2] * (uint64_t)filter_in_c;
    return finish(ctx, node, &t, activation, p);
}

enum rt_status rt_prepare_depthwise_conv_2d(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct conv_tensors t;
    struct fb_table opt;
    bool present;
    uint8_t padding, activation;
    int32_t depth_multiplier;
    enum rt_status st;
    struct rt_conv_params *p = RT_PERSISTENT_NEW(ctx, struct rt_conv_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    if ((st = get_conv_tensors(ctx, node, &t)) != RT_OK ||
        (st = rt_options(ctx, TFLITE_OPTIONS_DEPTHWISE_CONV_2D, &opt, &present)) != RT_OK ||
        (st = rt_option_u8(ctx, &opt, present, TFLITE_DWCONV_PADDING, 0, &padding)) != RT_OK ||
        (st = rt_option_i32(ctx, &opt, present, TFLITE_DWCONV_STRIDE_W, 0, &p->stride_w)) != RT_OK ||
        (st = rt_option_i32(ctx, &opt, present, TFLITE_DWCONV_STRIDE_H, 0, &p->stride_h)) != RT_OK ||
        (st = rt_option_i32(ctx, &opt, present, TFLITE_DWCONV_DEPTH_MULTIPLIER, 0, &depth_multiplier)) != RT_OK ||
        (st = rt_option_u8(ctx, &opt, present, TFLITE_DWCONV_FUSED_ACTIVATION, 0, &activation)) != RT_OK ||
        (st = rt_option_i32(ctx, &opt, present, TFLITE_DWCONV_DILATION_W, 1, &p->dilation_w)) != RT_OK ||
        (st = rt_option_i32(ctx, &opt, present, TFLITE_DWCONV_DILATION_H, 1, &p->dilation_h)) != RT_OK)
        return st;
    const int32_t in_c = t.input->dims[3], out_c = t.output->dims[3];
    if (t.filter->dims[0] != 1 || t.filter->dims[3] != out_c || in_c < 1 || out_c % in_c != 0)
        return rt_fail(ctx->err, RT_BAD_MODEL, "depthwise filter shape does not match input/output channels");
    /* The multiplier is implied by the shapes; a stored one must agree. */
    p->depth_multiplier = out_c / in_c;
    if (depth_multiplier != 0 && depth_multiplier != p->depth_multiplier)
        return rt_fail(ctx->err, RT_BAD_MODEL, "depth_multiplier disagrees with the channel counts");
    if ((st = check_geometry(ctx, &t, padding, t.filter->dims[1], t.filter->dims[2], p)) != RT_OK)
        return st;
    node->macs = (uint64_t)rt_tensor_elements(t.output) * (uint64_t)t.filter->dims[1] * (uint64_t)t.filter->dims[2];
    return finish(ctx, node, &t, activation, p);
}
