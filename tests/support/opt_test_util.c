/*
 * opt_test_util.c — see opt_test_util.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app_args.h"
#include "opt_test_util.h"
#include "qmodel.h"
#include "tflite_writer.h"

#define OPT_TEST_ARENA (8u << 20)

uint32_t opt_rng_u32(struct opt_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}

int32_t opt_rng_range(struct opt_rng *r, int32_t lo, int32_t hi)
{
    return lo + (int32_t)(opt_rng_u32(r) % (uint32_t)(hi - lo + 1));
}

double opt_rng_unit(struct opt_rng *r)
{
    return opt_rng_u32(r) / 4294967296.0;
}

void opt_session_start(struct opt_session *s, const uint8_t *bytes, size_t size, const char *family)
{
    memset(s, 0, sizeof *s);
    s->bytes = aligned_alloc(16, (size + 16) & ~(size_t)15);
    s->arena = aligned_alloc(16, OPT_TEST_ARENA);
    memcpy(s->bytes, bytes, size);
    const struct rt_kernel_family *f = rt_family_find(family);
    if (!f) {
        s->status = RT_BAD_ARG;
        rt_fail(&s->err, RT_BAD_ARG, "family not linked");
        return;
    }
    s->status = rt_model_open(&s->model, s->bytes, size, rt_op_supported, &s->err);
    if (s->status == RT_OK)
        s->status = rt_interp_init(&s->interp, &s->model, f, s->arena, OPT_TEST_ARENA, &s->err);
}

void opt_session_free(struct opt_session *s)
{
    free(s->bytes);
    free(s->arena);
    memset(s, 0, sizeof *s);
}

enum rt_status opt_session_run_node(struct opt_session *s, uint32_t i)
{
    const struct rt_node *node = &s->interp.nodes[i];
    return node->kernel->invoke(s->interp.tensors, node);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Whether node i of s changed, in the arena's head and tail, only its
 * outputs' bytes and its scratch (before: the head then the tail, as they
 * were before the node ran). */
static bool only_allowed_changed(const struct opt_session *s, uint32_t i, const uint8_t *before, size_t head,
                                 size_t tail)
{
    const struct rt_node *node = &s->interp.nodes[i];
    const uint8_t *arena = s->interp.arena, *tail_base = arena + s->interp.capacity - tail;
    for (size_t j = 0; j < head; j++) {
        if (arena[j] == before[j])
            continue;
        const uint8_t *at = arena + j;
        bool allowed = node->scratch && at >= (const uint8_t *)node->scratch &&
                       at < (const uint8_t *)node->scratch + node->scratch_bytes;
        for (unsigned k = 0; k < node->num_outputs && !allowed; k++) {
            const struct rt_tensor *t = &s->interp.tensors[node->outputs[k]];
            allowed = at >= t->data && at < t->data + t->bytes;
        }
        if (!allowed)
            return false;
    }
    return memcmp(tail_base, before + head, tail) == 0;
}

void opt_compare_model(const uint8_t *bytes, size_t size, const uint8_t *input, size_t input_bytes, uint32_t seed,
                       struct opt_compare *r)
{
    struct opt_session ref, opt;
    memset(r, 0, sizeof *r);
    r->first_diff_layer = -1;
    r->stray_layer = -1;
    opt_session_start(&ref, bytes, size, "ref");
    opt_session_start(&opt, bytes, size, "opt");
    r->ref_status = ref.status;
    r->opt_status = opt.status;
    if (ref.status != RT_OK || opt.status != RT_OK) {
        snprintf(r->error, sizeof r->error, "init: ref %s, opt %s", ref.err.msg, opt.err.msg);
        goto done;
    }
    r->ref_arena = (uint32_t)ref.interp.arena_needed;
    r->opt_arena = (uint32_t)opt.interp.arena_needed;
    struct rt_tensor *in_ref = rt_interp_input(&ref.interp, 0), *in_opt = rt_interp_input(&opt.interp, 0);
    if (input) {
        if (input_bytes != in_ref->bytes) {
            r->ref_status = RT_BAD_ARG;
            snprintf(r->error, sizeof r->error, "input has %zu bytes, the model needs %u", input_bytes, in_ref->bytes);
            goto done;
        }
        memcpy(in_ref->data, input, input_bytes);
    } else {
        app_fill_pseudo_random(in_ref, seed);
    }
    memcpy(in_opt->data, in_ref->data, in_ref->bytes);

