/*
 * blocks.c — the cache of decoded basic blocks.
 *
 * Unicorn reports each translated block by address and size; the first
 * time a block is seen it is decoded with Capstone and timed by the cycle
 * model, and the result is kept for the rest of the run.  The hot path is
 * one hash probe per executed block.  Instructions whose cost depends on
 * run-time values get a per-instruction hook here (see timing.h).
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
    /* r0-r12, SP, LR: the registers a divide may take its operands from. */
    static const int ids[15] = {
        UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3, UC_ARM_REG_R4,
        UC_ARM_REG_R5, UC_ARM_REG_R6, UC_ARM_REG_R7, UC_ARM_REG_R8, UC_ARM_REG_R9,
        UC_ARM_REG_R10, UC_ARM_REG_R11, UC_ARM_REG_R12, UC_ARM_REG_SP, UC_ARM_REG_LR,
    };
    struct dyn_site *d = user;
    struct sim *s = d->sim;
    (void)address;
    (void)size;
    struct timing_dyn td = {.addr = d->addr, .kind = d->kind, .rn = d->rn, .rm = d->rm,
                            .extra = d->extra};
    uint32_t rn = 0, rm = 0;
    if (d->kind == DYN_SDIV || d->kind == DYN_UDIV) {
        uc_reg_read(uc, ids[d->rn < 15 ? d->rn : 0], &rn);
        uc_reg_read(uc, ids[d->rm < 15 ? d->rm : 0], &rm);
    }
    s->cur_dyn += timing_dyn_cost(s->timing, &td, rn, rm);
}

/* Registers hooks for new dynamic sites; returns how many were added. */
static int add_dynamic_sites(struct sim *s, const struct timing_dyn *dyn, int n)
{
    int added = 0;
    for (int i = 0; i < n; i++) {
        bool known = false;
        for (int j = 0; j < s->n_dyn && !known; j++)
            known = s->dyn[j]->addr == dyn[i].addr;
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
        d->addr = dyn[i].addr;
        d->kind = dyn[i].kind;
        d->rn = dyn[i].rn;
        d->rm = dyn[i].rm;
        d->extra = dyn[i].extra;
        s->dyn[s->n_dyn++] = d;
        /* Unicorn compiles a code hook only into instructions inside its
         * range, so the rest of the program runs unhooked. */
        if (uc_hook_add(s->uc, &d->hook, UC_HOOK_CODE, (void *)on_dynamic_insn, d, d->addr, d->addr))
            return -1;
        added++;
    }
    return added;
}

/* Whether an instruction moves SP: PUSH/POP, arithmetic on SP, MOV to SP,
 * or a load/store that writes its SP base back.  Such blocks get their SP
 * checked against the stack limit once they complete (sim.c). */
static bool writes_sp(csh cs, const cs_insn *in)
{
    const cs_arm *arm = &in->detail->arm;
    cs_regs rr, rw;
    uint8_t nr = 0, nw = 0;
    if (cs_regs_access(cs, in, rr, &nr, rw, &nw) == CS_ERR_OK)
        for (int k = 0; k < nw; k++)
            if (rw[k] == ARM_REG_SP)
                return true;
    for (int k = 0; k < arm->op_count; k++) {
        const cs_arm_op *op = &arm->operands[k];
        if (op->type == ARM_OP_REG && op->reg == ARM_REG_SP && (op->access & CS_AC_WRITE))
            return true;
        if (op->type == ARM_OP_MEM && op->mem.base == ARM_REG_SP && arm->writeback)
            return true;
    }
    return false;
}

static struct sim_block *decode(struct sim *s, uint32_t addr, uint32_t size, bool *restart)
{
    struct sim_block *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->addr = addr;
    b->size = size;
    /* An observer that looks at blocks before they run sees new ones first. */
    b->sample = s->has_obs && s->obs.block_start;
    const uint8_t *code = sim_host_ptr(s, addr, size);
    cs_insn *insn = NULL;
    size_t n = code ? cs_disasm(s->cs, code, size, addr, 0, &insn) : 0;
    struct timing_dyn dyn[MAX_DYN_PER_BLOCK];
    int n_dyn = timing_block(s->timing, s->cs, insn, n, b, dyn, MAX_DYN_PER_BLOCK);
    if (n == 1 && insn[0].id == ARM_INS_B && insn[0].detail->arm.op_count == 1 &&
        insn[0].detail->arm.operands[0].type == ARM_OP_IMM &&
        (uint32_t)insn[0].detail->arm.operands[0].imm == addr &&
        insn[0].detail->arm.cc == ARM_CC_AL)
        b->self_loop = 1;
    for (size_t i = 0; i < n && i < 0xFFFF; i++)
        if (writes_sp(s->cs, &insn[i]))
            b->sp_write = (uint16_t)(i + 1);
    if (insn)
        cs_free(insn, n);
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
