/*
 * memwatch.h — peak RAM measured in the simulated memory.
 *
 * Before the firmware starts, the stack and the tensor arena are painted
 * with an address-dependent 32-bit pattern that repeats every 4 KB (a
 * firmware store matches it by chance with probability 2^-32 per word).
 * The period lets a scan compare whole 4 KB blocks against one table with
 * memcmp, so that untouched memory (most of a large arena) costs a memory
 * compare and not a hash per word.  At layer boundaries the
 * profiler scans: the stack's lowest changed byte is its deepest point
 * since the last repaint, and the arena's footprint is its capacity minus
 * the largest run it never touched (the runtime plans activations from the
 * bottom and keeps its tables at the top).  Byte resolution at the edges.
 * Regions come from the image's linker symbols (__stack_limit/__stack_top,
 * __arena_start/__arena_end); firmware without them gets the stack from
 * the board (top of RAM, [board] stack bytes) and no arena.
 */
#ifndef MCUSIM_MEMWATCH_H
#define MCUSIM_MEMWATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "sim.h"

enum { MEMWATCH_PERIOD = 4096 };   /* bytes after which the paint repeats */

struct memwatch {
    uint32_t stack_lo, stack_hi;
    uint32_t arena_lo, arena_hi;   /* arena_hi == arena_lo: no arena */
    /* The paint of one period, twice: a window of up to one period that
     * starts at any word of it is contiguous here. */
    uint32_t paint[2 * MEMWATCH_PERIOD / 4];
};

/* Finds the regions and paints them; returns 0 or -1 (not in RAM). */
int memwatch_init(struct memwatch *m, struct sim *s);

/* Lowest stack address written since the last paint (stack_hi if none). */
uint32_t memwatch_stack_low(const struct memwatch *m, struct sim *s);

/* Repaints the stack below `below` (free memory at this instant). */
void memwatch_repaint_stack(const struct memwatch *m, struct sim *s, uint32_t below);

/* Bytes of the arena in use: capacity minus its largest untouched run. */
uint32_t memwatch_arena_used(const struct memwatch *m, struct sim *s);

#endif
