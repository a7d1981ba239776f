/*
 * rt_host_run.c — the firmware application's twin on the host: runs a
 * .tflite model once with the host build of the runtime and prints
 * "output: v0 v1 ..." exactly as app/main.c does on the MCU, so tests can
 * compare host, firmware and other engines.
 *
 *   rt_host_run MODEL.tflite [--input FILE] [--output FILE] [--kernels ref|opt]
 *                            [--arena BYTES]
 *
 * --arena sets the arena capacity (default 16 MiB) to reproduce "does not
 * fit" on the host.  Exit statuses as the firmware (app/app_args.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_args.h"
#include "rt_interp.h"
#include "rt_model.h"

static int fail(int status, const char *what, const char *detail)
{
    fprintf(stderr, "rt_host_run: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    return status;
}

/* Reads a whole file into a 16-byte aligned buffer (the runtime reads the
 * model in place and needs 4-byte alignment). */
static void *read_file(const char *path, long *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    void *buf = NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (*len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = aligned_alloc(16, ((size_t)*len + 16) & ~(size_t)15);
        if (buf && fread(buf, 1, (size_t)*len, f) != (size_t)*len) {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

int main(int argc, char **argv)
{
    size_t arena_size = 16u << 20;
    /* --arena is host-only: strip it before the shared parser sees argv. */
    for (int i = 1; i + 1 < argc; i++) {
        if (!strcmp(argv[i], "--arena")) {
            arena_size = strtoul(argv[i + 1], NULL, 0);
            memmove(&argv[i], &argv[i + 2], sizeof(char *) * (size_t)(argc - i - 1));
            argc -= 2;
            break;
        }
    }
    struct app_options opts;
    const char *problem;
    if (app_parse_args(argc, argv, 1, &opts, &problem) != 0)
        return fail(APP_EXIT_BAD_INPUT, problem, NULL);
    const struct rt_kernel_family *family = rt_family_find(opts.kernels ? opts.kernels : "ref");
    if (!family)
        return fail(APP_EXIT_BAD_INPUT, "kernel family not linked in this program", opts.kernels);

    long model_len;
    void *model_bytes = read_file(opts.model, &model_len);
    if (!model_bytes)
        return fail(APP_EXIT_BAD_INPUT, "cannot read model", opts.model);
    struct rt_model model;
    struct rt_error err;
    if (rt_model_open(&model, model_bytes, (size_t)model_len, rt_op_supported, &err) != RT_OK)
        return fail(APP_EXIT_BAD_INPUT, opts.model, err.msg);

    void *arena = aligned_alloc(16, (arena_size + 15) & ~(size_t)15);
    struct rt_interp interp;
    enum rt_status st = arena ? rt_interp_init(&interp, &model, family, arena, arena_size, &err) : RT_NO_MEMORY;
    if (st == RT_NO_MEMORY) {
        fprintf(stderr, "rt_host_run: model does not fit: arena needs %zu bytes, %zu available\n",
                interp.arena_needed, arena_size);
        return APP_EXIT_NO_FIT;
    }
    if (st != RT_OK)
        return fail(APP_EXIT_BAD_INPUT, opts.model, err.msg);

    struct rt_tensor *input = rt_interp_input(&interp, 0);
    if (opts.input) {
        long len;
        void *bytes = read_file(opts.input, &len);
        if (!bytes)
            return fail(APP_EXIT_BAD_INPUT, "cannot read input file", opts.input);
        if (len != (long)input->bytes) {
            fprintf(stderr, "rt_host_run: input file %s has %ld bytes, the model input needs %u\n", opts.input,
                    len, input->bytes);
            return APP_EXIT_BAD_INPUT;
        }
        memcpy(input->data, bytes, input->bytes);
        free(bytes);
    } else {
        app_fill_pseudo_random(input, APP_RANDOM_SEED);
    }

    if (rt_interp_invoke(&interp, &err) != RT_OK)
        return fail(APP_EXIT_BAD_INPUT, "inference failed", err.msg);

    const struct rt_tensor *output = rt_interp_output(&interp, 0);
    char value[32];
    fputs("output:", stdout);
    for (uint32_t i = 0; i < rt_tensor_elements(output); i++) {
        app_format_element(output, i, value);
        printf(" %s", value);
    }
    putchar('\n');
    if (opts.output) {
        FILE *f = fopen(opts.output, "wb");
        if (!f || fwrite(output->data, 1, output->bytes, f) != output->bytes || fclose(f) != 0)
            return fail(APP_EXIT_BAD_INPUT, "cannot write output file", opts.output);
    }
    free(arena);
    free(model_bytes);
    return APP_EXIT_OK;
}
