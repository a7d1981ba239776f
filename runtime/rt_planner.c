/*
 * rt_planner.c — the greedy-by-size arena planner (see rt_planner.h).
 * Quadratic in the buffer count, which is the tensor count of one model
 * (tens to a few hundred): simple beats clever here.
 */
#include "rt_planner.h"

static bool lifetimes_overlap(const struct rt_plan_buffer *a, const struct rt_plan_buffer *b)
{
    return a->first_use <= b->last_use && b->first_use <= a->last_use;
}

bool rt_plan_conflict(const struct rt_plan_buffer *a, const struct rt_plan_buffer *b)
{
    if (a->bytes == 0 || b->bytes == 0 || !lifetimes_overlap(a, b))
        return false;
    uint64_t a_end = (uint64_t)a->offset + a->bytes, b_end = (uint64_t)b->offset + b->bytes;
    return a->offset < b_end && b->offset < a_end;
}

/* Larger first; among equals, the one needed earlier, then by index, so
 * the plan is deterministic. */
static bool goes_before(const struct rt_plan_buffer *buffers, uint32_t a, uint32_t b)
{
    if (buffers[a].bytes != buffers[b].bytes)
        return buffers[a].bytes > buffers[b].bytes;
    if (buffers[a].first_use != buffers[b].first_use)
        return buffers[a].first_use < buffers[b].first_use;
    return a < b;
}

void rt_plan_greedy(struct rt_plan_buffer *buffers, uint32_t n, uint32_t *order, uint32_t align,
                    uint32_t *total)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t j = i;
        while (j > 0 && goes_before(buffers, i, order[j - 1])) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }

    uint64_t high_water = 0;
    for (uint32_t k = 0; k < n; k++) {
        struct rt_plan_buffer *b = &buffers[order[k]];
        uint64_t offset = 0;
        if (b->bytes == 0) {
            b->offset = 0;
            continue;
        }
        /* Move past every placed, simultaneously live buffer that collides;
         * offsets only grow, so this ends after at most k moves per pass. */
        bool moved = true;
        while (moved) {
            moved = false;
            for (uint32_t p = 0; p < k; p++) {
                const struct rt_plan_buffer *placed = &buffers[order[p]];
                if (placed->bytes == 0 || !lifetimes_overlap(b, placed))
                    continue;
                uint64_t placed_end = (uint64_t)placed->offset + placed->bytes;
                if (offset < placed_end && placed->offset < offset + b->bytes) {
                    offset = (placed_end + align - 1) & ~(uint64_t)(align - 1);
                    moved = true;
                }
            }
        }
        b->offset = (uint32_t)offset;
        if (offset + b->bytes > high_water)
            high_water = offset + b->bytes;
    }
    *total = high_water > UINT32_MAX ? UINT32_MAX : (uint32_t)high_water;
}

uint32_t rt_plan_live_bytes(const struct rt_plan_buffer *buffers, uint32_t n, int32_t at)
{
    uint64_t sum = 0;
    for (uint32_t i = 0; i < n; i++)
        if (buffers[i].first_use <= at && at <= buffers[i].last_use)
            sum += buffers[i].bytes;
    return sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
}
