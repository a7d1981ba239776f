/*
 * rt_interp.h — the interpreter: turns a verified model into a prepared
 * graph in a caller-given arena, then runs it layer by layer.
 *
 *   struct rt_model m;      rt_model_open(&m, bytes, size, rt_op_supported, &err);
 *   struct rt_interp it;    rt_interp_init(&it, &m, rt_family_find("ref"), arena, arena_size, &err);
 *   memcpy(rt_interp_input(&it, 0)->data, ...);
 *   rt_interp_invoke(&it, &err);
 *   ... rt_interp_output(&it, 0)->data ...
 *
 * Arena layout (no malloc anywhere):
 *   [ activations + kernel scratch, placed by rt_planner | ... | persistent tail ]
 * The tail holds the tensor and node tables and the op parameters
 * (multipliers, shifts).  While planning, the head temporarily holds the
 * planner's work arrays.  All state lives in struct rt_interp and the arena.
 */
#ifndef RT_INTERP_H
#define RT_INTERP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rt_kernel.h"
#include "rt_port.h"
#include "rt_model.h"
#include "rt_status.h"
#include "rt_tensor.h"

#define RT_ARENA_ALIGN 8u

struct rt_interp {
    const struct rt_model *model;
    const struct rt_kernel_family *family;
    struct rt_target target;   /* the core the plan is for (rt_target.h) */
    uint8_t *arena;            /* aligned start of the usable arena */
    size_t capacity;           /* usable bytes from arena */
    struct rt_tensor *tensors;
    uint32_t num_tensors;
    struct rt_node *nodes;
    uint32_t num_nodes;
    size_t activation_bytes;   /* planned activations + scratch (the head) */
    size_t persistent_bytes;   /* tables and parameters (the tail) */
    size_t arena_needed;       /* bytes of arena init needs; set also when it fails for lack of room */
    /* The same two on the 32-bit target (rt_target_sizes.h), equal to the
     * above there: on the host, the arena the firmware will need. */
    size_t target_persistent_bytes;
    size_t target_arena_needed;
    uint64_t total_macs;
    bool ready;
};

/* Prepares every layer and plans the arena.  On RT_NO_MEMORY,
 * it->arena_needed holds the size that would have been enough (when the
 * failure happened at planning; otherwise a lower bound). */
enum rt_status rt_interp_init(struct rt_interp *it, const struct rt_model *model,
                              const struct rt_kernel_family *family, void *arena, size_t arena_size,
                              struct rt_error *err);

/* The same plan for another core's firmware (rt_target.h): the numbers
 * (arena_needed, target_arena_needed, scratch per node) the firmware of
 * that core will have.  Such an interpreter does not run unless the core
 * is this one's (RT_TARGET_NATIVE): its scratch is sized for the other. */
enum rt_status rt_interp_plan(struct rt_interp *it, const struct rt_model *model,
                              const struct rt_kernel_family *family, struct rt_target target, void *arena,
                              size_t arena_size, struct rt_error *err);

/* Runs one inference, emitting an INFERENCE region around it and a LAYER
 * region around each operator. */
enum rt_status rt_interp_invoke(struct rt_interp *it, struct rt_error *err);

/* Graph input/output i (NULL when out of range). */
struct rt_tensor *rt_interp_input(const struct rt_interp *it, uint32_t i);
struct rt_tensor *rt_interp_output(const struct rt_interp *it, uint32_t i);

/* Fills a LAYER region record for node i (used by invoke; exposed so that
 * tools can show exactly what the profiler will see). */
void rt_interp_layer_region(const struct rt_interp *it, uint32_t i, struct mcusim_region *region);

#endif
