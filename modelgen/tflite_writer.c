/*
 * tflite_writer.c — qmodel to .tflite bytes (see tflite_writer.h).
 *
 * The flatbuffer is built back to front (fb_builder.h), so children come
 * before parents here: buffer data, buffers, tensors, operators, operator
 * codes, the subgraph, and the Model table last.  The big constant data is
 * therefore at the end of the file, as in converter output.
 */
#include "tflite_writer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runtime/tflite_schema.h"
#include "fb_builder.h"

#define BUFFER_DATA_ALIGN 16

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (err && errlen)
        vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static int check_model(const struct mg_qmodel *m, int measure, char *err, size_t errlen)
{
    int n = m->num_tensors;
    if (m->input < 0 || m->input >= n || m->output < 0 || m->output >= n)
        return fail(err, errlen, "model input or output is not a tensor");
    for (int i = 0; i < n; i++) {
        const struct mg_qtensor *t = &m->tensors[i];
        if (t->rank < 0 || t->rank > 4)
            return fail(err, errlen, "tensor %d has rank %d", i, t->rank);
        if (!measure && t->data_bytes && !t->data)
            return fail(err, errlen, "constant tensor '%s' has no data", t->name);
        if (t->num_scales > 1 && (t->quantized_dimension < 0 ||
                                  t->quantized_dimension >= t->rank ||
                                  t->dims[t->quantized_dimension] != t->num_scales))
            return fail(err, errlen, "tensor '%s' has %d scales along a dimension of another size",
                        t->name, t->num_scales);
    }
    for (int i = 0; i < m->num_ops; i++) {
        const struct mg_qop *op = &m->ops[i];
        if (op->output < 0 || op->output >= n || op->num_inputs < 1 ||
            op->num_inputs > MG_QMAX_INPUTS || op->num_extra_outputs < 0 ||
            op->num_extra_outputs >= MG_QMAX_OUTPUTS || op->num_fields < 0 ||
            op->num_fields > MG_QMAX_FIELDS)
            return fail(err, errlen, "operator %d has bad inputs or output", i);
        for (int k = 0; k < op->num_extra_outputs; k++)
            if (op->extra_outputs[k] < 0 || op->extra_outputs[k] >= n)
                return fail(err, errlen, "operator %d writes tensor %d, which does not exist", i,
                            op->extra_outputs[k]);
        /* -1 is an absent optional input, as in TFLite. */
        for (int k = 0; k < op->num_inputs; k++)
            if (op->inputs[k] < -1 || op->inputs[k] >= n)
                return fail(err, errlen, "operator %d reads tensor %d, which does not exist", i,
                            op->inputs[k]);
        if (op->builtin_op < 0 || op->builtin_op >= TFLITE_OP_PLACEHOLDER_FOR_GREATER_OP_CODES)
            return fail(err, errlen, "operator %d has code %d, out of range", i,
                        (int)op->builtin_op);
    }
    return 0;
}

static fb_ref i32_vector(struct fb_builder *b, const int32_t *v, size_t n)
{
    return fb_create_vector(b, v, n, 4, 4);
}

static fb_ref write_quantization(struct fb_builder *b, const struct mg_qtensor *t)
{
    if (t->num_scales == 0)
        return 0;
    fb_ref scale = fb_create_vector(b, t->scales, (size_t)t->num_scales, 4, 4);
    fb_ref zp = fb_create_vector(b, t->zero_points, (size_t)t->num_scales, 8, 8);
    fb_start_table(b, 7);
    fb_add_ref(b, TFLITE_QUANT_SCALE, scale);
    fb_add_ref(b, TFLITE_QUANT_ZERO_POINT, zp);
    fb_add_i32(b, TFLITE_QUANT_QUANTIZED_DIMENSION, t->quantized_dimension, 0);
    return fb_end_table(b);
}

static fb_ref write_tensor(struct fb_builder *b, const struct mg_qtensor *t, uint32_t buffer)
{
    fb_ref shape = i32_vector(b, t->dims, (size_t)t->rank);
    fb_ref name = fb_create_string(b, t->name);
    fb_ref quant = write_quantization(b, t);
    fb_start_table(b, 10);
    fb_add_ref(b, TFLITE_TENSOR_SHAPE, shape);
    fb_add_u32(b, TFLITE_TENSOR_BUFFER, buffer, 0);
    fb_add_ref(b, TFLITE_TENSOR_NAME, name);
    fb_add_ref(b, TFLITE_TENSOR_QUANTIZATION, quant);
    fb_add_u8(b, TFLITE_TENSOR_TYPE, t->type, TFLITE_TYPE_FLOAT32);
    return fb_end_table(b);
}

