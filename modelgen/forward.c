/*
 * forward.c — float reference kernels and the network's forward pass (see
 * forward.h).  Padding follows TensorFlow: SAME pads a total of
 * max((out - 1) * stride + k - in, 0) cells, the smaller half before.
 */
#include "forward.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int pad_before(int in, int out, int k, int stride, enum mg_padding pad)
{
    if (pad == MG_PAD_VALID)
        return 0;
    int total = (out - 1) * stride + k - in;
    return total > 0 ? total / 2 : 0;
}

static float activate(float x, enum mg_act act)
{
    if (act == MG_ACT_RELU || act == MG_ACT_RELU6)
        x = x > 0.0f ? x : 0.0f;
    if (act == MG_ACT_RELU6)
        x = x < 6.0f ? x : 6.0f;
    return x;
}

static void conv2d(const struct mg_shape *is, const struct mg_shape *os, const struct mg_layer *l,
                   const float *in, float *out, enum mg_act act)
{
    int ih = is->dim[1], iw = is->dim[2], ic = is->dim[3];
    int oh = os->dim[1], ow = os->dim[2], oc = os->dim[3];
    int pt = pad_before(ih, oh, l->kh, l->stride_h, l->padding);
    int pl = pad_before(iw, ow, l->kw, l->stride_w, l->padding);
    for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
            for (int c = 0; c < oc; c++) {
                double acc = l->bias[c];
                for (int ky = 0; ky < l->kh; ky++) {
                    int y = oy * l->stride_h - pt + ky;
                    if (y < 0 || y >= ih)
                        continue;
                    for (int kx = 0; kx < l->kw; kx++) {
                        int x = ox * l->stride_w - pl + kx;
                        if (x < 0 || x >= iw)
                            continue;
                        const float *px = in + ((size_t)y * iw + x) * ic;
                        const float *w = l->weights + (((size_t)c * l->kh + ky) * l->kw + kx) * ic;
                        for (int i = 0; i < ic; i++)
                            acc += (double)px[i] * w[i];
                    }
                }
                out[((size_t)oy * ow + ox) * oc + c] = activate((float)acc, act);
            }
}

static void dwconv2d(const struct mg_shape *is, const struct mg_shape *os,
                     const struct mg_layer *l, const float *in, float *out, enum mg_act act)
{
    int ih = is->dim[1], iw = is->dim[2], ch = is->dim[3];
    int oh = os->dim[1], ow = os->dim[2];
    int pt = pad_before(ih, oh, l->kh, l->stride_h, l->padding);
    int pl = pad_before(iw, ow, l->kw, l->stride_w, l->padding);
    for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
            for (int c = 0; c < ch; c++) {
                double acc = l->bias[c];
                for (int ky = 0; ky < l->kh; ky++) {
                    int y = oy * l->stride_h - pt + ky;
                    if (y < 0 || y >= ih)
                        continue;
                    for (int kx = 0; kx < l->kw; kx++) {
                        int x = ox * l->stride_w - pl + kx;
                        if (x < 0 || x >= iw)
                            continue;
                        acc += (double)in[((size_t)y * iw + x) * ch + c] *
                               l->weights[((size_t)ky * l->kw + kx) * ch + c];
                    }
                }
                out[((size_t)oy * ow + ox) * ch + c] = activate((float)acc, act);
            }
}

static void fully_connected(int n_in, const struct mg_layer *l, const float *in, float *out,
                            enum mg_act act)
{
    for (int o = 0; o < l->out_channels; o++) {
        double acc = l->bias[o];
        const float *w = l->weights + (size_t)o * n_in;
        for (int i = 0; i < n_in; i++)
            acc += (double)in[i] * w[i];
        out[o] = activate((float)acc, act);
    }
}

/* Max or average over the window's cells inside the input; like TFLite,
 * the average divides by the number of those cells. */
static void pool(const struct mg_shape *is, const struct mg_shape *os, const struct mg_layer *l,
                 const float *in, float *out)
{
    int ih = is->dim[1], iw = is->dim[2], ch = is->dim[3];
    int oh = os->dim[1], ow = os->dim[2];
    int pt = pad_before(ih, oh, l->kh, l->stride_h, l->padding);
    int pl = pad_before(iw, ow, l->kw, l->stride_w, l->padding);
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

void mg_layer_forward(const struct mg_graph *g, const struct mg_layer *l, const float *in,
                      const float *in2, float *out, int skip_activation)
{
    const struct mg_shape *is = &g->tensors[l->input].shape;
    const struct mg_shape *os = &g->tensors[l->output].shape;
    enum mg_act act = skip_activation ? MG_ACT_NONE : l->act;
    size_t n = mg_shape_elems(os);
    switch (l->op) {
    case MG_OP_CONV2D:
        conv2d(is, os, l, in, out, act);
        break;
    case MG_OP_DWCONV2D:
        dwconv2d(is, os, l, in, out, act);
        break;
    case MG_OP_FULLY_CONNECTED:
        fully_connected(is->dim[1], l, in, out, act);
        break;
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
            out[i] = activate(in[i] + in2[i], act);
        break;
    }
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

int mg_forward_each(const struct mg_graph *g, const float *input, mg_visit_fn visit, void *ctx)
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
        if (!act[l->output])
            goto done;
        mg_layer_forward(g, l, act[l->input], l->input2 >= 0 ? act[l->input2] : NULL,
                         act[l->output], 0);
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
    return mg_forward_each(g, input, copy_output, output);
}
