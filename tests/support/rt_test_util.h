/*
 * rt_test_util.h — helpers shared by the runtime's Criterion suites
 * (test_runtime_*.c): the shared model set, loading files aligned, running
 * a model on the host runtime, and running Arm NN through the oracle
 * script tests/oracle/armnn_run.py.
 */
#ifndef RT_TEST_UTIL_H
#define RT_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rt_interp.h"
#include "rt_model.h"

struct rt_test_model {
    const char *name;        /* file name without .tflite */
    uint32_t peak_live;      /* README: peak live activation bytes (a lower bound for the arena) */
    bool float_io;           /* float32 input and output */
};

extern const struct rt_test_model rt_test_models[];
extern const size_t rt_test_model_count;

/* Directory of the shared models, or NULL (tests then cr_skip). */
const char *rt_test_models_dir(void);
/* "<dir>/<name>.tflite" into a static buffer. */
const char *rt_test_model_path(const char *name);

/* Whole file into a 16-byte aligned malloc'd buffer (NULL if unreadable). */
uint8_t *rt_test_read_file(const char *path, size_t *size);
bool rt_test_write_file(const char *path, const void *data, size_t size);

/* A prepared model with its own arena; free with rt_test_session_free. */
struct rt_test_session {
    uint8_t *bytes;
    size_t size;
    uint8_t *arena;
    size_t arena_size;
    struct rt_model model;
    struct rt_interp interp;
    struct rt_error err;
    enum rt_status status; /* of open, then init */
};

/* Opens and initialises (ref family) a copy of bytes; status tells how far it got. */
void rt_test_session_start(struct rt_test_session *s, const uint8_t *bytes, size_t size, size_t arena_size);
void rt_test_session_free(struct rt_test_session *s);

/* Makes tensor `tensor` the first graph output of a model's bytes, in
 * place (same patch as armnn_run.py --output-tensor). */
bool rt_test_redirect_output(uint8_t *bytes, size_t size, int32_t tensor);

/* Runs the oracle; returns its exit status (0 = ok).  extra may be NULL. */
int rt_test_run_oracle(const char *model_path, const char *input_path, const char *output_path,
                       int32_t output_tensor, bool zero_bias_qdim);

/* A unique temporary file path (under $TMPDIR or /tmp). */
const char *rt_test_temp_path(const char *suffix, char *buf, size_t len);

#endif
