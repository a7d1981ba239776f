/*
 * op_movement.c — prepare steps of the operators that only move elements,
 * for any element type, as TFLite's reference kernels do them:
 *   TRANSPOSE, SLICE, STRIDED_SLICE   one strided copy (rt_strided_copy_params)
 *   PACK                              CONCATENATION along a new axis
 *   SPLIT, SPLIT_V, UNPACK            the inverse (rt_split_params)
 *   GATHER                            rows picked by an index tensor
 *   SHAPE                             the input's dimensions
 *   SQUEEZE, EXPAND_DIMS              RESHAPE (rt_prepare_reshape)
 * Quantized inputs and outputs must share their quantization (the bytes are
 * copied unchanged), as TFLite Micro requires for these operators.
 */
#include "rt_ops.h"
#include "rt_target_sizes.h"

static enum rt_status same_quantization(struct rt_prepare_ctx *ctx, const struct rt_tensor *in,
                                        const struct rt_tensor *out)
{
    if (in->type != out->type)
        return rt_fail(ctx->err, RT_BAD_MODEL, "input and output types differ");
    if ((in->type == TFLITE_TYPE_INT8 || in->type == TFLITE_TYPE_INT16) &&
        (in->scale != out->scale || in->zero_point != out->zero_point))
        return rt_fail(ctx->err, RT_UNSUPPORTED, "input and output quantization must match");
    if (!rt_type_size(in->type))
        return rt_fail(ctx->err, RT_UNSUPPORTED, "element type not supported");
    return RT_OK;
}

/* A constant (or, for SHAPE-like producers, any) int32 or int64 tensor
 * of count elements, read into values. */
enum rt_status rt_int_values(struct rt_prepare_ctx *ctx, const struct rt_tensor *t, uint32_t count,
                             int32_t *values)
{
    if (!t->is_constant || (t->type != TFLITE_TYPE_INT32 && t->type != TFLITE_TYPE_INT64))
        return rt_fail(ctx->err, RT_UNSUPPORTED, "parameter tensor must be a constant int32 or int64 tensor");
    if (rt_tensor_elements(t) != count)
        return rt_fail(ctx->err, RT_BAD_MODEL, "parameter tensor has the wrong size");
    for (uint32_t i = 0; i < count; i++) {
        if (t->type == TFLITE_TYPE_INT32) {
            values[i] = ((const int32_t *)(const void *)t->data)[i];
        } else {
            int64_t v = ((const int64_t *)(const void *)t->data)[i];
            if (v < INT32_MIN || v > INT32_MAX)
                return rt_fail(ctx->err, RT_BAD_MODEL, "parameter out of range");
            values[i] = (int32_t)v;
        }
    }
    return RT_OK;
}

/* Element strides of t's dimensions (row-major). */
static void strides_of(const struct rt_tensor *t, int64_t *stride)
{
    int64_t s = 1;
    for (int d = t->ndims - 1; d >= 0; d--) {
        stride[d] = s;
        s *= t->dims[d];
    }
}

static struct rt_strided_copy_params *strided_params(struct rt_prepare_ctx *ctx, const struct rt_tensor *out)
{
    struct rt_strided_copy_params *p = RT_PERSISTENT_NEW(ctx, struct rt_strided_copy_params, 1);
    if (!p)
        return NULL;
    p->rank = out->ndims;
    for (int d = 0; d < out->ndims; d++)
        p->out_dims[d] = out->dims[d];
    p->elem_bytes = rt_type_size(out->type);
    return p;
}

