/*
 * test_profile.c — the profiler's numbers, checked against what they must
 * add up to: layer cycles against the inference, MACs against the model's
 * shapes (read with a flatbuffer reader independent of the runtime), the
 * stack peak against a firmware whose stack use is known to the byte, the
 * Chrome trace's structure, folded stacks against total cycles, the energy
 * model's calibration, determinism, and failed runs stored as failed.
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <inttypes.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mgtest_tflite_view.h"
#include "simtest.h"
#include "tflite_schema.h"

static char db_path[256];

static void fresh_db(void)
{
    snprintf(db_path, sizeof db_path, "/tmp/mcusim-prof-%d.db", (int)getpid());
    unlink(db_path);
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", db_path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", db_path);
    unlink(wal);
}

static int mcusim(const char *args, char **out)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s/mcusim %s", build_root(), args);
    return run_command_capture(cmd, out);
}

static const char *shared(const char *name)
{
    static char path[512];
    const char *dir = getenv("MCUSIM_SHARED_MODELS");
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "", name);
    return access(path, R_OK) ? NULL : path;
}

static const char *workload(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/workloads/%s.tflite", build_root(), name);
    return path;
}

static sqlite3 *open_db(void)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    return db;
}

static int64_t q_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

static double q_double(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
    double v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_double(st, 0) : NAN;
    sqlite3_finalize(st);
    return v;
}

static void profile_ok(const char *model, const char *extra)
{
    char args[2048], *out = NULL;
    snprintf(args, sizeof args, "profile -q %s --db %s %s", model, db_path, extra ? extra : "");
    int rc = mcusim(args, &out);
    cr_assert_eq(rc, 0, "profile %s failed (%d):\n%s", model, rc, out);
    free(out);
}

/* MACs from the shapes, as TFLite's own benchmarks count them. */
static uint64_t expected_macs(const struct tv_model *m, int i)
{
    const struct tv_op *op = &m->ops[i];
    int code = tv_op_code(m, i);
    const struct tv_tensor *out = &m->tensors[op->outputs[0]];
    uint64_t out_elems = 1;
    for (int d = 0; d < out->rank; d++)
        out_elems *= (uint64_t)out->dims[d];
    if (code == TFLITE_OP_CONV_2D) {
        const struct tv_tensor *w = &m->tensors[op->inputs[1]]; /* [out_c, kh, kw, in_c] */
        return out_elems * (uint64_t)w->dims[1] * (uint64_t)w->dims[2] * (uint64_t)w->dims[3];
    }
    if (code == TFLITE_OP_DEPTHWISE_CONV_2D) {
        const struct tv_tensor *w = &m->tensors[op->inputs[1]]; /* [1, kh, kw, c*mult] */
        return out_elems * (uint64_t)w->dims[1] * (uint64_t)w->dims[2];
    }
    if (code == TFLITE_OP_FULLY_CONNECTED) {
        const struct tv_tensor *w = &m->tensors[op->inputs[1]]; /* [out, in] */
        return out_elems * (uint64_t)w->dims[1];
    }
    return UINT64_MAX; /* not checked */
}

