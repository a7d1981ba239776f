/*
 * fkernels.c — modelgen's float kernels (see fkernels.h for the rule they
 * keep: every output's additions in the reference order).
 *
 * A convolution is computed as a product of matrices without ever adding a
 * padding cell: for a group of neighbouring output pixels (in raster order)
 * whose windows have the same taps inside the input — all of them, away
 * from the borders; every pixel, for a 1x1 convolution — the inputs under
 * those taps are gathered into one column per pixel, and a tile of
 * `pixels` x (8 * `vectors`) output channels accumulates over the matching
 * rows of the packed weights.  The weights are walked in panels small
 * enough to stay in the cache while all pixels pass over them.  A dense
 * layer is the same with one pixel.
 *
 * The accumulators are vectors of 8 doubles (GCC's vector extension, which
 * the compiler maps onto whatever registers the target has).  On x86-64
 * with GCC the kernels are compiled three times, for plain x86-64, AVX2 and
 * AVX-512, each with the tile that fits its registers, and the CPU picks
 * one at run time; all of them do the same additions in the same order.
 * -ffp-contract=off (meson.build) keeps the compiler from fusing a multiply
 * and an add.
 */
#include "fkernels.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define MULTI_TARGET 1
#endif

typedef double v8d __attribute__((vector_size(64)));
typedef float v8f __attribute__((vector_size(32)));
typedef int32_t v8i __attribute__((vector_size(32)));
/* Eight floats anywhere in memory (activations are only 16-byte aligned). */
typedef float v8f_unaligned __attribute__((vector_size(32), aligned(4)));

#define MAX_PIXELS 8
#define MAX_VECTORS 2
#define VECTOR_ALIGN 64
/* Weights per panel: well within one core's L2, next to the activations. */
#define PANEL_BYTES (512u << 10)

_Static_assert(FK_CHANNEL_BLOCK % (8 * MAX_VECTORS) == 0, "a tile never spans the padding");

int fk_pad_before(int in, int out, int k, int stride, enum mg_padding pad)
{
    if (pad == MG_PAD_VALID)
        return 0;
    int total = (out - 1) * stride + k - in;
    return total > 0 ? total / 2 : 0;
}

/* Rounds eight accumulators to float, activates them as fk_activate does
 * and stores them at dst.  Bit for bit the scalar version: the conversion
 * rounds to nearest like a cast, and each comparison gives a lane of all
 * ones or all zeros that selects x, 0 or 6 exactly as the ?: does. */
static inline __attribute__((always_inline)) void store8(float *dst, const v8d *acc,
                                                         enum mg_act act)
{
    v8f x = __builtin_convertvector(*acc, v8f);
    if (act == MG_ACT_RELU || act == MG_ACT_RELU6) {
        const v8f zero = {0};
        x = (v8f)((v8i)x & (x > zero));
    }
    if (act == MG_ACT_RELU6) {
        const v8f six = {6, 6, 6, 6, 6, 6, 6, 6};
        v8i below = x < six;
        x = (v8f)(((v8i)x & below) | ((v8i)six & ~below));
    }
    memcpy(dst, &x, sizeof x);
}

/* ---- packing ---- */

static double *alloc_vectors(size_t n)
{
    size_t bytes = (n * sizeof(double) + VECTOR_ALIGN - 1) / VECTOR_ALIGN * VECTOR_ALIGN;
    double *p = aligned_alloc(VECTOR_ALIGN, bytes ? bytes : VECTOR_ALIGN);
    if (p)
        memset(p, 0, bytes);
    return p;
}

int fk_pack_matrix(const struct mg_graph *g, const struct mg_layer *l, struct fk_matrix *m)
{
    const struct mg_shape *is = &g->tensors[l->input].shape;
    int oc = l->out_channels;
    int taps = l->op == MG_OP_CONV2D ? l->kh * l->kw : 1;
    m->rows = taps * is->dim[is->rank - 1];
    m->ldw = (oc + FK_CHANNEL_BLOCK - 1) / FK_CHANNEL_BLOCK * FK_CHANNEL_BLOCK;
    m->w = alloc_vectors((size_t)m->rows * m->ldw);
    m->bias = alloc_vectors((size_t)m->ldw);
    if (!m->w || !m->bias) {
        fk_matrix_free(m);
        return -1;
    }
    /* Graph layout: conv [oc][kh][kw][ic], dense [oc][ic]; both are
     * [oc][rows]. */
    for (int c = 0; c < oc; c++) {
        const float *src = l->weights + (size_t)c * m->rows;
        double *dst = m->w + (size_t)(c / FK_CHANNEL_BLOCK) * m->rows * FK_CHANNEL_BLOCK +
                      c % FK_CHANNEL_BLOCK;
        for (int r = 0; r < m->rows; r++)
            dst[(size_t)r * FK_CHANNEL_BLOCK] = src[r];
        m->bias[c] = l->bias[c];
    }
    return 0;
}

