/*
 * forward.h — the float forward pass of a synthesized network.
 *
 * calibrate.c runs it to normalize layers and record activation ranges, and
 * the tests run it as the reference the int8 model is compared with.  The
 * arithmetic is defined by plain loops in a fixed order using only +, -, *,
 * / and comparisons (fkernels.h says exactly which), compiled without
 * floating-point contraction (see meson.build), so every machine computes
 * the same bits; only SOFTMAX calls libm (expf), and its float output never
 * reaches a model file (the int8 softmax output has the fixed scale 1/256).
 *
 * The convolution and dense kernels read their weights packed (fkernels.h);
 * a struct mg_packed holds them for a whole graph, so that repeated passes
 * pack once.  Whoever changes a layer's weights repacks it.
 */
#ifndef MCUSIM_MG_FORWARD_H
#define MCUSIM_MG_FORWARD_H

#include "fkernels.h"
#include "graph.h"

struct mg_packed {
    struct fk_matrix *matrix;       /* per layer: CONV_2D, FULLY_CONNECTED */
    struct fk_depthwise *depthwise; /* per layer: DEPTHWISE_CONV_2D */
    int num_layers;
    enum fk_target target;          /* the kernels' build; mg_pack picks the best */
};

/* Packs every weighted layer of g.  Returns 0, or -1 when out of memory. */
int mg_pack(struct mg_packed *p, const struct mg_graph *g);
/* Packs layer `layer` again after its weights changed.  0 or -1. */
int mg_repack_layer(struct mg_packed *p, const struct mg_graph *g, int layer);
void mg_packed_free(struct mg_packed *p);

/* Runs layer number `layer`.  `in2` is the second input of ADD, else NULL.
 * With skip_activation the fused activation is not applied (calibrate.c
 * needs the values before it).  Returns 0, or -1 when out of memory. */
int mg_layer_forward(const struct mg_graph *g, const struct mg_packed *p, int layer,
                     const float *in, const float *in2, float *out, int skip_activation);

/* Runs the whole network on `input` (the input tensor's element count) and
 * writes the output tensor's values to `output`.  Returns 0, or -1 when out
 * of memory. */
int mg_forward(const struct mg_graph *g, const float *input, float *output);

/* Runs the whole network on `input` with the packed weights p, calling
 * visit() with every tensor's values as soon as they are computed (the
 * input first).  Returns 0, or -1 when out of memory. */
typedef void (*mg_visit_fn)(const struct mg_graph *g, int tensor, const float *values, void *ctx);
int mg_forward_each(const struct mg_graph *g, const struct mg_packed *p, const float *input,
                    mg_visit_fn visit, void *ctx);

/* Index, per tensor, of the last layer that reads it (-1 if none; the
 * output tensor counts as read by a layer past the end).  Caller frees. */
int *mg_last_uses(const struct mg_graph *g);

#endif
