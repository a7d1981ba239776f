/*
 * test_modelgen_flatbuffer.c — modelgen's flatbuffer builder and .tflite
 * writer, checked byte by byte and through the independent strict reader
 * (mgtest_tflite_view.c).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "fb_builder.h"
#include "mgtest_tflite_view.h"
#include "qmodel.h"
#include "tflite_schema.h"
#include "tflite_writer.h"

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* Position of a table's vtable. */
static size_t vtable_of(const uint8_t *buf, size_t table)
{
    return (size_t)((int64_t)table - (int32_t)rd32(buf + table));
}

/* Position of field `id` of the table, 0 if absent. */
static size_t field_pos(const uint8_t *buf, size_t table, int id)
{
    size_t vt = vtable_of(buf, table);
    size_t vt_size = rd16(buf + vt);
    if (4 + 2 * (size_t)id >= vt_size)
        return 0;
    uint16_t off = rd16(buf + vt + 4 + 2 * id);
    return off ? table + off : 0;
}

Test(fb_builder, omits_defaults_and_writes_other_scalars_little_endian)
{
    struct fb_builder b;
    fb_init(&b);
    fb_start_table(&b, 4);
    fb_add_i32(&b, 0, 5, 5);           /* default: omitted */
    fb_add_i32(&b, 1, -2, 0);          /* written */
    fb_add_u8(&b, 2, 9, 0);            /* written */
    fb_add_f32(&b, 3, 1.0f, 0.0f);     /* written */
    fb_ref t = fb_end_table(&b);
    const uint8_t *buf;
    size_t len;
    cr_assert_eq(fb_finish(&b, t, "ABCD", &buf, &len), 0);
    cr_assert_eq(memcmp(buf + 4, "ABCD", 4), 0);
    size_t table = rd32(buf);
    cr_assert_lt(table, len);
    cr_assert_eq(table % 4, 0);
    size_t vt = vtable_of(buf, table);
    cr_assert_eq(rd16(buf + vt), 4 + 2 * 4, "vtable covers the 4 fields");
    cr_assert_eq(field_pos(buf, table, 0), 0, "a field equal to its default is left out");
    cr_assert_eq((int32_t)rd32(buf + field_pos(buf, table, 1)), -2);
    cr_assert_eq(buf[field_pos(buf, table, 2)], 9);
    uint32_t one;
    float f = 1.0f;
    memcpy(&one, &f, 4);
    cr_assert_eq(rd32(buf + field_pos(buf, table, 3)), one);
    cr_assert_eq(field_pos(buf, table, 1) % 4, 0, "int32 field aligned");
    fb_free(&b);
}

Test(fb_builder, trims_vtable_after_last_present_field)
{
    struct fb_builder b;
    fb_init(&b);
    fb_start_table(&b, 10);
    fb_add_u32(&b, 1, 77, 0);
    fb_ref t = fb_end_table(&b);
    const uint8_t *buf;
    size_t len;
    cr_assert_eq(fb_finish(&b, t, NULL, &buf, &len), 0);
    size_t table = rd32(buf);
    cr_assert_eq(rd16(buf + vtable_of(buf, table)), 4 + 2 * 2);
    cr_assert_eq(rd32(buf + field_pos(buf, table, 1)), 77);
    fb_free(&b);
}

Test(fb_builder, shares_identical_vtables)
{
    struct fb_builder b;
    fb_init(&b);
    fb_ref t[3];
    for (int i = 0; i < 3; i++) {
        fb_start_table(&b, 2);
        fb_add_i32(&b, 1, 100 + i, 0);
        t[i] = fb_end_table(&b);
    }
    fb_ref vec = fb_create_ref_vector(&b, t, 3);
    fb_start_table(&b, 1);
    fb_add_ref(&b, 0, vec);
    fb_ref root = fb_end_table(&b);
    const uint8_t *buf;
    size_t len;
    cr_assert_eq(fb_finish(&b, root, NULL, &buf, &len), 0);
    size_t r = rd32(buf);
    size_t v = field_pos(buf, r, 0);
    v += rd32(buf + v);
    cr_assert_eq(rd32(buf + v), 3);
    size_t vts[3];
    for (int i = 0; i < 3; i++) {
        size_t e = v + 4 + 4 * (size_t)i;
        size_t table = e + rd32(buf + e);
        cr_assert_eq((int32_t)rd32(buf + field_pos(buf, table, 1)), 100 + i,
                     "vector element %d in order", i);
        vts[i] = vtable_of(buf, table);
    }
    cr_assert_eq(vts[0], vts[1]);
    cr_assert_eq(vts[1], vts[2]);
    fb_free(&b);
}

