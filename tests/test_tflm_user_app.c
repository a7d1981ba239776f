/*
 * test_tflm_user_app.c — the profiler file in a TFLM application built
 * outside mcusim's runtime build, as a user would build one: the test
 * compiles tests/tflm_user_app/user_app.cc, the model as a C array and
 * runtime/tflm/mcusim_tflm_profiler.cc with its own command lines (the
 * flags of TFLM's cortex_m_generic target for a Cortex-M4 with FPU; -DCMSIS_NN
 * for OPTIMIZED_KERNEL_DIR=cmsis_nn), links them with TFLM's libraries
 * (the per-core archives of this build stand for the user's
 * libtensorflow-microlite.a), newlib-nano and nosys, and the board's linker
 * script, then runs the image with `mcusim run --profile` and checks
 *   - the output equals TFLM's on the host for the same (zero) input;
 *   - one layer row per operator, in order, with the op names, CMSIS-NN's
 *     kernel names (or tflm_ref), MACs, cycles, and the INFERENCE region;
 *   - the arena record (TFLM's arena_used_bytes()).
 * Needs TFLM_SRC, TFLM_DIR, MCUSIM_EXE and TFLM_REF_RUN_DOUBLE.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rt_test_util.h"
#include "tflm_test_util.h"

static const char *need(const char *name)
{
    const char *v = tflm_env(name);
    if (!v)
        cr_skip_test("%s is not set (no TFLM sources at configure time)", name);
    return v;
}

/* The model as a C array, as `xxd -i` would write it. */
static void write_model_source(const char *model, const char *path)
{
    size_t n;
    uint8_t *bytes = tflm_read(model, &n);
    cr_assert_not_null(bytes, "%s", model);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f, "extern const unsigned char g_model[];\nalignas(16) const unsigned char g_model[] = {");
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%u,", i % 20 ? "" : "\n", bytes[i]);
    fprintf(f, "\n};\n");
    cr_assert_eq(fclose(f), 0);
    free(bytes);
}

