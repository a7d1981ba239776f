/*
 * test_tflm_firmware.c — TensorFlow Lite Micro as a second runtime, on the
 * simulated boards:
 *
 *   five ways, byte for byte (nano33ble): TFLM with its reference kernels
 *   and TFLM with CMSIS-NN kernels (tflm-<board>-ref/-cmsis-nn.elf, run
 *   with `mcusim profile --runtime tflm --kernels ref|cmsis-nn`), TFLM-ref on the host (tflm-ref-run), and
 *   mcusim's own `ref` and `opt` runtime images (`mcusim profile`), on
 *   every shared model (default input and the shared samples) and every
 *   synthesized workload.  TFLM always rounds twice; the own runtime
 *   against the host TFLM of its configured rounding (MCUSIM_ROUNDING).
 *
 *   per layer: every operator of the TFLM runs is a layer row of the
 *   database, in the own runtime's order, with the same op, output shape
 *   and MACs as the own runtime's row, cycles, instructions (their mix
 *   adding up), RAM and energy; the inference region and the arena (TFLM's
 *   arena_used_bytes() as planned, the measured footprint beside it).
 *
 *   other cores: both TFLM images on the Cortex-M0+ (CMSIS-NN's portable C)
 *   and Cortex-M7 boards against the host, on three models.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
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

struct output {
    uint8_t *bytes;
    size_t size;
};

static struct output read_output(const char *path)
{
    struct output o = {NULL, 0};
    o.bytes = tflm_read(path, &o.size);
    unlink(path);
    return o;
}

/* mcusim's own runtime image: `mcusim profile` (the model in the slot). */
static struct output own(const char *board, const char *kernels, const char *model, const char *in, const char *db,
                         const char *tag)
{
    char out[256], cmd[4096];
    rt_test_temp_path(".own", out, sizeof out);
    snprintf(cmd, sizeof cmd, "'%s' profile '%s' --board %s --kernels %s --db '%s' --tag '%s' -q --input '%s' "
             "--output '%s' >/dev/null", need("MCUSIM_EXE"), model, board, kernels, db, tag, in, out);
    cr_expect_eq(tflm_run(cmd), 0, "%s: mcusim %s failed", model, kernels);
    return read_output(out);
}

/* TFLM as users run it: `mcusim profile --runtime tflm --kernels FAMILY`
 * (the model in the image's slot, as for the own runtime). */
static struct output tflm(const char *board, const char *family, const char *model, const char *in, const char *db,
                          const char *tag)
{
    char out[256], cmd[4096];
    rt_test_temp_path(".tflm", out, sizeof out);
    snprintf(cmd, sizeof cmd, "'%s' profile '%s' --board %s --runtime tflm --kernels %s --db '%s' --tag '%s' -q "
             "--input '%s' --output '%s' >/dev/null", need("MCUSIM_EXE"), model, board, family, db, tag, in, out);
    cr_expect_eq(tflm_run(cmd), 0, "%s: TFLM %s on %s failed", model, family, board);
    return read_output(out);
}

static struct output host(const char *rounding, const char *model, const char *in)
{
    char out[256], cmd[4096];
    rt_test_temp_path(".host", out, sizeof out);
    snprintf(cmd, sizeof cmd, "'%s' '%s' --input '%s' --output '%s' >/dev/null",
             need(!strcmp(rounding, "single") ? "TFLM_REF_RUN_SINGLE" : "TFLM_REF_RUN_DOUBLE"), model, in, out);
    cr_expect_eq(tflm_run(cmd), 0, "%s: host TFLM failed", model);
    return read_output(out);
}

static void same(const struct output *a, const struct output *b, const char *what, const char *label)
{
    cr_assert_not_null(a->bytes, "%s: %s wrote no output", label, what);
    cr_assert_not_null(b->bytes, "%s: the host TFLM wrote no output", label);
    cr_assert_eq(a->size, b->size, "%s: %s: %zu bytes against %zu", label, what, a->size, b->size);
    size_t first = a->size;
    int diffs = 0;
    for (size_t i = 0; i < a->size; i++)
        if (a->bytes[i] != b->bytes[i] && diffs++ == 0)
            first = i;
    cr_expect_eq(diffs, 0, "%s: %s differs from the host TFLM in %d bytes, first at %zu", label, what, diffs, first);
}

/* ---- the database rows ---- */

