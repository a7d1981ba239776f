/*
 * model_ops.h — the TFLite operator each layer of a graph becomes: its
 * builtin code, version and options.  The int8 model (quantize.c) and the
 * float32 model (float_model.c) share them; only the versions differ, as
 * the converter sets them (int8 kernels came in later versions).
 */
#ifndef MCUSIM_MG_MODEL_OPS_H
#define MCUSIM_MG_MODEL_OPS_H

#include "graph.h"
#include "qmodel.h"
#include "spec.h"

/* Fills op's code, version and options for layer l (inputs and output are
 * the caller's). */
void mg_describe_op(const struct mg_graph *g, const struct mg_layer *l, enum mg_dtype dtype,
                    struct mg_qop *op);

#endif
