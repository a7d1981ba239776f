/*
 * op_util.c — checks and parameter computations shared by the op prepare
 * steps: fused activation bounds, SAME/VALID geometry, per-channel
 * multipliers, option reading, broadcasting.  Each mirrors the TFLite
 * function of the same purpose so that results match TFLite bit for bit.
 */
#include <string.h>

#include "rt_ops.h"
#include "rt_quant.h"
#include "rt_target_sizes.h"

/* rt_target_sizes.h's numbers.  On the target every size is checked; on
 * the host, the types without pointers, whose sizes must be the same there
 * (a pointer added to one of them fails here: move it to the first group). */
#if UINTPTR_MAX == 0xFFFFFFFFu
_Static_assert(sizeof(struct rt_tensor) == RT_TARGET_SIZEOF_TENSOR, "rt_target_sizes.h: struct rt_tensor");
_Static_assert(sizeof(struct rt_node) == RT_TARGET_SIZEOF_NODE, "rt_target_sizes.h: struct rt_node");
_Static_assert(sizeof(struct rt_conv_params) == RT_TARGET_SIZEOF_CONV_PARAMS, "rt_target_sizes.h: rt_conv_params");
_Static_assert(sizeof(struct rt_fc_params) == RT_TARGET_SIZEOF_FC_PARAMS, "rt_target_sizes.h: rt_fc_params");
_Static_assert(sizeof(struct rt_concat_params) == RT_TARGET_SIZEOF_CONCAT_PARAMS,
               "rt_target_sizes.h: rt_concat_params");
_Static_assert(sizeof(struct rt_split_params) == RT_TARGET_SIZEOF_SPLIT_PARAMS, "rt_target_sizes.h: rt_split_params");
_Static_assert(sizeof(struct rt_transpose_conv_params) == RT_TARGET_SIZEOF_TRANSPOSE_CONV_PARAMS,
               "rt_target_sizes.h: rt_transpose_conv_params");
#endif
_Static_assert(sizeof(struct rt_pool_params) == RT_TARGET_SIZEOF_POOL_PARAMS, "rt_target_sizes.h: rt_pool_params");
_Static_assert(sizeof(struct rt_add_params) == RT_TARGET_SIZEOF_ADD_PARAMS, "rt_target_sizes.h: rt_add_params");
_Static_assert(sizeof(struct rt_mul_params) == RT_TARGET_SIZEOF_MUL_PARAMS, "rt_target_sizes.h: rt_mul_params");
_Static_assert(sizeof(struct rt_softmax_params) == RT_TARGET_SIZEOF_SOFTMAX_PARAMS,
               "rt_target_sizes.h: rt_softmax_params");
_Static_assert(sizeof(struct rt_sigmoid_params) == RT_TARGET_SIZEOF_SIGMOID_PARAMS,
               "rt_target_sizes.h: rt_sigmoid_params");
_Static_assert(sizeof(struct rt_quantize_params) == RT_TARGET_SIZEOF_QUANTIZE_PARAMS,
               "rt_target_sizes.h: rt_quantize_params");
_Static_assert(sizeof(struct rt_pad_params) == RT_TARGET_SIZEOF_PAD_PARAMS, "rt_target_sizes.h: rt_pad_params");
_Static_assert(sizeof(struct rt_mean_params) == RT_TARGET_SIZEOF_MEAN_PARAMS, "rt_target_sizes.h: rt_mean_params");
_Static_assert(sizeof(struct rt_strided_copy_params) == RT_TARGET_SIZEOF_STRIDED_COPY_PARAMS,
               "rt_target_sizes.h: rt_strided_copy_params");
_Static_assert(sizeof(struct rt_gather_params) == RT_TARGET_SIZEOF_GATHER_PARAMS,
               "rt_target_sizes.h: rt_gather_params");
_Static_assert(sizeof(struct rt_binary_params) == RT_TARGET_SIZEOF_BINARY_PARAMS,
               "rt_target_sizes.h: rt_binary_params");
