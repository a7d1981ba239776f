/*
 * graph.c — building the float network: shapes and weight initialization
 * (see graph.h).  How large a network may be is decided before it is built,
 * from its shapes alone (modelgen.c); here only what a TFLite file cannot
 * express at all is refused.
 */
#include "graph.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* TFLite tensor dimensions are int32, and so are its operator lists. */
#define MG_MAX_TENSOR_ELEMS 0x7fffffffu
#define MG_MAX_LAYERS 512

void mg_graph_init(struct mg_graph *g, uint64_t seed)
{
    memset(g, 0, sizeof *g);
    g->seed = seed;
    g->input = g->output = -1;
    mg_rng_seed(&g->rng, seed, 1);
}

void mg_graph_free(struct mg_graph *g)
{
    for (int i = 0; i < g->num_layers; i++) {
        free(g->layers[i].weights);
        free(g->layers[i].bias);
        free(g->layers[i].gamma);
        free(g->layers[i].beta);
    }
    free(g->layers);
    free(g->tensors);
    memset(g, 0, sizeof *g);
}

void mg_graph_fail(struct mg_graph *g, const char *fmt, ...)
{
    if (g->error)
        return; /* keep the first problem: later ones follow from it */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->errmsg, sizeof g->errmsg, fmt, ap);
    va_end(ap);
    g->error = 1;
}

size_t mg_shape_elems(const struct mg_shape *s)
{
    size_t n = 1;
    for (int i = 0; i < s->rank; i++)
        n *= (size_t)s->dim[i];
    return n;
}

uint64_t mg_layer_params(const struct mg_layer *l)
{
    return l->num_weights ? l->num_weights + (uint64_t)l->out_channels : 0;
}

uint64_t mg_layer_macs(const struct mg_graph *g, const struct mg_layer *l)
{
    const struct mg_shape *out = &g->tensors[l->output].shape;
    const struct mg_shape *in = &g->tensors[l->input].shape;
    switch (l->op) {
    case MG_OP_CONV2D:
        return (uint64_t)out->dim[1] * out->dim[2] * out->dim[3] * l->kh * l->kw * in->dim[3];
    case MG_OP_DWCONV2D:
        return (uint64_t)out->dim[1] * out->dim[2] * out->dim[3] * l->kh * l->kw;
    case MG_OP_FULLY_CONNECTED:
        return (uint64_t)l->num_weights;
    default:
        return 0;
    }
}

static int add_tensor(struct mg_graph *g, const char *name, const struct mg_shape *shape)
{
    if (g->error)
        return -1;
    for (int i = 0; i < shape->rank; i++)
        if (shape->dim[i] < 1) {
            mg_graph_fail(g, "layer '%s' would have an empty output (input too small)", name);
            return -1;
        }
    if (mg_shape_elems(shape) > MG_MAX_TENSOR_ELEMS) {
        mg_graph_fail(g, "layer '%s' output has %zu values, more than a TFLite tensor holds",
                      name, mg_shape_elems(shape));
        return -1;
    }
    if (g->num_tensors == g->cap_tensors) {
        int n = g->cap_tensors ? 2 * g->cap_tensors : 32;
        struct mg_tensor *nt = realloc(g->tensors, (size_t)n * sizeof *nt);
        if (!nt) {
            mg_graph_fail(g, "out of memory");
            return -1;
        }
        g->tensors = nt;
        g->cap_tensors = n;
    }
    struct mg_tensor *t = &g->tensors[g->num_tensors];
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", name);
    t->shape = *shape;
    return g->num_tensors++;
}

/* Appends a layer; the caller fills in the rest and calls finish_layer(). */
static struct mg_layer *new_layer(struct mg_graph *g, enum mg_op op, const char *name, int in)
{
    if (g->error)
        return NULL;
    if (in < 0 || in >= g->num_tensors) {
        mg_graph_fail(g, "layer '%s' has no input", name);
        return NULL;
    }
    if (g->num_layers >= MG_MAX_LAYERS) {
        mg_graph_fail(g, "more than %d layers", MG_MAX_LAYERS);
        return NULL;
    }
    if (g->num_layers == g->cap_layers) {
        int n = g->cap_layers ? 2 * g->cap_layers : 32;
        struct mg_layer *nl = realloc(g->layers, (size_t)n * sizeof *nl);
        if (!nl) {
            mg_graph_fail(g, "out of memory");
            return NULL;
        }
        g->layers = nl;
        g->cap_layers = n;
    }
    struct mg_layer *l = &g->layers[g->num_layers];
    memset(l, 0, sizeof *l);
    l->op = op;
    snprintf(l->name, sizeof l->name, "%s", name);
    l->input = in;
    l->input2 = -1;
    l->output = -1;
    l->stride_h = l->stride_w = 1;
    return l;
}

/* Draws the layer's initial weights and its batch-norm targets.  Layers
 * followed by a ReLU get He-uniform weights, limit sqrt(6 / fan_in); the
 * others Glorot-uniform, limit sqrt(6 / (fan_in + fan_out)).  sqrt is exactly
 * rounded in IEEE 754, so the limits are the same everywhere. */
