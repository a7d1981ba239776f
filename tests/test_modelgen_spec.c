/*
 * test_modelgen_spec.c — the spec grammar, its one-line errors, models that
 * cannot be built, and 'mcusim model build' on the command line (exit
 * codes, --help, --list, the summary line, the file it writes).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "modelgen.h"
#include "spec_set.h"

static void parse_ok(const char *text, const char *canonical)
{
    struct mg_spec s;
    char err[256] = "";
    cr_assert_eq(mg_spec_parse(text, &s, err, sizeof err), 0, "'%s': %s", text, err);
    cr_assert_str_eq(s.canonical, canonical, "'%s'", text);
}

/* The spec is refused with a message containing `needle`. */
static void parse_bad(const char *text, const char *needle)
{
    struct mg_spec s;
    char err[256] = "";
    cr_assert_neq(mg_spec_parse(text, &s, err, sizeof err), 0, "'%s' was accepted", text);
    cr_assert(strstr(err, needle), "'%s': message '%s' should mention '%s'", text, err, needle);
    cr_assert_null(strchr(err, '\n'), "one line");
}

Test(modelgen_spec, defaults_and_canonical_forms)
{
    parse_ok("cnn", "cnn:res=32,ch=3,width=1,classes=10");
    parse_ok("cnn:width=0.5", "cnn:res=32,ch=3,width=0.5,classes=10");
    parse_ok("cnn:classes=4,res=48x40", "cnn:res=48x40,ch=3,width=1,classes=4");
    parse_ok("cnn:width=.25", "cnn:res=32,ch=3,width=0.25,classes=10");
    parse_ok("cnn:width=1.2500,res=64x64", "cnn:res=64,ch=3,width=1.25,classes=10");
    parse_ok("dscnn", "dscnn:width=1,blocks=4,classes=12");
    parse_ok("autoencoder", "autoencoder:input=640,hidden=128,bottleneck=8,layers=4");
    parse_ok("mobilenet", "mobilenet:alpha=0.25,res=96,ch=3,classes=2");
    parse_ok("resnet:width=0.0625", "resnet:res=32,ch=3,width=0.0625,classes=10");
    parse_ok("mlp:layers=1", "mlp:input=64,hidden=32,layers=1,classes=10");
    /* dtype: any architecture; spelled out only when it is not int8. */
    parse_ok("cnn:dtype=int8", "cnn:res=32,ch=3,width=1,classes=10");
    parse_ok("cnn:dtype=float32,width=0.5", "cnn:res=32,ch=3,width=0.5,classes=10,dtype=float32");
    parse_ok("mobilenet:dtype=float32", "mobilenet:alpha=0.25,res=96,ch=3,classes=2,dtype=float32");
    struct mg_spec s;
    cr_assert_eq(mg_spec_parse("mlp:dtype=float32", &s, NULL, 0), 0);
    cr_assert_eq(s.dtype, MG_DTYPE_FLOAT32);
    cr_assert_eq(mg_spec_parse("mlp", &s, NULL, 0), 0);
    cr_assert_eq(s.dtype, MG_DTYPE_INT8);
}

Test(modelgen_spec, bad_specs_name_the_problem)
{
    parse_bad("", "empty");
    parse_bad("resnet50", "unknown architecture 'resnet50'");
    parse_bad("resnet50", "cnn, dscnn");
    parse_bad("cnn:", "nothing after ':'");
    parse_bad("cnn:width", "'width' is not key=value");
    parse_bad("cnn:depth=3", "unknown key 'depth'");
    parse_bad("cnn:depth=3", "res, ch, width, classes");
    parse_bad("cnn:width=0.5,width=1", "given twice");
    parse_bad("cnn:width=", "width=''");
    parse_bad("cnn:width=abc", "not a number");
    parse_bad("cnn:width=0.12345", "at most 4 decimals");
    parse_bad("cnn:width=-1", "width='-1'");
    parse_bad("cnn:width=1.", "width='1.'");
    parse_bad("cnn:classes=2.5", "not an integer");
    parse_bad("cnn:classes=1", "out of range [2, 1000]");
    parse_bad("cnn:res=4", "res=4 is out of range [8, 512]");
    parse_bad("cnn:res=32x", "not a size");
    parse_bad("cnn:res=32x4", "out of range");
    parse_bad("cnn:width=100", "out of range [0.0625, 8]");
    parse_bad("dscnn:blocks=0", "blocks=0 is out of range");
    parse_bad("cnn:classes=10,", "stray ','");
    parse_bad("cnn:dtype=int4", "dtype='int4' is not int8 or float32");
    parse_bad("cnn:dtype=float32,dtype=int8", "'dtype' given twice");
    parse_bad("cnn:depth=3", "classes, dtype");
    parse_bad("cnn:classes=99999999999999", "not an integer");
    char long_spec[400];
    memset(long_spec, 'a', sizeof long_spec - 1);
    long_spec[sizeof long_spec - 1] = 0;
    parse_bad(long_spec, "longer than");
}