static void check_model_run(const char *model)
{
    fresh_db();
    profile_ok(model, NULL);
    sqlite3 *db = open_db();
    cr_expect_eq(q_int(db, "SELECT count(*) FROM runs WHERE status = 'ok'"), 1);
    int64_t infer = q_int(db, "SELECT inference_cycles FROM runs");
    int64_t sum = q_int(db, "SELECT sum(cycles) FROM layers WHERE kind = 'layer'");
    int64_t infer_i = q_int(db, "SELECT inference_instructions FROM runs");
    int64_t sum_i = q_int(db, "SELECT sum(instructions) FROM layers WHERE kind = 'layer'");
    cr_expect_gt(sum, 0);
    cr_expect_leq(sum, infer, "%s: layers %" PRId64 " > inference %" PRId64, model, sum, infer);
    /* What is left is the interpreter's loop between layers: a few
     * hundred cycles per layer. */
    int64_t n_layers = q_int(db, "SELECT count(*) FROM layers WHERE kind = 'layer'");
    cr_expect_leq(infer - sum, n_layers * 400, "%s: %" PRId64 " cycles between %" PRId64 " layers", model,
                  infer - sum, n_layers);
    cr_expect_leq(sum_i, infer_i);
    /* The instruction mix of every layer adds up to its instructions. */
    cr_expect_eq(q_int(db, "SELECT count(*) FROM layers WHERE alu+mul_dsp+load+store+branch+fpu+other != instructions"),
                 0);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM layers WHERE loads_flash+loads_ram+loads_other > load * 8"), 0,
                 "accesses are bounded by load instructions (LDM moves up to 8 words... per instruction)");
    /* Weights stay in flash, activations in RAM. */
    cr_expect_eq(q_int(db, "SELECT count(*) FROM layers WHERE op IN ('CONV_2D','DEPTHWISE_CONV_2D','FULLY_CONNECTED')"
                           " AND (loads_flash = 0 OR loads_ram = 0)"),
                 0);
    /* RAM: the peak is what it is made of; the measured arena agrees with
     * the runtime's plan. */
    cr_expect_eq(q_int(db, "SELECT count(*) FROM runs WHERE ram_peak != ram_static + ram_arena_used + ram_stack_peak"),
                 0);
    int64_t planned = q_int(db, "SELECT ram_arena_planned FROM runs");
    int64_t used = q_int(db, "SELECT ram_arena_used FROM runs");
    cr_expect_gt(planned, 0);
    cr_expect_leq(used, planned, "%s: measured arena %" PRId64 " beyond the plan %" PRId64, model, used, planned);
    /* Bytes of the plan may stay untouched (alignment padding, scratch a
     * kernel did not need): the measurement may be a little lower. */
    cr_expect_geq(used, planned - planned / 20 - 64, "%s: measured %" PRId64 ", planned %" PRId64, model, used,
                  planned);
    cr_expect_gt(q_int(db, "SELECT ram_stack_peak FROM runs"), 64);
    /* Energy: positive and the layers' share is below the inference's. */
    cr_expect_gt(q_double(db, "SELECT inference_energy_uj FROM runs"), 0);
    cr_expect_leq(q_double(db, "SELECT sum(energy_uj) FROM layers WHERE kind='layer'"),
                  q_double(db, "SELECT inference_energy_uj FROM runs") * 1.000001);

    /* MACs per layer from the model's own shapes. */
    size_t len;
    FILE *f = fopen(model, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    len = (size_t)ftell(f);
    rewind(f);
    uint8_t *bytes = malloc(len);
    cr_assert_eq(fread(bytes, 1, len, f), len);
    fclose(f);
    struct tv_model m;
    cr_assert_eq(tv_read(&m, bytes, len), 0, "%s", m.problem);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, "SELECT layer_index, macs FROM layers WHERE kind='layer' ORDER BY seq", -1,
                                    &st, NULL),
                 SQLITE_OK);
    int checked = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int idx = sqlite3_column_int(st, 0);
        uint64_t macs = (uint64_t)sqlite3_column_int64(st, 1);
        cr_assert_lt(idx, m.num_ops);
        uint64_t want = expected_macs(&m, idx);
        if (want != UINT64_MAX) {
            cr_expect_eq(macs, want, "%s layer %d: %" PRIu64 " MACs, shapes give %" PRIu64, model, idx, macs, want);
            checked++;
        }
    }
    sqlite3_finalize(st);
    cr_expect_gt(checked, 0);
    tv_free(&m);
    free(bytes);
    sqlite3_close(db);
}

Test(profile, layers_add_up_synthesized_cnn, .timeout = 300) { check_model_run(workload("cnn")); }
Test(profile, layers_add_up_synthesized_dscnn, .timeout = 300) { check_model_run(workload("dscnn")); }

Test(profile, layers_add_up_kws, .timeout = 300)
{
    const char *m = shared("kws_dscnn.tflite");
    if (!m)
        cr_skip_test("../shared/models is absent");
    check_model_run(m);
}

static void stack_probe(const char *board, uint32_t ram_top, uint32_t bytes)
{
    fresh_db();
    char args[1024], *out = NULL;
    snprintf(args, sizeof args, "run %s --board %s --profile -q --db %s -- %u",
             fw_path("tests/firmware", "stack_probe", board), board, db_path, bytes);
    cr_assert_eq(mcusim(args, &out), 0, "%s", out);
    unsigned sp = 0, dip = 0;
    cr_assert_eq(sscanf(strstr(out, "sp "), "sp %u dip %u", &sp, &dip), 2, "%s", out);
    free(out);
    sqlite3 *db = open_db();
    int64_t peak = q_int(db, "SELECT stack_peak FROM layers WHERE op = 'dip'");
    /* The deepest byte written is exactly sp - dip. */
    cr_expect_eq(peak, (int64_t)(ram_top - (sp - dip)), "%s: stack peak %" PRId64 ", expected %u", board, peak,
                 ram_top - (sp - dip));
    cr_expect_geq(q_int(db, "SELECT ram_stack_peak FROM runs"), peak);
    sqlite3_close(db);
}

