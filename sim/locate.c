/*
 * locate.c — which instruction of a block made a memory access, and where
 * the block's loads and stores go.
 *
 * Unicorn's MMIO and fault callbacks report the PC of the block's start,
 * not of the accessing instruction, while the registers are current.  When
 * a block is decoded, the memory operands of its loads and stores are kept
 * (locate_block); on an access, the one whose effective address, computed
 * from the current registers with mem_address(), covers the accessed
 * address is the accessor.  When several match (two reads of DWT CYCCNT
 * in one block), accesses are matched in program order after the previous
 * one located in the same execution of the block.  This is exact for the
 * code compilers emit; a pathological block that rewrites a base register
 * between two candidate accesses could be matched to the earlier one.
 */
#include "sim_internal.h"

#include <stdlib.h>
#include <string.h>

/* One load or store of a block. */
struct mem_op {
    uint16_t insn;         /* instruction index in the block */
    uint16_t clobbered;    /* core registers written since the previous memory op */
    uint16_t written;      /* core registers this instruction writes */
    bool is_store;
    struct mem_operand mem;
};

struct mem_ops {
    int n;
    struct mem_op op[];
};

int locate_block(struct sim_block *b, const struct insn_facts *facts, size_t n)
{
    size_t n_ops = 0;
    for (size_t i = 0; i < n; i++)
        n_ops += facts[i].mem.base >= 0 || facts[i].mem.list;
    b->mem_ops = NULL;
    if (!n_ops)
        return 0;
    struct mem_ops *ops = malloc(sizeof *ops + n_ops * sizeof ops->op[0]);
    if (!ops)
        return -1;
    ops->n = 0;
    uint16_t clobbered = 0;
    for (size_t i = 0; i < n; i++) {
        const struct insn_facts *f = &facts[i];
        if (f->mem.base < 0 && !f->mem.list) {
            clobbered |= f->regs_written;
            continue;
        }
        ops->op[ops->n++] = (struct mem_op){
            .insn = (uint16_t)i, .clobbered = clobbered, .written = f->regs_written,
            .is_store = f->is_store, .mem = f->mem,
        };
        clobbered = 0;
    }
    b->mem_ops = ops;
    return 0;
}

/* Register r as the instruction at insn_addr reads it now. */
static uint32_t reg_now(struct sim *s, int r, uint32_t insn_addr)
{
    return r == REG_PC ? mem_pc_value(insn_addr) : sim_reg(s, r);
}

static bool covers(struct sim *s, struct sim_block *b, const struct mem_op *op, uint32_t addr)
{
    const struct mem_operand *m = &op->mem;
    if (m->base < 0)
        return false;
    uint32_t insn_addr = b->insn_addr[op->insn];
    uint32_t index = m->index >= 0 ? reg_now(s, m->index, insn_addr) : 0;
    uint32_t lo = mem_address(m, reg_now(s, m->base, insn_addr), index);
    return addr - lo < m->bytes;
}

int locate_access(struct sim *s, struct sim_block *b, uint32_t addr, bool write)
{
    (void)write;
    struct mem_ops *ops = b->mem_ops;
    int fallback = -1;
    for (int i = 0; ops && i < ops->n; i++) {
        const struct mem_op *op = &ops->op[i];
        if ((int)op->insn <= s->cur_last_access)
            continue;
        if (fallback < 0)
            fallback = op->insn;
        if (covers(s, b, op, addr)) {
            s->cur_last_access = op->insn;
            return op->insn;
        }
    }
    if (fallback >= 0)
        s->cur_last_access = fallback;
    return fallback;
}

bool locate_insn_access(struct sim *s, const struct sim_block *b, uint32_t index, uint32_t *addr, uint32_t *bytes,
                        bool *write)
{
    const struct mem_ops *ops = b->mem_ops;
    int lo = 0, hi = ops ? ops->n - 1 : -1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        const struct mem_op *op = &ops->op[mid];
        if (op->insn < index) {
            lo = mid + 1;
        } else if (op->insn > index) {
            hi = mid - 1;
        } else {
            const struct mem_operand *m = &op->mem;
            if (m->base < 0 || !m->bytes)
                return false;
            uint32_t insn_addr = b->insn_addr[index];
            uint32_t index_value = m->index >= 0 ? reg_now(s, m->index, insn_addr) : 0;
            *addr = mem_address(m, reg_now(s, m->base, insn_addr), index_value);
            *bytes = m->bytes;
            *write = op->is_store;
            return true;
        }
    }
    return false;
}

void locate_free(struct sim_block *b)
{
    free(b->mem_ops);
    b->mem_ops = NULL;
}

static uint8_t region_kind(const struct sim *s, uint32_t addr, bool store)
{
    const struct board_region *r = board_region_of(&s->board, addr);
    if (r && r->kind == REGION_FLASH)
        return store ? ACCESS_FLASH_STORE : ACCESS_FLASH_LOAD;
    if (r && r->kind == REGION_RAM)
        return store ? ACCESS_RAM_STORE : ACCESS_RAM_LOAD;
    return store ? ACCESS_OTHER_STORE : ACCESS_OTHER_LOAD;
}

int sim_classify_accesses(struct sim *s, struct sim_block *b, uint8_t *out)
{
    const struct mem_ops *ops = b->mem_ops;
    memset(out, ACCESS_NONE, b->n_insns);
    uint32_t regs[16];
    for (int r = 0; r < 15; r++)
        regs[r] = sim_reg(s, r);
    uint16_t known = 0x7FFF; /* registers whose current value is known */
    for (int i = 0; ops && i < ops->n; i++) {
        const struct mem_op *op = &ops->op[i];
        const struct mem_operand *m = &op->mem;
        known &= (uint16_t)~op->clobbered;
        regs[15] = mem_pc_value(b->insn_addr[op->insn]);
        known |= 1u << 15;
        uint16_t wb_reg = 0;
        bool base_known = m->base >= 0 && (known >> m->base & 1);
        bool index_known = m->index < 0 || (known >> m->index & 1);
        if (base_known && index_known) {
            uint32_t base = regs[m->base];
            uint32_t addr = mem_address(m, base, m->index >= 0 ? regs[m->index] : 0);
            out[op->insn] = region_kind(s, addr, op->is_store);
            if (m->writeback && m->index < 0) {
                regs[m->base] = base + (uint32_t)mem_writeback_step(m);
                wb_reg = (uint16_t)(1u << m->base);
            }
        } else {
            /* The address came from a value produced in this block
             * (pointer chasing): data lives in RAM far more often. */
            out[op->insn] = op->is_store ? ACCESS_RAM_STORE : ACCESS_RAM_LOAD;
        }
        known &= (uint16_t)~(op->written & ~wb_reg);
    }
    return 0;
}
