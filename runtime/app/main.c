/*
 * main.c — the inference firmware: runs the model found in the flash slot
 * once and prints its output.  Cross-compiled for Cortex-M against
 * runtime/port/port.h (semihosting I/O, the linker's memory regions); the
 * host twin with the same behaviour is host/rt_host_run.c.
 *
 * Command line (semihosting, after the simulator's '--'):
 *   [--input FILE]   raw bytes of the input tensor; the size must match
 *                    exactly.  Without it the input is pseudo-random from
 *                    a fixed-seed xorshift (the same on every run).
 *   [--output FILE]  writes the raw bytes of the output tensor.
 *   [--kernels ref|opt]  kernel family, among those linked (default ref).
 * stdout: one line "output: v0 v1 ...".  On error: one line on stderr and
 * exit status 2 (bad model, input or arguments) or 6 (does not fit the
 * arena: needed and available bytes are printed).
 *
 * No stdio, no malloc: only port.h and the runtime.
 */
#include <stdbool.h>
#include <stdint.h>

#include "app_args.h"
#include "port.h"
#include "rt_interp.h"
#include "rt_model.h"
#include "rt_port.h"

#define MAX_ARGS 16

static __attribute__((noreturn)) void fail(int status, const char *what, const char *detail)
{
    port_eputs("error: ");
    port_eputs(what);
    if (detail) {
        port_eputs(": ");
        port_eputs(detail);
    }
    port_eputs("\n");
    port_exit(status);
}

static void read_input(const char *path, struct rt_tensor *input)
{
    int fd = port_open(path, PORT_OPEN_READ);
    if (fd < 0)
        fail(APP_EXIT_BAD_INPUT, "cannot open input file", path);
    long len = port_flen(fd);
    if (len != (long)input->bytes) {
        port_eputs("error: input file ");
        port_eputs(path);
        port_eputs(" has ");
        port_eputu(len < 0 ? 0u : (uint32_t)len);
        port_eputs(" bytes, the model input needs ");
        port_eputu(input->bytes);
        port_eputs("\n");
        port_exit(APP_EXIT_BAD_INPUT);
    }
    int got = port_read(fd, input->data, input->bytes);
    port_close(fd);
    if (got != (int)input->bytes)
        fail(APP_EXIT_BAD_INPUT, "cannot read input file", path);
}

static void write_output(const char *path, const struct rt_tensor *output)
{
    int fd = port_open(path, PORT_OPEN_WRITE);
    if (fd < 0 || port_write(fd, output->data, output->bytes) != 0)
        fail(APP_EXIT_BAD_INPUT, "cannot write output file", path);
    port_close(fd);
}

static void print_output(const struct rt_tensor *output)
{
    char value[32];
    port_puts("output:");
    for (uint32_t i = 0; i < rt_tensor_elements(output); i++) {
        app_format_element(output, i, value);
        port_puts(" ");
        port_puts(value);
    }
    port_puts("\n");
}

static const uint8_t *find_model(uint32_t *size)
{
    const struct port_model_slot *slot = (const struct port_model_slot *)(const void *)__model_slot_start;
    uintptr_t room = (uintptr_t)__model_slot_end - (uintptr_t)__model_slot_start;
    if (room < sizeof *slot || slot->magic != PORT_MODEL_SLOT_MAGIC)
        fail(APP_EXIT_BAD_INPUT, "no model in the flash slot", NULL);
    if (slot->size > room - sizeof *slot)
        fail(APP_EXIT_BAD_INPUT, "model size in the flash slot header exceeds the slot", NULL);
    *size = slot->size;
    return (const uint8_t *)(slot + 1);
}

int main(void)
{
    static char arg_buf[512];
    char *argv[MAX_ARGS];
    int argc = port_args(arg_buf, sizeof arg_buf, argv, MAX_ARGS);
    struct app_options opts;
    const char *problem;
    if (app_parse_args(argc, argv, 0, &opts, &problem) != 0)
        fail(APP_EXIT_BAD_INPUT, problem, NULL);

    const struct rt_kernel_family *family = rt_family_find(opts.kernels ? opts.kernels : "ref");
    if (!family)
        fail(APP_EXIT_BAD_INPUT, "kernel family not linked in this firmware", opts.kernels);

    uint32_t model_size;
    const uint8_t *model_bytes = find_model(&model_size);
    struct rt_model model;
    struct rt_error err;
    if (rt_model_open(&model, model_bytes, model_size, rt_op_supported, &err) != RT_OK)
        fail(APP_EXIT_BAD_INPUT, "bad model", err.msg);

    struct rt_interp interp;
    size_t capacity = (size_t)(__arena_end - __arena_start);
    enum rt_status st = rt_interp_init(&interp, &model, family, __arena_start, capacity, &err);
    if (st == RT_NO_MEMORY) {
        /* The plan that did not fit, for the profiler (numbers in reports). */
        struct mcusim_info info = {MCUSIM_INFO_MAGIC, MCUSIM_INFO_ARENA, (uint32_t)(uintptr_t)__arena_start,
                                   (uint32_t)interp.arena_needed, (uint32_t)capacity};
        rt_info(&info);
        port_eputs("error: model does not fit in RAM: the tensor arena needs ");
        port_eputu((uint32_t)interp.arena_needed);
        port_eputs(" bytes, ");
        port_eputu((uint32_t)capacity);
        port_eputs(" are free after the runtime's static data and stack\n");
        port_exit(APP_EXIT_NO_FIT);
    }
    if (st != RT_OK)
        fail(APP_EXIT_BAD_INPUT, "bad model", err.msg);

    struct rt_tensor *input = rt_interp_input(&interp, 0);
    if (opts.input)
        read_input(opts.input, input);
    else
        app_fill_pseudo_random(input, APP_RANDOM_SEED);

    if (rt_interp_invoke(&interp, &err) != RT_OK)
        fail(APP_EXIT_BAD_INPUT, "inference failed", err.msg);

    const struct rt_tensor *output = rt_interp_output(&interp, 0);
    print_output(output);
    if (opts.output)
        write_output(opts.output, output);
    port_exit(APP_EXIT_OK);
}
