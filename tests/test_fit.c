/*
 * test_fit.c — what fits, from the command line: 'model info --board'
 * gives the verdict without simulating, the same one 'profile' stores,
 * with both resources when both are over and with the sizes of a model
 * whose operators the runtime lacks; the rules that judge variants
 * against budgets (reports/fit_table.h); and 'mcusim fit', the search
 * over variants, on a small range with a known answer, resumed, with its
 * HTML page in headless Chromium.
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "browser.h"
#include "fit_table.h"
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

    /* The report of that run: nothing was simulated, so no host speed. */
    rc = mcusim(&out, &err, "profile both.tflite --no-db");
    cr_expect_eq(rc, 6, "%s", err);
    cr_expect(strstr(out, ", nothing simulated, mcusim "), "%s", out);
    cr_expect_null(strstr(out, "MIPS"), "%s", out);
    cr_expect(strstr(out, "\nRAM: needs 633.5 KB of 256.0 KB"), "planned to the byte, not a lower bound: %s", out);
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
    cr_expect(strstr(out, "the runtime cannot run it: unsupported operators: CONV_2D (3) with float32 input at "
                          "layers 0, 2, 4, "),
              "%s", out);
    cr_expect(strstr(out, "\n   0  CONV_2D            "), "the layers are listed all the same: %s", out);
    cr_expect(strstr(out, "NOT SUPPORTED\n"), "each unsupported layer marked: %s", out);
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
    const cJSON *layers = cJSON_GetObjectItemCaseSensitive(o, "layers");
    cr_expect_eq(cJSON_GetArraySize(layers), 31, "the layers, listed without a plan");
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(layers, 0), "supported")));
    cJSON_Delete(o);
    free(out);
    free(err);
    rc = mcusim(&out, &err, "profile big.tflite --no-db");
    cr_expect_eq(rc, 6, "%s", err);
    cr_expect(strstr(out, "\nRAM: needs at least "), "%s", out);
    cr_expect(strstr(out, "at least: the runtime cannot run the model"), "%s", out);
    free(out);
    free(err);

    /* Small enough to fit: what is wrong is the operator (exit 2, as
     * without a board), and the verdict says how it would fit. */
    rc = mcusim(&out, &err, "model info small.tflite --board nano33ble");
    cr_expect_eq(rc, 2, "%s%s", out, err);
    cr_expect(strstr(err, "small.tflite: unsupported operators: CONV_2D (3) with float32 input at layers 0, 2, 4, "),
              "%s", err);
    cr_expect(strstr(out, "verdict on nano33ble (kernels ref): would fit by its sizes, but the runtime cannot run "
                          "it\n"),
              "the verdict all the same: %s", out);
    cr_expect(strstr(out, "RAM    >= "), "%s", out);
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

/* ---- judging against budgets (reports/fit_table.h), on made-up rows ---- */

static struct fit_table judged_table(struct fit_row *rows, int n, struct fit_variant *variants, int nv)
{
    static struct fit_board board = {"b", "cortex-m4f", 64000000, 1024 * 1024, 256 * 1024, true};
    struct fit_table t;
    memset(&t, 0, sizeof t);
    t.boards = &board;
    t.n_boards = 1;
    snprintf(t.kernels[0], sizeof t.kernels[0], "ref");
    t.n_kernels = 1;
    t.variants = variants;
    t.n_variants = nv;
    t.rows = rows;
    t.n_rows = n;
    return t;
}

static struct fit_row row(int variant, uint64_t flash_kb, uint64_t ram_kb, const char *status, double ms)
{
    struct fit_row r;
    memset(&r, 0, sizeof r);
    r.variant = variant;
    r.exact = r.runnable = true;
    r.flash_needed = flash_kb * 1024;
    r.ram_needed = ram_kb * 1024;
    snprintf(r.status, sizeof r.status, "%s", status);
    r.ms = ms;
    r.cycles = (uint64_t)(ms * 64000);
    r.has_energy = true;
    r.energy_uj = ms * 10;
    return r;
}