_Static_assert(sizeof(struct rt_relu_params) == RT_TARGET_SIZEOF_RELU_PARAMS, "rt_target_sizes.h: rt_relu_params");
_Static_assert(sizeof(struct rt_batch_matmul_params) == RT_TARGET_SIZEOF_BATCH_MATMUL_PARAMS,
               "rt_target_sizes.h: rt_batch_matmul_params");
_Static_assert(sizeof(struct rt_arg_params) == RT_TARGET_SIZEOF_ARG_PARAMS, "rt_target_sizes.h: rt_arg_params");
_Static_assert(sizeof(struct rt_resize_params) == RT_TARGET_SIZEOF_RESIZE_PARAMS,
               "rt_target_sizes.h: rt_resize_params");
_Static_assert(sizeof(struct rt_space_batch_params) == RT_TARGET_SIZEOF_SPACE_BATCH_PARAMS,
               "rt_target_sizes.h: rt_space_batch_params");

void *rt_persistent_alloc(struct rt_prepare_ctx *ctx, size_t bytes, size_t target_bytes)
{
    size_t rounded = (bytes + 7u) & ~(size_t)7u;
    if (rounded < bytes || rounded > ctx->capacity - *ctx->tail_used - ctx->head_reserved ||
        *ctx->tail_used + ctx->head_reserved > ctx->capacity) {
        rt_fail(ctx->err, RT_NO_MEMORY, "arena too small for the runtime's tables");
        return NULL;
    }
    *ctx->tail_used += rounded;
    if (ctx->tail_used_target)
        *ctx->tail_used_target += (target_bytes + 7u) & ~(size_t)7u;
    uint8_t *p = ctx->tail_base - *ctx->tail_used;
    memset(p, 0, rounded);
    return p;
}

enum rt_status rt_get_input(struct rt_prepare_ctx *ctx, const struct rt_node *node, unsigned k,
                            struct rt_tensor **out)
{
    *out = rt_node_input(ctx->tensors, node, k);
    if (*out)
        return RT_OK;
    rt_error_clear(ctx->err);
    rt_error_add(ctx->err, "missing input ");
    rt_error_add_uint(ctx->err, k);
    return RT_BAD_MODEL;
}

enum rt_status rt_get_output(struct rt_prepare_ctx *ctx, const struct rt_node *node, unsigned k,
                             struct rt_tensor **out)
{
    *out = rt_node_output(ctx->tensors, node, k);
    if (*out)
        return RT_OK;
    rt_error_clear(ctx->err);
    rt_error_add(ctx->err, "missing output ");
    rt_error_add_uint(ctx->err, k);
    return RT_BAD_MODEL;
}

enum rt_status rt_check_int8_tensor(struct rt_prepare_ctx *ctx, const struct rt_tensor *t, const char *role)
{
    rt_error_clear(ctx->err);
    rt_error_add(ctx->err, role);
    if (t->type != TFLITE_TYPE_INT8) {
        rt_error_add(ctx->err, " must be int8, is ");
        rt_error_add(ctx->err, rt_type_name(t->type));
        return RT_UNSUPPORTED;
    }
    if (t->num_scales == 0 || !(t->scale > 0.0f) || !rt_isfinite(t->scale)) {
        rt_error_add(ctx->err, " has no valid quantization scale");
        return RT_BAD_MODEL;
    }
    if (t->zero_point < -128 || t->zero_point > 127) {
        rt_error_add(ctx->err, " zero point out of int8 range");
        return RT_BAD_MODEL;
    }
    rt_error_clear(ctx->err);
    return RT_OK;
}

