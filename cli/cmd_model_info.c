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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "exitcodes.h"
#include "model_fit.h"
#include "rt_interp.h"
#include "rt_model.h"
#include "runtime_images.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: mcusim model info FILE.tflite [--runtime NAME] [--kernels ref|opt] [--json]\n\n"
                 "Reads and verifies a TFLite model with mcusim's runtime and prints, per layer:\n"
                 "index, operator, input and output shapes, MACs, weight bytes and the kernel\n"
                 "chosen; then totals, the model's flash bytes and the arena bytes the planner\n"
                 "needs (activations + kernel scratch, and the runtime's persistent tables).\n\n"
                 "  --kernels NAME  kernel family to plan with (default ref; linked: ");
    for (size_t i = 0; rt_family_at(i); i++)
        fprintf(out, "%s%s", i ? ", " : "", rt_family_at(i)->name);
    char runtimes[64];
    runtime_names_text(", ", " or ", runtimes, sizeof runtimes);
    fprintf(out, ")\n  --runtime NAME  %s (default mcusim).  The plan is made by the host build of\n"
                 "                  mcusim's own runtime; for a runtime that has none here, profile\n"
                 "                  the model with 'mcusim profile --runtime NAME' for its arena\n"
                 "  --json          one JSON object instead of the table\n\n",
            runtimes);
    fprintf(out,
                 "Exit status: 0, or 2 when the file is unreadable, not a valid model, or\n"
                 "uses an operator the runtime does not support (named with its layer).\n");
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

int cmd_model_info(int argc, char **argv)
{
    const char *path = NULL, *kernels = NULL, *runtime = RUNTIME_DEFAULT;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if (!strcmp(argv[i], "--kernels") && i + 1 < argc) {
            kernels = argv[++i];
        } else if (!strcmp(argv[i], "--runtime") && i + 1 < argc) {
            runtime = argv[++i];
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
    /* Another runtime plans with the host build of the own runtime's
     * kernels its row names, when it names one. */
    if (strcmp(runtime, RUNTIME_DEFAULT)) {
        char why[512];
        const struct runtime_image *ri = runtime_image_resolve(runtime, kernels, why, sizeof why);
        if (!ri) {
            fprintf(stderr, "mcusim model info: %s\n", why);
            return EXIT_BAD_INPUT;
        }
        if (!ri->host_family) {
            fprintf(stderr,
                    "mcusim model info: runtime '%s' has no host build here to plan with (its arena is measured "
                    "by 'mcusim profile %s --runtime %s')\n",
                    runtime, path, runtime);
            return EXIT_BAD_INPUT;
        }
        kernels = ri->host_family;
    } else if (!kernels) {
        kernels = RUNTIME_DEFAULT_KERNELS;
    }
    const struct rt_kernel_family *family = rt_family_find(kernels);
    if (!family) {
        fprintf(stderr, "mcusim model info: kernel family '%s' is not built into this mcusim\n", kernels);
        return EXIT_BAD_INPUT;
    }
    struct model_file model;
    struct model_plan plan;
    char err[1200];
    if (model_file_read(path, &model, err, sizeof err) || model_plan_open(&model, kernels, &plan, err, sizeof err)) {
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
