/*
 * test_modelgen_models.c — every architecture, at its defaults and at other
 * settings, gives a well-formed int8 .tflite file that follows the TFLite
 * converter's quantization rules, with the operator sequence its spec
 * describes; and the bytes are a pure function of (spec, seed).
 *
 * The files are decoded with the strict reader mgtest_tflite_view.c and
 * every rule is checked from the file alone: shapes, per-channel weight and
 * bias scales, zero points, pass-through quantization, alignment, and the
 * summary's MAC and parameter counts recomputed from the shapes.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mgtest_tflite_view.h"
#include "modelgen.h"
#include "tflite_schema.h"

/* The specs every check runs on: defaults and other settings of each
 * architecture. */
static const char *const specs[] = {
    "cnn",
    "cnn:width=0.5",
    "cnn:res=48x40,ch=1,width=0.25,classes=4",
    "dscnn",
    "dscnn:width=0.5,blocks=2,classes=5",
    "autoencoder",
    "autoencoder:input=128,hidden=32,bottleneck=4,layers=2",
    "mobilenet",
    "mobilenet:alpha=0.5,res=64,classes=3",
    "resnet",
    "resnet:res=24,width=0.5,classes=5",
    "mlp",
    "mlp:input=20,hidden=16,layers=3,classes=3",
};
#define NUM_SPECS (sizeof specs / sizeof specs[0])

static uint8_t *build(const char *spec, uint64_t seed, size_t *len, struct mg_summary *sum)
{
    uint8_t *bytes = NULL;
    char err[256] = "";
    int rc = modelgen_build(spec, seed, &bytes, len, sum, err, sizeof err);
    cr_assert_eq(rc, MG_OK, "%s: %s", spec, err);
    return bytes;
}

static size_t elems(const struct tv_tensor *t)
{
    size_t n = 1;
    for (int i = 0; i < t->rank; i++)
        n *= (size_t)t->dims[i];
    return n;
}

static size_t type_size(int type)
{
    return type == TFLITE_TYPE_INT32 || type == TFLITE_TYPE_FLOAT32 ? 4 : 1;
}

static int out_size(int in, int k, int stride, int padding)
{
    return padding == TFLITE_PADDING_SAME ? (in + stride - 1) / stride : (in - k) / stride + 1;
}

static void check_activation(const char *spec, const struct tv_tensor *t)
{
    cr_assert_eq(t->type, TFLITE_TYPE_INT8, "%s: %s is int8", spec, t->name);
    cr_assert_eq(t->buffer, 0, "%s: activation %s has no data", spec, t->name);
    cr_assert_eq(t->num_scales, 1, "%s: %s per-tensor", spec, t->name);
    cr_assert_eq(t->num_zero_points, 1);
    cr_assert_gt(t->scales[0], 0.0f, "%s: %s scale", spec, t->name);
    cr_assert(t->zero_points[0] >= -128 && t->zero_points[0] <= 127, "%s: %s zero point %lld",
              spec, t->name, (long long)t->zero_points[0]);
}

static void same_quant(const char *spec, const struct tv_tensor *a, const struct tv_tensor *b)
{
    cr_assert_eq(a->scales[0], b->scales[0], "%s: %s and %s share a scale", spec, a->name,
                 b->name);
    cr_assert_eq(a->zero_points[0], b->zero_points[0], "%s: %s and %s share a zero point", spec,
                 a->name, b->name);
}

/* Weights, bias and their scales for CONV_2D, DEPTHWISE_CONV_2D and
 * FULLY_CONNECTED.  Returns the layer's MACs. */
