/*
 * float_model.h — the float32 model of a calibrated graph: the same
 * operators and tensors as the int8 model (quantize.h), in the same order,
 * with float32 weights, biases and activations and no quantization — what
 * the TensorFlow Lite converter writes without optimizations.
 *
 *   weights   CONV_2D [out, kh, kw, in], DEPTHWISE_CONV_2D [1, kh, kw, C],
 *             FULLY_CONNECTED [out, in]: the graph's (normalized) floats.
 *   biases    float32, one per output channel.
 *   RESHAPE   keeps its int32 shape tensor.
 *
 * The float model's weights are those the int8 model was quantized from,
 * so the two are the same network at two precisions.
 */
#ifndef MCUSIM_MG_FLOAT_MODEL_H
#define MCUSIM_MG_FLOAT_MODEL_H

#include "graph.h"
#include "qmodel.h"

/* Fills m (initialized, empty) from g.  Returns 0, or -1 when out of
 * memory.  From a shapes-only graph the constant tensors get their sizes
 * but no data. */
int mg_float_model(const struct mg_graph *g, struct mg_qmodel *m);

#endif