Test(modelgen_spec, odd_strings_are_refused_cleanly)
{
    const char *odd[] = {
        ":",         "::",          ":cnn",          "cnn::",        "cnn:=",
        "cnn:=3",    "cnn:,",       "cnn:res=32:ch=3", "cnn:res==3", "cnn:res=0x0",
        "cnn:res=99999999999x1",    "cnn:res=32x32x3", "cnn:res=x32", "cnn:width=0.",
        "cnn:width=.", "cnn:width=1e3", "cnn:width=0x10", "cnn:classes=+3", "cnn:classes= 3",
        "CNN",       "cnn ",        " cnn",          "cnn:res=32,",  "dscnn:width=1,,blocks=2",
    };
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        struct mg_spec sp;
        char err[256] = "";
        cr_assert_neq(mg_spec_parse(odd[i], &sp, err, sizeof err), 0, "'%s' accepted", odd[i]);
        cr_assert_gt(strlen(err), 10, "'%s' gives a message", odd[i]);
        uint8_t *out = NULL;
        size_t len;
        cr_assert_eq(modelgen_build(odd[i], 1, &out, &len, NULL, err, sizeof err), MG_ERR_SPEC);
        cr_assert_null(out);
    }
}

/* Specs that parse but ask for a model modelgen will not make. */
Test(modelgen_spec, impossible_models_are_errors_not_crashes)
{
    const struct {
        const char *spec, *needle;
    } cases[] = {
        {"cnn:res=512,width=8", "memory"}, /* 512x512x128 activations */
        {"autoencoder:input=65536,hidden=4096", "memory"}, /* 600 M parameters */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t *out = NULL;
        size_t len = 0;
        char err[256] = "";
        int rc = modelgen_build(cases[i].spec, 1, &out, &len, NULL, err, sizeof err);
        cr_assert_eq(rc, MG_ERR_SPEC, "%s gave %d (%s)", cases[i].spec, rc, err);
        cr_assert_null(out);
        cr_assert(strstr(err, cases[i].needle), "%s: '%s'", cases[i].spec, err);
    }
}

/* Runs the mcusim program; returns its exit status, output in *out. */
static int run_cli(const char *args, char *out, size_t outlen)
{
    const char *exe = getenv("MCUSIM_EXE");
    cr_assert_not_null(exe, "run through meson test (MCUSIM_EXE)");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", exe, args);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t n = fread(out, 1, outlen - 1, p);
    out[n] = 0;
    int status = pclose(p);
    cr_assert(WIFEXITED(status), "'%s' did not exit normally", cmd);
    return WEXITSTATUS(status);
}

static char tmpdir[256];

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/mgtest-spec-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(model_build_cli, .init = make_tmpdir, .fini = remove_tmpdir);

Test(model_build_cli, builds_a_file_and_prints_one_summary_line)
{
    char out[4096], args[512], path[300];
    snprintf(path, sizeof path, "%s/m.tflite", tmpdir);
    snprintf(args, sizeof args, "model build cnn:width=0.5 -o '%s' --seed 3", path);
    cr_assert_eq(run_cli(args, out, sizeof out), 0, "%s", out);
    cr_assert_eq(strchr(out, '\n') - out + 1, (long)strlen(out), "one line: %s", out);
    cr_assert(strstr(out, "cnn:res=32,ch=3,width=0.5,classes=10 seed=3"), "%s", out);
    cr_assert(strstr(out, " layers"), "%s", out);
    cr_assert(strstr(out, " params"), "%s", out);
    cr_assert(strstr(out, " MACs"), "%s", out);

    /* The file is the library's bytes for the same spec and seed. */
    uint8_t *mem;
    size_t len;
    struct mg_summary sum;
    char err[256];
    cr_assert_eq(modelgen_build("cnn:width=0.5", 3, &mem, &len, &sum, err, sizeof err), 0);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq((size_t)st.st_size, len);
    FILE *f = fopen(path, "rb");
    uint8_t *disk = malloc(len);
    cr_assert_eq(fread(disk, 1, len, f), len);
    fclose(f);
    cr_assert_eq(memcmp(disk, mem, len), 0);
    char expect[128];
    snprintf(expect, sizeof expect, "%llu MACs", (unsigned long long)sum.macs);
    cr_assert(strstr(out, expect), "summary reports %s: %s", expect, out);
    snprintf(expect, sizeof expect, "%zu bytes", len);
    cr_assert(strstr(out, expect), "summary reports %s: %s", expect, out);
    free(disk);
    free(mem);
}