Test(fit_judge, limits_verdicts_binding_constraints_and_the_best)
{
    struct fit_variant v[5];
    memset(v, 0, sizeof v);
    for (int i = 0; i < 5; i++)
        v[i].macs = 1000000u * (uint64_t)(i + 1);
    struct fit_row rows[5] = {
        row(0, 100, 100, "ok", 100),     /* fits: RAM 100/192 the tightest */
        row(1, 900, 150, "ok", 400),     /* fits: flash 900/1024 */
        row(2, 200, 200, "", 0),         /* RAM over the 192 KB left: never ran */
        row(3, 200, 150, "ok", 900),     /* latency over */
        row(4, 200, 150, "fault", 0),    /* fits statically, its run faulted */
    };
    struct fit_table t = judged_table(rows, 5, v, 5);
    t.budget.ram_headroom_kb = 64;
    t.budget.max_latency_ms = 500;
    cr_expect_eq(fit_ram_limit(&t, 0), 192u * 1024);
    cr_expect_eq(fit_flash_limit(&t, 0), 1024u * 1024);
    fit_judge(&t);
    cr_expect_eq(rows[0].outcome, FIT_FITS);
    cr_expect_eq(rows[0].binding, FIT_RAM);
    cr_expect_float_eq(rows[0].binding_pct, 100.0 * 100 / 192, 1e-9);
    cr_expect_eq(rows[1].outcome, FIT_FITS);
    cr_expect_eq(rows[1].binding, FIT_FLASH);
    cr_expect_eq(rows[2].outcome, FIT_OVER);
    cr_expect_eq(rows[2].binding, FIT_RAM);
    cr_expect_eq(rows[3].outcome, FIT_OVER);
    cr_expect_eq(rows[3].binding, FIT_LATENCY);
    cr_expect_eq(rows[4].outcome, FIT_NOT_MEASURED);
    cr_expect(strstr(rows[4].note, "fault"), "%s", rows[4].note);
    /* The largest within every budget: variant 1 (2 M MACs), not 3 or 4. */
    cr_expect_not(rows[0].best);
    cr_expect(rows[1].best);
    cr_expect_eq(fit_best(&t, 0, 0), &rows[1]);
    cr_expect(fit_any_fits(&t));

    /* A RAM budget below the board's and the headroom takes over. */
    t.budget.max_ram_kb = 120;
    fit_judge(&t);
    cr_expect_eq(fit_ram_limit(&t, 0), 120u * 1024);
    cr_expect_eq(rows[1].outcome, FIT_OVER);
    cr_expect(rows[0].best);

    /* Nothing within: no best, and the answer is no. */
    t.budget.max_latency_ms = 50;
    fit_judge(&t);
    cr_expect_null(fit_best(&t, 0, 0));
    cr_expect_not(fit_any_fits(&t));
}

Test(fit_judge, budgets_that_need_a_run_and_models_the_runtime_cannot_run)
{
    struct fit_variant v[3];
    memset(v, 0, sizeof v);
    struct fit_row rows[3] = {row(0, 100, 100, "", 0), row(1, 100, 100, "ok", 10), row(2, 100, 100, "", 0)};
    rows[2].runnable = false;
    snprintf(rows[2].why, sizeof rows[2].why, "layer 0: operator CONV_2D (3) with float32 input is not supported");
    struct fit_table t = judged_table(rows, 3, v, 3);
    /* Without a latency or energy budget, fitting flash and RAM is enough. */
    fit_judge(&t);
    cr_expect_eq(rows[0].outcome, FIT_FITS);
    cr_expect_eq(rows[2].outcome, FIT_CANNOT_RUN);
    cr_expect(strstr(rows[2].note, "not supported"), "%s", rows[2].note);
    /* With one, a variant that did not run is not measured. */
    t.budget.max_energy_uj = 1000;
    fit_judge(&t);
    cr_expect_eq(rows[0].outcome, FIT_NOT_MEASURED);
    cr_expect_eq(rows[1].outcome, FIT_FITS);
    cr_expect_eq(rows[1].binding, FIT_RAM);
    /* A board without an energy model cannot meet an energy budget. */
    rows[1].has_energy = false;
    fit_judge(&t);
    cr_expect_eq(rows[1].outcome, FIT_NOT_MEASURED);
    cr_expect(strstr(rows[1].note, "no energy model"), "%s", rows[1].note);
}

/* ---- the search, end to end ---- */

TestSuite(fit, .init = setup, .fini = teardown, .timeout = 600);

static const cJSON *item(const cJSON *o, const char *key)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
    cr_assert_not_null(x, "no '%s'", key);
    return x;
}

