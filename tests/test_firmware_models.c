/*
 * test_firmware_models.c — the runtime as firmware on the simulated board:
 * every shared model and every synthesized workload runs on nano33ble with
 * `mcusim profile`, and its output tensor is
 *   - bit-identical to the host build of the same runtime code, and
 *   - in a single-rounding build (-Drounding=single), within one
 *     quantization step of Arm NN's CpuRef backend (the independent oracle,
 *     which rounds once) on the same input;
 * the person_detect sample images give the right class with the reference
 * scores: TFLM's exactly (double rounding), or within one step of TFLite's
 * and Arm NN's (single).  In the default build the oracle is TFLM itself,
 * byte for byte (test_tflm_firmware.c, test_rounding.c).  Skips the shared
 * set when ../shared/models is absent and Arm NN when pyarmnn is.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rt_test_util.h"
#include "simtest.h"

static bool oracle_available(void)
{
#ifdef RT_SINGLE_ROUNDING
    return system("/usr/bin/python3 -c 'import pyarmnn' >/dev/null 2>&1") == 0;
#else
    return false; /* Arm NN rounds once: not an oracle for double rounding */
#endif
}

static int mcusim(const char *args)
{
    char cmd[4096], *out = NULL;
    snprintf(cmd, sizeof cmd, "%s/mcusim %s 2>&1", build_root(), args);
    int rc = run_command_capture(cmd, &out);
    if (rc)
        cr_log_error("mcusim %s:\n%s", args, out);
    free(out);
    return rc;
}

static void fill(uint8_t *p, size_t n, uint32_t seed, bool is_float)
{
    uint32_t x = seed;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (uint8_t)(x >> 24);
    }
    if (is_float) {
        /* Floats in [0, 1): keep the bytes meaningful. */
        float *f = (float *)p;
        for (size_t i = 0; i < n / 4; i++)
            f[i] = (float)(p[i * 4] % 100) / 100.0f;
    }
}

static int max_step_diff(const int8_t *a, const int8_t *b, size_t n)
{
    int worst = 0;
    for (size_t i = 0; i < n; i++) {
        int d = abs((int)a[i] - (int)b[i]);
        if (d > worst)
            worst = d;
    }
    return worst;
}

static void check_model(const char *path, const char *label, bool use_oracle, bool zero_bias_qdim)
{
    size_t size;
    uint8_t *bytes = rt_test_read_file(path, &size);
    cr_assert_not_null(bytes, "%s", path);
    struct rt_test_session s;
    rt_test_session_start(&s, bytes, size, 2u * 1024 * 1024);
    cr_assert_eq(s.status, RT_OK, "%s: %s", label, s.err.msg);
    struct rt_tensor *in = rt_interp_input(&s.interp, 0);
    bool is_float = in->type == TFLITE_TYPE_FLOAT32;
    fill(in->data, in->bytes, 0x1234567u, is_float);
    char in_path[256], fw_path_[256], or_path[256];
    rt_test_temp_path(".in", in_path, sizeof in_path);
    rt_test_temp_path(".fw", fw_path_, sizeof fw_path_);
    rt_test_temp_path(".or", or_path, sizeof or_path);
    cr_assert(rt_test_write_file(in_path, in->data, in->bytes));
    cr_assert_eq(rt_interp_invoke(&s.interp, &s.err), RT_OK, "%s: %s", label, s.err.msg);
    const struct rt_tensor *host_out = rt_interp_output(&s.interp, 0);

    char args[2048];
    snprintf(args, sizeof args, "profile -q --no-db %s --input %s --output %s", path, in_path, fw_path_);
    cr_assert_eq(mcusim(args), 0, "%s: firmware run failed", label);
    size_t fw_size;
    uint8_t *fw = rt_test_read_file(fw_path_, &fw_size);
    cr_assert_not_null(fw);
    cr_assert_eq(fw_size, host_out->bytes);
    cr_expect(memcmp(fw, host_out->data, fw_size) == 0, "%s: firmware and host outputs differ", label);

    if (use_oracle) {
        int rc = rt_test_run_oracle(path, in_path, or_path, -1, zero_bias_qdim);
        cr_assert_eq(rc, 0, "%s: oracle failed", label);
        size_t or_size;
        uint8_t *oracle = rt_test_read_file(or_path, &or_size);
        cr_assert_not_null(oracle);
        cr_assert_eq(or_size, fw_size);
        if (host_out->type == TFLITE_TYPE_FLOAT32) {
            const float *a = (const float *)(const void *)fw, *b = (const float *)(const void *)oracle;
            for (size_t i = 0; i < fw_size / 4; i++)
                cr_expect(fabsf(a[i] - b[i]) <= 1e-5f + 1e-5f * fabsf(b[i]), "%s[%zu]: %g vs %g", label, i,
                          a[i], b[i]);
        } else {
            int d = max_step_diff((const int8_t *)fw, (const int8_t *)oracle, fw_size);
            cr_expect_leq(d, 1, "%s: %d quantization steps from Arm NN", label, d);
        }
        free(oracle);
        unlink(or_path);
    }
    free(fw);
    unlink(in_path);
    unlink(fw_path_);
    rt_test_session_free(&s);
    free(bytes);
}