static void init_params(struct mg_graph *g, struct mg_layer *l, size_t num_weights, int fan_in,
                        int fan_out)
{
    if (num_weights > MG_MAX_TENSOR_ELEMS) {
        mg_graph_fail(g, "layer '%s' has %zu weights, more than a TFLite tensor holds", l->name,
                      num_weights);
        return;
    }
    l->num_weights = num_weights;
    if (g->shapes_only)
        return;
    l->weights = malloc(num_weights * sizeof *l->weights);
    l->bias = calloc((size_t)l->out_channels, sizeof *l->bias);
    l->gamma = malloc((size_t)l->out_channels * sizeof *l->gamma);
    l->beta = malloc((size_t)l->out_channels * sizeof *l->beta);
    if (!l->weights || !l->bias || !l->gamma || !l->beta) {
        mg_graph_fail(g, "out of memory");
        return;
    }
    double limit = l->act != MG_ACT_NONE ? sqrt(6.0 / fan_in) : sqrt(6.0 / (fan_in + fan_out));
    for (size_t i = 0; i < num_weights; i++)
        l->weights[i] = (float)mg_rng_uniform(&g->rng, -limit, limit);
}

static void draw_norm(struct mg_graph *g, struct mg_layer *l, double glo, double ghi, double blo,
                      double bhi)
{
    if (g->error || !l->gamma)
        return;
    for (int c = 0; c < l->out_channels; c++) {
        l->gamma[c] = (float)mg_rng_uniform(&g->rng, glo, ghi);
        l->beta[c] = (float)mg_rng_uniform(&g->rng, blo, bhi);
    }
}

/* Default batch-norm targets.  Channels feeding a ReLU get a mean of about
 * one standard deviation (beta/gamma in [0.5, 3]), so most of their values
 * pass the ReLU.  With beta near 0, half of each channel is cut off and the
 * layer, normalized to unit spread, amplifies small perturbations by ~1.2x
 * (the "chaotic" regime of random networks): int8 rounding noise would then
 * grow through a deep network such as MobileNet until the output says more
 * about the rounding than about the input.  Trained networks do not behave
 * that way, so synthetic ones should not either.  Linear outputs (before an
 * ADD or a softmax) are centred. */
static void default_norm(struct mg_graph *g, struct mg_layer *l)
{
    if (l->act != MG_ACT_NONE)
        draw_norm(g, l, 0.5, 1.5, 0.75, 1.5);
    else
        draw_norm(g, l, 0.5, 1.5, -0.25, 0.25);
}

void mg_set_norm(struct mg_graph *g, double gamma_lo, double gamma_hi, double beta_lo,
                 double beta_hi)
{
    if (g->error || g->num_layers == 0 || !g->layers[g->num_layers - 1].gamma)
        return;
    draw_norm(g, &g->layers[g->num_layers - 1], gamma_lo, gamma_hi, beta_lo, beta_hi);
}

static int finish_layer(struct mg_graph *g, struct mg_layer *l, const struct mg_shape *out)
{
    int t = g->error ? -1 : add_tensor(g, l->name, out);
    if (t < 0) { /* the layer is dropped: g->layers[g->num_layers] is not counted */
        free(l->weights);
        free(l->bias);
        free(l->gamma);
        free(l->beta);
        return -1;
    }
    l->output = t;
    g->num_layers++;
    g->output = t;
    return t;
}

int mg_add_input(struct mg_graph *g, const char *name, int h, int w, int c)
{
    struct mg_shape s;
    if (h == 0 && c == 0)
        s = (struct mg_shape){2, {1, w}};
    else
        s = (struct mg_shape){4, {1, h, w, c}};
    int t = add_tensor(g, name, &s);
    g->input = t;
    g->output = t;
    return t;
}

static int out_size(int in, int k, int stride, enum mg_padding pad)
{
    if (pad == MG_PAD_SAME)
        return (in + stride - 1) / stride;
    return in >= k ? (in - k) / stride + 1 : 0;
}

static const struct mg_shape *shape_of(struct mg_graph *g, int t, int rank, const char *name)
{
    if (g->error)
        return NULL;
    if (t < 0 || t >= g->num_tensors) {
        mg_graph_fail(g, "layer '%s' has no input", name);
        return NULL;
    }
    if (g->tensors[t].shape.rank != rank) {
        mg_graph_fail(g, "layer '%s' wants a rank-%d input", name, rank);
        return NULL;
    }
    return &g->tensors[t].shape;
}