struct layer_row {
    int index;
    char op[64], kernel[96], shape[64];
    long long macs, cycles, instructions, mix, ram_peak;
    double energy;
};

static sqlite3 *open_db(const char *path)
{
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK, "%s", path);
    return db;
}

static long long run_id(sqlite3 *db, const char *tag)
{
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, "SELECT id FROM runs WHERE tag = ? ORDER BY id DESC LIMIT 1", -1, &st, NULL),
                 SQLITE_OK);
    sqlite3_bind_text(st, 1, tag, -1, SQLITE_STATIC);
    long long id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    cr_assert_geq(id, 0, "no run tagged %s", tag);
    return id;
}

static int layers(sqlite3 *db, long long id, struct layer_row *rows, int max)
{
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db,
                                    "SELECT layer_index, op, kernel, output_shape, macs, cycles, instructions, "
                                    "alu + mul_dsp + load + store + branch + fpu + other, ram_peak, energy_uj "
                                    "FROM layers WHERE run_id = ? AND kind = 'layer' ORDER BY seq",
                                    -1, &st, NULL),
                 SQLITE_OK, "%s", sqlite3_errmsg(db));
    sqlite3_bind_int64(st, 1, id);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW && n < max) {
        struct layer_row *r = &rows[n++];
        r->index = sqlite3_column_int(st, 0);
        snprintf(r->op, sizeof r->op, "%s", (const char *)sqlite3_column_text(st, 1));
        snprintf(r->kernel, sizeof r->kernel, "%s", (const char *)sqlite3_column_text(st, 2));
        snprintf(r->shape, sizeof r->shape, "%s", (const char *)sqlite3_column_text(st, 3));
        r->macs = sqlite3_column_int64(st, 4);
        r->cycles = sqlite3_column_int64(st, 5);
        r->instructions = sqlite3_column_int64(st, 6);
        r->mix = sqlite3_column_int64(st, 7);
        r->ram_peak = sqlite3_column_int64(st, 8);
        r->energy = sqlite3_column_double(st, 9);
    }
    sqlite3_finalize(st);
    return n;
}

static long long run_value(sqlite3 *db, long long id, const char *column)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT %s FROM runs WHERE id = ?", column);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

/* The TFLM run's layers against the own runtime's, row by row. */
static void check_layers(const char *db_path, const char *tflm_tag, const char *own_tag, const char *label,
                         bool cmsis_nn)
{
    sqlite3 *db = open_db(db_path);
    long long t = run_id(db, tflm_tag), o = run_id(db, own_tag);
    static struct layer_row tl[128], ol[128];
    int nt = layers(db, t, tl, 128), no = layers(db, o, ol, 128);
    cr_assert_gt(no, 0, "%s: the own runtime has no layers", label);
    cr_assert_eq(nt, no, "%s: TFLM has %d layer rows, the model %d operators", label, nt, no);
    for (int i = 0; i < nt; i++) {
        cr_expect_eq(tl[i].index, i, "%s: layer %d has index %d", label, i, tl[i].index);
        cr_expect_str_eq(tl[i].op, ol[i].op, "%s: layer %d", label, i);
        cr_expect_str_eq(tl[i].shape, ol[i].shape, "%s: layer %d (%s) output shape", label, i, tl[i].op);
        cr_expect_eq(tl[i].macs, ol[i].macs, "%s: layer %d (%s) MACs", label, i, tl[i].op);
        cr_expect_gt(tl[i].cycles, 0, "%s: layer %d", label, i);
        cr_expect_gt(tl[i].instructions, 0, "%s: layer %d", label, i);
        cr_expect_eq(tl[i].mix, tl[i].instructions, "%s: layer %d: the mix adds up to %lld of %lld", label, i,
                     tl[i].mix, tl[i].instructions);
        cr_expect_gt(tl[i].ram_peak, 0, "%s: layer %d", label, i);
        cr_expect_gt(tl[i].energy, 0.0, "%s: layer %d", label, i);
        if (cmsis_nn && (!strcmp(tl[i].op, "CONV_2D") || !strcmp(tl[i].op, "DEPTHWISE_CONV_2D")) &&
            strcmp(tl[i].kernel, "tflm_ref") != 0)
            cr_expect(!strncmp(tl[i].kernel, "arm_", 4), "%s: layer %d kernel %s", label, i, tl[i].kernel);
        if (!cmsis_nn)
            cr_expect_str_eq(tl[i].kernel, "tflm_ref", "%s: layer %d", label, i);
    }
    cr_expect_gt(run_value(db, t, "inference_cycles"), 0, "%s: no inference region", label);
    long long planned = run_value(db, t, "ram_arena_planned"), used = run_value(db, t, "ram_arena_used");
    cr_expect_gt(planned, 0, "%s: no arena record", label);
    /* What TFLM really writes: its plan, and beyond the activations, for
     * small models, the scratch its memory planner uses while planning (a
     * few KB); not the board's whole RAM, which the stock planner's
     * scattered arrays would make it (see tflm_app.cc). */
    cr_log_info("%s: arena measured %lld bytes, planned %lld", label, used, planned);
    cr_expect(used >= planned / 2 && used <= planned + 8192, "%s: arena measured %lld, planned %lld", label, used,
              planned);
    sqlite3_close(db);
}

