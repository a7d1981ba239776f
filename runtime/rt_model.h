/*
 * rt_model.h — reads a .tflite model in place and verifies it.
 *
 * rt_model_open() walks the whole flatbuffer once and rejects anything the
 * runtime could trip on later: offsets, vtables or vectors out of range,
 * misaligned tables, unknown tensor types, negative or overflowing shapes,
 * constant buffers shorter than their shape needs, tensor indices out of
 * range, unsupported operators (named, with the layer index).  After it
 * succeeds the accessors below still check bounds (cheaply), but cannot
 * fail on a model that was not modified since.
 *
 * Only subgraph 0 is run.  Nothing is copied: tensor data and names point
 * into the model bytes, which must stay valid and be 4-byte aligned.
 */
#ifndef RT_MODEL_H
#define RT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fb.h"
#include "rt_status.h"
#include "rt_tensor.h"

/* Limits the runtime enforces on hostile input (a real model is far below). */
#define RT_MAX_OP_INPUTS 32
#define RT_MAX_OP_OUTPUTS 8
#define RT_MAX_TENSOR_BYTES 0x7FFFFFFFu

struct rt_model {
    struct fb_buf buf;
    struct fb_table root, subgraph;
    struct fb_vec opcodes, buffers, tensors, operators, inputs, outputs;
    uint32_t version;
};

/* One operator as stored in the model. */
struct rt_op_info {
    int32_t op;              /* builtin code: max(deprecated_builtin_code, builtin_code) */
    int32_t version;         /* operator version from its OperatorCode */
    const char *custom_name; /* for CUSTOM ops, else NULL */
    struct fb_vec inputs;    /* int32 tensor indices, -1 = absent optional input */
    struct fb_vec outputs;
    uint8_t options_type;    /* enum tflite_builtin_options */
    struct fb_table options; /* valid when has_options */
    bool has_options;
};

/* Verifies the model and fills *m.  A supported_op callback, when given,
 * decides which builtin codes are runnable; others are rejected by name
 * and layer index.  Returns RT_BAD_MODEL / RT_UNSUPPORTED with a message. */
typedef bool (*rt_op_supported_fn)(int32_t op, uint8_t input_type);
enum rt_status rt_model_open(struct rt_model *m, const void *data, size_t size,
                             rt_op_supported_fn supported, struct rt_error *err);

static inline uint32_t rt_model_num_tensors(const struct rt_model *m) { return m->tensors.count; }
static inline uint32_t rt_model_num_ops(const struct rt_model *m) { return m->operators.count; }
static inline uint32_t rt_model_num_inputs(const struct rt_model *m) { return m->inputs.count; }
static inline uint32_t rt_model_num_outputs(const struct rt_model *m) { return m->outputs.count; }
static inline int32_t rt_model_input(const struct rt_model *m, uint32_t i)
{
    return fb_vec_i32(&m->buf, &m->inputs, i);
}
static inline int32_t rt_model_output(const struct rt_model *m, uint32_t i)
{
    return fb_vec_i32(&m->buf, &m->outputs, i);
}

/* Tensor i, with data pointing into the model for constants (else NULL). */
enum rt_status rt_model_tensor(const struct rt_model *m, uint32_t i, struct rt_tensor *out,
                               struct rt_error *err);

/* Operator i in execution order. */
enum rt_status rt_model_op(const struct rt_model *m, uint32_t i, struct rt_op_info *out,
                           struct rt_error *err);

static inline int32_t rt_op_input(const struct rt_model *m, const struct rt_op_info *op, uint32_t k)
{
    return fb_vec_i32(&m->buf, &op->inputs, k);
}
static inline int32_t rt_op_output(const struct rt_model *m, const struct rt_op_info *op, uint32_t k)
{
    return fb_vec_i32(&m->buf, &op->outputs, k);
}

/* The schema name of a builtin operator ("CONV_2D"), or NULL if unknown. */
const char *rt_op_name(int32_t op);

/* Which input's type names the operator's type (the kernel that runs it):
 * its data, which most operators take first; TRANSPOSE_CONV takes the
 * output shape first and the data third. */
static inline uint32_t rt_op_data_input(int32_t op)
{
    return op == TFLITE_OP_TRANSPOSE_CONV ? 2u : 0u;
}

/* Appends "NAME" or "op 201" to err (for messages). */
void rt_error_add_op(struct rt_error *err, int32_t op);

#endif