static uint64_t check_weighted(const char *spec, const struct tv_model *v, const struct tv_op *op,
                               int code)
{
    cr_assert_eq(op->num_inputs, 3, "%s: input, weights, bias", spec);
    const struct tv_tensor *in = &v->tensors[op->inputs[0]];
    const struct tv_tensor *w = &v->tensors[op->inputs[1]];
    const struct tv_tensor *b = &v->tensors[op->inputs[2]];
    const struct tv_tensor *out = &v->tensors[op->outputs[0]];
    int per_channel = code != TFLITE_OP_FULLY_CONNECTED;
    int out_ch = out->dims[out->rank - 1];

    cr_assert_eq(w->type, TFLITE_TYPE_INT8, "%s: %s", spec, w->name);
    cr_assert_eq(b->type, TFLITE_TYPE_INT32, "%s: %s", spec, b->name);
    cr_assert_eq(b->rank, 1);
    cr_assert_eq(b->dims[0], out_ch, "%s: %s has one bias per output channel", spec, b->name);
    cr_assert_eq(w->num_scales, per_channel ? out_ch : 1, "%s: %s scales", spec, w->name);
    cr_assert_eq(b->num_scales, w->num_scales, "%s: %s scales", spec, b->name);
    cr_assert_eq(w->quantized_dimension, code == TFLITE_OP_DEPTHWISE_CONV_2D ? 3 : 0,
                 "%s: %s quantized_dimension", spec, w->name);
    cr_assert_eq(b->quantized_dimension, 0, "%s: %s quantized_dimension", spec, b->name);

    uint64_t macs;
    int qdim = w->quantized_dimension;
    if (code == TFLITE_OP_CONV_2D) {
        cr_assert_eq(w->rank, 4);
        cr_assert_eq(w->dims[0], out_ch);
        cr_assert_eq(w->dims[3], in->dims[3], "%s: %s input channels", spec, w->name);
        cr_assert_eq(out->dims[1], out_size(in->dims[1], w->dims[1], op->stride_h, op->padding));
        cr_assert_eq(out->dims[2], out_size(in->dims[2], w->dims[2], op->stride_w, op->padding));
        macs = (uint64_t)out->dims[1] * out->dims[2] * out_ch * w->dims[1] * w->dims[2] *
               w->dims[3];
    } else if (code == TFLITE_OP_DEPTHWISE_CONV_2D) {
        cr_assert_eq(w->rank, 4);
        cr_assert_eq(w->dims[0], 1);
        cr_assert_eq(w->dims[3], out_ch);
        cr_assert_eq(in->dims[3], out_ch);
        cr_assert_eq(op->depth_multiplier, 1);
        cr_assert_eq(out->dims[1], out_size(in->dims[1], w->dims[1], op->stride_h, op->padding));
        cr_assert_eq(out->dims[2], out_size(in->dims[2], w->dims[2], op->stride_w, op->padding));
        macs = (uint64_t)out->dims[1] * out->dims[2] * out_ch * w->dims[1] * w->dims[2];
    } else {
        cr_assert_eq(w->rank, 2);
        cr_assert_eq(w->dims[0], out_ch);
        cr_assert_eq(w->dims[1], in->dims[in->rank - 1], "%s: %s input size", spec, w->name);
        macs = (uint64_t)w->dims[0] * w->dims[1];
    }
    if (code != TFLITE_OP_FULLY_CONNECTED)
        cr_assert_eq(op->dilation_w * op->dilation_h, 1);

    /* Weights: symmetric, zero point 0, values in [-127, 127], and since
     * scale = max|w| / 127 the largest magnitude of each channel is 127. */
    const uint8_t *wd = v->file + v->buffers[w->buffer].offset;
    size_t n = elems(w);
    int *maxabs = calloc((size_t)w->num_scales, sizeof *maxabs);
    size_t inner = 1;
    for (int d = qdim + 1; d < w->rank; d++)
        inner *= (size_t)w->dims[d];
    for (size_t i = 0; i < n; i++) {
        int q = (int8_t)wd[i];
        cr_assert(q >= -127, "%s: %s has -128", spec, w->name);
        int c = per_channel ? (int)((i / inner) % (size_t)w->dims[qdim]) : 0;
        maxabs[c] = abs(q) > maxabs[c] ? abs(q) : maxabs[c];
    }
    for (int c = 0; c < w->num_scales; c++) {
        cr_assert_eq(maxabs[c], 127, "%s: %s channel %d peaks at %d", spec, w->name, c, maxabs[c]);
        cr_assert_eq(w->zero_points[c], 0);
        cr_assert_eq(b->zero_points[c], 0);
        /* The int32 bias scale is the product of input and weight scales. */
        float expect = (float)((double)in->scales[0] * (double)w->scales[c]);
        cr_assert_eq(b->scales[c], expect, "%s: %s bias scale %d", spec, b->name, c);
    }
    free(maxabs);
    return macs;
}