Test(profile, stack_peak_to_the_byte_m4) { stack_probe("nano33ble", 0x20040000u, 4096); }
Test(profile, stack_peak_to_the_byte_m4_odd) { stack_probe("nano33ble", 0x20040000u, 1000); }
Test(profile, stack_peak_to_the_byte_m0plus) { stack_probe("pico", 0x20042000u, 2048); }

/* Each "X" slice on a track must end before, or inside, the one it
 * starts in. */
static void check_nesting(cJSON *events, int tid)
{
    double stack_end[64];
    int depth = 0;
    int n = cJSON_GetArraySize(events);
    double last_ts = -1;
    int seen = 0;
    for (int i = 0; i < n; i++) {
        cJSON *e = cJSON_GetArrayItem(events, i);
        cJSON *ph = cJSON_GetObjectItem(e, "ph");
        if (!cJSON_IsString(ph) || strcmp(ph->valuestring, "X") || cJSON_GetObjectItem(e, "tid")->valueint != tid)
            continue;
        double ts = cJSON_GetObjectItem(e, "ts")->valuedouble;
        double end = ts + cJSON_GetObjectItem(e, "dur")->valuedouble;
        cr_assert_geq(ts, last_ts - 1e-9, "tid %d: events sorted by start", tid);
        last_ts = ts;
        while (depth && ts >= stack_end[depth - 1] - 1e-9)
            depth--;
        if (depth)
            cr_expect_leq(end, stack_end[depth - 1] + 1e-6, "tid %d: '%s' overlaps its parent", tid,
                          cJSON_GetObjectItem(e, "name")->valuestring);
        cr_assert_lt(depth, 64);
        stack_end[depth++] = end;
        seen++;
    }
    cr_expect_gt(seen, 0, "tid %d has slices", tid);
}

static int by_ts(const void *a, const void *b)
{
    double x = cJSON_GetObjectItem(*(cJSON *const *)a, "ts") ? cJSON_GetObjectItem(*(cJSON *const *)a, "ts")->valuedouble : -1;
    double y = cJSON_GetObjectItem(*(cJSON *const *)b, "ts") ? cJSON_GetObjectItem(*(cJSON *const *)b, "ts")->valuedouble : -1;
    if (x != y)
        return x < y ? -1 : 1;
    /* Equal starts: the longer (outer) slice first. */
    double dx = cJSON_GetObjectItem(*(cJSON *const *)a, "dur") ? cJSON_GetObjectItem(*(cJSON *const *)a, "dur")->valuedouble : 0;
    double dy = cJSON_GetObjectItem(*(cJSON *const *)b, "dur") ? cJSON_GetObjectItem(*(cJSON *const *)b, "dur")->valuedouble : 0;
    return dx > dy ? -1 : dx < dy;
}