Test(fb_builder, aligns_vector_data_and_pads_total_size)
{
    struct fb_builder b;
    fb_init(&b);
    uint8_t data[5] = {1, 2, 3, 4, 5};
    fb_ref s = fb_create_string(&b, "abc");
    fb_ref v = fb_create_vector(&b, data, 5, 1, 16);
    fb_start_table(&b, 2);
    fb_add_ref(&b, 0, s);
    fb_add_ref(&b, 1, v);
    fb_ref t = fb_end_table(&b);
    const uint8_t *buf;
    size_t len;
    cr_assert_eq(fb_finish(&b, t, "TFL3", &buf, &len), 0);
    cr_assert_eq(len % 16, 0, "total size is a multiple of the largest alignment");
    size_t table = rd32(buf);
    size_t vp = field_pos(buf, table, 1);
    vp += rd32(buf + vp);
    cr_assert_eq(rd32(buf + vp), 5);
    cr_assert_eq((vp + 4) % 16, 0, "vector data aligned to 16 from the file start");
    cr_assert_eq(memcmp(buf + vp + 4, data, 5), 0);
    size_t sp = field_pos(buf, table, 0);
    sp += rd32(buf + sp);
    cr_assert_eq(rd32(buf + sp), 3);
    cr_assert_str_eq((const char *)buf + sp + 4, "abc", "NUL-terminated string");
    fb_free(&b);
}

Test(fb_builder, grows_past_initial_capacity_keeping_contents)
{
    struct fb_builder b;
    fb_init(&b);
    size_t n = 300000;
    int32_t *big = malloc(n * sizeof *big);
    for (size_t i = 0; i < n; i++)
        big[i] = (int32_t)(i * 2654435761u);
    fb_ref v = fb_create_vector(&b, big, n, 4, 4);
    fb_ref s = fb_create_string(&b, "after");
    fb_start_table(&b, 2);
    fb_add_ref(&b, 0, v);
    fb_add_ref(&b, 1, s);
    fb_ref t = fb_end_table(&b);
    const uint8_t *buf;
    size_t len;
    cr_assert_eq(fb_finish(&b, t, NULL, &buf, &len), 0);
    size_t table = rd32(buf);
    size_t vp = field_pos(buf, table, 0);
    vp += rd32(buf + vp);
    cr_assert_eq(rd32(buf + vp), n);
    for (size_t i = 0; i < n; i++)
        if ((int32_t)rd32(buf + vp + 4 + 4 * i) != big[i])
            cr_assert_fail("element %zu differs", i);
    free(big);
    fb_free(&b);
}

Test(fb_builder, rejects_misuse)
{
    struct fb_builder b;
    const uint8_t *buf;
    size_t len;
    fb_init(&b);
    fb_start_table(&b, 2);
    cr_assert_eq(fb_create_string(&b, "inside"), 0, "no strings inside an open table");
    fb_end_table(&b);
    cr_assert_neq(fb_finish(&b, 4, NULL, &buf, &len), 0, "errors are sticky");
    fb_free(&b);

    fb_init(&b);
    fb_start_table(&b, 2);
    fb_add_i32(&b, 5, 1, 0); /* field id past the table's fields */
    fb_ref t = fb_end_table(&b);
    cr_assert_neq(fb_finish(&b, t, NULL, &buf, &len), 0);
    fb_free(&b);

    fb_init(&b);
    fb_start_table(&b, 2);
    fb_add_i32(&b, 1, 1, 0);
    fb_add_i32(&b, 1, 2, 0); /* the same field twice */
    t = fb_end_table(&b);
    cr_assert_neq(fb_finish(&b, t, NULL, &buf, &len), 0);
    fb_free(&b);
}

