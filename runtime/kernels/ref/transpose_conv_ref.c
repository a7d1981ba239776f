/*
 * transpose_conv_ref.c — TRANSPOSE_CONV, int8 and float32, as TFLite's
 * reference kernels: every input element is scattered through the filter
 * into the output (int8: into an int32 scratch of the output's size, then
 * bias, per-channel requantization, zero point and clamp; float32: into
 * the output itself, then bias and the activation's clamp).  The order of
 * the additions is TFLite's, so float results are the same bits.
 */
#include <string.h>

#include "ref_kernels.h"

static uint32_t transpose_conv_s8_ref_scratch_size(const struct rt_tensor *tensors, const struct rt_node *node,
                                                   const struct rt_target *target)
{
    (void)target;
    return rt_tensor_elements(rt_node_output((struct rt_tensor *)tensors, node, 0)) * (uint32_t)sizeof(int32_t);
}

/* The geometry both types share. */
struct tconv_shape {
    int32_t batches, in_h, in_w, in_c, k_h, k_w, out_h, out_w, out_c;
};

static struct tconv_shape shape_of(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_tensor *f = rt_node_input(tensors, node, 1), *in = rt_node_input(tensors, node, 2);
    const struct rt_tensor *out = rt_node_output(tensors, node, 0);
    return (struct tconv_shape){in->dims[0], in->dims[1], in->dims[2], in->dims[3], f->dims[1], f->dims[2],
                                out->dims[1], out->dims[2], out->dims[3]};
}

static enum rt_status transpose_conv_s8_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_transpose_conv_params *p = node->params;
    const struct tconv_shape s = shape_of(tensors, node);
    const int8_t *filter = (const int8_t *)rt_node_input(tensors, node, 1)->data;
    const int8_t *input = (const int8_t *)rt_node_input(tensors, node, 2)->data;
    const struct rt_tensor *bias_t = rt_node_input(tensors, node, 3);
    const int32_t *bias = bias_t ? (const int32_t *)(const void *)bias_t->data : NULL;
    int8_t *output = (int8_t *)rt_node_output(tensors, node, 0)->data;
    int32_t *acc = node->scratch;
    const uint32_t n = (uint32_t)(s.batches * s.out_h * s.out_w * s.out_c);
    memset(acc, 0, n * sizeof *acc);
    for (int32_t b = 0; b < s.batches; b++)
        for (int32_t iy = 0; iy < s.in_h; iy++)
            for (int32_t ix = 0; ix < s.in_w; ix++)
                for (int32_t ic = 0; ic < s.in_c; ic++) {
                    const int32_t x = input[((b * s.in_h + iy) * s.in_w + ix) * s.in_c + ic] + p->input_offset;
                    for (int32_t fy = 0; fy < s.k_h; fy++) {
                        const int32_t oy = iy * p->stride_h - p->pad_h + fy;
                        if (oy < 0 || oy >= s.out_h)
                            continue;
                        for (int32_t fx = 0; fx < s.k_w; fx++) {
                            const int32_t ox = ix * p->stride_w - p->pad_w + fx;
                            if (ox < 0 || ox >= s.out_w)
                                continue;
                            int32_t *dst = &acc[((b * s.out_h + oy) * s.out_w + ox) * s.out_c];
                            for (int32_t oc = 0; oc < s.out_c; oc++)
                                dst[oc] += x * filter[((oc * s.k_h + fy) * s.k_w + fx) * s.in_c + ic];
                        }
                    }
                }
    for (uint32_t i = 0; i < n; i++) {
        const int32_t oc = (int32_t)(i % (uint32_t)s.out_c);
        int32_t v = acc[i] + (bias ? bias[oc] : 0);
        v = rt_mul_by_quantized_multiplier(v, p->multiplier[oc], p->shift[oc]) + p->output_offset;
        output[i] = (int8_t)rt_clamp(v, p->act_min, p->act_max);
    }
    return RT_OK;
}

static enum rt_status transpose_conv_f32_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_transpose_conv_params *p = node->params;
    const struct tconv_shape s = shape_of(tensors, node);
    const float *filter = (const float *)(const void *)rt_node_input(tensors, node, 1)->data;
    const float *input = (const float *)(const void *)rt_node_input(tensors, node, 2)->data;
    const struct rt_tensor *bias_t = rt_node_input(tensors, node, 3);
    const float *bias = bias_t ? (const float *)(const void *)bias_t->data : NULL;
    float *output = (float *)(void *)rt_node_output(tensors, node, 0)->data;
    const uint32_t n = (uint32_t)(s.batches * s.out_h * s.out_w * s.out_c);
    for (uint32_t i = 0; i < n; i++)
        output[i] = 0.0f;
    for (int32_t b = 0; b < s.batches; b++)
        for (int32_t iy = 0; iy < s.in_h; iy++)
            for (int32_t ix = 0; ix < s.in_w; ix++)
                for (int32_t ic = 0; ic < s.in_c; ic++) {
                    const float x = input[((b * s.in_h + iy) * s.in_w + ix) * s.in_c + ic];
                    for (int32_t fy = 0; fy < s.k_h; fy++) {
                        const int32_t oy = iy * p->stride_h - p->pad_h + fy;
                        if (oy < 0 || oy >= s.out_h)
                            continue;
                        for (int32_t fx = 0; fx < s.k_w; fx++) {
                            const int32_t ox = ix * p->stride_w - p->pad_w + fx;
                            if (ox < 0 || ox >= s.out_w)
                                continue;
                            float *dst = &output[((b * s.out_h + oy) * s.out_w + ox) * s.out_c];
                            for (int32_t oc = 0; oc < s.out_c; oc++)
                                dst[oc] += x * filter[((oc * s.k_h + fy) * s.k_w + fx) * s.in_c + ic];
                        }
                    }
                }
    for (uint32_t i = 0; i < n; i++) {
        float v = output[i];
        if (bias) /* not "+ 0.0f": that would turn -0.0f into 0.0f */
            v += bias[i % (uint32_t)s.out_c];
        output[i] = v < p->act_min_f ? p->act_min_f : v > p->act_max_f ? p->act_max_f : v;
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_transpose_conv_s8_ref = {
    .name = "transpose_conv_s8_ref", .op = TFLITE_OP_TRANSPOSE_CONV, .type = TFLITE_TYPE_INT8,
    .scratch_size = transpose_conv_s8_ref_scratch_size, .invoke = transpose_conv_s8_ref,
};
const struct rt_kernel rt_kernel_transpose_conv_f32_ref = {
    .name = "transpose_conv_f32_ref", .op = TFLITE_OP_TRANSPOSE_CONV, .type = TFLITE_TYPE_FLOAT32,
    .invoke = transpose_conv_f32_ref,
};
