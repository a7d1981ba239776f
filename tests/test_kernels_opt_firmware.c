/*
 * test_kernels_opt_firmware.c — the `opt` family in the firmware, on the
 * simulated boards: `mcusim profile MODEL --kernels opt --output B` must
 * write the same bytes as `--kernels ref --output A`.
 *
 * The host suites (test_kernels_opt_models.c, test_kernels_opt_layers.c)
 * check the kernels' C; only this one runs what Cortex-M cores run: the
 * inline assembly of the DSP paths (nano33ble: Cortex-M4F; stm32f746disco:
 * Cortex-M7) and the plain C of the Cortex-M0+ paths (pico), cross-compiled
 * with the firmware's own flags.  Every model of the shared set, every
 * synthesized workload, and single layers of odd shapes (made by
 * opt_build_layer_model) are compared; the opt runs must also report opt
 * kernels in their per-layer JSON (an image that silently fell back to ref
 * would compare equal and prove nothing).
 *
 * Needs the mcusim program (MCUSIM_EXE) with its 'profile' command and the
 * runtime images; skips cleanly when they or the models are absent.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "opt_test_util.h"
#include "rt_test_util.h"

static const char *mcusim(void)
{
    const char *exe = getenv("MCUSIM_EXE");
    return exe && *exe && access(exe, X_OK) == 0 ? exe : NULL;
}

static void require_profile(void)
{
    cr_assert_not_null(mcusim(), "MCUSIM_EXE names the mcusim program (meson test sets it)");
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "'%s' profile --help >/dev/null 2>&1", mcusim());
    cr_assert_eq(system(cmd), 0, "'mcusim profile --help' works");
}

/* Runs one profile; returns its exit status, the output bytes in *out and
 * the JSON summary text in *json (both malloc'ed). */
static int profile(const char *model, const char *board, const char *kernels, uint8_t **out, size_t *out_size,
                   char **json)
{
    char out_path[256], json_path[256], cmd[2048];
    rt_test_temp_path(".out", out_path, sizeof out_path);
    rt_test_temp_path(".json", json_path, sizeof json_path);
    snprintf(cmd, sizeof cmd, "'%s' profile '%s' --board %s --kernels %s --no-db -q --output '%s' --json '%s' "
             ">/dev/null 2>&1",
             mcusim(), model, board, kernels, out_path, json_path);
    int rc = system(cmd);
    rc = rc == -1 ? -1 : WEXITSTATUS(rc);
    *out = rt_test_read_file(out_path, out_size);
    size_t json_size;
    uint8_t *j = rt_test_read_file(json_path, &json_size);
    *json = NULL;
    if (j) {
        *json = malloc(json_size + 1);
        memcpy(*json, j, json_size);
        (*json)[json_size] = 0;
        free(j);
    }
    remove(out_path);
    remove(json_path);
    return rc;
}

