/*
 * fkernels.h — the float kernels behind forward.c: convolutions, depthwise
 * convolutions and dense layers in double-precision accumulators.
 *
 * They compute exactly what the plain loops of the reference definition
 * compute: every output starts from its float bias, adds the products
 * (double)x * (double)w one by one — taps in (ky, kx) order, skipping taps
 * that fall in the padding, input channels in order — and is rounded to
 * float once.  Only the order in which *different* outputs are computed
 * changes: several output channels and pixels run side by side, so that a
 * vector unit can work on them and each weight is loaded once for several
 * pixels.  A product of two floats is exact in double, so the value of
 * each output depends only on its own sequence of additions, which is the
 * reference's; the vector width does not matter, and the bytes of a
 * synthesized model are the same on every machine.
 *
 * The weights are used in a packed form (fk_pack_*): double, with the
 * output channel innermost and padded to a whole number of blocks.
 */
#ifndef MCUSIM_MG_FKERNELS_H
#define MCUSIM_MG_FKERNELS_H

#include <stddef.h>

#include "graph.h"

/* Output channels are computed in blocks of this many; packed weights and
 * biases are padded with zeros to a multiple of it. */
#define FK_CHANNEL_BLOCK 16

/* Weights of a CONV_2D or FULLY_CONNECTED layer as a matrix of `rows`
 * inputs by output channels: row (tap * in_channels + i), tap = ky * kw +
 * kx, holds the weights of every output channel for that input; a fully
 * connected layer is a 1x1 convolution of a 1x1 image.  Stored in column
 * blocks of FK_CHANNEL_BLOCK channels, each block [rows][FK_CHANNEL_BLOCK],
 * so that a kernel walking down the rows of a block reads memory in
 * order.  The biases follow, padded alike. */
struct fk_matrix {
    double *w;      /* (ldw / FK_CHANNEL_BLOCK) blocks of rows x FK_CHANNEL_BLOCK */
    double *bias;   /* ldw */
    int rows;       /* kh * kw * in_channels */
    int ldw;        /* out channels rounded up to FK_CHANNEL_BLOCK */
};

/* Weights of a DEPTHWISE_CONV_2D layer, [kh][kw][channels], in double. */
struct fk_depthwise {
    double *w;
    double *bias;
};

/* Packs layer l's current weights (l->op CONV_2D or FULLY_CONNECTED; or
 * DEPTHWISE_CONV_2D).  Return 0, or -1 when out of memory (nothing kept). */
int fk_pack_matrix(const struct mg_graph *g, const struct mg_layer *l, struct fk_matrix *m);
int fk_pack_depthwise(const struct mg_layer *l, struct fk_depthwise *d);
void fk_matrix_free(struct fk_matrix *m);
void fk_depthwise_free(struct fk_depthwise *d);

/* The builds of the kernels: the same arithmetic for plain x86-64 (or any
 * other CPU), AVX2 and AVX-512 registers.  The tests run each one the CPU
 * has against the reference loops. */
enum fk_target { FK_PLAIN, FK_AVX2, FK_AVX512 };
int fk_target_supported(enum fk_target t);
enum fk_target fk_best_target(void);

/* The kernels; `act` is applied after the rounding to float.  Return 0, or
 * -1 when out of memory for their work space. */
int fk_conv2d(enum fk_target t, const struct mg_shape *is, const struct mg_shape *os,
              const struct mg_layer *l, const struct fk_matrix *m, const float *in, float *out,
              enum mg_act act);
int fk_fully_connected(enum fk_target t, int n_in, const struct mg_layer *l,
                       const struct fk_matrix *m, const float *in, float *out, enum mg_act act);
void fk_depthwise(enum fk_target t, const struct mg_shape *is, const struct mg_shape *os,
                  const struct mg_layer *l, const struct fk_depthwise *d, const float *in,
                  float *out, enum mg_act act);

/* Statistics for calibration, each element's arithmetic as written:
 * sum[c] += v[c]; sum[c] += (v[c] - mean[c])^2 (the difference and square
 * in double) for c < n; and the first smallest and first largest of n
 * values, as `lo = v < lo ? v : lo` from +infinity finds them (and alike
 * for hi from -infinity) — bit for bit, signed zeros included. */
void fk_add_values(double *sum, const float *v, int n);
void fk_add_squared_deviations(double *sum, const float *v, const double *mean, int n);
void fk_range(const float *v, size_t n, float *lo, float *hi);

/* TensorFlow's padding: the cells before the input (top or left); SAME pads
 * a total of max((out - 1) * stride + k - in, 0), the smaller half before. */
int fk_pad_before(int in, int out, int k, int stride, enum mg_padding pad);
static inline float fk_activate(float x, enum mg_act act)
{
    if (act == MG_ACT_RELU || act == MG_ACT_RELU6)
        x = x > 0.0f ? x : 0.0f;
    if (act == MG_ACT_RELU6)
        x = x < 6.0f ? x : 6.0f;
    return x;
}

#endif
