/*
 * modelgen.h — the model synthesizer's public interface: from a spec string
 * ("cnn:width=0.5", see spec.h) and a seed to the bytes of a .tflite model,
 * int8 (the default) or float32 (dtype=float32).
 *
 * The pipeline, one module per step:
 *   spec.c       parse and check the spec against the architecture's keys
 *                (spec_set.c: a spec with ranges of values, for 'fit')
 *   arch_*.c     describe the float network (graph.c draws initial weights)
 *   calibrate.c  normalize layers as folded batch norm, record ranges
 *                (on inputs.c's deterministic inputs, with forward.c and
 *                its kernels, fkernels.c)
 *   quantize.c   int8 tensors and scales as the TFLite converter picks them
 *   float_model.c  or the same network with float32 tensors
 *   tflite_writer.c  the flatbuffer (with fb_builder.c)
 *
 * Before building, modelgen sizes the spec from its shapes alone
 * (modelgen_size, cheap: nothing is drawn or run) and refuses a model whose
 * build would take more than MG_MAX_BUILD_BYTES of memory, or whose file
 * would be larger than a flatbuffer holds; the MACs do not matter.
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

/* The most memory one build may take (modelgen's estimate, see
 * modelgen_size): the weights with their working copies, and the
 * activations of MG_NORMALIZATION_INPUTS calibration inputs at once. */
#define MG_MAX_BUILD_BYTES (2ull << 30)

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

/* An activation tensor of the model, as a memory planner needs it
 * (runtime/rt_planner.h takes exactly this): its bytes, and the operators
 * (by index in the file) from the one that writes it — 0 for the model's
 * input — to the last that reads it — the last operator for the output. */
struct mg_tensor_size {
    uint64_t bytes;
    int32_t first_op, last_op;
};

/* What a spec's model holds, from its shapes alone. */
struct mg_sizing {
    char spec[MG_SPEC_LEN];  /* canonical */
    enum mg_dtype dtype;
    int num_ops;
    uint64_t params, macs;
    uint64_t weight_bytes;   /* constant tensor data in the file */
    uint64_t file_bytes;     /* the file, to the byte */
    /* The most activation bytes live at once: what any arena needs at
     * least, before the runtime's own scratch and tables. */
    uint64_t peak_activation_bytes;
    uint64_t build_bytes;    /* memory modelgen_build would take, estimated */
    int num_tensors;
    struct mg_tensor_size *tensors; /* every activation tensor (malloc'ed) */
};

/* Sizes the model of spec and seed (the seed only lengthens or shortens
 * the description string) without building it: no weights are drawn and
 * nothing runs, so it is cheap even for a model far too large to build.
 * Returns an mg_status with a one-line message in err; on MG_OK free *sz
 * with mg_sizing_free. */
int modelgen_size(const char *spec, uint64_t seed, struct mg_sizing *sz, char *err,
                  size_t errlen);
void mg_sizing_free(struct mg_sizing *sz);

/* The steps of modelgen_build, for tests and tools that want the float
 * network (mg_forward) or the model description before serialization.
 * modelgen_graph leaves g calibrated (ranges recorded only for int8 specs);
 * free it with mg_graph_free.  modelgen_model makes the int8 or float32
 * description, as the spec's dtype says. */
int modelgen_graph(const char *spec, uint64_t seed, struct mg_graph *g, char *err, size_t errlen);
int modelgen_quantize(const struct mg_graph *g, struct mg_qmodel *m, char *err, size_t errlen);
int modelgen_model(const struct mg_graph *g, enum mg_dtype dtype, struct mg_qmodel *m, char *err,
                   size_t errlen);

#endif
