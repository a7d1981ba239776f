/*
 * cmd_model_info.c — 'mcusim model info FILE.tflite': what the runtime
 * makes of a model, without running it: one row per layer (op, shapes,
 * MACs, weight bytes, the kernel chosen), totals, the model's flash bytes
 * and the arena the planner needs.  The facts come from the profiler's
 * model_fit.h, which uses the same reader, prepare steps and planner as the
 * firmware (the host build of runtime/), so the numbers are the ones the
 * firmware will see.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "exitcodes.h"
#include "model_fit.h"
#include "rt_interp.h"
#include "rt_model.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: mcusim model info FILE.tflite [--kernels ref|opt] [--json]\n\n"
                 "Reads and verifies a TFLite model with mcusim's runtime and prints, per layer:\n"
                 "index, operator, input and output shapes, MACs, weight bytes and the kernel\n"
                 "chosen; then totals, the model's flash bytes and the arena bytes the planner\n"
                 "needs (activations + kernel scratch, and the runtime's persistent tables).\n\n"
                 "  --kernels NAME  kernel family to plan with (default ref; linked: ");
    for (size_t i = 0; rt_family_at(i); i++)
        fprintf(out, "%s%s", i ? ", " : "", rt_family_at(i)->name);
    fprintf(out, ")\n  --json          one JSON object instead of the table\n\n"
                 "Exit status: 0, or 2 when the file is unreadable, not a valid model, or\n"
                 "uses operators the runtime does not support: then the layers are still\n"
                 "listed, each unsupported one marked, and one line names every unsupported\n"
                 "operator with its layer indices.\n");
}

static void shape_text(const struct rt_tensor *t, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    if (!t) {
        snprintf(buf, len, "-");
        return;
    }
    if (t->ndims == 0)
        snprintf(buf, len, "scalar");
    for (unsigned d = 0; d < t->ndims && used < len; d++)
        used += (size_t)snprintf(buf + used, len - used, "%s%" PRId32, d ? "x" : "", t->dims[d]);
}

static void json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            printf("\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            printf("\\u%04x", *s);
        else
            putchar(*s);
    }
    putchar('"');
}

static void json_shape(const struct rt_tensor *t)
{
    putchar('[');
    for (unsigned d = 0; t && d < t->ndims; d++)
        printf("%s%" PRId32, d ? ", " : "", t->dims[d]);
    putchar(']');
}

/* The first non-constant input: the activation a layer consumes. */
static const struct rt_tensor *main_input(const struct rt_interp *it, const struct rt_node *n)
{
    for (unsigned k = 0; k < n->num_inputs; k++)
        if (n->inputs[k] >= 0 && !it->tensors[n->inputs[k]].is_constant)
            return &it->tensors[n->inputs[k]];
    return n->num_inputs && n->inputs[0] >= 0 ? &it->tensors[n->inputs[0]] : NULL;
}

static void print_table(const char *path, size_t size, const struct rt_interp *it)
{
    uint64_t weights = 0;
    printf("model: %s (%zu bytes of flash), kernels: %s\n", path, size, it->family->name);
    printf("%4s  %-18s %-16s %-16s %12s %9s  %s\n", "#", "op", "input", "output", "MACs", "weights", "kernel");
    for (uint32_t i = 0; i < it->num_nodes; i++) {
        const struct rt_node *n = &it->nodes[i];
        char in[48], out[48];
        shape_text(main_input(it, n), in, sizeof in);
        shape_text(&it->tensors[n->outputs[0]], out, sizeof out);
        printf("%4" PRIu32 "  %-18s %-16s %-16s %12" PRIu64 " %9" PRIu32 "  %s\n", i, rt_op_name(n->op), in, out,
               n->macs, n->weight_bytes, n->kernel->name);
        weights += n->weight_bytes;
    }
    printf("total: %" PRIu32 " layers, %" PRIu64 " MACs, %" PRIu64 " weight bytes\n", it->num_nodes, it->total_macs,
           weights);
    printf("flash: %zu bytes (the model, read in place)\n", size);
    printf("arena: %zu bytes = %zu activations and scratch + %zu runtime tables\n", it->arena_needed,
           it->activation_bytes, it->persistent_bytes);
}

