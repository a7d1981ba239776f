/*
 * test_fit.c — what fits, from the command line: 'model info --board'
 * gives the verdict without simulating, the same one 'profile' stores,
 * with both resources when both are over and with the sizes of a model
 * whose operators the runtime lacks.
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "simtest.h"

static char dir[256];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/mcusim-fit-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

/* Runs "mcusim ARGS" in the scratch directory; returns its exit status,
 * with stdout and stderr (malloc'd) in *out and *err. */
__attribute__((format(printf, 3, 4))) static int mcusim(char **out, char **err, const char *fmt, ...)
{
    char args[4096], cmd[8192], errpath[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(errpath, sizeof errpath, "%s/stderr.txt", dir);
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s/mcusim' %s 2>'%s'", dir, build_root(), args, errpath);
    int rc = run_command_capture(cmd, out);
    FILE *f = fopen(errpath, "r");
    *err = calloc(1, 65536);
    if (f) {
        size_t n = fread(*err, 1, 65535, f);
        (*err)[n] = '\0';
        fclose(f);
    }
    return rc;
}

static void build_model(const char *spec, const char *file)
{
    char *out, *err;
    int rc = mcusim(&out, &err, "model build '%s' -o %s", spec, file);
    cr_assert_eq(rc, 0, "%s: %s", spec, err);
    free(out);
    free(err);
}

static cJSON *parse(const char *text)
{
    cJSON *o = cJSON_Parse(text);
    cr_assert_not_null(o, "not JSON:\n%s", text);
    return o;
}

static double num(const cJSON *o, const char *a, const char *b)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
    if (b)
        x = cJSON_GetObjectItemCaseSensitive(x, b);
    cr_assert(cJSON_IsNumber(x), "%s.%s is not a number", a, b ? b : "");
    return x->valuedouble;
}

TestSuite(model_info_board, .init = setup, .fini = teardown, .timeout = 300);

Test(model_info_board, both_resources_over_each_with_its_numbers)
{
    build_model("mobilenet:alpha=0.5,res=224,classes=1000", "both.tflite");
    char *out, *err;
    int rc = mcusim(&out, &err, "model info both.tflite --board nano33ble");
    cr_expect_eq(rc, 6, "%s%s", out, err);
    cr_expect_str_empty(err);
    cr_expect(strstr(out, "verdict on nano33ble (kernels ref): does not fit: flash and RAM\n"), "%s", out);
    cr_expect(strstr(out, "\n  flash ") && strstr(out, "\n  RAM "), "%s", out);
    cr_expect_eq(strstr(strstr(out, "\n  flash "), " KB over ") < strstr(out, "\n  RAM "), 1, "flash over: %s", out);
    cr_expect(strstr(strstr(out, "\n  RAM "), " KB over "), "RAM over: %s", out);
    cr_expect(strstr(out, "latency and energy: not measured"), "%s", out);
    free(out);
    free(err);

    /* The same verdict as JSON, and the same numbers 'profile' stores
     * when it refuses to run the model. */
    rc = mcusim(&out, &err, "model info both.tflite -b nano33ble --json");
    cr_expect_eq(rc, 6, "%s", err);
    cJSON *info = parse(out);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(info, "verdict");
    cr_assert_not_null(v);
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(v, "fits")));
    cr_expect_gt(num(v, "flash", "over"), 0);
    cr_expect_gt(num(v, "ram", "over"), 0);
    cr_expect_eq(num(v, "ram", "arena"), num(info, "arena_bytes", NULL));
    free(out);
    free(err);
    rc = mcusim(&out, &err, "profile both.tflite --no-db -q --json -");
    cr_expect_eq(rc, 6, "%s", err);
    cJSON *run = parse(out);
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(run, "status")->valuestring, "nofit");
    cr_expect_eq(num(run, "instructions", NULL), 0, "nothing simulated");
    cr_expect_eq(num(run, "ram", "arena_planned"), num(v, "ram", "arena"));
    cr_expect_eq(num(run, "flash", "model"), num(info, "flash_bytes", NULL));
    cr_expect(strstr(err, "both.tflite does not fit nano33ble: flash needs "), "%s", err);
    cr_expect(strstr(err, ", RAM needs "), "%s", err);
    cJSON_Delete(run);
    cJSON_Delete(info);
    free(out);
    free(err);

    /* A board with room: exit 0, and the table says so. */
    rc = mcusim(&out, &err, "model info both.tflite --board mps2-an386 --kernels opt");
    cr_expect_eq(rc, 0, "%s%s", out, err);
    cr_expect(strstr(out, "verdict on mps2-an386 (kernels opt): fits\n"), "%s", out);
    free(out);
    free(err);
}

Test(model_info_board, operators_the_runtime_lacks_are_judged_by_size)
{
    build_model("mobilenet:alpha=0.5,res=160,dtype=float32", "big.tflite");
    build_model("mobilenet:alpha=0.25,res=96,dtype=float32", "small.tflite");
    char *out, *err;
    int rc = mcusim(&out, &err, "model info big.tflite --board nano33ble");
    cr_expect_eq(rc, 6, "%s%s", out, err);
    cr_expect(strstr(out, "the runtime cannot run it: layer 0: operator CONV_2D (3) with float32 input is not "
                          "supported"),
              "%s", out);
    cr_expect(strstr(out, "does not fit: flash and RAM"), "%s", out);
    cr_expect(strstr(out, "RAM    >= "), "%s", out);
    free(out);
    free(err);
    rc = mcusim(&out, &err, "model info big.tflite --board nano33ble --json");
    cr_expect_eq(rc, 6, "%s", err);
    cJSON *o = parse(out);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "verdict");
    cr_expect(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(v, "ram"),
                                                            "needed_is_lower_bound")));
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(v, "runnable")));
    cJSON_Delete(o);
    free(out);
    free(err);

    /* Small enough to fit: what is wrong is the operator (exit 2), as
     * without a board. */
    rc = mcusim(&out, &err, "model info small.tflite --board nano33ble");
    cr_expect_eq(rc, 2, "%s%s", out, err);
    cr_expect(strstr(err, "small.tflite: layer 0: operator CONV_2D (3) with float32 input is not supported"), "%s",
              err);
    free(out);
    free(err);
}

Test(model_info_board, bad_arguments_are_named)
{
    build_model("cnn", "cnn.tflite");
    char *out, *err;
    cr_expect_eq(mcusim(&out, &err, "model info cnn.tflite --board nano34"), 2);
    cr_expect(strstr(err, "nano34: unknown board"), "%s", err);
    free(out);
    free(err);
    cr_expect_eq(mcusim(&out, &err, "model info cnn.tflite --board nano33ble --kernels fast"), 2);
    cr_expect(strstr(err, "kernel family 'fast'"), "%s", err);
    free(out);
    free(err);
    cr_expect_eq(mcusim(&out, &err, "model info cnn.tflite"), 0, "%s", err);
    cr_expect_null(strstr(out, "verdict"), "no board, no verdict: %s", out);
    free(out);
    free(err);
}
