/*
 * timing.h — the cycle model: what each basic block costs on a given core.
 *
 * Costs are decided once per block when it is first seen (Capstone decodes
 * it) and cached in struct sim_block.  The few instructions whose cost
 * depends on run-time values (divides, conditional instructions in IT
 * blocks that are not plain 1-cycle ops) become dynamic sites: the
 * simulator hooks exactly those instructions and asks timing_dyn_cost().
 * A taken branch's pipeline refill is a property of its target, so it is
 * stored on the target block (sim_block.refill) and added when the branch
 * is seen to be taken.  Flash wait states and caches are applied per block
 * fetch by timing_fetch() when the board describes them.
 *
 * The rules and their sources are in docs/cycle-model.md.
 */
#ifndef MCUSIM_TIMING_H
#define MCUSIM_TIMING_H

#include <capstone/capstone.h>
#include <stdbool.h>
#include <stdint.h>

#include "board.h"

struct sim_block;

enum timing_dyn_kind {
    DYN_NONE,
    DYN_SDIV,       /* cost from the operand magnitudes */
    DYN_UDIV,
    DYN_EXECUTED,   /* conditional in an IT block: extra cost when executed */
};

/* A dynamic site found while decoding a block. */
struct timing_dyn {
    uint32_t addr;
    uint8_t kind;
    uint8_t rn, rm;       /* operand register numbers 0-15 (divides) */
    uint8_t extra;        /* DYN_EXECUTED: cycles added when it executes */
};

struct timing;

struct timing *timing_create(const struct board *b);
void timing_destroy(struct timing *t);
const char *timing_name(const struct timing *t);

/* Fills the block's static description from its instructions, decoded by
 * Capstone handle cs with detail on.  Dynamic sites go to dyn[] (at most
 * max_dyn); returns their number, or -1 when out of memory. */
int timing_block(struct timing *t, csh cs, const cs_insn *insn, size_t n, struct sim_block *b,
                 struct timing_dyn *dyn, int max_dyn);

/* Cycles of a dynamic site given its operand values. */
uint32_t timing_dyn_cost(const struct timing *t, const struct timing_dyn *site, uint32_t rn_value,
                         uint32_t rm_value);

/* True when block fetches have a run-time cost (a cache to simulate). */
bool timing_has_fetch_model(const struct timing *t);

/* Extra cycles to fetch the block now (cache misses), updating the cache. */
uint32_t timing_fetch(struct timing *t, const struct sim_block *b);

/* Exception entry and return costs, with and without an FP context. */
uint32_t timing_exception_entry(const struct timing *t, bool fp_context);
uint32_t timing_exception_return(const struct timing *t, bool fp_context);

#endif /* MCUSIM_TIMING_H */
