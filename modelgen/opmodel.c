/*
 * opmodel.c — single-operator models (see opmodel.h): a spec parser, one
 * builder per operator, and the helpers they share to make tensors with
 * drawn quantization and constant data.
 */
#include "opmodel.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../runtime/tflite_schema.h"
#include "prng.h"

#define MAX_LIST 8

/* Stream of the generator for the model's numbers (prng.h). */
#define OPMODEL_STREAM 0x6f70u

struct op_spec {
    const struct op_entry *op;
    int in_rank, in2_rank;
    int32_t in[4], in2[4];
    uint8_t type;        /* of input 0 (and of the output for most ops) */
    uint8_t to;          /* CAST: the output's type (0xFF: not given) */
    uint8_t act;
    bool per_channel;
    int units, kh, kw, stride, dm, keep, n, out;
    int align, half;     /* RESIZE_*: align_corners, half_pixel_centers */
    int symmetric;       /* MIRROR_PAD: mode=symmetric (else reflect) */
    uint8_t padding;
    float alpha;
    int axis_n, perm_n, shape_n, begin_n, end_n, strides_n, masks_n, adj_n;
    int32_t axis[MAX_LIST], perm[MAX_LIST], shape[MAX_LIST];
    int32_t begin[MAX_LIST], end[MAX_LIST], strides[MAX_LIST], masks[MAX_LIST];
    int32_t adj[MAX_LIST]; /* BATCH_MATMUL: adj_x, adj_y */
};

struct gen {
    struct op_spec s;
    struct mg_qmodel *m;
    struct mg_rng rng;
    char *err;
    size_t errlen;
    int failed;
};

typedef void (*op_builder)(struct gen *g);

struct op_entry {
    const char *name;
    int32_t code;
    op_builder build;
    const char *types; /* the dtypes it takes, for --list and the checks */
};

