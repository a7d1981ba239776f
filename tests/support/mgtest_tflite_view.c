/*
 * mgtest_tflite_view.c — strict .tflite flatbuffer reader for tests (see
 * mgtest_tflite_view.h).  Field ids come from runtime/tflite_schema.h; the
 * FlatBuffers rules checked are those of the format's specification:
 * root uoffset at 0, tables start with an soffset to a vtable of uint16
 * entries (vtable size, object size, field offsets), uoffsets point forward,
 * vectors are a uint32 count followed by elements aligned to their size,
 * strings are NUL-terminated.
 */
#include "mgtest_tflite_view.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tflite_schema.h"

struct rd {
    const uint8_t *b;
    size_t len;
    struct tv_model *v;
};

static int bad(struct rd *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(struct rd *r, const char *fmt, ...)
{
    if (!r->v->problem[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->v->problem, sizeof r->v->problem, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int failed(const struct rd *r)
{
    return r->v->problem[0] != 0;
}

static int need(struct rd *r, size_t pos, size_t n, size_t align, const char *what)
{
    if (pos > r->len || n > r->len - pos)
        return bad(r, "%s at %zu+%zu is past the end (%zu)", what, pos, n, r->len);
    if (align > 1 && pos % align)
        return bad(r, "%s at %zu is not aligned to %zu", what, pos, align);
    return 0;
}

static uint64_t le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

int32_t tv_le_i32(const uint8_t *p)
{
    return (int32_t)(uint32_t)le(p, 4);
}

/* Position of a table's field of `size` bytes, or 0 if absent. */
static size_t field(struct rd *r, size_t table, int id, size_t size)
{
    if (failed(r) || table == 0 || need(r, table, 4, 4, "table"))
        return 0;
    int64_t vt = (int64_t)table - (int32_t)le(r->b + table, 4);
    if (vt < 0 || need(r, (size_t)vt, 4, 2, "vtable"))
        return 0;
    size_t vt_size = le(r->b + vt, 2), obj_size = le(r->b + vt + 2, 2);
    if (vt_size < 4 || vt_size % 2 || need(r, (size_t)vt, vt_size, 2, "vtable entries"))
        return bad(r, "vtable at %lld has size %zu", (long long)vt, vt_size), 0;
    if (obj_size < 4 || need(r, table, obj_size, 4, "table body"))
        return bad(r, "table at %zu has object size %zu", table, obj_size), 0;
    size_t slot = 4 + 2 * (size_t)id;
    if (slot + 2 > vt_size)
        return 0;
    size_t off = le(r->b + vt + slot, 2);
    if (off == 0)
        return 0;
    if (off < 4 || off + size > obj_size)
        return bad(r, "field %d of table %zu at offset %zu overruns its object (%zu)", id, table,
                   off, obj_size),
               0;
    if ((table + off) % size)
        return bad(r, "field %d of table %zu is misaligned", id, table), 0;
    return table + off;
}

static uint64_t scalar(struct rd *r, size_t table, int id, size_t size, uint64_t def)
{
    size_t p = field(r, table, id, size);
    return p ? le(r->b + p, (int)size) : def;
}

/* Follows the uoffset at pos. */
static size_t deref(struct rd *r, size_t pos)
{
    if (failed(r) || need(r, pos, 4, 4, "uoffset"))
        return 0;
    uint32_t off = (uint32_t)le(r->b + pos, 4);
    if (off == 0 || off > r->len - pos)
        return bad(r, "uoffset at %zu points to %zu, outside the file", pos, pos + off), 0;
    return pos + off;
}

static size_t sub_table(struct rd *r, size_t table, int id)
{
    size_t p = field(r, table, id, 4);
    return p ? deref(r, p) : 0;
}

/* A vector field: returns the position of element 0 (0 if absent). */
static size_t vector(struct rd *r, size_t table, int id, size_t elem_size, uint32_t *count)
{
    *count = 0;
    size_t p = field(r, table, id, 4);
    if (!p)
        return 0;
    size_t v = deref(r, p);
    if (!v || need(r, v, 4, 4, "vector length"))
        return 0;
    *count = (uint32_t)le(r->b + v, 4);
    if (need(r, v + 4, (size_t)*count * elem_size, elem_size, "vector elements")) {
        *count = 0;
        return 0;
    }
    return v + 4;
}

static void string(struct rd *r, size_t table, int id, char *out, size_t outlen)
{
    uint32_t n;
    out[0] = 0;
    size_t s = vector(r, table, id, 1, &n);
    if (!s)
        return;
    if (need(r, s, (size_t)n + 1, 1, "string terminator") || r->b[s + n] != 0) {
        bad(r, "string at %zu is not NUL-terminated", s);
        return;
    }
    size_t copy = n < outlen - 1 ? n : outlen - 1;
    memcpy(out, r->b + s, copy);
    out[copy] = 0;
}

static size_t vec_table(struct rd *r, size_t elems, uint32_t i)
{
    return deref(r, elems + 4 * (size_t)i);
}

static void read_quant(struct rd *r, size_t q, struct tv_tensor *t)
{
    uint32_t n, nz, nmin, nmax;
    t->has_quant = 1;
    size_t s = vector(r, q, TFLITE_QUANT_SCALE, 4, &n);
    size_t z = vector(r, q, TFLITE_QUANT_ZERO_POINT, 8, &nz);
    vector(r, q, TFLITE_QUANT_MIN, 4, &nmin);
    vector(r, q, TFLITE_QUANT_MAX, 4, &nmax);
    if (n > 2048 || nz > 2048) {
        bad(r, "tensor %s has %u scales", t->name, n);
        return;
    }
    t->num_scales = (int)n;
    t->num_zero_points = (int)nz;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t bits = (uint32_t)le(r->b + s + 4 * i, 4);
        memcpy(&t->scales[i], &bits, 4);
    }
    for (uint32_t i = 0; i < nz; i++)
        t->zero_points[i] = (int64_t)le(r->b + z + 8 * i, 8);
    t->quantized_dimension = (int32_t)scalar(r, q, TFLITE_QUANT_QUANTIZED_DIMENSION, 4, 0);
}

static void read_tensor(struct rd *r, size_t tt, struct tv_tensor *t)
{
    uint32_t n;
    size_t shape = vector(r, tt, TFLITE_TENSOR_SHAPE, 4, &n);
    if (n > 8) {
        bad(r, "tensor of rank %u", n);
        return;
    }
    t->rank = (int)n;
    for (uint32_t i = 0; i < n; i++)
        t->dims[i] = tv_le_i32(r->b + shape + 4 * i);
    t->type = (int)scalar(r, tt, TFLITE_TENSOR_TYPE, 1, 0);
    t->buffer = (uint32_t)scalar(r, tt, TFLITE_TENSOR_BUFFER, 4, 0);
    string(r, tt, TFLITE_TENSOR_NAME, t->name, sizeof t->name);
    size_t q = sub_table(r, tt, TFLITE_TENSOR_QUANTIZATION);
    if (q)
        read_quant(r, q, t);
}

static void read_options(struct rd *r, size_t o, struct tv_op *op)
{
    op->dilation_w = op->dilation_h = 1;
    switch (op->options_type) {
    case TFLITE_OPTIONS_CONV_2D:
        op->padding = (int)scalar(r, o, TFLITE_CONV2D_PADDING, 1, 0);
        op->stride_w = (int32_t)scalar(r, o, TFLITE_CONV2D_STRIDE_W, 4, 0);
        op->stride_h = (int32_t)scalar(r, o, TFLITE_CONV2D_STRIDE_H, 4, 0);
        op->activation = (int)scalar(r, o, TFLITE_CONV2D_FUSED_ACTIVATION, 1, 0);
        op->dilation_w = (int32_t)scalar(r, o, TFLITE_CONV2D_DILATION_W, 4, 1);
        op->dilation_h = (int32_t)scalar(r, o, TFLITE_CONV2D_DILATION_H, 4, 1);
        break;
    case TFLITE_OPTIONS_DEPTHWISE_CONV_2D:
        op->padding = (int)scalar(r, o, TFLITE_DWCONV_PADDING, 1, 0);
        op->stride_w = (int32_t)scalar(r, o, TFLITE_DWCONV_STRIDE_W, 4, 0);
        op->stride_h = (int32_t)scalar(r, o, TFLITE_DWCONV_STRIDE_H, 4, 0);
        op->depth_multiplier = (int32_t)scalar(r, o, TFLITE_DWCONV_DEPTH_MULTIPLIER, 4, 0);
        op->activation = (int)scalar(r, o, TFLITE_DWCONV_FUSED_ACTIVATION, 1, 0);
        op->dilation_w = (int32_t)scalar(r, o, TFLITE_DWCONV_DILATION_W, 4, 1);
        op->dilation_h = (int32_t)scalar(r, o, TFLITE_DWCONV_DILATION_H, 4, 1);
        break;
    case TFLITE_OPTIONS_POOL_2D:
        op->padding = (int)scalar(r, o, TFLITE_POOL2D_PADDING, 1, 0);
        op->stride_w = (int32_t)scalar(r, o, TFLITE_POOL2D_STRIDE_W, 4, 0);
        op->stride_h = (int32_t)scalar(r, o, TFLITE_POOL2D_STRIDE_H, 4, 0);
        op->filter_w = (int32_t)scalar(r, o, TFLITE_POOL2D_FILTER_WIDTH, 4, 0);
        op->filter_h = (int32_t)scalar(r, o, TFLITE_POOL2D_FILTER_HEIGHT, 4, 0);
        op->activation = (int)scalar(r, o, TFLITE_POOL2D_FUSED_ACTIVATION, 1, 0);
        break;
    case TFLITE_OPTIONS_FULLY_CONNECTED:
        op->activation = (int)scalar(r, o, TFLITE_FC_FUSED_ACTIVATION, 1, 0);
        break;
    case TFLITE_OPTIONS_SOFTMAX: {
        uint32_t bits = (uint32_t)scalar(r, o, TFLITE_SOFTMAX_BETA, 4, 0);
        memcpy(&op->beta, &bits, 4);
        break;
    }
    case TFLITE_OPTIONS_ADD:
        op->activation = (int)scalar(r, o, TFLITE_ADD_FUSED_ACTIVATION, 1, 0);
        break;
    case TFLITE_OPTIONS_RESHAPE: {
        uint32_t n;
        size_t s = vector(r, o, TFLITE_RESHAPE_NEW_SHAPE, 4, &n);
        op->new_shape_rank = n <= 8 ? (int)n : 0;
        for (int i = 0; i < op->new_shape_rank; i++)
            op->new_shape[i] = tv_le_i32(r->b + s + 4 * i);
        break;
    }
    default:
        break;
    }
}

static void read_op(struct rd *r, size_t ot, struct tv_op *op)
{
    uint32_t n;
    op->opcode_index = (uint32_t)scalar(r, ot, TFLITE_OPERATOR_OPCODE_INDEX, 4, 0);
    size_t in = vector(r, ot, TFLITE_OPERATOR_INPUTS, 4, &n);
    op->num_inputs = n <= 8 ? (int)n : 0;
    for (int i = 0; i < op->num_inputs; i++)
        op->inputs[i] = tv_le_i32(r->b + in + 4 * i);
    size_t out = vector(r, ot, TFLITE_OPERATOR_OUTPUTS, 4, &n);
    op->num_outputs = n <= 4 ? (int)n : 0;
    for (int i = 0; i < op->num_outputs; i++)
        op->outputs[i] = tv_le_i32(r->b + out + 4 * i);
    op->options_type = (int)scalar(r, ot, TFLITE_OPERATOR_BUILTIN_OPTIONS_TYPE, 1, 0);
    size_t o = sub_table(r, ot, TFLITE_OPERATOR_BUILTIN_OPTIONS);
    if (op->options_type && !o)
        bad(r, "operator has options type %d but no options table", op->options_type);
    if (o)
        read_options(r, o, op);
}

int tv_read(struct tv_model *v, const uint8_t *file, size_t len)
{
    memset(v, 0, sizeof *v);
    v->file = file;
    v->len = len;
    v->tensors = calloc(TV_MAX, sizeof *v->tensors);
    struct rd r = {file, len, v};
    if (!v->tensors)
        return bad(&r, "out of memory");
    if (len < 8)
        return bad(&r, "file of %zu bytes is too short", len);
    memcpy(v->identifier, file + 4, 4);
    size_t model = deref(&r, 0);
    v->version = (uint32_t)scalar(&r, model, TFLITE_MODEL_VERSION, 4, 0);
    string(&r, model, TFLITE_MODEL_DESCRIPTION, v->description, sizeof v->description);

    uint32_t n;
    size_t codes = vector(&r, model, TFLITE_MODEL_OPERATOR_CODES, 4, &n);
    if (n > 64)
        return bad(&r, "%u operator codes", n);
    v->num_opcodes = (int)n;
    for (uint32_t i = 0; i < n && !failed(&r); i++) {
        size_t c = vec_table(&r, codes, i);
        v->opcodes[i].deprecated_builtin_code =
            (int8_t)scalar(&r, c, TFLITE_OPCODE_DEPRECATED_BUILTIN_CODE, 1, 0);
        v->opcodes[i].builtin_code = (int32_t)scalar(&r, c, TFLITE_OPCODE_BUILTIN_CODE, 4, 0);
        v->opcodes[i].version = (int32_t)scalar(&r, c, TFLITE_OPCODE_VERSION, 4, 1);
    }

    size_t buffers = vector(&r, model, TFLITE_MODEL_BUFFERS, 4, &n);
    if (n > TV_MAX)
        return bad(&r, "%u buffers", n);
    v->num_buffers = (int)n;
    for (uint32_t i = 0; i < n && !failed(&r); i++) {
        size_t bt = vec_table(&r, buffers, i);
        uint32_t size;
        size_t data = vector(&r, bt, TFLITE_BUFFER_DATA, 1, &size);
        v->buffers[i].offset = data;
        v->buffers[i].size = size;
    }

    size_t subgraphs = vector(&r, model, TFLITE_MODEL_SUBGRAPHS, 4, &n);
    v->num_subgraphs = (int)n;
    if (n < 1)
        return bad(&r, "no subgraph");
    size_t sg = vec_table(&r, subgraphs, 0);
    string(&r, sg, TFLITE_SUBGRAPH_NAME, v->subgraph_name, sizeof v->subgraph_name);
    size_t tensors = vector(&r, sg, TFLITE_SUBGRAPH_TENSORS, 4, &n);
    if (n > TV_MAX)
        return bad(&r, "%u tensors", n);
    v->num_tensors = (int)n;
    for (uint32_t i = 0; i < n && !failed(&r); i++)
        read_tensor(&r, vec_table(&r, tensors, i), &v->tensors[i]);
    size_t ops = vector(&r, sg, TFLITE_SUBGRAPH_OPERATORS, 4, &n);
    if (n > TV_MAX)
        return bad(&r, "%u operators", n);
    v->num_ops = (int)n;
    for (uint32_t i = 0; i < n && !failed(&r); i++)
        read_op(&r, vec_table(&r, ops, i), &v->ops[i]);
    size_t io = vector(&r, sg, TFLITE_SUBGRAPH_INPUTS, 4, &n);
    v->num_inputs = n <= 8 ? (int)n : 0;
    for (int i = 0; i < v->num_inputs; i++)
        v->inputs[i] = tv_le_i32(file + io + 4 * i);
    io = vector(&r, sg, TFLITE_SUBGRAPH_OUTPUTS, 4, &n);
    v->num_outputs = n <= 8 ? (int)n : 0;
    for (int i = 0; i < v->num_outputs; i++)
        v->outputs[i] = tv_le_i32(file + io + 4 * i);
    /* Cross-references must land inside their arrays. */
    for (int i = 0; i < v->num_tensors && !failed(&r); i++)
        if (v->tensors[i].buffer >= (uint32_t)v->num_buffers)
            bad(&r, "tensor %d refers to buffer %u of %d", i, v->tensors[i].buffer,
                v->num_buffers);
    for (int i = 0; i < v->num_ops && !failed(&r); i++) {
        const struct tv_op *op = &v->ops[i];
        if (op->opcode_index >= (uint32_t)v->num_opcodes)
            bad(&r, "operator %d has opcode index %u of %d", i, op->opcode_index,
                v->num_opcodes);
        for (int k = 0; k < op->num_inputs; k++)
            if (op->inputs[k] < -1 || op->inputs[k] >= v->num_tensors)
                bad(&r, "operator %d input %d is tensor %d", i, k, op->inputs[k]);
        for (int k = 0; k < op->num_outputs; k++)
            if (op->outputs[k] < 0 || op->outputs[k] >= v->num_tensors)
                bad(&r, "operator %d output %d is tensor %d", i, k, op->outputs[k]);
    }
    for (int i = 0; i < v->num_inputs; i++)
        if (v->inputs[i] < 0 || v->inputs[i] >= v->num_tensors)
            bad(&r, "subgraph input %d is tensor %d", i, v->inputs[i]);
    for (int i = 0; i < v->num_outputs; i++)
        if (v->outputs[i] < 0 || v->outputs[i] >= v->num_tensors)
            bad(&r, "subgraph output %d is tensor %d", i, v->outputs[i]);
    return failed(&r) ? -1 : 0;
}

void tv_free(struct tv_model *v)
{
    free(v->tensors);
    v->tensors = NULL;
}

int tv_op_code(const struct tv_model *v, int op)
{
    const struct tv_opcode *c = &v->opcodes[v->ops[op].opcode_index];
    return c->deprecated_builtin_code > c->builtin_code ? c->deprecated_builtin_code
                                                        : c->builtin_code;
}