/* A tiny model by hand: input [1,4] -> FULLY_CONNECTED (2 units) -> SOFTMAX. */
static void tiny_model(struct mg_qmodel *m)
{
    mg_qmodel_init(m);
    static const int8_t weights[8] = {1, -2, 3, -4, 127, -127, 0, 5};
    static const int32_t bias[2] = {-1000, 70000};
    float s_in = 0.5f, s_fc = 0.25f, s_sm = 1.0f / 256;
    int64_t z_in = -3, z_fc = 7, z_sm = -128, zero = 0;
    float s_w = 0.01f, s_b = 0.005f;

    int t = mg_qmodel_add_tensor(m);
    struct mg_qtensor *x = &m->tensors[t];
    strcpy(x->name, "input");
    x->type = TFLITE_TYPE_INT8, x->rank = 2, x->dims[0] = 1, x->dims[1] = 4;
    mg_qtensor_set_quant(x, 1, &s_in, &z_in, 0);

    t = mg_qmodel_add_tensor(m);
    x = &m->tensors[t];
    strcpy(x->name, "fc/weights");
    x->type = TFLITE_TYPE_INT8, x->rank = 2, x->dims[0] = 2, x->dims[1] = 4;
    x->data = malloc(8);
    memcpy(x->data, weights, 8);
    x->data_bytes = 8;
    mg_qtensor_set_quant(x, 1, &s_w, &zero, 0);

    t = mg_qmodel_add_tensor(m);
    x = &m->tensors[t];
    strcpy(x->name, "fc/bias");
    x->type = TFLITE_TYPE_INT32, x->rank = 1, x->dims[0] = 2;
    x->data = malloc(8);
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < 4; k++)
            x->data[4 * i + k] = (uint8_t)((uint32_t)bias[i] >> (8 * k));
    x->data_bytes = 8;
    mg_qtensor_set_quant(x, 1, &s_b, &zero, 0);

    t = mg_qmodel_add_tensor(m);
    x = &m->tensors[t];
    strcpy(x->name, "fc");
    x->type = TFLITE_TYPE_INT8, x->rank = 2, x->dims[0] = 1, x->dims[1] = 2;
    mg_qtensor_set_quant(x, 1, &s_fc, &z_fc, 0);

    t = mg_qmodel_add_tensor(m);
    x = &m->tensors[t];
    strcpy(x->name, "softmax");
    x->type = TFLITE_TYPE_INT8, x->rank = 2, x->dims[0] = 1, x->dims[1] = 2;
    mg_qtensor_set_quant(x, 1, &s_sm, &z_sm, 0);

    int o = mg_qmodel_add_op(m);
    struct mg_qop *op = &m->ops[o];
    op->builtin_op = TFLITE_OP_FULLY_CONNECTED, op->version = 4;
    op->num_inputs = 3, op->inputs[0] = 0, op->inputs[1] = 1, op->inputs[2] = 2;
    op->output = 3;
    op->activation = TFLITE_ACT_RELU;
    o = mg_qmodel_add_op(m);
    op = &m->ops[o];
    op->builtin_op = TFLITE_OP_SOFTMAX, op->version = 2;
    op->num_inputs = 1, op->inputs[0] = 3, op->output = 4, op->beta = 1.0f;
    m->input = 0;
    m->output = 4;
    strcpy(m->description, "tiny test model");
}

