/*
 * rt_model.c — the .tflite reader and verifier (see rt_model.h).
 *
 * Every accessor validates what it touches, and rt_model_open() calls each
 * accessor on every tensor and operator once, so a model that opens cleanly
 * has been checked end to end.  Verification is linear in the model size:
 * shared sub-objects are re-checked per reference, but every per-reference
 * check is bounded (rank <= RT_MAX_DIMS, op inputs <= RT_MAX_OP_INPUTS).
 */
#include <string.h>

#include "rt_model.h"
#include "tflite_schema.h"

static enum rt_status corrupt(struct rt_error *err, const char *what, int64_t index)
{
    rt_error_clear(err);
    rt_error_add(err, "corrupt model: ");
    rt_error_add(err, what);
    if (index >= 0) {
        rt_error_add(err, " ");
        rt_error_add_int(err, index);
    }
    return RT_BAD_MODEL;
}

static enum rt_status tensor_error(struct rt_error *err, enum rt_status status, uint32_t i,
                                   const char *what)
{
    rt_error_clear(err);
    rt_error_add(err, status == RT_BAD_MODEL ? "corrupt model: tensor " : "tensor ");
    rt_error_add_uint(err, i);
    rt_error_add(err, ": ");
    rt_error_add(err, what);
    return status;
}

float rt_tensor_scale(const struct rt_tensor *t, uint32_t c)
{
    if (t->num_scales == 0)
        return 0.0f;
    if (c >= t->num_scales)
        c = 0;
    return fb_load_f32(t->scales + 4u * c);
}

/* Reads the quantization table of tensor i into *out. */
static enum rt_status read_quantization(const struct rt_model *m, uint32_t i, const struct fb_table *q,
                                        struct rt_tensor *out, struct rt_error *err)
{
    const struct fb_buf *b = &m->buf;
    struct fb_vec scales, zero_points;
    bool has_scales, has_zps;
    uint8_t details_type;
    int32_t qdim;
    if (!fb_get_vector(b, q, TFLITE_QUANT_SCALE, 4, &scales, &has_scales) ||
        !fb_get_vector(b, q, TFLITE_QUANT_ZERO_POINT, 8, &zero_points, &has_zps) ||
        !fb_get_u8(b, q, TFLITE_QUANT_DETAILS_TYPE, 0, &details_type) ||
        !fb_get_i32(b, q, TFLITE_QUANT_QUANTIZED_DIMENSION, 0, &qdim))
        return tensor_error(err, RT_BAD_MODEL, i, "quantization table out of range");
    if (details_type != 0)
        return tensor_error(err, RT_UNSUPPORTED, i, "custom quantization is not supported");
    if (zero_points.count != 0 && zero_points.count != scales.count)
        return tensor_error(err, RT_BAD_MODEL, i, "zero_point and scale counts differ");
    out->num_scales = scales.count;
    out->scales = scales.count ? b->data + scales.pos : NULL;
    out->quantized_dimension = qdim;
    if (scales.count == 0)
        return RT_OK;
    out->scale = fb_load_f32(b->data + scales.pos);
    if (zero_points.count) {
        int64_t zp = (int64_t)fb_load_u64(b->data + zero_points.pos);
        if (zp < INT32_MIN || zp > INT32_MAX)
            return tensor_error(err, RT_BAD_MODEL, i, "zero point out of range");
        out->zero_point = (int32_t)zp;
    }
    if (scales.count > 1) {
        /* Per-channel: one scale per entry of the quantized dimension.  A
         * rank-1 tensor whose quantized_dimension is out of range (as
         * person_detect stores on its biases) is read as dimension 0, as
         * TFLite Micro does. */
        bool dim_ok = qdim >= 0 && qdim < out->ndims && (uint32_t)out->dims[qdim] == scales.count;
        bool rank1_ok = out->ndims == 1 && (uint32_t)out->dims[0] == scales.count;
        if (!dim_ok && !rank1_ok)
            return tensor_error(err, RT_BAD_MODEL, i,
                                "per-channel scale count does not match the quantized dimension");
        if (!dim_ok)
            out->quantized_dimension = 0;
    }
    return RT_OK;
}

