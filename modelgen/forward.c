/*
 * forward.c — the network's forward pass (see forward.h): packing the
 * weights, running each layer with its kernel (fkernels.c for the
 * weighted ones; pooling, softmax and ADD here), and keeping only the
 * tensors a later layer still reads.
 */
#include "forward.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Max or average over the window's cells inside the input; like TFLite,
 * the average divides by the number of those cells. */
static void pool(const struct mg_shape *is, const struct mg_shape *os, const struct mg_layer *l,
                 const float *in, float *out)
{
    int ih = is->dim[1], iw = is->dim[2], ch = is->dim[3];
    int oh = os->dim[1], ow = os->dim[2];
    int pt = fk_pad_before(ih, oh, l->kh, l->stride_h, l->padding);
    int pl = fk_pad_before(iw, ow, l->kw, l->stride_w, l->padding);
    for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
            for (int c = 0; c < ch; c++) {
                double sum = 0;
                float best = -INFINITY;
                int count = 0;
                for (int ky = 0; ky < l->kh; ky++) {
                    int y = oy * l->stride_h - pt + ky;
                    if (y < 0 || y >= ih)
                        continue;
                    for (int kx = 0; kx < l->kw; kx++) {
                        int x = ox * l->stride_w - pl + kx;
                        if (x < 0 || x >= iw)
                            continue;
                        float v = in[((size_t)y * iw + x) * ch + c];
                        sum += v;
                        best = v > best ? v : best;
                        count++;
                    }
                }
                out[((size_t)oy * ow + ox) * ch + c] =
                    l->op == MG_OP_MAXPOOL ? best : (float)(sum / count);
            }
}

static void softmax(int n, const float *in, float *out)
{
    float mx = in[0];
    for (int i = 1; i < n; i++)
        mx = in[i] > mx ? in[i] : mx;
    double sum = 0;
    for (int i = 0; i < n; i++) {
        out[i] = expf(in[i] - mx);
        sum += out[i];
    }
    for (int i = 0; i < n; i++)
        out[i] = (float)(out[i] / sum);
}

int mg_pack(struct mg_packed *p, const struct mg_graph *g)
{
    memset(p, 0, sizeof *p);
    p->matrix = calloc((size_t)g->num_layers + 1, sizeof *p->matrix);
    p->depthwise = calloc((size_t)g->num_layers + 1, sizeof *p->depthwise);
    p->num_layers = g->num_layers;
    p->target = fk_best_target();
    if (!p->matrix || !p->depthwise) {
        mg_packed_free(p);
        return -1;
    }
    for (int i = 0; i < g->num_layers; i++)
        if (mg_repack_layer(p, g, i)) {
            mg_packed_free(p);
            return -1;
        }
    return 0;
}

int mg_repack_layer(struct mg_packed *p, const struct mg_graph *g, int layer)
{
    const struct mg_layer *l = &g->layers[layer];
    fk_matrix_free(&p->matrix[layer]);
    fk_depthwise_free(&p->depthwise[layer]);
    if (!l->weights)
        return 0;
    if (l->op == MG_OP_DWCONV2D)
        return fk_pack_depthwise(l, &p->depthwise[layer]);
    return fk_pack_matrix(g, l, &p->matrix[layer]);
}

void mg_packed_free(struct mg_packed *p)
{
    for (int i = 0; i < p->num_layers; i++) {
        if (p->matrix)
            fk_matrix_free(&p->matrix[i]);
        if (p->depthwise)
            fk_depthwise_free(&p->depthwise[i]);
    }
    free(p->matrix);
    free(p->depthwise);
    memset(p, 0, sizeof *p);
}

int mg_layer_forward(const struct mg_graph *g, const struct mg_packed *p, int layer,
                     const float *in, const float *in2, float *out, int skip_activation)
{
    const struct mg_layer *l = &g->layers[layer];
    const struct mg_shape *is = &g->tensors[l->input].shape;
    const struct mg_shape *os = &g->tensors[l->output].shape;
    enum mg_act act = skip_activation ? MG_ACT_NONE : l->act;
    size_t n = mg_shape_elems(os);
    switch (l->op) {
    case MG_OP_CONV2D:
        return fk_conv2d(p->target, is, os, l, &p->matrix[layer], in, out, act);
    case MG_OP_DWCONV2D:
        fk_depthwise(p->target, is, os, l, &p->depthwise[layer], in, out, act);
        break;
    case MG_OP_FULLY_CONNECTED:
        return fk_fully_connected(p->target, is->dim[1], l, &p->matrix[layer], in, out, act);
    case MG_OP_MAXPOOL:
    case MG_OP_AVGPOOL:
        pool(is, os, l, in, out);
        break;
    case MG_OP_RESHAPE:
        memcpy(out, in, n * sizeof *out);
        break;
    case MG_OP_SOFTMAX:
        softmax((int)n, in, out);
        break;
    case MG_OP_ADD:
        for (size_t i = 0; i < n; i++)
            out[i] = fk_activate(in[i] + in2[i], act);
        break;
    }
    return 0;
}

int *mg_last_uses(const struct mg_graph *g)
{
    int *last = malloc((size_t)g->num_tensors * sizeof *last);
    if (!last)
        return NULL;
    for (int t = 0; t < g->num_tensors; t++)
        last[t] = -1;
    for (int i = 0; i < g->num_layers; i++) {
        last[g->layers[i].input] = i;
        if (g->layers[i].input2 >= 0)
            last[g->layers[i].input2] = i;
    }
    last[g->output] = g->num_layers;
    return last;
}

int mg_forward_each(const struct mg_graph *g, const struct mg_packed *p, const float *input,
                    mg_visit_fn visit, void *ctx)
{
    float **act = calloc((size_t)g->num_tensors, sizeof *act);
    int *last = mg_last_uses(g);
    int rc = -1;
    if (!act || !last)
        goto done;
    size_t n_in = mg_shape_elems(&g->tensors[g->input].shape);
    if (!(act[g->input] = malloc(n_in * sizeof(float))))
        goto done;
    memcpy(act[g->input], input, n_in * sizeof(float));
    visit(g, g->input, act[g->input], ctx);
    for (int i = 0; i < g->num_layers; i++) {
        const struct mg_layer *l = &g->layers[i];
        act[l->output] = malloc(mg_shape_elems(&g->tensors[l->output].shape) * sizeof(float));
        if (!act[l->output] ||
            mg_layer_forward(g, p, i, act[l->input], l->input2 >= 0 ? act[l->input2] : NULL,
                             act[l->output], 0))
            goto done;
        visit(g, l->output, act[l->output], ctx);
        /* Free what no later layer reads. */
        for (int t = 0; t < g->num_tensors; t++)
            if (act[t] && last[t] <= i && t != l->output) {
                free(act[t]);
                act[t] = NULL;
            }
    }
    rc = 0;
done:
    if (act)
        for (int t = 0; t < g->num_tensors; t++)
            free(act[t]);
    free(act);
    free(last);
    return rc;
}

static void copy_output(const struct mg_graph *g, int tensor, const float *values, void *output)
{
    if (tensor == g->output)
        memcpy(output, values, mg_shape_elems(&g->tensors[tensor].shape) * sizeof(float));
}

int mg_forward(const struct mg_graph *g, const float *input, float *output)
{
    struct mg_packed p;
    if (mg_pack(&p, g))
        return -1;
    int rc = mg_forward_each(g, &p, input, copy_output, output);
    mg_packed_free(&p);
    return rc;
}
