/*
 * fuzz_tflite.c — fuzz target for the .tflite reader and verifier, and
 * for everything the firmware does with a model that passes them.
 *
 * The code is the runtime's own (runtime/, built for the host), taking the
 * steps runtime/app/main.c takes on the MCU: rt_model_open() with the
 * runtime's op list, rt_interp_init() (op prepare steps, kernel choice,
 * planning) in an arena the size of a small board's RAM, and, for models
 * cheap enough to run in a fuzzing iteration, one inference with the
 * pseudo-random input and the output printed as the firmware prints it.
 * A model that gets through the verifier and then crashes a prepare step
 * or a kernel is exactly what this is for: on the MCU it would fault.
 *
 * The kernel family (ref or opt) is picked by the input's length, so both
 * are exercised without doubling the cost of every input.  The arena and
 * the model copy are heap blocks of exactly their size, so AddressSanitizer
 * catches a read or write past either.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_args.h"
#include "fuzz_check.h"
#include "rt_interp.h"
#include "rt_model.h"

/* About what a Cortex-M4 board leaves the arena (nano33ble: 256 KB RAM). */
#define ARENA_BYTES (192u * 1024u)
/* Above this much work per inference (MACs, plus bytes written), a model
 * is verified and planned but not run: keeps each iteration in the
 * milliseconds so that the fixed-time CI runs cover many inputs. */
#define MAX_WORK 4000000ull

static uint8_t *arena;

static void check_error(const struct rt_error *err)
{
    /* Runtime messages are one line, never empty (the firmware prints
     * them after "error: bad model: "). */
    FUZZ_CHECK(err->msg[0] != '\0');
    FUZZ_CHECK(strlen(err->msg) < RT_ERROR_MSG_MAX);
    FUZZ_CHECK(strchr(err->msg, '\n') == NULL);
}

static uint64_t work_of(const struct rt_interp *it)
{
    uint64_t work = it->total_macs;
    for (uint32_t i = 0; i < it->num_nodes; i++)
        for (unsigned k = 0; k < it->nodes[i].num_outputs; k++)
            work += it->tensors[it->nodes[i].outputs[k]].bytes;
    return work;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!arena)
        arena = malloc(ARENA_BYTES);
    FUZZ_CHECK(arena);
    uint8_t *model_bytes = malloc(size ? size : 1);
    FUZZ_CHECK(model_bytes);
    memcpy(model_bytes, data, size);

    struct rt_model model;
    struct rt_error err;
    if (rt_model_open(&model, model_bytes, size, rt_op_supported, &err) != RT_OK) {
        check_error(&err);
        free(model_bytes);
        return 0;
    }
    const struct rt_kernel_family *family = rt_family_find(size % 2 ? "opt" : "ref");
    if (!family)
        family = rt_family_default();
    struct rt_interp it;
    enum rt_status st = rt_interp_init(&it, &model, family, arena, ARENA_BYTES, &err);
    if (st != RT_OK) {
        check_error(&err);
        if (st == RT_NO_MEMORY)
            FUZZ_CHECK(it.arena_needed > 0);
        free(model_bytes);
        return 0;
    }
    FUZZ_CHECK(it.arena_needed <= ARENA_BYTES);
    struct mcusim_region region;
    for (uint32_t i = 0; i < it.num_nodes; i++)
        rt_interp_layer_region(&it, i, &region);

    struct rt_tensor *input = rt_interp_input(&it, 0);
    const struct rt_tensor *output = rt_interp_output(&it, 0);
    FUZZ_CHECK(input && output);
    /* The firmware writes the input tensor: were it a constant, that write
     * would go to the model in flash and fault on the MCU. */
    FUZZ_CHECK(!input->is_constant && input->data);
    if (work_of(&it) <= MAX_WORK) {
        app_fill_pseudo_random(input, APP_RANDOM_SEED);
        if (rt_interp_invoke(&it, &err) == RT_OK) {
            char text[32];
            uint32_t n = rt_tensor_elements(output);
            for (uint32_t i = 0; i < n && i < 4096 && output->data; i++)
                FUZZ_CHECK(app_format_element(output, i, text) < sizeof text);
        } else {
            check_error(&err);
        }
    }
    free(model_bytes);
    return 0;
}
