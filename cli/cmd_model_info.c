/*
 * cmd_model_info.c — 'mcusim model info FILE.tflite [--board B]': what the
 * runtime makes of a model, without running it: one row per layer (op,
 * shapes, MACs, weight bytes, the kernel chosen), totals, the model's
 * flash bytes and the arena the planner needs; with --board, the verdict
 * on that board, flash and RAM (fit_verdict.h, the one 'profile' judges
 * with).  The facts come from the profiler's model_fit.h, which uses the
 * same reader, prepare steps and planner as the firmware (the host build
 * of runtime/, planning for the board's core), so the numbers are the ones
 * the firmware will see.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "exitcodes.h"
#include "fit_verdict.h"
#include "model_fit.h"
#include "rt_interp.h"
#include "rt_model.h"
#include "runtime_images.h"
#include "verdict_output.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: mcusim model info FILE.tflite [--runtime NAME] [--board NAME|FILE] [--kernels ref|opt] [--json]\n\n"
                 "Reads and verifies a TFLite model with mcusim's runtime and prints, per layer:\n"
                 "index, operator, input and output shapes, MACs, weight bytes and the kernel\n"
                 "chosen; then totals, the model's flash bytes and the arena bytes the firmware's\n"
                 "planner needs on the board's core (activations + kernel scratch, and the\n"
                 "runtime's persistent tables).\n\n"
                 "With --board, also the verdict on that board without simulating anything: flash\n"
                 "(the runtime image and the model) and RAM (static data, the arena, the stack),\n"
                 "each against the board, with how much is over; the same verdict 'mcusim profile'\n"
                 "gives.  A model with an operator the runtime lacks is judged by its sizes.\n\n"
                 "  -b, --board NAME|FILE  judge the model on this board (see 'mcusim boards'; without\n"
                 "                         it, the arena is planned for nano33ble's Cortex-M4F)\n"
                 "  -k, --kernels NAME     kernel family to plan with (default ref; linked: ");
    for (size_t i = 0; rt_family_at(i); i++)
        fprintf(out, "%s%s", i ? ", " : "", rt_family_at(i)->name);
    char runtimes[64];
    runtime_names_text(", ", " or ", runtimes, sizeof runtimes);
    fprintf(out, ")\n  -r, --runtime NAME     %s (default mcusim).  The plan is made by the host\n"
                 "                         build of mcusim's own runtime; for a runtime that has none\n"
                 "                         here, 'mcusim profile --runtime NAME' measures its arena\n",
            runtimes);
    fprintf(out, "      --json             one JSON object instead of the table\n\n"
                 "Exit status: 0 (with --board: the model fits), 2 when the file is unreadable, not\n"
                 "a valid model, or uses operators the runtime does not support and would fit: then\n"
                 "the layers are still listed, each unsupported one marked, one line names every\n"
                 "unsupported operator with its layer indices, and with --board the verdict is\n"
                 "printed too; 6 with --board when the model does not fit the board.\n");
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
    printf("arena: %zu bytes = %zu activations and scratch + %zu runtime tables\n", it->target_arena_needed,
           it->target_arena_needed - it->target_persistent_bytes, it->target_persistent_bytes);
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
           "\"activation_bytes\": %zu, \"persistent_bytes\": %zu",
           it->total_macs, weights, it->target_arena_needed, it->target_arena_needed - it->target_persistent_bytes,
           it->target_persistent_bytes);
}

/* ", "verdict": {...}" for the JSON object being printed. */
static int print_json_verdict(const struct fit_verdict *v, const char *board, const char *kernels)
{
    cJSON *o = verdict_json(v, board, kernels);
    char *text = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    if (!text)
        return -1;
    printf(", \"verdict\": %s", text);
    free(text);
    return 0;
}

/* A model the runtime cannot run: still its layers as the file describes
 * them (no prepare step ran, so no MACs and no plan), which ones the
 * runtime lacks, and the sizes that are known.  The JSON object is left
 * open for the caller's keys.  Returns false, having printed nothing, when
 * the file does not open even without the operator check. */
static bool print_unsupported(const char *path, const struct model_file *file, int json)
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
        uint8_t type = 0xFF; /* of the input that names the operator's type */
        int32_t data = op.inputs.count > rt_op_data_input(op.op) ? rt_op_input(&m, &op, rt_op_data_input(op.op)) : -1;
        if (data >= 0 && rt_model_tensor(&m, (uint32_t)data, &t, NULL) == RT_OK)
            type = t.type;
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
        printf("\n], \"weight_bytes\": %" PRIu64 ", \"min_activation_bytes\": %" PRIu64, weights, largest_layer);
    } else {
        printf("total: %" PRIu32 " layers, %" PRIu64 " weight bytes\n", num_ops, weights);
        printf("flash: %zu bytes (the model, read in place)\n", file->len);
        printf("arena: not planned; at least %" PRIu64 " bytes of activations (the largest layer's inputs and "
               "outputs)\n", largest_layer);
    }
    return true;
}

