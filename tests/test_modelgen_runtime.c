/*
 * test_modelgen_runtime.c — mcusim's own runtime (runtime/) reads every
 * synthesized model, sees in it what modelgen wrote, and runs it to outputs
 * as close to the float network as Arm NN's are (criteria in
 * mgtest_compare.h).
 *
 * The same specs as test_modelgen_models.c; the model bytes are copied to a
 * 16-byte aligned buffer, as the firmware's model slot is.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forward.h"
#include "inputs.h"
#include "mgtest_compare.h"
#include "mgtest_tflite_view.h"
#include "modelgen.h"
#include "rt_interp.h"
#include "rt_kernel.h"
#include "rt_model.h"

#define NUM_INPUTS 24
#define ARENA_BYTES (4u << 20)

static const char *const specs[] = {
    "cnn",
    "cnn:width=0.5",
    "cnn:res=48x40,ch=1,width=0.25,classes=4",
    "dscnn",
    "dscnn:width=0.5,blocks=2,classes=5",
    "autoencoder",
    "autoencoder:input=128,hidden=32,bottleneck=4,layers=2",
    "mobilenet",
    "mobilenet:alpha=0.5,res=64,classes=3",
    "resnet",
    "resnet:res=24,width=0.5,classes=5",
    "mlp",
    "mlp:input=20,hidden=16,layers=3,classes=3",
};
#define NUM_SPECS (sizeof specs / sizeof specs[0])

static uint8_t *build_aligned(const char *spec, size_t *len)
{
    uint8_t *bytes;
    char err[256] = "";
    cr_assert_eq(modelgen_build(spec, MG_DEFAULT_SEED, &bytes, len, NULL, err, sizeof err), MG_OK,
                 "%s: %s", spec, err);
    uint8_t *aligned = aligned_alloc(16, (*len + 15) / 16 * 16);
    cr_assert_not_null(aligned);
    memcpy(aligned, bytes, *len);
    free(bytes);
    return aligned;
}

Test(modelgen_runtime, reader_accepts_every_model_and_sees_what_was_written)
{
    for (size_t s = 0; s < NUM_SPECS; s++) {
        size_t len;
        uint8_t *bytes = build_aligned(specs[s], &len);
        struct tv_model v;
        cr_assert_eq(tv_read(&v, bytes, len), 0, "%s: %s", specs[s], v.problem);
        struct rt_model m;
        struct rt_error err = {0};
        cr_assert_eq(rt_model_open(&m, bytes, len, rt_op_supported, &err), RT_OK,
                     "%s: runtime rejects it: %s", specs[s], err.msg);
        cr_assert_eq(rt_model_num_tensors(&m), (uint32_t)v.num_tensors, "%s", specs[s]);
        cr_assert_eq(rt_model_num_ops(&m), (uint32_t)v.num_ops, "%s", specs[s]);
        cr_assert_eq(rt_model_input(&m, 0), v.inputs[0]);
        cr_assert_eq(rt_model_output(&m, 0), v.outputs[0]);
        for (int i = 0; i < v.num_tensors; i++) {
            struct rt_tensor t;
            const struct tv_tensor *e = &v.tensors[i];
            cr_assert_eq(rt_model_tensor(&m, (uint32_t)i, &t, &err), RT_OK, "%s: %s", specs[s],
                         err.msg);
            cr_assert_eq(t.type, e->type, "%s: tensor %s type", specs[s], e->name);
            cr_assert_eq(t.ndims, e->rank, "%s: tensor %s rank", specs[s], e->name);
            for (int d = 0; d < e->rank; d++)
                cr_assert_eq(t.dims[d], e->dims[d], "%s: tensor %s dim %d", specs[s], e->name, d);
            cr_assert_eq(t.is_constant, e->buffer != 0, "%s: tensor %s constness", specs[s],
                         e->name);
            if (t.is_constant)
                cr_assert_eq(t.data, bytes + v.buffers[e->buffer].offset, "%s: %s data", specs[s],
                             e->name);
            cr_assert_eq(t.num_scales, (uint32_t)e->num_scales, "%s: %s scales", specs[s],
                         e->name);
            if (e->num_scales) {
                cr_assert_eq(t.scale, e->scales[0], "%s: %s scale", specs[s], e->name);
                cr_assert_eq(t.zero_point, e->zero_points[0], "%s: %s zero point", specs[s],
                             e->name);
                cr_assert_eq(t.quantized_dimension, e->quantized_dimension, "%s: %s qdim",
                             specs[s], e->name);
            }
            cr_assert_str_eq(t.name, e->name);
        }
        for (int i = 0; i < v.num_ops; i++) {
            struct rt_op_info op;
            cr_assert_eq(rt_model_op(&m, (uint32_t)i, &op, &err), RT_OK, "%s: %s", specs[s],
                         err.msg);
            cr_assert_eq(op.op, tv_op_code(&v, i), "%s: operator %d", specs[s], i);
            cr_assert_eq(op.options_type, v.ops[i].options_type, "%s: operator %d options",
                         specs[s], i);
            cr_assert_eq(op.inputs.count, (uint32_t)v.ops[i].num_inputs);
            for (int k = 0; k < v.ops[i].num_inputs; k++)
                cr_assert_eq(rt_op_input(&m, &op, (uint32_t)k), v.ops[i].inputs[k]);
            cr_assert_eq(rt_op_output(&m, &op, 0), v.ops[i].outputs[0]);
        }
        tv_free(&v);
        free(bytes);
    }
}

/* Runs spec on the runtime's reference kernels and compares with the float
 * network on held-out inputs. */