enum rt_status rt_activation_range_s8(struct rt_prepare_ctx *ctx, uint8_t activation,
                                      const struct rt_tensor *output, int32_t *act_min, int32_t *act_max)
{
    const int32_t qmin = -128, qmax = 127;
    float scale = output->scale;
    int32_t zp = output->zero_point;
    int32_t lo = qmin, hi = qmax;
    switch (activation) {
    case TFLITE_ACT_NONE:
        break;
    case TFLITE_ACT_RELU:
        lo = rt_quantize_value(0.0f, scale, zp);
        break;
    case TFLITE_ACT_RELU6:
        lo = rt_quantize_value(0.0f, scale, zp);
        hi = rt_quantize_value(6.0f, scale, zp);
        break;
    case TFLITE_ACT_RELU_N1_TO_1:
        lo = rt_quantize_value(-1.0f, scale, zp);
        hi = rt_quantize_value(1.0f, scale, zp);
        break;
    default:
        rt_error_clear(ctx->err);
        rt_error_add(ctx->err, "fused activation ");
        rt_error_add_uint(ctx->err, activation);
        rt_error_add(ctx->err, " is not supported");
        return RT_UNSUPPORTED;
    }
    *act_min = lo > qmin ? lo : qmin;
    *act_max = hi < qmax ? hi : qmax;
    return RT_OK;
}

enum rt_status rt_activation_range_f32(struct rt_prepare_ctx *ctx, uint8_t activation, float *act_min,
                                       float *act_max)
{
    *act_min = -3.402823466e+38f;
    *act_max = 3.402823466e+38f;
    switch (activation) {
    case TFLITE_ACT_NONE: return RT_OK;
    case TFLITE_ACT_RELU: *act_min = 0.0f; return RT_OK;
    case TFLITE_ACT_RELU6: *act_min = 0.0f; *act_max = 6.0f; return RT_OK;
    case TFLITE_ACT_RELU_N1_TO_1: *act_min = -1.0f; *act_max = 1.0f; return RT_OK;
    default: return rt_fail(ctx->err, RT_UNSUPPORTED, "fused activation is not supported");
    }
}

enum rt_status rt_conv_geometry(struct rt_prepare_ctx *ctx, uint8_t padding, int32_t in, int32_t filter,
                                int32_t stride, int32_t dilation, int32_t *out, int32_t *pad)
{
    if (stride < 1 || dilation < 1 || filter < 1 || in < 1)
        return rt_fail(ctx->err, RT_BAD_MODEL, "stride, dilation, filter and input sizes must be >= 1");
    int64_t effective = (int64_t)(filter - 1) * dilation + 1;
    int64_t size;
    if (padding == TFLITE_PADDING_SAME)
        size = ((int64_t)in + stride - 1) / stride;
    else if (padding == TFLITE_PADDING_VALID)
        size = ((int64_t)in + stride - effective) / stride;
    else
        return rt_fail(ctx->err, RT_BAD_MODEL, "unknown padding type");
    if (size < 1)
        return rt_fail(ctx->err, RT_BAD_MODEL, "filter larger than the VALID-padded input");
    int64_t total = (size - 1) * stride + effective - in;
    if (total > 0x7FFFFFFF)
        return rt_fail(ctx->err, RT_BAD_MODEL, "padding too large");
    *out = (int32_t)size;
    *pad = total > 0 ? (int32_t)(total / 2) : 0;
    return RT_OK;
}

static bool valid_scale(float s)
{
    return s > 0.0f && rt_isfinite(s);
}

/* Computed once in prepare into the arena's persistent tail: one int32
 * multiplier and one shift per output channel.  A filter quantized per
 * tensor (one scale) gets the same pair in every channel, so that kernels
 * always read per-channel arrays and need no second code path for the
 * per-tensor case. */
enum rt_status rt_per_channel_multipliers(struct rt_prepare_ctx *ctx, const struct rt_tensor *input,
                                          const struct rt_tensor *filter, const struct rt_tensor *output,
                                          int32_t channels, const int32_t **multiplier, const int8_t **shift)
{
    if (filter->num_scales != 1 && filter->num_scales != (uint32_t)channels)
        return rt_fail(ctx->err, RT_BAD_MODEL, "filter scale count differs from the output channels");
    int32_t *m = RT_PERSISTENT_NEW(ctx, int32_t, channels);
    int8_t *s = m ? RT_PERSISTENT_NEW(ctx, int8_t, channels) : NULL;
    if (!s)
        return RT_NO_MEMORY;
    for (int32_t c = 0; c < channels; c++) {
        float filter_scale = rt_tensor_scale(filter, (uint32_t)c);
        if (!valid_scale(filter_scale))
            return rt_fail(ctx->err, RT_BAD_MODEL, "filter scale is not a positive number");
        /* As TFLite's PopulateConvolutionQuantizationParams: in double. */
        double effective = (double)input->scale * (double)filter_scale / (double)output->scale;
        int sh;
        rt_quantize_multiplier(effective, &m[c], &sh);
        s[c] = (int8_t)sh; /* rt_quantize_multiplier keeps it in [-31, 30] */
    }
    *multiplier = m;
    *shift = s;
    return RT_OK;
}

