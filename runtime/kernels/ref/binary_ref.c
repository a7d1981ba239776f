/*
 * binary_ref.c — the two-input elementwise kernels of op_binary.c, over
 * the 4-D broadcast: float32 ADD/SUB/MUL/DIV with the fused activation
 * (TFLite's reference arithmetic, ActivationFunctionWithMinMax), int8 and
 * int16 SUB (reference_ops::Sub's rescaling), MAXIMUM and MINIMUM on raw
 * values, the comparisons (int8 through ComparisonWithScaling), PRELU and
 * float32 SQUARED_DIFFERENCE.
 */
#include <string.h>

#include "ref_kernels.h"

/* Calls body(i, i1, i2) for every output element i, reading input k at ik. */
#define FOR_EACH_BROADCAST(bc, body)                                                                          \
    do {                                                                                                       \
        int32_t i_ = 0;                                                                                        \
        for (int32_t d0 = 0; d0 < (bc)->out_dims[0]; d0++)                                                     \
            for (int32_t d1 = 0; d1 < (bc)->out_dims[1]; d1++)                                                 \
                for (int32_t d2 = 0; d2 < (bc)->out_dims[2]; d2++)                                             \
                    for (int32_t d3 = 0; d3 < (bc)->out_dims[3]; d3++, i_++) {                                 \
                        const int32_t i1_ = d0 * (bc)->in1_strides[0] + d1 * (bc)->in1_strides[1] +            \
                                            d2 * (bc)->in1_strides[2] + d3 * (bc)->in1_strides[3];             \
                        const int32_t i2_ = d0 * (bc)->in2_strides[0] + d1 * (bc)->in2_strides[1] +            \
                                            d2 * (bc)->in2_strides[2] + d3 * (bc)->in2_strides[3];             \
                        body(i_, i1_, i2_);                                                                    \
                    }                                                                                          \
    } while (0)

static enum rt_status float_arithmetic_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_binary_params *p = node->params;
    const float *a = (const float *)(const void *)rt_node_input(tensors, node, 0)->data;
    const float *b = (const float *)(const void *)rt_node_input(tensors, node, 1)->data;
    float *y = (float *)(void *)rt_node_output(tensors, node, 0)->data;
    const int32_t op = node->op;
#define ARITH(i, i1, i2)                                                                                    \
    {                                                                                                       \
        float v = op == TFLITE_OP_ADD   ? a[i1] + b[i2]                                                     \
                  : op == TFLITE_OP_SUB ? a[i1] - b[i2]                                                     \
                  : op == TFLITE_OP_MUL ? a[i1] * b[i2]                                                     \
                                        : a[i1] / b[i2];                                                    \
        v = v < p->act_min_f ? p->act_min_f : v;                                                            \
        y[i] = v > p->act_max_f ? p->act_max_f : v;                                                         \
    }
    FOR_EACH_BROADCAST(&p->bc, ARITH);
#undef ARITH
    return RT_OK;
}

/* SQUARED_DIFFERENCE float32, as TFLite's: the difference, then its square. */
static enum rt_status squared_difference_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_binary_params *p = node->params;
    const float *a = (const float *)(const void *)rt_node_input(tensors, node, 0)->data;
    const float *b = (const float *)(const void *)rt_node_input(tensors, node, 1)->data;
    float *y = (float *)(void *)rt_node_output(tensors, node, 0)->data;
#define SQDIFF(i, i1, i2)                  \
    {                                      \
        const float d = a[i1] - b[i2];     \
        y[i] = d * d;                      \
    }
    FOR_EACH_BROADCAST(&p->bc, SQDIFF);
#undef SQDIFF
    return RT_OK;
}

static int32_t load(const uint8_t *data, uint8_t type, int32_t i)
{
    switch (type) {
    case TFLITE_TYPE_INT16: return ((const int16_t *)(const void *)data)[i];
    case TFLITE_TYPE_INT32: return ((const int32_t *)(const void *)data)[i];
    case TFLITE_TYPE_UINT8: case TFLITE_TYPE_BOOL: return data[i];
    default: return ((const int8_t *)data)[i];
    }
}

