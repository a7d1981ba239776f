/*
 * rt_tensor.h — the runtime's view of one tensor: shape, type,
 * quantization, and where its bytes are (flash for constants, the arena for
 * everything else).  The model reader fills it from the flatbuffer; the
 * planner sets data for arena tensors; kernels read it.
 */
#ifndef RT_TENSOR_H
#define RT_TENSOR_H

#include <stdbool.h>
#include <stdint.h>

#include "tflite_schema.h"

#define RT_MAX_DIMS 6

struct rt_tensor {
    uint8_t *data;         /* constant: in the model (never written); else arena, NULL until planned */
    uint32_t bytes;        /* element count * element size, checked < 2^31 */
    int32_t dims[RT_MAX_DIMS];
    uint8_t ndims;
    uint8_t type;          /* enum tflite_tensor_type */
    bool is_constant;      /* has data in the model */
    bool is_variable;
    float scale;           /* first (or only) scale; 0 when not quantized */
    int32_t zero_point;    /* first (or only) zero point */
    uint32_t num_scales;   /* 1 = per-tensor, >1 = per-channel */
    const uint8_t *scales; /* num_scales little-endian float32, in the model */
    int32_t quantized_dimension;
    const char *name;      /* NUL-terminated, in the model; may be NULL */
};

/* Bytes of one element, or 0 for a type the runtime cannot size. */
static inline uint32_t rt_type_size(uint8_t type)
{
    switch (type) {
    case TFLITE_TYPE_FLOAT32: return 4;
    case TFLITE_TYPE_INT32: return 4;
    case TFLITE_TYPE_UINT8: return 1;
    case TFLITE_TYPE_INT64: return 8;
    case TFLITE_TYPE_BOOL: return 1;
    case TFLITE_TYPE_INT16: return 2;
    case TFLITE_TYPE_INT8: return 1;
    case TFLITE_TYPE_FLOAT16: return 2;
    default: return 0;
    }
}

const char *rt_type_name(uint8_t type);

static inline uint32_t rt_tensor_elements(const struct rt_tensor *t)
{
    uint32_t size = rt_type_size(t->type);
    return size ? t->bytes / size : 0;
}

/* Dimension i counted from the end (i = 0: innermost), 1 beyond the rank. */
static inline int32_t rt_dim_from_end(const struct rt_tensor *t, unsigned i)
{
    return i < t->ndims ? t->dims[t->ndims - 1 - i] : 1;
}

/* Per-channel scale c (the per-tensor scale when there is only one). */
float rt_tensor_scale(const struct rt_tensor *t, uint32_t c);

#endif
