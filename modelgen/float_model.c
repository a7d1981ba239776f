/*
 * float_model.c — a graph to a float32 model description (see
 * float_model.h).  Tensors come in quantize.c's order: the input, then for
 * each operator its constant inputs followed by its output.
 */
#include "float_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runtime/tflite_schema.h"
#include "model_ops.h"

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* A tensor of the model; with `values` (n of them) a constant holding
 * them, little-endian.  Returns its index or -1. */
static int add_tensor(struct mg_qmodel *m, const char *name, const char *suffix, uint8_t type,
                      int rank, const int32_t *dims, const void *values, size_t n)
{
    int t = mg_qmodel_add_tensor(m);
    if (t < 0)
        return -1;
    struct mg_qtensor *qt = &m->tensors[t];
    snprintf(qt->name, sizeof qt->name, "%s%s", name, suffix);
    qt->type = type;
    qt->rank = rank;
    memcpy(qt->dims, dims, (size_t)rank * sizeof *dims);
    qt->data_bytes = n * 4;
    if (values && n) {
        if (!(qt->data = malloc(n * 4)))
            return -1;
        for (size_t i = 0; i < n; i++) {
            uint32_t bits;
            memcpy(&bits, (const uint8_t *)values + 4 * i, 4);
            put_u32(qt->data + 4 * i, bits);
        }
    }
    return t;
}

static int add_activation(struct mg_qmodel *m, const struct mg_tensor *t)
{
    return add_tensor(m, t->name, "", TFLITE_TYPE_FLOAT32, t->shape.rank, t->shape.dim, NULL, 0);
}

static int float_layer(const struct mg_graph *g, struct mg_qmodel *m, const int *map,
                       const struct mg_layer *l, int *out_index)
{
    int consts[2] = {-1, -1}, nconst = 0;
    const struct mg_shape *is = &g->tensors[l->input].shape;
    if (l->num_weights) {
        int32_t dims[4], rank;
        if (l->op == MG_OP_CONV2D) {
            rank = 4;
            dims[0] = l->out_channels, dims[1] = l->kh, dims[2] = l->kw, dims[3] = is->dim[3];
        } else if (l->op == MG_OP_DWCONV2D) {
            rank = 4;
            dims[0] = 1, dims[1] = l->kh, dims[2] = l->kw, dims[3] = l->out_channels;
        } else {
            rank = 2;
            dims[0] = l->out_channels, dims[1] = is->dim[1];
        }
        int32_t bdims[1] = {l->out_channels};
        consts[nconst++] = add_tensor(m, l->name, "/weights", TFLITE_TYPE_FLOAT32, rank, dims,
                                      l->weights, l->num_weights);
        consts[nconst++] = add_tensor(m, l->name, "/bias", TFLITE_TYPE_FLOAT32, 1, bdims, l->bias,
                                      (size_t)l->out_channels);
    } else if (l->op == MG_OP_RESHAPE) {
        const struct mg_shape *os = &g->tensors[l->output].shape;
        int32_t dims[1] = {os->rank};
        consts[nconst++] = add_tensor(m, l->name, "/shape", TFLITE_TYPE_INT32, 1, dims, os->dim,
                                      (size_t)os->rank);
    }
    for (int i = 0; i < nconst; i++)
        if (consts[i] < 0)
            return -1;
    int out = add_activation(m, &g->tensors[l->output]);
    int oi = mg_qmodel_add_op(m);
    if (out < 0 || oi < 0)
        return -1;
    struct mg_qop *op = &m->ops[oi];
    mg_describe_op(g, l, MG_DTYPE_FLOAT32, op);
    op->output = out;
    op->inputs[op->num_inputs++] = map[l->input];
    if (l->op == MG_OP_ADD)
        op->inputs[op->num_inputs++] = map[l->input2];
    for (int i = 0; i < nconst; i++)
        op->inputs[op->num_inputs++] = consts[i];
    *out_index = out;
    return 0;
}

int mg_float_model(const struct mg_graph *g, struct mg_qmodel *m)
{
    int *map = malloc((size_t)g->num_tensors * sizeof *map);
    int rc = -1;
    if (!map)
        return -1;
    for (int t = 0; t < g->num_tensors; t++)
        map[t] = -1;
    snprintf(m->description, sizeof m->description, "%s", g->description);
    m->input = map[g->input] = add_activation(m, &g->tensors[g->input]);
    if (m->input < 0)
        goto done;
    for (int i = 0; i < g->num_layers; i++)
        if (float_layer(g, m, map, &g->layers[i], &map[g->layers[i].output]))
            goto done;
    m->output = map[g->output];
    rc = 0;
done:
    free(map);
    return rc;
}
