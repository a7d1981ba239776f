/*
 * test_modelgen_forward.c — modelgen's fast float kernels (fkernels.c)
 * compute exactly the bits of the plain loops that define them.
 *
 * The reference loops below are the definition: every output starts from
 * its float bias, adds (double)input * (double)weight tap by tap in (ky, kx)
 * order, skipping the padding, input channel by input channel, and is
 * rounded to float once.  A synthesized model's bytes depend on these
 * values, so "close" is not enough: every build of the kernels this CPU
 * runs (plain, AVX2, AVX-512) must match them bit for bit, on shapes chosen
 * to reach every edge — borders, strides, VALID and SAME padding, kernels
 * wider than tall, channel counts that fill no vector, a single pixel.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forward.h"
#include "graph.h"
#include "prng.h"

static float act_ref(float x, enum mg_act act)
{
    if (act == MG_ACT_RELU || act == MG_ACT_RELU6)
        x = x > 0.0f ? x : 0.0f;
    if (act == MG_ACT_RELU6)
        x = x < 6.0f ? x : 6.0f;
    return x;
}

static int pad_ref(int in, int out, int k, int stride, enum mg_padding pad)
{
    if (pad == MG_PAD_VALID)
        return 0;
    int total = (out - 1) * stride + k - in;
    return total > 0 ? total / 2 : 0;
}

static void conv_ref(const struct mg_shape *is, const struct mg_shape *os,
                     const struct mg_layer *l, const float *in, float *out)
{
    int ih = is->dim[1], iw = is->dim[2], ic = is->dim[3];
    int oh = os->dim[1], ow = os->dim[2], oc = os->dim[3];
    int pt = pad_ref(ih, oh, l->kh, l->stride_h, l->padding);
    int pl = pad_ref(iw, ow, l->kw, l->stride_w, l->padding);
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
                out[((size_t)oy * ow + ox) * oc + c] = act_ref((float)acc, l->act);
            }
}

static void dwconv_ref(const struct mg_shape *is, const struct mg_shape *os,
                       const struct mg_layer *l, const float *in, float *out)
{
    int ih = is->dim[1], iw = is->dim[2], ch = is->dim[3];
    int oh = os->dim[1], ow = os->dim[2];
    int pt = pad_ref(ih, oh, l->kh, l->stride_h, l->padding);
    int pl = pad_ref(iw, ow, l->kw, l->stride_w, l->padding);
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
                out[((size_t)oy * ow + ox) * ch + c] = act_ref((float)acc, l->act);
            }
}

static void dense_ref(int n_in, const struct mg_layer *l, const float *in, float *out)
{
    for (int o = 0; o < l->out_channels; o++) {
        double acc = l->bias[o];
        const float *w = l->weights + (size_t)o * n_in;
        for (int i = 0; i < n_in; i++)
            acc += (double)in[i] * w[i];
        out[o] = act_ref((float)acc, l->act);
    }
}

/* One layer on a random input and random biases, every kernel build
 * against the reference.  With `cancelling`, a third of the inputs are
 * +-2^40 and many weights +-1 (see check_layer). */