/* The board's rows of a fit --json answer, by variant label and kernels. */
static const cJSON *variant_row(const cJSON *answer, int board, const char *label, const char *kernels)
{
    const cJSON *b = cJSON_GetArrayItem(item(answer, "boards"), board);
    const cJSON *r;
    cJSON_ArrayForEach(r, item(b, "variants"))
    if (!strcmp(item(r, "variant")->valuestring, label) && !strcmp(item(r, "kernels")->valuestring, kernels))
        return r;
    cr_assert_fail("no row %s (%s)", label, kernels);
    return NULL;
}

static const char *verdict_of_row(const cJSON *answer, const char *label)
{
    return item(variant_row(answer, 0, label, "opt"), "verdict")->valuestring;
}

/* MobileNetV1 0.25 at five resolutions on the Nano 33 BLE Sense: the
 * activations grow with the square of the resolution, and 160 x 160 is
 * the largest whose arena fits its 256 KB (192 needs 284 KB).  Only the
 * three that fit are simulated; 224 is ruled out from its size without
 * being built. */
Test(fit, a_small_range_has_the_known_answer_and_resumes)
{
    char *out, *err;
    int rc = mcusim(&out, &err, "fit 'mobilenet:res=96..224' --kernels opt --db fit.db -j 2 --json");
    cr_assert_eq(rc, 0, "%s", err);
    cJSON *a = parse(out);
    cr_expect(cJSON_IsTrue(item(a, "any_fits")));
    const cJSON *board = cJSON_GetArrayItem(item(a, "boards"), 0);
    cr_expect_str_eq(item(board, "board")->valuestring, "nano33ble");
    cr_expect_str_eq(item(item(board, "best"), "opt")->valuestring, "res=160");
    cr_expect_eq(cJSON_GetArraySize(item(board, "variants")), 5);
    cr_expect_str_eq(verdict_of_row(a, "res=96"), "fits");
    cr_expect_str_eq(verdict_of_row(a, "res=128"), "fits");
    cr_expect_str_eq(verdict_of_row(a, "res=160"), "fits");
    cr_expect_str_eq(verdict_of_row(a, "res=192"), "over");
    cr_expect_str_eq(verdict_of_row(a, "res=224"), "over");
    const cJSON *r160 = variant_row(a, 0, "res=160", "opt"), *r192 = variant_row(a, 0, "res=192", "opt");
    const cJSON *r224 = variant_row(a, 0, "res=224", "opt"), *r96 = variant_row(a, 0, "res=96", "opt");
    cr_expect_str_eq(item(r160, "status")->valuestring, "ok");
    cr_expect_gt(item(r160, "cycles")->valuedouble, item(r96, "cycles")->valuedouble);
    cr_expect_gt(item(r160, "energy_uj_est")->valuedouble, 0);
    cr_expect_str_eq(item(r192, "status")->valuestring, "not run");
    cr_expect_str_eq(item(r192, "binding")->valuestring, "RAM");
    cr_expect_gt(item(r192, "ram_bytes")->valuedouble, 256 * 1024);
    cr_expect(cJSON_IsFalse(item(r192, "ram_is_lower_bound")), "built and planned");
    cr_expect(cJSON_IsTrue(item(r224, "ram_is_lower_bound")), "sized only");
    cr_expect_str_eq(item(r224, "file")->valuestring, "");
    const cJSON *r128 = variant_row(a, 0, "res=128", "opt");
    cr_expect_gt(item(r160, "macs")->valuedouble, item(r128, "macs")->valuedouble);
    cr_expect_gt(item(r224, "macs")->valuedouble, item(r160, "macs")->valuedouble, "sized: MACs all the same");
    cr_expect(strstr(err, "3 runs to do"), "%s", err);
    cJSON_Delete(a);
    free(out);
    free(err);

    /* The three runs are in the database, tagged by variant. */
    rc = mcusim(&out, &err, "runs --db fit.db");
    cr_expect_eq(rc, 0, "%s", err);
    cr_expect(strstr(out, "fit/mobilenet:alpha=0.25,res=160,ch=3,classes=2/nano33ble/opt"), "%s", out);
    free(out);
    free(err);

    /* Again: nothing runs, the same answer as text. */
    rc = mcusim(&out, &err, "fit 'mobilenet:res=96..224' --kernels opt --db fit.db");
    cr_expect_eq(rc, 0, "%s", err);
    cr_expect(strstr(err, "fit: 0 runs to do with ") && strstr(err, ", 3 already in fit.db"), "%s", err);
    cr_expect(strstr(out, "  *  res=160  opt"), "%s", out);
    cr_expect(strstr(out, "opt: res=160 (20.8 M MACs, "), "%s", out);
    free(out);
    free(err);

    /* The application keeps 64 KB of RAM: 128 is the answer, from the
     * runs already stored. */
    rc = mcusim(&out, &err, "fit 'mobilenet:res=96..224' --kernels opt --db fit.db --ram-headroom-kb 64 --json");
    cr_expect_eq(rc, 0, "%s", err);
    a = parse(out);
    cr_expect_str_eq(item(item(cJSON_GetArrayItem(item(a, "boards"), 0), "best"), "opt")->valuestring, "res=128");
    cr_expect_str_eq(verdict_of_row(a, "res=160"), "over");
    cJSON_Delete(a);
    free(out);
    free(err);

    /* A latency budget between 128's and 160's measured latencies. */
    rc = mcusim(&out, &err, "fit 'mobilenet:res=96..224' --kernels opt --db fit.db --max-latency-ms 700 --json");
    cr_expect_eq(rc, 0, "%s", err);
    a = parse(out);
    cr_expect_str_eq(item(item(cJSON_GetArrayItem(item(a, "boards"), 0), "best"), "opt")->valuestring, "res=128");
    cr_expect_str_eq(item(variant_row(a, 0, "res=160", "opt"), "binding")->valuestring, "latency");
    cJSON_Delete(a);
    free(out);
    free(err);

    /* Nothing within a budget that small: exit 1, and the table says so. */
    rc = mcusim(&out, &err, "fit 'mobilenet:res=96..224' --kernels opt --db fit.db --max-latency-ms 10");
    cr_expect_eq(rc, 1, "%s", err);
    cr_expect(strstr(out, "opt: none within every budget"), "%s", out);
    free(out);
    free(err);

    /* The page: latency against RAM and flash with the limits, in Chromium. */
    rc = mcusim(&out, &err, "fit 'mobilenet:res=96..224' --kernels opt --db fit.db --max-latency-ms 700 "
                            "--ram-headroom-kb 32 -o fit.html");
    cr_expect_eq(rc, 0, "%s", err);
    free(out);
    free(err);
    if (!chromium())
        cr_skip_test("Chromium is not installed (Debian package chromium)");
    char *log;
    rc = browse_in(dir, "fit.html", "--screenshot=fit.png", &out, &log);
    cr_assert_eq(rc, 0, "chromium exit %d:\n%s", rc, log);
    cr_expect_eq(console_lines(log), 0, "console messages:\n%s", log);
    free(out);
    free(log);
    struct image img;
    char png[512];
    snprintf(png, sizeof png, "%s/fit.png", dir);
    cr_assert_eq(load_png(png, &img), 0, "not a PNG");
    cr_expect_gt(inked(&img), 20000, "the page is not blank: %d pixels inked", inked(&img));
    cr_expect_gt(pixels_of(&img, 0x4e79a7), 150, "the measured variants' dots (opt is the first series)");
    cr_expect_gt(pixels_of(&img, 0xe15759), 300, "the board's RAM and flash lines");
    cr_expect_gt(pixels_of(&img, 0xb07aa1), 300, "the budget lines: RAM less the headroom, latency");
    cr_expect_gt(pixels_of(&img, 0x9d9d9d), 20, "the variants not measured, above the plot");
    free(img.rgb);
    rc = browse_in(dir, "fit.html", "--dump-dom", &out, &log);
    cr_assert_eq(rc, 0, "%s", log);
    cr_expect(strstr(out, "<svg id=\"chart-ram-0\"") && strstr(out, "<svg id=\"chart-flash-0\""), "%s", out);
    free(out);
    free(log);
}

