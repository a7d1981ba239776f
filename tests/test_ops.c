/*
 * test_ops.c — every operator of the runtime, one at a time, against
 * TensorFlow Lite Micro's reference kernels: for each case of the table a
 * single-operator model is synthesized (modelgen's "op:" specs, odd shapes,
 * broadcasting, each fused activation, per-tensor and per-channel weights),
 * run with the runtime's `ref` and `opt` families on the host and with the
 * TFLM oracle (support/tflm_oracle.h) on the same pseudo-random input, and
 * the output bytes must be identical.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelgen.h"
#include "tflite_writer.h"
#include "rt_interp.h"
#include "rt_model.h"
#include "rt_test_util.h"
#include "tflm_oracle.h"

#define ARENA_BYTES (4u << 20)

struct op_case {
    const char *spec;
};

static const struct op_case cases[] = {
    /* binary elementwise: broadcasting in every direction, each activation */
    {"op:ADD,in=1x5x7x3"},
    {"op:ADD,in=1x5x7x3,in2=1x1x7x1,act=relu"},
    {"op:ADD,in=2x3x1x5,in2=3x4x1,act=relu6"},
    {"op:ADD,in=7,in2=1,act=relu_n1_to_1"},
    {"op:MUL,in=1x5x7x3"},
    {"op:MUL,in=1x5x7x3,in2=3,act=relu"},
    {"op:MUL,in=2x1x3,in2=4x1,act=relu6"},
    {"op:MUL,in=9x2,in2=9x1,act=relu_n1_to_1"},
    {"op:ADD,in=1x5x7x3,dtype=float32,act=relu6"},
    {"op:ADD,in=2x3x1x5,in2=3x4x1,dtype=float32"},
    {"op:MUL,in=2x3x1x5,in2=5,dtype=float32,act=relu_n1_to_1"},
    {"op:SUB,in=1x5x7x3"},
    {"op:SUB,in=1x5x7x3,in2=1x1x7x1,act=relu"},
    {"op:SUB,in=2x3x1x5,in2=3x4x1,act=relu6"},
    {"op:SUB,in=4x9,in2=9,dtype=int16"},
    {"op:SUB,in=4x9,in2=4x1,dtype=int16,act=relu"},
    {"op:SUB,in=2x3x1x5,in2=3x4x1,dtype=float32,act=relu"},
    {"op:DIV,in=2x3x5,in2=5,dtype=float32"},
    {"op:DIV,in=1x5x7x3,dtype=float32,act=relu6"},
    {"op:SQUARED_DIFFERENCE,in=2x3x5,in2=5,dtype=float32"},
    {"op:SQUARED_DIFFERENCE,in=2x3x1x5,in2=3x4x1,dtype=float32"},
    {"op:MAXIMUM,in=1x5x7x3,in2=3"},
    {"op:MAXIMUM,in=2x3x1x5,in2=3x4x1,dtype=int16"},
    {"op:MINIMUM,in=2x3x1x5,in2=3x4x1,dtype=float32"},
    {"op:MINIMUM,in=4x6,in2=4x1"},
    /* comparisons: bool outputs */
    {"op:EQUAL,in=4x6,in2=4x1"},
    {"op:NOT_EQUAL,in=2x3x5,in2=5,dtype=float32"},
    {"op:LESS,in=1x5x7x3,in2=1x1x7x1"},
    {"op:LESS_EQUAL,in=3x4,dtype=float32"},
    {"op:GREATER,in=2x3x1x5,in2=3x4x1"},
    {"op:GREATER_EQUAL,in=7,in2=1"},
    /* convolutions: odd shapes, strides, padding, per-tensor and per-channel */
    {"op:CONV_2D,in=1x5x7x3,units=4,k=3x3,quant=channel"},
    {"op:CONV_2D,in=1x6x9x5,units=3,k=2x3,stride=2,pad=valid,quant=tensor,act=relu"},
    {"op:CONV_2D,in=2x7x5x2,units=5,k=1x1,act=relu6,quant=channel"},
    {"op:CONV_2D,in=1x4x4x17,units=3,k=3x1,stride=3,act=relu_n1_to_1"},
    {"op:DEPTHWISE_CONV_2D,in=1x5x7x3,k=3x3,quant=channel"},
    {"op:DEPTHWISE_CONV_2D,in=1x8x6x4,k=3x3,stride=2,act=relu6,quant=channel"},
    {"op:DEPTHWISE_CONV_2D,in=1x5x5x3,k=2x2,dm=3,pad=valid,act=relu"},
    {"op:DEPTHWISE_CONV_2D,in=1x9x3x2,k=5x1,dm=2,quant=tensor,act=relu_n1_to_1"},
    /* TFLM's float32 TRANSPOSE_CONV reads its activation from the wrong
     * options struct (TfLiteConvParams): float cases without one. */
    {"op:TRANSPOSE_CONV,in=1x4x5x3,units=4,k=3x3,stride=2,quant=channel"},
    {"op:TRANSPOSE_CONV,in=1x3x3x5,units=2,k=2x2,stride=2,pad=valid,act=relu"},
    {"op:TRANSPOSE_CONV,in=2x5x4x2,units=3,k=3x2,stride=1,act=relu6,quant=tensor"},
    {"op:TRANSPOSE_CONV,in=1x2x3x7,units=5,k=5x5,stride=3,act=relu_n1_to_1,quant=channel"},
    {"op:TRANSPOSE_CONV,in=1x4x3x3,units=3,k=3x3,stride=2,dtype=float32"},
    {"op:TRANSPOSE_CONV,in=1x3x2x4,units=2,k=2x3,stride=1,pad=valid,dtype=float32"},
    /* matrix products: either side transposed, batches broadcast */
    {"op:BATCH_MATMUL,in=3x5,in2=5x4"},
    {"op:BATCH_MATMUL,in=2x3x7,in2=7x6,adj=0x0"},
    {"op:BATCH_MATMUL,in=2x1x4x9,in2=3x9x5,adj=0x0"},
    {"op:BATCH_MATMUL,in=2x9x4,in2=2x5x9,adj=1x1"},
    {"op:BATCH_MATMUL,in=1x4x6,in2=3x6x2,dtype=float32"},
    {"op:BATCH_MATMUL,in=2x6x3,in2=2x6,adj=1x1,dtype=float32"},
    {"op:FULLY_CONNECTED,in=1x17,units=5"},
    {"op:FULLY_CONNECTED,in=3x10,units=7,act=relu,quant=channel"},
    {"op:FULLY_CONNECTED,in=2x33,units=3,act=relu6"},
    {"op:FULLY_CONNECTED,in=1x9,units=4,dtype=float32,act=relu"},
    /* pools */
    {"op:AVERAGE_POOL_2D,in=1x5x7x3,k=2x2,stride=2"},
    {"op:AVERAGE_POOL_2D,in=1x6x5x4,k=3x2,stride=1,pad=valid,act=relu6"},
    {"op:MAX_POOL_2D,in=1x5x7x3,k=2x2,stride=2"},
    {"op:MAX_POOL_2D,in=2x7x4x5,k=3x3,stride=2,pad=valid,act=relu"},
    /* shape and data movement */
    {"op:RESHAPE,in=1x5x7x3,shape=35x3"},
    {"op:RESHAPE,in=2x6,shape=3x4,dtype=int16"},
    {"op:RESHAPE,in=2x6,shape=12,dtype=float32"},
    {"op:PAD,in=1x5x7x3"},
    {"op:PAD,in=3x7"},
    {"op:PAD,in=2x5x3,dtype=int16"},
    {"op:PAD,in=1x4x3x2,dtype=float32"},
    {"op:PADV2,in=1x5x7x3"},
    {"op:PADV2,in=4x3,dtype=int16"},
    {"op:PADV2,in=2x3x4,dtype=float32"},
    {"op:MIRROR_PAD,in=1x5x7x3"},
    {"op:MIRROR_PAD,in=3x4,mode=symmetric"},
    {"op:MIRROR_PAD,in=2x3x5,mode=symmetric,dtype=float32"},
    {"op:MIRROR_PAD,in=1x3x4x2,dtype=float32"},
    {"op:CONCATENATION,in=1x5x7x3,axis=3,n=3"},
    {"op:CONCATENATION,in=2x3x4,axis=1,n=2"},
    {"op:CONCATENATION,in=4x5,axis=0,n=4"},
    {"op:CONCATENATION,in=2x3x4,axis=-1,n=3,dtype=int16"},
    {"op:CONCATENATION,in=3x2,axis=1,n=2,dtype=float32"},
    /* data movement, any element type */
    {"op:TRANSPOSE,in=1x5x7x3"},
    {"op:TRANSPOSE,in=2x3x4,perm=1x0x2,dtype=float32"},
    {"op:TRANSPOSE,in=3x5,perm=1x0,dtype=int16"},
    {"op:TRANSPOSE,in=2x3x4x5,perm=0x3x1x2"},
    {"op:SLICE,in=1x5x7x3"},
    {"op:SLICE,in=4x6,begin=1x2,end=-1x3,dtype=float32"},
    {"op:STRIDED_SLICE,in=1x8x7x3,begin=0x1x-2x0,end=1x7x0x3,strides=1x2x-1x1"},
    {"op:STRIDED_SLICE,in=4x6,begin=1x0,end=2x5,strides=1x2,masks=0x0x1"},
    {"op:STRIDED_SLICE,in=5x6x3,begin=4x1x0,end=0x6x3,strides=-2x2x1,masks=0x4x0,dtype=int16"},
    {"op:STRIDED_SLICE,in=2x9,begin=0x-1,end=2x0,strides=1x-3,masks=1x2x0,dtype=float32"},
    {"op:PACK,in=3x4,axis=1"},
    {"op:PACK,in=2x3x2,axis=0,n=4,dtype=float32"},
    {"op:PACK,in=5,axis=-1,n=2,dtype=int16"},
    {"op:UNPACK,in=3x4,axis=1,out=2"},
    {"op:UNPACK,in=2x3x2,axis=0,out=1,dtype=float32"},
    {"op:SPLIT,in=2x6x4,axis=1,n=3,out=1"},
    {"op:SPLIT,in=4x5,axis=0,n=2,out=1,dtype=int16"},
    {"op:SPLIT_V,in=2x7,axis=-1,shape=2x4x1,out=1"},
    {"op:SPLIT_V,in=6x2x3,axis=0,shape=1x5,out=0,dtype=float32"},
    {"op:GATHER,in=5x3x2,axis=1,n=4"},
    {"op:GATHER,in=7x4,axis=0,n=9,dtype=float32"},
    {"op:SHAPE,in=2x3"},
    {"op:SHAPE,in=1x5x7x3,dtype=float32"},
    {"op:SQUEEZE,in=1x5x1x3"},
    {"op:EXPAND_DIMS,in=5x3,axis=1,dtype=int16"},
    /* resizing: up, down, odd ratios, each option */
    {"op:RESIZE_BILINEAR,in=1x4x5x3"},
    {"op:RESIZE_BILINEAR,in=2x5x3x2,shape=7x8,half=1"},
    {"op:RESIZE_BILINEAR,in=1x6x7x4,shape=4x3,align=1"},
    {"op:RESIZE_BILINEAR,in=1x3x4x2,shape=8x5,dtype=float32"},
    {"op:RESIZE_BILINEAR,in=1x5x4x3,shape=9x7,half=1,dtype=float32"},
    {"op:RESIZE_BILINEAR,in=1x4x4x1,shape=7x6,align=1,dtype=float32"},
    {"op:RESIZE_NEAREST_NEIGHBOR,in=1x4x5x3"},
    {"op:RESIZE_NEAREST_NEIGHBOR,in=2x5x3x2,shape=7x8,half=1,dtype=int16"},
    {"op:RESIZE_NEAREST_NEIGHBOR,in=1x6x7x4,shape=4x3,align=1"},
    {"op:RESIZE_NEAREST_NEIGHBOR,in=1x6x7x4,shape=9x11,align=1,dtype=float32"},
    {"op:RESIZE_NEAREST_NEIGHBOR,in=1x5x4x3,shape=3x7,half=1,align=1"},
    /* space, depth and batches */
    {"op:DEPTH_TO_SPACE,in=1x3x4x8"},
    {"op:DEPTH_TO_SPACE,in=2x2x3x18,n=3,dtype=float32"},
    {"op:SPACE_TO_DEPTH,in=1x6x4x3"},
    {"op:SPACE_TO_DEPTH,in=2x6x9x2,n=3,dtype=float32"},
    /* TFLM never sets SpaceToBatchParams::output_offset, so its int8
     * padding is whatever the arena held; TFLite (and the runtime) pad with
     * the zero point.  int8 cases without padding, float ones with it. */
    {"op:SPACE_TO_BATCH_ND,in=1x6x6x3,k=2x3"},
    {"op:SPACE_TO_BATCH_ND,in=2x4x6x1,k=4x1"},
    {"op:SPACE_TO_BATCH_ND,in=2x4x4x2,k=2x2,begin=1x2,end=1x0,dtype=float32"},
    {"op:BATCH_TO_SPACE_ND,in=6x3x2x3,k=2x3"},
    {"op:BATCH_TO_SPACE_ND,in=8x3x3x2,k=2x2,begin=1x0,end=0x2,dtype=float32"},
    /* reductions */
    {"op:MEAN,in=1x5x7x3,axis=1x2,keep=1"},
    {"op:MEAN,in=1x5x7x3,axis=1x2"},
    {"op:MEAN,in=2x6x3,axis=-1"},
    {"op:SUM,in=1x5x7x3,axis=1x2,keep=1"},
    {"op:SUM,in=2x6x3,axis=-1"},
    {"op:SUM,in=3x4x5,axis=0x2"},
    {"op:REDUCE_MAX,in=1x5x7x3,axis=1x2,keep=1"},
    {"op:REDUCE_MAX,in=2x6x3,axis=0,dtype=float32"},
    {"op:REDUCE_MIN,in=3x4x5,axis=2x0"},
    {"op:REDUCE_MIN,in=4x7,axis=-1,keep=1,dtype=float32"},
    /* activations with fixed output quantization */
    {"op:SOFTMAX,in=1x10"},
    {"op:SOFTMAX,in=3x5x7"},
    {"op:LOGISTIC,in=1x5x7x3"},
    {"op:TANH,in=1x5x7x3"},
    /* piecewise activations */
    {"op:RELU,in=1x5x7x3"},
    {"op:RELU,in=4x9,dtype=int16"},
    {"op:RELU,in=2x3x5,dtype=float32"},
    {"op:RELU6,in=1x5x7x3"},
    {"op:RELU6,in=3x11,dtype=int16"},
    {"op:RELU6,in=2x3x5,dtype=float32"},
    {"op:LEAKY_RELU,in=1x5x7x3"},
    {"op:LEAKY_RELU,in=6x7,alpha=-0.3"},
    {"op:LEAKY_RELU,in=2x33,alpha=0.01,dtype=int16"},
    {"op:LEAKY_RELU,in=2x3x5,alpha=0.1,dtype=float32"},
    {"op:HARD_SWISH,in=1x5x7x3"},
    {"op:HARD_SWISH,in=1x4x4x16"},
    {"op:HARD_SWISH,in=2x3x5,dtype=float32"},
    {"op:PRELU,in=1x5x7x3,in2=3"},
    {"op:PRELU,in=1x4x6x5,in2=1x1x5"},
    {"op:PRELU,in=2x3x4,in2=2x3x4,dtype=int16"},
    {"op:PRELU,in=1x5x7x3,in2=7x1,dtype=float32"},
    /* elementwise unary */
    {"op:ABS,in=1x5x7x3"},
    {"op:ABS,in=4x9,dtype=int16"},
    {"op:ABS,in=2x3x5,dtype=float32"},
    {"op:NEG,in=2x3x5,dtype=float32"},
    {"op:SQUARE,in=3x7,dtype=float32"},
    {"op:CEIL,in=2x3x5,dtype=float32"},
    {"op:FLOOR,in=4x7,dtype=float32"},
    {"op:ROUND,in=1x5x7x3,dtype=float32"},
    {"op:ROUND,in=4x9,dtype=float32"},
    {"op:ZEROS_LIKE,in=1x5x7x3"},
    {"op:ZEROS_LIKE,in=3x4,dtype=float32"},
    /* type conversions */
    {"op:CAST,in=2x3x5,to=float32"},
    {"op:CAST,in=4x7,dtype=int16,to=int8"},
    {"op:CAST,in=3x5,dtype=float32,to=int32"},
    {"op:CAST,in=9,dtype=int32,to=float32"},
    {"op:CAST,in=2x6,dtype=int32,to=int16"},
    /* indices */
    {"op:ARG_MAX,in=1x5x7x3"},
    {"op:ARG_MAX,in=4x9,axis=0,dtype=float32"},
    {"op:ARG_MIN,in=2x6x5,axis=1"},
    {"op:ARG_MIN,in=3x8,dtype=float32"},
    {"op:QUANTIZE,in=1x5x7x3"},
    {"op:DEQUANTIZE,in=1x5x7x3"},
    {"op:QUANTIZE,in=2x9,dtype=int16"},
    {"op:QUANTIZE,in=2x9,to=int8"},
    {"op:QUANTIZE,in=3x7,to=int16"},
    {"op:QUANTIZE,in=4x5,to=int32"},
    {"op:QUANTIZE,in=2x3x4,dtype=int16,to=int8"},
    {"op:QUANTIZE,in=3x6,dtype=int16,to=int16"},
    {"op:QUANTIZE,in=5x3,dtype=int16,to=int32"},
    {"op:DEQUANTIZE,in=2x3x5,dtype=int16"},
};