static void check_layer_values(struct mg_graph *g, const char *what, int cancelling)
{
    struct mg_layer *l = &g->layers[0];
    const struct mg_shape *is = &g->tensors[l->input].shape;
    const struct mg_shape *os = &g->tensors[l->output].shape;
    size_t n_in = mg_shape_elems(is), n_out = mg_shape_elems(os);
    struct mg_rng r;
    mg_rng_seed(&r, 99, 7 + cancelling);
    float *in = malloc(n_in * sizeof *in);
    float *want = malloc(n_out * sizeof *want), *got = malloc(n_out * sizeof *got);
    cr_assert(in && want && got);
    for (size_t i = 0; i < n_in; i++) {
        in[i] = (float)mg_rng_uniform(&r, -2.0, 3.0);
        if (cancelling && mg_rng_uniform(&r, 0, 1) < 1.0 / 3)
            in[i] = in[i] < 0.5f ? -0x1p40f : 0x1p40f;
    }
    for (int c = 0; c < l->out_channels; c++)
        l->bias[c] = (float)mg_rng_uniform(&r, -1.0, 1.0);
    for (size_t i = 0; cancelling && i < l->num_weights; i++)
        if (mg_rng_uniform(&r, 0, 1) < 0.5)
            l->weights[i] = mg_rng_uniform(&r, 0, 1) < 0.5 ? -1.0f : 1.0f;
    /* A dense layer meets each input with one weight per output: pairs of
     * neighbouring inputs of 2^40, weighted +1 and -1, cancel in every
     * output, after rounding away the low bits of what came before. */
    for (size_t i = 0; cancelling && l->op == MG_OP_FULLY_CONNECTED && i + 1 < n_in; i += 2) {
        int pair = mg_rng_uniform(&r, 0, 1) < 1.0 / 3;
        if (fabsf(in[i]) == 0x1p40f || fabsf(in[i + 1]) == 0x1p40f || pair) {
            in[i] = in[i + 1] = pair ? 0x1p40f : 1.0f;
            for (int o = 0; o < l->out_channels; o++) {
                l->weights[(size_t)o * n_in + i] = 1.0f;
                l->weights[(size_t)o * n_in + i + 1] = -1.0f;
            }
        }
    }

    if (l->op == MG_OP_CONV2D)
        conv_ref(is, os, l, in, want);
    else if (l->op == MG_OP_DWCONV2D)
        dwconv_ref(is, os, l, in, want);
    else
        dense_ref(is->dim[1], l, in, want);

    struct mg_packed p;
    cr_assert_eq(mg_pack(&p, g), 0);
    int tried = 0;
    for (int t = FK_PLAIN; t <= FK_AVX512; t++) {
        if (!fk_target_supported((enum fk_target)t))
            continue;
        tried++;
        p.target = (enum fk_target)t;
        memset(got, 0xff, n_out * sizeof *got);
        cr_assert_eq(mg_layer_forward(g, &p, 0, in, NULL, got, 0), 0);
        for (size_t i = 0; i < n_out; i++)
            cr_assert_eq(memcmp(&got[i], &want[i], sizeof(float)), 0,
                         "%s%s, kernel build %d: output %zu is %.9g, the reference %.9g",
                         what, cancelling ? " (cancelling sums)" : "", t, i, got[i], want[i]);
    }
    cr_assert_geq(tried, 1);
    mg_packed_free(&p);
    free(in);
    free(want);
    free(got);
}

/* A double accumulator rounded to float once hides most changes of order:
 * two orders differ in the last bits of the double, rarely in the float.
 * So the second run makes the order show: large products cancel exactly
 * inside a sum, and what survives of the small terms between them depends
 * on where they fall in the sequence. */
static void check_layer(struct mg_graph *g, const char *what)
{
    cr_assert_eq(g->error, 0, "%s: %s", what, g->errmsg);
    cr_assert_eq(g->num_layers, 1);
    check_layer_values(g, what, 0);
    check_layer_values(g, what, 1);
}

struct conv_case {
    int h, w, c, out, kh, kw, stride;
    enum mg_padding pad;
    enum mg_act act;
};

