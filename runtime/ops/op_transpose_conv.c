/*
 * op_transpose_conv.c — prepare step of TRANSPOSE_CONV (int8 with
 * per-channel or per-tensor weights and int32 bias; float32), as TFLite
 * Micro's transpose_conv.cc: inputs are the output shape (int32, constant),
 * the filter [out_c, kh, kw, in_c], the input and an optional bias; the
 * padding is the one SAME/VALID gives a convolution from the output back
 * to the input (ComputePaddingHeightWidth on the output's size).
 *
 * MACs: every input element times every filter tap it is scattered
 * through, N*in_h*in_w*in_c*kh*kw*out_c (taps that fall outside the output
 * included, as TFLite counts them).
 */
#include "rt_ops.h"
#include "rt_target_sizes.h"

enum rt_status rt_prepare_transpose_conv(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *shape, *filter, *input, *output;
    struct fb_table opt;
    bool present;
    uint8_t padding, activation;
    int32_t unused;
    enum rt_status st;
    struct rt_transpose_conv_params *p = RT_PERSISTENT_NEW(ctx, struct rt_transpose_conv_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    if ((st = rt_get_input(ctx, node, 0, &shape)) != RT_OK || (st = rt_get_input(ctx, node, 1, &filter)) != RT_OK ||
        (st = rt_get_input(ctx, node, 2, &input)) != RT_OK || (st = rt_get_output(ctx, node, 0, &output)) != RT_OK)
        return st;
    struct rt_tensor *bias = rt_node_input(ctx->tensors, node, 3);
    if ((st = rt_options(ctx, TFLITE_OPTIONS_TRANSPOSE_CONV, &opt, &present)) != RT_OK ||
        (st = rt_option_u8(ctx, &opt, present, TFLITE_TCONV_PADDING, 0, &padding)) != RT_OK ||
        (st = rt_option_i32(ctx, &opt, present, TFLITE_TCONV_STRIDE_W, 0, &p->stride_w)) != RT_OK ||
        (st = rt_option_i32(ctx, &opt, present, TFLITE_TCONV_STRIDE_H, 0, &p->stride_h)) != RT_OK ||
        (st = rt_option_u8(ctx, &opt, present, TFLITE_TCONV_FUSED_ACTIVATION, 0, &activation)) != RT_OK)
        return st;
    if (input->ndims != 4 || filter->ndims != 4 || output->ndims != 4)
        return rt_fail(ctx->err, RT_BAD_MODEL, "input, filter and output must be 4-D");
    if (shape->type != TFLITE_TYPE_INT32 || rt_tensor_elements(shape) != 4)
        return rt_fail(ctx->err, RT_BAD_MODEL, "the output shape must be 4 int32 values");
    const int32_t out_c = output->dims[3];
    if (output->dims[0] != input->dims[0] || filter->dims[0] != out_c || filter->dims[3] != input->dims[3] ||
        input->dims[3] < 1 || out_c < 1)
        return rt_fail(ctx->err, RT_BAD_MODEL, "filter shape does not match input/output channels");
    if (bias && rt_tensor_elements(bias) != (uint32_t)out_c)
        return rt_fail(ctx->err, RT_BAD_MODEL, "bias size differs from the output channels");
    /* Padding of the convolution that maps the output back to the input. */
    if ((st = rt_conv_geometry(ctx, padding, output->dims[1], filter->dims[1], p->stride_h, 1, &unused,
                               &p->pad_h)) != RT_OK ||
        (st = rt_conv_geometry(ctx, padding, output->dims[2], filter->dims[2], p->stride_w, 1, &unused,
                               &p->pad_w)) != RT_OK)
        return st;
    node->params = p;
    node->macs = (uint64_t)rt_tensor_elements(input) * (uint64_t)filter->dims[1] * (uint64_t)filter->dims[2] *
                 (uint64_t)out_c;
    node->weight_bytes = rt_constant_input_bytes(ctx->tensors, node);
    if (input->type == TFLITE_TYPE_FLOAT32) {
        if (filter->type != TFLITE_TYPE_FLOAT32 || output->type != TFLITE_TYPE_FLOAT32 ||
            (bias && bias->type != TFLITE_TYPE_FLOAT32))
            return rt_fail(ctx->err, RT_UNSUPPORTED, "float32 input wants float32 filter, bias and output");
        return rt_activation_range_f32(ctx, activation, &p->act_min_f, &p->act_max_f);
    }
    if ((st = rt_check_int8_tensor(ctx, input, "input")) != RT_OK ||
        (st = rt_check_int8_tensor(ctx, filter, "filter")) != RT_OK ||
        (st = rt_check_int8_tensor(ctx, output, "output")) != RT_OK)
        return st;
    if (filter->zero_point != 0)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "filter zero point must be 0 (symmetric int8 weights)");
    if (bias && bias->type != TFLITE_TYPE_INT32)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "bias must be int32");
    p->input_offset = -input->zero_point;
    p->output_offset = output->zero_point;
    if ((st = rt_activation_range_s8(ctx, activation, output, &p->act_min, &p->act_max)) != RT_OK)
        return st;
    return rt_per_channel_multipliers(ctx, input, filter, output, out_c, &p->multiplier, &p->shift);
}
