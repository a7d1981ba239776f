/*
 * quantize.h — post-training int8 quantization of a calibrated float graph,
 * with the choices the TensorFlow Lite converter makes:
 *
 *   activations   int8, asymmetric, per tensor: the calibrated [min, max]
 *                 widened to include 0, scale = (max - min) / 255, zero
 *                 point nudged to an integer in [-128, 127].  A fused ReLU
 *                 is already in the calibrated range (min >= 0).
 *   pass-through  MAX_POOL_2D, AVERAGE_POOL_2D and RESHAPE outputs share
 *                 their input's scale and zero point, as TFLite's int8
 *                 kernels require.
 *   softmax       output scale 1/256, zero point -128.
 *   weights       int8, symmetric (zero point 0), in [-127, 127]:
 *                 per output channel for CONV_2D (quantized_dimension 0,
 *                 shape [out, kh, kw, in]) and DEPTHWISE_CONV_2D
 *                 (quantized_dimension 3, shape [1, kh, kw, channels]),
 *                 per tensor for FULLY_CONNECTED; scale = max|w| / 127.
 *   biases        int32, zero point 0, scale = input scale * weight scale
 *                 (per channel where the weights are).
 *
 * Scales are computed in double and stored as float; quantized values use
 * round-half-away-from-zero.  Only IEEE 754 basic arithmetic, fabs and
 * round — all exactly defined — decide the bytes, so every machine writes
 * the same file.
 */
#ifndef MCUSIM_MG_QUANTIZE_H
#define MCUSIM_MG_QUANTIZE_H

#include "graph.h"
#include "qmodel.h"

/* Asymmetric int8 parameters for a real range, as the converter nudges them. */
void mg_activation_quant(double rmin, double rmax, float *scale, int *zero_point);

/* Fills m (initialized, empty) from the calibrated graph g.  Returns 0, or
 * -1 when out of memory.  From a shapes-only graph (graph.h) the constant
 * tensors get their sizes but no data, and every scale is 1. */
int mg_quantize(const struct mg_graph *g, struct mg_qmodel *m);

#endif
