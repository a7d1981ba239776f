/*
 * quantize.c — the float graph to int8 model step (see quantize.h for the
 * rules).  Tensors are laid out in the order the converter tends to use:
 * the input first, then for each operator its constant inputs followed by
 * its output.
 */
#include "quantize.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runtime/tflite_schema.h"
#include "model_ops.h"

#define QMIN (-128)
#define QMAX 127
#define WEIGHT_QMAX 127

void mg_activation_quant(double rmin, double rmax, float *scale, int *zero_point)
{
    if (rmin > 0)
        rmin = 0;
    if (rmax < 0)
        rmax = 0;
    if (rmax - rmin < 1e-6) /* a tensor that is always 0: any scale will do */
        rmax = rmin + 1.0;
    double s = (rmax - rmin) / (QMAX - QMIN);
    /* Of the zero points that map rmin to QMIN and rmax to QMAX, take the
     * one computed with the smaller rounding error, then nudge it into the
     * int8 range. */
    double from_min = QMIN - rmin / s, from_max = QMAX - rmax / s;
    double err_min = fabs((double)QMIN) + fabs(rmin / s);
    double err_max = fabs((double)QMAX) + fabs(rmax / s);
    double z = err_min < err_max ? from_min : from_max;
    *zero_point = z < QMIN ? QMIN : z > QMAX ? QMAX : (int)round(z);
    *scale = (float)s;
}

static void put_i32(uint8_t *p, int32_t v)
{
    uint32_t u = (uint32_t)v;
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(u >> (8 * i));
}

struct qctx {
    const struct mg_graph *g;
    struct mg_qmodel *m;
    int *map; /* graph tensor -> model tensor */
};

static struct mg_qtensor *new_tensor(struct qctx *q, int *index, const char *name,
                                     const char *suffix, uint8_t type, int rank,
                                     const int32_t *dims)
{
    int t = mg_qmodel_add_tensor(q->m);
    if (t < 0)
        return NULL;
    struct mg_qtensor *qt = &q->m->tensors[t];
    snprintf(qt->name, sizeof qt->name, "%s%s", name, suffix);
    qt->type = type;
    qt->rank = rank;
    memcpy(qt->dims, dims, (size_t)rank * sizeof *dims);
    *index = t;
    return qt;
}

/* An activation tensor of the graph, with its quantization. */
static int add_activation(struct qctx *q, int gt, float scale, int zero_point)
{
    const struct mg_tensor *t = &q->g->tensors[gt];
    int index;
    struct mg_qtensor *qt = new_tensor(q, &index, t->name, "", TFLITE_TYPE_INT8, t->shape.rank,
                                       t->shape.dim);
    int64_t zp = zero_point;
    if (!qt || mg_qtensor_set_quant(qt, 1, &scale, &zp, 0))
        return -1;
    q->map[gt] = index;
    return index;
}

static int add_calibrated_activation(struct qctx *q, int gt)
{
    float scale;
    int zp;
    mg_activation_quant(q->g->tensors[gt].min, q->g->tensors[gt].max, &scale, &zp);
    return add_activation(q, gt, scale, zp);
}

/* Symmetric int8 weights (per channel, or per tensor when per_channel is 0)
 * and their int32 bias.  Adds both tensors; returns 0 or -1. */
static int add_weights_and_bias(struct qctx *q, const struct mg_layer *l, int per_channel,
                                int *w_index, int *b_index)
{
    const struct mg_qtensor *in = &q->m->tensors[q->map[l->input]];
    double in_scale = in->scales[0];
    int ch = l->out_channels;
    int nscales = per_channel ? ch : 1;
    float *w_scale = malloc((size_t)nscales * sizeof *w_scale);
    float *b_scale = malloc((size_t)nscales * sizeof *b_scale);
    int64_t *zeros = calloc((size_t)nscales, sizeof *zeros);
    double *maxabs = calloc((size_t)nscales, sizeof *maxabs);
    int rc = -1;
    if (!w_scale || !b_scale || !zeros || !maxabs)
        goto done;

    /* A shapes-only graph has no weights: every scale is 1, and the
     * tensors get their sizes but no data. */
    size_t per = l->num_weights / (size_t)ch;
    for (size_t i = 0; l->weights && i < l->num_weights; i++) {
        int c = !per_channel ? 0
                : l->op == MG_OP_DWCONV2D ? (int)(i % (size_t)ch)
                                          : (int)(i / per);
        double a = fabs((double)l->weights[i]);
        maxabs[c] = a > maxabs[c] ? a : maxabs[c];
    }
    for (int c = 0; c < nscales; c++) {
        w_scale[c] = maxabs[c] > 0 ? (float)(maxabs[c] / WEIGHT_QMAX) : 1.0f;
        b_scale[c] = (float)(in_scale * (double)w_scale[c]);
    }

    int32_t wdims[4];
    int wrank, qdim;
    const struct mg_shape *is = &q->g->tensors[l->input].shape;
    if (l->op == MG_OP_CONV2D) {
        wrank = 4, qdim = 0;
        wdims[0] = ch, wdims[1] = l->kh, wdims[2] = l->kw, wdims[3] = is->dim[3];
    } else if (l->op == MG_OP_DWCONV2D) {
        wrank = 4, qdim = 3;
        wdims[0] = 1, wdims[1] = l->kh, wdims[2] = l->kw, wdims[3] = ch;
    } else {
        wrank = 2, qdim = 0;
        wdims[0] = ch, wdims[1] = is->dim[1];
    }
    struct mg_qtensor *wt = new_tensor(q, w_index, l->name, "/weights", TFLITE_TYPE_INT8, wrank,
                                       wdims);
    if (!wt || (l->weights && !(wt->data = malloc(l->num_weights))) ||
        mg_qtensor_set_quant(wt, nscales, w_scale, zeros, qdim))
        goto done;
    wt->data_bytes = l->num_weights;
    for (size_t i = 0; l->weights && i < l->num_weights; i++) {
        int c = !per_channel ? 0
                : l->op == MG_OP_DWCONV2D ? (int)(i % (size_t)ch)
                                          : (int)(i / per);
        double v = round((double)l->weights[i] / w_scale[c]);
        v = v < -WEIGHT_QMAX ? -WEIGHT_QMAX : v > WEIGHT_QMAX ? WEIGHT_QMAX : v;
        wt->data[i] = (uint8_t)(int8_t)v;
    }

    int32_t bdims[1] = {ch};
    struct mg_qtensor *bt = new_tensor(q, b_index, l->name, "/bias", TFLITE_TYPE_INT32, 1, bdims);
    if (!bt || (l->weights && !(bt->data = malloc((size_t)ch * 4))) ||
        mg_qtensor_set_quant(bt, nscales, b_scale, zeros, 0))
        goto done;
    bt->data_bytes = (size_t)ch * 4;
    for (int c = 0; l->weights && c < ch; c++) {
        double v = round((double)l->bias[c] / b_scale[per_channel ? c : 0]);
        v = v < INT32_MIN ? INT32_MIN : v > INT32_MAX ? INT32_MAX : v;
        put_i32(bt->data + 4 * c, (int32_t)v);
    }
    rc = 0;
done:
    free(w_scale);
    free(b_scale);
    free(zeros);
    free(maxabs);
    return rc;
}

