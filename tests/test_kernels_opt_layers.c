/*
 * test_kernels_opt_layers.c — the `opt` kernels against `ref` on single
 * layers of chosen and of random shapes, synthesized as one-operator int8
 * .tflite models (modelgen's writer) and run through the real model
 * reader, prepare steps and wrappers.
 *
 * The shapes are the ones fast paths get wrong: channel counts not
 * divisible by 4 (and 1, 3, odd), stride 2 and 3, SAME padding at every
 * border, VALID padding, depth multipliers 2, 3, 4 and 8, 1x1, 3x3, 10x4,
 * 10x8, 5x5 and non-square kernels, batches of 2, FC layers of odd sizes;
 * with and without bias, with RELU / RELU6 / none, per-tensor and
 * per-channel weights, weights of small range, zero points at both ends,
 * and effective scales of 1/4 and above (ref's generic requantization).
 * Each case must give byte-identical outputs on random and on extreme
 * inputs, and must have been run by the opt kernel its wrapper is meant to
 * choose for that shape.  Dilation, which the model writer cannot express,
 * is checked by changing a prepared layer's parameters.
 *
 * Built twice, like test_kernels_opt_models.c: DSP algorithms (emulated)
 * and RT_OPT_SCALAR.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_args.h"
#include "opt_kernels.h"
#include "opt_test_util.h"

/* The kernel the wrappers must pick for a spec. */
static const char *expected_kernel(const struct opt_layer_spec *s)
{
    switch (s->kind) {
    case OPT_CONV:
        return s->k_h == 1 && s->k_w == 1 ? "conv_1x1_s8_opt" : "conv_s8_opt";
    case OPT_DWCONV:
        if (s->depth_multiplier != 1)
            return "depthwise_conv_mult_s8_opt";
        return s->k_h == 3 && s->k_w == 3 && s->stride_h <= 2 ? "depthwise_conv_3x3_s8_opt" : "depthwise_conv_s8_opt";
    default:
        return "fully_connected_s8_opt";
    }
}

static void check_layer(const struct opt_layer_spec *spec, uint64_t seed)
{
    char desc[400];
    opt_layer_describe(spec, desc, sizeof desc);
    size_t size;
    uint8_t *bytes = opt_build_layer_model(spec, seed, &size);
    cr_assert(bytes, "cannot build %s", desc);
    struct opt_compare r;
    /* Random inputs, then all-minimum and all-maximum ones. */
    for (int variant = 0; variant < 3; variant++) {
        uint8_t *input = NULL;
        size_t n = 0;
        if (variant) {
            n = (size_t)spec->batch * (size_t)spec->in_h * (size_t)spec->in_w * (size_t)spec->in_c;
            input = malloc(n);
            memset(input, variant == 1 ? 0x80 : 0x7F, n);
        }
        opt_compare_model(bytes, size, input, n, (uint32_t)seed ^ 0x5bd1e995u, &r);
        free(input);
        cr_assert_eq(r.ref_status, RT_OK, "%s: ref: %s", desc, r.error);
        cr_assert_eq(r.opt_status, RT_OK, "%s: opt: %s", desc, r.error);
        cr_assert_eq(r.layers, 1);
        cr_assert_str_eq(r.kernels, expected_kernel(spec), "%s: ran %s", desc, r.kernels);
        cr_assert_eq(r.first_diff_layer, -1, "%s (input %d): %u output bytes differ from ref", desc, variant,
                     r.diff_bytes);
        cr_assert_eq(r.stray_layer, -1, "%s: the kernel wrote outside its output and scratch", desc);
    }
    free(bytes);
}

static struct opt_layer_spec base(enum opt_layer_kind kind)
{
    struct opt_layer_spec s;
    memset(&s, 0, sizeof s);
    s.kind = kind;
    s.batch = 1;
    s.stride_h = s.stride_w = 1;
    s.k_h = s.k_w = 1;
    s.depth_multiplier = 1;
    s.same_padding = true;
    s.activation = TFLITE_ACT_RELU;
    s.bias = true;
    s.input_zero_point = -5;
    s.output_zero_point = -128;
    return s;
}

/* ---- the shapes of the shared models' layers, and their odd cousins ---- */

Test(opt_layers, conv_rgb_3x3_stride2)
{
    struct opt_layer_spec s = base(OPT_CONV);
    s.in_h = s.in_w = 17;
    s.in_c = 3;
    s.out_c = 8;
    s.k_h = s.k_w = 3;
    s.stride_h = s.stride_w = 2;
    check_layer(&s, 1);
}

Test(opt_layers, conv_10x4_stride2_one_channel)
{
    struct opt_layer_spec s = base(OPT_CONV);
    s.in_h = 49;
    s.in_w = 10;
    s.in_c = 1;
    s.out_c = 64;
    s.k_h = 10;
    s.k_w = 4;
    s.stride_h = s.stride_w = 2;
    check_layer(&s, 2);
}