/* Finds the constant bytes of buffer index buffer_index, if any. */
static enum rt_status read_buffer(const struct rt_model *m, uint32_t i, uint32_t buffer_index,
                                  const uint8_t **data, uint64_t *len, struct rt_error *err)
{
    const struct fb_buf *b = &m->buf;
    struct fb_table buffer;
    struct fb_vec bytes;
    bool present;
    uint64_t offset, size;
    *data = NULL;
    *len = 0;
    if (buffer_index >= m->buffers.count)
        return tensor_error(err, RT_BAD_MODEL, i, "buffer index out of range");
    if (!fb_vec_table(b, &m->buffers, buffer_index, &buffer) ||
        !fb_get_vector(b, &buffer, TFLITE_BUFFER_DATA, 1, &bytes, &present) ||
        !fb_get_u64(b, &buffer, TFLITE_BUFFER_OFFSET, 0, &offset) ||
        !fb_get_u64(b, &buffer, TFLITE_BUFFER_SIZE, 0, &size))
        return tensor_error(err, RT_BAD_MODEL, i, "buffer table out of range");
    if (present && bytes.count) {
        *data = b->data + bytes.pos;
        *len = bytes.count;
    } else if (offset > 1) {
        /* Large models keep data after the flatbuffer: offset is from the
         * start of the file (1 means "none" by convention). */
        if (offset > b->size || size > b->size - offset)
            return tensor_error(err, RT_BAD_MODEL, i, "external buffer out of range");
        if (size) {
            *data = b->data + offset;
            *len = size;
        }
    }
    return RT_OK;
}

enum rt_status rt_model_tensor(const struct rt_model *m, uint32_t i, struct rt_tensor *out,
                               struct rt_error *err)
{
    const struct fb_buf *b = &m->buf;
    struct fb_table t, quant, sparsity;
    struct fb_vec shape;
    bool has_shape, has_quant, has_sparsity;
    uint8_t type, is_variable;
    uint32_t buffer_index;
    enum rt_status st;

    memset(out, 0, sizeof *out);
    if (i >= m->tensors.count)
        return corrupt(err, "tensor index out of range", i);
    if (!fb_vec_table(b, &m->tensors, i, &t))
        return corrupt(err, "tensor table out of range:", i);
    if (!fb_get_vector(b, &t, TFLITE_TENSOR_SHAPE, 4, &shape, &has_shape) ||
        !fb_get_u8(b, &t, TFLITE_TENSOR_TYPE, 0, &type) ||
        !fb_get_u32(b, &t, TFLITE_TENSOR_BUFFER, 0, &buffer_index) ||
        !fb_get_string(b, &t, TFLITE_TENSOR_NAME, &out->name) ||
        !fb_get_table(b, &t, TFLITE_TENSOR_QUANTIZATION, &quant, &has_quant) ||
        !fb_get_u8(b, &t, TFLITE_TENSOR_IS_VARIABLE, 0, &is_variable) ||
        !fb_get_table(b, &t, TFLITE_TENSOR_SPARSITY, &sparsity, &has_sparsity))
        return tensor_error(err, RT_BAD_MODEL, i, "field out of range");

    if (shape.count > RT_MAX_DIMS)
        return tensor_error(err, RT_UNSUPPORTED, i, "rank above 6");
    uint32_t elem_size = rt_type_size(type);
    if (elem_size == 0) {
        rt_error_clear(err);
        rt_error_add(err, "tensor ");
        rt_error_add_uint(err, i);
        rt_error_add(err, ": type ");
        rt_error_add(err, rt_type_name(type));
        rt_error_add(err, " is not supported");
        return RT_UNSUPPORTED;
    }
    if (has_sparsity)
        return tensor_error(err, RT_UNSUPPORTED, i, "sparse tensors are not supported");

    uint64_t bytes = elem_size;
    out->ndims = (uint8_t)shape.count;
    for (uint32_t d = 0; d < shape.count; d++) {
        int32_t dim = fb_vec_i32(b, &shape, d);
        if (dim < 0)
            return tensor_error(err, RT_BAD_MODEL, i, "negative dimension");
        out->dims[d] = dim;
        bytes *= (uint64_t)dim; /* each factor < 2^31 and the product is checked every step */
        if (bytes > RT_MAX_TENSOR_BYTES)
            return tensor_error(err, RT_BAD_MODEL, i, "shape too large (bytes overflow)");
    }
    out->bytes = (uint32_t)bytes;
    out->type = type;
    out->is_variable = is_variable != 0;

