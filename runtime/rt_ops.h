/*
 * rt_ops.h — the op-level prepare steps (runtime/ops/), one per TFLite
 * builtin the runtime supports, and the helpers they share.
 *
 * A prepare step reads the op's options from the model, checks every shape
 * and type the kernels will rely on (so that invoke can index without
 * checks and cannot go out of bounds on a hostile model), computes the
 * integer parameters (struct rt_*_params in rt_op_params.h, allocated in the
 * arena's persistent tail) and counts MACs.
 */
#ifndef RT_OPS_H
#define RT_OPS_H

#include "rt_kernel.h"
#include "rt_op_params.h"

typedef enum rt_status (*rt_prepare_fn)(struct rt_prepare_ctx *ctx, struct rt_node *node);

struct rt_op_def {
    int32_t op;
    rt_prepare_fn prepare;
    bool output_aliases_input; /* output 0 may share input 0's bytes (RESHAPE) */
};

/* The op definition for a builtin code, or NULL when the runtime lacks it. */
const struct rt_op_def *rt_op_def_find(int32_t op);
/* The i-th op the runtime knows, in table order; NULL past the end. */
const struct rt_op_def *rt_op_def_at(size_t i);

enum rt_status rt_prepare_conv_2d(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_depthwise_conv_2d(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_transpose_conv(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_batch_matmul(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_cast(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_arg_min_max(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_resize(struct rt_prepare_ctx *ctx, struct rt_node *node); /* BILINEAR, NEAREST */
enum rt_status rt_prepare_depth_space(struct rt_prepare_ctx *ctx, struct rt_node *node); /* both directions */
enum rt_status rt_prepare_space_batch(struct rt_prepare_ctx *ctx, struct rt_node *node); /* both directions */
enum rt_status rt_prepare_fully_connected(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_pool_2d(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_add(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_mul(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_reshape(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_softmax(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_logistic(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_tanh(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_quantize(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_dequantize(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_pad(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_mean(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_concatenation(struct rt_prepare_ctx *ctx, struct rt_node *node);
/* op_movement.c */
enum rt_status rt_prepare_transpose(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_slice(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_strided_slice(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_pack(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_split(struct rt_prepare_ctx *ctx, struct rt_node *node); /* SPLIT, SPLIT_V, UNPACK */
enum rt_status rt_prepare_gather(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_shape(struct rt_prepare_ctx *ctx, struct rt_node *node);
/* op_relu.c */
enum rt_status rt_prepare_relu(struct rt_prepare_ctx *ctx, struct rt_node *node); /* RELU, RELU6 */
enum rt_status rt_prepare_leaky_relu(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_hard_swish(struct rt_prepare_ctx *ctx, struct rt_node *node);
/* op_binary.c */
enum rt_status rt_prepare_float_arithmetic(struct rt_prepare_ctx *ctx, struct rt_node *node); /* + - * / */
enum rt_status rt_prepare_sub(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_min_max(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_comparison(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_prelu(struct rt_prepare_ctx *ctx, struct rt_node *node);
enum rt_status rt_prepare_squared_difference(struct rt_prepare_ctx *ctx, struct rt_node *node);
/* op_unary.c: ABS, NEG, SQUARE, ZEROS_LIKE */
enum rt_status rt_prepare_unary(struct rt_prepare_ctx *ctx, struct rt_node *node);

/* ---- helpers shared by the prepare steps (ops/op_util.c) ---- */

/* Input k / output k, failing when absent. */
enum rt_status rt_get_input(struct rt_prepare_ctx *ctx, const struct rt_node *node, unsigned k,
                            struct rt_tensor **out);
enum rt_status rt_get_output(struct rt_prepare_ctx *ctx, const struct rt_node *node, unsigned k,
                             struct rt_tensor **out);

/* Requires type and (for int8) a per-tensor scale > 0 and a zero point in range. */
enum rt_status rt_check_int8_tensor(struct rt_prepare_ctx *ctx, const struct rt_tensor *t, const char *role);

/* Activation bounds for a fused activation in the output's int8 domain. */
enum rt_status rt_activation_range_s8(struct rt_prepare_ctx *ctx, uint8_t activation,
                                      const struct rt_tensor *output, int32_t *act_min, int32_t *act_max);
enum rt_status rt_activation_range_f32(struct rt_prepare_ctx *ctx, uint8_t activation, float *act_min,
                                       float *act_max);

/* TFLite's output size and leading padding for SAME/VALID. */
enum rt_status rt_conv_geometry(struct rt_prepare_ctx *ctx, uint8_t padding, int32_t in, int32_t filter,
                                int32_t stride, int32_t dilation, int32_t *out, int32_t *pad);

/* Per-output-channel multipliers for input_scale * filter_scale[c] / output_scale. */
enum rt_status rt_per_channel_multipliers(struct rt_prepare_ctx *ctx, const struct rt_tensor *input,
                                          const struct rt_tensor *filter, const struct rt_tensor *output,
                                          int32_t channels, const int32_t **multiplier, const int8_t **shift);

/* Reads option fields of the op's options table, checking its type. */
enum rt_status rt_options(struct rt_prepare_ctx *ctx, uint8_t expected_type, struct fb_table *table,
                          bool *present);
enum rt_status rt_option_u8(struct rt_prepare_ctx *ctx, const struct fb_table *t, bool present, unsigned id,
                            uint8_t def, uint8_t *out);
enum rt_status rt_option_i32(struct rt_prepare_ctx *ctx, const struct fb_table *t, bool present, unsigned id,
                             int32_t def, int32_t *out);
enum rt_status rt_option_f32(struct rt_prepare_ctx *ctx, const struct fb_table *t, bool present, unsigned id,
                             float def, float *out);

/* A constant int32 or int64 tensor of count elements (axes, sizes), read
 * into values (op_movement.c). */
enum rt_status rt_int_values(struct rt_prepare_ctx *ctx, const struct rt_tensor *t, uint32_t count,
                             int32_t *values);

/* Bytes of the constant inputs, for node->weight_bytes. */
uint32_t rt_constant_input_bytes(const struct rt_tensor *tensors, const struct rt_node *node);

/* Same shape (rank and every dimension). */
bool rt_same_shape(const struct rt_tensor *a, const struct rt_tensor *b);

/* Fills a 4-D broadcast description for out = f(in1, in2), numpy rules. */
enum rt_status rt_broadcast_4d(struct rt_prepare_ctx *ctx, const struct rt_tensor *in1,
                               const struct rt_tensor *in2, const struct rt_tensor *out, struct rt_broadcast *bc);

#endif
