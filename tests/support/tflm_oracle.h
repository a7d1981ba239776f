/*
 * tflm_oracle.h — where the tests find TensorFlow Lite Micro's reference
 * kernels on the host (the `tflm-ref-run` program: runs a .tflite once and
 * writes the output tensor's bytes), and running it.
 *
 * The one place that knows the oracle's path.  In order:
 *   MCUSIM_TFLM_ORACLE   an explicit program (a build of tflm-ref-run that
 *                        rounds as the test's runtime library does);
 *   TFLM_REF_RUN         the build's own oracle with the test's rounding
 *                        (tflm-ref-run: double, TFLM's default;
 *                        tflm-ref-run-single: TFLITE_SINGLE_ROUNDING), set
 *                        by tests/meson.build when TFLM is built.
 * Without either, tests skip with a message saying how to provide one.
 */
#ifndef TFLM_ORACLE_H
#define TFLM_ORACLE_H

#include <stddef.h>
#include <stdint.h>

/* The oracle program, or NULL when none is available. */
const char *tflm_oracle_path(void);

/* The message a skipped test prints when there is no oracle. */
#define TFLM_ORACLE_MISSING                                                                         \
    "no TFLM oracle: set MCUSIM_TFLM_ORACLE to a tflm-ref-run program of the same rounding, or build with TFLM's " \
    "sources in ../shared/third_party"

/* Runs the oracle on model_path with the input bytes, and reads the output
 * bytes into a malloc'd *out.  Returns the oracle's exit status (0 = ok;
 * -1 when it could not run); *message holds its stderr's first line. */
int tflm_oracle_run(const char *model_path, const uint8_t *input, size_t input_len, uint8_t **out,
                    size_t *out_len, char *message, size_t message_len);

#endif