ParameterizedTestParameters(tflm_firmware, five_ways)
{
    static size_t idx[64];
    for (size_t i = 0; i < tflm_case_count; i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, tflm_case_count);
}

ParameterizedTest(size_t *i, tflm_firmware, five_ways, .timeout = 1200)
{
    const struct tflm_case *c = &tflm_cases[*i];
    const char *label = tflm_case_label(c);
    char model[1024], in[256], db[256], tags[4][128];
    if (!tflm_case_model_path(c, model, sizeof model))
        cr_skip_test("../shared/models is absent");
    need("TFLM_DIR");
    rt_test_temp_path(".in", in, sizeof in);
    rt_test_temp_path(".db", db, sizeof db);
    cr_assert(tflm_case_write_input(c, model, in), "%s: cannot make the input", label);
    const char *kinds[4] = {"tflm-ref", "tflm-cmsis-nn", "own-ref", "own-opt"};
    for (int k = 0; k < 4; k++)
        snprintf(tags[k], sizeof tags[k], "%s/%s", label, kinds[k]);

    struct output host_double = host("double", model, in);
    struct output host_own = host(need("MCUSIM_ROUNDING"), model, in);
    struct output t_ref = tflm("nano33ble", "ref", model, in, db, tags[0]);
    struct output t_cmsis = tflm("nano33ble", "cmsis-nn", model, in, db, tags[1]);
    struct output o_ref = own("nano33ble", "ref", model, in, db, tags[2]);
    struct output o_opt = own("nano33ble", "opt", model, in, db, tags[3]);

    same(&t_ref, &host_double, "TFLM-ref on nano33ble", label);
    same(&t_cmsis, &host_double, "TFLM-CMSIS-NN on nano33ble", label);
    same(&o_ref, &host_own, "mcusim ref on nano33ble", label);
    same(&o_opt, &host_own, "mcusim opt on nano33ble", label);
    check_layers(db, tags[0], tags[2], label, false);
    check_layers(db, tags[1], tags[2], label, true);

    struct output *all[] = {&host_double, &host_own, &t_ref, &t_cmsis, &o_ref, &o_opt};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        free(all[k]->bytes);
    unlink(in);
    unlink(db);
}

/* The Cortex-M0+ (CMSIS-NN without DSP instructions) and Cortex-M7 images. */
static void other_board(const char *board, const char *name, bool workload)
{
    const struct tflm_case c = {name, workload, NULL};
    char model[1024], in[256], db[256], label[128];
    if (!tflm_case_model_path(&c, model, sizeof model))
        cr_skip_test("../shared/models is absent");
    need("TFLM_DIR");
    snprintf(label, sizeof label, "%s on %s", name, board);
    rt_test_temp_path(".in", in, sizeof in);
    rt_test_temp_path(".db", db, sizeof db);
    cr_assert(tflm_case_write_input(&c, model, in));
    struct output h = host("double", model, in);
    struct output r = tflm(board, "ref", model, in, db, "ref");
    struct output n = tflm(board, "cmsis-nn", model, in, db, "cmsis-nn");
    same(&r, &h, "TFLM-ref", label);
    same(&n, &h, "TFLM-CMSIS-NN", label);
    free(h.bytes);
    free(r.bytes);
    free(n.bytes);
    unlink(in);
    unlink(db);
}

