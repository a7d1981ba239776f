/*
 * opmodel.h — single-operator models: "op:NAME[,key=value...]" specs that
 * give a .tflite with one operator of chosen shapes, type, quantization and
 * options, with deterministic pseudo-random constants (weights, biases, the
 * second operand of binary operators).  They exist to compare the runtime's
 * kernels with TFLite Micro's operator by operator, so they skip the float
 * network and calibration of the architecture specs: scales and zero points
 * are drawn from the seed and the output scale is chosen from the inputs'
 * so that typical outputs neither saturate nor collapse to a few values.
 *
 * The model has exactly one graph input (input 0 of the operator; every
 * other input is a constant) and one graph output (output `out` of the
 * operator, 0 unless given), as the host oracles expect.
 *
 * Keys (every one optional; `mcusim model build --list` shows them):
 *   in=DxDxD     shape of input 0 (rank 1 to 4), default 1x5x7x3
 *   in2=DxDxD    shape of the second operand of binary operators (broadcast)
 *   dtype=int8|int16|float32
 *   act=none|relu|relu6|relu_n1_to_1   fused activation
 *   quant=tensor|channel               weights of convolutions and FC
 *   units=N      output channels (CONV_2D, FULLY_CONNECTED, TRANSPOSE_CONV)
 *   k=HxW stride=N pad=same|valid dm=N  window, stride, padding, depth multiplier
 *   axis=A[xA...] keep=0|1 n=N out=N perm=DxD... shape=DxD... alpha=F
 *   begin=... end=... strides=... masks=BxExS (begin, end, shrink masks)
 */
#ifndef MCUSIM_MG_OPMODEL_H
#define MCUSIM_MG_OPMODEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "qmodel.h"

#define MG_OP_SPEC_PREFIX "op:"

/* Whether spec names a single-operator model. */
int mg_is_op_spec(const char *spec);

/* Builds the model for an "op:" spec; returns 0, or -1 with a one-line
 * message in err.  canonical (may be NULL) receives the spec as given. */
int mg_op_model(const char *spec, uint64_t seed, struct mg_qmodel *m, char *err, size_t errlen);

/* Prints the operators and keys single-operator specs accept. */
void mg_op_list(FILE *out);

#endif