void fk_matrix_free(struct fk_matrix *m)
{
    free(m->w);
    free(m->bias);
    memset(m, 0, sizeof *m);
}

int fk_pack_depthwise(const struct mg_layer *l, struct fk_depthwise *d)
{
    int ch = l->out_channels;
    d->w = alloc_vectors(l->num_weights);
    d->bias = alloc_vectors((size_t)ch);
    if (!d->w || !d->bias) {
        fk_depthwise_free(d);
        return -1;
    }
    for (size_t i = 0; i < l->num_weights; i++)
        d->w[i] = l->weights[i];
    for (int c = 0; c < ch; c++)
        d->bias[c] = l->bias[c];
    return 0;
}

void fk_depthwise_free(struct fk_depthwise *d)
{
    free(d->w);
    free(d->bias);
    memset(d, 0, sizeof *d);
}

/* ---- the matrix tile ---- */

/* Where channel c0 of row 0 is in the packed weights. */
static inline const double *block_start(const struct fk_matrix *m, int c0)
{
    return m->w + (size_t)(c0 / FK_CHANNEL_BLOCK) * m->rows * FK_CHANNEL_BLOCK +
           c0 % FK_CHANNEL_BLOCK;
}

/* Rows [row, row + len) of the packed weights, taken in order. */
struct segment {
    int row, len;
};

/* For `pixels` pixels and 8 * `vectors` channels from c0:
 *   acc[p][c] = bias[c] + sum over the segments' rows r, in order, of
 *               x[p * stride + k] * w[r][c], k counting the rows taken so far,
 * then rounded to float, activated and stored for the first `stored`
 * pixels and the channels below oc.  w points at channel c0 of row 0 of
 * its block of FK_CHANNEL_BLOCK channels.  `pixels` and `vectors` are constants
 * wherever this is inlined, so the accumulators live in registers. */
static inline __attribute__((always_inline)) void
tile(int pixels, int vectors, const double *x, size_t stride, const struct segment *seg, int nseg,
     const double *w, const double *bias, int c0, float *const *out, int stored, int oc,
     enum mg_act act)
{
    v8d acc[MAX_PIXELS][MAX_VECTORS];
#pragma GCC unroll 8
    for (int p = 0; p < pixels; p++)
#pragma GCC unroll 2
        for (int v = 0; v < vectors; v++)
            acc[p][v] = *(const v8d *)(bias + c0 + 8 * v);
    const double *xk = x;
    for (int s = 0; s < nseg; s++) {
        const double *wr = w + (size_t)seg[s].row * FK_CHANNEL_BLOCK;
        for (int r = 0; r < seg[s].len; r++, wr += FK_CHANNEL_BLOCK, xk++) {
            v8d wv[MAX_VECTORS];
#pragma GCC unroll 2
            for (int v = 0; v < vectors; v++)
                wv[v] = *(const v8d *)(wr + 8 * v);
#pragma GCC unroll 8
            for (int p = 0; p < pixels; p++)
#pragma GCC unroll 2
                for (int v = 0; v < vectors; v++)
                    acc[p][v] += xk[p * stride] * wv[v];
        }
    }
    int n = oc - c0 < 8 * vectors ? oc - c0 : 8 * vectors;
#pragma GCC unroll 8
    for (int p = 0; p < stored; p++) {
        if (n == 8 * vectors) {
#pragma GCC unroll 2
            for (int v = 0; v < vectors; v++)
                store8(out[p] + c0 + 8 * v, &acc[p][v], act);
        } else {
            for (int c = 0; c < n; c++)
                out[p][c0 + c] = fk_activate((float)acc[p][c / 8][c % 8], act);
        }
    }
}

/* ---- convolution ---- */

struct conv_geometry {
    int ih, iw, ic, oh, ow, oc, kh, kw, sh, sw, pt, pl;
};

/* The taps of window position `o` that fall inside an input of `n` cells:
 * [*lo, *hi). */
