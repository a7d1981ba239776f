/*
 * op_fully_connected.c — prepare step of FULLY_CONNECTED, int8 (per-tensor
 * or per-channel weights, int32 bias) and float32, as TFLite's
 * fully_connected Prepare.  The input is flattened to [batches, in_depth]
 * with in_depth = weights' second dimension.  MACs = batches * out * in.
 */
#include "rt_ops.h"
#include "rt_target_sizes.h"

static enum rt_status check_bias(struct rt_prepare_ctx *ctx, const struct rt_tensor *bias, uint8_t type,
                                 int32_t out_depth)
{
    if (!bias)
        return RT_OK;
    if (bias->type != type)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "bias type does not match the weights");
    if (rt_tensor_elements(bias) != (uint32_t)out_depth)
        return rt_fail(ctx->err, RT_BAD_MODEL, "bias size differs from the output size");
    return RT_OK;
}

enum rt_status rt_prepare_fully_connected(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *input, *filter, *output, *bias;
    struct fb_table opt;
    bool present;
    uint8_t activation, weights_format;
    enum rt_status st;
    struct rt_fc_params *p = RT_PERSISTENT_NEW(ctx, struct rt_fc_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    if ((st = rt_get_input(ctx, node, 0, &input)) != RT_OK || (st = rt_get_input(ctx, node, 1, &filter)) != RT_OK ||
        (st = rt_get_output(ctx, node, 0, &output)) != RT_OK ||
        (st = rt_options(ctx, TFLITE_OPTIONS_FULLY_CONNECTED, &opt, &present)) != RT_OK ||
        (st = rt_option_u8(ctx, &opt, present, TFLITE_FC_FUSED_ACTIVATION, 0, &activation)) != RT_OK ||
        (st = rt_option_u8(ctx, &opt, present, TFLITE_FC_WEIGHTS_FORMAT, 0, &weights_format)) != RT_OK)
        return st;
    bias = rt_node_input(ctx->tensors, node, 2);
    if (weights_format != 0)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "shuffled weights format is not supported");
    if (filter->ndims != 2 || filter->dims[1] < 1)
        return rt_fail(ctx->err, RT_BAD_MODEL, "weights must be 2-D [out, in]");
    p->out_depth = filter->dims[0];
    p->in_depth = filter->dims[1];
    uint32_t in_elems = rt_tensor_elements(input);
    if (in_elems % (uint32_t)p->in_depth != 0)
        return rt_fail(ctx->err, RT_BAD_MODEL, "input size is not a multiple of the weights' input size");
    p->batches = (int32_t)(in_elems / (uint32_t)p->in_depth);
    if ((uint64_t)rt_tensor_elements(output) != (uint64_t)p->batches * (uint64_t)p->out_depth)
        return rt_fail(ctx->err, RT_BAD_MODEL, "output size differs from batches * weights' output size");
    if (output->type != input->type || filter->type != input->type)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "mixed input/weights/output types are not supported");

    if (input->type == TFLITE_TYPE_FLOAT32) {
        if ((st = check_bias(ctx, bias, TFLITE_TYPE_FLOAT32, p->out_depth)) != RT_OK ||
            (st = rt_activation_range_f32(ctx, activation, &p->act_min_f, &p->act_max_f)) != RT_OK)
            return st;
    } else {
        if ((st = rt_check_int8_tensor(ctx, input, "input")) != RT_OK ||
            (st = rt_check_int8_tensor(ctx, filter, "weights")) != RT_OK ||
            (st = rt_check_int8_tensor(ctx, output, "output")) != RT_OK ||
            (st = check_bias(ctx, bias, TFLITE_TYPE_INT32, p->out_depth)) != RT_OK ||
            (st = rt_activation_range_s8(ctx, activation, output, &p->act_min, &p->act_max)) != RT_OK)
            return st;
        p->input_offset = -input->zero_point;
        p->filter_offset = -filter->zero_point;
        p->output_offset = output->zero_point;
        p->per_channel = filter->num_scales > 1;
        if ((st = rt_per_channel_multipliers(ctx, input, filter, output, p->per_channel ? p->out_depth : 1,
                                             &p->multiplier, &p->shift)) != RT_OK)
            return st;
    }
    node->params = p;
    node->macs = (uint64_t)p->batches * (uint64_t)p->out_depth * (uint64_t)p->in_depth;
    node->weight_bytes = rt_constant_input_bytes(ctx->tensors, node);
    return RT_OK;
}
