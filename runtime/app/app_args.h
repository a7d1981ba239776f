/*
 * app_args.h — what the firmware application (app/main.c) and its host
 * twin (host/rt_host_run.c) share, so both behave and print identically:
 * command-line options, the deterministic pseudo-random input, and the
 * text form of output values.  Freestanding: no stdio.
 *
 * Exit statuses of both programs (cli/exitcodes.h numbering):
 *   0  success
 *   2  bad model, bad input file or bad arguments (one line on stderr)
 *   6  the model does not fit the arena (needed vs available bytes)
 */
#ifndef RT_APP_ARGS_H
#define RT_APP_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "rt_tensor.h"

#define APP_EXIT_OK 0
#define APP_EXIT_BAD_INPUT 2
#define APP_EXIT_NO_FIT 6

/* Fixed seed of the pseudo-random input: same input on every run/machine. */
#define APP_RANDOM_SEED 0x9E3779B9u

struct app_options {
    const char *model;   /* host only: the positional model path */
    const char *input;   /* --input FILE: raw input tensor bytes */
    const char *output;  /* --output FILE: raw output tensor bytes */
    const char *kernels; /* --kernels ref|opt */
};

/* Parses argv[1..]; with want_model a positional model path is required.
 * Returns 0, or -1 with *error naming the problem. */
int app_parse_args(int argc, char **argv, int want_model, struct app_options *opts, const char **error);

/* Fills an input tensor from a xorshift32 sequence: every byte of int8 /
 * uint8 tensors, floats uniform in [0, 1) for float32 tensors. */
void app_fill_pseudo_random(struct rt_tensor *t, uint32_t seed);

/* Writes element i of t as decimal text ("-113", "0.841470957") into buf
 * (at least 32 bytes), NUL-terminated; returns the length. */
size_t app_format_element(const struct rt_tensor *t, uint32_t i, char *buf);

#endif