    const uint8_t *data;
    uint64_t data_len;
    st = read_buffer(m, i, buffer_index, &data, &data_len, err);
    if (st != RT_OK)
        return st;
    if (data) {
        if (data_len < bytes)
            return tensor_error(err, RT_BAD_MODEL, i, "constant buffer shorter than its shape needs");
        unsigned align = elem_size > 4 ? 4 : elem_size;
        if ((uintptr_t)data % align != 0)
            return tensor_error(err, RT_BAD_MODEL, i, "constant data misaligned for its type");
        /* Constants are never written: kernels take them through const
         * pointers; the cast only lets one struct hold both kinds. */
        out->data = (uint8_t *)(uintptr_t)data;
        out->is_constant = true;
    }
    if (has_quant) {
        st = read_quantization(m, i, &quant, out, err);
        if (st != RT_OK)
            return st;
    }
    return RT_OK;
}

static enum rt_status op_error(struct rt_error *err, uint32_t i, const char *what)
{
    rt_error_clear(err);
    rt_error_add(err, "corrupt model: layer ");
    rt_error_add_uint(err, i);
    rt_error_add(err, ": ");
    rt_error_add(err, what);
    return RT_BAD_MODEL;
}

enum rt_status rt_model_op(const struct rt_model *m, uint32_t i, struct rt_op_info *out,
                           struct rt_error *err)
{
    const struct fb_buf *b = &m->buf;
    struct fb_table t, code;
    bool present;
    uint32_t opcode_index;
    uint8_t deprecated_code;
    int32_t builtin_code;

    memset(out, 0, sizeof *out);
    if (i >= m->operators.count)
        return corrupt(err, "operator index out of range", i);
    if (!fb_vec_table(b, &m->operators, i, &t))
        return op_error(err, i, "operator table out of range");
    if (!fb_get_u32(b, &t, TFLITE_OPERATOR_OPCODE_INDEX, 0, &opcode_index) ||
        !fb_get_vector(b, &t, TFLITE_OPERATOR_INPUTS, 4, &out->inputs, &present) ||
        !fb_get_vector(b, &t, TFLITE_OPERATOR_OUTPUTS, 4, &out->outputs, &present) ||
        !fb_get_u8(b, &t, TFLITE_OPERATOR_BUILTIN_OPTIONS_TYPE, 0, &out->options_type) ||
        !fb_get_table(b, &t, TFLITE_OPERATOR_BUILTIN_OPTIONS, &out->options, &out->has_options))
        return op_error(err, i, "field out of range");
    if (opcode_index >= m->opcodes.count)
        return op_error(err, i, "opcode index out of range");
    if (!fb_vec_table(b, &m->opcodes, opcode_index, &code) ||
        !fb_get_u8(b, &code, TFLITE_OPCODE_DEPRECATED_BUILTIN_CODE, 0, &deprecated_code) ||
        !fb_get_i32(b, &code, TFLITE_OPCODE_BUILTIN_CODE, 0, &builtin_code) ||
        !fb_get_i32(b, &code, TFLITE_OPCODE_VERSION, 1, &out->version) ||
        !fb_get_string(b, &code, TFLITE_OPCODE_CUSTOM_CODE, &out->custom_name))
        return op_error(err, i, "operator code out of range");
    /* Old converters fill only the byte-wide deprecated field (builtin_code
     * then reads 0 = ADD); new ones fill both, with 127 in the byte for codes
     * above 127.  The larger of the two is the operator. */
    int32_t deprecated = (int8_t)deprecated_code;
    out->op = deprecated > builtin_code ? deprecated : builtin_code;
    if (out->op < 0)
        return op_error(err, i, "negative operator code");

    if (out->inputs.count > RT_MAX_OP_INPUTS || out->outputs.count > RT_MAX_OP_OUTPUTS)
        return op_error(err, i, "too many inputs or outputs");
    if (out->outputs.count == 0)
        return op_error(err, i, "operator has no output");
    for (uint32_t k = 0; k < out->inputs.count; k++) {
        int32_t index = fb_vec_i32(b, &out->inputs, k);
        if (index < -1 || index >= (int64_t)m->tensors.count)
            return op_error(err, i, "input tensor index out of range");
    }
    for (uint32_t k = 0; k < out->outputs.count; k++) {
        int32_t index = fb_vec_i32(b, &out->outputs, k);
        if (index < 0 || index >= (int64_t)m->tensors.count)
            return op_error(err, i, "output tensor index out of range");
    }
    return RT_OK;
}

