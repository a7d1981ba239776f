/*
 * arg_min_max_ref.c — ARG_MAX and ARG_MIN (int8, float32) as TFLite's
 * reference_ops::ArgMinMax: along the axis, the first index whose value is
 * strictly larger (smaller) than every one before it.
 */
#include "ref_kernels.h"

static enum rt_status arg_min_max_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_arg_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    int32_t *out = (int32_t *)(void *)rt_node_output(tensors, node, 0)->data;
    const bool is_max = node->op == TFLITE_OP_ARG_MAX, is_float = in->type == TFLITE_TYPE_FLOAT32;
    const float *xf = (const float *)(const void *)in->data;
    const int8_t *xi = (const int8_t *)in->data;
    for (int32_t o = 0; o < p->outer; o++)
        for (int32_t r = 0; r < p->inner; r++) {
            const int32_t base = o * p->axis_size * p->inner + r;
            int32_t best = 0;
            for (int32_t i = 1; i < p->axis_size; i++) {
                const int32_t at = base + i * p->inner, was = base + best * p->inner;
                const bool better = is_float ? (is_max ? xf[at] > xf[was] : xf[at] < xf[was])
                                             : (is_max ? xi[at] > xi[was] : xi[at] < xi[was]);
                if (better)
                    best = i;
            }
            out[o * p->inner + r] = best;
        }
    return RT_OK;
}

const struct rt_kernel rt_kernel_arg_max_s8_ref = {
    .name = "arg_max_s8_ref", .op = TFLITE_OP_ARG_MAX, .type = TFLITE_TYPE_INT8, .invoke = arg_min_max_ref,
};
const struct rt_kernel rt_kernel_arg_max_f32_ref = {
    .name = "arg_max_f32_ref", .op = TFLITE_OP_ARG_MAX, .type = TFLITE_TYPE_FLOAT32, .invoke = arg_min_max_ref,
};
const struct rt_kernel rt_kernel_arg_min_s8_ref = {
    .name = "arg_min_s8_ref", .op = TFLITE_OP_ARG_MIN, .type = TFLITE_TYPE_INT8, .invoke = arg_min_max_ref,
};
const struct rt_kernel rt_kernel_arg_min_f32_ref = {
    .name = "arg_min_f32_ref", .op = TFLITE_OP_ARG_MIN, .type = TFLITE_TYPE_FLOAT32, .invoke = arg_min_max_ref,
};
