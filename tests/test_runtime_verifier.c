/*
 * test_runtime_verifier.c — the model reader must reject corrupt, truncated
 * or hostile bytes with a reason, and never crash or read out of bounds
 * (run this suite under ASan+UBSan too: meson setup -Db_sanitize=address,undefined).
 *
 * Faults injected: truncation at every length (small models) or many
 * lengths (large ones), random byte flips (reject, or run to completion),
 * and targeted corruptions of offsets, vtables, counts, shapes and buffers.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "app_args.h"
#include "rt_test_util.h"

#define ARENA_BYTES (1u << 20)

static uint8_t *load(const char *name, size_t *size)
{
    if (!rt_test_models_dir())
        cr_skip_test("shared model set not found at %s", MCUSIM_SHARED_MODELS);
    uint8_t *bytes = rt_test_read_file(rt_test_model_path(name), size);
    cr_assert(bytes, "cannot read %s", name);
    return bytes;
}

/* Opens bytes[0..size) from a fresh exact-size aligned copy, so ASan sees
 * any read past the end; if it opens, also prepares and runs it. */
static enum rt_status open_and_run(const uint8_t *bytes, size_t size, struct rt_error *err)
{
    struct rt_test_session s;
    rt_test_session_start(&s, bytes, size, ARENA_BYTES);
    enum rt_status st = s.status;
    if (st == RT_OK) {
        app_fill_pseudo_random(rt_interp_input(&s.interp, 0), APP_RANDOM_SEED);
        st = rt_interp_invoke(&s.interp, &s.err);
    }
    if (err)
        *err = s.err;
    rt_test_session_free(&s);
    return st;
}

static void truncations(const char *name, size_t step)
{
    size_t size;
    uint8_t *bytes = load(name, &size);
    unsigned rejected = 0, tried = 0;
    for (size_t len = 0; len < size; len += step) {
        struct rt_error err;
        enum rt_status st = open_and_run(bytes, len, &err);
        tried++;
        if (st != RT_OK) {
            rejected++;
            cr_assert(err.msg[0] != '\0', "%s cut at %zu: rejected without a reason", name, len);
        }
    }
    /* The tensor data fills the file to the end: any cut removes bytes
     * the model needs. */
    cr_expect_eq(rejected, tried, "%s: %u of %u truncations accepted", name, tried - rejected, tried);
    free(bytes);
}

Test(verifier, truncated_hello_world_every_length) { truncations("hello_world_int8", 1); }
Test(verifier, truncated_micro_speech_every_length) { truncations("micro_speech", 1); }
Test(verifier, truncated_person_detect_many_lengths, .timeout = 300) { truncations("person_detect", 97); }

