/*
 * relu_ref.c — RELU, RELU6 and LEAKY_RELU for int8, int16 and float32, as
 * TFLite Micro's activations.cc and leaky_relu.cc compute them: quantized
 * RELU rescales (input - zero point) to the output and clamps at the
 * output's 0; quantized RELU6 clamps the raw input between its own 0 and 6;
 * LEAKY_RELU rescales by the identity or the alpha multiplier by sign.
 */
#include "ref_kernels.h"

static int32_t load(const struct rt_tensor *t, uint32_t i)
{
    return t->type == TFLITE_TYPE_INT16 ? ((const int16_t *)(const void *)t->data)[i] : ((const int8_t *)t->data)[i];
}

static void store(struct rt_tensor *t, uint32_t i, int32_t v)
{
    if (t->type == TFLITE_TYPE_INT16)
        ((int16_t *)(void *)t->data)[i] = (int16_t)v;
    else
        ((int8_t *)t->data)[i] = (int8_t)v;
}

static void type_range(uint8_t type, int32_t *lo, int32_t *hi)
{
    *lo = type == TFLITE_TYPE_INT16 ? INT16_MIN : INT8_MIN;
    *hi = type == TFLITE_TYPE_INT16 ? INT16_MAX : INT8_MAX;
}

static enum rt_status relu_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_relu_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    struct rt_tensor *out = rt_node_output(tensors, node, 0);
    uint32_t n = rt_tensor_elements(in);
    bool six = node->op == TFLITE_OP_RELU6;
    if (in->type == TFLITE_TYPE_FLOAT32) {
        const float *x = (const float *)(const void *)in->data;
        float *y = (float *)(void *)out->data;
        for (uint32_t i = 0; i < n; i++)
            y[i] = six ? (x[i] > 6.0f ? 6.0f : x[i] < 0.0f ? 0.0f : x[i]) : (x[i] < 0.0f ? 0.0f : x[i]);
        return RT_OK;
    }
    for (uint32_t i = 0; i < n; i++) {
        int32_t v = load(in, i);
        if (six)
            v = v > p->act_max ? p->act_max : v < p->act_min ? p->act_min : v;
        else
            v = rt_clamp(p->output_zero_point +
                             rt_mul_by_quantized_multiplier(v - p->input_zero_point, p->multiplier, p->shift),
                         p->act_min, p->act_max);
        store(out, i, v);
    }
    return RT_OK;
}

static enum rt_status leaky_relu_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_relu_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    struct rt_tensor *out = rt_node_output(tensors, node, 0);
    uint32_t n = rt_tensor_elements(in);
    if (in->type == TFLITE_TYPE_FLOAT32) {
        const float *x = (const float *)(const void *)in->data;
        float *y = (float *)(void *)out->data;
        for (uint32_t i = 0; i < n; i++)
            y[i] = x[i] > 0.0f ? x[i] : x[i] * p->alpha;
        return RT_OK;
    }
    int32_t lo, hi;
    type_range(in->type, &lo, &hi);
    /* A negative alpha keeps the multiplier positive and negates after. */
    bool negative = p->alpha_multiplier < 0;
    int32_t alpha = negative ? -p->alpha_multiplier : p->alpha_multiplier;
    for (uint32_t i = 0; i < n; i++) {
        int32_t v = load(in, i) - p->input_zero_point, y = p->output_zero_point;
        if (v >= 0) {
            y += rt_mul_by_quantized_multiplier(v, p->multiplier, p->shift);
        } else {
            int32_t scaled = rt_mul_by_quantized_multiplier(v, alpha, p->alpha_shift);
            y += negative ? -scaled : scaled;
        }
        store(out, i, rt_clamp(y, lo, hi));
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_relu_ref = {
    .name = "relu_ref", .op = TFLITE_OP_RELU, .type = RT_TYPE_ANY, .invoke = relu_ref,
};
const struct rt_kernel rt_kernel_relu6_ref = {
    .name = "relu6_ref", .op = TFLITE_OP_RELU6, .type = RT_TYPE_ANY, .invoke = relu_ref,
};
const struct rt_kernel rt_kernel_leaky_relu_ref = {
    .name = "leaky_relu_ref", .op = TFLITE_OP_LEAKY_RELU, .type = RT_TYPE_ANY, .invoke = leaky_relu_ref,
};