Test(tflite_writer, round_trips_a_hand_made_model)
{
    struct mg_qmodel m;
    tiny_model(&m);
    uint8_t *file;
    size_t len;
    char err[200];
    cr_assert_eq(mg_write_tflite(&m, &file, &len, err, sizeof err), 0, "%s", err);

    struct tv_model v;
    cr_assert_eq(tv_read(&v, file, len), 0, "strict reader: %s", v.problem);
    cr_assert_str_eq(v.identifier, "TFL3");
    cr_assert_eq(v.version, 3);
    cr_assert_str_eq(v.description, "tiny test model");
    cr_assert_str_eq(v.subgraph_name, "main");
    cr_assert_eq(v.num_subgraphs, 1);

    cr_assert_eq(v.num_opcodes, 2);
    cr_assert_eq(v.opcodes[0].deprecated_builtin_code, TFLITE_OP_FULLY_CONNECTED);
    cr_assert_eq(v.opcodes[0].builtin_code, TFLITE_OP_FULLY_CONNECTED);
    cr_assert_eq(v.opcodes[0].version, 4);
    cr_assert_eq(v.opcodes[1].deprecated_builtin_code, TFLITE_OP_SOFTMAX);
    cr_assert_eq(v.opcodes[1].builtin_code, TFLITE_OP_SOFTMAX);
    cr_assert_eq(v.opcodes[1].version, 2);

    cr_assert_eq(v.num_buffers, 3, "sentinel + weights + bias");
    cr_assert_eq(v.buffers[0].size, 0, "buffer 0 is empty");
    cr_assert_eq(v.num_tensors, 5);
    cr_assert_eq(v.tensors[0].buffer, 0, "activations use the empty buffer");
    cr_assert_eq(v.tensors[3].buffer, 0);
    const struct tv_tensor *w = &v.tensors[1], *b = &v.tensors[2];
    cr_assert_str_eq(w->name, "fc/weights");
    cr_assert_eq(w->type, TFLITE_TYPE_INT8);
    cr_assert_eq(w->rank, 2);
    cr_assert_eq(w->dims[0], 2);
    cr_assert_eq(w->dims[1], 4);
    cr_assert_neq(w->buffer, 0);
    cr_assert_eq(v.buffers[w->buffer].size, 8);
    cr_assert_eq(v.buffers[w->buffer].offset % 16, 0, "weights aligned to 16");
    cr_assert_eq(memcmp(file + v.buffers[w->buffer].offset, m.tensors[1].data, 8), 0);
    cr_assert_eq(b->type, TFLITE_TYPE_INT32);
    cr_assert_eq(tv_le_i32(file + v.buffers[b->buffer].offset), -1000);
    cr_assert_eq(tv_le_i32(file + v.buffers[b->buffer].offset + 4), 70000);
    cr_assert_eq(v.buffers[b->buffer].offset % 16, 0);

    cr_assert_eq(v.tensors[0].num_scales, 1);
    cr_assert_float_eq(v.tensors[0].scales[0], 0.5f, 0);
    cr_assert_eq(v.tensors[0].zero_points[0], -3);
    cr_assert_float_eq(v.tensors[4].scales[0], 1.0f / 256, 0);
    cr_assert_eq(v.tensors[4].zero_points[0], -128);

    cr_assert_eq(v.num_ops, 2);
    cr_assert_eq(tv_op_code(&v, 0), TFLITE_OP_FULLY_CONNECTED);
    cr_assert_eq(v.ops[0].num_inputs, 3);
    cr_assert_eq(v.ops[0].inputs[1], 1);
    cr_assert_eq(v.ops[0].inputs[2], 2);
    cr_assert_eq(v.ops[0].outputs[0], 3);
    cr_assert_eq(v.ops[0].options_type, TFLITE_OPTIONS_FULLY_CONNECTED);
    cr_assert_eq(v.ops[0].activation, TFLITE_ACT_RELU);
    cr_assert_eq(tv_op_code(&v, 1), TFLITE_OP_SOFTMAX);
    cr_assert_eq(v.ops[1].options_type, TFLITE_OPTIONS_SOFTMAX);
    cr_assert_float_eq(v.ops[1].beta, 1.0f, 0);
    cr_assert_eq(v.num_inputs, 1);
    cr_assert_eq(v.inputs[0], 0);
    cr_assert_eq(v.outputs[0], 4);

    tv_free(&v);
    free(file);
    mg_qmodel_free(&m);
}

Test(tflite_writer, shares_one_operator_code_per_kind_and_version)
{
    struct mg_qmodel m;
    tiny_model(&m);
    /* A second FULLY_CONNECTED of the same version, and one of another. */
    for (int version = 4; version <= 5; version++) {
        int o = mg_qmodel_add_op(&m);
        m.ops[o] = m.ops[0];
        m.ops[o].version = version;
    }
    uint8_t *file;
    size_t len;
    char err[200];
    cr_assert_eq(mg_write_tflite(&m, &file, &len, err, sizeof err), 0, "%s", err);
    struct tv_model v;
    cr_assert_eq(tv_read(&v, file, len), 0, "%s", v.problem);
    cr_assert_eq(v.num_opcodes, 3);
    cr_assert_eq(v.ops[0].opcode_index, 0);
    cr_assert_eq(v.ops[1].opcode_index, 1);
    cr_assert_eq(v.ops[2].opcode_index, 0);
    cr_assert_eq(v.ops[3].opcode_index, 2);
    cr_assert_eq(v.opcodes[2].version, 5);
    tv_free(&v);
    free(file);
    mg_qmodel_free(&m);
}

Test(tflite_writer, rejects_inconsistent_models_with_a_message)
{
    struct mg_qmodel m;
    uint8_t *file = NULL;
    size_t len;
    char err[200] = "";

    tiny_model(&m);
    m.ops[1].inputs[0] = 42;
    cr_assert_neq(mg_write_tflite(&m, &file, &len, err, sizeof err), 0);
    cr_assert(strstr(err, "42"), "message names the bad tensor: %s", err);
    mg_qmodel_free(&m);

    tiny_model(&m);
    float scales[3] = {1, 2, 3};
    int64_t zps[3] = {0, 0, 0};
    mg_qtensor_set_quant(&m.tensors[1], 3, scales, zps, 0); /* dims[0] is 2 */
    err[0] = 0;
    cr_assert_neq(mg_write_tflite(&m, &file, &len, err, sizeof err), 0);
    cr_assert(strstr(err, "fc/weights"), "message names the tensor: %s", err);
    mg_qmodel_free(&m);
    cr_assert_null(file);
}