Test(tflm_other_boards, pico_cnn, .timeout = 900) { other_board("pico", "cnn", true); }
Test(tflm_other_boards, pico_dscnn, .timeout = 900) { other_board("pico", "dscnn", true); }
Test(tflm_other_boards, pico_kws_dscnn, .timeout = 900) { other_board("pico", "kws_dscnn", false); }
Test(tflm_other_boards, m7_cnn, .timeout = 900) { other_board("stm32f746disco", "cnn", true); }
Test(tflm_other_boards, m7_resnet, .timeout = 900) { other_board("stm32f746disco", "resnet", true); }
Test(tflm_other_boards, m7_kws_dscnn, .timeout = 900) { other_board("stm32f746disco", "kws_dscnn", false); }

/* ---- the image's contract: exit statuses and one-line errors ---- */

/* Runs the cmsis-nn image for nano33ble (with model placed, or empty);
 * returns the exit status, stderr in err. */
static int run_image(const char *model, const char *args, char *err, size_t len)
{
    char fw[1024], elf[256], err_path[256], cmd[4096];
    snprintf(fw, sizeof fw, "%s/tflm-nano33ble-cmsis-nn.elf", need("TFLM_DIR"));
    rt_test_temp_path(".elf", elf, sizeof elf);
    rt_test_temp_path(".err", err_path, sizeof err_path);
    if (model) {
        snprintf(cmd, sizeof cmd, "python3 '%s/runtime/port/place_model.py' '%s' '%s' -o '%s'", MCUSIM_SOURCE_DIR, fw,
                 model, elf);
        cr_assert_eq(tflm_run(cmd), 0);
    }
    /* --exit-status firmware: the image's own status, not mcusim's outcome. */
    snprintf(cmd, sizeof cmd, "'%s' run --exit-status firmware '%s' -q -- %s >/dev/null 2>'%s'", need("MCUSIM_EXE"),
             model ? elf : fw, args, err_path);
    int rc = system(cmd);
    size_t n = 0;
    uint8_t *text = tflm_read(err_path, &n);
    snprintf(err, len, "%.*s", text ? (int)n : 0, text ? (const char *)text : "");
    free(text);
    unlink(err_path);
    unlink(elf);
    return rc == -1 ? -1 : WEXITSTATUS(rc);
}

Test(tflm_firmware, no_model_in_the_slot_is_exit_2)
{
    char err[4096];
    cr_expect_eq(run_image(NULL, "", err, sizeof err), 2);
    cr_expect(strstr(err, "error: no model in the flash slot") != NULL, "%s", err);
}

Test(tflm_firmware, other_kernel_family_is_exit_2)
{
    char model[1024], err[4096];
    snprintf(model, sizeof model, "%s/workloads/cnn.tflite", MCUSIM_BUILD_DIR);
    cr_expect_eq(run_image(model, "--kernels ref", err, sizeof err), 2);
    cr_expect(strstr(err, "kernel family not linked in this firmware: ref") != NULL, "%s", err);
}

Test(tflm_firmware, wrong_input_size_is_exit_2)
{
    char model[1024], in[256], args[512], err[4096];
    snprintf(model, sizeof model, "%s/workloads/cnn.tflite", MCUSIM_BUILD_DIR);
    rt_test_temp_path(".in", in, sizeof in);
    cr_assert(rt_test_write_file(in, "0123456789", 10));
    snprintf(args, sizeof args, "--input '%s'", in);
    cr_expect_eq(run_image(model, args, err, sizeof err), 2);
    cr_expect(strstr(err, "has 10 bytes, the model input needs 3072") != NULL, "%s", err);
    unlink(in);
}

/* An arena larger than the board's RAM: exit 6, with the numbers. */
Test(tflm_firmware, arena_too_big_is_exit_6, .timeout = 300)
{
    char model[256], cmd[2048], err[4096];
    rt_test_temp_path(".tflite", model, sizeof model);
    snprintf(cmd, sizeof cmd, "'%s' model build resnet:res=128 -o '%s' >/dev/null", need("MCUSIM_EXE"),
             model);
    cr_assert_eq(tflm_run(cmd), 0);
    cr_expect_eq(run_image(model, "", err, sizeof err), 6);
    cr_expect(strstr(err, "error: model does not fit in RAM: the tensor arena needs at least ") != NULL, "%s", err);
    cr_expect(strstr(err, "are free after the firmware's static data and stack") != NULL, "%s", err);
    unlink(model);
}