static void check_model(const char *spec)
{
    size_t len;
    struct mg_summary sum;
    uint8_t *file = build(spec, MG_DEFAULT_SEED, &len, &sum);
    struct tv_model v;
    cr_assert_eq(tv_read(&v, file, len), 0, "%s: %s", spec, v.problem);
    cr_assert_str_eq(v.identifier, "TFL3", "%s", spec);
    cr_assert_eq(v.version, 3);
    cr_assert_eq(v.num_subgraphs, 1);
    cr_assert(strstr(v.description, sum.spec), "%s: description '%s' names the spec", spec,
              v.description);
    cr_assert_eq(sum.file_bytes, len);
    cr_assert_eq(sum.num_ops, v.num_ops);

    /* Buffers: 0 empty; every other one belongs to exactly one constant
     * tensor, is sized for it and aligned to 16. */
    cr_assert_eq(v.buffers[0].size, 0, "%s: buffer 0 is the empty sentinel", spec);
    int *owners = calloc((size_t)v.num_buffers, sizeof *owners);
    uint64_t weight_bytes = 0, params = 0, macs = 0;
    for (int i = 0; i < v.num_tensors; i++) {
        const struct tv_tensor *t = &v.tensors[i];
        if (t->buffer == 0)
            continue;
        owners[t->buffer]++;
        cr_assert_eq(v.buffers[t->buffer].size, elems(t) * type_size(t->type), "%s: %s size",
                     spec, t->name);
        cr_assert_eq(v.buffers[t->buffer].offset % 16, 0, "%s: %s data alignment", spec, t->name);
        weight_bytes += v.buffers[t->buffer].size;
    }
    for (int bi = 1; bi < v.num_buffers; bi++)
        cr_assert_eq(owners[bi], 1, "%s: buffer %d used by %d tensors", spec, bi, owners[bi]);
    free(owners);
    cr_assert_eq(weight_bytes, sum.weight_bytes, "%s: weight bytes", spec);

    for (int k = 0; k < v.num_opcodes; k++) {
        cr_assert_eq(v.opcodes[k].deprecated_builtin_code, v.opcodes[k].builtin_code,
                     "%s: both operator code fields are set", spec);
        cr_assert_geq(v.opcodes[k].version, 1);
    }

    cr_assert_eq(v.num_inputs, 1);
    cr_assert_eq(v.num_outputs, 1);
    cr_assert_eq(v.ops[0].inputs[0], v.inputs[0], "%s: first operator reads the input", spec);
    cr_assert_eq(v.ops[v.num_ops - 1].outputs[0], v.outputs[0], "%s: last writes the output",
                 spec);
    check_activation(spec, &v.tensors[v.inputs[0]]);

    for (int i = 0; i < v.num_ops; i++) {
        const struct tv_op *op = &v.ops[i];
        int code = tv_op_code(&v, i);
        cr_assert_eq(op->num_outputs, 1);
        const struct tv_tensor *in = &v.tensors[op->inputs[0]];
        const struct tv_tensor *out = &v.tensors[op->outputs[0]];
        check_activation(spec, out);
        switch (code) {
        case TFLITE_OP_CONV_2D:
        case TFLITE_OP_DEPTHWISE_CONV_2D:
        case TFLITE_OP_FULLY_CONNECTED:
            cr_assert_eq(op->options_type, code == TFLITE_OP_CONV_2D ? TFLITE_OPTIONS_CONV_2D
                                           : code == TFLITE_OP_DEPTHWISE_CONV_2D
                                               ? TFLITE_OPTIONS_DEPTHWISE_CONV_2D
                                               : TFLITE_OPTIONS_FULLY_CONNECTED);
            macs += check_weighted(spec, &v, op, code);
            params += elems(&v.tensors[op->inputs[1]]) + elems(&v.tensors[op->inputs[2]]);
            break;
        case TFLITE_OP_MAX_POOL_2D:
        case TFLITE_OP_AVERAGE_POOL_2D:
            cr_assert_eq(op->options_type, TFLITE_OPTIONS_POOL_2D);
            cr_assert_eq(out->dims[1], out_size(in->dims[1], op->filter_h, op->stride_h,
                                                op->padding));
            cr_assert_eq(out->dims[2], out_size(in->dims[2], op->filter_w, op->stride_w,
                                                op->padding));
            cr_assert_eq(out->dims[3], in->dims[3]);
            same_quant(spec, in, out);
            break;
        case TFLITE_OP_RESHAPE:
            cr_assert_eq(op->options_type, TFLITE_OPTIONS_RESHAPE);
            cr_assert_eq(elems(in), elems(out), "%s: reshape keeps the element count", spec);
            cr_assert_eq(op->new_shape_rank, out->rank);
            for (int d = 0; d < out->rank; d++)
                cr_assert_eq(op->new_shape[d], out->dims[d]);
            cr_assert_eq(op->num_inputs, 2, "%s: reshape has its shape tensor", spec);
            same_quant(spec, in, out);
            break;
        case TFLITE_OP_SOFTMAX:
            cr_assert_eq(op->options_type, TFLITE_OPTIONS_SOFTMAX);
            cr_assert_float_eq(op->beta, 1.0f, 0);
            cr_assert_eq(out->scales[0], 1.0f / 256, "%s: softmax output scale", spec);
            cr_assert_eq(out->zero_points[0], -128, "%s: softmax output zero point", spec);
            break;
        case TFLITE_OP_ADD:
            cr_assert_eq(op->options_type, TFLITE_OPTIONS_ADD);
            cr_assert_eq(op->num_inputs, 2);
            cr_assert_eq(elems(&v.tensors[op->inputs[1]]), elems(out));
            break;
        default:
            cr_assert_fail("%s: unexpected operator %d", spec, code);
        }
        /* A fused ReLU puts the range's minimum at 0, i.e. zero point -128;
         * ReLU6 also caps the maximum at 6. */
        if (op->activation == TFLITE_ACT_RELU || op->activation == TFLITE_ACT_RELU6)
            cr_assert_eq(out->zero_points[0], -128, "%s: %s after ReLU", spec, out->name);
        if (op->activation == TFLITE_ACT_RELU6)
            cr_assert_leq(out->scales[0] * 255.0, 6.0 + 1e-5, "%s: %s ReLU6 range", spec,
                          out->name);
    }
    cr_assert_eq(macs, sum.macs, "%s: MACs recomputed from the file", spec);
    cr_assert_eq(params, sum.params, "%s: parameters counted in the file", spec);
    tv_free(&v);
    free(file);
}

