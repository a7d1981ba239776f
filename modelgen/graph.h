/*
 * graph.h — the float network that modelgen synthesizes before quantizing.
 *
 * An architecture (arch_*.c) describes its network by calling the mg_add_*
 * builders below; they infer shapes, draw initial weights from the graph's
 * generator (He-uniform for layers followed by a ReLU, Glorot-uniform for
 * the others) and each layer's folded batch-norm gamma/beta.  calibrate.c
 * then normalizes the layers on calibration inputs and records activation
 * ranges; quantize.c turns the result into an int8 model.
 *
 * Layout conventions are TFLite's: activations NHWC with batch 1; conv
 * weights [out][kh][kw][in]; depthwise weights [kh][kw][channels] (the
 * leading 1 of TFLite's [1,kh,kw,C] is implied); fully connected weights
 * [out][in].
 *
 * Builders never fail loudly: a problem (an empty output, a tensor larger
 * than TFLite allows) is stored in g->error with a message naming the layer,
 * later builders do nothing, and the caller checks g->error once at the end.
 *
 * A graph with shapes_only set gets every shape and weight count but no
 * weights (nothing drawn, nothing allocated): modelgen sizes a spec that way
 * before deciding to build it.
 */
#ifndef MCUSIM_MG_GRAPH_H
#define MCUSIM_MG_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "prng.h"

enum mg_op {
    MG_OP_CONV2D,
    MG_OP_DWCONV2D,
    MG_OP_FULLY_CONNECTED,
    MG_OP_MAXPOOL,
    MG_OP_AVGPOOL,
    MG_OP_RESHAPE,
    MG_OP_SOFTMAX,
    MG_OP_ADD,
};

enum mg_act { MG_ACT_NONE, MG_ACT_RELU, MG_ACT_RELU6 };
enum mg_padding { MG_PAD_SAME, MG_PAD_VALID };

#ifndef MG_DESCRIPTION_LEN
#define MG_DESCRIPTION_LEN 320
#endif
#define MG_MAX_RANK 4
#define MG_NAME_LEN 64

struct mg_shape {
    int rank;
    int32_t dim[MG_MAX_RANK];
};

struct mg_tensor {
    char name[MG_NAME_LEN];
    struct mg_shape shape;
    /* Activation range seen on the calibration inputs (calibrate.c). */
    float min, max;
};

struct mg_layer {
    enum mg_op op;
    char name[MG_NAME_LEN];
    int input, input2; /* tensor indices; input2 only for ADD, else -1 */
    int output;
    enum mg_act act;
    enum mg_padding padding;
    int kh, kw;             /* kernel or pool window */
    int stride_h, stride_w;
    int out_channels;       /* conv, depthwise (= in), fully connected */
    float *weights;         /* NULL for layers without parameters (and shapes_only) */
    size_t num_weights;     /* 0 for layers without parameters */
    float *bias;            /* out_channels entries */
    /* Folded batch norm: after normalization each output channel has, on the
     * calibration inputs, mean beta[c] and standard deviation gamma[c]
     * before the activation. */
    float *gamma, *beta;
};

struct mg_graph {
    struct mg_tensor *tensors;
    int num_tensors, cap_tensors;
    struct mg_layer *layers;
    int num_layers, cap_layers;
    int input, output;     /* tensor indices */
    struct mg_rng rng;     /* weight initialization */
    uint64_t seed;
    int shapes_only;       /* set before building: no weights (see above) */
    char description[MG_DESCRIPTION_LEN]; /* "mcusim modelgen <canonical spec> seed=N" */
    int error;
    char errmsg[256];
};

void mg_graph_init(struct mg_graph *g, uint64_t seed);
void mg_graph_free(struct mg_graph *g);
void mg_graph_fail(struct mg_graph *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The network's input: [1, h, w, c] (or [1, w] when h == 0 and c == 0). */
int mg_add_input(struct mg_graph *g, const char *name, int h, int w, int c);
int mg_add_conv2d(struct mg_graph *g, int in, const char *name, int out_channels, int kh, int kw,
                  int stride, enum mg_padding pad, enum mg_act act);
int mg_add_dwconv2d(struct mg_graph *g, int in, const char *name, int kh, int kw, int stride,
                    enum mg_padding pad, enum mg_act act);
/* Input must be [1, n]. */
int mg_add_fully_connected(struct mg_graph *g, int in, const char *name, int out, enum mg_act act);
int mg_add_maxpool(struct mg_graph *g, int in, const char *name, int k, int stride,
                   enum mg_padding pad);
/* stride 0: the window's own size in each direction, as Keras defaults. */
int mg_add_avgpool(struct mg_graph *g, int in, const char *name, int kh, int kw, int stride,
                   enum mg_padding pad);
/* Flattens to [1, n]. */
int mg_add_flatten(struct mg_graph *g, int in, const char *name);
int mg_add_softmax(struct mg_graph *g, int in, const char *name);
int mg_add_add(struct mg_graph *g, int a, int b, const char *name, enum mg_act act);

/* Redraws the folded batch-norm targets of the last layer: gamma uniform in
 * [gamma_lo, gamma_hi), beta in [beta_lo, beta_hi). */
void mg_set_norm(struct mg_graph *g, double gamma_lo, double gamma_hi, double beta_lo,
                 double beta_hi);

size_t mg_shape_elems(const struct mg_shape *s);
/* Multiply-accumulates of one layer (0 for layers without weights). */
uint64_t mg_layer_macs(const struct mg_graph *g, const struct mg_layer *l);
/* Weights and biases of one layer. */
uint64_t mg_layer_params(const struct mg_layer *l);

#endif
