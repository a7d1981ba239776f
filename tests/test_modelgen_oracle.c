/*
 * test_modelgen_oracle.c — synthesized models run in an independent int8
 * implementation, Arm NN's CPU reference backend (oracle/
 * armnn_check_model.py), and its outputs are compared with modelgen's own
 * float network on the same inputs.
 *
 * This is what "realistic quantization" means in practice: the file loads in
 * a third-party runtime, its int8 outputs are neither saturated nor constant,
 * and they agree with the float network they were quantized from — top-1 for
 * classifiers, a small dequantized error for the autoencoder (criteria in
 * mgtest_compare.h).  The inputs are
 * held out from calibration (inputs.h), and the float network sees exactly
 * the int8 input the quantized model sees (dequantized), so the comparison
 * measures the model's quantization alone.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "forward.h"
#include "inputs.h"
#include "mgtest_compare.h"
#include "modelgen.h"
#include "tflite_writer.h"

#define NUM_INPUTS 24

static char tmpdir[256];

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/mgtest-oracle-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(modelgen_oracle, .init = make_tmpdir, .fini = remove_tmpdir, .timeout = 600);

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "%s", path);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

static double json_number(const char *json, const char *key)
{
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\": ", key);
    const char *p = strstr(json, pattern);
    cr_assert_not_null(p, "oracle output lacks %s: %s", key, json);
    return strtod(p + strlen(pattern), NULL);
}

struct run {
    struct mg_graph g;
    struct mg_qmodel m;
    int n_in, n_out;
    float in_scale, out_scale;
    int in_zp, out_zp;
    float *reference; /* NUM_INPUTS x n_out: the float network */
    int8_t *quantized; /* NUM_INPUTS x n_out: Arm NN */
};

/* Runs the model at `model` in Arm NN on the inputs at in_path, outputs
 * to out_path; the oracle's line of JSON in json. */
static void run_oracle(const char *spec, const char *model, const char *in_path,
                       const char *out_path, char *json, size_t json_len)
{
    const char *src = getenv("MCUSIM_SOURCE_ROOT");
    cr_assert_not_null(src, "run through meson test (MCUSIM_SOURCE_ROOT)");
    char cmd[2048], path[512];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 '%s/tests/oracle/armnn_check_model.py' '%s' '%s' '%s' "
             "2>'%s/oracle.err'",
             src, model, in_path, out_path, tmpdir);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t n = fread(json, 1, json_len - 1, p);
    json[n] = 0;
    int status = pclose(p);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char errtext[2048] = "";
        snprintf(path, sizeof path, "%s/oracle.err", tmpdir);
        FILE *e = fopen(path, "r");
        if (e) {
            errtext[fread(errtext, 1, sizeof errtext - 1, e)] = 0;
            fclose(e);
        }
        cr_assert_fail("%s: Arm NN oracle failed (status %d): %s", spec, WEXITSTATUS(status),
                       errtext);
    }
}

