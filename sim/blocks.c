/*
 * blocks.c — the cache of decoded basic blocks.
 *
 * Unicorn reports each translated block by address and size; the first
 * time a block is seen it is decoded once (decoder.c), timed by the cycle
 * model and its memory operands are kept for the access locator
 * (locate.c), all for the rest of the run.  The hot path is one hash probe
 * per executed block.  Instructions whose cost depends on run-time values
 * get a per-instruction hook here (see timing.h).
 */
#include "sim_internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DYN_PER_BLOCK 64

static inline uint32_t slot_of(uint32_t addr, uint32_t size, uint32_t mask)
{
    return ((addr >> 1) * 2654435761u ^ size * 40503u) & mask;
}

int blocks_init(struct block_cache *c)
{
    c->mask = 4096 - 1;
    c->count = 0;
    c->slots = calloc(c->mask + 1, sizeof *c->slots);
    return c->slots ? 0 : -1;
}

static void block_free(struct sim_block *b)
{
    locate_free(b);
    timing_block_free(b);
    free(b->insn_addr);
    free(b->insn_class);
    free(b->prefix_cycles);
    free(b);
}

void blocks_free(struct block_cache *c)
{
    if (!c->slots)
        return;
    for (uint32_t i = 0; i <= c->mask; i++)
        if (c->slots[i].block)
            block_free(c->slots[i].block);
    free(c->slots);
    c->slots = NULL;
}

static int grow(struct block_cache *c)
{
    uint32_t new_mask = c->mask * 2 + 1;
    struct block_slot *slots = calloc(new_mask + 1, sizeof *slots);
    if (!slots)
        return -1;
    for (uint32_t i = 0; i <= c->mask; i++) {
        if (!c->slots[i].block)
            continue;
        uint32_t j = slot_of(c->slots[i].addr, c->slots[i].size, new_mask);
        while (slots[j].block)
            j = (j + 1) & new_mask;
        slots[j] = c->slots[i];
    }
    free(c->slots);
    c->slots = slots;
    c->mask = new_mask;
    return 0;
}

static void on_dynamic_insn(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    struct dyn_site *d = user;
    struct sim *s = d->sim;
    (void)address;
    (void)size;
    /* A debugger that stops the engine on this instruction makes Unicorn
     * call its hooks again when it resumes: one charge per execution. */
    if (d->charged_at == s->insns)
        return;
    d->charged_at = s->insns;
    uint32_t rn = 0, rm = 0;
    /* A divide's operands are among r0-r12, SP and LR; so are an access's
     * base and index when its alignment is checked here. */
    if (d->site.kind == DYN_SDIV || d->site.kind == DYN_UDIV) {
        uc_reg_read(uc, core_reg_uc_ids[d->site.rn < 15 ? d->site.rn : 0], &rn);
        uc_reg_read(uc, core_reg_uc_ids[d->site.rm < 15 ? d->site.rm : 0], &rm);
    } else if (d->site.kind == DYN_ALIGN) {
        /* Another block holding the same instruction asked for this
         * site; the running one may check the access itself. */
        if (s->cur && timing_block_checks(s->cur, d->site.addr)) {
            s->cur_dyn += d->site.extra;
            return;
        }
        uc_reg_read(uc, core_reg_uc_ids[d->site.mem.base & 15], &rn);
        if (d->site.mem.index >= 0)
            uc_reg_read(uc, core_reg_uc_ids[d->site.mem.index & 15], &rm);
    }
    s->cur_dyn += timing_dyn_cost(s->timing, &d->site, rn, rm);
}

/* Registers hooks for new dynamic sites; returns how many were added. */
static int add_dynamic_sites(struct sim *s, const struct timing_dyn *dyn, int n)
{
    int added = 0;
    for (int i = 0; i < n; i++) {
        bool known = false;
        for (int j = 0; j < s->n_dyn && !known; j++)
            known = s->dyn[j]->site.addr == dyn[i].addr;
        if (known)
            continue;
        if (s->n_dyn == s->cap_dyn) {
            int cap = s->cap_dyn ? s->cap_dyn * 2 : 16;
            struct dyn_site **grown = realloc(s->dyn, cap * sizeof *grown);
            if (!grown)
                return -1;
            s->dyn = grown;
            s->cap_dyn = cap;
        }
        struct dyn_site *d = calloc(1, sizeof *d);
        if (!d)
            return -1;
        d->sim = s;
        d->site = dyn[i];
        d->charged_at = UINT64_MAX;
        s->dyn[s->n_dyn++] = d;
        /* Unicorn compiles a code hook only into instructions inside its
         * range, so the rest of the program runs unhooked. */
        if (uc_hook_add(s->uc, &d->hook, UC_HOOK_CODE, (void *)on_dynamic_insn, d, d->site.addr,
                        d->site.addr))
            return -1;
        added++;
    }
    return added;
}