static void fail(struct gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct gen *g, const char *fmt, ...)
{
    if (g->failed)
        return;
    g->failed = 1;
    int n = snprintf(g->err, g->errlen, "op:%s: ", g->s.op ? g->s.op->name : "?");
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < g->errlen)
        vsnprintf(g->err + n, g->errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

/* ---- tensors ---- */

static size_t type_size(uint8_t type)
{
    switch (type) {
    case TFLITE_TYPE_INT8: case TFLITE_TYPE_UINT8: case TFLITE_TYPE_BOOL: return 1;
    case TFLITE_TYPE_INT16: return 2;
    case TFLITE_TYPE_INT64: return 8;
    default: return 4;
    }
}

static size_t elems(int rank, const int32_t *dims)
{
    size_t n = 1;
    for (int i = 0; i < rank; i++)
        n *= (size_t)dims[i];
    return n;
}

static int tensor(struct gen *g, const char *name, uint8_t type, int rank, const int32_t *dims)
{
    if (g->failed)
        return 0;
    int t = mg_qmodel_add_tensor(g->m);
    if (t < 0) {
        fail(g, "out of memory");
        return 0;
    }
    struct mg_qtensor *q = &g->m->tensors[t];
    snprintf(q->name, sizeof q->name, "%s", name);
    q->type = type;
    q->rank = rank;
    memcpy(q->dims, dims, (size_t)rank * sizeof *dims);
    return t;
}

static void quantize(struct gen *g, int t, float scale, int64_t zp)
{
    if (!g->failed && mg_qtensor_set_quant(&g->m->tensors[t], 1, &scale, &zp, 0))
        fail(g, "out of memory");
}

static void quantize_channels(struct gen *g, int t, int n, const float *scales, int dim)
{
    int64_t *zps = calloc((size_t)n, sizeof *zps);
    if (!zps || (!g->failed && mg_qtensor_set_quant(&g->m->tensors[t], n, scales, zps, dim)))
        fail(g, "out of memory");
    free(zps);
}

static bool quantized(uint8_t type)
{
    return type == TFLITE_TYPE_INT8 || type == TFLITE_TYPE_INT16;
}

static double uniform(struct gen *g, double lo, double hi)
{
    return mg_rng_uniform(&g->rng, lo, hi);
}

static int32_t draw_int(struct gen *g, int32_t lo, int32_t hi)
{
    return lo + (int32_t)(mg_rng_next(&g->rng) % (uint64_t)(hi - lo + 1));
}

/* An activation's scale and zero point as the converter would pick them
 * for a range of about [lo, hi): int16 is symmetric (zero point 0). */
static void quantize_range(struct gen *g, int t, double lo, double hi)
{
    uint8_t type = g->m->tensors[t].type;
    if (!quantized(type))
        return;
    if (type == TFLITE_TYPE_INT16) {
        double a = fabs(lo) > fabs(hi) ? fabs(lo) : fabs(hi);
        quantize(g, t, (float)(a / 32767.0), 0);
        return;
    }
    double scale = (hi - lo) / 255.0;
    int64_t zp = (int64_t)llround(-128.0 - lo / scale);
    zp = zp < -128 ? -128 : zp > 127 ? 127 : zp;
    quantize(g, t, (float)scale, zp);
}

/* A drawn range around zero, not symmetric, so zero points are not 0. */
static void quantize_drawn(struct gen *g, int t, double magnitude)
{
    double lo = -magnitude * uniform(g, 0.5, 1.5), hi = magnitude * uniform(g, 0.5, 1.5);
    quantize_range(g, t, lo, hi);
}

static float scale_of(struct gen *g, int t)
{
    return g->failed || !g->m->tensors[t].num_scales ? 1.0f : g->m->tensors[t].scales[0];
}

static int64_t zp_of(struct gen *g, int t)
{
    return g->failed || !g->m->tensors[t].num_scales ? 0 : g->m->tensors[t].zero_points[0];
}

/* A constant tensor filled with drawn values: int8 and int16 over the
 * type's whole range (but -128 / -32768, which symmetric weights never
 * hold), int32 and int64 in [lo, hi], floats uniform in [lo, hi). */
static int constant(struct gen *g, const char *name, uint8_t type, int rank, const int32_t *dims,
                    double lo, double hi)
{
    int t = tensor(g, name, type, rank, dims);
    if (g->failed)
        return t;
    size_t n = elems(rank, dims), size = type_size(type);
    uint8_t *data = calloc(n ? n : 1, size);
    if (!data) {
        fail(g, "out of memory");
        return t;
    }
    for (size_t i = 0; i < n; i++) {
        switch (type) {
        case TFLITE_TYPE_FLOAT32: {
            float f = (float)uniform(g, lo, hi);
            memcpy(data + 4 * i, &f, 4);
            break;
        }
        case TFLITE_TYPE_INT8: {
            int8_t v = (int8_t)draw_int(g, -127, 127);
            data[i] = (uint8_t)v;
            break;
        }
        case TFLITE_TYPE_INT16: {
            int16_t v = (int16_t)draw_int(g, -32767, 32767);
            memcpy(data + 2 * i, &v, 2);
            break;
        }
        case TFLITE_TYPE_INT64: {
            int64_t v = draw_int(g, (int32_t)lo, (int32_t)hi);
            memcpy(data + 8 * i, &v, 8);
            break;
        }
        case TFLITE_TYPE_BOOL:
            data[i] = (uint8_t)(mg_rng_next(&g->rng) >> 63);
            break;
        default: {
            int32_t v = draw_int(g, (int32_t)lo, (int32_t)hi);
            memcpy(data + 4 * i, &v, 4);
            break;
        }
        }
    }
    g->m->tensors[t].data = data;
    g->m->tensors[t].data_bytes = n * size;
    return t;
}

/* A constant int32 vector with the given values (axes, permutations, ...). */
static int int32_constant(struct gen *g, const char *name, int count, const int32_t *values)
{
    int32_t dim = count;
    int t = tensor(g, name, TFLITE_TYPE_INT32, 1, &dim);
    if (g->failed)
        return t;
    uint8_t *data = malloc(count ? 4 * (size_t)count : 4);
    if (!data) {
        fail(g, "out of memory");
        return t;
    }
    memcpy(data, values, 4 * (size_t)count);
    g->m->tensors[t].data = data;
    g->m->tensors[t].data_bytes = 4 * (size_t)count;
    return t;
}

/* The graph input: input 0 of the operator, quantized over a drawn range. */
static int input(struct gen *g)
{
    int t = tensor(g, "input", g->s.type, g->s.in_rank, g->s.in);
    quantize_drawn(g, t, uniform(g, 1.0, 4.0));
    g->m->input = t;
    return t;
}

/* The second operand of binary operators: a constant of shape in2. */
static int operand2(struct gen *g)
{
    int t = constant(g, "operand2", g->s.type, g->s.in2_rank, g->s.in2, -2.0, 2.0);
    quantize_drawn(g, t, uniform(g, 1.0, 4.0));
    return t;
}

static struct mg_qop *op(struct gen *g, int version, int num_inputs, const int32_t *inputs, int output)
{
    static struct mg_qop dummy;
    if (g->failed)
        return &dummy;
    int i = mg_qmodel_add_op(g->m);
    if (i < 0) {
        fail(g, "out of memory");
        return &dummy;
    }
    struct mg_qop *o = &g->m->ops[i];
    o->builtin_op = g->s.op->code;
    o->version = version;
    o->num_inputs = num_inputs;
    memcpy(o->inputs, inputs, (size_t)num_inputs * sizeof *inputs);
    o->output = output;
    if (g->m->output < 0)
        g->m->output = output;
    return o;
}

static void field(struct mg_qop *o, int id, enum mg_qfield_kind kind, int32_t value, int32_t def)
{
    if (o->num_fields >= MG_QMAX_FIELDS)
        return;
    struct mg_qfield *f = &o->fields[o->num_fields++];
    f->id = id;
    f->kind = kind;
    f->value = value;
    f->def = def;
}

static void field_f32(struct mg_qop *o, int id, float value)
{
    field(o, id, MG_QFIELD_F32, 0, 0);
    o->fields[o->num_fields - 1].f = value;
}

/* ---- shapes ---- */

/* numpy broadcasting of in and in2 into out; false when incompatible. */
static bool broadcast(const struct op_spec *s, int *rank, int32_t *out)
{
    *rank = s->in_rank > s->in2_rank ? s->in_rank : s->in2_rank;
    for (int i = 0; i < *rank; i++) {
        int a = i < s->in_rank ? s->in[s->in_rank - 1 - i] : 1;
        int b = i < s->in2_rank ? s->in2[s->in2_rank - 1 - i] : 1;
        if (a != b && a != 1 && b != 1)
            return false;
        out[*rank - 1 - i] = a > b ? a : b;
    }
    return true;
}

static int axis_of(struct gen *g, int32_t axis, int rank)
{
    if (axis < -rank || axis >= rank) {
        fail(g, "axis %d is out of range for rank %d", (int)axis, rank);
        return 0;
    }
    return axis < 0 ? axis + rank : axis;
}

static int conv_out(struct gen *g, int in, int k, int stride, int dilation)
{
    int eff = (k - 1) * dilation + 1;
    int out = g->s.padding == TFLITE_PADDING_SAME ? (in + stride - 1) / stride : (in - eff + stride) / stride;
    if (out < 1)
        fail(g, "a window of %d does not fit an input of %d with VALID padding", k, in);
    return out;
}

static void need_rank(struct gen *g, int rank)
{
    if (g->s.in_rank != rank)
        fail(g, "wants an input of rank %d (in=...), got rank %d", rank, g->s.in_rank);
}

/* ---- builders ---- */

static void build_binary(struct gen *g)
{
    int32_t out_dims[4];
    int rank;
    if (!broadcast(&g->s, &rank, out_dims)) {
        fail(g, "in and in2 do not broadcast");
        return;
    }
    int32_t code = g->s.op->code;
    bool minmax = code == TFLITE_OP_MAXIMUM || code == TFLITE_OP_MINIMUM;
    bool comparison = code == TFLITE_OP_EQUAL || code == TFLITE_OP_NOT_EQUAL || code == TFLITE_OP_LESS ||
                      code == TFLITE_OP_LESS_EQUAL || code == TFLITE_OP_GREATER || code == TFLITE_OP_GREATER_EQUAL;
    int a = input(g), b = operand2(g);
    if (minmax) /* raw values are compared: one quantization for all */
        quantize(g, b, scale_of(g, a), zp_of(g, a));
    if (code == TFLITE_OP_EQUAL || code == TFLITE_OP_NOT_EQUAL) {
        /* Values that meet: the operand repeats input values where shapes allow. */
        quantize(g, b, scale_of(g, a), zp_of(g, a));
    }
    int o = tensor(g, "output", comparison ? TFLITE_TYPE_BOOL : g->s.type, rank, out_dims);
    if (minmax) {
        quantize(g, o, scale_of(g, a), zp_of(g, a));
        op(g, 2, 2, (int32_t[]){a, b}, o);
        return;
    }
    if (comparison) {
        op(g, 2, 2, (int32_t[]){a, b}, o);
        return;
    }
    double ra = 128.0 * scale_of(g, a), rb = 128.0 * scale_of(g, b);
    if (g->s.type == TFLITE_TYPE_INT16)
        ra = 32768.0 * scale_of(g, a), rb = 32768.0 * scale_of(g, b);
    if (code == TFLITE_OP_MUL)
        quantize_range(g, o, -0.6 * ra * rb, 0.5 * ra * rb);
    else
        quantize_range(g, o, -0.9 * (ra + rb), 0.8 * (ra + rb));
    if (code == TFLITE_OP_SQUARED_DIFFERENCE) { /* no options, no activation */
        op(g, 1, 2, (int32_t[]){a, b}, o);
        return;
    }
    struct mg_qop *q = op(g, quantized(g->s.type) ? 2 : 1, 2, (int32_t[]){a, b}, o);
    q->options_type = code == TFLITE_OP_ADD   ? TFLITE_OPTIONS_ADD
                      : code == TFLITE_OP_SUB ? TFLITE_OPTIONS_SUB
                      : code == TFLITE_OP_DIV ? TFLITE_OPTIONS_DIV
                                              : TFLITE_OPTIONS_MUL;
    field(q, 0, MG_QFIELD_U8, g->s.act, TFLITE_ACT_NONE);
    if (code != TFLITE_OP_MUL && g->s.type == TFLITE_TYPE_INT16)
        field(q, TFLITE_ADD_POT_SCALE_INT16, MG_QFIELD_U8, 0, 1);
}

/* Bias for weights with per-channel scales: int32 (int64 for int16
 * activations), scale input_scale * weight_scale, zero point 0. */
static int bias(struct gen *g, int units, float in_scale, const float *w_scales)
{
    if (g->s.type == TFLITE_TYPE_FLOAT32)
        return constant(g, "bias", TFLITE_TYPE_FLOAT32, 1, (int32_t[]){units}, -0.5, 0.5);
    bool wide = g->s.type == TFLITE_TYPE_INT16;
    int t = constant(g, "bias", wide ? TFLITE_TYPE_INT64 : TFLITE_TYPE_INT32, 1, (int32_t[]){units},
                     -2000, 2000);
    float *scales = malloc((size_t)units * sizeof *scales);
    if (!scales) {
        fail(g, "out of memory");
        return t;
    }
    for (int c = 0; c < units; c++)
        scales[c] = in_scale * w_scales[g->s.per_channel ? c : 0];
    if (g->s.per_channel)
        quantize_channels(g, t, units, scales, 0);
    else
        quantize(g, t, scales[0], 0);
    free(scales);
    return t;
}

/* Weights: int8 for int8 and int16 activations, symmetric, per-tensor or
 * per-channel along dim; returns the scales in *out (units entries). */
static int weights(struct gen *g, int rank, const int32_t *dims, int dim, float **out)
{
    uint8_t wtype = g->s.type == TFLITE_TYPE_FLOAT32 ? TFLITE_TYPE_FLOAT32 : TFLITE_TYPE_INT8;
    int t = constant(g, "weights", wtype, rank, dims, -0.5, 0.5);
    int units = dims[dim];
    float *scales = calloc((size_t)units, sizeof *scales);
    *out = scales;
    if (!scales) {
        fail(g, "out of memory");
        return t;
    }
    for (int c = 0; c < units; c++)
        scales[c] = (float)uniform(g, 0.002, 0.02);
    if (wtype == TFLITE_TYPE_FLOAT32)
        return t;
    if (g->s.per_channel)
        quantize_channels(g, t, units, scales, dim);
    else
        quantize(g, t, scales[0], 0);
    return t;
}

/* The output range of a sum of `depth` products of uniformly distributed
 * inputs and weights: about sqrt(depth) standard deviations wide. */
static void quantize_accumulator(struct gen *g, int o, int in, const float *w_scales, int depth)
{
    double in_range = 128.0 * scale_of(g, in) * (g->s.type == TFLITE_TYPE_INT16 ? 256.0 : 1.0);
    double spread = in_range * 128.0 * w_scales[0] * sqrt((double)depth) * 0.6;
    quantize_range(g, o, -spread, spread * 1.1);
}

static void build_fully_connected(struct gen *g)
{
    int depth = g->s.in[g->s.in_rank - 1];
    int batches = (int)(elems(g->s.in_rank, g->s.in) / (size_t)depth);
    int a = input(g);
    float *ws = NULL;
    int w = weights(g, 2, (int32_t[]){g->s.units, depth}, 0, &ws);
    int b = ws ? bias(g, g->s.units, scale_of(g, a), ws) : 0;
    int o = tensor(g, "output", g->s.type, 2, (int32_t[]){batches, g->s.units});
    if (ws)
        quantize_accumulator(g, o, a, ws, depth);
    free(ws);
    struct mg_qop *q = op(g, quantized(g->s.type) ? 4 : 1, 3, (int32_t[]){a, w, b}, o);
    q->activation = g->s.act;
}

static void build_conv_2d(struct gen *g)
{
    need_rank(g, 4);
    if (g->failed)
        return;
    int cin = g->s.in[3];
    int oh = conv_out(g, g->s.in[1], g->s.kh, g->s.stride, 1);
    int ow = conv_out(g, g->s.in[2], g->s.kw, g->s.stride, 1);
    int a = input(g);
    float *ws = NULL;
    int w = weights(g, 4, (int32_t[]){g->s.units, g->s.kh, g->s.kw, cin}, 0, &ws);
    int b = ws ? bias(g, g->s.units, scale_of(g, a), ws) : 0;
    int o = tensor(g, "output", g->s.type, 4, (int32_t[]){g->s.in[0], oh, ow, g->s.units});
    if (ws)
        quantize_accumulator(g, o, a, ws, g->s.kh * g->s.kw * cin);
    free(ws);
    struct mg_qop *q = op(g, quantized(g->s.type) ? 3 : 1, 3, (int32_t[]){a, w, b}, o);
    q->activation = g->s.act;
    q->padding = g->s.padding;
    q->stride_w = q->stride_h = g->s.stride;
}

static void build_depthwise_conv_2d(struct gen *g)
{
    need_rank(g, 4);
    if (g->failed)
        return;
    int ch = g->s.in[3] * g->s.dm;
    int oh = conv_out(g, g->s.in[1], g->s.kh, g->s.stride, 1);
    int ow = conv_out(g, g->s.in[2], g->s.kw, g->s.stride, 1);
    int a = input(g);
    float *ws = NULL;
    int w = weights(g, 4, (int32_t[]){1, g->s.kh, g->s.kw, ch}, 3, &ws);
    int b = ws ? bias(g, ch, scale_of(g, a), ws) : 0;
    int o = tensor(g, "output", g->s.type, 4, (int32_t[]){g->s.in[0], oh, ow, ch});
    if (ws)
        quantize_accumulator(g, o, a, ws, g->s.kh * g->s.kw);
    free(ws);
    struct mg_qop *q = op(g, quantized(g->s.type) ? 3 : 1, 3, (int32_t[]){a, w, b}, o);
    q->activation = g->s.act;
    q->padding = g->s.padding;
    q->stride_w = q->stride_h = g->s.stride;
    q->depth_multiplier = g->s.dm;
}

/* TRANSPOSE_CONV: output shape (constant), filter [units, kh, kw, in_c],
 * input, bias; the output is in * stride with SAME padding, and
 * (in - 1) * stride + k with VALID, as the converter writes them. */
static void build_transpose_conv(struct gen *g)
{
    need_rank(g, 4);
    if (g->failed)
        return;
    int cin = g->s.in[3];
    bool same = g->s.padding == TFLITE_PADDING_SAME;
    int32_t out_dims[4] = {g->s.in[0], same ? g->s.in[1] * g->s.stride : (g->s.in[1] - 1) * g->s.stride + g->s.kh,
                           same ? g->s.in[2] * g->s.stride : (g->s.in[2] - 1) * g->s.stride + g->s.kw, g->s.units};
    int shape = int32_constant(g, "output_shape", 4, out_dims);
    float *ws = NULL;
    int w = weights(g, 4, (int32_t[]){g->s.units, g->s.kh, g->s.kw, cin}, 0, &ws);
    int a = input(g);
    int b = ws ? bias(g, g->s.units, scale_of(g, a), ws) : 0;
    int o = tensor(g, "output", g->s.type, 4, out_dims);
    /* Each output sums about (k / stride)^2 * in_c products. */
    int taps = (g->s.kh + g->s.stride - 1) / g->s.stride * ((g->s.kw + g->s.stride - 1) / g->s.stride);
    if (ws)
        quantize_accumulator(g, o, a, ws, taps * cin);
    free(ws);
    struct mg_qop *q = op(g, quantized(g->s.type) ? 3 : 1, 4, (int32_t[]){shape, w, a, b}, o);
    q->options_type = TFLITE_OPTIONS_TRANSPOSE_CONV;
    field(q, 0, MG_QFIELD_U8, g->s.padding, TFLITE_PADDING_SAME);
    field(q, 1, MG_QFIELD_I32, g->s.stride, 0);
    field(q, 2, MG_QFIELD_I32, g->s.stride, 0);
    field(q, 3, MG_QFIELD_U8, g->s.act, TFLITE_ACT_NONE);
}

/* BATCH_MATMUL: the graph input (in, lhs) times a constant (in2, rhs),
 * either stored transposed (adj=XxY, 0 or 1 each); batch dimensions
 * broadcast. */
static void build_batch_matmul(struct gen *g)
{
    const struct op_spec *s = &g->s;
    if (s->in_rank < 2 || s->in2_rank < 2) {
        fail(g, "wants in= and in2= of rank 2 or more");
        return;
    }
    bool adj_x = s->adj_n > 0 && s->adj[0], adj_y = s->adj_n > 1 && s->adj[1];
    const int32_t *l = s->in + s->in_rank - 2, *r = s->in2 + s->in2_rank - 2;
    int32_t m = adj_x ? l[1] : l[0], k = adj_x ? l[0] : l[1], n = adj_y ? r[0] : r[1];
    if ((adj_y ? r[1] : r[0]) != k) {
        fail(g, "the inner dimensions of in and in2 differ");
        return;
    }
    int rank = s->in_rank > s->in2_rank ? s->in_rank : s->in2_rank;
    int32_t out[4];
    for (int back = 3; back <= rank; back++) {
        int32_t a = back <= s->in_rank ? s->in[s->in_rank - back] : 1;
        int32_t b = back <= s->in2_rank ? s->in2[s->in2_rank - back] : 1;
        if (a != b && a != 1 && b != 1) {
            fail(g, "the batch dimensions of in and in2 do not broadcast");
            return;
        }
        out[rank - back] = a > b ? a : b;
    }
    out[rank - 2] = m;
    out[rank - 1] = n;
    int a = input(g), b = operand2(g);
    int o = tensor(g, "output", s->type, rank, out);
    double spread = 128.0 * scale_of(g, a) * 128.0 * scale_of(g, b) * sqrt((double)k) * 0.6;
    quantize_range(g, o, -spread, spread * 1.1);
    struct mg_qop *q = op(g, 1, 2, (int32_t[]){a, b}, o);
    q->options_type = TFLITE_OPTIONS_BATCH_MAT_MUL;
    field(q, 0, MG_QFIELD_U8, adj_x, 0);
    field(q, 1, MG_QFIELD_U8, adj_y, 0);
}

/* RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR of an NHWC input to
 * shape=HxW (default twice the input's), align= and half= as options. */
static void build_resize(struct gen *g)
{
    need_rank(g, 4);
    if (g->failed)
        return;
    int32_t size[2] = {g->s.shape_n == 2 ? g->s.shape[0] : 2 * g->s.in[1],
                       g->s.shape_n == 2 ? g->s.shape[1] : 2 * g->s.in[2]};
    int a = input(g);
    int sz = int32_constant(g, "size", 2, size);
    int o = tensor(g, "output", g->s.type, 4, (int32_t[]){g->s.in[0], size[0], size[1], g->s.in[3]});
    quantize(g, o, scale_of(g, a), zp_of(g, a));
    bool bilinear = g->s.op->code == TFLITE_OP_RESIZE_BILINEAR;
    struct mg_qop *q = op(g, quantized(g->s.type) ? 2 : 1, 2, (int32_t[]){a, sz}, o);
    q->options_type = bilinear ? TFLITE_OPTIONS_RESIZE_BILINEAR : TFLITE_OPTIONS_RESIZE_NEAREST_NEIGHBOR;
    field(q, bilinear ? 2 : 0, MG_QFIELD_U8, g->s.align, 0);
    field(q, bilinear ? 3 : 1, MG_QFIELD_U8, g->s.half, 0);
}

/* DEPTH_TO_SPACE and SPACE_TO_DEPTH with block size n= (default 2). */
static void build_depth_space(struct gen *g)
{
    need_rank(g, 4);
    if (g->failed)
        return;
    int32_t b = g->s.n ? g->s.n : 2;
    bool to_space = g->s.op->code == TFLITE_OP_DEPTH_TO_SPACE;
    const int32_t *in = g->s.in;
    if (to_space ? in[3] % (b * b) : in[1] % b || in[2] % b) {
        fail(g, "the input's %s do not divide by the block", to_space ? "channels" : "height and width");
        return;
    }
    int32_t out[4] = {in[0], to_space ? in[1] * b : in[1] / b, to_space ? in[2] * b : in[2] / b,
                      to_space ? in[3] / (b * b) : in[3] * b * b};
    int a = input(g);
    int o = tensor(g, "output", g->s.type, 4, out);
    quantize(g, o, scale_of(g, a), zp_of(g, a));
    struct mg_qop *q = op(g, quantized(g->s.type) ? 2 : 1, 1, &a, o);
    q->options_type = to_space ? TFLITE_OPTIONS_DEPTH_TO_SPACE : TFLITE_OPTIONS_SPACE_TO_DEPTH;
    field(q, 0, MG_QFIELD_I32, b, 0);
}

/* SPACE_TO_BATCH_ND (block k=HxW, paddings begin=TOPxLEFT end=BOTTOMxRIGHT)
 * and BATCH_TO_SPACE_ND (the same block, crops in begin= and end=). */
static void build_space_batch(struct gen *g)
{
    need_rank(g, 4);
    if (g->failed)
        return;
    bool to_batch = g->s.op->code == TFLITE_OP_SPACE_TO_BATCH_ND;
    int32_t bh = g->s.kh, bw = g->s.kw;
    int32_t pads[4] = {g->s.begin_n > 0 ? g->s.begin[0] : 0, g->s.end_n > 0 ? g->s.end[0] : 0,
                       g->s.begin_n > 1 ? g->s.begin[1] : 0, g->s.end_n > 1 ? g->s.end[1] : 0};
    const int32_t *in = g->s.in;
    int32_t out[4];
    if (to_batch) {
        int32_t ph = in[1] + pads[0] + pads[1], pw = in[2] + pads[2] + pads[3];
        if (ph % bh || pw % bw) {
            fail(g, "the padded height and width do not divide by the block");
            return;
        }
        out[0] = in[0] * bh * bw, out[1] = ph / bh, out[2] = pw / bw, out[3] = in[3];
    } else {
        if (in[0] % (bh * bw) || in[1] * bh <= pads[0] + pads[1] || in[2] * bw <= pads[2] + pads[3]) {
            fail(g, "the batches do not divide by the block, or the crops take everything");
            return;
        }
        out[0] = in[0] / (bh * bw), out[1] = in[1] * bh - pads[0] - pads[1], out[2] = in[2] * bw - pads[2] - pads[3];
        out[3] = in[3];
    }
    int a = input(g);
    int bt = int32_constant(g, "block_shape", 2, (int32_t[]){bh, bw});
    int pt = tensor(g, to_batch ? "paddings" : "crops", TFLITE_TYPE_INT32, 2, (int32_t[]){2, 2});
    if (!g->failed) {
        uint8_t *data = malloc(sizeof pads);
        if (!data) {
            fail(g, "out of memory");
            return;
        }
        memcpy(data, pads, sizeof pads);
        g->m->tensors[pt].data = data;
        g->m->tensors[pt].data_bytes = sizeof pads;
    }
    int o = tensor(g, "output", g->s.type, 4, out);
    quantize(g, o, scale_of(g, a), zp_of(g, a));
    struct mg_qop *q = op(g, quantized(g->s.type) ? 2 : 1, 3, (int32_t[]){a, bt, pt}, o);
    q->options_type = to_batch ? TFLITE_OPTIONS_SPACE_TO_BATCH_ND : TFLITE_OPTIONS_BATCH_TO_SPACE_ND;
}

/* PRELU: the graph input and a constant alpha of shape in2 (int8 for
 * quantized inputs), broadcast. */
static void build_prelu(struct gen *g)
{
    int32_t out_dims[4];
    int rank;
    if (!broadcast(&g->s, &rank, out_dims) || rank != g->s.in_rank) {
        fail(g, "in2 must broadcast to in");
        return;
    }
    int a = input(g);
    uint8_t atype = g->s.type == TFLITE_TYPE_FLOAT32 ? TFLITE_TYPE_FLOAT32 : TFLITE_TYPE_INT8;
    int al = constant(g, "alpha", atype, g->s.in2_rank, g->s.in2, -0.5, 0.5);
    if (atype == TFLITE_TYPE_INT8)
        quantize_range(g, al, -0.5, 0.4);
    int o = tensor(g, "output", g->s.type, rank, out_dims);
    double r = 128.0 * scale_of(g, a) * (g->s.type == TFLITE_TYPE_INT16 ? 256.0 : 1.0);
    quantize_range(g, o, -0.4 * r, 0.9 * r);
    op(g, 1, 2, (int32_t[]){a, al}, o);
}

/* CAST from dtype to to=TYPE; the raw values are converted. */
static void build_cast(struct gen *g)
{
    if (g->s.to == 0xFF) {
        fail(g, "wants to=TYPE, the output's type");
        return;
    }
    int a = input(g);
    int o = tensor(g, "output", g->s.to, g->s.in_rank, g->s.in);
    op(g, 1, 1, &a, o);
}

/* ARG_MAX and ARG_MIN along axis= (default the last), int32 indices. */
static void build_arg_min_max(struct gen *g)
{
    int rank = g->s.in_rank;
    int32_t axis = g->s.axis_n ? g->s.axis[0] : -1;
    int ax = axis_of(g, axis, rank);
    int32_t out[4];
    for (int d = 0, k = 0; d < rank; d++)
        if (d != ax)
            out[k++] = g->s.in[d];
    int a = input(g);
    int x = int32_constant(g, "axis", 1, &axis);
    int o = tensor(g, "output", TFLITE_TYPE_INT32, rank - 1, out);
    struct mg_qop *q = op(g, quantized(g->s.type) ? 2 : 1, 2, (int32_t[]){a, x}, o);
    q->options_type = g->s.op->code == TFLITE_OP_ARG_MAX ? TFLITE_OPTIONS_ARG_MAX : TFLITE_OPTIONS_ARG_MIN;
    field(q, 0, MG_QFIELD_U8, TFLITE_TYPE_INT32, TFLITE_TYPE_INT64);
}

static void build_pool(struct gen *g)
{
    need_rank(g, 4);
    if (g->failed)
        return;
    int oh = conv_out(g, g->s.in[1], g->s.kh, g->s.stride, 1);
    int ow = conv_out(g, g->s.in[2], g->s.kw, g->s.stride, 1);
    int a = input(g);
    int o = tensor(g, "output", g->s.type, 4, (int32_t[]){g->s.in[0], oh, ow, g->s.in[3]});
    quantize(g, o, scale_of(g, a), zp_of(g, a)); /* TFLite requires the input's */
    struct mg_qop *q = op(g, quantized(g->s.type) ? 2 : 1, 1, &a, o);
    q->activation = g->s.act;
    q->padding = g->s.padding;
    q->stride_w = q->stride_h = g->s.stride;
    q->filter_w = g->s.kw;
    q->filter_h = g->s.kh;
}

/* Unary operators whose output takes a drawn range of its own. */
static void build_unary(struct gen *g)
{
    int a = input(g);
    int o = tensor(g, "output", g->s.type, g->s.in_rank, g->s.in);
    double r = 128.0 * scale_of(g, a) * (g->s.type == TFLITE_TYPE_INT16 ? 256.0 : 1.0);
    if (g->s.type == TFLITE_TYPE_INT16 && g->s.op->code == TFLITE_OP_ABS)
        quantize_range(g, o, -r, r); /* symmetric: int16 zero points are 0 */
    else if (g->s.op->code == TFLITE_OP_RELU6)
        quantize(g, o, scale_of(g, a), zp_of(g, a)); /* as converters write it; TFLM only clamps */
    else
        quantize_range(g, o, -0.6 * r, 0.9 * r);
    struct mg_qop *q = op(g, quantized(g->s.type) ? 2 : 1, 1, &a, o);
    if (g->s.op->code == TFLITE_OP_LEAKY_RELU) {
        q->options_type = TFLITE_OPTIONS_LEAKY_RELU;
        field_f32(q, 0, g->s.alpha);
    } else if (g->s.op->code == TFLITE_OP_HARD_SWISH) {
        q->options_type = TFLITE_OPTIONS_HARD_SWISH;
    }
}

/* LOGISTIC, TANH and SOFTMAX: outputs with the fixed quantization TFLite
 * requires. */
static void build_fixed_output(struct gen *g)
{
    int a = input(g);
    int o = tensor(g, "output", g->s.type, g->s.in_rank, g->s.in);
    bool tanh_like = g->s.op->code == TFLITE_OP_TANH;
    if (g->s.type == TFLITE_TYPE_INT8)
        quantize(g, o, tanh_like ? 1.0f / 128 : 1.0f / 256, tanh_like ? 0 : -128);
    else if (g->s.type == TFLITE_TYPE_INT16)
        quantize(g, o, 1.0f / 32768, 0);
    struct mg_qop *q = op(g, quantized(g->s.type) ? 2 : 1, 1, &a, o);
    q->beta = 1.0f;
}

/* QUANTIZE float32 -> dtype, or with to=TYPE a requantization of a dtype
 * input to another scale (and type). */
static void build_quantize(struct gen *g)
{
    if (g->s.to != 0xFF) {
        int a = input(g);
        int o = tensor(g, "output", g->s.to, g->s.in_rank, g->s.in);
        double r = 128.0 * scale_of(g, a) * (g->s.type == TFLITE_TYPE_INT16 ? 256.0 : 1.0);
        if (g->s.to == TFLITE_TYPE_INT32)
            quantize(g, o, scale_of(g, a) / 3.0f, 5);
        else
            quantize_range(g, o, -0.8 * r, 0.7 * r);
        op(g, 2, 1, &a, o);
        return;
    }
    /* float32 -> dtype */
    int32_t *dims = g->s.in;
    int a = tensor(g, "input", TFLITE_TYPE_FLOAT32, g->s.in_rank, dims);
    g->m->input = a;
    int o = tensor(g, "output", g->s.type, g->s.in_rank, dims);
    quantize_range(g, o, -0.3, 1.2);
    op(g, 1, 1, &a, o);
}

static void build_dequantize(struct gen *g)
{
    int a = input(g);
    int o = tensor(g, "output", TFLITE_TYPE_FLOAT32, g->s.in_rank, g->s.in);
    op(g, 2, 1, &a, o);
}

static void build_reshape(struct gen *g)
{
    if (!g->s.shape_n) {
        g->s.shape_n = 1;
        g->s.shape[0] = (int32_t)elems(g->s.in_rank, g->s.in);
    }
    if (elems(g->s.shape_n, g->s.shape) != elems(g->s.in_rank, g->s.in)) {
        fail(g, "shape= has a different number of elements than in=");
        return;
    }
    int a = input(g);
    int o = tensor(g, "output", g->s.type, g->s.shape_n, g->s.shape);
    quantize(g, o, scale_of(g, a), zp_of(g, a));
    struct mg_qop *q = op(g, 1, 1, &a, o);
    q->new_shape_rank = g->s.shape_n;
    memcpy(q->new_shape, g->s.shape, sizeof(int32_t) * (size_t)g->s.shape_n);
}

/* PAD, PADV2 (a drawn constant to pad with) and MIRROR_PAD (mode=reflect
 * or symmetric): drawn paddings of 0 to 2, a mirror's no more than the
 * input allows. */
static void build_pad(struct gen *g)
{
    int rank = g->s.in_rank;
    int32_t pads[8], out[4];
    int32_t code = g->s.op->code;
    int32_t reflect = code == TFLITE_OP_MIRROR_PAD && !g->s.symmetric;
    for (int i = 0; i < rank; i++) {
        pads[2 * i] = draw_int(g, 0, 2);
        pads[2 * i + 1] = draw_int(g, 0, 2);
        if (code == TFLITE_OP_MIRROR_PAD)
            for (int k = 0; k < 2; k++)
                if (pads[2 * i + k] > g->s.in[i] - reflect)
                    pads[2 * i + k] = g->s.in[i] - reflect;
        out[i] = g->s.in[i] + pads[2 * i] + pads[2 * i + 1];
    }
    int a = input(g);
    int p = tensor(g, "paddings", TFLITE_TYPE_INT32, 2, (int32_t[]){rank, 2});
    if (!g->failed) {
        uint8_t *data = malloc(8 * (size_t)rank);
        if (data) {
            memcpy(data, pads, 8 * (size_t)rank);
            g->m->tensors[p].data = data;
            g->m->tensors[p].data_bytes = 8 * (size_t)rank;
        } else {
            fail(g, "out of memory");
        }
    }
    int value = 0;
    if (code == TFLITE_OP_PADV2) {
        value = constant(g, "pad_value", g->s.type, 0, (int32_t[]){1}, -1.0, 1.0);
        quantize(g, value, scale_of(g, a), zp_of(g, a));
    }
    int o = tensor(g, "output", g->s.type, rank, out);
    quantize(g, o, scale_of(g, a), zp_of(g, a));
    struct mg_qop *q = op(g, code == TFLITE_OP_MIRROR_PAD ? 1 : 2, code == TFLITE_OP_PADV2 ? 3 : 2,
                          (int32_t[]){a, p, value}, o);
    if (code == TFLITE_OP_MIRROR_PAD) {
        q->options_type = TFLITE_OPTIONS_MIRROR_PAD;
        field(q, 0, MG_QFIELD_U8, g->s.symmetric, 0);
    }
}

static void build_reduce(struct gen *g)
{
    int rank = g->s.in_rank;
    bool reduced[4] = {false};
    int32_t axes[MAX_LIST];
    if (!g->s.axis_n) {
        g->s.axis_n = rank >= 3 ? 2 : 1;
        g->s.axis[0] = rank >= 3 ? 1 : rank - 1;
        g->s.axis[1] = 2;
    }
    int count = 1;
    for (int i = 0; i < g->s.axis_n; i++) {
        axes[i] = g->s.axis[i];
        int ax = axis_of(g, g->s.axis[i], rank);
        if (!reduced[ax])
            count *= g->s.in[ax];
        reduced[ax] = true;
    }
    int32_t out[4];
    int out_rank = 0;
    for (int i = 0; i < rank; i++)
        if (!reduced[i])
            out[out_rank++] = g->s.in[i];
        else if (g->s.keep)
            out[out_rank++] = 1;
    int a = input(g);
    int x = int32_constant(g, "axis", g->s.axis_n, axes);
    int o = tensor(g, "output", g->s.type, out_rank, out);
    double r = 128.0 * scale_of(g, a) * (g->s.type == TFLITE_TYPE_INT16 ? 256.0 : 1.0);
    if (g->s.op->code == TFLITE_OP_SUM)
        r *= sqrt((double)count) * 1.5;
    else
        r *= 0.7;
    if (g->s.op->code == TFLITE_OP_REDUCE_MAX || g->s.op->code == TFLITE_OP_REDUCE_MIN)
        quantize(g, o, scale_of(g, a), zp_of(g, a)); /* raw values are compared */
    else
        quantize_range(g, o, -r, r * 0.8);
    struct mg_qop *q = op(g, quantized(g->s.type) ? 2 : 1, 2, (int32_t[]){a, x}, o);
    q->options_type = TFLITE_OPTIONS_REDUCER;
    field(q, TFLITE_REDUCER_KEEP_DIMS, MG_QFIELD_U8, g->s.keep, 0);
}

static void build_concatenation(struct gen *g)
{
    int rank = g->s.in_rank, n = g->s.n < 2 ? 2 : g->s.n;
    if (n > MG_QMAX_INPUTS)
        n = MG_QMAX_INPUTS;
    int axis = axis_of(g, g->s.axis_n ? g->s.axis[0] : -1, rank);
    int32_t in[MG_QMAX_INPUTS];
    int32_t out[4];
    memcpy(out, g->s.in, sizeof out);
    in[0] = input(g);
    out[axis] = 0;
    for (int k = 0; k < n; k++) {
        int32_t dims[4];
        memcpy(dims, g->s.in, sizeof dims);
        dims[axis] = k == 0 ? g->s.in[axis] : 1 + k % 3;
        if (k > 0) {
            char name[16];
            snprintf(name, sizeof name, "operand%d", k + 1);
            in[k] = constant(g, name, g->s.type, rank, dims, -1.0, 1.0);
            quantize(g, in[k], scale_of(g, in[0]), zp_of(g, in[0]));
        }
        out[axis] += dims[axis];
    }
    int o = tensor(g, "output", g->s.type, rank, out);
    quantize(g, o, scale_of(g, in[0]), zp_of(g, in[0]));
    struct mg_qop *q = op(g, quantized(g->s.type) ? 2 : 1, n, in, o);
    q->options_type = TFLITE_OPTIONS_CONCATENATION;
    field(q, TFLITE_CONCAT_AXIS, MG_QFIELD_I32, g->s.axis_n ? g->s.axis[0] : -1, 0);
    field(q, TFLITE_CONCAT_FUSED_ACTIVATION, MG_QFIELD_U8, g->s.act, TFLITE_ACT_NONE);
}

static void build_transpose(struct gen *g)
{
    int rank = g->s.in_rank;
    if (!g->s.perm_n) {
        g->s.perm_n = rank;
        for (int i = 0; i < rank; i++)
            g->s.perm[i] = rank - 1 - i;
    }
    if (g->s.perm_n != rank) {
        fail(g, "perm= has %d entries for an input of rank %d", g->s.perm_n, rank);
        return;
    }
    int32_t out[4];
    for (int i = 0; i < rank; i++)
        out[i] = g->s.in[axis_of(g, g->s.perm[i], rank)];
    int a = input(g);
    int p = int32_constant(g, "perm", rank, g->s.perm);
    int o = tensor(g, "output", g->s.type, rank, out);
    quantize(g, o, scale_of(g, a), zp_of(g, a));
    struct mg_qop *q = op(g, quantized(g->s.type) ? 2 : 1, 2, (int32_t[]){a, p}, o);
    q->options_type = TFLITE_OPTIONS_TRANSPOSE;
}

static void build_shape(struct gen *g)
{
    int a = input(g);
    int o = tensor(g, "output", TFLITE_TYPE_INT32, 1, (int32_t[]){g->s.in_rank});
    struct mg_qop *q = op(g, 1, 1, &a, o);
    q->options_type = TFLITE_OPTIONS_SHAPE;
    field(q, 0, MG_QFIELD_U8, TFLITE_TYPE_INT32, TFLITE_TYPE_FLOAT32);
}

/* SLICE (begin, size) and STRIDED_SLICE (begin, end, strides, masks=BxExS). */
static void build_slice(struct gen *g)
{
    int rank = g->s.in_rank;
    bool strided = g->s.op->code == TFLITE_OP_STRIDED_SLICE;
    int32_t begin[4], end[4], strides[4], out[4];
    int out_rank = 0;
    int32_t bmask = g->s.masks_n > 0 ? g->s.masks[0] : 0, emask = g->s.masks_n > 1 ? g->s.masks[1] : 0;
    int32_t smask = g->s.masks_n > 2 ? g->s.masks[2] : 0;
    for (int d = 0; d < rank; d++) {
        int32_t size = g->s.in[d];
        begin[d] = d < g->s.begin_n ? g->s.begin[d] : (size > 2 ? 1 : 0);
        end[d] = d < g->s.end_n ? g->s.end[d] : strided ? size : size - begin[d];
        strides[d] = d < g->s.strides_n ? g->s.strides[d] : 1;
        if (!strided) {
            out[out_rank++] = end[d] == -1 ? size - begin[d] : end[d];
            continue;
        }
        if (strides[d] == 0) {
            fail(g, "a stride of 0");
            return;
        }
        /* The output shape, as strided_slice_logic.h computes it. */
        int64_t b = bmask >> d & 1 ? (strides[d] > 0 ? 0 : size - 1) : begin[d] < 0 ? begin[d] + size : begin[d];
        b = strides[d] > 0 ? (b < 0 ? 0 : b > size ? size : b) : (b < -1 ? -1 : b > size - 1 ? size - 1 : b);
        int64_t e;
        if (smask >> d & 1) {
            e = b + 1;
        } else {
            e = emask >> d & 1 ? (strides[d] > 0 ? size : -1) : end[d] < 0 ? end[d] + size : end[d];
            e = strides[d] > 0 ? (e < 0 ? 0 : e > size ? size : e) : (e < -1 ? -1 : e > size - 1 ? size - 1 : e);
        }
        int64_t n = strides[d] > 0 ? (e - b + strides[d] - 1) / strides[d] : (b - e - strides[d] - 1) / -strides[d];
        if (!(smask >> d & 1))
            out[out_rank++] = (int32_t)(n < 0 ? 0 : n);
    }
    int a = input(g);
    int bt = int32_constant(g, "begin", rank, begin);
    int et = int32_constant(g, strided ? "end" : "size", rank, end);
    int st = strided ? int32_constant(g, "strides", rank, strides) : 0;
    int o = tensor(g, "output", g->s.type, out_rank, out);
    quantize(g, o, scale_of(g, a), zp_of(g, a));
    struct mg_qop *q = op(g, quantized(g->s.type) ? 2 : 1, strided ? 4 : 3, (int32_t[]){a, bt, et, st}, o);
    q->options_type = strided ? TFLITE_OPTIONS_STRIDED_SLICE : TFLITE_OPTIONS_SLICE;
    if (strided) {
        field(q, 0, MG_QFIELD_I32, bmask, 0);
        field(q, 1, MG_QFIELD_I32, emask, 0);
        field(q, 4, MG_QFIELD_I32, smask, 0);
    }
}

/* PACK: n inputs of shape in (the first the graph input, the others
 * constants) stacked along a new axis. */
static void build_pack(struct gen *g)
{
    int rank = g->s.in_rank, n = g->s.n < 2 ? 3 : g->s.n;
    int axis = axis_of(g, g->s.axis_n ? g->s.axis[0] : 0, rank + 1);
    int32_t in[MG_QMAX_INPUTS], out[5];
    in[0] = input(g);
    for (int k = 1; k < n; k++) {
        char name[16];
        snprintf(name, sizeof name, "operand%d", k + 1);
        in[k] = constant(g, name, g->s.type, rank, g->s.in, -1.0, 1.0);
        quantize(g, in[k], scale_of(g, in[0]), zp_of(g, in[0]));
    }
    for (int d = 0, k = 0; d <= rank; d++)
        out[d] = d == axis ? n : g->s.in[k++];
    if (rank + 1 > 4) {
        fail(g, "the output would have rank %d; modelgen writes up to 4", rank + 1);
        return;
    }
    int o = tensor(g, "output", g->s.type, rank + 1, out);
    quantize(g, o, scale_of(g, in[0]), zp_of(g, in[0]));
    struct mg_qop *q = op(g, quantized(g->s.type) ? 2 : 1, n, in, o);
    q->options_type = TFLITE_OPTIONS_PACK;
    field(q, 0, MG_QFIELD_I32, n, 0);
    field(q, 1, MG_QFIELD_I32, g->s.axis_n ? g->s.axis[0] : 0, 0);
}

/* SPLIT (n equal parts), SPLIT_V (sizes=shape=...) and UNPACK along axis;
 * out=k picks the output the graph returns. */
static void build_split(struct gen *g)
{
    int32_t code = g->s.op->code;
    int rank = g->s.in_rank;
    int axis = axis_of(g, g->s.axis_n ? g->s.axis[0] : (code == TFLITE_OP_UNPACK ? 0 : rank - 1), rank);
    if (g->failed)
        return;
    int32_t size = g->s.in[axis];
    int32_t sizes[MAX_LIST];
    int n;
    if (code == TFLITE_OP_UNPACK) {
        n = size;
    } else if (code == TFLITE_OP_SPLIT_V) {
        n = g->s.shape_n ? g->s.shape_n : 2;
        if (!g->s.shape_n) {
            sizes[0] = size / 3 ? size / 3 : 1;
            sizes[1] = size - sizes[0];
        } else {
            memcpy(sizes, g->s.shape, sizeof(int32_t) * (size_t)n);
        }
    } else {
        n = g->s.n ? g->s.n : 2;
        if (size % n) {
            fail(g, "an axis of %d does not split into %d parts", size, n);
            return;
        }
    }
    if (n > MG_QMAX_OUTPUTS) {
        fail(g, "%d outputs; modelgen writes up to %d", n, MG_QMAX_OUTPUTS);
        return;
    }
    int a = input(g);
    int ins[3], num_inputs;
    if (code == TFLITE_OP_SPLIT) {
        int32_t ax = axis;
        ins[0] = int32_constant(g, "axis", 1, &ax);
        ins[1] = a;
        num_inputs = 2;
        g->m->input = a;
    } else if (code == TFLITE_OP_SPLIT_V) {
        int32_t ax = axis;
        ins[0] = a;
        ins[1] = int32_constant(g, "size_splits", n, sizes);
        ins[2] = int32_constant(g, "axis", 1, &ax);
        num_inputs = 3;
    } else {
        ins[0] = a;
        num_inputs = 1;
    }
    int outs[MG_QMAX_OUTPUTS];
    for (int k = 0; k < n; k++) {
        int32_t dims[4];
        int r = 0;
        for (int d = 0; d < rank; d++) {
            if (d != axis)
                dims[r++] = g->s.in[d];
            else if (code != TFLITE_OP_UNPACK)
                dims[r++] = code == TFLITE_OP_SPLIT ? size / n : sizes[k];
        }
        char name[16];
        snprintf(name, sizeof name, "output%d", k);
        outs[k] = tensor(g, name, g->s.type, r, dims);
        quantize(g, outs[k], scale_of(g, a), zp_of(g, a));
    }
    struct mg_qop *q = op(g, quantized(g->s.type) ? 2 : 1, num_inputs, ins, outs[0]);
    q->num_extra_outputs = n - 1;
    for (int k = 1; k < n; k++)
        q->extra_outputs[k - 1] = outs[k];
    q->options_type = code == TFLITE_OP_SPLIT ? TFLITE_OPTIONS_SPLIT
                      : code == TFLITE_OP_SPLIT_V ? TFLITE_OPTIONS_SPLIT_V
                                                 : TFLITE_OPTIONS_UNPACK;
    field(q, 0, MG_QFIELD_I32, n, 0);
    if (code == TFLITE_OP_UNPACK)
        field(q, 1, MG_QFIELD_I32, axis, 0);
}

/* GATHER along axis with n drawn indices (in range, some repeated). */
static void build_gather(struct gen *g)
{
    int rank = g->s.in_rank;
    int axis = axis_of(g, g->s.axis_n ? g->s.axis[0] : 0, rank);
    if (g->failed)
        return;
    int n = g->s.n ? g->s.n : 5;
    int32_t idx[16], out[4];
    for (int i = 0; i < n; i++)
        idx[i] = draw_int(g, 0, g->s.in[axis] - 1);
    int r = 0;
    for (int d = 0; d < rank; d++)
        out[r++] = d == axis ? n : g->s.in[d];
    int a = input(g);
    int it = int32_constant(g, "indices", n, idx);
    int o = tensor(g, "output", g->s.type, r, out);
    quantize(g, o, scale_of(g, a), zp_of(g, a));
    struct mg_qop *q = op(g, quantized(g->s.type) ? 2 : 1, 2, (int32_t[]){a, it}, o);
    q->options_type = TFLITE_OPTIONS_GATHER;
    field(q, 0, MG_QFIELD_I32, axis, 0);
}

/* SQUEEZE (the size-1 axes of in, or axis=...) and EXPAND_DIMS (axis). */
static void build_squeeze(struct gen *g)
{
    int rank = g->s.in_rank;
    bool expand = g->s.op->code == TFLITE_OP_EXPAND_DIMS;
    int32_t out[4];
    int r = 0;
    int a = input(g);
    if (expand) {
        int axis = axis_of(g, g->s.axis_n ? g->s.axis[0] : 0, rank + 1);
        if (rank + 1 > 4) {
            fail(g, "the output would have rank %d; modelgen writes up to 4", rank + 1);
            return;
        }
        for (int d = 0, k = 0; d <= rank; d++)
            out[r++] = d == axis ? 1 : g->s.in[k++];
        int32_t ax = g->s.axis_n ? g->s.axis[0] : 0;
        int at = int32_constant(g, "axis", 1, &ax);
        int o = tensor(g, "output", g->s.type, r, out);
        quantize(g, o, scale_of(g, a), zp_of(g, a));
        struct mg_qop *q = op(g, 1, 2, (int32_t[]){a, at}, o);
        q->options_type = TFLITE_OPTIONS_EXPAND_DIMS;
        return;
    }
    for (int d = 0; d < rank; d++)
        if (g->s.in[d] != 1)
            out[r++] = g->s.in[d];
    int o = tensor(g, "output", g->s.type, r, out);
    quantize(g, o, scale_of(g, a), zp_of(g, a));
    struct mg_qop *q = op(g, 1, 1, &a, o);
    q->options_type = TFLITE_OPTIONS_SQUEEZE;
}

/* ---- the operator table and the spec parser ---- */

#define Q "int8,int16,float32"
static const struct op_entry op_entries[] = {
    {"ADD", TFLITE_OP_ADD, build_binary, Q},
    {"AVERAGE_POOL_2D", TFLITE_OP_AVERAGE_POOL_2D, build_pool, Q},
    {"CONCATENATION", TFLITE_OP_CONCATENATION, build_concatenation, Q},
    {"CONV_2D", TFLITE_OP_CONV_2D, build_conv_2d, Q},
    {"DEPTHWISE_CONV_2D", TFLITE_OP_DEPTHWISE_CONV_2D, build_depthwise_conv_2d, Q},
    {"DEQUANTIZE", TFLITE_OP_DEQUANTIZE, build_dequantize, "int8,int16"},
    {"FULLY_CONNECTED", TFLITE_OP_FULLY_CONNECTED, build_fully_connected, Q},
    {"HARD_SWISH", TFLITE_OP_HARD_SWISH, build_unary, "int8,float32"},
    {"LEAKY_RELU", TFLITE_OP_LEAKY_RELU, build_unary, Q},
    {"LOGISTIC", TFLITE_OP_LOGISTIC, build_fixed_output, Q},
    {"MAX_POOL_2D", TFLITE_OP_MAX_POOL_2D, build_pool, Q},
    {"MEAN", TFLITE_OP_MEAN, build_reduce, Q},
    {"MUL", TFLITE_OP_MUL, build_binary, Q},
    {"PAD", TFLITE_OP_PAD, build_pad, Q},
    {"PADV2", TFLITE_OP_PADV2, build_pad, Q},
    {"MIRROR_PAD", TFLITE_OP_MIRROR_PAD, build_pad, "int8,float32"},
    {"QUANTIZE", TFLITE_OP_QUANTIZE, build_quantize, "int8,int16"},
    {"RELU", TFLITE_OP_RELU, build_unary, Q},
    {"RELU6", TFLITE_OP_RELU6, build_unary, Q},
    {"RESHAPE", TFLITE_OP_RESHAPE, build_reshape, Q},
    {"SHAPE", TFLITE_OP_SHAPE, build_shape, Q},
    {"SOFTMAX", TFLITE_OP_SOFTMAX, build_fixed_output, Q},
    {"SUB", TFLITE_OP_SUB, build_binary, Q},
    {"SUM", TFLITE_OP_SUM, build_reduce, Q},
    {"REDUCE_MAX", TFLITE_OP_REDUCE_MAX, build_reduce, Q},
    {"ABS", TFLITE_OP_ABS, build_unary, Q},
    {"NEG", TFLITE_OP_NEG, build_unary, "float32"},
    {"SQUARE", TFLITE_OP_SQUARE, build_unary, "float32"},
    {"CEIL", TFLITE_OP_CEIL, build_unary, "float32"},
    {"FLOOR", TFLITE_OP_FLOOR, build_unary, "float32"},
    {"ROUND", TFLITE_OP_ROUND, build_unary, "float32"},
    {"ZEROS_LIKE", TFLITE_OP_ZEROS_LIKE, build_unary, Q},
    {"REDUCE_MIN", TFLITE_OP_REDUCE_MIN, build_reduce, Q},
    {"TANH", TFLITE_OP_TANH, build_fixed_output, Q},
    {"SLICE", TFLITE_OP_SLICE, build_slice, Q},
    {"STRIDED_SLICE", TFLITE_OP_STRIDED_SLICE, build_slice, Q},
    {"PACK", TFLITE_OP_PACK, build_pack, Q},
    {"UNPACK", TFLITE_OP_UNPACK, build_split, Q},
    {"SPLIT", TFLITE_OP_SPLIT, build_split, Q},
    {"SPLIT_V", TFLITE_OP_SPLIT_V, build_split, Q},
    {"GATHER", TFLITE_OP_GATHER, build_gather, Q},
    {"SQUEEZE", TFLITE_OP_SQUEEZE, build_squeeze, Q},
    {"EXPAND_DIMS", TFLITE_OP_EXPAND_DIMS, build_squeeze, Q},
    {"TRANSPOSE", TFLITE_OP_TRANSPOSE, build_transpose, Q},
    {"TRANSPOSE_CONV", TFLITE_OP_TRANSPOSE_CONV, build_transpose_conv, "int8,float32"},
    {"BATCH_MATMUL", TFLITE_OP_BATCH_MATMUL, build_batch_matmul, "int8,float32"},
    {"CAST", TFLITE_OP_CAST, build_cast, "int8,int16,int32,float32"},
    {"PRELU", TFLITE_OP_PRELU, build_prelu, Q},
    {"ARG_MAX", TFLITE_OP_ARG_MAX, build_arg_min_max, "int8,float32"},
    {"ARG_MIN", TFLITE_OP_ARG_MIN, build_arg_min_max, "int8,float32"},
    {"RESIZE_BILINEAR", TFLITE_OP_RESIZE_BILINEAR, build_resize, "int8,float32"},
    {"RESIZE_NEAREST_NEIGHBOR", TFLITE_OP_RESIZE_NEAREST_NEIGHBOR, build_resize, Q},
    {"DEPTH_TO_SPACE", TFLITE_OP_DEPTH_TO_SPACE, build_depth_space, "int8,float32"},
    {"SPACE_TO_DEPTH", TFLITE_OP_SPACE_TO_DEPTH, build_depth_space, "int8,float32"},
    {"BATCH_TO_SPACE_ND", TFLITE_OP_BATCH_TO_SPACE_ND, build_space_batch, "int8,float32"},
    {"SPACE_TO_BATCH_ND", TFLITE_OP_SPACE_TO_BATCH_ND, build_space_batch, "int8,float32"},
    {"DIV", TFLITE_OP_DIV, build_binary, "float32"},
    {"SQUARED_DIFFERENCE", TFLITE_OP_SQUARED_DIFFERENCE, build_binary, "float32"},
    {"MAXIMUM", TFLITE_OP_MAXIMUM, build_binary, Q},
    {"MINIMUM", TFLITE_OP_MINIMUM, build_binary, Q},
    {"EQUAL", TFLITE_OP_EQUAL, build_binary, Q},
    {"NOT_EQUAL", TFLITE_OP_NOT_EQUAL, build_binary, Q},
    {"LESS", TFLITE_OP_LESS, build_binary, Q},
    {"LESS_EQUAL", TFLITE_OP_LESS_EQUAL, build_binary, Q},
    {"GREATER", TFLITE_OP_GREATER, build_binary, Q},
    {"GREATER_EQUAL", TFLITE_OP_GREATER_EQUAL, build_binary, Q},
};

int mg_is_op_spec(const char *spec)
{
    return spec && !strncmp(spec, MG_OP_SPEC_PREFIX, strlen(MG_OP_SPEC_PREFIX));
}

void mg_op_list(FILE *out)
{
    fprintf(out, "single-operator models: op:NAME[,key=value,...]\n  operators:");
    for (size_t i = 0; i < sizeof op_entries / sizeof op_entries[0]; i++)
        fprintf(out, "%s %s", i % 6 ? "" : "\n   ", op_entries[i].name);
    fprintf(out, "\n  keys: in=1x5x7x3 in2=SHAPE dtype=int8|int16|float32 "
                 "act=none|relu|relu6|relu_n1_to_1\n"
                 "        quant=tensor|channel units=N k=HxW stride=N pad=same|valid dm=N\n"
                 "        axis=AxB keep=0|1 n=N perm=AxBxC shape=AxB alpha=F adj=XxY to=TYPE (CAST)\n"
                 "        align=0|1 half=0|1 (RESIZE_*: align_corners, half_pixel_centers; shape=HxW the size)\n"
                 "        n=B (DEPTH_TO_SPACE, SPACE_TO_DEPTH: the block) k=HxW begin=TxL end=BxR\n"
                 "        (SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND: the block, the paddings or crops)\n"
                 "        mode=reflect|symmetric (MIRROR_PAD)\n");
}

/* "AxBxC" (entries may be negative) into v; returns the count or -1. */
static int parse_list(const char *text, int32_t *v, int max)
{
    int n = 0;
    const char *p = text;
    while (*p) {
        char *end;
        long x = strtol(p, &end, 10);
        if (end == p || n >= max || x < -100000 || x > 100000)
            return -1;
        v[n++] = (int32_t)x;
        if (*end == 'x')
            end++;
        else if (*end)
            return -1;
        p = end;
    }
    return n;
}

static int parse_pair(struct gen *g, const char *key, const char *val)
{
    struct op_spec *s = &g->s;
    int32_t v[MAX_LIST];
    int n = parse_list(val, v, MAX_LIST);
    if (!strcmp(key, "dtype") || !strcmp(key, "to")) {
        uint8_t t = !strcmp(val, "int8")      ? TFLITE_TYPE_INT8
                    : !strcmp(val, "int16")   ? TFLITE_TYPE_INT16
                    : !strcmp(val, "int32")   ? TFLITE_TYPE_INT32
                    : !strcmp(val, "float32") ? TFLITE_TYPE_FLOAT32
                                              : 0xFF;
        *(key[0] == 'd' ? &s->type : &s->to) = t;
        return t == 0xFF ? -1 : 0;
    }
    if (!strcmp(key, "act")) {
        s->act = !strcmp(val, "none")           ? TFLITE_ACT_NONE
                 : !strcmp(val, "relu")         ? TFLITE_ACT_RELU
                 : !strcmp(val, "relu6")        ? TFLITE_ACT_RELU6
                 : !strcmp(val, "relu_n1_to_1") ? TFLITE_ACT_RELU_N1_TO_1
                                                : 0xFF;
        return s->act == 0xFF ? -1 : 0;
    }
    if (!strcmp(key, "quant")) {
        s->per_channel = !strcmp(val, "channel");
        return s->per_channel || !strcmp(val, "tensor") ? 0 : -1;
    }
    if (!strcmp(key, "mode")) {
        s->symmetric = !strcmp(val, "symmetric");
        return s->symmetric || !strcmp(val, "reflect") ? 0 : -1;
    }
    if (!strcmp(key, "pad")) {
        s->padding = !strcmp(val, "valid") ? TFLITE_PADDING_VALID : TFLITE_PADDING_SAME;
        return !strcmp(val, "valid") || !strcmp(val, "same") ? 0 : -1;
    }
    if (!strcmp(key, "alpha")) {
        char *end;
        s->alpha = strtof(val, &end);
        return *val && !*end ? 0 : -1;
    }
    if (n < 1)
        return -1;
    struct {
        const char *name;
        int32_t *list;
        int *count;
        int max;
    } lists[] = {
        {"in", s->in, &s->in_rank, 4},       {"in2", s->in2, &s->in2_rank, 4},
        {"axis", s->axis, &s->axis_n, 4},    {"perm", s->perm, &s->perm_n, 4},
        {"shape", s->shape, &s->shape_n, 4}, {"begin", s->begin, &s->begin_n, 4},
        {"end", s->end, &s->end_n, 4},       {"strides", s->strides, &s->strides_n, 4},
        {"masks", s->masks, &s->masks_n, 3},   {"adj", s->adj, &s->adj_n, 2},
    };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        if (strcmp(key, lists[i].name))
            continue;
        if (n > lists[i].max)
            return -1;
        memcpy(lists[i].list, v, sizeof(int32_t) * (size_t)n);
        *lists[i].count = n;
        if (!strcmp(key, "in") || !strcmp(key, "in2") || !strcmp(key, "shape"))
            for (int k = 0; k < n; k++)
                if (v[k] < 1)
                    return -1;
        return 0;
    }
    struct {
        const char *name;
        int *value;
        int lo, hi;
    } ints[] = {
        {"units", &s->units, 1, 4096}, {"stride", &s->stride, 1, 8}, {"dm", &s->dm, 1, 16},
        {"keep", &s->keep, 0, 1},      {"n", &s->n, 1, 16},          {"out", &s->out, 0, 7},
        {"align", &s->align, 0, 1},    {"half", &s->half, 0, 1},
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        if (strcmp(key, ints[i].name))
            continue;
        if (n != 1 || v[0] < ints[i].lo || v[0] > ints[i].hi)
            return -1;
        *ints[i].value = v[0];
        return 0;
    }
    if (!strcmp(key, "k")) {
        if (n < 1 || n > 2 || v[0] < 1 || v[n - 1] < 1 || v[0] > 16 || v[n - 1] > 16)
            return -1;
        s->kh = v[0];
        s->kw = v[n - 1];
        return 0;
    }
    fail(g, "unknown key '%s' (see mcusim model build --list)", key);
    return -2;
}

