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

/* Mean and variance of each channel (the last dimension) of a tensor of n
 * values per input, over all inputs and positions.  Two passes; each
 * channel's sums run over inputs, then positions, in order. */
static void channel_moments(float **values, int num_inputs, size_t n, int ch, double *mean,
                            double *var)
{
    size_t positions = n / (size_t)ch;
    double count = (double)num_inputs * (double)positions;
    for (int c = 0; c < ch; c++)
        mean[c] = var[c] = 0;
    for (int k = 0; k < num_inputs; k++)
        for (size_t pos = 0; pos < positions; pos++)
            fk_add_values(mean, values[k] + pos * (size_t)ch, ch);
    for (int c = 0; c < ch; c++)
        mean[c] /= count;
    for (int k = 0; k < num_inputs; k++)
        for (size_t pos = 0; pos < positions; pos++)
            fk_add_squared_deviations(var, values[k] + pos * (size_t)ch, mean, ch);
    for (int c = 0; c < ch; c++)
        var[c] /= count;
}

/* Squared norm of each output channel's weights, summed in weight order.
 * Depthwise weights are [taps][channels]; the others [channel][fan_in]. */
static void weight_norms(const struct mg_layer *l, double *norm2)
{
    int ch = l->out_channels;
    size_t per = l->num_weights / (size_t)ch;
    for (int c = 0; c < ch; c++)
        norm2[c] = 0;
    for (size_t a = 0; a < per; a++)
        for (int c = 0; c < ch; c++) {
            size_t i = l->op == MG_OP_DWCONV2D ? a * (size_t)ch + c : (size_t)c * per + a;
            norm2[c] += (double)l->weights[i] * l->weights[i];
        }
}

/* Multiplies each output channel's weights by scale[c]. */
static void scale_weights(struct mg_layer *l, const double *scale)
{
    int ch = l->out_channels;
    size_t per = l->num_weights / (size_t)ch;
    for (size_t a = 0; a < per; a++)
        for (int c = 0; c < ch; c++) {
            size_t i = l->op == MG_OP_DWCONV2D ? a * (size_t)ch + c : (size_t)c * per + a;
            l->weights[i] = (float)(l->weights[i] * scale[c]);
        }
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
    double *norm2 = malloc((size_t)ch * sizeof *norm2);
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
    weight_norms(l, norm2);

    double samples = (double)num_inputs * (double)(n_out / (size_t)ch);
    double fan_in = (double)(l->num_weights / (size_t)ch);
    int from_data = samples >= SAMPLES_PER_WEIGHT * fan_in;
    for (int c = 0; c < ch; c++) {
        double v = from_data ? var[c]
                   : norm2[c] * (l->op == MG_OP_DWCONV2D ? in_var[c] : avg_in_var);
        var[c] = l->gamma[c] / sqrt(v + NORM_EPSILON); /* now the scale */
        l->bias[c] = (float)((l->bias[c] - mean[c]) * var[c] + l->beta[c]);
    }
    scale_weights(l, var);
    free(mean), free(var), free(in_mean), free(in_var), free(norm2);
    return 0;
}

/* Activations of a batch of calibration inputs, layer by layer:
 * act[t * batch + k] is tensor t for the batch's input k while it is live. */
struct batch {
    float **act;
    int size;
};

/* lo = v < lo ? v : lo over the values, and alike for hi: what scanning
 * them from t's range gives, since a scan from infinity finds the first
 * smallest value, which replaces t->min exactly when it is smaller. */
static void widen_range(struct mg_tensor *t, const float *values, size_t n)
{
    float lo, hi;
    fk_range(values, n, &lo, &hi);
    t->min = lo < t->min ? lo : t->min;
    t->max = hi > t->max ? hi : t->max;
}

/* Runs layer i on every input of the batch; with record, widens the ranges
 * of its output, input by input. */
