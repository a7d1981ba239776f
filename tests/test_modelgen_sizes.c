/*
 * test_modelgen_sizes.c — how large synthesized models are, and that
 * modelgen can build models as large as real ones.
 *
 *   - MobileNetV1 has the multiply-adds and parameters of Howard et al.
 *     2017, Tables 6 and 7, at every width and resolution listed there;
 *   - modelgen_size, which never builds, tells exactly what modelgen_build
 *     makes (MACs, parameters, weight and file bytes), and its activation
 *     tensors and lifetimes are those read back from the file;
 *   - every width and resolution a variant search sweeps sizes and fits the
 *     build limit, odd resolutions included, channels rounded down as Keras
 *     does;
 *   - what is too large is refused by the memory it would take, with a
 *     message naming the limit and the value, and can still be sized.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mgtest_tflite_view.h"
#include "modelgen.h"
#include "tflite_schema.h"

static void size_ok(const char *spec, uint64_t seed, struct mg_sizing *sz)
{
    char err[256] = "";
    cr_assert_eq(modelgen_size(spec, seed, sz, err, sizeof err), MG_OK, "%s: %s", spec, err);
}

/* The paper's figures: millions of mult-adds and of parameters, as printed
 * (parameters to one decimal). */
Test(modelgen_sizes, mobilenet_v1_has_the_papers_mult_adds_and_parameters)
{
    const struct {
        const char *spec;
        double macs_m, params_m;
    } paper[] = {
        /* Table 6: width multipliers at 224x224. */
        {"mobilenet:alpha=1,res=224,classes=1000", 569, 4.2},
        {"mobilenet:alpha=0.75,res=224,classes=1000", 325, 2.6},
        {"mobilenet:alpha=0.5,res=224,classes=1000", 149, 1.3},
        {"mobilenet:alpha=0.25,res=224,classes=1000", 41, 0.5},
        /* Table 7: resolutions at width 1. */
        {"mobilenet:alpha=1,res=192,classes=1000", 418, 4.2},
        {"mobilenet:alpha=1,res=160,classes=1000", 290, 4.2},
        {"mobilenet:alpha=1,res=128,classes=1000", 186, 4.2},
    };
    for (size_t i = 0; i < sizeof paper / sizeof paper[0]; i++) {
        struct mg_sizing sz;
        size_ok(paper[i].spec, 1, &sz);
        double macs_m = sz.macs / 1e6, params_m = sz.params / 1e6;
        cr_assert(fabs(macs_m - paper[i].macs_m) <= 0.01 * paper[i].macs_m,
                  "%s: %.2f M MACs, the paper %.0f M", paper[i].spec, macs_m, paper[i].macs_m);
        cr_assert(fabs(params_m - paper[i].params_m) <= 0.05,
                  "%s: %.3f M parameters, the paper %.1f M", paper[i].spec, params_m,
                  paper[i].params_m);
        /* 28 layers with weights: the first convolution, 13 depthwise and
         * 13 pointwise, the classifier; then pooling, reshape, softmax. */
        cr_assert_eq(sz.num_ops, 28 + 3, "%s", paper[i].spec);
        mg_sizing_free(&sz);
    }
    struct mg_sizing sz;
    size_ok("mobilenet:alpha=1,res=224,classes=1000", 1, &sz);
    cr_assert(fabs(sz.params / 4.2e6 - 1) <= 0.02, "%.3f M parameters", sz.params / 1e6);
    mg_sizing_free(&sz);
}

static uint8_t *build(const char *spec, uint64_t seed, size_t *len, struct mg_summary *sum)
{
    uint8_t *bytes = NULL;
    char err[256] = "";
    int rc = modelgen_build(spec, seed, &bytes, len, sum, err, sizeof err);
    cr_assert_eq(rc, MG_OK, "%s: %s", spec, err);
    return bytes;
}

static size_t type_size(int type)
{
    return type == TFLITE_TYPE_INT32 || type == TFLITE_TYPE_FLOAT32 ? 4 : 1;
}