static enum rt_status sub_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_binary_params *p = node->params;
    const struct rt_tensor *in1 = rt_node_input(tensors, node, 0);
    const uint8_t *a = in1->data, *b = rt_node_input(tensors, node, 1)->data;
    uint8_t *y = rt_node_output(tensors, node, 0)->data;
    const uint8_t type = in1->type;
#define SUB(i, i1, i2)                                                                                      \
    {                                                                                                       \
        const int32_t s1 = rt_mul_by_quantized_multiplier((load(a, type, i1) + p->input1_offset) * (1 << p->left_shift), \
                                                          p->input1_multiplier, p->input1_shift);           \
        const int32_t s2 = rt_mul_by_quantized_multiplier((load(b, type, i2) + p->input2_offset) * (1 << p->left_shift), \
                                                          p->input2_multiplier, p->input2_shift);           \
        const int32_t v = rt_clamp(rt_mul_by_quantized_multiplier(s1 - s2, p->output_multiplier, p->output_shift) + \
                                       p->output_offset,                                                    \
                                   p->act_min, p->act_max);                                                 \
        if (type == TFLITE_TYPE_INT16)                                                                      \
            ((int16_t *)(void *)y)[i] = (int16_t)v;                                                         \
        else                                                                                                \
            ((int8_t *)y)[i] = (int8_t)v;                                                                   \
    }
    FOR_EACH_BROADCAST(&p->bc, SUB);
#undef SUB
    return RT_OK;
}

static enum rt_status min_max_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_binary_params *p = node->params;
    const struct rt_tensor *in1 = rt_node_input(tensors, node, 0);
    const uint8_t *a = in1->data, *b = rt_node_input(tensors, node, 1)->data;
    uint8_t *y = rt_node_output(tensors, node, 0)->data;
    const bool max = node->op == TFLITE_OP_MAXIMUM;
    const uint8_t type = in1->type;
    const uint32_t size = rt_type_size(type);
    if (type == TFLITE_TYPE_FLOAT32) {
        const float *fa = (const float *)(const void *)a, *fb = (const float *)(const void *)b;
        float *fy = (float *)(void *)y;
#define MINMAX_F(i, i1, i2) fy[i] = max ? (fa[i1] > fb[i2] ? fa[i1] : fb[i2]) : (fa[i1] < fb[i2] ? fa[i1] : fb[i2]);
        FOR_EACH_BROADCAST(&p->bc, MINMAX_F);
#undef MINMAX_F
        return RT_OK;
    }
    if (type == TFLITE_TYPE_INT64)
        return RT_BAD_ARG;
#define MINMAX(i, i1, i2)                                                                                   \
    {                                                                                                       \
        const int32_t va = load(a, type, i1), vb = load(b, type, i2);                                      \
        const bool first = max ? va > vb : va < vb;                                                        \
        memcpy(y + (size_t)(i)*size, first ? a + (size_t)(i1)*size : b + (size_t)(i2)*size, size);          \
    }
    FOR_EACH_BROADCAST(&p->bc, MINMAX);
#undef MINMAX
    return RT_OK;
}

static bool compare(int32_t op, double a, double b)
{
    switch (op) {
    case TFLITE_OP_EQUAL: return a == b;
    case TFLITE_OP_NOT_EQUAL: return a != b;
    case TFLITE_OP_LESS: return a < b;
    case TFLITE_OP_LESS_EQUAL: return a <= b;
    case TFLITE_OP_GREATER: return a > b;
    default: return a >= b;
    }
}

static enum rt_status comparison_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_binary_params *p = node->params;
    const struct rt_tensor *in1 = rt_node_input(tensors, node, 0);
    const uint8_t *a = in1->data, *b = rt_node_input(tensors, node, 1)->data;
    uint8_t *y = rt_node_output(tensors, node, 0)->data;
    const uint8_t type = in1->type;
    const int32_t op = node->op;
    if (type == TFLITE_TYPE_FLOAT32) {
        const float *fa = (const float *)(const void *)a, *fb = (const float *)(const void *)b;
#define CMP_F(i, i1, i2) y[i] = compare(op, fa[i1], fb[i2]);
        FOR_EACH_BROADCAST(&p->bc, CMP_F);
#undef CMP_F
        return RT_OK;
    }
    if (type == TFLITE_TYPE_INT8) {
#define CMP_Q(i, i1, i2)                                                                                    \
    {                                                                                                       \
        const int32_t s1 = rt_mul_by_quantized_multiplier((load(a, type, i1) + p->input1_offset) * (1 << p->left_shift), \
                                                          p->input1_multiplier, p->input1_shift);           \
        const int32_t s2 = rt_mul_by_quantized_multiplier((load(b, type, i2) + p->input2_offset) * (1 << p->left_shift), \
                                                          p->input2_multiplier, p->input2_shift);           \
        y[i] = compare(op, s1, s2);                                                                         \
    }
        FOR_EACH_BROADCAST(&p->bc, CMP_Q);
#undef CMP_Q
        return RT_OK;
    }
    if (type == TFLITE_TYPE_INT64)
        return RT_BAD_ARG;
