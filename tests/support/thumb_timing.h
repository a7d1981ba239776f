/*
 * thumb_timing.h — times hand-assembled Thumb code the way mcusim does,
 * without the engine or the cross compiler: bytes -> the decoder ->
 * the core's timing table -> cycles.  For tests of the cycle model's
 * per-core tables, so that a new core's table can be written test-first.
 *
 * The simulated board has zero wait states (unless the caller gives its
 * own memory timing) and RAM at 0x20000000, where code timed here should
 * sit so that no flash timing applies.
 */
#ifndef MCUSIM_THUMB_TIMING_H
#define MCUSIM_THUMB_TIMING_H

#include <stddef.h>
#include <stdint.h>

#include "board.h"
#include "timing.h"

#define THUMB_RAM 0x20000000u
#define THUMB_MAX_INSNS 32
#define THUMB_MAX_DYN 8

/* One block as the cycle model sees it. */
struct timed_block {
    int n_insns;
    unsigned ids[THUMB_MAX_INSNS];  /* Capstone instruction ids, to check the encodings */
    uint32_t cycles;                /* static cycles, falling through */
    uint32_t prefix[THUMB_MAX_INSNS + 1]; /* static cycles before instruction i */
    uint32_t taken;                 /* extra cycles of a taken final branch, beyond the refill */
    uint32_t refill;                /* charged when a taken branch lands on this block */
    int end;                        /* enum block_end */
    int n_dyn;                      /* instructions timed at run time */
    struct timing_dyn dyn[THUMB_MAX_DYN];
};

struct thumb_timer;

/* A timer for a core variant named as in board files ("cortex-m4f");
 * bt: the board's memory timing, NULL for zero wait states.  NULL when
 * the core is unknown or out of memory. */
struct thumb_timer *thumb_timer_open(const char *core, const struct board_timing *bt);
void thumb_timer_close(struct thumb_timer *t);

/* Times n halfwords of code at addr as one basic block: hw[] in program
 * order, a 32-bit instruction as its two halfwords, first halfword first
 * (the order the Arm ARM writes them).  Returns 0, or -1 when the code
 * does not decode completely or does not fit struct timed_block. */
int thumb_time(struct thumb_timer *t, uint32_t addr, const uint16_t *hw, size_t n, struct timed_block *out);

/* Cycles a dynamic site adds when it executes with these operand values. */
uint32_t thumb_dyn_cost(const struct thumb_timer *t, const struct timing_dyn *site, uint32_t rn, uint32_t rm);

/* Exception entry and return costs. */
uint32_t thumb_exception_entry(const struct thumb_timer *t, bool fp_context);
uint32_t thumb_exception_return(const struct thumb_timer *t, bool fp_context);

#endif