Test(modelgen_models, every_spec_gives_a_well_formed_converter_style_model, .timeout = 120)
{
    for (size_t i = 0; i < NUM_SPECS; i++)
        check_model(specs[i]);
}

/* The operator sequence of each architecture, as its spec describes it. */
static void expect_ops(const char *spec, const int *codes, int n)
{
    size_t len;
    struct mg_summary sum;
    uint8_t *file = build(spec, MG_DEFAULT_SEED, &len, &sum);
    struct tv_model v;
    cr_assert_eq(tv_read(&v, file, len), 0, "%s: %s", spec, v.problem);
    cr_assert_eq(v.num_ops, n, "%s: %d operators, want %d", spec, v.num_ops, n);
    for (int i = 0; i < n; i++)
        cr_assert_eq(tv_op_code(&v, i), codes[i], "%s: operator %d is %d, want %d", spec, i,
                     tv_op_code(&v, i), codes[i]);
    tv_free(&v);
    free(file);
}

enum {
    CONV = TFLITE_OP_CONV_2D,
    DW = TFLITE_OP_DEPTHWISE_CONV_2D,
    FC = TFLITE_OP_FULLY_CONNECTED,
    MAXP = TFLITE_OP_MAX_POOL_2D,
    AVGP = TFLITE_OP_AVERAGE_POOL_2D,
    RESH = TFLITE_OP_RESHAPE,
    SMAX = TFLITE_OP_SOFTMAX,
    ADD = TFLITE_OP_ADD,
};