/* An options table given field by field (struct mg_qfield). */
static fb_ref write_generic_options(struct fb_builder *b, const struct mg_qop *op)
{
    fb_ref vectors[MG_QMAX_FIELDS] = {0};
    int max_id = 0;
    for (int i = 0; i < op->num_fields; i++) {
        const struct mg_qfield *f = &op->fields[i];
        if (f->kind == MG_QFIELD_I32_VECTOR)
            vectors[i] = i32_vector(b, f->ints, (size_t)f->count);
        max_id = f->id > max_id ? f->id : max_id;
    }
    fb_start_table(b, max_id + 1);
    for (int i = 0; i < op->num_fields; i++) {
        const struct mg_qfield *f = &op->fields[i];
        switch (f->kind) {
        case MG_QFIELD_U8: fb_add_u8(b, f->id, (uint8_t)f->value, (uint8_t)f->def); break;
        case MG_QFIELD_I32: fb_add_i32(b, f->id, f->value, f->def); break;
        case MG_QFIELD_F32: fb_add_f32(b, f->id, f->f, (float)f->def); break;
        case MG_QFIELD_I32_VECTOR: fb_add_ref(b, f->id, vectors[i]); break;
        }
    }
    return fb_end_table(b);
}

/* The builtin options table of op, and its union type. */
static fb_ref write_options(struct fb_builder *b, const struct mg_qop *op, uint8_t *type)
{
    if (op->options_type != TFLITE_OPTIONS_NONE) {
        *type = op->options_type;
        return write_generic_options(b, op);
    }
    switch (op->builtin_op) {
    case TFLITE_OP_CONV_2D:
        *type = TFLITE_OPTIONS_CONV_2D;
        fb_start_table(b, 7);
        fb_add_i32(b, TFLITE_CONV2D_STRIDE_W, op->stride_w, 0);
        fb_add_i32(b, TFLITE_CONV2D_STRIDE_H, op->stride_h, 0);
        fb_add_u8(b, TFLITE_CONV2D_PADDING, op->padding, TFLITE_PADDING_SAME);
        fb_add_u8(b, TFLITE_CONV2D_FUSED_ACTIVATION, op->activation, TFLITE_ACT_NONE);
        return fb_end_table(b);
    case TFLITE_OP_DEPTHWISE_CONV_2D:
        *type = TFLITE_OPTIONS_DEPTHWISE_CONV_2D;
        fb_start_table(b, 7);
        fb_add_i32(b, TFLITE_DWCONV_STRIDE_W, op->stride_w, 0);
        fb_add_i32(b, TFLITE_DWCONV_STRIDE_H, op->stride_h, 0);
        fb_add_i32(b, TFLITE_DWCONV_DEPTH_MULTIPLIER, op->depth_multiplier, 0);
        fb_add_u8(b, TFLITE_DWCONV_PADDING, op->padding, TFLITE_PADDING_SAME);
        fb_add_u8(b, TFLITE_DWCONV_FUSED_ACTIVATION, op->activation, TFLITE_ACT_NONE);
        return fb_end_table(b);
    case TFLITE_OP_MAX_POOL_2D:
    case TFLITE_OP_AVERAGE_POOL_2D:
        *type = TFLITE_OPTIONS_POOL_2D;
        fb_start_table(b, 6);
        fb_add_i32(b, TFLITE_POOL2D_STRIDE_W, op->stride_w, 0);
        fb_add_i32(b, TFLITE_POOL2D_STRIDE_H, op->stride_h, 0);
        fb_add_i32(b, TFLITE_POOL2D_FILTER_WIDTH, op->filter_w, 0);
        fb_add_i32(b, TFLITE_POOL2D_FILTER_HEIGHT, op->filter_h, 0);
        fb_add_u8(b, TFLITE_POOL2D_PADDING, op->padding, TFLITE_PADDING_SAME);
        fb_add_u8(b, TFLITE_POOL2D_FUSED_ACTIVATION, op->activation, TFLITE_ACT_NONE);
        return fb_end_table(b);
    case TFLITE_OP_FULLY_CONNECTED:
        *type = TFLITE_OPTIONS_FULLY_CONNECTED;
        fb_start_table(b, 5);
        fb_add_u8(b, TFLITE_FC_FUSED_ACTIVATION, op->activation, TFLITE_ACT_NONE);
        return fb_end_table(b);
    case TFLITE_OP_SOFTMAX:
        *type = TFLITE_OPTIONS_SOFTMAX;
        fb_start_table(b, 1);
        fb_add_f32(b, TFLITE_SOFTMAX_BETA, op->beta, 0.0f);
        return fb_end_table(b);
    case TFLITE_OP_RESHAPE: {
        *type = TFLITE_OPTIONS_RESHAPE;
        fb_ref shape = i32_vector(b, op->new_shape, (size_t)op->new_shape_rank);
        fb_start_table(b, 1);
        fb_add_ref(b, TFLITE_RESHAPE_NEW_SHAPE, shape);
        return fb_end_table(b);
    }
    case TFLITE_OP_ADD:
        *type = TFLITE_OPTIONS_ADD;
        fb_start_table(b, 2);
        fb_add_u8(b, TFLITE_ADD_FUSED_ACTIVATION, op->activation, TFLITE_ACT_NONE);
        return fb_end_table(b);
    default:
        *type = TFLITE_OPTIONS_NONE;
        return 0;
    }
}