Test(profile, chrome_trace_of_person_detect, .timeout = 300)
{
    const char *m = shared("person_detect.tflite");
    if (!m)
        cr_skip_test("../shared/models is absent");
    fresh_db();
    char trace[300], args[1024];
    snprintf(trace, sizeof trace, "/tmp/mcusim-trace-%d.json", (int)getpid());
    snprintf(args, sizeof args, "--trace %s", trace);
    profile_ok(m, args);
    FILE *f = fopen(trace, "r");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    rewind(f);
    char *text = malloc((size_t)len + 1);
    cr_assert_eq(fread(text, 1, (size_t)len, f), (size_t)len);
    text[len] = '\0';
    fclose(f);
    cJSON *root = cJSON_Parse(text);
    cr_assert_not_null(root, "valid JSON");
    cJSON *events = cJSON_GetObjectItem(root, "traceEvents");
    cr_assert(cJSON_IsArray(events));
    int n = cJSON_GetArraySize(events), layers = 0;
    cJSON **sorted = malloc(sizeof *sorted * (size_t)n);
    for (int i = 0; i < n; i++) {
        cJSON *e = cJSON_GetArrayItem(events, i);
        static const char *required[] = {"name", "ph", "pid", "tid"};
        for (size_t k = 0; k < 4; k++)
            cr_expect_not_null(cJSON_GetObjectItem(e, required[k]), "event %d lacks %s", i, required[k]);
        if (!strcmp(cJSON_GetObjectItem(e, "ph")->valuestring, "X")) {
            cr_expect(cJSON_IsNumber(cJSON_GetObjectItem(e, "ts")) && cJSON_IsNumber(cJSON_GetObjectItem(e, "dur")));
            cJSON *cat = cJSON_GetObjectItem(e, "cat");
            if (cat && !strcmp(cat->valuestring, "layer"))
                layers++;
        }
        sorted[i] = e;
    }
    cr_expect_eq(layers, 31, "person_detect has 31 operators");
    qsort(sorted, (size_t)n, sizeof *sorted, by_ts);
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; i < n; i++)
        cJSON_AddItemReferenceToArray(arr, sorted[i]);
    check_nesting(arr, 1);
    check_nesting(arr, 2);
    cJSON_Delete(arr);
    free(sorted);
    cJSON_Delete(root);
    free(text);
    unlink(trace);
}

Test(profile, folded_stacks_add_up, .timeout = 300)
{
    fresh_db();
    char folded[300], args[1024];
    snprintf(folded, sizeof folded, "/tmp/mcusim-folded-%d.txt", (int)getpid());
    snprintf(args, sizeof args, "--folded %s", folded);
    profile_ok(workload("cnn_half"), args);
    FILE *f = fopen(folded, "r");
    cr_assert_not_null(f);
    char line[4096];
    uint64_t total = 0, in_layers = 0;
    while (fgets(line, sizeof line, f)) {
        char *sp = strrchr(line, ' ');
        cr_assert_not_null(sp, "'stack count' lines");
        total += strtoull(sp + 1, NULL, 10);
        if (line[0] == '[')
            in_layers += strtoull(sp + 1, NULL, 10);
    }
    fclose(f);
    unlink(folded);
    sqlite3 *db = open_db();
    cr_expect_eq((int64_t)total, q_int(db, "SELECT cycles FROM runs"), "every cycle is in exactly one stack");
    /* Stacks under regions ([inference] and layers) cover the inference. */
    cr_expect_eq((int64_t)in_layers, q_int(db, "SELECT inference_cycles FROM runs"));
    sqlite3_close(db);
}

Test(profile, functions_with_source_lines, .timeout = 300)
{
    fresh_db();
    profile_ok(workload("cnn_half"), NULL);
    sqlite3 *db = open_db();
    /* Every conv layer called the conv kernel once. */
    cr_expect_eq(q_int(db, "SELECT calls FROM functions WHERE name = 'conv_s8_ref'"),
                 q_int(db, "SELECT count(*) FROM layers WHERE op = 'CONV_2D'"));
    cr_expect_gt(q_int(db, "SELECT self_cycles FROM functions WHERE name = 'conv_s8_ref'"), 0);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM functions WHERE total_cycles < self_cycles"), 0);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM functions WHERE name = 'conv_s8_ref' AND file LIKE '%conv_s8_ref.c'"
                           " AND line > 0"),
                 1, "DWARF file:line");
    cr_expect_eq(q_int(db, "SELECT sum(self_cycles) FROM functions"), q_int(db, "SELECT cycles FROM runs"));
    sqlite3_close(db);
}

Test(profile, deterministic, .timeout = 300)
{
    fresh_db();
    profile_ok(workload("dscnn"), NULL);
    profile_ok(workload("dscnn"), NULL);
    sqlite3 *db = open_db();
    cr_expect_eq(q_int(db, "SELECT count(DISTINCT cycles || '/' || instructions || '/' || ram_peak || '/' || energy_uj"
                           " || '/' || run_key) FROM runs"),
                 1);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM layers a JOIN layers b ON a.seq = b.seq AND a.run_id = 1 AND"
                           " b.run_id = 2 WHERE a.cycles != b.cycles OR a.instructions != b.instructions OR"
                           " a.ram_peak != b.ram_peak OR a.loads_flash != b.loads_flash"),
                 0);
    sqlite3_close(db);
}

