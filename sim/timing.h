/*
 * timing.h — the cycle model: what each basic block costs on a given core.
 *
 * Costs are decided once per block when it is first seen (from the
 * decoder's records, decoder.h) and cached in struct sim_block.  The few
 * instructions whose cost depends on run-time values that the block's
 * start cannot tell (divides; conditional instructions in IT blocks that
 * cost more than their one skipped cycle; a word or halfword access whose
 * address is computed inside the block or that an IT block may skip, and
 * so may or may not be unaligned) become dynamic sites: the simulator
 * hooks exactly those instructions and asks timing_dyn_cost().  A taken branch's pipeline refill is a property
 * of its target, so it is stored on the target block (sim_block.refill)
 * and added when the branch is seen to be taken.  Flash wait states,
 * caches, flash data reads and the penalty of unaligned accesses whose
 * address follows from the registers at the block's start are applied
 * once per block execution by timing_block_run() for the blocks that need
 * it (sim_block.mem_timing).
 *
 * The rules and their sources are in docs/cycle-model.md.
 */
#ifndef MCUSIM_TIMING_H
#define MCUSIM_TIMING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unicorn/unicorn.h>

#include "board.h"
#include "decoder.h"

struct insn_facts;
struct sim_block;

enum timing_dyn_kind {
    DYN_NONE,
    DYN_SDIV,       /* cost from the operand magnitudes */
    DYN_UDIV,
    DYN_EXECUTED,   /* conditional in an IT block: extra cost when executed */
    DYN_ALIGN,      /* word/halfword access: the unaligned penalty of its address,
                     * plus `extra` (as DYN_EXECUTED) */
};

/* A dynamic site found while decoding a block. */
struct timing_dyn {
    uint32_t addr;
    uint8_t kind;
    uint8_t rn, rm;       /* divides: operand register numbers 0-14 */
    uint8_t extra;        /* DYN_EXECUTED, DYN_ALIGN: cycles added when it executes;
                           * divides: cycles already charged statically */
    struct mem_operand mem; /* DYN_ALIGN: the access (base and index registers
                             * are read when it executes) */
};

struct timing;

struct timing *timing_create(const struct board *b);
void timing_destroy(struct timing *t);

/* The memory timing changes at run time (firmware set flash wait states
 * or turned a cache on or off): the caches restart empty with the new
 * configuration; blocks timed before must be timed again (blocks.c).
 * Returns -1 when out of memory, with the old configuration kept. */
int timing_reconfigure(struct timing *t, const struct board_timing *bt);

/* Fills the block's static description from its n decoded instructions
 * (a dual-issue model marks facts[i].dual_issued).  Dynamic sites go to
 * dyn[] (at most max_dyn); returns their number, or -1 when out of
 * memory. */
int timing_block(struct timing *t, struct insn_facts *facts, size_t n, struct sim_block *b,
                 struct timing_dyn *dyn, int max_dyn);

/* Frees what timing_block() attached to the block. */
void timing_block_free(struct sim_block *b);

/* Cycles of a dynamic site given its operand values: for divides the
 * dividend and divisor, for DYN_ALIGN the values of mem.base and
 * mem.index (0 when there is none). */
uint32_t timing_dyn_cost(const struct timing *t, const struct timing_dyn *site, uint32_t rn_value,
                         uint32_t rm_value);

/* Memory cycles of one execution of a block that has sim_block.mem_timing:
 * instruction cache misses, flash data reads (through the data cache when
 * there is one), unaligned accesses.  Registers are read from uc when the
 * block loads through registers that may point into flash or accesses
 * words or halfwords through registers.  `repeat`: the block runs again
 * right after itself (a loop's back edge), so that registers it only
 * moves by multiples of 4 keep their alignment and need not be read. */
uint32_t timing_block_run(struct timing *t, uc_engine *uc, struct sim_block *b, bool repeat);

/* Cycles of the block's alignment checks that are made with the
 * registers at its exit (sim_block.exit_checks): accesses through a base
 * computed inside the block, computed back from what the base holds when
 * the block completes.  Called right after the block ran. */
uint32_t timing_block_exit(struct timing *t, uc_engine *uc, const struct sim_block *b);

/* Whether block b checks the alignment of its instruction at insn_addr
 * itself (at entry or exit): a dynamic site that another block containing
 * the same instruction asked for then adds nothing while b runs. */
bool timing_block_checks(const struct sim_block *b, uint32_t insn_addr);

/* Where the memory-timing epoch lives (the caller's hot data; it is set
 * to 1 here).  It changes whenever a cache fills a line.  A block with
 * has_mem_timing whose mem_epoch equals it costs exactly its mem_charge
 * (its code is resident and its flash reads are settled), so the caller
 * adds that instead of calling timing_block_run().  Blocks with run-time
 * alignment checks never settle: their mem_epoch stays 0. */
void timing_bind_epoch(struct timing *t, uint32_t *epoch);

/* Starts a new epoch, so that every block is evaluated again once: called
 * at a fixed cycle interval, it re-samples the registers of blocks that
 * were seen reading RAM only (docs/cycle-model.md, "Flash data reads"). */
void timing_tick(struct timing *t);

/* Exception entry and return costs, with and without an FP context. */
uint32_t timing_exception_entry(const struct timing *t, bool fp_context);
uint32_t timing_exception_return(const struct timing *t, bool fp_context);

#endif /* MCUSIM_TIMING_H */
