/*
 * cast_ref.c — CAST as TFLite Micro's cast.cc: each raw value converted
 * as C converts it (floats to integers truncate toward zero, wider
 * integers to narrower keep the low bits, bool is 0 or 1).
 */
#include "ref_kernels.h"

/* Element i of t as a signed integer (all but float32). */
static int64_t int_at(const struct rt_tensor *t, uint32_t i)
{
    switch (t->type) {
    case TFLITE_TYPE_INT8: return ((const int8_t *)t->data)[i];
    case TFLITE_TYPE_INT16: return ((const int16_t *)(const void *)t->data)[i];
    case TFLITE_TYPE_INT32: return ((const int32_t *)(const void *)t->data)[i];
    case TFLITE_TYPE_UINT32: return ((const uint32_t *)(const void *)t->data)[i];
    default: return t->data[i] != 0; /* bool */
    }
}

static enum rt_status cast_ref(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    struct rt_tensor *out = rt_node_output(tensors, node, 0);
    const uint32_t n = rt_tensor_elements(in);
    const bool from_float = in->type == TFLITE_TYPE_FLOAT32;
    for (uint32_t i = 0; i < n; i++) {
        const float f = from_float ? ((const float *)(const void *)in->data)[i] : 0.0f;
        const int64_t v = from_float ? (int64_t)f : int_at(in, i);
        switch (out->type) {
        case TFLITE_TYPE_FLOAT32:
            ((float *)(void *)out->data)[i] = from_float ? f : (float)v;
            break;
        case TFLITE_TYPE_INT8: ((int8_t *)out->data)[i] = (int8_t)v; break;
        case TFLITE_TYPE_INT16: ((int16_t *)(void *)out->data)[i] = (int16_t)v; break;
        case TFLITE_TYPE_INT32: ((int32_t *)(void *)out->data)[i] = (int32_t)v; break;
        default: ((uint32_t *)(void *)out->data)[i] = (uint32_t)v; break;
        }
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_cast_ref = {
    .name = "cast_ref", .op = TFLITE_OP_CAST, .type = RT_TYPE_ANY, .invoke = cast_ref,
};