Test(modelgen_models, operator_sequences_follow_the_specs)
{
    const int cnn[] = {CONV, MAXP, CONV, MAXP, CONV, MAXP, RESH, FC, SMAX};
    expect_ops("cnn", cnn, 9);
    const int dscnn2[] = {CONV, DW, CONV, DW, CONV, AVGP, RESH, FC, SMAX};
    expect_ops("dscnn:blocks=2", dscnn2, 9);
    const int ae1[] = {FC, FC, FC, FC};
    expect_ops("autoencoder:layers=1", ae1, 4);
    int ae4[10];
    for (int i = 0; i < 10; i++)
        ae4[i] = FC;
    expect_ops("autoencoder", ae4, 10);
    int mobilenet[31] = {CONV};
    for (int i = 0; i < 13; i++)
        mobilenet[1 + 2 * i] = DW, mobilenet[2 + 2 * i] = CONV;
    mobilenet[27] = AVGP, mobilenet[28] = RESH, mobilenet[29] = FC, mobilenet[30] = SMAX;
    expect_ops("mobilenet", mobilenet, 31);
    const int resnet[] = {CONV, CONV, CONV, ADD, CONV, CONV, CONV, ADD, CONV,
                          CONV, CONV, ADD,  AVGP, RESH, FC,   SMAX};
    expect_ops("resnet", resnet, 16);
    const int mlp[] = {FC, FC, FC, FC, SMAX};
    expect_ops("mlp:layers=3", mlp, 5);
}

Test(modelgen_models, defaults_have_the_documented_shapes)
{
    struct {
        const char *spec;
        int in_rank;
        int32_t in[4];
        int out_n;
    } cases[] = {
        {"cnn", 4, {1, 32, 32, 3}, 10},
        {"dscnn", 4, {1, 49, 10, 1}, 12},
        {"autoencoder", 2, {1, 640}, 640},
        {"mobilenet", 4, {1, 96, 96, 3}, 2},
        {"resnet", 4, {1, 32, 32, 3}, 10},
        {"mlp", 2, {1, 64}, 10},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        size_t len;
        struct mg_summary sum;
        uint8_t *file = build(cases[c].spec, MG_DEFAULT_SEED, &len, &sum);
        struct tv_model v;
        cr_assert_eq(tv_read(&v, file, len), 0, "%s", v.problem);
        const struct tv_tensor *in = &v.tensors[v.inputs[0]], *out = &v.tensors[v.outputs[0]];
        cr_assert_eq(in->rank, cases[c].in_rank, "%s input rank", cases[c].spec);
        for (int d = 0; d < in->rank; d++)
            cr_assert_eq(in->dims[d], cases[c].in[d], "%s input dim %d", cases[c].spec, d);
        cr_assert_eq(out->rank, 2);
        cr_assert_eq(out->dims[1], cases[c].out_n, "%s outputs", cases[c].spec);
        tv_free(&v);
        free(file);
    }
}

Test(modelgen_models, same_spec_and_seed_give_identical_bytes)
{
    for (size_t i = 0; i < NUM_SPECS; i++) {
        size_t len1, len2;
        uint8_t *a = build(specs[i], 42, &len1, NULL);
        uint8_t *b = build(specs[i], 42, &len2, NULL);
        cr_assert_eq(len1, len2, "%s", specs[i]);
        cr_assert_eq(memcmp(a, b, len1), 0, "%s: two builds differ", specs[i]);
        free(a);
        free(b);
    }
}

Test(modelgen_models, spelled_out_defaults_give_the_same_model)
{
    size_t len1, len2;
    uint8_t *a = build("cnn", 1, &len1, NULL);
    uint8_t *b = build("cnn:classes=10,width=1.0,res=32x32", 1, &len2, NULL);
    cr_assert_eq(len1, len2);
    cr_assert_eq(memcmp(a, b, len1), 0);
    free(a);
    free(b);
}

Test(modelgen_models, another_seed_changes_weights_not_structure)
{
    size_t len1, len2;
    uint8_t *a = build("dscnn", 1, &len1, NULL);
    uint8_t *b = build("dscnn", 2, &len2, NULL);
    struct tv_model va, vb;
    cr_assert_eq(tv_read(&va, a, len1), 0);
    cr_assert_eq(tv_read(&vb, b, len2), 0);
    cr_assert_eq(va.num_tensors, vb.num_tensors);
    cr_assert_eq(va.num_buffers, vb.num_buffers);
    int differing = 0;
    for (int i = 1; i < va.num_buffers; i++) {
        cr_assert_eq(va.buffers[i].size, vb.buffers[i].size);
        differing += memcmp(a + va.buffers[i].offset, b + vb.buffers[i].offset,
                            va.buffers[i].size) != 0;
    }
    cr_assert_geq(differing, va.num_buffers - 1 - 1,
                  "weights differ in nearly every buffer (%d of %d)", differing,
                  va.num_buffers - 1);
    tv_free(&va);
    tv_free(&vb);
    free(a);
    free(b);
}