static inline void tap_range(int o, int stride, int pad, int k, int n, int *lo, int *hi)
{
    int start = o * stride - pad;
    *lo = start < 0 ? -start : 0;
    *hi = n - start < k ? n - start : k;
    if (*hi < *lo)
        *hi = *lo;
}

struct window {
    int ky0, ky1, kx0, kx1;
};

static inline struct window window_at(const struct conv_geometry *cg, int pixel)
{
    struct window w;
    tap_range(pixel / cg->ow, cg->sh, cg->pt, cg->kh, cg->ih, &w.ky0, &w.ky1);
    tap_range(pixel % cg->ow, cg->sw, cg->pl, cg->kw, cg->iw, &w.kx0, &w.kx1);
    return w;
}

/* dst[i] = src[i] for i < n, eight at a time. */
static inline __attribute__((always_inline)) void widen(double *dst, const float *src, int n)
{
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        v8d v = __builtin_convertvector(*(const v8f_unaligned *)(src + i), v8d);
        memcpy(dst + i, &v, sizeof v);
    }
    for (; i < n; i++)
        dst[i] = src[i];
}

/* Gathers the inputs under window w of `n` pixels from `first` into
 * x[p * stride + k] (zeros for the pixels past n) and lists the weight rows
 * they meet.  Returns the number of segments. */
static inline int gather(int pixels, const struct conv_geometry *cg, const float *in, int first,
                         int n, struct window win, double *x, size_t stride, struct segment *seg)
{
    int nseg = 0;
    if (win.kx0 == win.kx1)
        return 0;
    size_t k = 0;
    for (int ky = win.ky0; ky < win.ky1; ky++) {
        int len = (win.kx1 - win.kx0) * cg->ic;
        seg[nseg].row = (ky * cg->kw + win.kx0) * cg->ic;
        seg[nseg].len = len;
        nseg++;
        for (int p = 0; p < pixels; p++) {
            double *dst = x + (size_t)p * stride + k;
            if (p >= n) {
                memset(dst, 0, (size_t)len * sizeof *dst);
                continue;
            }
            int oy = (first + p) / cg->ow, ox = (first + p) % cg->ow;
            int y = oy * cg->sh - cg->pt + ky;
            const float *src =
                in + ((size_t)y * cg->iw + (ox * cg->sw - cg->pl + win.kx0)) * cg->ic;
            widen(dst, src, len);
        }
        k += (size_t)len;
    }
    return nseg;
}

static inline __attribute__((always_inline)) void
conv_generic(int pixels, int vectors, const struct conv_geometry *cg, const struct fk_matrix *m,
             const float *in, float *out, enum mg_act act, double *x, struct segment *seg)
{
    int cb = 8 * vectors;
    int panel = (int)(PANEL_BYTES / ((size_t)m->rows * sizeof(double))) / cb * cb;
    panel = panel < cb ? cb : panel;
    int num_pixels = cg->oh * cg->ow;
    for (int c_start = 0; c_start < m->ldw; c_start += panel) {
        int c_end = c_start + panel < m->ldw ? c_start + panel : m->ldw;
        int first = 0;
        while (first < num_pixels) {
            /* The group: up to `pixels` pixels with the same taps. */
            struct window win = window_at(cg, first);
            int n = 1;
            while (n < pixels && first + n < num_pixels) {
                struct window next = window_at(cg, first + n);
                if (next.ky0 != win.ky0 || next.ky1 != win.ky1 || next.kx0 != win.kx0 ||
                    next.kx1 != win.kx1)
                    break;
                n++;
            }
            int nseg = gather(pixels, cg, in, first, n, win, x, (size_t)m->rows, seg);
            float *rows[MAX_PIXELS];
            for (int p = 0; p < pixels; p++)
                rows[p] = out + (size_t)(first + (p < n ? p : 0)) * cg->oc;
            for (int c0 = c_start; c0 < c_end; c0 += cb)
                tile(pixels, vectors, x, (size_t)m->rows, seg, nseg, block_start(m, c0),
                     m->bias, c0, rows, n, cg->oc, act);
            first += n;
        }
    }
}

static inline __attribute__((always_inline)) void
dense_generic(int vectors, const struct fk_matrix *m, const double *x, float *out, int oc,
              enum mg_act act)
{
    struct segment all = {0, m->rows};
    float *const rows[1] = {out};
    for (int c0 = 0; c0 < m->ldw; c0 += 8 * vectors)
        tile(1, vectors, x, (size_t)m->rows, &all, 1, block_start(m, c0), m->bias, c0, rows,
             1, oc, act);
}

