/*
 * rt_kernel.h — the seam between the interpreter and kernel families.
 *
 * An operator is run in two steps, as in TFLite Micro:
 *  - prepare (op-level, runtime/ops/): validates shapes and types, computes
 *    the quantized multipliers and other parameters once, counts MACs.  It
 *    is shared by every kernel family, so `ref` and `opt` agree on what an
 *    op means and an invalid model is rejected the same way.
 *  - invoke (kernel-level, runtime/kernels/<family>/): does the arithmetic.
 *
 * A kernel family is a table of struct rt_kernel, one per (op, input type),
 * all with the same signatures.  A family may also give a kernel its own
 * prepare step (e.g. to reorder weights) and scratch memory: the planner
 * asks scratch_size() after prepare and places the scratch in the arena
 * with the activations, as CMSIS-NN's *_get_buffer_size() lets TFLite Micro
 * do.  Nothing is guessed and nothing is allocated at invoke time.
 *
 * Families are chosen when linking (which kernels/<family>/ files are
 * built) and, among those linked, at run time by name (rt_family_find).
 * An op a family lacks falls back to `ref`, which implements every op.
 */
#ifndef RT_KERNEL_H
#define RT_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rt_model.h"
#include "rt_status.h"
#include "rt_target.h"
#include "rt_tensor.h"

#define RT_TYPE_ANY 0xFFu /* a kernel that handles every input type (RESHAPE) */

struct rt_kernel;

/* One operator of the graph, as prepared for execution. */
struct rt_node {
    uint32_t index;                 /* position in the subgraph */
    int32_t op;                     /* TFLite builtin code */
    uint8_t num_inputs, num_outputs;
    const int32_t *inputs;          /* tensor indices, -1 = absent optional input */
    const int32_t *outputs;
    const struct rt_kernel *kernel; /* chosen implementation */
    const void *params;             /* op-level parameters from prepare */
    void *kernel_data;              /* family-specific data from kernel->prepare, or NULL */
    uint32_t scratch_bytes;         /* from kernel->scratch_size */
    void *scratch;                  /* in the arena, valid during invoke */
    uint64_t macs;                  /* multiply-accumulates, as TFLite/CMSIS count them */
    uint32_t weight_bytes;          /* bytes of constant inputs (weights, biases) */
    uint32_t live_bytes;            /* arena bytes live while this node runs, scratch included */
};

/* What prepare steps may use: the model (for options), all tensors, and a
 * persistent allocator carved from the arena's tail. */
struct rt_prepare_ctx {
    const struct rt_model *model;
    const struct rt_op_info *info;
    struct rt_tensor *tensors;
    uint32_t num_tensors;
    struct rt_error *err;
    /* persistent allocator state (owned by the interpreter) */
    uint8_t *tail_base;
    size_t *tail_used;
    size_t *tail_used_target;       /* the same on the 32-bit target (rt_target_sizes.h) */
    size_t capacity;
    size_t head_reserved;
};

/* Persistent memory for the lifetime of the interpreter (aligned to 8):
 * bytes here, target_bytes on the 32-bit target (use RT_PERSISTENT_NEW of
 * rt_target_sizes.h, which knows both).  Returns NULL, with err set, when
 * the arena is full. */
void *rt_persistent_alloc(struct rt_prepare_ctx *ctx, size_t bytes, size_t target_bytes);

struct rt_kernel {
    const char *name; /* e.g. "conv_s8_ref": <op>_<type>_<family> */
    int32_t op;       /* TFLite builtin code */
    uint8_t type;     /* type of input 0 it handles, or RT_TYPE_ANY */
    /* Optional family-specific prepare, after the op-level one. */
    enum rt_status (*prepare)(struct rt_prepare_ctx *ctx, struct rt_node *node);
    /* Optional: bytes of scratch the kernel needs during invoke on the
     * target core (rt_target.h; the firmware asks for its own). */
    uint32_t (*scratch_size)(const struct rt_tensor *tensors, const struct rt_node *node,
                             const struct rt_target *target);
    enum rt_status (*invoke)(struct rt_tensor *tensors, const struct rt_node *node);
};

struct rt_kernel_family {
    const char *name; /* "ref", "opt" */
    const struct rt_kernel *const *kernels;
    size_t count;
};

/* The families linked into this program, ref first; and lookups. */
const struct rt_kernel_family *rt_family_find(const char *name); /* NULL if not linked */
const struct rt_kernel_family *rt_family_default(void);          /* ref */
const struct rt_kernel_family *rt_family_at(size_t i);           /* NULL past the end */
/* The kernel for (op, input type) in family, falling back to ref. */
const struct rt_kernel *rt_kernel_find(const struct rt_kernel_family *family, int32_t op, uint8_t type);

/* Whether the runtime can run op with this input type (ref has it and the
 * op has a prepare step); usable as rt_model_open's callback. */
bool rt_op_supported(int32_t op, uint8_t input_type);

static inline struct rt_tensor *rt_node_input(struct rt_tensor *tensors, const struct rt_node *node, unsigned k)
{
    return k < node->num_inputs && node->inputs[k] >= 0 ? &tensors[node->inputs[k]] : NULL;
}

static inline struct rt_tensor *rt_node_output(struct rt_tensor *tensors, const struct rt_node *node, unsigned k)
{
    return k < node->num_outputs ? &tensors[node->outputs[k]] : NULL;
}

#endif