static void build_and_check(const char *family)
{
    const char *src = need("TFLM_SRC"), *lib = need("TFLM_DIR"), *mcusim = need("MCUSIM_EXE");
    char dir[256], cmd[8192], model[1024];
    rt_test_temp_path(".user", dir, sizeof dir);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    cr_assert_eq(tflm_run(cmd), 0);
    snprintf(model, sizeof model, "%s/workloads/cnn.tflite", MCUSIM_BUILD_DIR);
    char model_cc[512];
    snprintf(model_cc, sizeof model_cc, "%s/model_data.cc", dir);
    write_model_source(model, model_cc);

    const bool cmsis = !strcmp(family, "cmsis-nn");
    char flags[4096];
    snprintf(flags, sizeof flags,
             "-mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard -mthumb -O2 -std=c++17 -fno-rtti -fno-exceptions "
             "-fno-threadsafe-statics -ffunction-sections -fdata-sections -DTF_LITE_STATIC_MEMORY "
             "-DTF_LITE_MCU_DEBUG_LOG -funsigned-char %s -I'%s/tflite-micro' -I'%s/flatbuffers/include' "
             "-I'%s/gemmlowp' -I'%s/runtime/port' -I'%s/runtime/tflm'",
             cmsis ? "-DCMSIS_NN" : "", src, src, src, MCUSIM_SOURCE_DIR, MCUSIM_SOURCE_DIR);
    const char *units[3][2] = {{MCUSIM_SOURCE_DIR "/tests/tflm_user_app/user_app.cc", "user_app.o"},
                               {MCUSIM_SOURCE_DIR "/runtime/tflm/mcusim_tflm_profiler.cc", "profiler.o"},
                               {model_cc, "model_data.o"}};
    for (int i = 0; i < 3; i++) {
        snprintf(cmd, sizeof cmd, "arm-none-eabi-g++ %s -c '%s' -o '%s/%s'", flags, units[i][0], dir, units[i][1]);
        cr_assert_eq(tflm_run(cmd), 0, "compile %s", units[i][0]);
    }
    snprintf(cmd, sizeof cmd,
             "cd '%s' && arm-none-eabi-g++ -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard -mthumb "
             "-nostartfiles --specs=nano.specs --specs=nosys.specs -Wl,--gc-sections -Wl,--no-warn-rwx-segments "
             "-T '%s/nano33ble.ld' user_app.o profiler.o model_data.o -Wl,--start-group "
             "'%s/libtflm-framework-cortex-m4f.a' '%s/libtflm-kernels-cortex-m4f.a' '%s/libtflm-%s-cortex-m4f.a' "
             "-lm -Wl,--end-group -o user.elf",
             dir, MCUSIM_BUILD_DIR, lib, lib, lib, family);
    cr_assert_eq(tflm_run(cmd), 0, "link");

    /* The run, and TFLM on the host with the same zero input. */
    char db[512], out[512], in[512];
    snprintf(db, sizeof db, "%s/runs.db", dir);
    snprintf(out, sizeof out, "%s/console.txt", dir);
    snprintf(in, sizeof in, "%s/zero.bin", dir);
    snprintf(cmd, sizeof cmd, "'%s' run '%s/user.elf' --profile --db '%s' --tag user -q > '%s'", mcusim, dir, db, out);
    cr_assert_eq(tflm_run(cmd), 0, "mcusim run --profile");
    static uint8_t zero[32 * 32 * 3];
    cr_assert(rt_test_write_file(in, zero, sizeof zero)); /* cnn's input: 32x32x3 int8 */
    char host_out[512];
    snprintf(host_out, sizeof host_out, "%s/host.txt", dir);
    snprintf(cmd, sizeof cmd, "'%s' '%s' --input '%s' > '%s'", need("TFLM_REF_RUN_DOUBLE"), model, in, host_out);
    cr_assert_eq(tflm_run(cmd), 0);
    size_t n1, n2;
    uint8_t *a = tflm_read(out, &n1), *b = tflm_read(host_out, &n2);
    cr_assert(a && b);
    cr_expect(n1 == n2 && memcmp(a, b, n1) == 0, "%s: the app printed\n%.*s\nthe host TFLM\n%.*s", family, (int)n1,
              (const char *)a, (int)n2, (const char *)b);
    free(a);
    free(b);

    /* The rows. */
    static const char *const ops[] = {"CONV_2D", "MAX_POOL_2D", "CONV_2D", "MAX_POOL_2D", "CONV_2D",
                                      "MAX_POOL_2D", "RESHAPE", "FULLY_CONNECTED", "SOFTMAX"};
    sqlite3 *sdb;
    cr_assert_eq(sqlite3_open_v2(db, &sdb, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(sdb,
                                    "SELECT l.layer_index, l.op, l.kernel, l.macs, l.cycles, l.instructions "
                                    "FROM layers l JOIN runs r ON r.id = l.run_id "
                                    "WHERE r.tag = 'user' AND l.kind = 'layer' ORDER BY l.seq",
                                    -1, &st, NULL),
                 SQLITE_OK);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *op = (const char *)sqlite3_column_text(st, 1), *kernel = (const char *)sqlite3_column_text(st, 2);
        cr_assert_lt(n, 9, "more layer rows than operators");
        cr_expect_eq(sqlite3_column_int(st, 0), n);
        cr_expect_str_eq(op, ops[n]);
        if (cmsis && !strcmp(op, "CONV_2D"))
            cr_expect_str_eq(kernel, "arm_convolve_s8", "layer %d", n);
        else if (cmsis && !strcmp(op, "FULLY_CONNECTED"))
            cr_expect_str_eq(kernel, "arm_fully_connected_s8", "layer %d", n);
        else if (!cmsis)
            cr_expect_str_eq(kernel, "tflm_ref", "layer %d", n);
        if (!strcmp(op, "CONV_2D"))
            cr_expect_gt(sqlite3_column_int64(st, 3), 0, "layer %d MACs", n);
        cr_expect_gt(sqlite3_column_int64(st, 4), 0, "layer %d cycles", n);
        cr_expect_gt(sqlite3_column_int64(st, 5), 0, "layer %d instructions", n);
        n++;
    }
    sqlite3_finalize(st);
    cr_expect_eq(n, 9, "%s: %d layer rows for 9 operators", family, n);
    cr_assert_eq(sqlite3_prepare_v2(sdb,
                                    "SELECT inference_cycles, ram_arena_planned, ram_arena_capacity FROM runs "
                                    "WHERE tag = 'user'",
                                    -1, &st, NULL),
                 SQLITE_OK);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    cr_expect_gt(sqlite3_column_int64(st, 0), 0, "no INFERENCE region");
    cr_expect_gt(sqlite3_column_int64(st, 1), 0, "no arena record");
    cr_expect_eq(sqlite3_column_int64(st, 2), 64 * 1024, "the arena's capacity");
    sqlite3_finalize(st);
    sqlite3_close(sdb);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    tflm_run(cmd);
}

Test(tflm_user_app, cmsis_nn, .timeout = 600) { build_and_check("cmsis-nn"); }
Test(tflm_user_app, reference_kernels, .timeout = 600) { build_and_check("ref"); }
