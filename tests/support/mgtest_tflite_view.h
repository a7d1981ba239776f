/*
 * mgtest_tflite_view.h — a strict, bounds-checked reader of .tflite
 * flatbuffers for modelgen's tests.
 *
 * Written apart from modelgen's builder (and from the runtime's reader) so
 * that the tests check the files against the FlatBuffers format itself: every
 * offset, vtable and vector is range- and alignment-checked, and the first
 * violation is recorded in view->problem instead of being read past.  It
 * decodes the parts of the TFLite schema modelgen writes into plain arrays.
 */
#ifndef MCUSIM_MGTEST_TFLITE_VIEW_H
#define MCUSIM_MGTEST_TFLITE_VIEW_H

#include <stddef.h>
#include <stdint.h>

#define TV_MAX 512

struct tv_tensor {
    char name[128];
    int type;
    int rank;
    int32_t dims[8];
    uint32_t buffer;
    int has_quant;
    int num_scales;
    float scales[2048];
    int64_t zero_points[2048];
    int num_zero_points;
    int32_t quantized_dimension;
};

struct tv_op {
    uint32_t opcode_index;
    int num_inputs, num_outputs;
    int32_t inputs[8], outputs[4];
    int options_type;
    /* Decoded options (absent fields hold the schema defaults). */
    int padding, activation, stride_w, stride_h, filter_w, filter_h, depth_multiplier;
    int dilation_w, dilation_h;
    float beta;
    int new_shape_rank;
    int32_t new_shape[8];
};

struct tv_opcode {
    int deprecated_builtin_code, builtin_code, version;
};

struct tv_buffer {
    size_t offset; /* of the data in the file; 0 if no data */
    size_t size;
};

struct tv_model {
    const uint8_t *file;
    size_t len;
    char identifier[5];
    uint32_t version;
    char description[400];
    int num_opcodes, num_subgraphs, num_tensors, num_ops, num_buffers;
    struct tv_opcode opcodes[64];
    struct tv_tensor *tensors; /* TV_MAX entries */
    struct tv_op ops[TV_MAX];
    struct tv_buffer buffers[TV_MAX];
    int num_inputs, num_outputs;
    int32_t inputs[8], outputs[8];
    char subgraph_name[64];
    char problem[256]; /* empty if the file is well formed */
};

/* Decodes file[0..len).  Returns 0, or -1 with view->problem set.  The view
 * points into `file`, which must outlive it; free with tv_free. */
int tv_read(struct tv_model *view, const uint8_t *file, size_t len);
void tv_free(struct tv_model *view);

/* The operator's code, read as max(deprecated_builtin_code, builtin_code). */
int tv_op_code(const struct tv_model *view, int op);

/* Little-endian reads of constant data. */
int32_t tv_le_i32(const uint8_t *p);

#endif