Test(opt_layers, conv_3x3_channels_16_and_odd)
{
    struct opt_layer_spec s = base(OPT_CONV);
    s.in_h = s.in_w = 9;
    s.in_c = 16;
    s.out_c = 16;
    s.k_h = s.k_w = 3;
    check_layer(&s, 3);
    s.in_c = 13;
    s.out_c = 7;
    check_layer(&s, 4);
    s.in_c = 12;
    s.out_c = 5;
    s.in_h = 1; /* a single row: every tap row above and below is padding */
    check_layer(&s, 5);
}

Test(opt_layers, conv_1x1_odd_and_strided)
{
    struct opt_layer_spec s = base(OPT_CONV);
    s.in_h = 7;
    s.in_w = 5;
    s.in_c = 13;
    s.out_c = 9;
    check_layer(&s, 6);
    s.stride_h = s.stride_w = 2;
    s.in_c = 16;
    s.out_c = 32;
    check_layer(&s, 7);
    s.same_padding = false;
    s.in_c = 1;
    s.out_c = 1;
    check_layer(&s, 8);
}

Test(opt_layers, depthwise_3x3_borders_and_strides)
{
    struct opt_layer_spec s = base(OPT_DWCONV);
    s.k_h = s.k_w = 3;
    s.in_h = 25;
    s.in_w = 5;
    s.in_c = 64;
    check_layer(&s, 9);
    s.in_c = 13;
    s.stride_h = s.stride_w = 2;
    s.in_h = s.in_w = 8; /* even: SAME pads only at the end */
    check_layer(&s, 10);
    s.in_h = s.in_w = 7; /* odd: pads at both ends */
    check_layer(&s, 11);
    s.in_h = s.in_w = 1;
    s.stride_h = s.stride_w = 1;
    check_layer(&s, 12);
    s.same_padding = false;
    s.in_h = 3;
    s.in_w = 9;
    s.in_c = 6;
    check_layer(&s, 13);
}

Test(opt_layers, depthwise_multiplier)
{
    struct opt_layer_spec s = base(OPT_DWCONV);
    /* micro_speech: 10x8, stride 2, one channel times 8. */
    s.k_h = 10;
    s.k_w = 8;
    s.stride_h = s.stride_w = 2;
    s.in_h = 49;
    s.in_w = 40;
    s.in_c = 1;
    s.depth_multiplier = 8;
    check_layer(&s, 14);
    /* person_detect's first layer: 3x3, 1 -> 8. */
    s.k_h = s.k_w = 3;
    s.in_h = s.in_w = 12;
    check_layer(&s, 15);
    s.in_c = 5;
    s.depth_multiplier = 2;
    check_layer(&s, 16);
    s.depth_multiplier = 3;
    s.stride_h = s.stride_w = 1;
    check_layer(&s, 17);
}

Test(opt_layers, fully_connected_odd_sizes)
{
    struct opt_layer_spec s = base(OPT_FC);
    s.in_h = s.in_w = 1;
    static const int32_t sizes[][2] = {{1, 1}, {640, 128}, {128, 8}, {637, 13}, {3, 5}, {5, 3}, {64, 12}, {7, 1},
                                       {1301, 5}, {4000, 4}, {512, 6}, {513, 9}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        s.in_c = sizes[i][0];
        s.out_c = sizes[i][1];
        s.activation = i % 2 ? TFLITE_ACT_NONE : TFLITE_ACT_RELU;
        s.per_channel = i % 3 == 0;
        check_layer(&s, 20 + i);
    }
    s.batch = 3;
    s.in_c = 9;
    s.out_c = 11;
    check_layer(&s, 30);
}

/* ---- random shapes ---- */

static void random_cases(enum opt_layer_kind kind, uint64_t seed, int count)
{
    struct opt_rng r = {seed};
    for (int i = 0; i < count; i++) {
        struct opt_layer_spec s;
        opt_random_layer(&r, kind, &s);
        check_layer(&s, seed * 1000 + (uint64_t)i);
    }
}

Test(opt_layers_random, conv, .timeout = 600) { random_cases(OPT_CONV, 101, 250); }
Test(opt_layers_random, depthwise, .timeout = 600) { random_cases(OPT_DWCONV, 202, 250); }
Test(opt_layers_random, fully_connected, .timeout = 600) { random_cases(OPT_FC, 303, 250); }

/* ---- dilation: a prepared SAME layer's parameters changed to dilation 2 ---- */