static void run_on_runtime(const char *spec)
{
    size_t len;
    uint8_t *bytes = build_aligned(spec, &len);
    struct mg_graph g;
    char msg[256];
    cr_assert_eq(modelgen_graph(spec, MG_DEFAULT_SEED, &g, msg, sizeof msg), MG_OK, "%s", msg);

    struct rt_model m;
    struct rt_interp it;
    struct rt_error err = {0};
    uint8_t *arena = aligned_alloc(16, ARENA_BYTES);
    cr_assert_eq(rt_model_open(&m, bytes, len, rt_op_supported, &err), RT_OK, "%s: %s", spec,
                 err.msg);
    const struct rt_kernel_family *ref = rt_family_find("ref");
    cr_assert_not_null(ref);
    cr_assert_eq(rt_interp_init(&it, &m, ref, arena, ARENA_BYTES, &err), RT_OK, "%s: %s", spec,
                 err.msg);
    struct rt_tensor *in = rt_interp_input(&it, 0), *out = rt_interp_output(&it, 0);
    int n_in = (int)mg_shape_elems(&g.tensors[g.input].shape);
    int n_out = (int)mg_shape_elems(&g.tensors[g.output].shape);
    cr_assert_eq(in->bytes, (uint32_t)n_in);
    cr_assert_eq(out->bytes, (uint32_t)n_out);

    float *x = malloc((size_t)n_in * sizeof *x);
    float *reference = malloc((size_t)NUM_INPUTS * n_out * sizeof *reference);
    int8_t *quantized = malloc((size_t)NUM_INPUTS * n_out);
    for (int k = 0; k < NUM_INPUTS; k++) {
        cr_assert_eq(mg_make_input(&g, MG_HELDOUT_INPUT_BASE + k, x), 0);
        for (int i = 0; i < n_in; i++) {
            double q = round(x[i] / in->scale) + in->zero_point;
            q = q < -128 ? -128 : q > 127 ? 127 : q;
            ((int8_t *)in->data)[i] = (int8_t)q;
            x[i] = in->scale * (float)(q - in->zero_point);
        }
        cr_assert_eq(mg_forward(&g, x, reference + (size_t)k * n_out), 0);
        cr_assert_eq(rt_interp_invoke(&it, &err), RT_OK, "%s: %s", spec, err.msg);
        memcpy(quantized + (size_t)k * n_out, out->data, (size_t)n_out);
    }
    if (g.layers[g.num_layers - 1].op == MG_OP_SOFTMAX)
        mgtest_check_classifier("runtime", spec, reference, quantized, NUM_INPUTS, n_out,
                                out->scale, out->zero_point);
    else
        mgtest_check_regressor("runtime", spec, reference, quantized, NUM_INPUTS, n_out,
                               out->scale, out->zero_point);
    free(x);
    free(reference);
    free(quantized);
    free(arena);
    free(bytes);
    mg_graph_free(&g);
}

