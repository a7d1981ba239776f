/*
 * test_rounding.c — mcusim's runtime against TensorFlow Lite Micro, the
 * bit-exact oracle, on the host, in both requantization roundings:
 *
 *   double (TFLM's and CMSIS-NN's default): rt_host_run built with double
 *     rounding, ref and opt kernels, against tflm-ref-run;
 *   single (TFLITE_SINGLE_ROUNDING=1, TFLite's desktop interpreter, Arm NN):
 *     rt_host_run built with -DRT_SINGLE_ROUNDING, ref and opt, against
 *     tflm-ref-run-single.  (Arm NN, the independent check of single
 *     rounding, is test_runtime_models.c: end to end and layer by layer,
 *     within one quantization step.)
 *
 * Byte for byte on every shared model (with the default pseudo-random input
 * and the shared samples) and every synthesized workload; and the two
 * roundings must give different bytes somewhere, or the option would not
 * be tested at all.  The programs come from the environment (meson):
 * RT_HOST_RUN_DOUBLE / _SINGLE, TFLM_REF_RUN_DOUBLE / _SINGLE.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rt_test_util.h"
#include "tflm_test_util.h"

static const char *const roundings[] = {"double", "single"};

struct run_bytes {
    uint8_t *bytes;
    size_t size;
};

/* Runs PROGRAM MODEL --input IN --output OUT [extra] and reads OUT. */
static struct run_bytes run(const char *program, const char *model, const char *in, const char *extra)
{
    char out[256], cmd[4096];
    rt_test_temp_path(".out", out, sizeof out);
    snprintf(cmd, sizeof cmd, "'%s' '%s' --input '%s' --output '%s' %s >/dev/null", program, model, in, out,
             extra ? extra : "");
    struct run_bytes r = {NULL, 0};
    if (tflm_run(cmd) == 0)
        r.bytes = tflm_read(out, &r.size);
    unlink(out);
    return r;
}

static const char *program(const char *base, const char *rounding)
{
    static char name[4][64];
    static int slot;
    char *buf = name[slot++ % 4];
    snprintf(buf, sizeof name[0], "%s_%s", base, rounding);
    for (char *p = buf; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    const char *path = tflm_env(buf);
    if (!path)
        cr_skip_test("%s is not set (no TFLM sources at configure time)", buf);
    return path;
}

static void expect_same(const struct run_bytes *a, const struct run_bytes *b, const char *what, const char *label)
{
    cr_assert_not_null(a->bytes, "%s: no output", label);
    cr_assert_not_null(b->bytes, "%s: no output from %s", label, what);
    cr_assert_eq(a->size, b->size, "%s: %s output has %zu bytes, TFLM's %zu", label, what, a->size, b->size);
    size_t first = a->size;
    int diffs = 0;
    for (size_t i = 0; i < a->size; i++)
        if (a->bytes[i] != b->bytes[i]) {
            if (first == a->size)
                first = i;
            diffs++;
        }
    cr_expect_eq(diffs, 0, "%s: %s differs from TFLM in %d bytes, first at %zu (%d vs %d)", label, what, diffs, first,
                 first < a->size ? (int8_t)a->bytes[first] : 0, first < a->size ? (int8_t)b->bytes[first] : 0);
}

struct param {
    size_t c;
    int rounding;
};

ParameterizedTestParameters(rounding, against_tflm)
{
    static struct param p[64];
    size_t n = 0;
    for (size_t c = 0; c < tflm_case_count; c++)
        for (int r = 0; r < 2; r++)
            p[n++] = (struct param){c, r};
    return cr_make_param_array(struct param, p, n);
}

ParameterizedTest(struct param *p, rounding, against_tflm, .timeout = 600)
{
    const struct tflm_case *c = &tflm_cases[p->c];
    const char *rounding = roundings[p->rounding];
    char model[1024], in[256], label[300];
    if (!tflm_case_model_path(c, model, sizeof model))
        cr_skip_test("../shared/models is absent");
    snprintf(label, sizeof label, "%s (%s rounding)", tflm_case_label(c), rounding);
    rt_test_temp_path(".in", in, sizeof in);
    cr_assert(tflm_case_write_input(c, model, in), "%s: cannot make the input", label);

    struct run_bytes tflm = run(program("TFLM_REF_RUN", rounding), model, in, NULL);
    struct run_bytes ref = run(program("RT_HOST_RUN", rounding), model, in, "--kernels ref");
    struct run_bytes opt = run(program("RT_HOST_RUN", rounding), model, in, "--kernels opt");
    expect_same(&ref, &tflm, "mcusim ref", label);
    expect_same(&opt, &tflm, "mcusim opt", label);
    free(tflm.bytes);
    free(ref.bytes);
    free(opt.bytes);
    unlink(in);
}

/* The option must change something: some case rounds differently. */
Test(rounding, roundings_differ, .timeout = 900)
{
    int differing = 0, compared = 0;
    for (size_t i = 0; i < tflm_case_count; i++) {
        const struct tflm_case *c = &tflm_cases[i];
        char model[1024], in[256];
        if (!tflm_case_model_path(c, model, sizeof model))
            continue;
        rt_test_temp_path(".in", in, sizeof in);
        cr_assert(tflm_case_write_input(c, model, in));
        struct run_bytes d = run(program("RT_HOST_RUN", "double"), model, in, "--kernels ref");
        struct run_bytes s = run(program("RT_HOST_RUN", "single"), model, in, "--kernels ref");
        cr_assert(d.bytes && s.bytes && d.size == s.size, "%s", tflm_case_label(c));
        compared++;
        if (memcmp(d.bytes, s.bytes, d.size) != 0) {
            differing++;
            cr_log_info("%s: the roundings give different outputs", tflm_case_label(c));
        }
        free(d.bytes);
        free(s.bytes);
        unlink(in);
    }
    cr_assert_gt(compared, 0);
    cr_expect_gt(differing, 0, "double and single rounding agree on all %d cases", compared);
}
