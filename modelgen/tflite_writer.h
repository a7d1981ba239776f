/*
 * tflite_writer.h — serializes a model description (qmodel.h), int8 or
 * float32, into a TensorFlow Lite flatbuffer, schema version 3, the way
 * current converters lay it out:
 *
 *   - Model: version 3, operator_codes, one subgraph ("main"), description,
 *     buffers.  Buffer 0 is the empty sentinel; each constant tensor gets
 *     its own buffer whose data is aligned to 16 bytes in the file;
 *     activations use buffer 0.
 *   - OperatorCode: deprecated_builtin_code (the byte older readers use)
 *     and builtin_code (int32) both set, plus the operator version; one code
 *     per distinct (operator, version), in order of first use.
 *   - Tensor: shape, type, buffer, name, quantization (scale, zero_point,
 *     quantized_dimension) when the tensor has any; float32, the schema's
 *     default type, is left out as converters leave it out.
 *   - Operator: opcode_index, inputs, outputs and the builtin options table
 *     of its kind (Conv2D, DepthwiseConv2D, Pool2D, FullyConnected, Softmax,
 *     Reshape, Add).
 */
#ifndef MCUSIM_MG_TFLITE_WRITER_H
#define MCUSIM_MG_TFLITE_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "qmodel.h"

/* On success returns 0 and *out (malloc'ed, caller frees) holds *out_len
 * bytes; on failure returns -1 with a message in err. */
int mg_write_tflite(const struct mg_qmodel *m, uint8_t **out, size_t *out_len, char *err,
                    size_t errlen);

/* The size mg_write_tflite would give, without holding the constant data:
 * m's constant tensors need only their data_bytes (data may be NULL). */
int mg_tflite_size(const struct mg_qmodel *m, size_t *len, char *err, size_t errlen);

#endif