static int run_layer(struct mg_graph *g, const struct mg_packed *p, int i, struct batch *b,
                     int skip_activation, int record)
{
    const struct mg_layer *l = &g->layers[i];
    int K = b->size;
    size_t n_out = mg_shape_elems(&g->tensors[l->output].shape);
    for (int k = 0; k < K; k++) {
        if (mg_layer_forward(g, p, i, b->act[l->input * K + k],
                             l->input2 >= 0 ? b->act[l->input2 * K + k] : NULL,
                             b->act[l->output * K + k], skip_activation))
            return -1;
        if (record)
            widen_range(&g->tensors[l->output], b->act[l->output * K + k], n_out);
    }
    return 0;
}

/* One pass of a batch of calibration inputs, first..first+size-1, through
 * the network.  With normalize, each weighted layer is first normalized on
 * the batch (pass 1) and repacked.  Either way, the ranges of every tensor
 * are widened with the batch's final values: those are the values the
 * finished network computes, since every layer runs with its final weights
 * on inputs computed with final weights. */
static int run_batch(struct mg_graph *g, struct mg_packed *p, int first, int size, int normalize,
                     const int *last)
{
    const int K = size;
    int T = g->num_tensors;
    struct batch b = {calloc((size_t)T * K, sizeof(float *)), K};
    int rc = -1;
    if (!b.act)
        goto oom;

    size_t n_in = mg_shape_elems(&g->tensors[g->input].shape);
    for (int k = 0; k < K; k++) {
        float **x = &b.act[g->input * K + k];
        if (!(*x = malloc(n_in * sizeof(float))) || mg_make_input(g, first + k, *x))
            goto oom;
        widen_range(&g->tensors[g->input], *x, n_in);
    }

    for (int i = 0; i < g->num_layers; i++) {
        struct mg_layer *l = &g->layers[i];
        size_t n_out = mg_shape_elems(&g->tensors[l->output].shape);
        float **out = &b.act[l->output * K];
        for (int k = 0; k < K; k++)
            if (!(out[k] = malloc(n_out * sizeof(float))))
                goto oom;
        if (normalize && l->gamma) {
            if (run_layer(g, p, i, &b, 1, 0))
                goto oom;
            if (normalize_layer(g, l, &b.act[l->input * K], out, K))
                goto done;
            if (mg_repack_layer(p, g, i))
                goto oom;
        }
        if (run_layer(g, p, i, &b, 0, 1))
            goto oom;
        for (int t = 0; t < T; t++)
            if (last[t] <= i && t != l->output)
                for (int k = 0; k < K; k++) {
                    free(b.act[t * K + k]);
                    b.act[t * K + k] = NULL;
                }
    }
    rc = 0;
    goto done;
oom:
    mg_graph_fail(g, "out of memory");
done:
    if (b.act)
        for (size_t i = 0; i < (size_t)T * K; i++)
            free(b.act[i]);
    free(b.act);
    return rc;
}

/* Pass 1 normalizes on the first MG_NORMALIZATION_INPUTS inputs and
 * records their ranges; the rest of the MG_CALIBRATION_INPUTS follow in
 * batches of the same size, which bounds the memory the activations take.
 * Each tensor's range is widened input by input in index order. */
int mg_calibrate(struct mg_graph *g, int ranges)
{
    struct mg_packed p;
    int *last = mg_last_uses(g);
    if (!last || mg_pack(&p, g)) {
        free(last);
        mg_graph_fail(g, "out of memory");
        return -1;
    }
    for (int t = 0; t < g->num_tensors; t++) {
        g->tensors[t].min = INFINITY;
        g->tensors[t].max = -INFINITY;
    }
    int rc = run_batch(g, &p, 0, MG_NORMALIZATION_INPUTS, 1, last);
    for (int first = MG_NORMALIZATION_INPUTS; !rc && ranges && first < MG_CALIBRATION_INPUTS;
         first += MG_NORMALIZATION_INPUTS) {
        int size = MG_CALIBRATION_INPUTS - first;
        rc = run_batch(g, &p, first, size < MG_NORMALIZATION_INPUTS ? size : MG_NORMALIZATION_INPUTS,
                       0, last);
    }
    mg_packed_free(&p);
    free(last);
    return rc;
}