enum rt_status rt_options(struct rt_prepare_ctx *ctx, uint8_t expected_type, struct fb_table *table,
                          bool *present)
{
    *present = false;
    if (!ctx->info->has_options)
        return RT_OK;
    if (ctx->info->options_type != expected_type)
        return rt_fail(ctx->err, RT_BAD_MODEL, "builtin options of the wrong type for this operator");
    *table = ctx->info->options;
    *present = true;
    return RT_OK;
}

enum rt_status rt_option_u8(struct rt_prepare_ctx *ctx, const struct fb_table *t, bool present, unsigned id,
                            uint8_t def, uint8_t *out)
{
    *out = def;
    if (present && !fb_get_u8(&ctx->model->buf, t, id, def, out))
        return rt_fail(ctx->err, RT_BAD_MODEL, "corrupt model: option field out of range");
    return RT_OK;
}

enum rt_status rt_option_i32(struct rt_prepare_ctx *ctx, const struct fb_table *t, bool present, unsigned id,
                             int32_t def, int32_t *out)
{
    *out = def;
    if (present && !fb_get_i32(&ctx->model->buf, t, id, def, out))
        return rt_fail(ctx->err, RT_BAD_MODEL, "corrupt model: option field out of range");
    return RT_OK;
}

enum rt_status rt_option_f32(struct rt_prepare_ctx *ctx, const struct fb_table *t, bool present, unsigned id,
                             float def, float *out)
{
    *out = def;
    if (present && !fb_get_f32(&ctx->model->buf, t, id, def, out))
        return rt_fail(ctx->err, RT_BAD_MODEL, "corrupt model: option field out of range");
    return RT_OK;
}

uint32_t rt_constant_input_bytes(const struct rt_tensor *tensors, const struct rt_node *node)
{
    uint64_t total = 0;
    for (unsigned k = 0; k < node->num_inputs; k++)
        if (node->inputs[k] >= 0 && tensors[node->inputs[k]].is_constant)
            total += tensors[node->inputs[k]].bytes;
    return total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
}

bool rt_same_shape(const struct rt_tensor *a, const struct rt_tensor *b)
{
    if (a->ndims != b->ndims)
        return false;
    for (unsigned d = 0; d < a->ndims; d++)
        if (a->dims[d] != b->dims[d])
            return false;
    return true;
}

enum rt_status rt_broadcast_4d(struct rt_prepare_ctx *ctx, const struct rt_tensor *in1,
                               const struct rt_tensor *in2, const struct rt_tensor *out, struct rt_broadcast *bc)
{
    if (in1->ndims > 4 || in2->ndims > 4 || out->ndims > 4)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "broadcasting above 4 dimensions is not supported");
    int32_t stride1 = 1, stride2 = 1;
    for (int d = 3; d >= 0; d--) {
        int32_t a = rt_dim_from_end(in1, (unsigned)(3 - d));
        int32_t b = rt_dim_from_end(in2, (unsigned)(3 - d));
        int32_t o = rt_dim_from_end(out, (unsigned)(3 - d));
        int32_t expected = a == 1 ? b : a;
        if ((a != b && a != 1 && b != 1) || o != expected)
            return rt_fail(ctx->err, RT_BAD_MODEL, "input shapes do not broadcast to the output shape");
        bc->out_dims[d] = o;
        bc->in1_strides[d] = (a == 1 && o != 1) ? 0 : stride1;
        bc->in2_strides[d] = (b == 1 && o != 1) ? 0 : stride2;
        stride1 *= a;
        stride2 *= b;
    }
    return RT_OK;
}