static uint32_t next_random(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

static void flips(const char *name, unsigned rounds, uint32_t seed)
{
    size_t size;
    uint8_t *bytes = load(name, &size);
    uint8_t *copy = malloc(size);
    uint32_t state = seed;
    unsigned ran = 0;
    for (unsigned r = 0; r < rounds; r++) {
        memcpy(copy, bytes, size);
        unsigned n = 1 + next_random(&state) % 8;
        for (unsigned k = 0; k < n; k++)
            copy[next_random(&state) % size] ^= (uint8_t)(1u << (next_random(&state) % 8));
        struct rt_error err;
        if (open_and_run(copy, size, &err) == RT_OK)
            ran++;
        else
            cr_assert(err.msg[0] != '\0', "%s round %u: rejected without a reason", name, r);
    }
    cr_log_info("%s: %u of %u corrupted copies still ran", name, ran, rounds);
    free(copy);
    free(bytes);
}

Test(verifier, byte_flips_hello_world, .timeout = 300) { flips("hello_world_int8", 3000, 1); }
Test(verifier, byte_flips_micro_speech, .timeout = 300) { flips("micro_speech", 1500, 2); }
Test(verifier, byte_flips_kws_dscnn, .timeout = 300) { flips("kws_dscnn", 300, 3); }
Test(verifier, byte_flips_ic_resnet8, .timeout = 300) { flips("ic_resnet8", 100, 4); }

/* ---- targeted corruptions of hello_world_int8 ---- */

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void expect_rejected(const uint8_t *bytes, size_t size, const char *needle)
{
    struct rt_error err;
    enum rt_status st = open_and_run(bytes, size, &err);
    cr_assert_neq(st, RT_OK, "corruption accepted (expected '%s')", needle);
    cr_assert(strstr(err.msg, needle), "message '%s' lacks '%s'", err.msg, needle);
}

/* Opens the pristine model to find where things are. */
static void locate(const uint8_t *bytes, size_t size, struct rt_model *m)
{
    cr_assert_eq(rt_model_open(m, bytes, size, rt_op_supported, NULL), RT_OK);
}

Test(verifier, pristine_models_open)
{
    for (size_t i = 0; i < rt_test_model_count; i++) {
        size_t size;
        uint8_t *bytes = load(rt_test_models[i].name, &size);
        struct rt_error err;
        cr_expect_eq(open_and_run(bytes, size, &err), RT_OK, "%s: %s", rt_test_models[i].name, err.msg);
        free(bytes);
    }
}

Test(verifier, root_offset_out_of_range)
{
    size_t size;
    uint8_t *b = load("hello_world_int8", &size);
    put_u32(b, 0xFFFFFFF0u);
    expect_rejected(b, size, "root table");
    free(b);
}

Test(verifier, misaligned_root_table)
{
    size_t size;
    uint8_t *b = load("hello_world_int8", &size);
    put_u32(b, fb_load_u32(b) + 1);
    expect_rejected(b, size, "corrupt model");
    free(b);
}

Test(verifier, not_a_tflite_file)
{
    size_t size;
    uint8_t *b = load("hello_world_int8", &size);
    memcpy(b + 4, "XXXX", 4);
    expect_rejected(b, size, "TFL3");
    free(b);
}

Test(verifier, vtable_out_of_range)
{
    size_t size;
    uint8_t *b = load("hello_world_int8", &size);
    struct rt_model m;
    locate(b, size, &m);
    put_u32(b + m.subgraph.pos, 0x80000000u); /* soffset: vtable far beyond the file */
    expect_rejected(b, size, "corrupt model");
    free(b);
}

Test(verifier, huge_vector_count)
{
    size_t size;
    uint8_t *b = load("hello_world_int8", &size);
    struct rt_model m;
    locate(b, size, &m);
    put_u32(b + m.tensors.pos - 4, 0x40000000u);
    expect_rejected(b, size, "corrupt model");
    free(b);
}

Test(verifier, self_referencing_offset)
{
    size_t size;
    uint8_t *b = load("hello_world_int8", &size);
    struct rt_model m;
    locate(b, size, &m);
    put_u32(b + m.operators.pos, 0); /* operator 0's offset points at itself */
    expect_rejected(b, size, "layer 0");
    free(b);
}

/* Position of tensor i's shape vector elements. */
static uint32_t shape_pos(const struct rt_model *m, uint32_t i, uint32_t *rank)
{
    struct fb_table t;
    struct fb_vec shape;
    bool present;
    cr_assert(fb_vec_table(&m->buf, &m->tensors, i, &t));
    cr_assert(fb_get_vector(&m->buf, &t, TFLITE_TENSOR_SHAPE, 4, &shape, &present) && present);
    *rank = shape.count;
    return shape.pos;
}

/* The weights tensor of layer 0 (FULLY_CONNECTED input 1). */
static int32_t layer0_weights(const struct rt_model *m)
{
    struct rt_op_info op;
    cr_assert_eq(rt_model_op(m, 0, &op, NULL), RT_OK);
    return rt_op_input(m, &op, 1);
}

Test(verifier, negative_dimension)
{
    size_t size;
    uint8_t *b = load("hello_world_int8", &size);
    struct rt_model m;
    locate(b, size, &m);
    uint32_t rank, pos = shape_pos(&m, 0, &rank);
    put_u32(b + pos, (uint32_t)-5);
    expect_rejected(b, size, "negative dimension");
    free(b);
}

Test(verifier, shape_product_overflows)
{
    size_t size;
    uint8_t *b = load("hello_world_int8", &size);
    struct rt_model m;
    locate(b, size, &m);
    uint32_t rank, pos = shape_pos(&m, 0, &rank);
    cr_assert_geq(rank, 2u);
    put_u32(b + pos, 0x10000u);
    put_u32(b + pos + 4, 0x10000u); /* 2^32 elements */
    expect_rejected(b, size, "shape too large");
    free(b);
}

Test(verifier, constant_buffer_shorter_than_shape)
{
    size_t size;
    uint8_t *b = load("hello_world_int8", &size);
    struct rt_model m;
    locate(b, size, &m);
    uint32_t rank, pos = shape_pos(&m, (uint32_t)layer0_weights(&m), &rank);
    put_u32(b + pos, fb_load_u32(b + pos) * 4);
    expect_rejected(b, size, "shorter than its shape");
    free(b);
}

Test(verifier, shape_mismatch_caught_by_prepare)
{
    size_t size;
    uint8_t *b = load("micro_speech", &size);
    struct rt_model m;
    locate(b, size, &m);
    struct rt_op_info op;
    cr_assert_eq(rt_model_op(&m, 3, &op, NULL), RT_OK); /* SOFTMAX */
    cr_assert_eq(op.op, TFLITE_OP_SOFTMAX);
    uint32_t rank, pos = shape_pos(&m, (uint32_t)rt_op_output(&m, &op, 0), &rank);
    put_u32(b + pos + 4 * (rank - 1), 3); /* output [1,4] -> [1,3] */
    expect_rejected(b, size, "layer 3 (SOFTMAX)");
    free(b);
}

Test(verifier, tensor_index_out_of_range)
{
    size_t size;
    uint8_t *b = load("hello_world_int8", &size);
    struct rt_model m;
    locate(b, size, &m);
    struct rt_op_info op;
    cr_assert_eq(rt_model_op(&m, 1, &op, NULL), RT_OK);
    put_u32(b + op.inputs.pos, 999);
    expect_rejected(b, size, "layer 1");
    free(b);
}

/* Rewrites the operator code of every OperatorCode in place: the byte-wide
 * deprecated code and, when present, the int32 builtin_code. */
static void set_opcode(uint8_t *b, const struct rt_model *m, uint32_t index, int32_t code)
{
    struct fb_table oc;
    uint32_t dep, builtin;
    cr_assert(fb_vec_table(&m->buf, &m->opcodes, index, &oc));
    cr_assert(fb_field(&m->buf, &oc, TFLITE_OPCODE_DEPRECATED_BUILTIN_CODE, 1, &dep));
    cr_assert(fb_field(&m->buf, &oc, TFLITE_OPCODE_BUILTIN_CODE, 4, &builtin));
    cr_assert(dep || builtin, "opcode has neither field");
    if (dep)
        b[dep] = (uint8_t)(code < 127 ? code : 127);
    if (builtin)
        put_u32(b + builtin, (uint32_t)code);
}

Test(verifier, unsupported_op_named_with_layer_index)
{
    size_t size;
    uint8_t *b = load("micro_speech", &size);
    struct rt_model m;
    locate(b, size, &m);
    /* Layer 1 is DEPTHWISE_CONV_2D; make its opcode SKIP_GRAM (30), which
     * neither TFLite Micro nor mcusim runs. */
    struct fb_table op_table;
    uint32_t opcode_index;
    cr_assert(fb_vec_table(&m.buf, &m.operators, 1, &op_table));
    cr_assert(fb_get_u32(&m.buf, &op_table, TFLITE_OPERATOR_OPCODE_INDEX, 0, &opcode_index));
    set_opcode(b, &m, opcode_index, 30);
    expect_rejected(b, size, "unsupported operators: SKIP_GRAM (30) with int8 input at layer 1");
    free(b);
}

Test(verifier, deprecated_builtin_code_is_read)
{
    /* micro_speech stores its ops only in deprecated_builtin_code. */
    size_t size;
    uint8_t *b = load("micro_speech", &size);
    struct rt_model m;
    locate(b, size, &m);
    struct rt_op_info op;
    cr_assert_eq(rt_model_op(&m, 1, &op, NULL), RT_OK);
    cr_assert_eq(op.op, TFLITE_OP_DEPTHWISE_CONV_2D);
    cr_assert_eq(rt_model_op(&m, 3, &op, NULL), RT_OK);
    cr_assert_eq(op.op, TFLITE_OP_SOFTMAX);
    free(b);
}

Test(verifier, misaligned_model_in_memory)
{
    size_t size;
    uint8_t *b = load("hello_world_int8", &size);
    uint8_t *shifted = malloc(size + 1);
    memcpy(shifted + 1, b, size);
    struct rt_model m;
    struct rt_error err;
    cr_assert_eq(rt_model_open(&m, shifted + 1, size, rt_op_supported, &err), RT_BAD_ARG);
    cr_assert(strstr(err.msg, "aligned"));
    free(shifted);
    free(b);
}

Test(verifier, arena_too_small_reports_needed_bytes)
{
    size_t size;
    uint8_t *b = load("person_detect", &size);
    struct rt_test_session big, small;
    rt_test_session_start(&big, b, size, 4u << 20);
    cr_assert_eq(big.status, RT_OK, "%s", big.err.msg);
    size_t needed = big.interp.arena_needed;
    rt_test_session_start(&small, b, size, needed - 8);
    cr_assert_eq(small.status, RT_NO_MEMORY);
    cr_assert_eq(small.interp.arena_needed, needed, "reported %zu, needed %zu", small.interp.arena_needed, needed);
    rt_test_session_free(&small);
    rt_test_session_start(&small, b, size, needed);
    cr_assert_eq(small.status, RT_OK, "exactly the reported bytes must fit: %s", small.err.msg);
    rt_test_session_free(&small);
    rt_test_session_free(&big);
    free(b);
}
