/*
 * calibrate.c — folded batch-norm normalization and range calibration (see
 * calibrate.h).  All sums run in one fixed order in double precision, so the
 * weights and ranges, and hence the model file, are the same on every
 * machine.
 */
#include "calibrate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "forward.h"
#include "inputs.h"

/* Added to a channel's variance before dividing by its standard deviation,
 * as batch norm does, so that a channel that never varies is not blown up. */
#define NORM_EPSILON 1e-5

/* A channel's spread is measured on the data only when it has this many
 * samples per weight; see normalize_layer. */
#define SAMPLES_PER_WEIGHT 16

/* Which output channel weight i of layer l belongs to. */
static int weight_channel(const struct mg_layer *l, size_t i)
{
    if (l->op == MG_OP_DWCONV2D)
        return (int)(i % (size_t)l->out_channels);
    return (int)(i / (l->num_weights / (size_t)l->out_channels));
}

/* Mean and variance of each channel (the last dimension) of a tensor of n
 * values per input, over all inputs and positions.  Two passes, fixed
 * order. */
static void channel_moments(float **values, int num_inputs, size_t n, int ch, double *mean,
                            double *var)
{
    double count = (double)num_inputs * (double)(n / (size_t)ch);
    for (int c = 0; c < ch; c++)
        mean[c] = var[c] = 0;
    for (int k = 0; k < num_inputs; k++)
        for (size_t i = 0; i < n; i++)
            mean[i % (size_t)ch] += values[k][i];
    for (int c = 0; c < ch; c++)
        mean[c] /= count;
    for (int k = 0; k < num_inputs; k++)
        for (size_t i = 0; i < n; i++) {
            double d = values[k][i] - mean[i % (size_t)ch];
            var[i % (size_t)ch] += d * d;
        }
    for (int c = 0; c < ch; c++)
        var[c] /= count;
}

/* Normalizes layer l from its input `in` and pre-activation outputs `pre`
 * on all inputs.
 *
 * The mean always comes from the data.  The spread does too when a channel
 * has many samples per weight (early convolutions: every position is a
 * sample).  Otherwise — dense layers see one sample per input, late 1x1
 * convolutions a handful — a few dozen inputs span only a few directions of
 * a wide layer's input, and the variance measured along them says nothing
 * of the others: normalizing to it overfits the calibration inputs and new
 * inputs come out several times larger.  There the spread is estimated as
 * for a random weight vector, |w|^2 times the input's mean per-feature
 * variance, which holds for any input with the same statistics. */
static int normalize_layer(struct mg_graph *g, struct mg_layer *l, float **in, float **pre,
                           int num_inputs)
{
    int ch = l->out_channels;
    const struct mg_shape *is = &g->tensors[l->input].shape;
    int in_ch = is->dim[is->rank - 1];
    size_t n_out = mg_shape_elems(&g->tensors[l->output].shape);
    double *mean = malloc((size_t)ch * sizeof *mean), *var = malloc((size_t)ch * sizeof *var);
    double *in_mean = malloc((size_t)in_ch * sizeof *in_mean);
    double *in_var = malloc((size_t)in_ch * sizeof *in_var);
    double *norm2 = calloc((size_t)ch, sizeof *norm2);
    if (!mean || !var || !in_mean || !in_var || !norm2) {
        free(mean), free(var), free(in_mean), free(in_var), free(norm2);
        mg_graph_fail(g, "out of memory");
        return -1;
    }
    channel_moments(pre, num_inputs, n_out, ch, mean, var);
    channel_moments(in, num_inputs, mg_shape_elems(is), in_ch, in_mean, in_var);
    double avg_in_var = 0;
    for (int c = 0; c < in_ch; c++)
        avg_in_var += in_var[c];
    avg_in_var /= in_ch;
    for (size_t i = 0; i < l->num_weights; i++)
        norm2[weight_channel(l, i)] += (double)l->weights[i] * l->weights[i];

    double samples = (double)num_inputs * (double)(n_out / (size_t)ch);
    double fan_in = (double)(l->num_weights / (size_t)ch);
    int from_data = samples >= SAMPLES_PER_WEIGHT * fan_in;
    for (int c = 0; c < ch; c++) {
        double v = from_data ? var[c]
                   : norm2[c] * (l->op == MG_OP_DWCONV2D ? in_var[c] : avg_in_var);
        var[c] = l->gamma[c] / sqrt(v + NORM_EPSILON); /* now the scale */
        l->bias[c] = (float)((l->bias[c] - mean[c]) * var[c] + l->beta[c]);
    }
    for (size_t i = 0; i < l->num_weights; i++)
        l->weights[i] = (float)(l->weights[i] * var[weight_channel(l, i)]);
    free(mean), free(var), free(in_mean), free(in_var), free(norm2);
    return 0;
}

