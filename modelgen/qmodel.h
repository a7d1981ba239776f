/*
 * qmodel.h — a model as the TFLite file will hold it: tensors with their
 * type, quantization and constant bytes, operators with their options.
 *
 * quantize.c makes an int8 one from a calibrated float graph, float_model.c
 * a float32 one; tflite_writer.c serializes either.  Keeping this in between means the writer can be tested on
 * hand-made models and knows nothing of how the numbers were chosen.
 */
#ifndef MCUSIM_MG_QMODEL_H
#define MCUSIM_MG_QMODEL_H

#include <stddef.h>
#include <stdint.h>

#ifndef MG_DESCRIPTION_LEN
#define MG_DESCRIPTION_LEN 320
#endif
#define MG_QNAME_LEN 80
#define MG_QMAX_INPUTS 24   /* UNIDIRECTIONAL_SEQUENCE_LSTM has 24 */
#define MG_QMAX_OUTPUTS 8
#define MG_QMAX_FIELDS 8
#define MG_QMAX_FIELD_INTS 8

/* One field of an options table that tflite_writer.c has no dedicated
 * code for: single-operator models (opmodel.c) describe any operator's
 * options this way. */
enum mg_qfield_kind { MG_QFIELD_U8, MG_QFIELD_I32, MG_QFIELD_F32, MG_QFIELD_I32_VECTOR };

struct mg_qfield {
    int id;              /* the field's id in its options table */
    enum mg_qfield_kind kind;
    int32_t value;       /* U8, I32; also the default to leave out (0 for vectors) */
    int32_t def;         /* the schema's default: a field equal to it is not written */
    float f;             /* F32 */
    int count;           /* I32_VECTOR */
    int32_t ints[MG_QMAX_FIELD_INTS];
};

struct mg_qtensor {
    char name[MG_QNAME_LEN];
    uint8_t type; /* enum tflite_tensor_type */
    int rank;
    int32_t dims[4];
    /* Constant contents, little-endian; NULL for activations.  A model
     * made for sizing only (quantize.h) has data_bytes without data. */
    uint8_t *data;
    size_t data_bytes;
    /* Quantization: num_scales = 0 for none, 1 per-tensor, else per-channel
     * along quantized_dimension. */
    int num_scales;
    float *scales;
    int64_t *zero_points;
    int32_t quantized_dimension;
};

struct mg_qop {
    int32_t builtin_op; /* enum tflite_builtin_op */
    int32_t version;    /* operator version, as the converter sets it */
    int num_inputs;
    int32_t inputs[MG_QMAX_INPUTS];
    int32_t output;
    /* Further outputs (SPLIT, UNPACK, ...), after `output`. */
    int num_extra_outputs;
    int32_t extra_outputs[MG_QMAX_OUTPUTS - 1];
    /* Options; which ones are written depends on builtin_op. */
    uint8_t padding;    /* enum tflite_padding */
    uint8_t activation; /* enum tflite_activation */
    int32_t stride_w, stride_h;
    int32_t filter_w, filter_h; /* pools */
    int32_t depth_multiplier;
    float beta;         /* softmax */
    int new_shape_rank; /* reshape */
    int32_t new_shape[4];
    /* Any other operator: its options table as a list of fields, written
     * when options_type is not TFLITE_OPTIONS_NONE. */
    uint8_t options_type;
    int num_fields;
    struct mg_qfield fields[MG_QMAX_FIELDS];
};

struct mg_qmodel {
    struct mg_qtensor *tensors;
    int num_tensors, cap_tensors;
    struct mg_qop *ops;
    int num_ops, cap_ops;
    int input, output;
    char description[MG_DESCRIPTION_LEN]; /* Model.description */
};

void mg_qmodel_init(struct mg_qmodel *m);
void mg_qmodel_free(struct mg_qmodel *m);
/* Appends a zeroed tensor / op; returns its index, or -1 when out of memory. */
int mg_qmodel_add_tensor(struct mg_qmodel *m);
int mg_qmodel_add_op(struct mg_qmodel *m);
/* Gives tensor t its quantization: n scales and zero points.  0 or -1. */
int mg_qtensor_set_quant(struct mg_qtensor *t, int n, const float *scales,
                         const int64_t *zero_points, int32_t quantized_dimension);

#endif