    r->layers = ref.interp.num_nodes;
    size_t used = 0;
    for (uint32_t i = 0; i < ref.interp.num_nodes; i++) {
        const char *name = opt.interp.nodes[i].kernel->name;
        const struct rt_node *node = &opt.interp.nodes[i];
        bool mac_op = node->op == TFLITE_OP_CONV_2D || node->op == TFLITE_OP_DEPTHWISE_CONV_2D ||
                      node->op == TFLITE_OP_FULLY_CONNECTED;
        bool int8 = opt.interp.tensors[node->inputs[0]].type == TFLITE_TYPE_INT8;
        if (ends_with(name, "_opt"))
            r->opt_layers++;
        if (mac_op && int8) {
            r->int8_mac_layers++;
            r->int8_mac_layers_opt += ends_with(name, "_opt");
        }
        int n = snprintf(r->kernels + used, sizeof r->kernels - used, "%s%s", i ? "," : "", name);
        if (n > 0 && (size_t)n < sizeof r->kernels - used)
            used += (size_t)n;
    }
    const size_t head = opt.interp.activation_bytes, tail = opt.interp.persistent_bytes;
    uint8_t *const tail_base = opt.interp.arena + opt.interp.capacity - tail;
    uint8_t *before = malloc(head + tail + 1);
    for (uint32_t i = 0; i < ref.interp.num_nodes; i++) {
        memcpy(before, opt.interp.arena, head);
        memcpy(before + head, tail_base, tail);
        r->ref_status = opt_session_run_node(&ref, i);
        r->opt_status = opt_session_run_node(&opt, i);
        if (r->stray_layer < 0 && !only_allowed_changed(&opt, i, before, head, tail))
            r->stray_layer = (int32_t)i;
        if (r->ref_status != RT_OK || r->opt_status != RT_OK) {
            snprintf(r->error, sizeof r->error, "layer %u failed: ref %s, opt %s", i,
                     rt_status_name(r->ref_status), rt_status_name(r->opt_status));
            free(before);
            goto done;
        }
        const struct rt_node *node = &ref.interp.nodes[i];
        for (unsigned k = 0; k < node->num_outputs; k++) {
            const struct rt_tensor *a = &ref.interp.tensors[node->outputs[k]];
            const struct rt_tensor *b = &opt.interp.tensors[node->outputs[k]];
            if (a->bytes != b->bytes || memcmp(a->data, b->data, a->bytes) != 0) {
                uint32_t diff = 0;
                for (uint32_t j = 0; j < a->bytes && j < b->bytes; j++)
                    diff += a->data[j] != b->data[j];
                r->first_diff_layer = (int32_t)i;
                r->diff_bytes = diff;
                free(before);
                goto done;
            }
        }
    }
    free(before);
done:
    opt_session_free(&ref);
    opt_session_free(&opt);
}

/* ---- single-layer models ---- */

static int32_t out_size(int32_t in, int32_t k, int32_t stride, bool same)
{
    return same ? (in + stride - 1) / stride : (in - k) / stride + 1;
}

static int add_tensor(struct mg_qmodel *m, const char *name, uint8_t type, int rank, const int32_t *dims)
{
    int t = mg_qmodel_add_tensor(m);
    if (t < 0)
        return -1;
    struct mg_qtensor *qt = &m->tensors[t];
    snprintf(qt->name, sizeof qt->name, "%s", name);
    qt->type = type;
    qt->rank = rank;
    memcpy(qt->dims, dims, (size_t)rank * sizeof *dims);
    return t;
}

static int set_quant(struct mg_qmodel *m, int t, int n, const float *scales, int32_t zero_point, int32_t qdim)
{
    int64_t *zps = malloc((size_t)n * sizeof *zps);
    for (int i = 0; i < n; i++)
        zps[i] = zero_point;
    int rc = mg_qtensor_set_quant(&m->tensors[t], n, scales, zps, qdim);
    free(zps);
    return rc;
}

static bool pruned_channel(const struct opt_layer_spec *sp, int32_t c)
{
    return sp->pruned && c % 3 == 1;
}