/* Runs layer l on every calibration input. */
static void run_layer(const struct mg_graph *g, const struct mg_layer *l, float **act, int K,
                      int skip_activation)
{
    for (int k = 0; k < K; k++)
        mg_layer_forward(g, l, act[l->input * K + k],
                         l->input2 >= 0 ? act[l->input2 * K + k] : NULL, act[l->output * K + k],
                         skip_activation);
}

/* Pass 1: normalizes every weighted layer, in order, on the first
 * MG_NORMALIZATION_INPUTS calibration inputs. */
static int normalize_all(struct mg_graph *g)
{
    const int K = MG_NORMALIZATION_INPUTS;
    int T = g->num_tensors;
    /* act[t * K + k]: tensor t for calibration input k, while it is live. */
    float **act = calloc((size_t)T * K, sizeof *act);
    int *last = mg_last_uses(g);
    int rc = -1;
    if (!act || !last)
        goto oom;

    size_t n_in = mg_shape_elems(&g->tensors[g->input].shape);
    for (int k = 0; k < K; k++) {
        act[g->input * K + k] = malloc(n_in * sizeof(float));
        if (!act[g->input * K + k] || mg_make_input(g, k, act[g->input * K + k]))
            goto oom;
    }

    for (int i = 0; i < g->num_layers; i++) {
        struct mg_layer *l = &g->layers[i];
        size_t n_out = mg_shape_elems(&g->tensors[l->output].shape);
        float **out = &act[l->output * K];
        for (int k = 0; k < K; k++)
            if (!(out[k] = malloc(n_out * sizeof(float))))
                goto oom;
        if (l->gamma) {
            run_layer(g, l, act, K, 1);
            if (normalize_layer(g, l, &act[l->input * K], out, K))
                goto done;
        }
        run_layer(g, l, act, K, 0);
        for (int t = 0; t < T; t++)
            if (last[t] <= i && t != l->output)
                for (int k = 0; k < K; k++) {
                    free(act[t * K + k]);
                    act[t * K + k] = NULL;
                }
    }
    rc = 0;
    goto done;
oom:
    mg_graph_fail(g, "out of memory");
done:
    if (act)
        for (size_t i = 0; i < (size_t)T * K; i++)
            free(act[i]);
    free(act);
    free(last);
    return rc;
}

static void widen_range(const struct mg_graph *g, int tensor, const float *values, void *ctx)
{
    struct mg_tensor *t = &((struct mg_graph *)ctx)->tensors[tensor];
    size_t n = mg_shape_elems(&g->tensors[tensor].shape);
    for (size_t i = 0; i < n; i++) {
        t->min = values[i] < t->min ? values[i] : t->min;
        t->max = values[i] > t->max ? values[i] : t->max;
    }
}

/* Pass 2: min and max of every tensor over all calibration inputs, one
 * input at a time. */
static int record_ranges(struct mg_graph *g)
{
    size_t n_in = mg_shape_elems(&g->tensors[g->input].shape);
    float *x = malloc(n_in * sizeof *x);
    if (!x) {
        mg_graph_fail(g, "out of memory");
        return -1;
    }
    for (int t = 0; t < g->num_tensors; t++) {
        g->tensors[t].min = INFINITY;
        g->tensors[t].max = -INFINITY;
    }
    for (int k = 0; k < MG_CALIBRATION_INPUTS; k++)
        if (mg_make_input(g, k, x) || mg_forward_each(g, x, widen_range, g)) {
            free(x);
            mg_graph_fail(g, "out of memory");
            return -1;
        }
    free(x);
    return 0;
}

int mg_calibrate(struct mg_graph *g)
{
    return normalize_all(g) || record_ranges(g) ? -1 : 0;
}