static struct sim_block *decode(struct sim *s, uint32_t addr, uint32_t size, bool *restart)
{
    struct sim_block *b = calloc(1, sizeof *b);
    /* Thumb instructions are 2 or 4 bytes long. */
    size_t max = size / 2 ? size / 2 : 1;
    struct insn_facts *facts = malloc(max * sizeof *facts);
    if (!b || !facts) {
        free(b);
        free(facts);
        return NULL;
    }
    b->addr = addr;
    b->size = size;
    /* An observer that looks at blocks before they run sees new ones first. */
    b->sample = s->has_obs && s->obs.block_start;
    const uint8_t *code = sim_host_ptr(s, addr, size);
    size_t n = code ? decoder_block(s->decoder, code, size, addr, facts, max) : 0;
    struct timing_dyn dyn[MAX_DYN_PER_BLOCK];
    int n_dyn = timing_block(s->timing, facts, n, b, dyn, MAX_DYN_PER_BLOCK);
    if (n == 1 && facts[0].id == ARM_INS_B && facts[0].has_target && !facts[0].conditional &&
        facts[0].target == addr)
        b->self_loop = 1;
    /* Blocks that move SP (PUSH/POP, arithmetic on SP, MOV to SP, SP
     * written back) get it checked against the stack limit once they
     * complete (sim.c). */
    for (size_t i = 0; i < n && i < 0xFFFF; i++)
        if (facts[i].regs_written & (1u << REG_SP))
            b->sp_write = (uint16_t)(i + 1);
    if (n_dyn >= 0 && locate_block(b, facts, n))
        n_dyn = -1;
    free(facts);
    if (n_dyn < 0) {
        block_free(b);
        return NULL;
    }
    if (n_dyn > 0) {
        int added = add_dynamic_sites(s, dyn, n_dyn);
        if (added < 0) {
            block_free(b);
            return NULL;
        }
        /* The block was translated before its sites were hooked: drop the
         * translation so the hooks are compiled in, and run it again. */
        if (added > 0) {
            uc_ctl_remove_cache(s->uc, addr, addr + size);
            *restart = true;
        }
    }
    return b;
}

bool blocks_overlap(const struct block_cache *c, uint32_t addr, uint32_t len)
{
    for (uint32_t i = 0; c->slots && i <= c->mask; i++) {
        const struct block_slot *slot = &c->slots[i];
        if (slot->block && addr < (uint64_t)slot->addr + slot->size && slot->addr < (uint64_t)addr + len)
            return true;
    }
    return false;
}

struct sim_block *blocks_lookup(struct sim *s, uint32_t addr, uint32_t size, bool *restart)
{
    struct block_cache *c = &s->blocks;
    uint32_t i = slot_of(addr, size, c->mask);
    for (;;) {
        struct block_slot *slot = &c->slots[i];
        if (__builtin_expect(slot->addr == addr && slot->size == size && slot->block, 1))
            return slot->block;
        if (!slot->block)
            break;
        i = (i + 1) & c->mask;
    }
    struct sim_block *b = decode(s, addr, size, restart);
    if (!b)
        return NULL;
    if ((c->count + 1) * 2 > c->mask + 1) {
        if (grow(c)) {
            block_free(b);
            return NULL;
        }
        i = slot_of(addr, size, c->mask);
        while (c->slots[i].block)
            i = (i + 1) & c->mask;
    }
    c->slots[i] = (struct block_slot){.addr = addr, .size = size, .block = b};
    c->count++;
    return b;
}

/* Every cached block timed again with the timing model as it is now
 * (after timing_reconfigure): the static costs, the refill of taken
 * branches onto it and its run-time memory timing change with the wait
 * states and caches; what the observer keeps on it and the successor
 * links stay. */
int blocks_retime(struct sim *s)
{
    struct block_cache *c = &s->blocks;
    for (uint32_t i = 0; i <= c->mask; i++) {
        struct sim_block *b = c->slots[i].block;
        if (!b)
            continue;
        size_t max = b->size / 2 ? b->size / 2 : 1;
        struct insn_facts *facts = malloc(max * sizeof *facts);
        struct sim_block *fresh = calloc(1, sizeof *fresh);
        if (!facts || !fresh) {
            free(facts);
            free(fresh);
            return -1;
        }
        fresh->addr = b->addr;
        fresh->size = b->size;
        const uint8_t *code = sim_host_ptr(s, b->addr, b->size);
        size_t n = code ? decoder_block(s->decoder, code, b->size, b->addr, facts, max) : 0;
        struct timing_dyn dyn[MAX_DYN_PER_BLOCK];
        int rc = timing_block(s->timing, facts, n, fresh, dyn, MAX_DYN_PER_BLOCK);
        free(facts);
        if (rc < 0) {
            timing_block_free(fresh);
            free(fresh->insn_addr);
            free(fresh->insn_class);
            free(fresh->prefix_cycles);
            free(fresh);
            return -1;
        }
        /* Dynamic sites depend on the core only: the hooks stay as they are. */
        timing_block_free(b);
        free(b->prefix_cycles);
        b->prefix_cycles = fresh->prefix_cycles;
        b->mem_timing = fresh->mem_timing;
        b->has_mem_timing = fresh->has_mem_timing;
        b->mem_epoch = 0;
        b->mem_charge = 0;
        b->cycles = fresh->cycles;
        b->taken_cycles = fresh->taken_cycles;
        b->refill = fresh->refill;
        free(fresh->insn_addr);
        free(fresh->insn_class);
        free(fresh);
    }
    return 0;
}