uint8_t *opt_build_layer_model(const struct opt_layer_spec *sp, uint64_t seed, size_t *size)
{
    struct opt_rng r = {seed};
    struct mg_qmodel m;
    mg_qmodel_init(&m);
    uint8_t *bytes = NULL;
    const bool fc = sp->kind == OPT_FC, dw = sp->kind == OPT_DWCONV;
    const int32_t out_c = dw ? sp->in_c * sp->depth_multiplier : sp->out_c;
    const int32_t taps = fc ? 1 : sp->k_h * sp->k_w;
    const int32_t k = dw ? taps : taps * sp->in_c;

    /* Input. */
    int32_t in_dims[4] = {sp->batch, sp->in_h, sp->in_w, sp->in_c};
    int32_t fc_in_dims[2] = {sp->batch, sp->in_c};
    int tin = fc ? add_tensor(&m, "input", TFLITE_TYPE_INT8, 2, fc_in_dims)
                 : add_tensor(&m, "input", TFLITE_TYPE_INT8, 4, in_dims);
    float in_scale = (float)(0.005 + 0.1 * opt_rng_unit(&r));
    if (tin < 0 || set_quant(&m, tin, 1, &in_scale, sp->input_zero_point, 0))
        goto fail;

    /* Weights: random int8 within a random range per channel. */
    int32_t w_dims[4];
    int w_rank;
    if (sp->kind == OPT_CONV)
        w_rank = 4, w_dims[0] = out_c, w_dims[1] = sp->k_h, w_dims[2] = sp->k_w, w_dims[3] = sp->in_c;
    else if (dw)
        w_rank = 4, w_dims[0] = 1, w_dims[1] = sp->k_h, w_dims[2] = sp->k_w, w_dims[3] = out_c;
    else
        w_rank = 2, w_dims[0] = out_c, w_dims[1] = sp->in_c;
    int tw = add_tensor(&m, "weights", TFLITE_TYPE_INT8, w_rank, w_dims);
    if (tw < 0)
        goto fail;
    size_t nw = (size_t)out_c * (size_t)k;
    m.tensors[tw].data = malloc(nw);
    m.tensors[tw].data_bytes = nw;
    int32_t *range = malloc((size_t)out_c * sizeof *range);
    for (int32_t c = 0; c < out_c; c++)
        range[c] = opt_rng_range(&r, 0, 3) == 0 ? opt_rng_range(&r, 1, 20) : 127;
    for (size_t i = 0; i < nw; i++) {
        int32_t c = dw ? (int32_t)(i % (size_t)out_c) : (int32_t)(i / (size_t)k);
        m.tensors[tw].data[i] = (uint8_t)(int8_t)(pruned_channel(sp, c) ? 0 : opt_rng_range(&r, -range[c], range[c]));
    }
    free(range);
    const bool per_channel = !fc || sp->per_channel;
    const int nscales = per_channel ? out_c : 1;
    float *w_scale = malloc((size_t)nscales * sizeof *w_scale);
    for (int c = 0; c < nscales; c++) {
        w_scale[c] = (float)(0.002 + 0.02 * opt_rng_unit(&r));
        /* A pruned channel's scale, as a converter derives it from
         * nearly-zero float weights: 2^-12 to 2^-24 of the others, which
         * puts its effective scale below what the short requantization
         * takes (opt_kernels.h), down to a zero multiplier. */
        if (per_channel && pruned_channel(sp, c))
            w_scale[c] = (float)ldexp(w_scale[c], -(int)opt_rng_range(&r, 12, 24));
    }
    int qrc = set_quant(&m, tw, nscales, w_scale, 0, dw ? 3 : 0);

    /* Bias (scale in_scale * w_scale, zero point 0). */
    int tb = -1;
    if (sp->bias && qrc == 0) {
        int32_t b_dims[1] = {out_c};
        tb = add_tensor(&m, "bias", TFLITE_TYPE_INT32, 1, b_dims);
        float *b_scale = malloc((size_t)nscales * sizeof *b_scale);
        for (int c = 0; c < nscales; c++)
            b_scale[c] = in_scale * w_scale[c];
        if (tb < 0 || set_quant(&m, tb, nscales, b_scale, 0, 0))
            qrc = -1;
        free(b_scale);
        if (tb >= 0) {
            m.tensors[tb].data = malloc((size_t)out_c * 4);
            m.tensors[tb].data_bytes = (size_t)out_c * 4;
            for (int32_t c = 0; c < out_c; c++) {
                uint32_t v = (uint32_t)opt_rng_range(&r, -40000, 40000);
                for (int i = 0; i < 4; i++)
                    m.tensors[tb].data[4 * c + i] = (uint8_t)(v >> (8 * i));
            }
        }
    }

    /* Output: a scale that spreads the outputs over the int8 range (std of
     * the accumulator ~ sqrt(k) * 74 * 60), or one that puts the effective
     * scale at 1/4 or above. */
    double mean_w = 0;
    int n_mean = 0;
    for (int c = 0; c < nscales; c++)
        if (!(per_channel && pruned_channel(sp, c)))
            mean_w += w_scale[c], n_mean++;
    mean_w /= n_mean > 0 ? n_mean : 1;
    if (n_mean == 0)
        mean_w = w_scale[0];
    double acc_std = sqrt((double)k) * 74.0 * 60.0;
    float out_scale = sp->big_scale ? (float)(in_scale * mean_w / (0.3 + 2.0 * opt_rng_unit(&r)))
                                    : (float)(in_scale * mean_w * acc_std / (30.0 + 40.0 * opt_rng_unit(&r)));
    /* A pruned channel outputs its requantized bias at every pixel: a bias
     * for a value in [-150, 150] output steps, of either sign (the double
     * rounding treats negative accumulators apart). */
    if (tb >= 0 && per_channel)
        for (int32_t c = 0; c < out_c; c++) {
            if (!pruned_channel(sp, c))
                continue;
            double steps = (double)in_scale * w_scale[c] / out_scale;
            double b = (-150.0 + 300.0 * opt_rng_unit(&r)) / steps;
            uint32_t v = (uint32_t)(int32_t)(b > 2147483647.0 ? 2147483647.0 : b < -2147483648.0 ? -2147483648.0 : b);
            for (int i = 0; i < 4; i++)
                m.tensors[tb].data[4 * c + i] = (uint8_t)(v >> (8 * i));
        }
    free(w_scale);
    int32_t out_dims[4];
    int out_rank = fc ? 2 : 4;
    if (fc) {
        out_dims[0] = sp->batch, out_dims[1] = out_c;
    } else {
        out_dims[0] = sp->batch;
        out_dims[1] = out_size(sp->in_h, sp->k_h, sp->stride_h, sp->same_padding);
        out_dims[2] = out_size(sp->in_w, sp->k_w, sp->stride_w, sp->same_padding);
        out_dims[3] = out_c;
    }
    int tout = add_tensor(&m, "output", TFLITE_TYPE_INT8, out_rank, out_dims);
    if (qrc || tout < 0 || set_quant(&m, tout, 1, &out_scale, sp->output_zero_point, 0))
        goto fail;

    int oi = mg_qmodel_add_op(&m);
    if (oi < 0)
        goto fail;
    struct mg_qop *op = &m.ops[oi];
    op->builtin_op = sp->kind == OPT_CONV ? TFLITE_OP_CONV_2D : dw ? TFLITE_OP_DEPTHWISE_CONV_2D
                                                                   : TFLITE_OP_FULLY_CONNECTED;
    op->version = fc ? 4 : 3;
    op->inputs[op->num_inputs++] = tin;
    op->inputs[op->num_inputs++] = tw;
    if (tb >= 0)
        op->inputs[op->num_inputs++] = tb;
    op->output = tout;
    op->padding = sp->same_padding ? TFLITE_PADDING_SAME : TFLITE_PADDING_VALID;
    op->activation = sp->activation;
    op->stride_w = sp->stride_w;
    op->stride_h = sp->stride_h;
    op->depth_multiplier = dw ? sp->depth_multiplier : 0;
    m.input = tin;
    m.output = tout;
    char err[256];
    if (mg_write_tflite(&m, &bytes, size, err, sizeof err) != 0)
        bytes = NULL;
fail:
    mg_qmodel_free(&m);
    return bytes;
}

