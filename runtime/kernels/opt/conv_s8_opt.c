/*
 * conv_s8_opt.c — CONV_2D int8, any kernel size, stride, dilation and
 * padding (groups = 1): im2col into a two-column buffer, then the shared
 * matrix core (nn_mat_mult_kernel_s8_s16_opt.c).  Bit-identical to
 * conv_s8_ref.c: a tap in the padding contributes (zero point + offset) = 0,
 * exactly what ref's skipped tap contributes.
 *
 * The column of an output pixel is k = k_h * k_w * in_c values in the
 * weights' order (ky, kx, ic).  When in_c is a multiple of 4 each tap fills
 * whole SIMD groups straight from the input (a kernel row at once when it
 * lies inside the input); otherwise the column is first gathered as int8
 * (padding = the input zero point) into a staging area and then expanded,
 * so that groups of four may straddle taps (3-channel RGB inputs, 1-channel
 * spectrograms); both columns' copies are expanded together.
 *
 * Scratch: the two columns (4 * k bytes, k rounded up to 4), twice k
 * bytes (rounded to 4) of staging when it is used, and on DSP cores the matrix
 * core's requantization table (12 bytes per output channel).
 */
#include "opt_kernels.h"

struct conv_shape {
    int32_t in_h, in_w, in_c, k_h, k_w, out_h, out_w, out_c, k;
};

static void get_shape(const struct rt_tensor *tensors, const struct rt_node *node, struct conv_shape *s)
{
    const struct rt_tensor *in = &tensors[node->inputs[0]];
    const struct rt_tensor *filter = &tensors[node->inputs[1]];
    const struct rt_tensor *out = &tensors[node->outputs[0]];
    s->in_h = in->dims[1];
    s->in_w = in->dims[2];
    s->in_c = in->dims[3];
    s->k_h = filter->dims[1];
    s->k_w = filter->dims[2];
    s->out_h = out->dims[1];
    s->out_w = out->dims[2];
    s->out_c = out->dims[3];
    s->k = s->k_h * s->k_w * s->in_c;
}

/* Whether columns are staged as int8 first (SIMD groups would straddle
 * taps), on a core that takes the 2x16-bit paths (simd). */
static bool staged(const struct conv_shape *s, bool simd)
{
    return simd && s->in_c % 4 != 0;
}

/* Two staging copies, one per column, each k rounded up to 4. */
static uint32_t stage_bytes(const struct conv_shape *s, bool simd)
{
    return staged(s, simd) ? 2u * (((uint32_t)s->k + 3u) & ~3u) : 0;
}

static uint32_t conv_s8_opt_scratch(const struct rt_tensor *tensors, const struct rt_node *node,
                                    const struct rt_target *target)
{
    struct conv_shape s;
    get_shape(tensors, node, &s);
    return rt_opt_columns_bytes(s.k) + stage_bytes(&s, target->simd) + rt_opt_mat_mult_table_bytes(s.out_c, target->dsp);
}

/* Column j for output pixel (oy, ox), straight from the input. */
static void fill_direct(uint32_t *cols, int j, const struct conv_shape *s, const struct rt_conv_params *p,
                        const int8_t *input, int32_t oy, int32_t ox)
{
    const int32_t iy0 = oy * p->stride_h - p->pad_h, ix0 = ox * p->stride_w - p->pad_w;
    const int32_t row_len = s->k_w * s->in_c;
    const bool row_inside = ix0 >= 0 && ix0 + (s->k_w - 1) * p->dilation_w < s->in_w;
    for (int32_t ky = 0; ky < s->k_h; ky++) {
        const int32_t iy = iy0 + ky * p->dilation_h;
        const int32_t k0 = ky * row_len;
        if (iy < 0 || iy >= s->in_h) {
            rt_opt_column_zero(cols, s->k, j, k0, row_len);
            continue;
        }
        const int8_t *row = input + iy * s->in_w * s->in_c;
        if (row_inside && p->dilation_w == 1) {
            rt_opt_column_fill(cols, s->k, j, k0, row + ix0 * s->in_c, row_len, p->input_offset);
            continue;
        }
        for (int32_t kx = 0; kx < s->k_w; kx++) {
            const int32_t ix = ix0 + kx * p->dilation_w;
            if (ix < 0 || ix >= s->in_w)
                rt_opt_column_zero(cols, s->k, j, k0 + kx * s->in_c, s->in_c);
            else
                rt_opt_column_fill(cols, s->k, j, k0 + kx * s->in_c, row + ix * s->in_c, s->in_c, p->input_offset);
        }
    }
}