static void check_dilated(const struct opt_layer_spec *spec, int32_t dilation, const char *expected)
{
    char desc[400];
    opt_layer_describe(spec, desc, sizeof desc);
    size_t size;
    uint8_t *bytes = opt_build_layer_model(spec, 77, &size);
    cr_assert(bytes);
    struct opt_session ref, opt;
    opt_session_start(&ref, bytes, size, "ref");
    opt_session_start(&opt, bytes, size, "opt");
    cr_assert_eq(ref.status, RT_OK, "%s", ref.err.msg);
    cr_assert_eq(opt.status, RT_OK, "%s", opt.err.msg);
    struct opt_session *both[2] = {&ref, &opt};
    for (int i = 0; i < 2; i++) {
        struct rt_node *node = &both[i]->interp.nodes[0];
        struct rt_conv_params *p = (struct rt_conv_params *)(uintptr_t)node->params;
        const struct rt_tensor *in = &both[i]->interp.tensors[node->inputs[0]];
        const struct rt_tensor *f = &both[i]->interp.tensors[node->inputs[1]];
        const struct rt_tensor *out = &both[i]->interp.tensors[node->outputs[0]];
        p->dilation_h = p->dilation_w = dilation;
        /* SAME keeps the output size; only the leading padding changes. */
        int32_t th = (out->dims[1] - 1) * p->stride_h + (f->dims[1] - 1) * dilation + 1 - in->dims[1];
        int32_t tw = (out->dims[2] - 1) * p->stride_w + (f->dims[2] - 1) * dilation + 1 - in->dims[2];
        p->pad_h = th > 0 ? th / 2 : 0;
        p->pad_w = tw > 0 ? tw / 2 : 0;
        if (i == 1) {
            /* Let the wrapper choose again for the new parameters. */
            const struct rt_kernel *w = spec->kind == OPT_CONV ? &rt_kernel_conv_wrapper_s8_opt
                                                               : &rt_kernel_depthwise_conv_wrapper_s8_opt;
            struct rt_prepare_ctx ctx = {.tensors = both[i]->interp.tensors};
            cr_assert_eq(w->prepare(&ctx, node), RT_OK);
            cr_assert_str_eq(node->kernel->name, expected, "%s", desc);
            uint32_t need = node->kernel->scratch_size ? node->kernel->scratch_size(opt.interp.tensors, node, &opt.interp.target) : 0;
            cr_assert_leq(need, node->scratch_bytes, "%s: scratch grew with dilation", desc);
        }
        app_fill_pseudo_random(both[i]->interp.tensors + node->inputs[0], 99);
    }
    cr_assert_eq(opt_session_run_node(&ref, 0), RT_OK);
    cr_assert_eq(opt_session_run_node(&opt, 0), RT_OK);
    const struct rt_tensor *a = &ref.interp.tensors[ref.interp.nodes[0].outputs[0]];
    const struct rt_tensor *b = &opt.interp.tensors[opt.interp.nodes[0].outputs[0]];
    cr_assert_eq(memcmp(a->data, b->data, a->bytes), 0, "%s, dilation %d: outputs differ", desc, dilation);
    opt_session_free(&ref);
    opt_session_free(&opt);
    free(bytes);
}

Test(opt_layers, dilation)
{
    struct opt_layer_spec s = base(OPT_CONV);
    s.in_h = 11;
    s.in_w = 9;
    s.in_c = 8;
    s.out_c = 6;
    s.k_h = s.k_w = 3;
    check_dilated(&s, 2, "conv_s8_opt");
    s.in_c = 3;
    check_dilated(&s, 2, "conv_s8_opt");
    s = base(OPT_DWCONV);
    s.in_h = 10;
    s.in_w = 7;
    s.in_c = 9;
    s.k_h = s.k_w = 3;
    check_dilated(&s, 2, "depthwise_conv_s8_opt");
    s.in_c = 2;
    s.depth_multiplier = 4;
    check_dilated(&s, 3, "depthwise_conv_mult_s8_opt");
}

/* ---- ADD: two inputs of different scales (and equal ones), with and
 * without a fused RELU; the 1x1 convolution makes the second input. ---- */

Test(opt_layers, add)
{
    struct opt_rng r = {404};
    for (int i = 0; i < 40; i++) {
        const int32_t h = opt_rng_range(&r, 1, 9), w = opt_rng_range(&r, 1, 9), c = opt_rng_range(&r, 1, 20);
        const uint8_t act = i % 3 == 0 ? TFLITE_ACT_NONE : TFLITE_ACT_RELU;
        const bool equal = i % 5 == 0;
        size_t size;
        uint8_t *bytes = opt_build_add_model(h, w, c, act, equal, 500 + (uint64_t)i, &size);
        cr_assert(bytes);
        for (int variant = 0; variant < 2; variant++) {
            struct opt_compare res;
            opt_compare_model(bytes, size, NULL, 0, 77 + (uint32_t)(i * 2 + variant), &res);
            cr_assert_eq(res.ref_status, RT_OK, "%s", res.error);
            cr_assert_eq(res.opt_status, RT_OK, "%s", res.error);
            cr_assert_str_eq(res.kernels, "conv_1x1_s8_opt,add_s8_opt", "case %d: ran %s", i, res.kernels);
            cr_assert_eq(res.first_diff_layer, -1, "add case %d (%dx%dx%d act %u equal %d): layer %d differs", i, h, w,
                         c, act, equal, res.first_diff_layer);
            cr_assert_eq(res.stray_layer, -1, "add case %d: a kernel wrote outside its output and scratch", i);
        }
        free(bytes);
    }
}