int cmd_model_info(int argc, char **argv)
{
    const char *path = NULL, *kernels = NULL, *runtime = RUNTIME_DEFAULT, *board_arg = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if ((!strcmp(argv[i], "--kernels") || !strcmp(argv[i], "-k")) && i + 1 < argc) {
            kernels = argv[++i];
        } else if ((!strcmp(argv[i], "--runtime") || !strcmp(argv[i], "-r")) && i + 1 < argc) {
            runtime = argv[++i];
        } else if ((!strcmp(argv[i], "--board") || !strcmp(argv[i], "-b")) && i + 1 < argc) {
            board_arg = argv[++i];
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
    struct board board;
    char err[1200];
    if (board_find(board_arg ? board_arg : "nano33ble", &board, err, sizeof err)) {
        fprintf(stderr, "mcusim model info: %s\n", err);
        return EXIT_BAD_INPUT;
    }
    struct image_room room;
    if (board_arg && image_room_find(&board, kernels, &room, err, sizeof err)) {
        fprintf(stderr, "mcusim model info: %s\n", err);
        return EXIT_BAD_INPUT;
    }
    struct model_file model;
    if (model_file_read(path, &model, err, sizeof err)) {
        fprintf(stderr, "mcusim model info: %s\n", err);
        return EXIT_BAD_INPUT;
    }
    struct fit_verdict v;
    if (board_arg && fit_verdict_make(&model, kernels, &board, &room, &v, err, sizeof err)) {
        fprintf(stderr, "mcusim model info: %s\n", err);
        model_file_free(&model);
        return EXIT_BAD_INPUT;
    }
    struct model_plan plan;
    char why[1200];
    int status = 0;
    if (model_plan_open(&model, kernels, &board, &plan, why, sizeof why)) {
        /* Not runnable.  Operators the runtime lacks still leave a model
         * worth describing: its layers, each unsupported one marked.  With
         * a board, the verdict from its sizes says whether it could ever
         * fit: printed either way.  When it would fit, what is wrong is the
         * operator (exit 2, as without a board); when it would not, that
         * is the answer (exit 6). */
        struct rt_model probe;
        struct rt_error lacking;
        bool lacks_ops = rt_model_open(&probe, model.bytes, model.len, rt_op_supported, &lacking) == RT_UNSUPPORTED;
        if (!board_arg && !lacks_ops) {
            fprintf(stderr, "mcusim model info: %s\n", why);
            model_file_free(&model);
            return EXIT_BAD_INPUT;
        }
        const char *reason = lacks_ops ? lacking.msg : v.why;
        status = !board_arg || v.fits ? EXIT_BAD_INPUT : EXIT_NO_FIT;
        bool listed = lacks_ops && print_unsupported(path, &model, json);
        if (json) {
            if (!listed) {
                printf("{\"file\": ");
                json_string(path);
                printf(", \"flash_bytes\": %zu", model.len);
            }
            printf(", \"kernels\": \"%s\", \"error\": ", kernels);
            json_string(reason);
            if (board_arg && print_json_verdict(&v, board.name, kernels))
                status = EXIT_INTERNAL;
            printf("}\n");
        } else {
            if (!listed)
                printf("model: %s (%zu bytes of flash)\n", path, model.len);
            printf("the runtime cannot run it: %s\n", reason);
            if (board_arg) {
                putchar('\n');
                verdict_print_text(&v, board.name, kernels, stdout);
            }
        }
        if (!board_arg || v.fits)
            fprintf(stderr, "mcusim model info: %s\n", why);
        model_file_free(&model);
        return status;
    }
    if (json) {
        print_json(path, model.len, &plan.interp);
        if (board_arg && print_json_verdict(&v, board.name, kernels))
            status = EXIT_INTERNAL;
        printf("}\n");
    } else {
        print_table(path, model.len, &plan.interp);
        if (board_arg) {
            putchar('\n');
            verdict_print_text(&v, board.name, kernels, stdout);
        }
    }
    if (!status && board_arg && !v.fits)
        status = EXIT_NO_FIT;
    model_plan_close(&plan);
    model_file_free(&model);
    return status;
}