/* Sizing and building agree, and the sizing's tensors are the file's. */
static void check_sizing_matches_file(const char *spec, uint64_t seed)
{
    struct mg_sizing sz;
    struct mg_summary sum;
    size_t len;
    size_ok(spec, seed, &sz);
    uint8_t *file = build(spec, seed, &len, &sum);
    cr_assert_str_eq(sz.spec, sum.spec);
    cr_assert_eq(sz.macs, sum.macs, "%s: MACs", spec);
    cr_assert_eq(sz.params, sum.params, "%s: parameters", spec);
    cr_assert_eq(sz.weight_bytes, sum.weight_bytes, "%s: weight bytes", spec);
    cr_assert_eq(sz.file_bytes, len, "%s seed %llu: sized %llu bytes, built %zu", spec,
                 (unsigned long long)seed, (unsigned long long)sz.file_bytes, len);
    cr_assert_eq(sz.num_ops, sum.num_ops, "%s: operators", spec);

    struct tv_model v;
    cr_assert_eq(tv_read(&v, file, len), 0, "%s: %s", spec, v.problem);
    int activations = 0;
    uint64_t peak = 0;
    for (int t = 0; t < v.num_tensors; t++) {
        const struct tv_tensor *tt = &v.tensors[t];
        if (tt->buffer != 0)
            continue;
        uint64_t bytes = type_size(tt->type);
        for (int d = 0; d < tt->rank; d++)
            bytes *= (uint64_t)tt->dims[d];
        int first = 0, last = 0;
        for (int i = 0; i < v.num_ops; i++) {
            if (v.ops[i].outputs[0] == t)
                first = i;
            for (int k = 0; k < v.ops[i].num_inputs; k++)
                if (v.ops[i].inputs[k] == t)
                    last = i;
        }
        if (t == v.outputs[0])
            last = v.num_ops - 1;
        /* The sizing lists the graph's tensors in the order the model
         * holds its activations. */
        cr_assert_lt(activations, sz.num_tensors, "%s: more activations in the file", spec);
        const struct mg_tensor_size *s = &sz.tensors[activations++];
        cr_assert_eq(s->bytes, bytes, "%s: %s is %llu bytes, sized %llu", spec, tt->name,
                     (unsigned long long)bytes, (unsigned long long)s->bytes);
        cr_assert_eq(s->first_op, first, "%s: %s written by op %d, sized %d", spec, tt->name,
                     first, s->first_op);
        cr_assert_eq(s->last_op, last, "%s: %s last read by op %d, sized %d", spec, tt->name,
                     last, s->last_op);
    }
    cr_assert_eq(activations, sz.num_tensors, "%s: activation tensors", spec);
    for (int op = 0; op < sz.num_ops; op++) {
        uint64_t live = 0;
        for (int t = 0; t < sz.num_tensors; t++)
            if (sz.tensors[t].first_op <= op && op <= sz.tensors[t].last_op)
                live += sz.tensors[t].bytes;
        peak = live > peak ? live : peak;
    }
    cr_assert_eq(sz.peak_activation_bytes, peak, "%s: peak activation bytes", spec);
    tv_free(&v);
    free(file);
    mg_sizing_free(&sz);
}

Test(modelgen_sizes, sizing_tells_exactly_what_a_build_makes)
{
    const char *specs[] = {
        "cnn",
        "dscnn:width=0.5,blocks=2,classes=5",
        "autoencoder:input=128,hidden=32,bottleneck=4,layers=2",
        "mobilenet",
        "mobilenet:alpha=0.35,res=97,classes=10",
        "resnet:res=24,width=0.5,classes=5",
        "mlp",
        "cnn:dtype=float32",
        "mobilenet:alpha=0.5,res=64,classes=3,dtype=float32",
        "resnet:dtype=float32",
    };
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        check_sizing_matches_file(specs[i], 1);
        check_sizing_matches_file(specs[i], 1234567890123ull); /* a longer description */
    }
}

/* MobileNetV1 1.0/224 with 1000 classes: the paper's model, int8 and
 * float32, built in full. */
Test(modelgen_sizes, mobilenet_v1_at_full_size_builds, .timeout = 300)
{
    check_sizing_matches_file("mobilenet:alpha=1,res=224,classes=1000", 1);
    struct mg_sizing i8, f32;
    size_ok("mobilenet:alpha=1,res=224,classes=1000", 1, &i8);
    size_ok("mobilenet:alpha=1,res=224,classes=1000,dtype=float32", 1, &f32);
    /* 4.2 M parameters: about 4.2 MB of int8 weights (and int32 biases),
     * about 16.9 MB as float32. */
    cr_assert(i8.weight_bytes > 4.2e6 && i8.weight_bytes < 4.4e6, "%llu",
              (unsigned long long)i8.weight_bytes);
    cr_assert_eq(f32.weight_bytes, 4 * f32.params + 4 * 2 /* the reshape's shape */);
    cr_assert(f32.file_bytes > 16.8e6 && f32.file_bytes < 17.0e6, "%llu",
              (unsigned long long)f32.file_bytes);
    mg_sizing_free(&i8);
    mg_sizing_free(&f32);
}