enum rt_status rt_prepare_transpose(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in, *perm_t, *out;
    int32_t perm[RT_MAX_DIMS];
    int64_t stride[RT_MAX_DIMS];
    enum rt_status st;
    if ((st = rt_get_input(ctx, node, 0, &in)) != RT_OK || (st = rt_get_input(ctx, node, 1, &perm_t)) != RT_OK ||
        (st = rt_get_output(ctx, node, 0, &out)) != RT_OK || (st = same_quantization(ctx, in, out)) != RT_OK ||
        (st = rt_int_values(ctx, perm_t, in->ndims, perm)) != RT_OK)
        return st;
    if (out->ndims != in->ndims)
        return rt_fail(ctx->err, RT_BAD_MODEL, "transpose changes the rank");
    struct rt_strided_copy_params *p = strided_params(ctx, out);
    if (!p)
        return RT_NO_MEMORY;
    strides_of(in, stride);
    bool used[RT_MAX_DIMS] = {false};
    for (int d = 0; d < in->ndims; d++) {
        int32_t from = perm[d] < 0 ? perm[d] + in->ndims : perm[d];
        if (from < 0 || from >= in->ndims || used[from])
            return rt_fail(ctx->err, RT_BAD_MODEL, "transpose permutation is not a permutation of the axes");
        used[from] = true;
        if (out->dims[d] != in->dims[from])
            return rt_fail(ctx->err, RT_BAD_MODEL, "transpose output shape differs from the permuted input");
        p->in_stride[d] = (int32_t)stride[from];
    }
    p->base = 0;
    node->params = p;
    return RT_OK;
}

/* Start and stop of one axis, as TFLite's strided_slice_logic.h computes
 * them (masks already applied by the caller through the flags). */
static int32_t clamp32(int64_t v, int64_t lo, int64_t hi)
{
    return (int32_t)(v < lo ? lo : v > hi ? hi : v);
}

static void slice_axis(int32_t size, int32_t begin, int32_t end, int32_t stride, bool begin_masked,
                       bool end_masked, bool shrink, int32_t *start, int32_t *count)
{
    int64_t b = begin_masked ? (stride > 0 ? INT32_MIN : INT32_MAX) : begin;
    if (b < 0)
        b += size;
    *start = stride > 0 ? clamp32(b, 0, size) : clamp32(b, -1, size - 1);
    int64_t e;
    if (shrink) {
        e = (int64_t)*start + 1;
    } else {
        e = end_masked ? (stride > 0 ? INT32_MAX : INT32_MIN) : end;
        if (e < 0)
            e += size;
        e = stride > 0 ? clamp32(e, 0, size) : clamp32(e, -1, size - 1);
    }
    int64_t n = stride > 0 ? (e - *start + stride - 1) / stride : (*start - e + (-stride) - 1) / (-stride);
    *count = (int32_t)(n < 0 ? 0 : n);
}