/* Builds the spec, runs both networks on the held-out inputs. */
static void run_both(const char *spec, struct run *r)
{
    char err[256] = "", path[512], in_path[512], out_path[512], json[1024];
    cr_assert_eq(modelgen_graph(spec, MG_DEFAULT_SEED, &r->g, err, sizeof err), 0, "%s", err);
    cr_assert_eq(modelgen_quantize(&r->g, &r->m, err, sizeof err), 0, "%s", err);
    uint8_t *file;
    size_t len;
    cr_assert_eq(mg_write_tflite(&r->m, &file, &len, err, sizeof err), 0, "%s", err);
    snprintf(path, sizeof path, "%s/model.tflite", tmpdir);
    write_file(path, file, len);
    free(file);

    const struct mg_qtensor *qin = &r->m.tensors[r->m.input], *qout = &r->m.tensors[r->m.output];
    r->in_scale = qin->scales[0], r->in_zp = (int)qin->zero_points[0];
    r->out_scale = qout->scales[0], r->out_zp = (int)qout->zero_points[0];
    r->n_in = (int)mg_shape_elems(&r->g.tensors[r->g.input].shape);
    r->n_out = (int)mg_shape_elems(&r->g.tensors[r->g.output].shape);

    int8_t *qinputs = malloc((size_t)NUM_INPUTS * r->n_in);
    float *x = malloc((size_t)r->n_in * sizeof *x);
    r->reference = malloc((size_t)NUM_INPUTS * r->n_out * sizeof *r->reference);
    r->quantized = malloc((size_t)NUM_INPUTS * r->n_out);
    for (int k = 0; k < NUM_INPUTS; k++) {
        cr_assert_eq(mg_make_input(&r->g, MG_HELDOUT_INPUT_BASE + k, x), 0);
        for (int i = 0; i < r->n_in; i++) {
            double q = round(x[i] / r->in_scale) + r->in_zp;
            q = q < -128 ? -128 : q > 127 ? 127 : q;
            qinputs[(size_t)k * r->n_in + i] = (int8_t)q;
            x[i] = r->in_scale * (float)(q - r->in_zp);
        }
        cr_assert_eq(mg_forward(&r->g, x, r->reference + (size_t)k * r->n_out), 0);
    }
    snprintf(in_path, sizeof in_path, "%s/inputs.bin", tmpdir);
    snprintf(out_path, sizeof out_path, "%s/outputs.bin", tmpdir);
    write_file(in_path, qinputs, (size_t)NUM_INPUTS * r->n_in);
    free(qinputs);
    free(x);

    run_oracle(spec, path, in_path, out_path, json, sizeof json);
    /* Arm NN read the quantization modelgen wrote. */
    cr_assert_eq((int)json_number(json, "inputs"), NUM_INPUTS);
    cr_assert_eq((float)json_number(json, "input_scale"), r->in_scale, "%s: %s", spec, json);
    cr_assert_eq((int)json_number(json, "input_zero_point"), r->in_zp, "%s", spec);
    cr_assert_eq((float)json_number(json, "output_scale"), r->out_scale, "%s", spec);
    cr_assert_eq((int)json_number(json, "output_zero_point"), r->out_zp, "%s", spec);

    FILE *f = fopen(out_path, "rb");
    cr_assert_not_null(f);
    cr_assert_eq(fread(r->quantized, 1, (size_t)NUM_INPUTS * r->n_out, f),
                 (size_t)NUM_INPUTS * r->n_out, "%s: short output", spec);
    fclose(f);
}

static void free_run(struct run *r)
{
    mg_qmodel_free(&r->m);
    mg_graph_free(&r->g);
    free(r->reference);
    free(r->quantized);
}

static void check_classifier(const char *spec)
{
    struct run r;
    run_both(spec, &r);
    mgtest_check_classifier("oracle", spec, r.reference, r.quantized, NUM_INPUTS, r.n_out,
                            r.out_scale, r.out_zp);
    free_run(&r);
}

static void check_regressor(const char *spec)
{
    struct run r;
    run_both(spec, &r);
    mgtest_check_regressor("oracle", spec, r.reference, r.quantized, NUM_INPUTS, r.n_out,
                           r.out_scale, r.out_zp);
    free_run(&r);
}

Test(modelgen_oracle, cnn)
{
    check_classifier("cnn");
    check_classifier("cnn:width=0.5");
    check_classifier("cnn:res=48x40,ch=1,width=0.25,classes=4");
}

Test(modelgen_oracle, dscnn)
{
    check_classifier("dscnn");
    check_classifier("dscnn:width=0.5,blocks=2,classes=5");
}

Test(modelgen_oracle, autoencoder)
{
    check_regressor("autoencoder");
    check_regressor("autoencoder:input=128,hidden=32,bottleneck=4,layers=2");
}

Test(modelgen_oracle, mobilenet)
{
    check_classifier("mobilenet");
    check_classifier("mobilenet:alpha=0.5,res=64,classes=3");
}

Test(modelgen_oracle, resnet)
{
    check_classifier("resnet");
    check_classifier("resnet:res=24,width=0.5,classes=5");
}

Test(modelgen_oracle, mlp)
{
    check_classifier("mlp");
    check_classifier("mlp:input=20,hidden=16,layers=3,classes=3");
}

/* ---- float32 models ---- */