/* The ranges a variant search sweeps: every width from 0.25 to 1 in steps
 * of 0.05 at resolutions from 96 to 224 (multiples of 8 and odd ones) is
 * sized, fits the build limit, and grows with width and resolution. */
Test(modelgen_sizes, every_swept_width_and_resolution_sizes)
{
    const int res[] = {96, 97, 104, 112, 113, 120, 128, 136, 144, 152, 160, 161,
                       168, 176, 184, 192, 200, 208, 216, 223, 224};
    const int nres = sizeof res / sizeof res[0];
    uint64_t prev_alpha[sizeof res / sizeof res[0]] = {0};
    for (int a = 25; a <= 100; a += 5) {
        uint64_t prev_res = 0;
        for (int r = 0; r < nres; r++) {
            char spec[96];
            snprintf(spec, sizeof spec, "mobilenet:alpha=%d.%02d,res=%d,classes=1000", a / 100,
                     a % 100, res[r]);
            struct mg_sizing sz;
            size_ok(spec, 1, &sz);
            cr_assert_leq(sz.build_bytes, MG_MAX_BUILD_BYTES, "%s", spec);
            cr_assert_geq(sz.macs, prev_res, "%s: fewer MACs than at a lower resolution", spec);
            cr_assert_geq(sz.macs, prev_alpha[r], "%s: fewer MACs than at a lower width", spec);
            prev_res = prev_alpha[r] = sz.macs;
            mg_sizing_free(&sz);
        }
    }
    /* Odd ones build, and the file is what was sized. */
    check_sizing_matches_file("mobilenet:alpha=0.35,res=113,classes=1000", 1);
    check_sizing_matches_file("mobilenet:alpha=0.3,res=32,classes=10", 1);
}

/* Channels are int(filters * alpha), as in the Keras application: at
 * alpha=0.3, 32 -> 9, 64 -> 19 and 1024 -> 307 (rounding to nearest would
 * give 10, 19, 307; at 0.35, 11, 22, 358). */
Test(modelgen_sizes, mobilenet_channels_round_down_as_keras_does)
{
    const struct {
        const char *spec;
        int conv1, pw1, pw13;
    } cases[] = {
        {"mobilenet:alpha=0.3,res=64", 9, 19, 307},
        {"mobilenet:alpha=0.35,res=64", 11, 22, 358},
        {"mobilenet:alpha=0.75,res=64", 24, 48, 768},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        uint8_t *file = build(cases[i].spec, 1, &len, NULL);
        struct tv_model v;
        cr_assert_eq(tv_read(&v, file, len), 0, "%s", v.problem);
        /* Operators: conv1, then dw/pw pairs: pw1 is op 2, pw13 op 26. */
        const int ops[3] = {0, 2, 26}, want[3] = {cases[i].conv1, cases[i].pw1, cases[i].pw13};
        for (int k = 0; k < 3; k++) {
            const struct tv_tensor *out = &v.tensors[v.ops[ops[k]].outputs[0]];
            cr_assert_eq(out->dims[3], want[k], "%s: op %d has %d channels, want %d",
                         cases[i].spec, ops[k], out->dims[3], want[k]);
        }
        tv_free(&v);
        free(file);
    }
}

/* Too large to build: refused for the memory it would take (not for its
 * MACs), with the limit and the value in one line; sizing still works. */
Test(modelgen_sizes, too_large_is_refused_by_memory_and_can_be_sized)
{
    const char *specs[] = {
        "cnn:res=512,width=8",                 /* 512x512x128 activations */
        "autoencoder:input=65536,hidden=4096", /* 600 M parameters */
        "mobilenet:alpha=2,res=1024",
    };
    char limit[64];
    snprintf(limit, sizeof limit, "limit of 2.0 GiB (%llu bytes)",
             (unsigned long long)MG_MAX_BUILD_BYTES);
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        struct mg_sizing sz;
        size_ok(specs[i], 1, &sz);
        cr_assert_gt(sz.build_bytes, MG_MAX_BUILD_BYTES, "%s", specs[i]);
        uint8_t *out = NULL;
        size_t len = 0;
        char err[512] = "", value[64];
        cr_assert_eq(modelgen_build(specs[i], 1, &out, &len, NULL, err, sizeof err), MG_ERR_SPEC,
                     "%s: %s", specs[i], err);
        cr_assert_null(out);
        snprintf(value, sizeof value, "(%llu bytes", (unsigned long long)sz.build_bytes);
        cr_assert(strstr(err, "memory") && strstr(err, limit) && strstr(err, value),
                  "%s: '%s' names the memory, the limit and the value", specs[i], err);
        cr_assert_null(strchr(err, '\n'));
        mg_sizing_free(&sz);
    }
}