static fb_ref write_operator(struct fb_builder *b, const struct mg_qop *op, uint32_t opcode_index)
{
    fb_ref inputs = i32_vector(b, op->inputs, (size_t)op->num_inputs);
    int32_t outs[MG_QMAX_OUTPUTS];
    outs[0] = op->output;
    for (int k = 0; k < op->num_extra_outputs; k++)
        outs[1 + k] = op->extra_outputs[k];
    fb_ref outputs = i32_vector(b, outs, 1 + (size_t)op->num_extra_outputs);
    uint8_t options_type;
    fb_ref options = write_options(b, op, &options_type);
    fb_start_table(b, 9);
    fb_add_u32(b, TFLITE_OPERATOR_OPCODE_INDEX, opcode_index, 0);
    fb_add_ref(b, TFLITE_OPERATOR_INPUTS, inputs);
    fb_add_ref(b, TFLITE_OPERATOR_OUTPUTS, outputs);
    fb_add_ref(b, TFLITE_OPERATOR_BUILTIN_OPTIONS, options);
    fb_add_u8(b, TFLITE_OPERATOR_BUILTIN_OPTIONS_TYPE, options_type, TFLITE_OPTIONS_NONE);
    return fb_end_table(b);
}

static fb_ref write_operator_code(struct fb_builder *b, int32_t code, int32_t version)
{
    fb_start_table(b, 4);
    fb_add_i32(b, TFLITE_OPCODE_BUILTIN_CODE, code, 0);
    fb_add_i32(b, TFLITE_OPCODE_VERSION, version, 1);
    /* Codes below 127 also go in the old byte field, as converters do. */
    fb_add_u8(b, TFLITE_OPCODE_DEPRECATED_BUILTIN_CODE,
              (uint8_t)(code < TFLITE_OP_PLACEHOLDER_FOR_GREATER_OP_CODES
                            ? code
                            : TFLITE_OP_PLACEHOLDER_FOR_GREATER_OP_CODES),
              0);
    return fb_end_table(b);
}

static int is_constant(const struct mg_qtensor *t)
{
    return t->data != NULL || t->data_bytes > 0;
}

/* Writes m; with `measure`, the constant data is counted, not stored, and
 * only *out_len is set. */
