/*
 * modelgen.h — the model synthesizer's public interface: from a spec string
 * ("cnn:width=0.5", see spec.h) and a seed to the bytes of an int8 .tflite
 * model.
 *
 * The pipeline, one module per step:
 *   spec.c       parse and check the spec against the architecture's keys
 *   arch_*.c     describe the float network (graph.c draws initial weights)
 *   calibrate.c  normalize layers as folded batch norm, record ranges
 *                (on inputs.c's deterministic inputs, with forward.c and
 *                its kernels, fkernels.c)
 *   quantize.c   int8 tensors and scales as the TFLite converter picks them
 *   tflite_writer.c  the flatbuffer (with fb_builder.c)
 *
 * Same spec and seed give byte-identical files on every machine.
 */
#ifndef MCUSIM_MODELGEN_H
#define MCUSIM_MODELGEN_H

#include <stddef.h>
#include <stdint.h>

#include "graph.h"
#include "qmodel.h"
#include "spec.h"

#define MG_DEFAULT_SEED 1

enum mg_status {
    MG_OK = 0,
    MG_ERR_SPEC = 1,   /* the spec, or the model it asks for, is not valid */
    MG_ERR_NOMEM = 2,  /* out of memory */
};

struct mg_summary {
    char spec[MG_SPEC_LEN]; /* canonical: every key spelled out */
    uint64_t seed;
    int num_ops;
    uint64_t params;       /* weights and biases */
    uint64_t macs;         /* multiply-accumulates of one inference */
    uint64_t weight_bytes; /* constant tensor data in the file */
    uint64_t file_bytes;
};

/* Builds the model; on success *out (malloc'ed, caller frees) holds
 * *out_len bytes and *summary (if not NULL) describes it.  On failure returns
 * an mg_status with a one-line message in err. */
int modelgen_build(const char *spec, uint64_t seed, uint8_t **out, size_t *out_len,
                   struct mg_summary *summary, char *err, size_t errlen);

/* The steps of modelgen_build, for tests and tools that want the float
 * network (mg_forward) or the int8 description before serialization.
 * modelgen_graph leaves g calibrated; free it with mg_graph_free. */
int modelgen_graph(const char *spec, uint64_t seed, struct mg_graph *g, char *err, size_t errlen);
int modelgen_quantize(const struct mg_graph *g, struct mg_qmodel *m, char *err, size_t errlen);

#endif
