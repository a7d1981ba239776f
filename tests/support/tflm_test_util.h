/*
 * tflm_test_util.h — what the suites comparing mcusim's runtime with
 * TensorFlow Lite Micro share (test_rounding.c, test_tflm_firmware.c):
 * the cases (every shared model, with the default pseudo-random input and
 * the shared sample inputs where there are some, and every synthesized
 * workload), the input file of a case, and running a program that writes
 * an output tensor file.
 */
#ifndef TFLM_TEST_UTIL_H
#define TFLM_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tflm_case {
    const char *model;   /* shared model or workload name */
    bool workload;       /* build/workloads/<model>.tflite, else ../shared/models */
    const char *sample;  /* ../shared/models/samples/<sample>.in.bin, or NULL: pseudo-random input */
};

extern const struct tflm_case tflm_cases[];
extern const size_t tflm_case_count;

/* "model" or "model/sample", for messages. */
const char *tflm_case_label(const struct tflm_case *c);
/* The case's .tflite path, or NULL when the shared set is absent. */
const char *tflm_case_model_path(const struct tflm_case *c, char *buf, size_t len);

/* Writes the case's input tensor bytes to path: the sample, or the
 * pseudo-random fill the firmware and host programs make themselves
 * (runtime/app/app_args.c).  Returns false on failure. */
bool tflm_case_write_input(const struct tflm_case *c, const char *model_path, const char *path);

/* Runs a shell command; stdout and stderr go to the test's log when it
 * fails.  Returns the exit status (-1 when it could not run). */
int tflm_run(const char *cmd);

/* Reads a whole file (malloc'd); NULL when unreadable. */
uint8_t *tflm_read(const char *path, size_t *size);

/* A program path from the environment (set by tests/meson.build); NULL
 * when unset. */
const char *tflm_env(const char *name);

#endif
