/*
 * forward.h — the float forward pass of a synthesized network.
 *
 * calibrate.c runs it to normalize layers and record activation ranges, and
 * the tests run it as the reference the int8 model is compared with.  The
 * kernels are plain loops in a fixed order using only +, -, *, / and
 * comparisons, compiled without floating-point contraction (see
 * meson.build), so every machine computes the same bits; only SOFTMAX calls
 * libm (expf), and its float output never reaches a model file (the int8
 * softmax output has the fixed scale 1/256).
 */
#ifndef MCUSIM_MG_FORWARD_H
#define MCUSIM_MG_FORWARD_H

#include "graph.h"

/* Runs one layer.  `in2` is the second input of ADD, else NULL.  With
 * skip_activation the fused activation is not applied (calibrate.c needs
 * the values before it). */
void mg_layer_forward(const struct mg_graph *g, const struct mg_layer *l, const float *in,
                      const float *in2, float *out, int skip_activation);

/* Runs the whole network on `input` (the input tensor's element count) and
 * writes the output tensor's values to `output`.  Returns 0, or -1 when out
 * of memory. */
int mg_forward(const struct mg_graph *g, const float *input, float *output);

/* Runs the whole network on `input`, calling visit() with every tensor's
 * values as soon as they are computed (the input first).  Returns 0, or -1
 * when out of memory. */
typedef void (*mg_visit_fn)(const struct mg_graph *g, int tensor, const float *values, void *ctx);
int mg_forward_each(const struct mg_graph *g, const float *input, mg_visit_fn visit, void *ctx);

/* Index, per tensor, of the last layer that reads it (-1 if none; the
 * output tensor counts as read by a layer past the end).  Caller frees. */
int *mg_last_uses(const struct mg_graph *g);

#endif