Test(model_build_cli, bad_input_exits_2_with_one_line)
{
    const char *bad[] = {
        "model build nosuch -o /dev/null",
        "model build cnn:width=9 -o /dev/null",
        "model build cnn",
        "model build -o /dev/null",
        "model build cnn -o /dev/null --seed -4",
        "model build cnn -o /dev/null --seed x",
        "model build cnn -o",
        "model build cnn dscnn -o /dev/null",
        "model build cnn --frobnicate -o /dev/null",
        "model build cnn --size -o /dev/null",
        "model build cnn:dtype=float16 --size",
        "model build cnn:res=512,width=8 -o /dev/null", /* too large: memory */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[4096];
        cr_assert_eq(run_cli(bad[i], out, sizeof out), 2, "'%s': %s", bad[i], out);
        cr_assert(strncmp(out, "mcusim model build: ", 20) == 0, "'%s': %s", bad[i], out);
        cr_assert_eq(strchr(out, '\n') - out + 1, (long)strlen(out), "'%s' one line: %s", bad[i],
                     out);
    }
}

Test(model_build_cli, unwritable_output_is_an_internal_error)
{
    char out[4096];
    cr_assert_eq(run_cli("model build mlp -o /nonexistent-dir/x.tflite", out, sizeof out), 5,
                 "%s", out);
    cr_assert(strstr(out, "/nonexistent-dir/x.tflite"), "%s", out);
}

Test(model_build_cli, help_lists_every_architecture_and_key_with_defaults)
{
    char out[16384];
    cr_assert_eq(run_cli("model build --help", out, sizeof out), 0);
    int n;
    const struct mg_arch *const *archs = mg_archs(&n);
    for (int i = 0; i < n; i++) {
        cr_assert(strstr(out, archs[i]->name), "--help names %s", archs[i]->name);
        for (int k = 0; k < archs[i]->num_keys; k++) {
            char def[48], assign[64];
            mg_format_value(&archs[i]->keys[k], archs[i]->keys[k].def, archs[i]->keys[k].def,
                            def, sizeof def);
            snprintf(assign, sizeof assign, "%s=%s", archs[i]->keys[k].name, def);
            cr_assert(strstr(out, assign), "--help shows %s for %s", assign, archs[i]->name);
        }
    }
    cr_assert(strstr(out, "--seed"));
    cr_assert(strstr(out, "--size"));
    cr_assert(strstr(out, "dtype=float32"), "--help tells of float32 models");
    cr_assert(strstr(out, "GiB of memory"), "--help tells the limit");
}

/* --size: one line with what modelgen_size says, no file, even for a
 * model too large to build. */
Test(model_build_cli, size_prints_the_sizing_without_building)
{
    const char *specs[] = {"mobilenet:alpha=1,res=224,classes=1000,dtype=float32",
                           "cnn:res=512,width=8"};
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        char out[4096], args[300], expect[300];
        snprintf(args, sizeof args, "model build %s --size", specs[i]);
        cr_assert_eq(run_cli(args, out, sizeof out), 0, "%s", out);
        cr_assert_eq(strchr(out, '\n') - out + 1, (long)strlen(out), "one line: %s", out);
        struct mg_sizing sz;
        char err[256];
        cr_assert_eq(modelgen_size(specs[i], 1, &sz, err, sizeof err), 0, "%s", err);
        snprintf(expect, sizeof expect, "%s seed=1: ", sz.spec);
        cr_assert(strstr(out, expect), "%s", out);
        snprintf(expect, sizeof expect, "%llu MACs", (unsigned long long)sz.macs);
        cr_assert(strstr(out, expect), "%s", out);
        snprintf(expect, sizeof expect, "%llu params", (unsigned long long)sz.params);
        cr_assert(strstr(out, expect), "%s", out);
        snprintf(expect, sizeof expect, "%llu bytes (", (unsigned long long)sz.file_bytes);
        cr_assert(strstr(out, expect), "%s", out);
        cr_assert_eq(strstr(out, "more than modelgen's limit") != NULL,
                     sz.build_bytes > MG_MAX_BUILD_BYTES, "%s", out);
        mg_sizing_free(&sz);
    }
}

Test(model_build_cli, list_shows_default_specs)
{
    char out[8192];
    cr_assert_eq(run_cli("model build --list", out, sizeof out), 0);
    cr_assert(strstr(out, "cnn:res=32,ch=3,width=1,classes=10"), "%s", out);
    cr_assert(strstr(out, "dscnn:width=1,blocks=4,classes=12"), "%s", out);
    cr_assert(strstr(out, "autoencoder:input=640,hidden=128,bottleneck=8,layers=4"), "%s", out);
}

/* ---- spec sets: ranges and lists of values (spec_set.h) ---- */