#define CMP(i, i1, i2) y[i] = compare(op, load(a, type, i1), load(b, type, i2));
    FOR_EACH_BROADCAST(&p->bc, CMP);
#undef CMP
    return RT_OK;
}

static enum rt_status prelu_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_binary_params *p = node->params;
    const struct rt_tensor *in = rt_node_input(tensors, node, 0), *alpha = rt_node_input(tensors, node, 1);
    struct rt_tensor *out = rt_node_output(tensors, node, 0);
    if (in->type == TFLITE_TYPE_FLOAT32) {
        const float *x = (const float *)(const void *)in->data, *a = (const float *)(const void *)alpha->data;
        float *y = (float *)(void *)out->data;
#define PRELU_F32(i, i1, i2) y[i] = x[i1] >= 0.0f ? x[i1] : x[i1] * a[i2];
        FOR_EACH_BROADCAST(&p->bc, PRELU_F32);
#undef PRELU_F32
        return RT_OK;
    }
    const int8_t *a = (const int8_t *)alpha->data;
    const bool wide = in->type == TFLITE_TYPE_INT16;
#define PRELU_Q(i, i1, i2)                                                                                   \
    {                                                                                                        \
        const int32_t x = p->input1_offset + load(in->data, in->type, i1);                                  \
        int32_t v = x >= 0 ? rt_mul_by_quantized_multiplier(x, p->input1_multiplier, p->input1_shift)        \
                           : rt_mul_by_quantized_multiplier(x * (p->input2_offset + a[i2]), p->input2_multiplier, \
                                                            p->input2_shift);                                \
        v = rt_clamp(v + p->output_offset, p->act_min, p->act_max);                                         \
        if (wide)                                                                                            \
            ((int16_t *)(void *)out->data)[i] = (int16_t)v;                                                  \
        else                                                                                                 \
            ((int8_t *)out->data)[i] = (int8_t)v;                                                            \
    }
    FOR_EACH_BROADCAST(&p->bc, PRELU_Q);
#undef PRELU_Q
    return RT_OK;
}

#define KERNEL(var, kname, code, ktype, fn) \
    const struct rt_kernel var = {.name = kname, .op = code, .type = ktype, .invoke = fn};

KERNEL(rt_kernel_add_f32_ref, "add_f32_ref", TFLITE_OP_ADD, TFLITE_TYPE_FLOAT32, float_arithmetic_ref)
KERNEL(rt_kernel_sub_f32_ref, "sub_f32_ref", TFLITE_OP_SUB, TFLITE_TYPE_FLOAT32, float_arithmetic_ref)
KERNEL(rt_kernel_mul_f32_ref, "mul_f32_ref", TFLITE_OP_MUL, TFLITE_TYPE_FLOAT32, float_arithmetic_ref)
KERNEL(rt_kernel_div_f32_ref, "div_f32_ref", TFLITE_OP_DIV, TFLITE_TYPE_FLOAT32, float_arithmetic_ref)
KERNEL(rt_kernel_sub_s8_ref, "sub_s8_ref", TFLITE_OP_SUB, TFLITE_TYPE_INT8, sub_ref)
KERNEL(rt_kernel_sub_s16_ref, "sub_s16_ref", TFLITE_OP_SUB, TFLITE_TYPE_INT16, sub_ref)
KERNEL(rt_kernel_maximum_ref, "maximum_ref", TFLITE_OP_MAXIMUM, RT_TYPE_ANY, min_max_ref)
KERNEL(rt_kernel_minimum_ref, "minimum_ref", TFLITE_OP_MINIMUM, RT_TYPE_ANY, min_max_ref)
/* Comparisons for the input types TFLite Micro compares: one kernel each, so
 * that the operator table (mcusim ops) tells the truth. */
