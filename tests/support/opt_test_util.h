/*
 * opt_test_util.h — what the `opt` kernel family's test suites
 * (test_kernels_opt*.c) share: running a model with either family,
 * comparing ref and opt layer by layer, and synthesizing single-layer
 * int8 models of chosen shapes (with modelgen's TFLite writer) for the
 * randomized cases.
 */
#ifndef OPT_TEST_UTIL_H
#define OPT_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rt_interp.h"
#include "rt_model.h"

/* ---- a deterministic generator (splitmix64) ---- */
struct opt_rng {
    uint64_t s;
};
uint32_t opt_rng_u32(struct opt_rng *r);
int32_t opt_rng_range(struct opt_rng *r, int32_t lo, int32_t hi); /* inclusive */
double opt_rng_unit(struct opt_rng *r);                           /* [0, 1) */

/* ---- a model prepared with one family, in its own arena ---- */
struct opt_session {
    uint8_t *bytes;
    uint8_t *arena;
    struct rt_model model;
    struct rt_interp interp;
    struct rt_error err;
    enum rt_status status;
};

void opt_session_start(struct opt_session *s, const uint8_t *bytes, size_t size, const char *family);
void opt_session_free(struct opt_session *s);

/* Runs node i alone (no markers), as rt_interp_invoke does for each node. */
enum rt_status opt_session_run_node(struct opt_session *s, uint32_t i);

/* Result of running the same model and input with ref and opt. */
struct opt_compare {
    enum rt_status ref_status, opt_status; /* of init, then of the run */
    char error[768];                       /* what failed, when a status is not RT_OK */
    int32_t first_diff_layer;              /* -1: every layer's outputs identical */
    uint32_t layers;
    uint32_t opt_layers;                   /* layers whose kernel name ends in "_opt" */
    uint32_t int8_mac_layers;              /* int8 CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED layers */
    uint32_t int8_mac_layers_opt;          /* ... of them run by an _opt kernel */
    uint32_t diff_bytes;                   /* differing bytes in the first differing output */
    int32_t stray_layer;                   /* -1, or the first layer whose opt kernel wrote arena bytes
                                              outside its outputs and its declared scratch */
    uint32_t ref_arena, opt_arena;         /* arena_needed of each family */
    char kernels[512];                     /* opt's kernel per layer, comma-separated */
};

/* Runs both families node by node on the same input (input_bytes must
 * equal the graph input's size; NULL = the firmware's pseudo-random input
 * with the given seed) and compares every output of every layer.  Also
 * checks that each opt kernel writes nothing in the arena (activations
 * and persistent tables) but its outputs and its declared scratch. */
void opt_compare_model(const uint8_t *bytes, size_t size, const uint8_t *input, size_t input_bytes, uint32_t seed,
                       struct opt_compare *result);

/* ---- single-layer models ---- */
enum opt_layer_kind { OPT_CONV, OPT_DWCONV, OPT_FC };

struct opt_layer_spec {
    enum opt_layer_kind kind;
    int32_t batch, in_h, in_w, in_c;  /* FC: in_c is the input depth, in_h = in_w = 1 */
    int32_t out_c;                    /* conv, FC; depthwise: in_c * depth_multiplier */
    int32_t k_h, k_w, stride_h, stride_w;
    int32_t depth_multiplier;         /* depthwise */
    bool same_padding;
    uint8_t activation;               /* TFLITE_ACT_* */
    bool bias;                        /* has a bias input */
    bool per_channel;                 /* FC: per-channel weight scales */
    bool big_scale;                   /* effective scales >= 1/4 (ref's generic requantization) */
    bool pruned;                      /* every third output channel's weights all zero, as in pruned
                                       * models: a tiny weight scale and a bias that puts the
                                       * channel's constant output anywhere in (and beyond) int8 */
    int32_t input_zero_point, output_zero_point;
};

/* Writes the model; returns malloc'ed bytes (NULL on failure) and *size. */
uint8_t *opt_build_layer_model(const struct opt_layer_spec *spec, uint64_t seed, size_t *size);

/* A one-line description of spec, for messages. */
const char *opt_layer_describe(const struct opt_layer_spec *spec, char *buf, size_t len);

/* A random spec of the given kind with odd shapes (see the .c file for the ranges). */
void opt_random_layer(struct opt_rng *r, enum opt_layer_kind kind, struct opt_layer_spec *spec);

/* x -> CONV_2D 1x1 -> y; ADD(x, y) -> output: a two-layer model whose ADD
 * sees two inputs of different (or, with equal_scales, equal) scales.
 * Sizes h x w x c; activation of the ADD; random quantization from seed. */
uint8_t *opt_build_add_model(int32_t h, int32_t w, int32_t c, uint8_t activation, bool equal_scales, uint64_t seed,
                             size_t *size);

/* Directory of the synthesized workloads (<build>/workloads), or NULL. */
const char *opt_workloads_dir(void);

#endif