static void expand_ok(const char *text, int n, const char *first_label, const char *last_spec)
{
    struct mg_spec_set set;
    char err[256] = "";
    cr_assert_eq(mg_spec_set_expand(text, 256, &set, err, sizeof err), 0, "'%s': %s", text, err);
    cr_assert_eq(set.n, n, "'%s': %d variants", text, set.n);
    cr_expect_str_eq(set.variants[0].label, first_label, "'%s'", text);
    cr_expect_str_eq(set.variants[n - 1].spec, last_spec, "'%s'", text);
    mg_spec_set_free(&set);
}

static void expand_bad(const char *text, const char *needle)
{
    struct mg_spec_set set;
    char err[256] = "";
    cr_assert_neq(mg_spec_set_expand(text, 256, &set, err, sizeof err), 0, "'%s' was accepted", text);
    cr_assert(strstr(err, needle), "'%s': message '%s' should mention '%s'", text, err, needle);
    cr_assert_null(strchr(err, '\n'), "one line");
}

Test(modelgen_spec_set, ranges_take_the_keys_default_steps)
{
    /* MobileNet's width multipliers and resolutions: 4 x 5. */
    struct mg_spec_set set;
    char err[256] = "";
    cr_assert_eq(mg_spec_set_expand("mobilenet:alpha=0.25..1.0,res=96..224", 256, &set, err, sizeof err), 0, "%s",
                 err);
    cr_assert_eq(set.n, 20);
    static const char *const want[] = {"alpha=0.25,res=96", "alpha=0.25,res=128", "alpha=0.25,res=160",
                                       "alpha=0.25,res=192", "alpha=0.25,res=224", "alpha=0.5,res=96"};
    for (int i = 0; i < 6; i++)
        cr_expect_str_eq(set.variants[i].label, want[i]);
    cr_expect_str_eq(set.variants[19].label, "alpha=1,res=224");
    cr_expect_str_eq(set.variants[19].spec, "mobilenet:alpha=1,res=224,ch=3,classes=2");
    mg_spec_set_free(&set);

    expand_ok("dscnn:blocks=1..4", 4, "blocks=1", "dscnn:width=1,blocks=4,classes=12");
    /* An explicit step; the upper end is always included. */
    expand_ok("cnn:width=0.5..1..0.3", 3, "width=0.5", "cnn:res=32,ch=3,width=1,classes=10");
    expand_ok("mobilenet:res=96..200", 5, "res=96", "mobilenet:alpha=0.25,res=200,ch=3,classes=2");
    /* One value: one variant, named by its architecture. */
    expand_ok("mobilenet:alpha=0.5", 1, "mobilenet", "mobilenet:alpha=0.5,res=96,ch=3,classes=2");
    expand_ok("mobilenet:res=96..96", 1, "mobilenet", "mobilenet:alpha=0.25,res=96,ch=3,classes=2");
    cr_expect(mg_spec_is_set("mobilenet:res=96..224"));
    cr_expect(mg_spec_is_set("mobilenet:res=96/128"));
    cr_expect_not(mg_spec_is_set("mobilenet:res=96"));
}

Test(modelgen_spec_set, lists_keep_their_order_and_any_kind_of_value)
{
    expand_ok("mobilenet:res=160x128/96,alpha=0.5/0.25", 4, "res=160x128,alpha=0.5",
              "mobilenet:alpha=0.25,res=96,ch=3,classes=2");
    expand_ok("cnn:dtype=int8/float32", 2, "dtype=int8", "cnn:res=32,ch=3,width=1,classes=10,dtype=float32");
}

Test(modelgen_spec_set, bad_sets_are_named_in_one_line)
{
    expand_bad("mobilenet:alpha=1..0.25", "the range runs backwards");
    expand_bad("mobilenet:alpha=0.25..1..0", "the step of a range must be more than 0");
    expand_bad("mobilenet:alpha=0.25..one", "is not a range of fraction values");
    expand_bad("mobilenet:res=96x96..224", "a range of sizes is of square sizes");
    expand_bad("mobilenet:alpha=0.01..1", "alpha=0.01 is out of range");
    expand_bad("mobilenet:res=96..4096..1", "names more than 256 variants");
    expand_bad("mobilenet:alpha=0.5//1", "an empty value in a list");
    expand_bad("mobilenet:depth=1..2", "unknown key 'depth'");
    expand_bad("mobilenet:dtype=int8..float32", "dtype takes a list");
    expand_bad("mobilenet:alpha=0.5,,res=96", "empty key=value pair");
    expand_bad("mobilenet:", "nothing after ':'");
    expand_bad("mobilenetv2:alpha=0.5..1", "unknown architecture 'mobilenetv2'");
    expand_bad("mobilenet:alpha=0.5/1,alpha=0.25", "key 'alpha' given twice");
}