/* ---- depthwise ---- */

/* Channels [c0, c0 + 8 * vectors) of one output pixel, whose window has
 * the taps [ky0, ky1) x [kx0, kx1) inside the input. */
static inline __attribute__((always_inline)) void
depthwise_block(int vectors, const struct conv_geometry *cg, const struct fk_depthwise *d,
                const float *in, int oy, int ox, int ky0, int ky1, int kx0, int kx1, int c0,
                float *o, enum mg_act act)
{
    int ch = cg->ic;
    v8d acc[4];
#pragma GCC unroll 4
    for (int v = 0; v < vectors; v++)
        acc[v] = *(const v8d *)(d->bias + c0 + 8 * v);
    for (int ky = ky0; ky < ky1; ky++) {
        int y = oy * cg->sh - cg->pt + ky;
        for (int kx = kx0; kx < kx1; kx++) {
            int xx = ox * cg->sw - cg->pl + kx;
            const float *ip = in + ((size_t)y * cg->iw + xx) * ch + c0;
            const double *wp = d->w + ((size_t)ky * cg->kw + kx) * ch + c0;
#pragma GCC unroll 4
            for (int v = 0; v < vectors; v++) {
                v8f_unaligned xf = *(const v8f_unaligned *)(ip + 8 * v);
                v8d wv;
                memcpy(&wv, wp + 8 * v, sizeof wv);
                acc[v] += __builtin_convertvector(xf, v8d) * wv;
            }
        }
    }
#pragma GCC unroll 4
    for (int v = 0; v < vectors; v++)
        store8(o + c0 + 8 * v, &acc[v], act);
}

static inline __attribute__((always_inline)) void
depthwise_generic(const struct conv_geometry *cg, const struct fk_depthwise *d, const float *in,
                  float *out, enum mg_act act)
{
    int ch = cg->ic;
    for (int oy = 0; oy < cg->oh; oy++) {
        int ky0, ky1;
        tap_range(oy, cg->sh, cg->pt, cg->kh, cg->ih, &ky0, &ky1);
        for (int ox = 0; ox < cg->ow; ox++) {
            int kx0, kx1;
            tap_range(ox, cg->sw, cg->pl, cg->kw, cg->iw, &kx0, &kx1);
            float *o = out + ((size_t)oy * cg->ow + ox) * ch;
            int c0 = 0;
            /* Four independent vectors at a time keep the adder busy. */
            for (; c0 + 32 <= ch; c0 += 32)
                depthwise_block(4, cg, d, in, oy, ox, ky0, ky1, kx0, kx1, c0, o, act);
            for (; c0 + 8 <= ch; c0 += 8)
                depthwise_block(1, cg, d, in, oy, ox, ky0, ky1, kx0, kx1, c0, o, act);
            for (int c = c0; c < ch; c++) {
                double acc = d->bias[c];
                for (int ky = ky0; ky < ky1; ky++) {
                    int y = oy * cg->sh - cg->pt + ky;
                    for (int kx = kx0; kx < kx1; kx++) {
                        int xx = ox * cg->sw - cg->pl + kx;
                        acc += (double)in[((size_t)y * cg->iw + xx) * ch + c] *
                               d->w[((size_t)ky * cg->kw + kx) * ch + c];
                    }
                }
                o[c] = fk_activate((float)acc, act);
            }
        }
    }
}

/* ---- statistics for calibrate.c ---- */

void fk_add_values(double *sum, const float *v, int n)
{
    int c = 0;
    for (; c + 8 <= n; c += 8) {
        v8d acc;
        memcpy(&acc, sum + c, sizeof acc);
        acc += __builtin_convertvector(*(const v8f_unaligned *)(v + c), v8d);
        memcpy(sum + c, &acc, sizeof acc);
    }
    for (; c < n; c++)
        sum[c] += v[c];
}

void fk_add_squared_deviations(double *sum, const float *v, const double *mean, int n)
{
    int c = 0;
    for (; c + 8 <= n; c += 8) {
        v8d acc, m;
        memcpy(&acc, sum + c, sizeof acc);
        memcpy(&m, mean + c, sizeof m);
        v8d d = __builtin_convertvector(*(const v8f_unaligned *)(v + c), v8d) - m;
        acc += d * d;
        memcpy(sum + c, &acc, sizeof acc);
    }
    for (; c < n; c++) {
        double d = v[c] - mean[c];
        sum[c] += d * d;
    }
}