Test(profile, failed_runs_are_stored_as_failed, .timeout = 300)
{
    fresh_db();
    profile_ok(workload("cnn_half"), NULL);
    char args[1024], *out = NULL;
    /* A limit. */
    snprintf(args, sizeof args, "profile -q %s --db %s -n 20000", workload("cnn_half"), db_path);
    cr_expect_eq(mcusim(args, &out), 4, "%s", out);
    free(out);
    /* A model too big for the flash. */
    char big[300];
    snprintf(big, sizeof big, "/tmp/mcusim-big-%d.tflite", (int)getpid());
    snprintf(args, sizeof args, "model build autoencoder:input=4096,hidden=1024 -o %s", big);
    cr_assert_eq(mcusim(args, &out), 0, "%s", out);
    free(out);
    snprintf(args, sizeof args, "profile -q %s --db %s 2>&1", big, db_path);
    cr_expect_eq(mcusim(args, &out), 6, "%s", out);
    free(out);
    unlink(big);
    sqlite3 *db = open_db();
    cr_expect_eq(q_int(db, "SELECT count(*) FROM runs"), 3);
    cr_expect_eq(q_int(db, "SELECT status = 'ok' FROM runs WHERE id = 1"), 1, "earlier run intact");
    cr_expect_eq(q_int(db, "SELECT count(*) FROM runs WHERE status = 'limit' AND diagnostic LIKE '%instruction limit%'"),
                 1);
    cr_expect_eq(q_int(db, "SELECT count(*) FROM runs WHERE status = 'nofit' AND diagnostic LIKE '%does not fit nano33ble: flash needs%'"
                           " AND flash_model > flash_capacity - flash_code"),
                 1);
    sqlite3_close(db);
}

Test(profile, energy_calibrated_to_the_datasheet_run_current)
{
    /* A CoreMark-like integer loop from flash on nano33ble should draw
     * about the datasheet's 3.3 mA (nRF52840 ICPU0) on average. */
    fresh_db();
    char args[1024], *out = NULL;
    snprintf(args, sizeof args, "run %s --profile -q --db %s -- 200", fw_path("workloads/firmware", "loop", "nano33ble"),
             db_path);
    cr_assert_eq(mcusim(args, &out), 0, "%s", out);
    free(out);
    sqlite3 *db = open_db();
    double uj = q_double(db, "SELECT energy_uj FROM runs");
    double s = q_double(db, "SELECT sim_time_s FROM runs");
    double ma = uj / 3.0 / s / 1000.0; /* µJ / V / s = µA */
    cr_expect(ma > 3.3 * 0.9 && ma < 3.3 * 1.15, "average current %.3f mA", ma);
    sqlite3_close(db);
}

Test(profile, numbers_do_not_depend_on_file_locations, .timeout = 300)
{
    /* The same model and input, from a short and a long path: the firmware
     * parses its command line, so paths must not reach it. */
    fresh_db();
    char dir[512], model[700], input[700], args[4096], *out = NULL;
    snprintf(dir, sizeof dir, "/tmp/mcusim-a-rather-long-directory-name-to-move-things-around-%d", (int)getpid());
    snprintf(args, sizeof args, "mkdir -p %s && cp %s %s/m.tflite && head -c 3072 /dev/zero > %s/in.bin && "
                                "cp %s/in.bin /tmp/i%d.bin",
             dir, workload("cnn_half"), dir, dir, dir, (int)getpid());
    cr_assert_eq(system(args), 0);
    snprintf(model, sizeof model, "%s/m.tflite", dir);
    snprintf(input, sizeof input, "--input %s/in.bin", dir);
    profile_ok(model, input);
    snprintf(input, sizeof input, "--input /tmp/i%d.bin", (int)getpid());
    profile_ok(workload("cnn_half"), input);
    sqlite3 *db = open_db();
    cr_expect_eq(q_int(db, "SELECT count(DISTINCT cycles || '/' || instructions) FROM runs"), 1,
                 "whole-run cycles independent of paths");
    cr_expect_eq(q_int(db, "SELECT count(DISTINCT run_key) FROM runs"), 1, "same firmware, model and input");
    sqlite3_close(db);
    snprintf(args, sizeof args, "rm -rf %s /tmp/i%d.bin", dir, (int)getpid());
    if (system(args) != 0)
        cr_log_warn("cleanup failed");
    free(out);
}