/* Whether the file holds the text (a progress line written so far). */
static bool file_has(const char *path, const char *text)
{
    char buf[8192];
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strstr(buf, text) != NULL;
}

/* Stopped after its first run (one worker, three runs of some seconds
 * each): 128 + SIGTERM, and the same command runs only what is left. */
Test(fit, an_interrupted_search_resumes)
{
    char errpath[512];
    snprintf(errpath, sizeof errpath, "%s/fit-err.txt", dir);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        char exe[1024];
        snprintf(exe, sizeof exe, "%s/mcusim", build_root());
        if (chdir(dir) || !freopen("/dev/null", "w", stdout) || !freopen(errpath, "w", stderr))
            _exit(126);
        execl(exe, exe, "fit", "mobilenet:res=96/128/160", "--kernels", "opt", "--db", "fit.db", "-j", "1",
              (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 6000 && !file_has(errpath, "fit: 1/3 ok "); i++)
        usleep(20000);
    cr_assert(file_has(errpath, "fit: 1/3 ok "), "no run finished in 120 s");
    kill(pid, SIGTERM);
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGTERM, "status %#x", status);
    cr_expect(file_has(errpath, "interrupted by signal 15: the same command resumes"));
    cr_expect(!file_has(errpath, "fit: 3/3 "), "stopped half way, not at the end");

    char *out, *err;
    int rc = mcusim(&out, &err, "fit 'mobilenet:res=96/128/160' --kernels opt --db fit.db -j 2 --json");
    cr_expect_eq(rc, 0, "%s", err);
    cr_expect(strstr(err, " already in fit.db") && !strstr(err, ", 0 already in"), "%s", err);
    cr_expect_null(strstr(err, "3 runs to do"), "%s", err);
    cJSON *a = parse(out);
    cr_expect_str_eq(item(item(cJSON_GetArrayItem(item(a, "boards"), 0), "best"), "opt")->valuestring, "res=160");
    cJSON_Delete(a);
    free(out);
    free(err);
}