/* SLICE (begin, size) and STRIDED_SLICE (begin, end, strides, masks). */
static enum rt_status prepare_slice(struct rt_prepare_ctx *ctx, struct rt_node *node, bool strided)
{
    struct rt_tensor *in, *begin_t, *end_t, *out;
    int32_t begin[RT_MAX_DIMS], end[RT_MAX_DIMS], step[RT_MAX_DIMS];
    int32_t begin_mask = 0, end_mask = 0, ellipsis_mask = 0, new_axis_mask = 0, shrink_mask = 0;
    uint8_t offset = 0;
    int64_t stride[RT_MAX_DIMS];
    enum rt_status st;
    if ((st = rt_get_input(ctx, node, 0, &in)) != RT_OK || (st = rt_get_input(ctx, node, 1, &begin_t)) != RT_OK ||
        (st = rt_get_input(ctx, node, 2, &end_t)) != RT_OK || (st = rt_get_output(ctx, node, 0, &out)) != RT_OK ||
        (st = same_quantization(ctx, in, out)) != RT_OK ||
        (st = rt_int_values(ctx, begin_t, in->ndims, begin)) != RT_OK ||
        (st = rt_int_values(ctx, end_t, in->ndims, end)) != RT_OK)
        return st;
    if (strided) {
        struct rt_tensor *strides_t;
        struct fb_table opt;
        bool present;
        if ((st = rt_get_input(ctx, node, 3, &strides_t)) != RT_OK ||
            (st = rt_int_values(ctx, strides_t, in->ndims, step)) != RT_OK ||
            (st = rt_options(ctx, TFLITE_OPTIONS_STRIDED_SLICE, &opt, &present)) != RT_OK ||
            (st = rt_option_i32(ctx, &opt, present, 0, 0, &begin_mask)) != RT_OK ||
            (st = rt_option_i32(ctx, &opt, present, 1, 0, &end_mask)) != RT_OK ||
            (st = rt_option_i32(ctx, &opt, present, 2, 0, &ellipsis_mask)) != RT_OK ||
            (st = rt_option_i32(ctx, &opt, present, 3, 0, &new_axis_mask)) != RT_OK ||
            (st = rt_option_i32(ctx, &opt, present, 4, 0, &shrink_mask)) != RT_OK ||
            (st = rt_option_u8(ctx, &opt, present, 5, 0, &offset)) != RT_OK)
            return st;
        if (ellipsis_mask || new_axis_mask)
            return rt_fail(ctx->err, RT_UNSUPPORTED, "strided slice with ellipsis or new-axis masks");
        if (offset)
            for (int d = 0; d < in->ndims; d++)
                end[d] += begin[d];
    } else {
        /* SLICE: the third input is the size; -1 means to the end. */
        for (int d = 0; d < in->ndims; d++) {
            step[d] = 1;
            end[d] = end[d] == -1 ? in->dims[d] : begin[d] + end[d];
            if (begin[d] < 0 || end[d] > in->dims[d] || end[d] < begin[d])
                return rt_fail(ctx->err, RT_BAD_MODEL, "slice out of the input's range");
        }
    }
    struct rt_strided_copy_params *p = RT_PERSISTENT_NEW(ctx, struct rt_strided_copy_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    strides_of(in, stride);
    int64_t base = 0, elements = 1;
    p->rank = in->ndims;
    for (int d = 0; d < in->ndims; d++) {
        if (step[d] == 0)
            return rt_fail(ctx->err, RT_BAD_MODEL, "strided slice with a zero stride");
        int32_t start, count;
        slice_axis(in->dims[d], begin[d], end[d], step[d], begin_mask >> d & 1, end_mask >> d & 1,
                   shrink_mask >> d & 1, &start, &count);
        /* A count of 0 leaves start unused, and it may be -1 or size then. */
        if (count > 0)
            base += start * stride[d];
        p->out_dims[d] = count;
        p->in_stride[d] = (int32_t)(step[d] * stride[d]);
        elements *= count;
    }
    if (elements != (int64_t)rt_tensor_elements(out))
        return rt_fail(ctx->err, RT_BAD_MODEL, "slice output size differs from the sliced input");
    p->base = (int32_t)base;
    p->elem_bytes = rt_type_size(in->type);
    node->params = p;
    return RT_OK;
}

enum rt_status rt_prepare_slice(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    return prepare_slice(ctx, node, false);
}

enum rt_status rt_prepare_strided_slice(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    return prepare_slice(ctx, node, true);
}

/* Bytes of one slice from `axis` on (inner) and the number of slices
 * before it (outer), for t with its own axis. */
static void outer_inner(const struct rt_tensor *t, int axis, int64_t *outer, int64_t *inner)
{
    *outer = 1;
    *inner = rt_type_size(t->type);
    for (int d = 0; d < t->ndims; d++) {
        if (d < axis)
            *outer *= t->dims[d];
        else
            *inner *= t->dims[d];
    }
}

enum rt_status rt_prepare_pack(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *out, *first;
    struct fb_table opt;
    bool present;
    int32_t count, axis;
    enum rt_status st;
    if ((st = rt_get_output(ctx, node, 0, &out)) != RT_OK || (st = rt_get_input(ctx, node, 0, &first)) != RT_OK ||
        (st = rt_options(ctx, TFLITE_OPTIONS_PACK, &opt, &present)) != RT_OK ||
        (st = rt_option_i32(ctx, &opt, present, 0, 0, &count)) != RT_OK ||
        (st = rt_option_i32(ctx, &opt, present, 1, 0, &axis)) != RT_OK)
        return st;
    if (count != node->num_inputs || out->ndims != first->ndims + 1)
        return rt_fail(ctx->err, RT_BAD_MODEL, "pack: values_count or ranks disagree with the tensors");
    if (axis < 0)
        axis += out->ndims;
    if (axis < 0 || axis >= out->ndims || out->dims[axis] != count)
        return rt_fail(ctx->err, RT_BAD_MODEL, "pack axis out of range");
    struct rt_concat_params *p = RT_PERSISTENT_NEW(ctx, struct rt_concat_params, 1);
    uint32_t *copy = p ? RT_PERSISTENT_NEW(ctx, uint32_t, node->num_inputs) : NULL;
    if (!copy)
        return RT_NO_MEMORY;
    int64_t outer, inner;
    outer_inner(first, axis, &outer, &inner);
    for (unsigned k = 0; k < node->num_inputs; k++) {
        struct rt_tensor *in;
        if ((st = rt_get_input(ctx, node, k, &in)) != RT_OK || (st = same_quantization(ctx, in, out)) != RT_OK)
            return st;
        if (!rt_same_shape(in, first))
            return rt_fail(ctx->err, RT_BAD_MODEL, "pack inputs differ in shape");
        copy[k] = (uint32_t)inner;
    }
    if ((uint64_t)outer * (uint64_t)inner * count != out->bytes)
        return rt_fail(ctx->err, RT_BAD_MODEL, "pack output size differs from its inputs");
    p->outer = (int32_t)outer;
    p->copy_bytes = copy;
    node->params = p;
    return RT_OK;
}

/* SPLIT (axis in input 0, data in 1), SPLIT_V (data, sizes, axis) and
 * UNPACK (data; axis in the options). */
static enum rt_status prepare_split(struct rt_prepare_ctx *ctx, struct rt_node *node, int32_t op)
{
    struct rt_tensor *in, *axis_t;
    int32_t axis = 0;
    enum rt_status st;
    if (op == TFLITE_OP_SPLIT) {
        if ((st = rt_get_input(ctx, node, 0, &axis_t)) != RT_OK || (st = rt_get_input(ctx, node, 1, &in)) != RT_OK ||
            (st = rt_int_values(ctx, axis_t, 1, &axis)) != RT_OK)
            return st;
    } else if (op == TFLITE_OP_SPLIT_V) {
        if ((st = rt_get_input(ctx, node, 0, &in)) != RT_OK || (st = rt_get_input(ctx, node, 2, &axis_t)) != RT_OK ||
            (st = rt_int_values(ctx, axis_t, 1, &axis)) != RT_OK)
            return st;
    } else {
        struct fb_table opt;
        bool present;
        int32_t num;
        if ((st = rt_get_input(ctx, node, 0, &in)) != RT_OK ||
            (st = rt_options(ctx, TFLITE_OPTIONS_UNPACK, &opt, &present)) != RT_OK ||
            (st = rt_option_i32(ctx, &opt, present, 0, 0, &num)) != RT_OK ||
            (st = rt_option_i32(ctx, &opt, present, 1, 0, &axis)) != RT_OK)
            return st;
        if (num != node->num_outputs)
            return rt_fail(ctx->err, RT_BAD_MODEL, "unpack: num differs from the number of outputs");
    }
    if (axis < 0)
        axis += in->ndims;
    if (axis < 0 || axis >= in->ndims || node->num_outputs < 1)
        return rt_fail(ctx->err, RT_BAD_MODEL, "split axis out of range");
    struct rt_split_params *p = RT_PERSISTENT_NEW(ctx, struct rt_split_params, 1);
    uint32_t *copy = p ? RT_PERSISTENT_NEW(ctx, uint32_t, node->num_outputs) : NULL;
    if (!copy)
        return RT_NO_MEMORY;
    int64_t outer, inner, total = 0;
    outer_inner(in, axis, &outer, &inner);
    int64_t row = inner / (in->dims[axis] ? in->dims[axis] : 1); /* bytes of one step along the axis */
    for (unsigned k = 0; k < node->num_outputs; k++) {
        struct rt_tensor *out;
        if ((st = rt_get_output(ctx, node, k, &out)) != RT_OK || (st = same_quantization(ctx, in, out)) != RT_OK)
            return st;
        int64_t o_outer = outer ? (int64_t)out->bytes / outer : 0;
        if (outer * o_outer != out->bytes || o_outer % (row ? row : 1))
            return rt_fail(ctx->err, RT_BAD_MODEL, "split output does not divide the input along the axis");
        copy[k] = (uint32_t)o_outer;
        total += o_outer;
    }
    if (total != inner)
        return rt_fail(ctx->err, RT_BAD_MODEL, "split outputs do not add up to the input");
    p->outer = (int32_t)outer;
    p->copy_bytes = copy;
    node->params = p;
    return RT_OK;
}

enum rt_status rt_prepare_split(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    return prepare_split(ctx, node, node->op);
}

enum rt_status rt_prepare_gather(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in, *indices, *out;
    struct fb_table opt;
    bool present;
    int32_t axis, batch_dims;
    enum rt_status st;
    if ((st = rt_get_input(ctx, node, 0, &in)) != RT_OK || (st = rt_get_input(ctx, node, 1, &indices)) != RT_OK ||
        (st = rt_get_output(ctx, node, 0, &out)) != RT_OK || (st = same_quantization(ctx, in, out)) != RT_OK ||
        (st = rt_options(ctx, TFLITE_OPTIONS_GATHER, &opt, &present)) != RT_OK ||
        (st = rt_option_i32(ctx, &opt, present, 0, 0, &axis)) != RT_OK ||
        (st = rt_option_i32(ctx, &opt, present, 1, 0, &batch_dims)) != RT_OK)
        return st;
    if (batch_dims != 0)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "gather with batch_dims");
    if (indices->type != TFLITE_TYPE_INT32 && indices->type != TFLITE_TYPE_INT64)
        return rt_fail(ctx->err, RT_UNSUPPORTED, "gather indices must be int32 or int64");
    if (axis < 0)
        axis += in->ndims;
    if (axis < 0 || axis >= in->ndims)
        return rt_fail(ctx->err, RT_BAD_MODEL, "gather axis out of range");
    if (out->ndims != in->ndims - 1 + indices->ndims)
        return rt_fail(ctx->err, RT_BAD_MODEL, "gather output rank differs");
    struct rt_gather_params *p = RT_PERSISTENT_NEW(ctx, struct rt_gather_params, 1);
    if (!p)
        return RT_NO_MEMORY;
    int64_t outer, inner;
    outer_inner(in, axis + 1, &outer, &inner);
    outer /= in->dims[axis] ? in->dims[axis] : 1;
    p->outer = (int32_t)outer;
    p->axis_size = in->dims[axis];
    p->inner_bytes = (int32_t)inner;
    p->num_indices = rt_tensor_elements(indices);
    p->indices_64 = indices->type == TFLITE_TYPE_INT64;
    if ((uint64_t)outer * p->num_indices * (uint64_t)inner != out->bytes)
        return rt_fail(ctx->err, RT_BAD_MODEL, "gather output size differs");
    node->params = p;
    return RT_OK;
}

enum rt_status rt_prepare_shape(struct rt_prepare_ctx *ctx, struct rt_node *node)
{
    struct rt_tensor *in, *out;
    enum rt_status st;
    if ((st = rt_get_input(ctx, node, 0, &in)) != RT_OK || (st = rt_get_output(ctx, node, 0, &out)) != RT_OK)
        return st;
    if ((out->type != TFLITE_TYPE_INT32 && out->type != TFLITE_TYPE_INT64) || rt_tensor_elements(out) != in->ndims)
        return rt_fail(ctx->err, RT_BAD_MODEL, "shape output must be int32 or int64 with one entry per dimension");
    node->params = NULL;
    return RT_OK;
}