uint8_t *opt_build_add_model(int32_t h, int32_t w, int32_t c, uint8_t activation, bool equal_scales, uint64_t seed,
                             size_t *size)
{
    struct opt_rng r = {seed};
    struct mg_qmodel m;
    mg_qmodel_init(&m);
    uint8_t *bytes = NULL;
    int32_t dims[4] = {1, h, w, c};
    float sx = (float)(0.01 + 0.1 * opt_rng_unit(&r));
    float sy = equal_scales ? sx : (float)(0.01 + 0.3 * opt_rng_unit(&r));
    float so = (float)((sx > sy ? sx : sy) * (1.0 + 2.0 * opt_rng_unit(&r)));
    int tx = add_tensor(&m, "x", TFLITE_TYPE_INT8, 4, dims);
    int ty = add_tensor(&m, "y", TFLITE_TYPE_INT8, 4, dims);
    int to = add_tensor(&m, "out", TFLITE_TYPE_INT8, 4, dims);
    int32_t w_dims[4] = {c, 1, 1, c}, b_dims[1] = {c};
    int tw = add_tensor(&m, "w", TFLITE_TYPE_INT8, 4, w_dims);
    int tb = add_tensor(&m, "b", TFLITE_TYPE_INT32, 1, b_dims);
    if (tx < 0 || ty < 0 || to < 0 || tw < 0 || tb < 0)
        goto fail;
    float *ws = malloc((size_t)c * sizeof *ws), *bs = malloc((size_t)c * sizeof *bs);
    for (int32_t i = 0; i < c; i++) {
        ws[i] = (float)(sy / (sx * 127.0 * sqrt((double)c)) * (0.5 + opt_rng_unit(&r)));
        bs[i] = sx * ws[i];
    }
    int rc = set_quant(&m, tx, 1, &sx, opt_rng_range(&r, -128, 127), 0) ||
             set_quant(&m, ty, 1, &sy, opt_rng_range(&r, -128, 127), 0) ||
             set_quant(&m, to, 1, &so, activation == TFLITE_ACT_NONE ? opt_rng_range(&r, -128, 127) : -128, 0) ||
             set_quant(&m, tw, c, ws, 0, 0) || set_quant(&m, tb, c, bs, 0, 0);
    free(ws);
    free(bs);
    if (rc)
        goto fail;
    m.tensors[tw].data_bytes = (size_t)c * (size_t)c;
    m.tensors[tw].data = malloc(m.tensors[tw].data_bytes);
    for (size_t i = 0; i < m.tensors[tw].data_bytes; i++)
        m.tensors[tw].data[i] = (uint8_t)(int8_t)opt_rng_range(&r, -127, 127);
    m.tensors[tb].data_bytes = (size_t)c * 4;
    m.tensors[tb].data = calloc((size_t)c, 4);
    int o1 = mg_qmodel_add_op(&m), o2 = mg_qmodel_add_op(&m);
    if (o1 < 0 || o2 < 0)
        goto fail;
    struct mg_qop *conv = &m.ops[o1], *add = &m.ops[o2];
    conv->builtin_op = TFLITE_OP_CONV_2D;
    conv->version = 3;
    conv->inputs[0] = tx;
    conv->inputs[1] = tw;
    conv->inputs[2] = tb;
    conv->num_inputs = 3;
    conv->output = ty;
    conv->padding = TFLITE_PADDING_VALID;
    conv->stride_w = conv->stride_h = 1;
    add->builtin_op = TFLITE_OP_ADD;
    add->version = 2;
    add->inputs[0] = tx;
    add->inputs[1] = ty;
    add->num_inputs = 2;
    add->output = to;
    add->activation = activation;
    m.input = tx;
    m.output = to;
    char err[256];
    if (mg_write_tflite(&m, &bytes, size, err, sizeof err) != 0)
        bytes = NULL;
fail:
    mg_qmodel_free(&m);
    return bytes;
}