static int parse(struct gen *g, const char *spec)
{
    struct op_spec *s = &g->s;
    memset(s, 0, sizeof *s);
    s->in_rank = 4;
    memcpy(s->in, (int32_t[]){1, 5, 7, 3}, sizeof s->in);
    s->type = TFLITE_TYPE_INT8;
    s->to = 0xFF;
    s->units = 4;
    s->kh = s->kw = 3;
    s->stride = 1;
    s->dm = 1;
    s->alpha = 0.2f;
    s->padding = TFLITE_PADDING_SAME;

    char buf[512];
    snprintf(buf, sizeof buf, "%s", spec + strlen(MG_OP_SPEC_PREFIX));
    char *save = NULL;
    char *name = strtok_r(buf, ",", &save);
    for (size_t i = 0; name && i < sizeof op_entries / sizeof op_entries[0]; i++)
        if (!strcasecmp(name, op_entries[i].name))
            s->op = &op_entries[i];
    if (!s->op) {
        snprintf(g->err, g->errlen, "%s: unknown operator '%s' (see mcusim model build --list)", spec,
                 name ? name : "");
        return -1;
    }
    bool has_in2 = false;
    for (char *pair; (pair = strtok_r(NULL, ",", &save));) {
        char *eq = strchr(pair, '=');
        if (!eq) {
            fail(g, "'%s' is not key=value", pair);
            return -1;
        }
        *eq = 0;
        int rc = parse_pair(g, pair, eq + 1);
        if (rc == -1)
            fail(g, "bad value '%s' for %s", eq + 1, pair);
        if (rc)
            return -1;
        has_in2 |= !strcmp(pair, "in2");
    }
    if (!has_in2) {
        s->in2_rank = s->in_rank;
        memcpy(s->in2, s->in, sizeof s->in);
    }
    const char *tname = s->type == TFLITE_TYPE_INT8    ? "int8"
                        : s->type == TFLITE_TYPE_INT16 ? "int16"
                        : s->type == TFLITE_TYPE_INT32 ? "int32"
                                                       : "float32";
    if (!strstr(s->op->types, tname)) {
        fail(g, "dtype=%s is not offered (only %s)", tname, s->op->types);
        return -1;
    }
    return 0;
}

int mg_op_model(const char *spec, uint64_t seed, struct mg_qmodel *m, char *err, size_t errlen)
{
    struct gen g;
    memset(&g, 0, sizeof g);
    g.err = err;
    g.errlen = errlen;
    mg_qmodel_init(m);
    if (parse(&g, spec))
        return -1;
    g.m = m;
    mg_rng_seed(&g.rng, seed, OPMODEL_STREAM);
    snprintf(m->description, sizeof m->description, "mcusim modelgen %s seed=%" PRIu64, spec, seed);
    g.s.op->build(&g);
    if (!g.failed && (m->input < 0 || m->output < 0 || m->num_ops != 1))
        fail(&g, "internal error: the model has no single operator");
    if (!g.failed && g.s.out > m->ops[0].num_extra_outputs)
        fail(&g, "out=%d, but the operator has %d outputs", g.s.out, m->ops[0].num_extra_outputs + 1);
    if (!g.failed && g.s.out > 0)
        m->output = m->ops[0].extra_outputs[g.s.out - 1];
    if (g.failed) {
        mg_qmodel_free(m);
        return -1;
    }
    return 0;
}