#define NUM_CASES (sizeof cases / sizeof cases[0])

/* Criterion runs each parameter in a new process image: pass indices, not
 * pointers (test_firmware_models.c does the same). */
ParameterizedTestParameters(ops, matches_tflm)
{
    static size_t idx[NUM_CASES];
    for (size_t i = 0; i < NUM_CASES; i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, NUM_CASES);
}

/* Deterministic input bytes for a tensor: every int8/int16 value over its
 * whole range, floats uniform in [-3, 3). */
static void fill_input(const struct rt_tensor *t, uint8_t *buf)
{
    uint32_t state = 0x2545F491u;
    for (uint32_t i = 0; i < t->bytes; i++) {
        state ^= state << 13, state ^= state >> 17, state ^= state << 5;
        buf[i] = (uint8_t)(state >> 24);
    }
    if (t->type == TFLITE_TYPE_FLOAT32)
        for (uint32_t i = 0; i < t->bytes / 4; i++) {
            state ^= state << 13, state ^= state >> 17, state ^= state << 5;
            float f = (float)(state >> 8) * (6.0f / 16777216.0f) - 3.0f;
            memcpy(buf + 4 * i, &f, 4);
        }
}

/* Runs the model with one kernel family; returns the output bytes (malloc'd). */
static uint8_t *run_family(const uint8_t *bytes, size_t size, const char *family, const uint8_t *input,
                           size_t *out_len)
{
    struct rt_test_session s;
    rt_test_session_start(&s, bytes, size, ARENA_BYTES);
    cr_assert_eq(s.status, RT_OK, "the runtime refuses the model: %s", s.err.msg);
    const struct rt_kernel_family *fam = rt_family_find(family);
    cr_assert_not_null(fam, "family %s is not linked", family);
    enum rt_status st = rt_interp_init(&s.interp, &s.model, fam, s.arena, s.arena_size, &s.err);
    cr_assert_eq(st, RT_OK, "%s: init failed: %s", family, s.err.msg);
    struct rt_tensor *in = rt_interp_input(&s.interp, 0);
    memcpy(in->data, input, in->bytes);
    st = rt_interp_invoke(&s.interp, &s.err);
    cr_assert_eq(st, RT_OK, "%s: invoke failed: %s", family, s.err.msg);
    struct rt_tensor *out = rt_interp_output(&s.interp, 0);
    uint8_t *copy = malloc(out->bytes + 1);
    memcpy(copy, out->data, out->bytes);
    *out_len = out->bytes;
    rt_test_session_free(&s);
    return copy;
}

