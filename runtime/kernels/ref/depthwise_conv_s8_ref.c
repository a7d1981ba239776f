/*
 * depthwise_conv_s8_ref.c — DEPTHWISE_CONV_2D, int8, per-channel weights,
 * any depth multiplier: TFLite's reference_integer_ops::
 * DepthwiseConvPerChannel.  Output channel oc = ic * depth_multiplier + m
 * reads input channel ic; weights are [1, k_h, k_w, out_c].
 */
#include "ref_kernels.h"

static enum rt_status depthwise_conv_s8_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_conv_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    const struct rt_tensor *filter = rt_node_input(tensors, node, 1);
    const struct rt_tensor *bias_t = rt_node_input(tensors, node, 2);
    const struct rt_tensor *out = rt_node_output(tensors, node, 0);
    const int8_t *input = (const int8_t *)in->data;
    const int8_t *weights = (const int8_t *)filter->data;
    const int32_t *bias = bias_t ? (const int32_t *)(const void *)bias_t->data : NULL;
    int8_t *output = (int8_t *)out->data;

    const int32_t batches = in->dims[0], in_h = in->dims[1], in_w = in->dims[2], in_c = in->dims[3];
    const int32_t k_h = filter->dims[1], k_w = filter->dims[2];
    const int32_t out_h = out->dims[1], out_w = out->dims[2], out_c = out->dims[3];
    const int32_t dm = p->depth_multiplier;

    for (int32_t b = 0; b < batches; b++) {
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t in_y0 = oy * p->stride_h - p->pad_h;
            for (int32_t ox = 0; ox < out_w; ox++) {
                const int32_t in_x0 = ox * p->stride_w - p->pad_w;
                for (int32_t ic = 0; ic < in_c; ic++) {
                    for (int32_t m = 0; m < dm; m++) {
                        const int32_t oc = ic * dm + m;
                        int32_t acc = 0;
                        for (int32_t ky = 0; ky < k_h; ky++) {
                            const int32_t iy = in_y0 + p->dilation_h * ky;
                            if (iy < 0 || iy >= in_h)
                                continue;
                            for (int32_t kx = 0; kx < k_w; kx++) {
                                const int32_t ix = in_x0 + p->dilation_w * kx;
                                if (ix < 0 || ix >= in_w)
                                    continue;
                                int32_t iv = input[((b * in_h + iy) * in_w + ix) * in_c + ic];
                                int32_t wv = weights[(ky * k_w + kx) * out_c + oc];
                                acc = rt_wrap_add(acc, wv * (iv + p->input_offset));
                            }
                        }
                        if (bias)
                            acc = rt_wrap_add(acc, bias[oc]);
                        acc = rt_mul_by_quantized_multiplier(acc, p->multiplier[oc], p->shift[oc]);
                        acc = rt_add_sat(acc, p->output_offset);
                        output[((b * out_h + oy) * out_w + ox) * out_c + oc] =
                            (int8_t)rt_clamp(acc, p->act_min, p->act_max);
                    }
                }
            }
        }
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_depthwise_conv_s8_ref = {
    .name = "depthwise_conv_s8_ref", .op = TFLITE_OP_DEPTHWISE_CONV_2D, .type = TFLITE_TYPE_INT8,
    .invoke = depthwise_conv_s8_ref,
};
