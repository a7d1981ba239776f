/*
 * rt_planner.h — ahead-of-time placement of buffers in one arena.
 *
 * Input: a list of buffers, each with a size and the span of node indices
 * during which it must hold its bytes.  Output: an offset for each, such
 * that no two buffers whose spans overlap share a byte.  The algorithm is
 * TFLite Micro's GreedyMemoryPlanner: largest buffer first, each at the
 * lowest offset that does not collide with an already placed buffer of
 * overlapping lifetime.  Knows nothing about models or tensors.
 */
#ifndef RT_PLANNER_H
#define RT_PLANNER_H

#include <stdbool.h>
#include <stdint.h>

struct rt_plan_buffer {
    uint32_t bytes;
    int32_t first_use; /* first node index at which the buffer is live */
    int32_t last_use;  /* last node index at which it is live (>= first_use) */
    uint32_t offset;   /* result */
};

/* Places n buffers; order is caller-provided work space of n entries (the
 * runtime takes it from the arena).  *total receives the arena bytes the
 * plan needs (the highest end offset).  align must be a power of two. */
void rt_plan_greedy(struct rt_plan_buffer *buffers, uint32_t n, uint32_t *order, uint32_t align,
                    uint32_t *total);

/* Sum of the sizes of the buffers live at node `at` (the bytes a node
 * actually uses, scratch included, as opposed to the plan's high-water). */
uint32_t rt_plan_live_bytes(const struct rt_plan_buffer *buffers, uint32_t n, int32_t at);

/* Whether two buffers overlap both in time and in memory (for checks). */
bool rt_plan_conflict(const struct rt_plan_buffer *a, const struct rt_plan_buffer *b);

#endif
