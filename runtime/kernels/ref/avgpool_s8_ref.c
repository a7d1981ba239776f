/*
 * avgpool_s8_ref.c — AVERAGE_POOL_2D, int8: TFLite's
 * reference_integer_ops::AveragePool.  Only taps inside the input count
 * towards the average; the sum is divided rounding half away from zero.
 */
#include "ref_kernels.h"

static enum rt_status avgpool_s8_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_pool_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    const struct rt_tensor *out = rt_node_output(tensors, node, 0);
    const int8_t *input = (const int8_t *)in->data;
    int8_t *output = (int8_t *)out->data;
    const int32_t batches = in->dims[0], in_h = in->dims[1], in_w = in->dims[2], depth = in->dims[3];
    const int32_t out_h = out->dims[1], out_w = out->dims[2];

    for (int32_t b = 0; b < batches; b++) {
        for (int32_t oy = 0; oy < out_h; oy++) {
            for (int32_t ox = 0; ox < out_w; ox++) {
                const int32_t in_y0 = oy * p->stride_h - p->pad_h;
                const int32_t in_x0 = ox * p->stride_w - p->pad_w;
                const int32_t fy_start = in_y0 < 0 ? -in_y0 : 0;
                const int32_t fy_end = p->filter_h < in_h - in_y0 ? p->filter_h : in_h - in_y0;
                const int32_t fx_start = in_x0 < 0 ? -in_x0 : 0;
                const int32_t fx_end = p->filter_w < in_w - in_x0 ? p->filter_w : in_w - in_x0;
                for (int32_t c = 0; c < depth; c++) {
                    int32_t acc = 0, count = 0;
                    for (int32_t fy = fy_start; fy < fy_end; fy++) {
                        for (int32_t fx = fx_start; fx < fx_end; fx++) {
                            acc += input[((b * in_h + in_y0 + fy) * in_w + in_x0 + fx) * depth + c];
                            count++;
                        }
                    }
                    if (count == 0)
                        return RT_BAD_MODEL; /* a window entirely in the padding; TFLite fails too */
                    acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                    output[((b * out_h + oy) * out_w + ox) * depth + c] = (int8_t)rt_clamp(acc, p->act_min, p->act_max);
                }
            }
        }
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_avgpool_s8_ref = {
    .name = "avgpool_s8_ref", .op = TFLITE_OP_AVERAGE_POOL_2D, .type = TFLITE_TYPE_INT8, .invoke = avgpool_s8_ref,
};