static unsigned count(const char *text, const char *needle)
{
    unsigned n = 0;
    for (const char *p = text; p && (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* ref and opt on one board: same output bytes, opt kernels really ran. */
static void compare(const char *model, const char *board, bool expect_opt_layers)
{
    uint8_t *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    char *ja, *jb;
    int ra = profile(model, board, "ref", &a, &na, &ja);
    int rb = profile(model, board, "opt", &b, &nb, &jb);
    cr_assert_eq(ra, 0, "%s on %s with ref: exit status %d", model, board, ra);
    cr_assert_eq(rb, 0, "%s on %s with opt: exit status %d", model, board, rb);
    cr_assert(a && b && ja && jb, "%s on %s: no output or JSON", model, board);
    cr_assert_eq(na, nb, "%s on %s: output sizes differ", model, board);
    cr_assert_gt(na, 0);
    cr_assert_eq(memcmp(a, b, na), 0, "%s on %s: opt output differs from ref", model, board);
    if (expect_opt_layers)
        cr_assert_gt(count(jb, "_opt\""), 0, "%s on %s: no layer ran an opt kernel", model, board);
    cr_assert_eq(count(ja, "_opt\""), 0, "%s on %s: the ref run used opt kernels", model, board);
    free(a);
    free(b);
    free(ja);
    free(jb);
}

static const char *const boards[] = {"nano33ble", "pico", "stm32f746disco"};

static void check_shared(const char *name)
{
    require_profile();
    if (!rt_test_models_dir())
        cr_skip_test("shared model set not found at %s", MCUSIM_SHARED_MODELS);
    for (size_t i = 0; i < sizeof boards / sizeof boards[0]; i++)
        compare(rt_test_model_path(name), boards[i], strcmp(name, "hello_world_float") != 0);
}

#define SHARED_TEST(id) \
    Test(opt_firmware_shared, id, .timeout = 900) { check_shared(#id); }

SHARED_TEST(hello_world_int8)
SHARED_TEST(hello_world_float)
SHARED_TEST(micro_speech)
SHARED_TEST(person_detect)
SHARED_TEST(kws_dscnn)
SHARED_TEST(vww_mobilenet)
SHARED_TEST(ic_resnet8)
SHARED_TEST(ad_autoencoder)

static void check_workload(const char *name)
{
    require_profile();
    const char *dir = opt_workloads_dir();
    if (!dir)
        cr_skip_test("workloads not built at %s", MCUSIM_WORKLOADS_DIR);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.tflite", dir, name);
    if (access(path, R_OK) != 0)
        cr_skip_test("workload %s not built", path);
    for (size_t i = 0; i < sizeof boards / sizeof boards[0]; i++)
        compare(path, boards[i], true);
}

#define WORKLOAD_TEST(id) \
    Test(opt_firmware_workloads, id, .timeout = 900) { check_workload(#id); }

WORKLOAD_TEST(cnn)
WORKLOAD_TEST(cnn_half)
WORKLOAD_TEST(dscnn)
WORKLOAD_TEST(autoencoder)
WORKLOAD_TEST(mobilenet)
WORKLOAD_TEST(resnet)

/* Random single layers of odd shapes, through the assembly (nano33ble)
 * and the M0+ C (pico). */
static void random_layers(enum opt_layer_kind kind, uint64_t seed, int count)
{
    require_profile();
    struct opt_rng r = {seed};
    for (int i = 0; i < count; i++) {
        struct opt_layer_spec s;
        opt_random_layer(&r, kind, &s);
        char desc[400], path[256];
        opt_layer_describe(&s, desc, sizeof desc);
        size_t size;
        uint8_t *bytes = opt_build_layer_model(&s, seed * 1000 + (uint64_t)i, &size);
        cr_assert(bytes, "cannot build %s", desc);
        rt_test_temp_path(".tflite", path, sizeof path);
        cr_assert(rt_test_write_file(path, bytes, size));
        cr_log_info("%s", desc);
        compare(path, "nano33ble", true);
        compare(path, "pico", true);
        remove(path);
        free(bytes);
    }
}

/* Pruned layers (channels of zero weights at tiny scales, see
 * test_kernels_opt_layers.c): only the DSP images take the matrix core's
 * table, where such a channel is a constant; nano33ble and the Cortex-M7. */
Test(opt_firmware_layers, pruned_channels, .timeout = 900)
{
    require_profile();
    struct opt_layer_spec s;
    memset(&s, 0, sizeof s);
    s.kind = OPT_CONV;
    s.batch = 1;
    s.in_h = s.in_w = 6;
    s.in_c = 16;
    s.out_c = 32;
    s.k_h = s.k_w = s.stride_h = s.stride_w = s.depth_multiplier = 1;
    s.same_padding = s.bias = s.pruned = true;
    s.activation = TFLITE_ACT_RELU;
    s.input_zero_point = -5;
    s.output_zero_point = -128;
    for (int i = 0; i < 4; i++) {
        if (i == 2)
            s.k_h = s.k_w = 3, s.out_c = 9;
        if (i == 3)
            s.activation = TFLITE_ACT_NONE, s.output_zero_point = 17;
        char desc[400], path[256];
        opt_layer_describe(&s, desc, sizeof desc);
        size_t size;
        uint8_t *bytes = opt_build_layer_model(&s, 40 + (uint64_t)i, &size);
        cr_assert(bytes, "cannot build %s", desc);
        rt_test_temp_path(".tflite", path, sizeof path);
        cr_assert(rt_test_write_file(path, bytes, size));
        cr_log_info("%s", desc);
        compare(path, "nano33ble", true);
        compare(path, "stm32f746disco", true);
        remove(path);
        free(bytes);
    }
}

Test(opt_firmware_layers, conv, .timeout = 900) { random_layers(OPT_CONV, 11, 25); }
Test(opt_firmware_layers, depthwise, .timeout = 900) { random_layers(OPT_DWCONV, 22, 25); }
Test(opt_firmware_layers, fully_connected, .timeout = 900) { random_layers(OPT_FC, 33, 25); }
