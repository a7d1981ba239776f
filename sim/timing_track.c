/*
 * timing_track.c — see timing_track.h.
 */
#include "timing_track.h"

#include <string.h>

void track_init(struct reg_track *rt)
{
    memset(rt, 0, sizeof *rt);
    for (int loc = 0; loc < TRACK_LOCS; loc++) {
        rt->known[loc] = loc != 15;
        rt->v[loc].src = (uint8_t)loc;
    }
}

/* Whether the word at (starting value of src) + off, or at address off
 * for src 15, can be read at the block's start: not when an earlier store
 * of the block may have written it.  *guard gets the earlier stores that
 * cannot be told apart from it now: they are compared when the block runs. */
static bool word_readable(const struct reg_track *rt, int src, int32_t off, uint64_t *guard)
{
    *guard = 0;
    if (src == 15)
        return true; /* a literal, in read-only memory */
    if (rt->wild_store)
        return false;
    for (int i = 0; i < rt->n_stores; i++) {
        const struct store_rec *st = &rt->stores[i];
        if (st->src != src)
            *guard |= 1ull << i;
        else if (off < st->lo + st->bytes && off + 4 > st->lo)
            return false;
    }
    return true;
}

/* Remembers where store f writes, for word_readable(). */
static void track_store(struct reg_track *rt, const struct insn_facts *f)
{
    const struct mem_operand *m = &f->mem;
    const struct track_value *base = track_value(rt, m->base);
    if (!base || base->loaded || m->index >= 0 || f->in_it || rt->n_stores == TRACK_STORES) {
        rt->wild_store = true;
        return;
    }
    rt->stores[rt->n_stores++] = (struct store_rec){
        .src = base->src, .bytes = m->bytes, .lo = base->delta + (int32_t)mem_address(m, 0, 0),
    };
}

/* The value a word load f gives its destination, if the tracker can say. */
static bool loaded_word(const struct reg_track *rt, const struct insn_facts *f, struct track_value *out)
{
    const struct mem_operand *m = &f->mem;
    if (f->lsu != LSU_LOAD || f->exclusive || m->bytes != 4 || f->in_it || m->index >= 0)
        return false;
    *out = (struct track_value){.loaded = true};
    if (m->base == REG_PC) {
        out->src = 15;
        out->off = (int32_t)mem_address(m, mem_pc_value(f->addr), 0);
        return true;
    }
    const struct track_value *base = track_value(rt, m->base);
    if (!base || base->loaded)
        return false;
    out->src = base->src;
    out->off = base->delta + (int32_t)mem_address(m, 0, 0);
    return word_readable(rt, out->src, out->off, &out->guard);
}

/* The one S register (0-31) in a set, or -1. */
static int single_s(uint32_t set)
{
    return set && !(set & (set - 1)) ? __builtin_ctz(set) : -1;
}

/* The one core register (0-14) in a set, or -1. */
static int single_core(uint16_t set)
{
    return set && !(set & (set - 1)) && !(set & (1u << 15)) ? __builtin_ctz(set) : -1;
}

void track_after(struct reg_track *rt, const struct insn_facts *f)
{
    const struct mem_operand *m = &f->mem;
    uint16_t written = f->regs_written;
    uint32_t fp_written = f->fp_written;

    /* A word loaded through a known address (decided before write-back
     * moves the base; the destination is the register other than it). */
    struct track_value word;
    int dest = single_core((uint16_t)(written & ~(m->writeback && m->base >= 0 ? 1u << m->base : 0u)));
    bool have_word = dest >= 0 && dest != m->base && loaded_word(rt, f, &word);

    if (f->is_store)
        track_store(rt, f);

    /* Write-back with an immediate step, not in an IT block (which may skip it). */
    if (f->lsu != LSU_NONE && m->writeback && m->base >= 0 && m->base < 15 && m->index < 0 && !f->in_it &&
        rt->known[m->base]) {
        rt->v[m->base].delta += mem_writeback_step(m);
        written &= (uint16_t)~(1u << m->base);
    }

    /* The destination's new value, when it follows from a known one. */
    int to = -1;
    struct track_value value;
    if (have_word) {
        to = dest;
        value = word;
    } else if (!f->in_it) {
        bool add = f->id == ARM_INS_ADD || f->id == ARM_INS_ADDW;
        bool sub = f->id == ARM_INS_SUB || f->id == ARM_INS_SUBW;
        bool mov = f->id == ARM_INS_MOV && f->rm >= 0 && !f->rm_shifted && !f->has_imm;
        int from = -1;
        int32_t step = 0;
        if ((add || sub) && f->has_imm && f->rd >= 0 && f->rd < 15 && f->rn >= 0 && f->rn < 15) {
            to = f->rd;
            from = f->rn;
            step = sub ? -f->imm : f->imm;
        } else if (mov && f->rd >= 0 && f->rd < 15 && f->rm < 15) {
            to = f->rd;
            from = f->rm;
        } else if (f->id == ARM_INS_VMOV) {
            /* VMOV Rd, Sn and VMOV Sn, Rm: the m4f code parks values in S registers. */
            int core_w = single_core(written), s_r = single_s(f->fp_read);
            int s_w = single_s(fp_written), core_r = single_core(f->regs_read);
            if (core_w >= 0 && s_r >= 0 && !fp_written) {
                to = core_w;
                from = TRACK_S0 + s_r;
            } else if (s_w >= 0 && core_r >= 0 && !written) {
                to = TRACK_S0 + s_w;
                from = core_r;
            }
        }
        if (from >= 0 && rt->known[from]) {
            value = rt->v[from];
            value.delta += step;
        } else {
            to = -1;
        }
    }

    for (int r = 0; r < 16; r++)
        if (written & (1u << r))
            rt->known[r] = false;
    for (int s = 0; s < 32; s++)
        if (fp_written & (1u << s))
            rt->known[TRACK_S0 + s] = false;
    if (to >= 0) {
        rt->known[to] = true;
        rt->v[to] = value;
    }
}