static int add_shape_tensor(struct qctx *q, const struct mg_layer *l, int *index)
{
    const struct mg_shape *os = &q->g->tensors[l->output].shape;
    int32_t dims[1] = {os->rank};
    struct mg_qtensor *st = new_tensor(q, index, l->name, "/shape", TFLITE_TYPE_INT32, 1, dims);
    if (!st || !(st->data = malloc((size_t)os->rank * 4)))
        return -1;
    st->data_bytes = (size_t)os->rank * 4;
    for (int i = 0; i < os->rank; i++)
        put_i32(st->data + 4 * i, os->dim[i]);
    return 0;
}

static int quantize_layer(struct qctx *q, const struct mg_layer *l)
{
    int w = -1, b = -1, shape = -1, out;
    /* Copied, not pointed to: adding tensors may move the array. */
    float in_scale = q->m->tensors[q->map[l->input]].scales[0];
    int in_zp = (int)q->m->tensors[q->map[l->input]].zero_points[0];
    switch (l->op) {
    case MG_OP_CONV2D:
    case MG_OP_DWCONV2D:
    case MG_OP_FULLY_CONNECTED:
        if (add_weights_and_bias(q, l, l->op != MG_OP_FULLY_CONNECTED, &w, &b))
            return -1;
        out = add_calibrated_activation(q, l->output);
        break;
    case MG_OP_MAXPOOL:
    case MG_OP_AVGPOOL:
        out = add_activation(q, l->output, in_scale, in_zp);
        break;
    case MG_OP_RESHAPE:
        if (add_shape_tensor(q, l, &shape))
            return -1;
        out = add_activation(q, l->output, in_scale, in_zp);
        break;
    case MG_OP_SOFTMAX:
        out = add_activation(q, l->output, 1.0f / 256.0f, -128);
        break;
    case MG_OP_ADD:
        out = add_calibrated_activation(q, l->output);
        break;
    default:
        return -1;
    }
    int oi = mg_qmodel_add_op(q->m);
    if (out < 0 || oi < 0)
        return -1;
    struct mg_qop *op = &q->m->ops[oi];
    mg_describe_op(q->g, l, MG_DTYPE_INT8, op);
    op->output = out;
    op->inputs[op->num_inputs++] = q->map[l->input];
    if (l->op == MG_OP_RESHAPE)
        op->inputs[op->num_inputs++] = shape;
    if (l->op == MG_OP_ADD)
        op->inputs[op->num_inputs++] = q->map[l->input2];
    if (w >= 0) {
        op->inputs[op->num_inputs++] = w;
        op->inputs[op->num_inputs++] = b;
    }
    return 0;
}

int mg_quantize(const struct mg_graph *g, struct mg_qmodel *m)
{
    struct qctx q = {g, m, malloc((size_t)g->num_tensors * sizeof(int))};
    int rc = -1;
    if (!q.map)
        return -1;
    for (int t = 0; t < g->num_tensors; t++)
        q.map[t] = -1;
    snprintf(m->description, sizeof m->description, "%s", g->description);
    m->input = add_calibrated_activation(&q, g->input);
    if (m->input < 0)
        goto done;
    for (int i = 0; i < g->num_layers; i++)
        if (quantize_layer(&q, &g->layers[i]))
            goto done;
    m->output = q.map[g->output];
    rc = 0;
done:
    free(q.map);
    return rc;
}