/* The scan `lo = v < lo ? v : lo` over values in order, from +infinity,
 * gives the first of the smallest values; only for zeros, -0 and +0, does
 * "first" decide the bits.  Four lanes (one SSE register on any x86-64)
 * scan every fourth value each; if the smallest is zero and the lanes'
 * first zeros differ in sign, the scan is redone in order.  Likewise for
 * the largest. */
typedef float v4f __attribute__((vector_size(16)));
typedef int32_t v4i __attribute__((vector_size(16)));
typedef float v4f_unaligned __attribute__((vector_size(16), aligned(4)));

static void scan_range(const float *v, size_t n, float *lo, float *hi)
{
    float l = __builtin_inff(), h = -__builtin_inff();
    for (size_t i = 0; i < n; i++) {
        l = v[i] < l ? v[i] : l;
        h = v[i] > h ? v[i] : h;
    }
    *lo = l;
    *hi = h;
}

static int zero_signs_differ(const float *lanes, float best)
{
    if (best != 0.0f)
        return 0;
    int plus = 0, minus = 0;
    for (int j = 0; j < 4; j++)
        if (lanes[j] == 0.0f) {
            if (__builtin_signbit(lanes[j]))
                minus = 1;
            else
                plus = 1;
        }
    return plus && minus;
}

void fk_range(const float *v, size_t n, float *lo, float *hi)
{
    size_t whole = n / 4 * 4;
    const v4f inf = {__builtin_inff(), __builtin_inff(), __builtin_inff(), __builtin_inff()};
    v4f l4 = inf, h4 = -inf;
    for (size_t i = 0; i < whole; i += 4) {
        v4f x = *(const v4f_unaligned *)(v + i);
        v4i less = x < l4, more = x > h4;
        l4 = (v4f)(((v4i)x & less) | ((v4i)l4 & ~less));
        h4 = (v4f)(((v4i)x & more) | ((v4i)h4 & ~more));
    }
    float lanes_lo[4], lanes_hi[4], l = __builtin_inff(), h = -__builtin_inff();
    memcpy(lanes_lo, &l4, sizeof lanes_lo);
    memcpy(lanes_hi, &h4, sizeof lanes_hi);
    for (int j = 0; j < 4; j++) {
        l = lanes_lo[j] < l ? lanes_lo[j] : l;
        h = lanes_hi[j] > h ? lanes_hi[j] : h;
    }
    if (zero_signs_differ(lanes_lo, l) || zero_signs_differ(lanes_hi, h)) {
        scan_range(v, n, lo, hi);
        return;
    }
    for (size_t i = whole; i < n; i++) {
        l = v[i] < l ? v[i] : l;
        h = v[i] > h ? v[i] : h;
    }
    *lo = l;
    *hi = h;
}

/* ---- one version per target, and the choice between them ---- */

/* Tiles: AVX-512 has 32 registers of 8 doubles, AVX2 16 of 4, plain x86-64
 * (SSE2) 16 of 2; each tile leaves room for the weights and the broadcast
 * input. */
#define GENERIC_PIXELS 2
#define GENERIC_VECTORS 1

static void conv_plain(const struct conv_geometry *cg, const struct fk_matrix *m, const float *in,
                       float *out, enum mg_act act, double *x, struct segment *seg)
{
    conv_generic(GENERIC_PIXELS, GENERIC_VECTORS, cg, m, in, out, act, x, seg);
}

static void dense_plain(const struct fk_matrix *m, const double *x, float *out, int oc,
                        enum mg_act act)
{
    dense_generic(GENERIC_VECTORS, m, x, out, oc, act);
}

static void depthwise_plain(const struct conv_geometry *cg, const struct fk_depthwise *d,
                            const float *in, float *out, enum mg_act act)
{
    depthwise_generic(cg, d, in, out, act);
}

#ifdef MULTI_TARGET
#define V3 __attribute__((target("arch=x86-64-v3")))
#define V4 __attribute__((target("arch=x86-64-v4,prefer-vector-width=512")))

static V3 void conv_v3(const struct conv_geometry *cg, const struct fk_matrix *m, const float *in,
                       float *out, enum mg_act act, double *x, struct segment *seg)
{
    conv_generic(4, 1, cg, m, in, out, act, x, seg);
}

static V4 void conv_v4(const struct conv_geometry *cg, const struct fk_matrix *m, const float *in,
                       float *out, enum mg_act act, double *x, struct segment *seg)
{
    conv_generic(8, 2, cg, m, in, out, act, x, seg);
}