static void print_json(const char *path, size_t size, const struct rt_interp *it)
{
    uint64_t weights = 0;
    printf("{\"file\": ");
    json_string(path);
    printf(", \"flash_bytes\": %zu, \"kernels\": \"%s\", \"layers\": [", size, it->family->name);
    for (uint32_t i = 0; i < it->num_nodes; i++) {
        const struct rt_node *n = &it->nodes[i];
        printf("%s\n  {\"index\": %" PRIu32 ", \"op\": \"%s\", \"op_code\": %" PRId32 ", \"input_shape\": ",
               i ? "," : "", i, rt_op_name(n->op), n->op);
        json_shape(main_input(it, n));
        printf(", \"output_shape\": ");
        json_shape(&it->tensors[n->outputs[0]]);
        printf(", \"macs\": %" PRIu64 ", \"weight_bytes\": %" PRIu32 ", \"kernel\": \"%s\", \"live_arena_bytes\": %" PRIu32
               ", \"scratch_bytes\": %" PRIu32 "}",
               n->macs, n->weight_bytes, n->kernel->name, n->live_bytes, n->scratch_bytes);
        weights += n->weight_bytes;
    }
    printf("\n], \"total_macs\": %" PRIu64 ", \"weight_bytes\": %" PRIu64 ", \"arena_bytes\": %zu, "
           "\"activation_bytes\": %zu, \"persistent_bytes\": %zu}\n",
           it->total_macs, weights, it->arena_needed, it->activation_bytes, it->persistent_bytes);
}

/* A model the runtime cannot run: still its layers as the file describes
 * them (no prepare step ran, so no MACs and no plan), which ones the
 * runtime lacks, and the sizes that are known.  Returns false when the
 * file does not open even without the operator check (a corrupt model). */