KERNEL(rt_kernel_equal_s8_ref, "equal_s8_ref", TFLITE_OP_EQUAL, TFLITE_TYPE_INT8, comparison_ref)
KERNEL(rt_kernel_not_equal_s8_ref, "not_equal_s8_ref", TFLITE_OP_NOT_EQUAL, TFLITE_TYPE_INT8, comparison_ref)
KERNEL(rt_kernel_less_s8_ref, "less_s8_ref", TFLITE_OP_LESS, TFLITE_TYPE_INT8, comparison_ref)
KERNEL(rt_kernel_less_equal_s8_ref, "less_equal_s8_ref", TFLITE_OP_LESS_EQUAL, TFLITE_TYPE_INT8, comparison_ref)
KERNEL(rt_kernel_greater_s8_ref, "greater_s8_ref", TFLITE_OP_GREATER, TFLITE_TYPE_INT8, comparison_ref)
KERNEL(rt_kernel_greater_equal_s8_ref, "greater_equal_s8_ref", TFLITE_OP_GREATER_EQUAL, TFLITE_TYPE_INT8, comparison_ref)
KERNEL(rt_kernel_equal_s32_ref, "equal_s32_ref", TFLITE_OP_EQUAL, TFLITE_TYPE_INT32, comparison_ref)
KERNEL(rt_kernel_not_equal_s32_ref, "not_equal_s32_ref", TFLITE_OP_NOT_EQUAL, TFLITE_TYPE_INT32, comparison_ref)
KERNEL(rt_kernel_less_s32_ref, "less_s32_ref", TFLITE_OP_LESS, TFLITE_TYPE_INT32, comparison_ref)
KERNEL(rt_kernel_less_equal_s32_ref, "less_equal_s32_ref", TFLITE_OP_LESS_EQUAL, TFLITE_TYPE_INT32, comparison_ref)
KERNEL(rt_kernel_greater_s32_ref, "greater_s32_ref", TFLITE_OP_GREATER, TFLITE_TYPE_INT32, comparison_ref)
KERNEL(rt_kernel_greater_equal_s32_ref, "greater_equal_s32_ref", TFLITE_OP_GREATER_EQUAL, TFLITE_TYPE_INT32, comparison_ref)
KERNEL(rt_kernel_equal_f32_ref, "equal_f32_ref", TFLITE_OP_EQUAL, TFLITE_TYPE_FLOAT32, comparison_ref)
KERNEL(rt_kernel_not_equal_f32_ref, "not_equal_f32_ref", TFLITE_OP_NOT_EQUAL, TFLITE_TYPE_FLOAT32, comparison_ref)
KERNEL(rt_kernel_less_f32_ref, "less_f32_ref", TFLITE_OP_LESS, TFLITE_TYPE_FLOAT32, comparison_ref)
KERNEL(rt_kernel_less_equal_f32_ref, "less_equal_f32_ref", TFLITE_OP_LESS_EQUAL, TFLITE_TYPE_FLOAT32, comparison_ref)
KERNEL(rt_kernel_greater_f32_ref, "greater_f32_ref", TFLITE_OP_GREATER, TFLITE_TYPE_FLOAT32, comparison_ref)
KERNEL(rt_kernel_greater_equal_f32_ref, "greater_equal_f32_ref", TFLITE_OP_GREATER_EQUAL, TFLITE_TYPE_FLOAT32, comparison_ref)
KERNEL(rt_kernel_prelu_s8_ref, "prelu_s8_ref", TFLITE_OP_PRELU, TFLITE_TYPE_INT8, prelu_ref)
KERNEL(rt_kernel_prelu_s16_ref, "prelu_s16_ref", TFLITE_OP_PRELU, TFLITE_TYPE_INT16, prelu_ref)
KERNEL(rt_kernel_prelu_f32_ref, "prelu_f32_ref", TFLITE_OP_PRELU, TFLITE_TYPE_FLOAT32, prelu_ref)
KERNEL(rt_kernel_squared_difference_f32_ref, "squared_difference_f32_ref", TFLITE_OP_SQUARED_DIFFERENCE,
       TFLITE_TYPE_FLOAT32, squared_difference_ref)
