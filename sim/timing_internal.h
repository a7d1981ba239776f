/*
 * timing_internal.h — shared by timing.c (block assembly, memory timing)
 * and the per-core tables in timing_m0plus.c, timing_m4.c and
 * timing_m7.c.
 *
 * The per-core tables see one decoded instruction (struct insn_facts,
 * decoder.h) at a time together with the one before it in the same block
 * (`prev`, NULL at a block start): every rule the Technical Reference
 * Manuals state about neighbouring instructions (load pipelining, address
 * dependencies, IT folding, FP result hazards, dual issue) is decided from
 * that pair, once per translated block.
 */
#ifndef MCUSIM_TIMING_INTERNAL_H
#define MCUSIM_TIMING_INTERNAL_H

#include "decoder.h"
#include "sim.h"
#include "timing.h"

/* One core's timing table (timing_m4.c: timing_core_m4, ...), named by
 * the core's row in cores.def. */
struct timing_core {
    /* Cycles of one instruction given the one before it in the block
     * (NULL at block start).  May declare a dynamic site. */
    unsigned (*cost)(const struct timing *t, struct insn_facts *f,
                     const struct insn_facts *prev, struct timing_dyn *dyn);
    /* Pipeline refill P charged when a taken branch lands on f. */
    unsigned (*refill)(const struct timing *t, const struct insn_facts *f);
    /* Extra cycles of the block's last instruction when its branch is
     * taken, beyond P (e.g. nothing on the M4: Table 3-1 is 1+P). */
    unsigned (*taken)(const struct timing *t, const struct insn_facts *last);
    /* SDIV/UDIV cycles from the operand values. */
    unsigned (*div_cycles)(const struct timing *t, bool is_signed, uint32_t rn, uint32_t rm);
    /* Extra cycles of a word (bytes 4) or halfword (2) load or store at
     * addr; NULL for a core on which unaligned accesses fault (ARMv6-M)
     * or whose model does not charge them. */
    unsigned (*unaligned)(uint32_t addr, unsigned bytes);
    /* Only loads pay unaligned(): the core's stores go through a store
     * buffer that absorbs the split. */
    bool unaligned_loads_only;
    /* Runs of 32-bit instructions at halfword (not word) addresses fetched
     * from flash: a run of at least this many costs one cycle more (one
     * more instruction when all are single stores); 0: not charged. */
    unsigned unaligned_wide_run;
    unsigned exc_entry, exc_entry_fp, exc_return, exc_return_fp;
};

/* A set-associative cache with round-robin (FIFO) replacement.  Hits do
 * not change its state, which is what lets a block that was fully
 * resident at its last execution skip the lookups while nothing has been
 * evicted since (struct block_mem.epoch). */
struct cache {
    uint32_t sets, ways, line_shift;
    uint32_t set_mask;        /* sets - 1 when sets is a power of two, else UINT32_MAX */
    uint32_t *tags;           /* sets*ways, 0 = invalid (tags store line+1) */
    uint8_t *victim;          /* next way to replace, per set */
    uint8_t *last_hit;        /* way that hit last, per set (lookup order only) */
    uint32_t miss_cycles;
    uint64_t fills;           /* lines filled so far */
    uint32_t *epoch;          /* struct timing.epoch: every fill starts a new one */
};

struct timing {
    const struct timing_core *core;
    struct board_timing bt;
    uint32_t flash_base, flash_size;
    struct cache ic;          /* instruction cache in front of flash (ways 0: none) */
    struct cache dc;          /* data cache in front of flash (ways 0: none) */
    bool unified;             /* data reads from flash go through ic (one cache) */
    uint32_t own_epoch;       /* the epoch until timing_bind_epoch() moves it */
    uint32_t *epoch;          /* changes with every cache fill; never 0 */
    uint32_t flash_line_shift; /* log2(flash_line_bytes), a power of two (board.c) */
    /* core->unaligned for a halfword [0] and a word [1] at each address
     * mod 4: a table lookup where the blocks' checks run. */
    uint8_t unaligned_pen[2][4];
};

/* An early-terminating divider, 2 to 12 cycles (timing.c): Arm publishes
 * no algorithm; this one stops at once when the quotient is 0 (or the
 * divisor is) and otherwise retires 3 quotient bits per cycle after one
 * set-up cycle, which spans exactly 2..12. */
unsigned timing_div_early_termination(bool is_signed, uint32_t rn, uint32_t rm);


static inline bool timing_in_flash(const struct timing *t, uint32_t addr)
{
    return addr - t->flash_base < t->flash_size;
}

/* The operand registers of SDIV/UDIV as 0-14, for the dynamic site. */
void timing_div_operands(const struct insn_facts *f, struct timing_dyn *dyn);

#endif /* MCUSIM_TIMING_INTERNAL_H */