static bool print_unsupported(const char *path, const struct model_file *file, const char *why, int json)
{
    struct rt_model m;
    struct rt_error err;
    if (rt_model_open(&m, file->bytes, file->len, NULL, &err) != RT_OK)
        return false;
    uint64_t weights = 0, largest_layer = 0;
    if (json) {
        printf("{\"file\": ");
        json_string(path);
        printf(", \"flash_bytes\": %zu, \"supported\": false, \"layers\": [", file->len);
    } else {
        printf("model: %s (%zu bytes of flash)\n", path, file->len);
        printf("%4s  %-18s %-16s %-16s %9s  %s\n", "#", "op", "input", "output", "weights", "runtime");
    }
    uint32_t num_ops = rt_model_num_ops(&m);
    for (uint32_t i = 0; i < num_ops; i++) {
        struct rt_op_info op;
        struct rt_tensor in = {0}, out = {0}, t;
        bool have_in = false, have_out = false;
        uint64_t w = 0, live = 0;
        if (rt_model_op(&m, i, &op, NULL) != RT_OK)
            continue;
        for (uint32_t k = 0; k < op.inputs.count; k++) {
            int32_t idx = rt_op_input(&m, &op, k);
            if (idx < 0 || rt_model_tensor(&m, (uint32_t)idx, &t, NULL) != RT_OK)
                continue;
            if (t.is_constant) {
                w += t.bytes;
            } else {
                live += t.bytes;
                if (!have_in)
                    in = t, have_in = true;
            }
        }
        for (uint32_t k = 0; k < op.outputs.count; k++) {
            int32_t idx = rt_op_output(&m, &op, k);
            if (idx >= 0 && rt_model_tensor(&m, (uint32_t)idx, &t, NULL) == RT_OK) {
                live += t.bytes;
                if (!have_out)
                    out = t, have_out = true;
            }
        }
        uint8_t type = have_in ? in.type : 0xFF;
        bool runs = op.op != TFLITE_OP_CUSTOM && rt_op_supported(op.op, type);
        char ins[48], outs[48];
        shape_text(have_in ? &in : NULL, ins, sizeof ins);
        shape_text(have_out ? &out : NULL, outs, sizeof outs);
        const char *name = op.op == TFLITE_OP_CUSTOM ? (op.custom_name ? op.custom_name : "CUSTOM")
                                                     : rt_op_name(op.op) ? rt_op_name(op.op) : "?";
        if (json) {
            printf("%s\n  {\"index\": %" PRIu32 ", \"op\": ", i ? "," : "", i);
            json_string(name);
            printf(", \"op_code\": %" PRId32 ", \"input_shape\": ", op.op);
            json_shape(have_in ? &in : NULL);
            printf(", \"output_shape\": ");
            json_shape(have_out ? &out : NULL);
            printf(", \"weight_bytes\": %" PRIu64 ", \"supported\": %s}", w, runs ? "true" : "false");
        } else {
            printf("%4" PRIu32 "  %-18s %-16s %-16s %9" PRIu64 "  %s\n", i, name, ins, outs, w,
                   runs ? "supported" : "NOT SUPPORTED");
        }
        weights += w;
        largest_layer = live > largest_layer ? live : largest_layer;
    }
    if (json) {
        printf("\n], \"weight_bytes\": %" PRIu64 ", \"min_activation_bytes\": %" PRIu64 ", \"verdict\": ", weights,
               largest_layer);
        json_string(why);
        printf("}\n");
    } else {
        printf("total: %" PRIu32 " layers, %" PRIu64 " weight bytes\n", num_ops, weights);
        printf("flash: %zu bytes (the model, read in place)\n", file->len);
        printf("arena: not planned; at least %" PRIu64 " bytes of activations (the largest layer's inputs and "
               "outputs)\n", largest_layer);
        printf("verdict: mcusim's runtime cannot run this model: %s\n", why);
    }
    return true;
}

int cmd_model_info(int argc, char **argv)
{
    const char *path = NULL, *kernels = "ref";
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if (!strcmp(argv[i], "--kernels") && i + 1 < argc) {
            kernels = argv[++i];
        } else if (argv[i][0] != '-' && !path) {
            path = argv[i];
        } else {
            fprintf(stderr, "mcusim model info: unexpected argument '%s' (see --help)\n", argv[i]);
            return EXIT_BAD_INPUT;
        }
    }
    if (!path) {
        usage(stderr);
        return EXIT_BAD_INPUT;
    }
    const struct rt_kernel_family *family = rt_family_find(kernels);
    if (!family) {
        fprintf(stderr, "mcusim model info: kernel family '%s' is not built into this mcusim\n", kernels);
        return EXIT_BAD_INPUT;
    }
    struct model_file model;
    struct model_plan plan;
    char err[1200];
    if (model_file_read(path, &model, err, sizeof err)) {
        fprintf(stderr, "mcusim model info: %s\n", err);
        return EXIT_BAD_INPUT;
    }
    if (model_plan_open(&model, kernels, &plan, err, sizeof err)) {
        /* An unsupported operator still leaves a model worth describing. */
        struct rt_model probe;
        struct rt_error why;
        if (rt_model_open(&probe, model.bytes, model.len, rt_op_supported, &why) == RT_UNSUPPORTED)
            print_unsupported(path, &model, why.msg, json);
        fprintf(stderr, "mcusim model info: %s\n", err);
        model_file_free(&model);
        return EXIT_BAD_INPUT;
    }
    if (json)
        print_json(path, model.len, &plan.interp);
    else
        print_table(path, model.len, &plan.interp);
    model_plan_close(&plan);
    model_file_free(&model);
    return 0;
}
