/*
 * depthwise_conv_s8_opt.c — DEPTHWISE_CONV_2D int8, depth multiplier 1,
 * any kernel size, stride, dilation and padding: the general case behind
 * depthwise_conv_3x3_s8_opt.c.  Bit-identical to depthwise_conv_s8_ref.c.
 *
 * Four channels at a time, as the 3x3 kernel: per valid tap one word of
 * inputs and one of weights, split into even and odd channels by SXTB16 /
 * SXTB16 ROR #8, the input offset added to both halves at once (SADD16),
 * and four SMLABB / SMLATT.  The valid taps of a pixel are worked out once
 * per pixel, not per channel.  No scratch.
 */
#include "opt_kernels.h"

static enum rt_status depthwise_conv_s8_opt(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_conv_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    const struct rt_tensor *filter = rt_node_input(tensors, node, 1);
    const struct rt_tensor *out = rt_node_output(tensors, node, 0);
    const int8_t *weights = (const int8_t *)filter->data;
    const int32_t *bias = rt_opt_bias(tensors, node);
    const int32_t in_h = in->dims[1], in_w = in->dims[2], C = in->dims[3];
    const int32_t k_h = filter->dims[1], k_w = filter->dims[2];
    const int32_t out_h = out->dims[1], out_w = out->dims[2];
    const int32_t zp = p->output_offset, lo = p->act_min, hi = p->act_max, off = p->input_offset;
    const int32_t in_step_y = p->dilation_h * in_w * C, in_step_x = p->dilation_w * C;
#if RT_OPT_SIMD
    const uint32_t off2 = rt_pack16(off, off);
#endif

    for (int32_t b = 0; b < in->dims[0]; b++) {
        const int8_t *input = (const int8_t *)in->data + b * in_h * in_w * C;
        int8_t *output = (int8_t *)out->data + b * out_h * out_w * C;
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t iy0 = oy * p->stride_h - p->pad_h;
            int32_t ky0, ky1;
            rt_opt_tap_range(iy0, k_h, p->dilation_h, in_h, &ky0, &ky1);
            for (int32_t ox = 0; ox < out_w; ox++, output += C) {
                const int32_t ix0 = ox * p->stride_w - p->pad_w;
                int32_t kx0, kx1;
                rt_opt_tap_range(ix0, k_w, p->dilation_w, in_w, &kx0, &kx1);
                const int8_t *in0 = input + ((iy0 + ky0 * p->dilation_h) * in_w + ix0 + kx0 * p->dilation_w) * C;
                const int8_t *w0 = weights + (ky0 * k_w + kx0) * C;
                int32_t c = 0;
#if RT_OPT_SIMD
                for (; c + 4 <= C; c += 4) {
                    int32_t a0 = bias ? bias[c] : 0, a1 = bias ? bias[c + 1] : 0;
                    int32_t a2 = bias ? bias[c + 2] : 0, a3 = bias ? bias[c + 3] : 0;
                    const int8_t *row = in0 + c, *wrow = w0 + c;
                    for (int32_t ky = ky0; ky < ky1; ky++, row += in_step_y, wrow += k_w * C) {
                        const int8_t *x = row, *w = wrow;
                        for (int32_t kx = kx0; kx < kx1; kx++, x += in_step_x, w += C) {
                            uint32_t xv = rt_read_u32(x), wv = rt_read_u32(w);
                            uint32_t xe = rt_sadd16(rt_sxtb16(xv), off2), xo = rt_sadd16(rt_sxtb16_ror8(xv), off2);
                            uint32_t we = rt_sxtb16(wv), wo = rt_sxtb16_ror8(wv);
                            a0 = rt_smlabb(xe, we, a0);
                            a2 = rt_smlatt(xe, we, a2);
                            a1 = rt_smlabb(xo, wo, a1);
                            a3 = rt_smlatt(xo, wo, a3);
                        }
                    }
                    int32_t acc[4] = {a0, a1, a2, a3};
                    uint32_t word = 0;
                    for (int i = 0; i < 4; i++) {
                        int32_t v = rt_opt_requant(acc[i], p->multiplier[c + i], p->shift[c + i], zp, lo, hi);
                        word |= ((uint32_t)v & 0xFFu) << (8 * i);
                    }
                    rt_write_u32(output + c, word);
                }
#endif
                for (; c < C; c++) {
                    int32_t acc = bias ? bias[c] : 0;
                    const int8_t *row = in0 + c, *wrow = w0 + c;
                    for (int32_t ky = ky0; ky < ky1; ky++, row += in_step_y, wrow += k_w * C) {
                        const int8_t *x = row, *w = wrow;
                        for (int32_t kx = kx0; kx < kx1; kx++, x += in_step_x, w += C)
                            acc = rt_wrap_add(acc, (*x + off) * *w);
                    }
                    output[c] = (int8_t)rt_opt_requant(acc, p->multiplier[c], p->shift[c], zp, lo, hi);
                }
            }
        }
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_depthwise_conv_s8_opt = {
    .name = "depthwise_conv_s8_opt", .op = TFLITE_OP_DEPTHWISE_CONV_2D, .type = TFLITE_TYPE_INT8,
    .invoke = depthwise_conv_s8_opt,
};