static enum rt_status check_io(const struct rt_model *m, const struct fb_vec *v, const char *what,
                               struct rt_error *err)
{
    if (v->count == 0)
        return corrupt(err, what, -1);
    for (uint32_t k = 0; k < v->count; k++) {
        int32_t index = fb_vec_i32(&m->buf, v, k);
        if (index < 0 || index >= (int64_t)m->tensors.count)
            return corrupt(err, "graph input/output tensor index out of range:", index);
    }
    return RT_OK;
}

/* The type of an operator's data input (rt_op_data_input), or 0xFF when
 * it has none. */
static uint8_t first_input_type(const struct rt_model *m, const struct rt_op_info *op)
{
    uint32_t k = rt_op_data_input(op->op);
    if (op->inputs.count > k && rt_op_input(m, op, k) >= 0) {
        struct rt_tensor t;
        if (rt_model_tensor(m, (uint32_t)rt_op_input(m, op, k), &t, NULL) == RT_OK)
            return t.type;
    }
    return 0xFF;
}

static bool op_runnable(const struct rt_model *m, const struct rt_op_info *op, rt_op_supported_fn supported)
{
    return op->op != TFLITE_OP_CUSTOM && (!supported || supported(op->op, first_input_type(m, op)));
}

/* Whether two unsupported operators are the same kind (one entry of the
 * message): same builtin and input type, or the same custom name. */
static bool same_kind(const struct rt_model *m, const struct rt_op_info *a, const struct rt_op_info *b)
{
    if (a->op != b->op)
        return false;
    if (a->op == TFLITE_OP_CUSTOM) {
        const char *x = a->custom_name ? a->custom_name : "?", *y = b->custom_name ? b->custom_name : "?";
        return strcmp(x, y) == 0;
    }
    return first_input_type(m, a) == first_input_type(m, b);
}

/* One message naming every unsupported operator, each kind once with all
 * its layer indices: "unsupported operators: SHAPE (77) with int8 input at
 * layer 0; TRANSPOSE (39) with int8 input at layers 2, 5".  Operators
 * were verified already, so rt_model_op cannot fail here. */
static enum rt_status unsupported_ops(const struct rt_model *m, rt_op_supported_fn supported, struct rt_error *err)
{
    uint32_t kinds = 0;
    rt_error_clear(err);
    for (uint32_t i = 0; i < m->operators.count; i++) {
        struct rt_op_info op, earlier;
        rt_model_op(m, i, &op, NULL);
        if (op_runnable(m, &op, supported))
            continue;
        /* Listed already with an earlier layer of the same kind? */
        bool seen = false;
        for (uint32_t j = 0; j < i && !seen; j++) {
            rt_model_op(m, j, &earlier, NULL);
            seen = !op_runnable(m, &earlier, supported) && same_kind(m, &op, &earlier);
        }
        if (seen)
            continue;
        rt_error_add(err, kinds++ ? "; " : "unsupported operators: ");
        if (op.op == TFLITE_OP_CUSTOM) {
            rt_error_add(err, "custom operator '");
            rt_error_add(err, op.custom_name ? op.custom_name : "?");
            rt_error_add(err, "'");
        } else {
            rt_error_add_op(err, op.op);
            rt_error_add(err, " (");
            rt_error_add_int(err, op.op);
            rt_error_add(err, ")");
            uint8_t type = first_input_type(m, &op);
            if (type != 0xFF) {
                rt_error_add(err, " with ");
                rt_error_add(err, rt_type_name(type));
                rt_error_add(err, " input");
            }
        }
        /* Every layer of this kind, from this one on. */
        uint32_t layers = 0;
        for (uint32_t j = i; j < m->operators.count; j++) {
            struct rt_op_info later;
            rt_model_op(m, j, &later, NULL);
            if (!op_runnable(m, &later, supported) && same_kind(m, &op, &later))
                layers++;
        }
        rt_error_add(err, layers > 1 ? " at layers " : " at layer ");
        for (uint32_t j = i, k = 0; j < m->operators.count; j++) {
            struct rt_op_info later;
            rt_model_op(m, j, &later, NULL);
            if (!op_runnable(m, &later, supported) && same_kind(m, &op, &later)) {
                rt_error_add(err, k++ ? ", " : "");
                rt_error_add_uint(err, j);
            }
        }
    }
    /* A truncated message says so rather than ending mid-word. */
    if (err && err->len + 1 >= RT_ERROR_MSG_MAX) {
        err->len = RT_ERROR_MSG_MAX - 5;
        err->msg[err->len] = 0;
        rt_error_add(err, " ...");
    }
    return RT_UNSUPPORTED;
}