const char *opt_layer_describe(const struct opt_layer_spec *s, char *buf, size_t len)
{
    static const char *kinds[] = {"CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"};
    snprintf(buf, len,
             "%s in %dx%dx%dx%d out_c %d kernel %dx%d stride %dx%d dm %d %s act %u bias %d per_channel %d "
             "big_scale %d pruned %d zp in %d out %d",
             kinds[s->kind], s->batch, s->in_h, s->in_w, s->in_c, s->kind == OPT_DWCONV ? s->in_c * s->depth_multiplier
                                                                                       : s->out_c,
             s->k_h, s->k_w, s->stride_h, s->stride_w, s->depth_multiplier, s->same_padding ? "SAME" : "VALID",
             s->activation, s->bias, s->per_channel, s->big_scale, s->pruned, s->input_zero_point, s->output_zero_point);
    return buf;
}

/* Channel counts: odd ones, ones not divisible by 4, and multiples of 4 and 8. */
static int32_t random_channels(struct opt_rng *r, int32_t max)
{
    switch (opt_rng_range(r, 0, 3)) {
    case 0: return opt_rng_range(r, 1, 7);
    case 1: return 4 * opt_rng_range(r, 1, max / 4);
    case 2: return 8 * opt_rng_range(r, 1, max / 8) + opt_rng_range(r, 1, 7);
    default: return opt_rng_range(r, 1, max);
    }
}