int mg_add_conv2d(struct mg_graph *g, int in, const char *name, int out_channels, int kh, int kw,
                  int stride, enum mg_padding pad, enum mg_act act)
{
    const struct mg_shape *s = shape_of(g, in, 4, name);
    struct mg_layer *l = s ? new_layer(g, MG_OP_CONV2D, name, in) : NULL;
    if (!l)
        return -1;
    int cin = s->dim[3];
    struct mg_shape out = {4, {1, out_size(s->dim[1], kh, stride, pad),
                               out_size(s->dim[2], kw, stride, pad), out_channels}};
    l->kh = kh;
    l->kw = kw;
    l->stride_h = l->stride_w = stride;
    l->padding = pad;
    l->act = act;
    l->out_channels = out_channels;
    if (mg_shape_elems(&out) == 0 || out_channels < 1)
        out.dim[3] = out_channels; /* add_tensor reports it */
    else {
        init_params(g, l, (size_t)out_channels * kh * kw * cin, kh * kw * cin,
                    kh * kw * out_channels);
        default_norm(g, l);
    }
    return finish_layer(g, l, &out);
}

int mg_add_dwconv2d(struct mg_graph *g, int in, const char *name, int kh, int kw, int stride,
                    enum mg_padding pad, enum mg_act act)
{
    const struct mg_shape *s = shape_of(g, in, 4, name);
    struct mg_layer *l = s ? new_layer(g, MG_OP_DWCONV2D, name, in) : NULL;
    if (!l)
        return -1;
    int c = s->dim[3];
    struct mg_shape out = {4, {1, out_size(s->dim[1], kh, stride, pad),
                               out_size(s->dim[2], kw, stride, pad), c}};
    l->kh = kh;
    l->kw = kw;
    l->stride_h = l->stride_w = stride;
    l->padding = pad;
    l->act = act;
    l->out_channels = c;
    if (mg_shape_elems(&out) > 0) {
        init_params(g, l, (size_t)kh * kw * c, kh * kw, kh * kw);
        default_norm(g, l);
    }
    return finish_layer(g, l, &out);
}

int mg_add_fully_connected(struct mg_graph *g, int in, const char *name, int out_n, enum mg_act act)
{
    const struct mg_shape *s = shape_of(g, in, 2, name);
    struct mg_layer *l = s ? new_layer(g, MG_OP_FULLY_CONNECTED, name, in) : NULL;
    if (!l)
        return -1;
    int n = s->dim[1];
    struct mg_shape out = {2, {1, out_n}};
    l->act = act;
    l->out_channels = out_n;
    if (out_n > 0) {
        init_params(g, l, (size_t)out_n * n, n, out_n);
        default_norm(g, l);
    }
    return finish_layer(g, l, &out);
}

static int add_pool(struct mg_graph *g, enum mg_op op, int in, const char *name, int kh, int kw,
                    int stride, enum mg_padding pad)
{
    const struct mg_shape *s = shape_of(g, in, 4, name);
    struct mg_layer *l = s ? new_layer(g, op, name, in) : NULL;
    if (!l)
        return -1;
    int sh = stride ? stride : kh, sw = stride ? stride : kw;
    struct mg_shape out = {4, {1, out_size(s->dim[1], kh, sh, pad),
                               out_size(s->dim[2], kw, sw, pad), s->dim[3]}};
    l->kh = kh;
    l->kw = kw;
    l->stride_h = sh;
    l->stride_w = sw;
    l->padding = pad;
    return finish_layer(g, l, &out);
}

int mg_add_maxpool(struct mg_graph *g, int in, const char *name, int k, int stride,
                   enum mg_padding pad)
{
    return add_pool(g, MG_OP_MAXPOOL, in, name, k, k, stride, pad);
}

int mg_add_avgpool(struct mg_graph *g, int in, const char *name, int kh, int kw, int stride,
                   enum mg_padding pad)
{
    return add_pool(g, MG_OP_AVGPOOL, in, name, kh, kw, stride, pad);
}

int mg_add_flatten(struct mg_graph *g, int in, const char *name)
{
    struct mg_layer *l = new_layer(g, MG_OP_RESHAPE, name, in);
    if (!l)
        return -1;
    struct mg_shape out = {2, {1, (int32_t)mg_shape_elems(&g->tensors[in].shape)}};
    return finish_layer(g, l, &out);
}

int mg_add_softmax(struct mg_graph *g, int in, const char *name)
{
    const struct mg_shape *s = shape_of(g, in, 2, name);
    struct mg_layer *l = s ? new_layer(g, MG_OP_SOFTMAX, name, in) : NULL;
    if (!l)
        return -1;
    struct mg_shape out = *s;
    return finish_layer(g, l, &out);
}

int mg_add_add(struct mg_graph *g, int a, int b, const char *name, enum mg_act act)
{
    struct mg_layer *l = new_layer(g, MG_OP_ADD, name, a);
    if (!l)
        return -1;
    if (b < 0 || b >= g->num_tensors ||
        memcmp(&g->tensors[a].shape, &g->tensors[b].shape, sizeof(struct mg_shape))) {
        mg_graph_fail(g, "layer '%s' adds tensors of different shapes", name);
        return -1;
    }
    l->input2 = b;
    l->act = act;
    struct mg_shape out = g->tensors[a].shape;
    return finish_layer(g, l, &out);
}