/* Whether pixels (y[0], x[0]) and (y[1], x[1]) are in the same row and
 * all their taps inside the input, with no dilation across a row. */
static bool both_inside(const struct conv_shape *s, const struct rt_conv_params *p, const int32_t y[2],
                        const int32_t x[2])
{
    const int32_t iy0 = y[0] * p->stride_h - p->pad_h;
    const int32_t ix0 = x[0] * p->stride_w - p->pad_w, ix1 = x[1] * p->stride_w - p->pad_w;
    return y[0] == y[1] && p->dilation_w == 1 && iy0 >= 0 && iy0 + (s->k_h - 1) * p->dilation_h < s->in_h &&
           ix0 >= 0 && ix1 >= 0 && ix0 + s->k_w <= s->in_w && ix1 + s->k_w <= s->in_w;
}

/* Both columns of an interior pixel pair: per kernel row, one contiguous
 * run of k_w * in_c values per pixel, expanded together. */
static void fill_pair(uint32_t *cols, const struct conv_shape *s, const struct rt_conv_params *p,
                      const int8_t *input, int32_t oy, int32_t ox0, int32_t ox1)
{
    const int32_t iy0 = oy * p->stride_h - p->pad_h;
    const int32_t row_len = s->k_w * s->in_c;
    const int8_t *row = input + (iy0 * s->in_w) * s->in_c;
    const int32_t off0 = (ox0 * p->stride_w - p->pad_w) * s->in_c, off1 = (ox1 * p->stride_w - p->pad_w) * s->in_c;
    const int32_t row_step = p->dilation_h * s->in_w * s->in_c;
    for (int32_t ky = 0; ky < s->k_h; ky++, row += row_step)
        rt_opt_column_fill_pair(cols, ky * row_len, row + off0, row + off1, row_len, p->input_offset);
}

/* n bytes from src to dst (n small: a few taps of 1 or 3 channels),
 * word by word; a library memcpy call costs more than the copy. */
static inline void copy_small(int8_t *dst, const int8_t *src, int32_t n)
{
    int32_t i = 0;
    for (; i + 4 <= n; i += 4)
        rt_write_u32(dst + i, rt_read_u32(src + i));
    if (n & 2) {
        dst[i] = src[i];
        dst[i + 1] = src[i + 1];
        i += 2;
    }
    if (n & 1)
        dst[i] = src[i];
}

static inline void fill_small(int8_t *dst, uint32_t pad4, int32_t n)
{
    int32_t i = 0;
    for (; i + 4 <= n; i += 4)
        rt_write_u32(dst + i, pad4);
    if (n & 2) {
        dst[i] = (int8_t)pad4;
        dst[i + 1] = (int8_t)pad4;
        i += 2;
    }
    if (n & 1)
        dst[i] = (int8_t)pad4;
}

/* The int8 staging copy of one column (padding = the input zero point).
 * The stage is k rounded up to 4 bytes, the last ones also the zero point,
 * which the expansion turns into the zeros the padded group needs: whole
 * groups only.  (The shape is copied to locals first: every byte stored
 * could alias it, and GCC would reload it after each.) */
