/*
 * test_kernels_opt_models.c — the `opt` kernel family against `ref` on
 * whole models: every model of the shared set (../shared/models) and every
 * synthesized workload (the .tflite files in <build>/workloads), several inputs each
 * (the firmware's pseudo-random input, other seeds, all-minimum and
 * all-maximum inputs, and the sample inputs the shared set ships).
 *
 * Both families run the model node by node on the same input, and every
 * output of every layer must be byte-identical; the first layer that is
 * not is reported with its kernel.  Each test also requires that every
 * int8 CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED layer really ran an
 * `opt` kernel (a wrapper silently choosing ref would make the comparison
 * vacuous), and that the opt arena is reported.
 *
 * This file is built twice: against the DSP algorithms (emulated in C on
 * the host, as on Cortex-M4/M7) and, as test_kernels_opt_models_scalar,
 * with RT_OPT_SCALAR (the plain-C paths Cortex-M0+ runs).
 * Skips cleanly when the shared set or the workloads are absent.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_args.h"
#include "opt_test_util.h"
#include "rt_test_util.h"

static void check(const char *what, const uint8_t *bytes, size_t size, const uint8_t *input, size_t input_bytes,
                  uint32_t seed, bool expect_mac_layers)
{
    struct opt_compare r;
    opt_compare_model(bytes, size, input, input_bytes, seed, &r);
    cr_assert_eq(r.ref_status, RT_OK, "%s: ref: %s", what, r.error);
    cr_assert_eq(r.opt_status, RT_OK, "%s: opt: %s", what, r.error);
    cr_assert_eq(r.first_diff_layer, -1, "%s: layer %d differs from ref in %u bytes (opt kernels: %s)", what,
                 r.first_diff_layer, r.diff_bytes, r.kernels);
    cr_assert_eq(r.stray_layer, -1, "%s: layer %d (opt) wrote outside its outputs and scratch", what, r.stray_layer);
    cr_assert_eq(r.int8_mac_layers_opt, r.int8_mac_layers, "%s: %u of %u int8 conv/depthwise/FC layers ran opt (%s)",
                 what, r.int8_mac_layers_opt, r.int8_mac_layers, r.kernels);
    if (expect_mac_layers)
        cr_assert_gt(r.int8_mac_layers, 0, "%s: no layer for opt to run", what);
    cr_assert_gt(r.opt_arena, 0);
    cr_log_info("%s: %u layers identical, %u ran opt; arena ref %u opt %u", what, r.layers, r.opt_layers,
                r.ref_arena, r.opt_arena);
}

/* Inputs: the firmware's, two other seeds, all -128, all 127. */
static void check_inputs(const char *name, const uint8_t *bytes, size_t size, bool expect_mac_layers)
{
    char what[256];
    static const uint32_t seeds[] = {APP_RANDOM_SEED, 1, 0xC0FFEEu};
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        snprintf(what, sizeof what, "%s (seed %#x)", name, seeds[i]);
        check(what, bytes, size, NULL, 0, seeds[i], expect_mac_layers);
    }
    struct opt_session s;
    opt_session_start(&s, bytes, size, "ref");
    cr_assert_eq(s.status, RT_OK, "%s: %s", name, s.err.msg);
    const struct rt_tensor *in = rt_interp_input(&s.interp, 0);
    size_t n = in->bytes;
    bool int8 = in->type == TFLITE_TYPE_INT8;
    opt_session_free(&s);
    if (!int8)
        return;
    uint8_t *input = malloc(n);
    for (int extreme = 0; extreme < 2; extreme++) {
        memset(input, extreme ? 0x7F : 0x80, n);
        snprintf(what, sizeof what, "%s (all %d)", name, extreme ? 127 : -128);
        check(what, bytes, size, input, n, 0, expect_mac_layers);
    }
    free(input);
}

static void check_shared(const char *name)
{
    if (!rt_test_models_dir())
        cr_skip_test("shared model set not found at %s", MCUSIM_SHARED_MODELS);
    size_t size;
    uint8_t *bytes = rt_test_read_file(rt_test_model_path(name), &size);
    cr_assert(bytes, "cannot read %s", name);
    check_inputs(name, bytes, size, strcmp(name, "hello_world_float") != 0);
    free(bytes);
}

#define SHARED_TEST(id) \
    Test(opt_vs_ref_shared, id, .timeout = 600) { check_shared(#id); }

SHARED_TEST(hello_world_int8)
SHARED_TEST(hello_world_float)
SHARED_TEST(micro_speech)
SHARED_TEST(person_detect)
SHARED_TEST(kws_dscnn)
SHARED_TEST(vww_mobilenet)
SHARED_TEST(ic_resnet8)
SHARED_TEST(ad_autoencoder)

/* The sample inputs of the shared set: real images and audio features. */
Test(opt_vs_ref_shared, sample_inputs, .timeout = 600)
{
    if (!rt_test_models_dir())
        cr_skip_test("shared model set not found at %s", MCUSIM_SHARED_MODELS);
    static const char *const samples[][2] = {
        {"person_detect", "person_detect_person.in.bin"},
        {"person_detect", "person_detect_no_person.in.bin"},
    };
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        char path[1024];
        size_t size, in_size;
        uint8_t *bytes = rt_test_read_file(rt_test_model_path(samples[i][0]), &size);
        snprintf(path, sizeof path, "%s/samples/%s", MCUSIM_SHARED_MODELS, samples[i][1]);
        uint8_t *input = rt_test_read_file(path, &in_size);
        cr_assert(bytes && input, "cannot read %s or %s", samples[i][0], path);
        check(samples[i][1], bytes, size, input, in_size, 0, true);
        free(bytes);
        free(input);
    }
}

static void check_workload(const char *name)
{
    const char *dir = opt_workloads_dir();
    if (!dir)
        cr_skip_test("workloads not built at %s", MCUSIM_WORKLOADS_DIR);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.tflite", dir, name);
    size_t size;
    uint8_t *bytes = rt_test_read_file(path, &size);
    if (!bytes)
        cr_skip_test("workload %s not built", path);
    check_inputs(name, bytes, size, true);
    free(bytes);
}

#define WORKLOAD_TEST(id) \
    Test(opt_vs_ref_workloads, id, .timeout = 600) { check_workload(#id); }

WORKLOAD_TEST(cnn)
WORKLOAD_TEST(cnn_half)
WORKLOAD_TEST(dscnn)
WORKLOAD_TEST(autoencoder)
WORKLOAD_TEST(mobilenet)
WORKLOAD_TEST(resnet)

/* The workload list above must cover every model meson builds there. */
Test(opt_vs_ref_workloads, all_workloads_listed)
{
    const char *dir = opt_workloads_dir();
    if (!dir)
        cr_skip_test("workloads not built at %s", MCUSIM_WORKLOADS_DIR);
    static const char *const listed[] = {"cnn", "cnn_half", "dscnn", "autoencoder", "mobilenet", "resnet"};
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "ls '%s' | sed -n 's/\\.tflite$//p'", dir);
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    char line[256];
    while (fgets(line, sizeof line, p)) {
        line[strcspn(line, "\n")] = 0;
        bool found = false;
        for (size_t i = 0; i < sizeof listed / sizeof listed[0]; i++)
            found = found || strcmp(line, listed[i]) == 0;
        cr_expect(found, "workload %s is not compared by this suite", line);
    }
    pclose(p);
}
