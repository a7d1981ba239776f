/*
 * conv_1x1_s8_opt.c — CONV_2D int8 with a 1x1 kernel, no padding, any
 * stride (the pointwise layers of MobileNet and DS-CNN, ResNet's strided
 * shortcuts).  A column is one input pixel's in_c channels, contiguous in
 * NHWC: no gathering, no padding checks, only the 16-bit expansion, then
 * the shared matrix core (nn_mat_mult_kernel_s8_s16_opt.c).
 *
 * Scratch: the two columns (4 * in_c bytes, in_c rounded up to 4) and on
 * DSP cores the matrix core's requantization table (12 bytes per output
 * channel).
 */
#include "opt_kernels.h"

static uint32_t conv_1x1_s8_opt_scratch(const struct rt_tensor *tensors, const struct rt_node *node,
                                        const struct rt_target *target)
{
    const struct rt_tensor *in = &tensors[node->inputs[0]];
    const struct rt_tensor *out = &tensors[node->outputs[0]];
    return rt_opt_columns_bytes(in->dims[3]) + rt_opt_mat_mult_table_bytes(out->dims[3], target->dsp);
}

static enum rt_status conv_1x1_s8_opt(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_conv_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    const struct rt_tensor *out = rt_node_output(tensors, node, 0);
    const int8_t *weights = (const int8_t *)rt_node_input(tensors, node, 1)->data;
    const int32_t *bias = rt_opt_bias(tensors, node);
    const int32_t in_h = in->dims[1], in_w = in->dims[2], in_c = in->dims[3];
    const int32_t out_h = out->dims[1], out_w = out->dims[2], out_c = out->dims[3];
    const int32_t pixels = out_h * out_w;
    uint32_t *cols = node->scratch;
    struct rt_opt_mat_mult mm;
    int32_t *table = (int32_t *)(void *)((uint8_t *)node->scratch + rt_opt_columns_bytes(in_c));
    rt_opt_mat_mult_init(&mm, weights, bias, out_c, in_c, p, RT_SIMD_DSP ? table : NULL);

    for (int32_t b = 0; b < in->dims[0]; b++) {
        const int8_t *input = (const int8_t *)in->data + b * in_h * in_w * in_c;
        int8_t *output = (int8_t *)out->data + b * pixels * out_c;
        const int8_t *src[2];
        int32_t oy = 0, ox = 0;
        for (int32_t px = 0; px < pixels; px += 2) {
            const bool pair = px + 1 < pixels;
            for (int j = 0; j < 2; j++) {
                if (j == 1 && !pair) {
                    src[1] = src[0]; /* the last pixel of an odd count: its results are dropped */
                    break;
                }
                src[j] = input + (oy * p->stride_h * in_w + ox * p->stride_w) * in_c;
                if (++ox == out_w) {
                    ox = 0;
                    oy++;
                }
            }
            if (!RT_OPT_SIMD || in_c % 4 == 0) {
                rt_opt_column_fill_pair(cols, 0, src[0], src[1], in_c, p->input_offset);
            } else {
                rt_opt_column_fill(cols, in_c, 0, 0, src[0], in_c, p->input_offset);
                rt_opt_column_fill(cols, in_c, 1, 0, src[1], in_c, p->input_offset);
            }
            int8_t *out0 = output + px * out_c;
            rt_opt_mat_mult_s8(&mm, cols, out0, pair ? out0 + out_c : NULL);
        }
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_conv_1x1_s8_opt = {
    .name = "conv_1x1_s8_opt", .op = TFLITE_OP_CONV_2D, .type = TFLITE_TYPE_INT8,
    .scratch_size = conv_1x1_s8_opt_scratch, .invoke = conv_1x1_s8_opt,
};