void opt_random_layer(struct opt_rng *r, enum opt_layer_kind kind, struct opt_layer_spec *s)
{
    static const int32_t conv_kernels[][2] = {{1, 1}, {3, 3}, {3, 3}, {10, 4}, {5, 5}, {1, 3}, {3, 1}, {2, 2}, {1, 1}};
    static const int32_t dw_kernels[][2] = {{3, 3}, {3, 3}, {3, 3}, {10, 8}, {5, 5}, {1, 1}, {2, 3}, {3, 1}};
    static const int32_t multipliers[] = {1, 1, 1, 1, 2, 3, 4, 8};
    static const uint8_t activations[] = {TFLITE_ACT_NONE, TFLITE_ACT_RELU, TFLITE_ACT_RELU6};
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->batch = opt_rng_range(r, 0, 9) == 0 ? 2 : 1;
    s->activation = activations[opt_rng_range(r, 0, 2)];
    s->bias = opt_rng_range(r, 0, 9) != 0;
    s->big_scale = opt_rng_range(r, 0, 7) == 0;
    s->input_zero_point = opt_rng_range(r, 0, 4) == 0 ? (opt_rng_range(r, 0, 1) ? -128 : 127)
                                                      : opt_rng_range(r, -128, 127);
    s->output_zero_point = opt_rng_range(r, -128, 127);
    s->depth_multiplier = 1;
    if (kind == OPT_FC) {
        s->batch = opt_rng_range(r, 1, 3);
        s->in_h = s->in_w = 1;
        s->in_c = opt_rng_range(r, 0, 1) ? opt_rng_range(r, 1, 40) : opt_rng_range(r, 1, 700);
        s->out_c = opt_rng_range(r, 1, 50);
        s->per_channel = opt_rng_range(r, 0, 2) == 0;
        return;
    }
    const int32_t(*kernels)[2] = kind == OPT_CONV ? conv_kernels : dw_kernels;
    int32_t n = kind == OPT_CONV ? (int32_t)(sizeof conv_kernels / sizeof conv_kernels[0])
                                 : (int32_t)(sizeof dw_kernels / sizeof dw_kernels[0]);
    int32_t pick = opt_rng_range(r, 0, n - 1);
    s->k_h = kernels[pick][0];
    s->k_w = kernels[pick][1];
    s->stride_h = s->stride_w = opt_rng_range(r, 0, 2) ? 1 : 2;
    if (opt_rng_range(r, 0, 9) == 0) {
        s->stride_h = opt_rng_range(r, 1, 3);
        s->stride_w = opt_rng_range(r, 1, 3);
    }
    s->same_padding = opt_rng_range(r, 0, 3) != 0;
    s->in_h = opt_rng_range(r, s->same_padding ? 1 : s->k_h, s->k_h + 14);
    s->in_w = opt_rng_range(r, s->same_padding ? 1 : s->k_w, s->k_w + 14);
    if (kind == OPT_CONV) {
        s->in_c = random_channels(r, 40);
        s->out_c = random_channels(r, 40);
    } else {
        s->depth_multiplier = multipliers[opt_rng_range(r, 0, 7)];
        s->in_c = s->depth_multiplier > 1 ? opt_rng_range(r, 1, 6) : random_channels(r, 40);
        s->out_c = s->in_c * s->depth_multiplier;
    }
}

const char *opt_workloads_dir(void)
{
    static const char *dir = MCUSIM_WORKLOADS_DIR;
    struct stat st;
    return stat(dir, &st) == 0 && S_ISDIR(st.st_mode) ? dir : NULL;
}