static int write_model(const struct mg_qmodel *m, int measure, uint8_t **out, size_t *out_len,
                       char *err, size_t errlen)
{
    if (check_model(m, measure, err, errlen))
        return -1;
    int nt = m->num_tensors, no = m->num_ops;
    uint32_t *buffer_of = calloc((size_t)nt + 1, sizeof *buffer_of);
    fb_ref *refs = calloc((size_t)(nt > no ? nt : no) + 2, sizeof *refs);
    uint32_t *opcode_of = calloc((size_t)no + 1, sizeof *opcode_of);
    int32_t(*codes)[2] = calloc((size_t)no + 1, sizeof *codes);
    struct fb_builder b;
    fb_init(&b);
    int rc = -1;
    if (!buffer_of || !refs || !opcode_of || !codes) {
        fail(err, errlen, "out of memory");
        goto done;
    }

    /* Buffers: 0 is empty, then one per constant tensor in tensor order. */
    uint32_t num_buffers = 1;
    for (int i = 0; i < nt; i++)
        if (is_constant(&m->tensors[i]))
            buffer_of[i] = num_buffers++;
    fb_ref *data = calloc(num_buffers, sizeof *data);
    fb_ref *buffers = calloc(num_buffers, sizeof *buffers);
    if (!data || !buffers) {
        free(data);
        free(buffers);
        fail(err, errlen, "out of memory");
        goto done;
    }
    /* Last tensor's data first, so that the file holds them in order. */
    for (int i = nt; i-- > 0;)
        if (buffer_of[i])
            data[buffer_of[i]] =
                measure ? fb_skip_vector(&b, m->tensors[i].data_bytes, 1, BUFFER_DATA_ALIGN)
                        : fb_create_vector(&b, m->tensors[i].data, m->tensors[i].data_bytes, 1,
                                           BUFFER_DATA_ALIGN);
    for (uint32_t i = 0; i < num_buffers; i++) {
        fb_start_table(&b, 3);
        fb_add_ref(&b, TFLITE_BUFFER_DATA, data[i]);
        buffers[i] = fb_end_table(&b);
    }
    fb_ref buffers_vec = fb_create_ref_vector(&b, buffers, num_buffers);
    free(data);
    free(buffers);

    for (int i = 0; i < nt; i++)
        refs[i] = write_tensor(&b, &m->tensors[i], buffer_of[i]);
    fb_ref tensors_vec = fb_create_ref_vector(&b, refs, (size_t)nt);

    /* Operator codes: one per distinct (code, version), in order of use. */
    int num_codes = 0;
    for (int i = 0; i < no; i++) {
        int k = 0;
        while (k < num_codes &&
               !(codes[k][0] == m->ops[i].builtin_op && codes[k][1] == m->ops[i].version))
            k++;
        if (k == num_codes) {
            codes[k][0] = m->ops[i].builtin_op;
            codes[k][1] = m->ops[i].version;
            num_codes++;
        }
        opcode_of[i] = (uint32_t)k;
    }
    for (int i = 0; i < no; i++)
        refs[i] = write_operator(&b, &m->ops[i], opcode_of[i]);
    fb_ref operators_vec = fb_create_ref_vector(&b, refs, (size_t)no);
    for (int k = 0; k < num_codes; k++)
        refs[k] = write_operator_code(&b, codes[k][0], codes[k][1]);
    fb_ref codes_vec = fb_create_ref_vector(&b, refs, (size_t)num_codes);

    int32_t input = m->input, output = m->output;
    fb_ref sg_inputs = i32_vector(&b, &input, 1);
    fb_ref sg_outputs = i32_vector(&b, &output, 1);
    fb_ref sg_name = fb_create_string(&b, "main");
    fb_start_table(&b, 5);
    fb_add_ref(&b, TFLITE_SUBGRAPH_TENSORS, tensors_vec);
    fb_add_ref(&b, TFLITE_SUBGRAPH_INPUTS, sg_inputs);
    fb_add_ref(&b, TFLITE_SUBGRAPH_OUTPUTS, sg_outputs);
    fb_add_ref(&b, TFLITE_SUBGRAPH_OPERATORS, operators_vec);
    fb_add_ref(&b, TFLITE_SUBGRAPH_NAME, sg_name);
    fb_ref subgraph = fb_end_table(&b);
    fb_ref subgraphs_vec = fb_create_ref_vector(&b, &subgraph, 1);

    fb_ref description = fb_create_string(&b, m->description);
    fb_start_table(&b, 8);
    fb_add_u32(&b, TFLITE_MODEL_VERSION, TFLITE_SCHEMA_VERSION, 0);
    fb_add_ref(&b, TFLITE_MODEL_OPERATOR_CODES, codes_vec);
    fb_add_ref(&b, TFLITE_MODEL_SUBGRAPHS, subgraphs_vec);
    fb_add_ref(&b, TFLITE_MODEL_DESCRIPTION, description);
    fb_add_ref(&b, TFLITE_MODEL_BUFFERS, buffers_vec);
    fb_ref model = fb_end_table(&b);

    const uint8_t *bytes;
    size_t len;
    if (fb_finish(&b, model, TFLITE_FILE_IDENTIFIER, &bytes, &len)) {
        fail(err, errlen, "could not build the flatbuffer (out of memory or too large)");
        goto done;
    }
    if (measure) {
        *out_len = len;
        rc = 0;
        goto done;
    }
    if (!(*out = malloc(len))) {
        fail(err, errlen, "out of memory");
        goto done;
    }
    memcpy(*out, bytes, len);
    *out_len = len;
    rc = 0;
done:
    fb_free(&b);
    free(buffer_of);
    free(refs);
    free(opcode_of);
    free(codes);
    return rc;
}

int mg_write_tflite(const struct mg_qmodel *m, uint8_t **out, size_t *out_len, char *err,
                    size_t errlen)
{
    return write_model(m, 0, out, out_len, err, errlen);
}

int mg_tflite_size(const struct mg_qmodel *m, size_t *len, char *err, size_t errlen)
{
    return write_model(m, 1, NULL, len, err, errlen);
}