Test(modelgen_forward, convolutions_match_the_reference_bit_for_bit)
{
    const struct conv_case cases[] = {
        {9, 7, 3, 5, 3, 3, 1, MG_PAD_SAME, MG_ACT_RELU},
        {9, 7, 3, 33, 3, 3, 2, MG_PAD_SAME, MG_ACT_RELU6},
        {10, 11, 17, 16, 3, 3, 2, MG_PAD_VALID, MG_ACT_NONE},
        {12, 12, 32, 64, 1, 1, 1, MG_PAD_SAME, MG_ACT_RELU6},
        {7, 7, 40, 19, 1, 1, 2, MG_PAD_SAME, MG_ACT_NONE},
        {49, 10, 1, 20, 10, 4, 2, MG_PAD_SAME, MG_ACT_RELU},
        {5, 5, 8, 8, 5, 5, 3, MG_PAD_SAME, MG_ACT_RELU},
        {3, 2, 2, 4, 3, 3, 1, MG_PAD_SAME, MG_ACT_NONE},
        {1, 1, 70, 130, 1, 1, 1, MG_PAD_SAME, MG_ACT_RELU},
        {15, 13, 24, 48, 3, 3, 1, MG_PAD_SAME, MG_ACT_RELU6},
        {16, 16, 96, 40, 3, 3, 1, MG_PAD_SAME, MG_ACT_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct conv_case *k = &cases[i];
        char what[96];
        snprintf(what, sizeof what, "conv %dx%dx%d -> %d, %dx%d/%d", k->h, k->w, k->c, k->out,
                 k->kh, k->kw, k->stride);
        struct mg_graph g;
        mg_graph_init(&g, 5 + i);
        int x = mg_add_input(&g, "input", k->h, k->w, k->c);
        mg_add_conv2d(&g, x, "conv", k->out, k->kh, k->kw, k->stride, k->pad, k->act);
        check_layer(&g, what);
        mg_graph_free(&g);
    }
}

Test(modelgen_forward, depthwise_convolutions_match_the_reference_bit_for_bit)
{
    const struct conv_case cases[] = {
        {9, 7, 3, 0, 3, 3, 1, MG_PAD_SAME, MG_ACT_RELU},
        {14, 14, 37, 0, 3, 3, 2, MG_PAD_SAME, MG_ACT_RELU6},
        {8, 8, 64, 0, 3, 3, 1, MG_PAD_SAME, MG_ACT_RELU},
        {6, 5, 40, 0, 3, 3, 2, MG_PAD_VALID, MG_ACT_NONE},
        {11, 9, 8, 0, 5, 3, 1, MG_PAD_SAME, MG_ACT_NONE},
        {1, 1, 33, 0, 3, 3, 1, MG_PAD_SAME, MG_ACT_RELU6},
        {40, 40, 64, 0, 5, 5, 1, MG_PAD_SAME, MG_ACT_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct conv_case *k = &cases[i];
        char what[96];
        snprintf(what, sizeof what, "depthwise %dx%dx%d, %dx%d/%d", k->h, k->w, k->c, k->kh,
                 k->kw, k->stride);
        struct mg_graph g;
        mg_graph_init(&g, 50 + i);
        int x = mg_add_input(&g, "input", k->h, k->w, k->c);
        mg_add_dwconv2d(&g, x, "dw", k->kh, k->kw, k->stride, k->pad, k->act);
        check_layer(&g, what);
        mg_graph_free(&g);
    }
}

Test(modelgen_forward, dense_layers_match_the_reference_bit_for_bit)
{
    const struct {
        int in, out;
        enum mg_act act;
    } cases[] = {
        {7, 19, MG_ACT_RELU}, {1024, 10, MG_ACT_NONE}, {33, 48, MG_ACT_RELU6},
        {1, 1, MG_ACT_NONE},  {4000, 300, MG_ACT_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char what[64];
        snprintf(what, sizeof what, "dense %d -> %d", cases[i].in, cases[i].out);
        struct mg_graph g;
        mg_graph_init(&g, 80 + i);
        int x = mg_add_input(&g, "input", 0, cases[i].in, 0);
        mg_add_fully_connected(&g, x, "fc", cases[i].out, cases[i].act);
        check_layer(&g, what);
        mg_graph_free(&g);
    }
}

/* Calibration's statistics: fk_range is the in-order scan, bit for bit,
 * signed zeros included (a zero's sign is the only thing the order of equal
 * values can change); the sums are the per-element loops. */
Test(modelgen_forward, statistics_match_the_plain_loops)
{
    struct mg_rng r;
    mg_rng_seed(&r, 3, 3);
    float v[67];
    for (int trial = 0; trial < 4000; trial++) {
        size_t n = (size_t)(trial % 68);
        for (size_t i = 0; i < n; i++) {
            double u = mg_rng_uniform(&r, 0, 1);
            v[i] = u < 0.3 ? 0.0f : u < 0.6 ? -0.0f : (float)mg_rng_uniform(&r, -1, 1);
            if (trial % 3 == 0)
                v[i] = fabsf(v[i]) * (trial % 2 ? 1.0f : -1.0f); /* all one sign */
        }
        float lo = INFINITY, hi = -INFINITY, got_lo, got_hi;
        for (size_t i = 0; i < n; i++) {
            lo = v[i] < lo ? v[i] : lo;
            hi = v[i] > hi ? v[i] : hi;
        }
        fk_range(v, n, &got_lo, &got_hi);
        cr_assert_eq(memcmp(&got_lo, &lo, 4), 0, "trial %d: min %g, the scan %g", trial, got_lo,
                     lo);
        cr_assert_eq(memcmp(&got_hi, &hi, 4), 0, "trial %d: max %g, the scan %g", trial, got_hi,
                     hi);
    }
    double sum[37], want[37], mean[37];
    for (int c = 0; c < 37; c++) {
        sum[c] = want[c] = mg_rng_uniform(&r, -1, 1);
        mean[c] = mg_rng_uniform(&r, -1, 1);
        v[c] = (float)mg_rng_uniform(&r, -3, 3);
    }
    fk_add_values(sum, v, 37);
    for (int c = 0; c < 37; c++)
        want[c] += v[c];
    cr_assert_eq(memcmp(sum, want, sizeof sum), 0);
    fk_add_squared_deviations(sum, v, mean, 37);
    for (int c = 0; c < 37; c++) {
        double d = v[c] - mean[c];
        want[c] += d * d;
    }
    cr_assert_eq(memcmp(sum, want, sizeof sum), 0);
}