ParameterizedTestParameters(firmware, shared_models)
{
    static size_t idx[32];
    for (size_t i = 0; i < rt_test_model_count && i < 32; i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, rt_test_model_count);
}

ParameterizedTest(size_t *i, firmware, shared_models, .timeout = 600)
{
    const struct rt_test_model *m = &rt_test_models[*i];
    if (!rt_test_models_dir())
        cr_skip_test("../shared/models is absent");
    check_model(rt_test_model_path(m->name), m->name, oracle_available(), !strcmp(m->name, "person_detect"));
}

static const char *const workloads[] = {"cnn", "cnn_half", "dscnn", "autoencoder", "mobilenet", "resnet"};

/* Parameters are indices: Criterion may run each test in a re-executed
 * process, where pointers from the parent mean nothing. */
ParameterizedTestParameters(firmware, synthesized_workloads)
{
    static size_t idx[sizeof workloads / sizeof workloads[0]];
    for (size_t i = 0; i < sizeof workloads / sizeof workloads[0]; i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, sizeof workloads / sizeof workloads[0]);
}

ParameterizedTest(size_t *i, firmware, synthesized_workloads, .timeout = 600)
{
    char path[512];
    snprintf(path, sizeof path, "%s/workloads/%s.tflite", build_root(), workloads[*i]);
    check_model(path, workloads[*i], oracle_available(), false);
}

static void sample(const char *image, int expect0, int expect1)
{
    if (!rt_test_models_dir())
        cr_skip_test("../shared/models is absent");
    char in[512], out[256], args[2048];
    snprintf(in, sizeof in, "%s/samples/%s.in.bin", rt_test_models_dir(), image);
    rt_test_temp_path(".out", out, sizeof out);
    snprintf(args, sizeof args, "profile -q --no-db %s --input %s --output %s", rt_test_model_path("person_detect"),
             in, out);
    cr_assert_eq(mcusim(args), 0);
    size_t n;
    uint8_t *o = rt_test_read_file(out, &n);
    cr_assert_eq(n, 2u);
    int8_t no_person = (int8_t)o[0], person = (int8_t)o[1];
    cr_expect_eq(person > no_person, expect1 > expect0, "%s: top class", image);
#ifdef RT_SINGLE_ROUNDING
    /* TFLite's integer arithmetic with single rounding: within one step of
     * the scores of TFLite and Arm NN (see test_runtime_models.c for why). */
    cr_expect_leq(abs(no_person - expect0), 1, "%s: %d vs %d", image, no_person, expect0);
    cr_expect_leq(abs(person - expect1), 1, "%s: %d vs %d", image, person, expect1);
#else
    /* TFLM's scores (tflm-ref-run), exactly. */
    cr_expect_eq(no_person, expect0, "%s: %d vs %d", image, no_person, expect0);
    cr_expect_eq(person, expect1, "%s: %d vs %d", image, person, expect1);
#endif
    free(o);
    unlink(out);
}

#ifdef RT_SINGLE_ROUNDING
Test(firmware, person_detect_person_sample, .timeout = 300) { sample("person_detect_person", -113, 113); }
Test(firmware, person_detect_no_person_sample, .timeout = 300) { sample("person_detect_no_person", 60, -60); }
#else
Test(firmware, person_detect_person_sample, .timeout = 300) { sample("person_detect_person", -113, 113); }
Test(firmware, person_detect_no_person_sample, .timeout = 300) { sample("person_detect_no_person", 57, -57); }
#endif