Test(fit, files_are_variants_too_and_static_runs_nothing)
{
    char *out, *err;
    int rc = mcusim(&out, &err, "fit '%s/workloads/cnn.tflite' '%s/workloads/cnn_half.tflite' --board pico,nano33ble "
                                "--kernels ref,opt --static --db static.db --json",
                    build_root(), build_root());
    cr_expect_eq(rc, 0, "%s", err);
    cJSON *a = parse(out);
    cr_expect_eq(cJSON_GetArraySize(item(a, "boards")), 2);
    for (int b = 0; b < 2; b++) {
        const cJSON *board = cJSON_GetArrayItem(item(a, "boards"), b);
        cr_expect_str_eq(item(item(board, "best"), "ref")->valuestring, "cnn.tflite", "more MACs than cnn_half");
        cr_expect_str_eq(item(item(board, "best"), "opt")->valuestring, "cnn.tflite");
        const cJSON *r = variant_row(a, b, "cnn_half.tflite", "opt");
        cr_expect_str_eq(item(r, "status")->valuestring, "not run");
        cr_expect_str_eq(item(r, "verdict")->valuestring, "fits");
        cr_expect_gt(item(r, "macs")->valuedouble, 0);
        cr_expect_gt(item(r, "params")->valuedouble, 0);
    }
    cr_expect_str_eq(item(cJSON_GetArrayItem(item(a, "boards"), 0), "board")->valuestring, "pico");
    cJSON_Delete(a);
    cr_expect_eq(access("static.db", F_OK), -1, "nothing stored");
    free(out);
    free(err);
}

Test(fit, bad_arguments_are_one_line_and_exit_2)
{
    static const char *const cases[][2] = {
        {"fit 'mobilenet:alpha=1..0.25'", "the range runs backwards"},
        {"fit 'mobilenet:res=96..4096..1'", "names more than 256 variants"},
        {"fit mobilenet --board nano34", "nano34: unknown board"},
        {"fit mobilenet --board pico,pico", "board 'pico' is named twice"},
        {"fit mobilenet --kernels fast", "'fast' is not a kernel family"},
        {"fit mobilenet --max-ram-kb lots", "--max-ram-kb wants a number"},
        {"fit mobilenet --format pdf", "--format is"},
        {"fit missing.tflite --static", "missing.tflite: cannot open"},
        {"fit 'mobilenet:res=96/96'", "variant 'res=96' is named twice"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out, *err;
        int rc = mcusim(&out, &err, "%s", cases[i][0]);
        cr_expect_eq(rc, 2, "%s: exit %d: %s", cases[i][0], rc, err);
        cr_expect(strstr(err, cases[i][1]), "%s: '%s' should mention '%s'", cases[i][0], err, cases[i][1]);
        cr_expect_eq(strchr(err, '\n'), strrchr(err, '\n'), "%s: one line: %s", cases[i][0], err);
        free(out);
        free(err);
    }
}