static void expect_same(const char *spec, const char *family, uint8_t type, const uint8_t *want, size_t want_len,
                        const uint8_t *got, size_t got_len)
{
    cr_assert_eq(got_len, want_len, "%s: %s writes %zu output bytes, TFLM %zu", spec, family, got_len, want_len);
    size_t size = type == TFLITE_TYPE_INT16 ? 2 : type == TFLITE_TYPE_INT8 || type == TFLITE_TYPE_BOOL ? 1 : 4;
    size_t diffs = 0, first = 0;
    for (size_t i = 0; i < want_len; i += size)
        if (memcmp(want + i, got + i, size)) {
            if (!diffs++)
                first = i;
        }
    if (!diffs)
        return;
    long w = 0, g = 0;
    if (size == 1)
        w = (int8_t)want[first], g = (int8_t)got[first];
    else if (size == 2)
        w = (int16_t)(want[first] | want[first + 1] << 8), g = (int16_t)(got[first] | got[first + 1] << 8);
    else
        memcpy(&w, want + first, 4), memcpy(&g, got + first, 4);
    cr_assert_fail("%s: %s differs from TFLM in %zu of %zu elements; first at element %zu: %ld, TFLM %ld", spec,
                   family, diffs, want_len / size, first / size, g, w);
}

ParameterizedTest(size_t *index, ops, matches_tflm, .timeout = 120)
{
    const struct op_case *c = &cases[*index];
    if (!tflm_oracle_path())
        cr_skip_test(TFLM_ORACLE_MISSING);
    uint8_t *bytes;
    size_t size;
    char err[512];
    cr_assert_eq(modelgen_build(c->spec, 1, &bytes, &size, NULL, err, sizeof err), 0, "%s: %s", c->spec, err);
    char path[256];
    rt_test_temp_path(".tflite", path, sizeof path);
    cr_assert(rt_test_write_file(path, bytes, size));

    struct rt_test_session s;
    rt_test_session_start(&s, bytes, size, ARENA_BYTES);
    cr_assert_eq(s.status, RT_OK, "%s: the runtime refuses the model: %s", c->spec, s.err.msg);
    const struct rt_tensor *in = rt_interp_input(&s.interp, 0);
    uint8_t out_type = rt_interp_output(&s.interp, 0)->type;
    size_t in_len = in->bytes;
    uint8_t *input = malloc(in_len + 1);
    fill_input(in, input);
    rt_test_session_free(&s);

    uint8_t *want;
    size_t want_len;
    char message[256];
    int rc = tflm_oracle_run(path, input, in_len, &want, &want_len, message, sizeof message);
    remove(path);
    cr_assert_eq(rc, 0, "%s: the TFLM oracle failed (status %d): %s", c->spec, rc, message);

    const char *families[] = {"ref", "opt"};
    for (size_t f = 0; f < 2; f++) {
        size_t got_len;
        uint8_t *got = run_family(bytes, size, families[f], input, &got_len);
        expect_same(c->spec, families[f], out_type, want, want_len, got, got_len);
        free(got);
    }
    free(want);
    free(input);
    free(bytes);
}

