/*
 * depthwise_conv_mult_s8_opt.c — DEPTHWISE_CONV_2D int8 with a depth
 * multiplier above 1 (micro_speech's 10x8 layer, person_detect's first
 * layer: one input channel spread over 8 outputs), any kernel, stride,
 * dilation and padding.  Bit-identical to depthwise_conv_s8_ref.c.
 *
 * Output channels oc = ic * dm + m of one input channel share its input
 * value and have contiguous weights, so four of them are done at once:
 * per valid tap, one input value (offset added) and one word of weights
 * split by SXTB16 / SXTB16 ROR #8; SMLABB / SMLATB multiply each weight
 * half by the value.  Multipliers not divisible by 4 finish each input
 * channel one output channel at a time.  No scratch.
 */
#include "opt_kernels.h"

static enum rt_status depthwise_conv_mult_s8_opt(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_conv_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    const struct rt_tensor *filter = rt_node_input(tensors, node, 1);
    const struct rt_tensor *out = rt_node_output(tensors, node, 0);
    const int8_t *weights = (const int8_t *)filter->data;
    const int32_t *bias = rt_opt_bias(tensors, node);
    const int32_t in_h = in->dims[1], in_w = in->dims[2], in_c = in->dims[3];
    const int32_t k_h = filter->dims[1], k_w = filter->dims[2];
    const int32_t out_h = out->dims[1], out_w = out->dims[2], out_c = out->dims[3];
    const int32_t dm = p->depth_multiplier;
    const int32_t zp = p->output_offset, lo = p->act_min, hi = p->act_max, off = p->input_offset;
    const int32_t in_step_y = p->dilation_h * in_w * in_c, in_step_x = p->dilation_w * in_c;

    for (int32_t b = 0; b < in->dims[0]; b++) {
        const int8_t *input = (const int8_t *)in->data + b * in_h * in_w * in_c;
        int8_t *output = (int8_t *)out->data + b * out_h * out_w * out_c;
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t iy0 = oy * p->stride_h - p->pad_h;
            int32_t ky0, ky1;
            rt_opt_tap_range(iy0, k_h, p->dilation_h, in_h, &ky0, &ky1);
            for (int32_t ox = 0; ox < out_w; ox++, output += out_c) {
                const int32_t ix0 = ox * p->stride_w - p->pad_w;
                int32_t kx0, kx1;
                rt_opt_tap_range(ix0, k_w, p->dilation_w, in_w, &kx0, &kx1);
                const int8_t *in0 =
                    input + ((iy0 + ky0 * p->dilation_h) * in_w + ix0 + kx0 * p->dilation_w) * in_c;
                const int8_t *w0 = weights + (ky0 * k_w + kx0) * out_c;
                for (int32_t ic = 0; ic < in_c; ic++) {
                    int32_t oc = ic * dm;
                    const int32_t oc_end = oc + dm;
#if RT_OPT_SIMD
                    for (; oc + 4 <= oc_end; oc += 4) {
                        int32_t a0 = bias ? bias[oc] : 0, a1 = bias ? bias[oc + 1] : 0;
                        int32_t a2 = bias ? bias[oc + 2] : 0, a3 = bias ? bias[oc + 3] : 0;
                        const int8_t *row = in0 + ic, *wrow = w0 + oc;
                        for (int32_t ky = ky0; ky < ky1; ky++, row += in_step_y, wrow += k_w * out_c) {
                            const int8_t *x = row, *w = wrow;
                            for (int32_t kx = kx0; kx < kx1; kx++, x += in_step_x, w += out_c) {
                                uint32_t xv = (uint32_t)(*x + off), wv = rt_read_u32(w);
                                uint32_t we = rt_sxtb16(wv), wo = rt_sxtb16_ror8(wv);
                                a0 = rt_smlabb(we, xv, a0);
                                a2 = rt_smlatb(we, xv, a2);
                                a1 = rt_smlabb(wo, xv, a1);
                                a3 = rt_smlatb(wo, xv, a3);
                            }
                        }
                        int32_t acc[4] = {a0, a1, a2, a3};
                        for (int i = 0; i < 4; i++)
                            output[oc + i] = (int8_t)rt_opt_requant(acc[i], p->multiplier[oc + i], p->shift[oc + i],
                                                                    zp, lo, hi);
                    }
#endif
                    for (; oc < oc_end; oc++) {
                        int32_t acc = bias ? bias[oc] : 0;
                        const int8_t *row = in0 + ic, *wrow = w0 + oc;
                        for (int32_t ky = ky0; ky < ky1; ky++, row += in_step_y, wrow += k_w * out_c) {
                            const int8_t *x = row, *w = wrow;
                            for (int32_t kx = kx0; kx < kx1; kx++, x += in_step_x, w += out_c)
                                acc = rt_wrap_add(acc, (*x + off) * *w);
                        }
                        output[oc] = (int8_t)rt_opt_requant(acc, p->multiplier[oc], p->shift[oc], zp, lo, hi);
                    }
                }
            }
        }
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_depthwise_conv_mult_s8_opt = {
    .name = "depthwise_conv_mult_s8_opt", .op = TFLITE_OP_DEPTHWISE_CONV_2D, .type = TFLITE_TYPE_INT8,
    .invoke = depthwise_conv_mult_s8_opt,
};
