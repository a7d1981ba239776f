/*
 * sweep_manifest.h — the sweep manifest: which models (files or modelgen
 * specs), boards, runtimes with their kernel families and inputs 'mcusim
 * sweep' combines, with
 * the tag to give the runs and the per-run limits.  An INI file (inih),
 * written by hand; docs/sweep.md describes it, workloads/sweep-example.ini
 * is an example:
 *
 *   [sweep]
 *   tag = example                 ; prefix, or a template with {model} ...
 *   boards = nano33ble, pico      ; names or board files
 *   kernels = ref, opt            ; mcusim's own runtime's families ...
 *   ; kernels = ref, tflm/cmsis-nn ; ... or RUNTIME/FAMILY, or RUNTIME alone
 *   ;                               (its default family)
 *   [models]
 *   cnn_half = cnn:width=0.5      ; a modelgen spec, synthesized ...
 *   person = models/person.tflite ; ... or a file (ends in .tflite)
 *   [inputs]                      ; optional: default one pseudo-random input
 *   random = random
 *   [inputs.person]               ; optional: inputs for one model only
 *   face = inputs/face.bin
 *
 * Relative paths are relative to the manifest's directory.  Loading checks
 * everything that can be checked without running anything (sections, keys,
 * names, specs, that files exist); the first problem is reported as
 * "FILE:LINE: problem".
 */
#ifndef MCUSIM_CLI_SWEEP_MANIFEST_H
#define MCUSIM_CLI_SWEEP_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SWEEP_NAME_LEN 48
#define SWEEP_TAG_LEN 128
#define SWEEP_MAX_KERNELS 8

struct sweep_input {
    char name[SWEEP_NAME_LEN];
    char *path;                 /* absolute; NULL: the runtime's pseudo-random input */
    int line;
    char sha256[65];            /* of the file, filled in by the sweep ("" for random) */
};

struct sweep_input_list {
    struct sweep_input *items;
    int n;
};

struct sweep_model {
    char name[SWEEP_NAME_LEN];
    char *spec;                 /* canonical modelgen spec, or NULL for a file */
    char *path;                 /* absolute path of a file model; for a spec,
                                 * the synthesized file, set by the sweep */
    int line;
    char sha256[65];            /* of the file, filled in by the sweep */
    bool own_inputs;            /* an [inputs.NAME] section replaces [inputs] */
    struct sweep_input_list inputs;
};

struct sweep_board {
    char *arg;                  /* a board name, or an absolute board file path */
    int line;
};

struct sweep_manifest {
    char *path;                 /* as given, for messages */
    char *dir;                  /* absolute directory of the manifest */
    char tag[SWEEP_TAG_LEN];    /* a template: {model} {board} {runtime} {kernels} {input} */
    int tag_line;
    bool tag_is_prefix;         /* while parsing: tag holds a prefix, made a template at the end */
    struct sweep_board *boards;
    int n_boards;
    /* The runtime and kernel family pairs ("mcusim" "ref", "mcusim" "opt"),
     * each at most once: kernels[k] is a family of runtimes[k]. */
    char runtimes[SWEEP_MAX_KERNELS][16];
    char kernels[SWEEP_MAX_KERNELS][16];
    int n_kernels;
    int kernels_line;
    uint64_t seed;              /* modelgen seed for specs */
    uint64_t max_instructions;  /* 0: profile's default */
    double timeout_s;           /* 0: profile's default */
    struct sweep_model *models;
    int n_models;
    struct sweep_input_list inputs; /* [inputs], or one "random" */
};

/* Returns 0, or -1 with "FILE[:LINE]: problem" in err (m is then freed). */
int sweep_manifest_load(const char *path, struct sweep_manifest *m, char *err, size_t errlen);
void sweep_manifest_free(struct sweep_manifest *m);

/* The inputs a model runs with. */
const struct sweep_input_list *sweep_model_inputs(const struct sweep_manifest *m, const struct sweep_model *model);

/* Reads one item of 'kernels': "FAMILY" (of mcusim's own runtime),
 * "RUNTIME/FAMILY", or "RUNTIME" alone (its default family).  Returns 0
 * with the pair, or -1 with the problem in err (no file or line). */
int sweep_kernels_item(const char *item, char runtime[16], char kernels[16], char *err, size_t errlen);

/* Expands the tag template for one workload; -1 when it is longer than a
 * run's tag may be. */
int sweep_tag(const struct sweep_manifest *m, const char *model, const char *board, const char *runtime,
              const char *kernels, const char *input, char *out, size_t len);

#endif