Test(modelgen_models, width_scales_parameters)
{
    struct mg_summary full, half, dbl;
    size_t len;
    free(build("cnn", 1, &len, &full));
    free(build("cnn:width=0.5", 1, &len, &half));
    free(build("cnn:width=2", 1, &len, &dbl));
    /* Conv weights scale with width squared, the dense layer linearly. */
    cr_assert_lt(half.params, full.params / 2);
    cr_assert_gt(dbl.params, full.params * 2);
    cr_assert_lt(half.macs, full.macs / 3);
    cr_assert_gt(dbl.macs, full.macs * 3);
}

/* The files meson made with the mcusim program (another process, maybe
 * another build) equal what the library makes here. */
Test(modelgen_models, build_tree_workloads_match_the_library)
{
    const char *root = getenv("MCUSIM_BUILD_ROOT");
    cr_assert_not_null(root, "run through meson test (MCUSIM_BUILD_ROOT)");
    const struct {
        const char *name, *spec;
    } w[] = {{"cnn", "cnn"},
             {"cnn_half", "cnn:width=0.5"},
             {"dscnn", "dscnn"},
             {"autoencoder", "autoencoder"},
             {"mobilenet", "mobilenet"},
             {"resnet", "resnet"}};
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/workloads/%s.tflite", root, w[i].name);
        FILE *f = fopen(path, "rb");
        cr_assert_not_null(f, "%s was not built", path);
        fseek(f, 0, SEEK_END);
        long flen = ftell(f);
        rewind(f);
        uint8_t *disk = malloc((size_t)flen);
        cr_assert_eq(fread(disk, 1, (size_t)flen, f), (size_t)flen);
        fclose(f);
        size_t len;
        uint8_t *mem = build(w[i].spec, MG_DEFAULT_SEED, &len, NULL);
        cr_assert_eq((size_t)flen, len, "%s size", path);
        cr_assert_eq(memcmp(disk, mem, len), 0, "%s differs from the library's bytes", path);
        free(disk);
        free(mem);
    }
}

/* The bytes of the workloads, and of a few more specs, as modelgen first
 * wrote them: any change to the arithmetic that moves a single weight, scale
 * or range shows here.  When a change to the synthesis is meant to change
 * models, these are updated with it, and the commit says so. */
