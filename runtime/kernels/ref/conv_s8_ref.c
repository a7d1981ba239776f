/*
 * conv_s8_ref.c — CONV_2D, int8 activations, int8 per-channel weights,
 * int32 bias: TFLite's reference_integer_ops::ConvPerChannel (with groups).
 * Layout NHWC, weights [out_c, k_h, k_w, in_c / groups].  Taps outside the
 * input are skipped, which equals padding with the input zero point.
 */
#include "ref_kernels.h"

static enum rt_status conv_s8_ref(struct rt_tensor *tensors, const struct rt_node *node)
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
    const int32_t k_h = filter->dims[1], k_w = filter->dims[2], filter_c = filter->dims[3];
    const int32_t out_h = out->dims[1], out_w = out->dims[2], out_c = out->dims[3];
    const int32_t out_per_group = out_c / (in_c / filter_c);

    for (int32_t b = 0; b < batches; b++) {
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t in_y0 = oy * p->stride_h - p->pad_h;
            for (int32_t ox = 0; ox < out_w; ox++) {
                const int32_t in_x0 = ox * p->stride_w - p->pad_w;
                for (int32_t oc = 0; oc < out_c; oc++) {
                    const int32_t group = oc / out_per_group;
                    int32_t acc = 0;
                    for (int32_t ky = 0; ky < k_h; ky++) {
                        const int32_t iy = in_y0 + p->dilation_h * ky;
                        if (iy < 0 || iy >= in_h)
                            continue;
                        for (int32_t kx = 0; kx < k_w; kx++) {
                            const int32_t ix = in_x0 + p->dilation_w * kx;
                            if (ix < 0 || ix >= in_w)
                                continue;
                            const int8_t *in_px = input + ((b * in_h + iy) * in_w + ix) * in_c + group * filter_c;
                            const int8_t *w_px = weights + ((oc * k_h + ky) * k_w + kx) * filter_c;
                            for (int32_t ic = 0; ic < filter_c; ic++)
                                acc = rt_wrap_add(acc, w_px[ic] * (in_px[ic] + p->input_offset));
                        }
                    }
                    if (bias)
                        acc = rt_wrap_add(acc, bias[oc]);
                    acc = rt_mul_by_quantized_multiplier(acc, p->multiplier[oc], p->shift[oc]);
                    acc = rt_add_sat(acc, p->output_offset);
                    output[((b * out_h + oy) * out_w + ox) * out_c + oc] = (int8_t)rt_clamp(acc, p->act_min, p->act_max);
                }
            }
        }
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_conv_s8_ref = {
    .name = "conv_s8_ref", .op = TFLITE_OP_CONV_2D, .type = TFLITE_TYPE_INT8, .invoke = conv_s8_ref,
};