/* A model with several operators the runtime lacks is refused with one
 * message naming each kind once, with every layer index. */
Test(ops, unsupported_operators_all_named)
{
    struct mg_qmodel m;
    mg_qmodel_init(&m);
    const int32_t codes[] = {30 /* SKIP_GRAM */, 15 /* LSH_PROJECTION */, 30};
    for (int i = 0; i <= 3; i++) {
        int t = mg_qmodel_add_tensor(&m);
        snprintf(m.tensors[t].name, sizeof m.tensors[t].name, "t%d", i);
        m.tensors[t].type = TFLITE_TYPE_INT8;
        m.tensors[t].rank = 2;
        m.tensors[t].dims[0] = 1;
        m.tensors[t].dims[1] = 4;
    }
    for (int i = 0; i < 3; i++) {
        int o = mg_qmodel_add_op(&m);
        m.ops[o].builtin_op = codes[i];
        m.ops[o].version = 1;
        m.ops[o].num_inputs = 1;
        m.ops[o].inputs[0] = i;
        m.ops[o].output = i + 1;
    }
    m.input = 0;
    m.output = 3;
    uint8_t *bytes;
    size_t size;
    char err[256];
    cr_assert_eq(mg_write_tflite(&m, &bytes, &size, err, sizeof err), 0, "%s", err);
    mg_qmodel_free(&m);
    struct rt_test_session s;
    rt_test_session_start(&s, bytes, size, ARENA_BYTES);
    cr_assert_eq(s.status, RT_UNSUPPORTED);
    cr_assert_str_eq(s.err.msg, "unsupported operators: SKIP_GRAM (30) with int8 input at layers 0, 2; "
                                "LSH_PROJECTION (15) with int8 input at layer 1");
    rt_test_session_free(&s);
    free(bytes);
}