static uint64_t fnv1a64(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

Test(modelgen_models, synthesized_bytes_are_pinned)
{
    const struct {
        const char *spec;
        size_t len;
        uint64_t fnv;
    } pinned[] = {
        {"cnn", 39776, 0x39be3063b7ba0db2ull},
        {"cnn:width=0.5", 15584, 0x3547d29511a9dd9eull},
        {"dscnn", 43104, 0x6ff557ee4fc55caeull},
        {"autoencoder", 275056, 0x594ad74b50816e1eull},
        {"mobilenet", 296400, 0x7e3feeb771b9a26cull},
        {"resnet", 92304, 0x47a0841ad6c8e108ull},
        {"mlp", 5392, 0xa51ff75caabd3dd8ull},
        {"mobilenet:alpha=0.5,res=64,classes=3", 974096, 0x557f9ef003743db7ull},
    };
    for (size_t i = 0; i < sizeof pinned / sizeof pinned[0]; i++) {
        size_t len;
        uint8_t *bytes = build(pinned[i].spec, MG_DEFAULT_SEED, &len, NULL);
        cr_assert_eq(len, pinned[i].len, "%s: %zu bytes, pinned %zu", pinned[i].spec, len,
                     pinned[i].len);
        cr_assert_eq(fnv1a64(bytes, len), pinned[i].fnv, "%s: bytes differ from the pinned ones",
                     pinned[i].spec);
        free(bytes);
    }
}

/* dtype=float32: the same operators on the same shapes, float32 tensors
 * without quantization, and as weights exactly the floats the int8 model
 * was quantized from (the calibrated graph), biases alike. */
Test(modelgen_models, float32_models_are_the_int8_graph_in_float)
{
    for (size_t i = 0; i < NUM_SPECS; i++) {
        char fspec[200];
        snprintf(fspec, sizeof fspec, "%s%sdtype=float32", specs[i],
                 strchr(specs[i], ':') ? "," : ":");
        size_t len8, len32;
        struct mg_summary s8, s32;
        uint8_t *f8 = build(specs[i], MG_DEFAULT_SEED, &len8, &s8);
        uint8_t *f32 = build(fspec, MG_DEFAULT_SEED, &len32, &s32);
        struct tv_model v8, v32;
        cr_assert_eq(tv_read(&v8, f8, len8), 0, "%s", v8.problem);
        cr_assert_eq(tv_read(&v32, f32, len32), 0, "%s: %s", fspec, v32.problem);
        cr_assert(strstr(v32.description, "dtype=float32"), "%s", v32.description);
        cr_assert_eq(s32.params, s8.params);
        cr_assert_eq(s32.macs, s8.macs);
        cr_assert_eq(v32.num_ops, v8.num_ops, "%s", fspec);
        cr_assert_eq(v32.num_tensors, v8.num_tensors, "%s", fspec);
        for (int k = 0; k < v32.num_opcodes; k++)
            cr_assert_eq(v32.opcodes[k].version, 1, "%s: float operators are version 1", fspec);

        struct mg_graph g;
        char err[256];
        cr_assert_eq(modelgen_graph(specs[i], MG_DEFAULT_SEED, &g, err, sizeof err), 0, "%s",
                     err);
        uint64_t weight_bytes = 0;
        for (int op = 0; op < v32.num_ops; op++) {
            cr_assert_eq(tv_op_code(&v32, op), tv_op_code(&v8, op), "%s: op %d", fspec, op);
            const struct tv_op *o = &v32.ops[op];
            cr_assert_eq(o->num_inputs, v8.ops[op].num_inputs);
            for (int k = 0; k < o->num_inputs; k++) {
                const struct tv_tensor *t = &v32.tensors[o->inputs[k]];
                const struct tv_tensor *t8 = &v8.tensors[v8.ops[op].inputs[k]];
                cr_assert_eq(t->rank, t8->rank);
                for (int d = 0; d < t->rank; d++)
                    cr_assert_eq(t->dims[d], t8->dims[d], "%s: %s", fspec, t->name);
                cr_assert_eq(t->has_quant, 0, "%s: %s is not quantized", fspec, t->name);
                int shape = tv_op_code(&v32, op) == TFLITE_OP_RESHAPE && k == 1;
                cr_assert_eq(t->type, shape ? TFLITE_TYPE_INT32 : TFLITE_TYPE_FLOAT32, "%s: %s",
                             fspec, t->name);
                if (t->buffer)
                    weight_bytes += v32.buffers[t->buffer].size;
            }
            const struct mg_layer *l = &g.layers[op];
            if (!l->weights)
                continue;
            /* Weights, then bias: the graph's floats, bit for bit. */
            const struct tv_tensor *w = &v32.tensors[o->inputs[1]], *b = &v32.tensors[o->inputs[2]];
            cr_assert_eq(v32.buffers[w->buffer].size, 4 * l->num_weights, "%s", w->name);
            cr_assert_eq(memcmp(f32 + v32.buffers[w->buffer].offset, l->weights,
                                4 * l->num_weights),
                         0, "%s: %s are the graph's weights", fspec, w->name);
            cr_assert_eq(memcmp(f32 + v32.buffers[b->buffer].offset, l->bias,
                                4 * (size_t)l->out_channels),
                         0, "%s: %s is the graph's bias", fspec, b->name);
        }
        cr_assert_eq(weight_bytes, s32.weight_bytes, "%s", fspec);
        const struct tv_tensor *out = &v32.tensors[v32.outputs[0]];
        cr_assert_eq(out->type, TFLITE_TYPE_FLOAT32);
        mg_graph_free(&g);
        tv_free(&v8);
        tv_free(&v32);
        free(f8);
        free(f32);
    }
}