/* The float32 model of spec in Arm NN's float kernels against modelgen's
 * own float network, on the same held-out float inputs.  Arm NN sums in
 * float where modelgen sums in double, so the two differ by rounding that
 * grows with depth; the bound is relative to the output's spread. */
static void check_float(const char *spec)
{
    char fspec[200], err[256] = "", path[512], in_path[512], out_path[512], json[1024];
    snprintf(fspec, sizeof fspec, "%s%sdtype=float32", spec, strchr(spec, ':') ? "," : ":");
    struct mg_graph g;
    struct mg_qmodel m;
    cr_assert_eq(modelgen_graph(fspec, MG_DEFAULT_SEED, &g, err, sizeof err), 0, "%s", err);
    cr_assert_eq(modelgen_model(&g, MG_DTYPE_FLOAT32, &m, err, sizeof err), 0, "%s", err);
    uint8_t *file;
    size_t len;
    cr_assert_eq(mg_write_tflite(&m, &file, &len, err, sizeof err), 0, "%s", err);
    snprintf(path, sizeof path, "%s/model.tflite", tmpdir);
    write_file(path, file, len);
    free(file);

    int n_in = (int)mg_shape_elems(&g.tensors[g.input].shape);
    int n_out = (int)mg_shape_elems(&g.tensors[g.output].shape);
    float *inputs = malloc((size_t)NUM_INPUTS * n_in * sizeof *inputs);
    float *reference = malloc((size_t)NUM_INPUTS * n_out * sizeof *reference);
    float *armnn = malloc((size_t)NUM_INPUTS * n_out * sizeof *armnn);
    for (int k = 0; k < NUM_INPUTS; k++) {
        float *x = inputs + (size_t)k * n_in;
        cr_assert_eq(mg_make_input(&g, MG_HELDOUT_INPUT_BASE + k, x), 0);
        cr_assert_eq(mg_forward(&g, x, reference + (size_t)k * n_out), 0);
    }
    snprintf(in_path, sizeof in_path, "%s/inputs.bin", tmpdir);
    snprintf(out_path, sizeof out_path, "%s/outputs.bin", tmpdir);
    write_file(in_path, inputs, (size_t)NUM_INPUTS * n_in * sizeof *inputs);
    run_oracle(fspec, path, in_path, out_path, json, sizeof json);
    cr_assert(strstr(json, "\"dtype\": \"float32\""), "%s: Arm NN sees %s", fspec, json);
    cr_assert_eq((int)json_number(json, "inputs"), NUM_INPUTS);
    FILE *f = fopen(out_path, "rb");
    cr_assert_not_null(f);
    cr_assert_eq(fread(armnn, sizeof *armnn, (size_t)NUM_INPUTS * n_out, f),
                 (size_t)NUM_INPUTS * n_out, "%s: short output", fspec);
    fclose(f);

    double mean = 0, var = 0, worst = 0;
    size_t n = (size_t)NUM_INPUTS * n_out;
    for (size_t i = 0; i < n; i++)
        mean += reference[i];
    mean /= n;
    for (size_t i = 0; i < n; i++) {
        var += (reference[i] - mean) * (reference[i] - mean);
        double d = fabs((double)armnn[i] - reference[i]);
        worst = d > worst ? d : worst;
    }
    double spread = sqrt(var / n);
    fprintf(stderr, "oracle float32 %s: worst difference %.3g, output spread %.3g (%.2g)\n",
            fspec, worst, spread, worst / spread);
    cr_assert_gt(spread, 0, "%s: outputs vary", fspec);
    cr_assert_leq(worst, MGTEST_MAX_FLOAT_ERROR * spread,
                  "%s: Arm NN differs from the float network by %.3g, %.2g of the outputs' "
                  "spread %.3g", fspec, worst, worst / spread, spread);
    free(inputs);
    free(reference);
    free(armnn);
    mg_qmodel_free(&m);
    mg_graph_free(&g);
}

Test(modelgen_oracle, float32_models)
{
    check_float("cnn");
    check_float("dscnn");
    check_float("autoencoder");
    check_float("mobilenet");
    check_float("mobilenet:alpha=0.5,res=128,classes=10");
    check_float("resnet");
    check_float("mlp");
}