static void stage_column(int8_t *stage, const struct conv_shape *s, const struct rt_conv_params *p,
                         const int8_t *input, int32_t oy, int32_t ox)
{
    const int32_t in_h = s->in_h, in_w = s->in_w, in_c = s->in_c, k_h = s->k_h, k_w = s->k_w, k = s->k;
    const int32_t dil_h = p->dilation_h, dil_w = p->dilation_w;
    const int32_t iy0 = oy * p->stride_h - p->pad_h, ix0 = ox * p->stride_w - p->pad_w;
    const uint32_t pad4 = 0x01010101u * (uint8_t)(int8_t)-p->input_offset;
    const int32_t row_len = k_w * in_c, k4 = (k + 3) & ~3, row_bytes = in_w * in_c;
    const bool row_inside = ix0 >= 0 && ix0 + (k_w - 1) * dil_w < in_w && dil_w == 1;
    int8_t *dst = stage;
    for (int32_t ky = 0; ky < k_h; ky++, dst += row_len) {
        const int32_t iy = iy0 + ky * dil_h;
        if (iy < 0 || iy >= in_h) {
            fill_small(dst, pad4, row_len);
            continue;
        }
        const int8_t *row = input + iy * row_bytes;
        if (row_inside) {
            copy_small(dst, row + ix0 * in_c, row_len);
            continue;
        }
        for (int32_t kx = 0; kx < k_w; kx++) {
            const int32_t ix = ix0 + kx * dil_w;
            if (ix < 0 || ix >= in_w)
                fill_small(dst + kx * in_c, pad4, in_c);
            else
                copy_small(dst + kx * in_c, row + ix * in_c, in_c);
        }
    }
    fill_small(stage + k, pad4, k4 - k);
}

static enum rt_status conv_s8_opt(struct rt_tensor *tensors, const struct rt_node *node)
{
    const struct rt_conv_params *p = node->params;
    struct conv_shape s;
    get_shape(tensors, node, &s);
    const struct rt_tensor *in = rt_node_input(tensors, node, 0);
    const int8_t *weights = (const int8_t *)rt_node_input(tensors, node, 1)->data;
    const int32_t *bias = rt_opt_bias(tensors, node);
    int8_t *output = (int8_t *)rt_node_output(tensors, node, 0)->data;
    uint32_t *cols = node->scratch;
    int8_t *stage = (int8_t *)node->scratch + rt_opt_columns_bytes(s.k);
    const bool use_stage = staged(&s, RT_OPT_SIMD);
    const int32_t pixels = s.out_h * s.out_w;
    struct rt_opt_mat_mult mm;
    int32_t *table = (int32_t *)(void *)(stage + stage_bytes(&s, RT_OPT_SIMD));
    rt_opt_mat_mult_init(&mm, weights, bias, s.out_c, s.k, p, RT_SIMD_DSP ? table : NULL);

    for (int32_t b = 0; b < in->dims[0]; b++) {
        const int8_t *input = (const int8_t *)in->data + b * s.in_h * s.in_w * s.in_c;
        int8_t *out = output + b * pixels * s.out_c;
        int32_t oy = 0, ox = 0;
        for (int32_t px = 0; px < pixels; px += 2) {
            /* Columns for pixels px and px + 1 (px again when it is the last). */
            int32_t y[2], x[2];
            y[0] = oy;
            x[0] = ox;
            if (++ox == s.out_w) {
                ox = 0;
                oy++;
            }
            const bool pair = px + 1 < pixels;
            y[1] = pair ? oy : y[0];
            x[1] = pair ? ox : x[0];
            if (pair && ++ox == s.out_w) {
                ox = 0;
                oy++;
            }
            if (use_stage) {
                /* Both columns staged, then expanded together. */
                const int32_t k4 = (s.k + 3) & ~3;
                stage_column(stage, &s, p, input, y[0], x[0]);
                stage_column(stage + k4, &s, p, input, y[1], x[1]);
                rt_opt_column_fill_pair(cols, 0, stage, stage + k4, k4, p->input_offset);
            } else if (both_inside(&s, p, y, x)) {
                fill_pair(cols, &s, p, input, y[0], x[0], x[1]);
            } else {
                fill_direct(cols, 0, &s, p, input, y[0], x[0]);
                fill_direct(cols, 1, &s, p, input, y[1], x[1]);
            }
            int8_t *out0 = out + px * s.out_c;
            rt_opt_mat_mult_s8(&mm, cols, out0, pair ? out0 + s.out_c : NULL);
        }
    }
    return RT_OK;
}

const struct rt_kernel rt_kernel_conv_s8_opt = {
    .name = "conv_s8_opt", .op = TFLITE_OP_CONV_2D, .type = TFLITE_TYPE_INT8,
    .scratch_size = conv_s8_opt_scratch, .invoke = conv_s8_opt,
};