static V3 void dense_v3(const struct fk_matrix *m, const double *x, float *out, int oc,
                        enum mg_act act)
{
    dense_generic(1, m, x, out, oc, act);
}

static V4 void dense_v4(const struct fk_matrix *m, const double *x, float *out, int oc,
                        enum mg_act act)
{
    dense_generic(2, m, x, out, oc, act);
}

static V3 void depthwise_v3(const struct conv_geometry *cg, const struct fk_depthwise *d,
                            const float *in, float *out, enum mg_act act)
{
    depthwise_generic(cg, d, in, out, act);
}

static V4 void depthwise_v4(const struct conv_geometry *cg, const struct fk_depthwise *d,
                            const float *in, float *out, enum mg_act act)
{
    depthwise_generic(cg, d, in, out, act);
}

#endif

int fk_target_supported(enum fk_target t)
{
    if (t == FK_PLAIN)
        return 1;
#ifdef MULTI_TARGET
    __builtin_cpu_init();
    if (t == FK_AVX2)
        return __builtin_cpu_supports("x86-64-v3") != 0;
    if (t == FK_AVX512)
        return __builtin_cpu_supports("x86-64-v4") != 0;
#endif
    return 0;
}

enum fk_target fk_best_target(void)
{
    return fk_target_supported(FK_AVX512) ? FK_AVX512
           : fk_target_supported(FK_AVX2) ? FK_AVX2
                                          : FK_PLAIN;
}

static struct conv_geometry geometry(const struct mg_shape *is, const struct mg_shape *os,
                                     const struct mg_layer *l)
{
    struct conv_geometry cg = {
        is->dim[1], is->dim[2], is->dim[3], os->dim[1], os->dim[2], os->dim[3],
        l->kh,      l->kw,      l->stride_h, l->stride_w, 0,         0,
    };
    cg.pt = fk_pad_before(cg.ih, cg.oh, cg.kh, cg.sh, l->padding);
    cg.pl = fk_pad_before(cg.iw, cg.ow, cg.kw, cg.sw, l->padding);
    return cg;
}

int fk_conv2d(enum fk_target t, const struct mg_shape *is, const struct mg_shape *os,
              const struct mg_layer *l, const struct fk_matrix *m, const float *in, float *out,
              enum mg_act act)
{
    struct conv_geometry cg = geometry(is, os, l);
    double *x = malloc((size_t)m->rows * MAX_PIXELS * sizeof *x);
    struct segment *seg = malloc((size_t)cg.kh * sizeof *seg);
    if (!x || !seg) {
        free(x);
        free(seg);
        return -1;
    }
    switch (t) {
#ifdef MULTI_TARGET
    case FK_AVX512:
        conv_v4(&cg, m, in, out, act, x, seg);
        break;
    case FK_AVX2:
        conv_v3(&cg, m, in, out, act, x, seg);
        break;
#endif
    default:
        conv_plain(&cg, m, in, out, act, x, seg);
        break;
    }
    free(x);
    free(seg);
    return 0;
}

int fk_fully_connected(enum fk_target t, int n_in, const struct mg_layer *l,
                       const struct fk_matrix *m, const float *in, float *out, enum mg_act act)
{
    double *x = malloc((size_t)n_in * sizeof *x);
    if (!x)
        return -1;
    for (int i = 0; i < n_in; i++)
        x[i] = in[i];
    switch (t) {
#ifdef MULTI_TARGET
    case FK_AVX512:
        dense_v4(m, x, out, l->out_channels, act);
        break;
    case FK_AVX2:
        dense_v3(m, x, out, l->out_channels, act);
        break;
#endif
    default:
        dense_plain(m, x, out, l->out_channels, act);
        break;
    }
    free(x);
    return 0;
}

void fk_depthwise(enum fk_target t, const struct mg_shape *is, const struct mg_shape *os,
                  const struct mg_layer *l, const struct fk_depthwise *d, const float *in,
                  float *out, enum mg_act act)
{
    struct conv_geometry cg = geometry(is, os, l);
    switch (t) {
#ifdef MULTI_TARGET
    case FK_AVX512:
        depthwise_v4(&cg, d, in, out, act);
        break;
    case FK_AVX2:
        depthwise_v3(&cg, d, in, out, act);
        break;
#endif
    default:
        depthwise_plain(&cg, d, in, out, act);
        break;
    }
}