Test(modelgen_runtime, reference_kernels_run_every_model_close_to_the_float_network,
     .timeout = 300)
{
    for (size_t s = 0; s < NUM_SPECS; s++)
        run_on_runtime(specs[s]);
}

/* float32 models: the runtime runs those whose operators it has float
 * kernels for (today the dense autoencoders; more as float kernels land)
 * and its outputs match the float network within float rounding
 * (MGTEST_MAX_FLOAT_ERROR); the others it refuses with a message naming
 * the operator, when it reads the file. */
static int run_float_on_runtime(const char *spec)
{
    char fspec[200], msg[256];
    snprintf(fspec, sizeof fspec, "%s%sdtype=float32", spec, strchr(spec, ':') ? "," : ":");
    size_t len;
    uint8_t *bytes = build_aligned(fspec, &len);
    struct rt_model m;
    struct rt_error err = {0};
    if (rt_model_open(&m, bytes, len, rt_op_supported, &err) != RT_OK) {
        cr_assert(strstr(err.msg, "float32") && strstr(err.msg, "unsupported operators"),
                  "%s: refused for another reason: %s", fspec, err.msg);
        free(bytes);
        return 0;
    }
    struct mg_graph g;
    cr_assert_eq(modelgen_graph(fspec, MG_DEFAULT_SEED, &g, msg, sizeof msg), MG_OK, "%s", msg);
    struct rt_interp it;
    uint8_t *arena = aligned_alloc(16, ARENA_BYTES);
    const struct rt_kernel_family *ref = rt_family_find("ref");
    cr_assert_eq(rt_interp_init(&it, &m, ref, arena, ARENA_BYTES, &err), RT_OK, "%s: %s", fspec,
                 err.msg);
    struct rt_tensor *in = rt_interp_input(&it, 0), *out = rt_interp_output(&it, 0);
    int n_in = (int)mg_shape_elems(&g.tensors[g.input].shape);
    int n_out = (int)mg_shape_elems(&g.tensors[g.output].shape);
    cr_assert_eq(in->bytes, 4 * (uint32_t)n_in, "%s: a float32 input", fspec);
    cr_assert_eq(out->bytes, 4 * (uint32_t)n_out, "%s: a float32 output", fspec);
    float *reference = malloc((size_t)n_out * sizeof *reference);
    double worst = 0, sum = 0, sum2 = 0;
    for (int k = 0; k < NUM_INPUTS; k++) {
        cr_assert_eq(mg_make_input(&g, MG_HELDOUT_INPUT_BASE + k, (float *)in->data), 0);
        cr_assert_eq(mg_forward(&g, (const float *)in->data, reference), 0);
        cr_assert_eq(rt_interp_invoke(&it, &err), RT_OK, "%s: %s", fspec, err.msg);
        for (int i = 0; i < n_out; i++) {
            double d = fabs((double)((const float *)out->data)[i] - reference[i]);
            worst = d > worst ? d : worst;
            sum += reference[i];
            sum2 += (double)reference[i] * reference[i];
        }
    }
    double n = (double)NUM_INPUTS * n_out, spread = sqrt(sum2 / n - (sum / n) * (sum / n));
    cr_assert_gt(spread, 0);
    cr_assert_leq(worst, MGTEST_MAX_FLOAT_ERROR * spread,
                  "%s: the runtime differs from the float network by %.3g (spread %.3g)", fspec,
                  worst, spread);
    free(reference);
    free(arena);
    free(bytes);
    mg_graph_free(&g);
    return 1;
}

Test(modelgen_runtime, float32_models_run_as_far_as_the_runtime_has_float_kernels,
     .timeout = 300)
{
    int ran = 0;
    for (size_t s = 0; s < NUM_SPECS; s++)
        ran += run_float_on_runtime(specs[s]);
    cr_assert_geq(ran, 2, "the dense autoencoders run in float32");
}
