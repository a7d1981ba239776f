/*
 * timing_track.h — what a basic block's instructions do to its registers,
 * so that the cycle model can compute the addresses of its loads and
 * stores from the registers sampled once at the block's entry (or exit)
 * instead of hooking every access.
 *
 * Walking a block's decoded instructions (decoder.h) from a starting point
 * (its entry, or an access to be checked at its exit), the tracker knows a
 * register when its value is a starting value moved by a known step:
 *   - a core register or an FP register S0-S31 as it was at the start,
 *     followed through pointer walks by write-back, ADD/SUB Rd, Rn, #imm,
 *     MOV Rd, Rm and VMOV between core and FP registers (the m4f code of
 *     pqm4 parks pointers in S registers);
 *   - or the word loaded from an address known that way (a pointer
 *     reloaded from a stack slot or read from a structure, or a literal),
 *     plus a step.  The word is read when the block starts, so it must be
 *     one that no earlier store of the block wrote: the tracker remembers
 *     the stores whose addresses it knows and gives up after one it does
 *     not (store_rec; those it cannot tell apart from the word when the
 *     block is decoded are compared with it when the block runs).
 * Anything else a register receives makes it unknown.  Used by timing.c.
 */
#ifndef MCUSIM_TIMING_TRACK_H
#define MCUSIM_TIMING_TRACK_H

#include <stdbool.h>
#include <stdint.h>

#include "decoder.h"

/* Locations: core registers 0-14 (PC is never tracked), S0-S31 as 16-47. */
#define TRACK_LOCS 48
#define TRACK_S0 16
#define TRACK_STORES 64

/* A store whose address the tracker knows: it writes bytes bytes at the
 * starting value of location src plus lo. */
struct store_rec {
    uint8_t src;
    uint16_t bytes;
    int32_t lo;
};

/* A tracked value: src's starting value + delta, or, when loaded, the
 * word at (src's starting value + off) + delta; src 15 with loaded: the
 * word at address off (a literal).  guard: the stores (bits of the
 * tracker's stores[]) that must not overlap that word when the block runs
 * for the value to be the word read at the block's start. */
struct track_value {
    uint8_t src;
    bool loaded;
    int32_t off, delta;
    uint64_t guard;
};

struct reg_track {
    bool known[TRACK_LOCS];
    struct track_value v[TRACK_LOCS];
    bool wild_store;           /* a store at an unknown address came earlier */
    uint8_t n_stores;
    struct store_rec stores[TRACK_STORES];
};

/* Every location holds its starting value. */
void track_init(struct reg_track *rt);

/* Updates what is known after instruction f executes (an instruction an
 * IT block may skip makes what it writes unknown). */
void track_after(struct reg_track *rt, const struct insn_facts *f);

/* The value of core register r (0-14) now, if known. */
static inline const struct track_value *track_value(const struct reg_track *rt, int r)
{
    return r >= 0 && r < 15 && rt->known[r] ? &rt->v[r] : 0;
}

/* Whether core register r still holds its own starting value plus a step
 * (no reloaded word, no copy of another register). */
static inline bool track_self(const struct reg_track *rt, int r)
{
    const struct track_value *v = track_value(rt, r);
    return v && !v->loaded && v->src == r;
}

#endif /* MCUSIM_TIMING_TRACK_H */