enum rt_status rt_model_open(struct rt_model *m, const void *data, size_t size,
                             rt_op_supported_fn supported, struct rt_error *err)
{
    struct fb_table subgraph0;
    struct fb_vec subgraphs;
    bool present;
    enum rt_status st;

    memset(m, 0, sizeof *m);
    rt_error_clear(err);
    if (!data)
        return rt_fail(err, RT_BAD_ARG, "no model data");
    if ((uintptr_t)data % 4u != 0)
        return rt_fail(err, RT_BAD_ARG, "model bytes are not 4-byte aligned in memory");
    if (size > 0x7FFFFFFFu)
        return rt_fail(err, RT_BAD_MODEL, "model larger than 2 GB");
    if (size < 8) {
        rt_error_add(err, "not a TFLite model: only ");
        rt_error_add_uint(err, size);
        rt_error_add(err, " bytes");
        return RT_BAD_MODEL;
    }
    m->buf.data = data;
    m->buf.size = (uint32_t)size;
    const struct fb_buf *b = &m->buf;
    if (memcmp(b->data + 4, TFLITE_FILE_IDENTIFIER, 4) != 0)
        return rt_fail(err, RT_BAD_MODEL, "not a TFLite model: file identifier is not TFL3");
    if (!fb_root(b, &m->root))
        return corrupt(err, "root table out of range", -1);
    if (!fb_get_u32(b, &m->root, TFLITE_MODEL_VERSION, 0, &m->version) ||
        !fb_get_vector(b, &m->root, TFLITE_MODEL_OPERATOR_CODES, 4, &m->opcodes, &present) ||
        !fb_get_vector(b, &m->root, TFLITE_MODEL_SUBGRAPHS, 4, &subgraphs, &present) ||
        !fb_get_vector(b, &m->root, TFLITE_MODEL_BUFFERS, 4, &m->buffers, &present))
        return corrupt(err, "model table field out of range", -1);
    if (m->version != TFLITE_SCHEMA_VERSION) {
        rt_error_add(err, "unsupported schema version ");
        rt_error_add_uint(err, m->version);
        rt_error_add(err, " (expected 3)");
        return RT_UNSUPPORTED;
    }
    if (subgraphs.count == 0)
        return corrupt(err, "no subgraph", -1);
    if (!fb_vec_table(b, &subgraphs, 0, &subgraph0))
        return corrupt(err, "subgraph table out of range", -1);
    m->subgraph = subgraph0;
    if (!fb_get_vector(b, &subgraph0, TFLITE_SUBGRAPH_TENSORS, 4, &m->tensors, &present) ||
        !fb_get_vector(b, &subgraph0, TFLITE_SUBGRAPH_INPUTS, 4, &m->inputs, &present) ||
        !fb_get_vector(b, &subgraph0, TFLITE_SUBGRAPH_OUTPUTS, 4, &m->outputs, &present) ||
        !fb_get_vector(b, &subgraph0, TFLITE_SUBGRAPH_OPERATORS, 4, &m->operators, &present))
        return corrupt(err, "subgraph field out of range", -1);

    for (uint32_t i = 0; i < m->tensors.count; i++) {
        struct rt_tensor t;
        st = rt_model_tensor(m, i, &t, err);
        if (st != RT_OK)
            return st;
    }
    st = check_io(m, &m->inputs, "graph has no input", err);
    if (st == RT_OK)
        st = check_io(m, &m->outputs, "graph has no output", err);
    if (st != RT_OK)
        return st;
    /* The application writes the graph inputs; a constant one lives in the
     * model, in flash on the MCU, and that write would fault. */
    for (uint32_t k = 0; k < m->inputs.count; k++) {
        struct rt_tensor t;
        int32_t index = fb_vec_i32(b, &m->inputs, k);
        if (rt_model_tensor(m, (uint32_t)index, &t, err) == RT_OK && t.is_constant)
            return corrupt(err, "graph input is a constant: tensor", index);
    }
    /* Every operator is verified before any is judged, so that the message
     * can name all the unsupported ones. */
    bool all_runnable = true;
    for (uint32_t i = 0; i < m->operators.count; i++) {
        struct rt_op_info op;
        st = rt_model_op(m, i, &op, err);
        if (st != RT_OK)
            return st;
        all_runnable &= op_runnable(m, &op, supported);
    }
    return all_runnable ? RT_OK : unsupported_ops(m, supported, err);
}