Test(tflite_view, rejects_corrupt_files)
{
    struct mg_qmodel m;
    tiny_model(&m);
    uint8_t *file;
    size_t len;
    char err[200];
    cr_assert_eq(mg_write_tflite(&m, &file, &len, err, sizeof err), 0, "%s", err);
    struct tv_model v;
    /* The strict reader must notice damage, or the tests above prove little. */
    cr_assert_neq(tv_read(&v, file, len / 2), 0, "truncated file accepted");
    tv_free(&v);
    uint8_t *copy = malloc(len);
    memcpy(copy, file, len);
    copy[0] = 0xF0, copy[1] = 0xFF; /* root offset far outside */
    cr_assert_neq(tv_read(&v, copy, len), 0, "bad root offset accepted");
    tv_free(&v);
    free(copy);
    free(file);
    mg_qmodel_free(&m);
}

/* Skipped vectors lay out exactly as created ones: the same total size and
 * the same bytes in front of them, whatever their lengths and alignment. */
Test(fb_builder, skipped_vectors_measure_what_created_ones_write)
{
    static const uint8_t data[37] = {1, 2, 3};
    const size_t counts[][2] = {{0, 5}, {1, 37}, {16, 3}, {37, 16}, {5, 0}};
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        const uint8_t *real, *measured;
        size_t real_len, measured_len;
        struct fb_builder a, b;
        fb_init(&a);
        fb_init(&b);
        fb_ref va[2], vb[2];
        for (int k = 0; k < 2; k++) {
            va[k] = fb_create_vector(&a, data, counts[c][k], 1, 16);
            vb[k] = fb_skip_vector(&b, counts[c][k], 1, 16);
            cr_assert_eq(va[k], vb[k], "case %zu: vector %d at %u, skipped at %u", c, k, va[k],
                         vb[k]);
        }
        fb_ref sa = fb_create_string(&a, "after"), sb = fb_create_string(&b, "after");
        fb_start_table(&a, 3);
        fb_start_table(&b, 3);
        fb_add_ref(&a, 0, va[0]);
        fb_add_ref(&b, 0, vb[0]);
        fb_add_ref(&a, 1, va[1]);
        fb_add_ref(&b, 1, vb[1]);
        fb_add_ref(&a, 2, sa);
        fb_add_ref(&b, 2, sb);
        fb_ref ta = fb_end_table(&a), tb = fb_end_table(&b);
        cr_assert_eq(fb_finish(&a, ta, "TEST", &real, &real_len), 0);
        cr_assert_eq(fb_finish(&b, tb, "TEST", &measured, &measured_len), 0);
        cr_assert_eq(measured_len, real_len, "case %zu: measured %zu bytes, written %zu", c,
                     measured_len, real_len);
        size_t front = real_len - vb[1]; /* the last skipped one ends the tail */
        cr_assert_eq(memcmp(real, measured, front), 0, "case %zu: the bytes in front differ", c);
        fb_free(&a);
        fb_free(&b);
    }
    /* Only before anything else. */
    struct fb_builder b;
    fb_init(&b);
    fb_create_string(&b, "first");
    cr_assert_eq(fb_skip_vector(&b, 4, 1, 16), 0);
    cr_assert(b.failed);
    fb_free(&b);
}

Test(tflite_writer, measures_the_size_it_would_write)
{
    struct mg_qmodel m;
    tiny_model(&m);
    uint8_t *file;
    size_t len, measured = 0;
    char err[200];
    cr_assert_eq(mg_write_tflite(&m, &file, &len, err, sizeof err), 0, "%s", err);
    /* Without the constant data, only its size. */
    for (int t = 0; t < m.num_tensors; t++) {
        free(m.tensors[t].data);
        m.tensors[t].data = NULL;
    }
    cr_assert_eq(mg_tflite_size(&m, &measured, err, sizeof err), 0, "%s", err);
    cr_assert_eq(measured, len);
    uint8_t *again;
    cr_assert_neq(mg_write_tflite(&m, &again, &len, err, sizeof err), 0,
                  "writing needs the data it measured without");
    cr_assert(strstr(err, "no data"), "%s", err);
    free(file);
    mg_qmodel_free(&m);
}
