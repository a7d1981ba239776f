/*
 * locate.c — which instruction of a block made a memory access.
 *
 * Unicorn's MMIO and fault callbacks report the PC of the block's start,
 * not of the accessing instruction, while the registers are current.  The
 * block's memory instructions are decoded once (on the first such access)
 * and the one whose effective address, computed from the current
 * registers, covers the accessed address is the accessor.  When several
 * match (two reads of DWT CYCCNT in one block), accesses are matched in
 * program order after the previous one located in the same execution of
 * the block.  This is exact for the code compilers emit; a pathological
 * block that rewrites a base register between two candidate accesses could
 * be matched to the earlier one.
 */
#include "sim_internal.h"

#include <stdlib.h>
#include <string.h>

#include "arm_insn.h"

struct mem_op {
    uint16_t index;        /* instruction index in the block */
    int8_t base, index_reg;/* 0-15, -1 */
    uint8_t shift;
    uint8_t subtract;
    uint8_t bytes;         /* bytes transferred (lists: all of them) */
    uint8_t descending;    /* STMDB/PUSH: the range ends at the base */
    uint8_t post_indexed;  /* address is the base, offset applied after */
    uint8_t is_store;
    uint8_t writeback;     /* the base register is updated */
    int32_t disp;
    int32_t wb_delta;      /* base change by write-back, when an immediate */
};

struct mem_ops {
    int n;
    int n_insns;
    uint16_t *written;     /* per instruction: core registers written */
    struct mem_op op[];
};

/* Bytes one instruction transfers (list forms are sized by the caller). */
static unsigned access_bytes(const cs_insn *in)
{
    switch (in->id) {
    case ARM_INS_LDRD: case ARM_INS_STRD: case ARM_INS_VLDR: case ARM_INS_VSTR:
        return 8; /* VLDR of an S register reads 4: covered by the range */
    }
    return arm_insn_access_bytes(in->id);
}

static struct mem_ops *decode_ops(struct sim *s, struct sim_block *b)
{
    const uint8_t *code = sim_host_ptr(s, b->addr, b->size);
    cs_insn *insn = NULL;
    size_t n = code ? cs_disasm(s->cs, code, b->size, b->addr, 0, &insn) : 0;
    struct mem_ops *ops = calloc(1, sizeof *ops + (n ? n : 1) * sizeof ops->op[0]);
    if (ops)
        ops->written = calloc(n ? n : 1, sizeof *ops->written);
    if (!ops || !ops->written) {
        if (ops)
            free(ops);
        if (insn)
            cs_free(insn, n);
        return NULL;
    }
    ops->n_insns = (int)n;
    for (size_t i = 0; i < n; i++) {
        const cs_arm *arm = &insn[i].detail->arm;
        cs_regs rr, rw;
        uint8_t nr = 0, nw = 0;
        if (cs_regs_access(s->cs, &insn[i], rr, &nr, rw, &nw) == CS_ERR_OK)
            for (int k = 0; k < nw; k++)
                if (arm_core_reg(rw[k]) >= 0)
                    ops->written[i] |= (uint16_t)(1u << arm_core_reg(rw[k]));
        for (int k = 0; k < arm->op_count; k++)
            if (arm->operands[k].type == ARM_OP_REG && (arm->operands[k].access & CS_AC_WRITE) &&
                arm_core_reg(arm->operands[k].reg) >= 0)
                ops->written[i] |= (uint16_t)(1u << arm_core_reg(arm->operands[k].reg));
        struct mem_op *m = &ops->op[ops->n];
        m->is_store = arm_insn_is_store(insn[i].id);
        m->writeback = arm->writeback;
        int list = 0;
        bool is_list = false;
        switch (insn[i].id) {
        case ARM_INS_PUSH: case ARM_INS_POP: case ARM_INS_VPUSH: case ARM_INS_VPOP:
            is_list = true;
            m->base = 13;
            list = arm->op_count;
            m->descending = insn[i].id == ARM_INS_PUSH || insn[i].id == ARM_INS_VPUSH;
            break;
        case ARM_INS_LDM: case ARM_INS_STM: case ARM_INS_LDMDB: case ARM_INS_STMDB:
        case ARM_INS_VLDMIA: case ARM_INS_VSTMIA: case ARM_INS_VLDMDB: case ARM_INS_VSTMDB:
            is_list = true;
            m->base = (int8_t)arm_core_reg(arm->operands[0].reg);
            list = arm->op_count - 1;
            m->descending = insn[i].id == ARM_INS_LDMDB || insn[i].id == ARM_INS_STMDB ||
                            insn[i].id == ARM_INS_VLDMDB || insn[i].id == ARM_INS_VSTMDB;
            break;
        default:
            break;
        }
        if (is_list) {
            m->index = (uint16_t)i;
            m->index_reg = -1;
            m->bytes = (uint8_t)(list * 8 > 255 ? 255 : list * 8); /* D registers: 8 bytes each */
            m->wb_delta = m->descending ? -4 * list : 4 * list; /* core registers */
            ops->n++;
            continue;
        }
        for (int k = 0; k < arm->op_count; k++) {
            const cs_arm_op *op = &arm->operands[k];
            if (op->type != ARM_OP_MEM)
                continue;
            m->index = (uint16_t)i;
            m->base = (int8_t)arm_core_reg(op->mem.base);
            m->index_reg = (int8_t)arm_core_reg(op->mem.index);
            /* Capstone 4 keeps the index register's shift in op->shift,
             * leaving mem.lshift at 0. */
            m->shift = (uint8_t)(op->shift.type == ARM_SFT_LSL ? op->shift.value : (unsigned)op->mem.lshift);
            m->subtract = op->subtracted;
            m->disp = op->mem.disp;
            m->bytes = (uint8_t)access_bytes(&insn[i]);
            /* Post-indexed forms carry the offset as a separate operand. */
            m->post_indexed = arm->writeback && k + 1 < arm->op_count;
            if (m->post_indexed && arm->operands[k + 1].type == ARM_OP_IMM)
                m->wb_delta = arm->operands[k + 1].subtracted ? -arm->operands[k + 1].imm
                                                               : arm->operands[k + 1].imm;
            else if (arm->writeback && !m->post_indexed && m->index_reg < 0)
                m->wb_delta = m->disp;
            else if (arm->writeback)
                m->writeback = 2; /* by a register: unknown afterwards */
            ops->n++;
            break;
        }
    }
    if (insn)
        cs_free(insn, n);
    return ops;
}

static uint32_t read_reg(struct sim *s, int r, uint32_t insn_addr)
{
    static const int ids[16] = {
        UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3, UC_ARM_REG_R4, UC_ARM_REG_R5,
        UC_ARM_REG_R6, UC_ARM_REG_R7, UC_ARM_REG_R8, UC_ARM_REG_R9, UC_ARM_REG_R10, UC_ARM_REG_R11,
        UC_ARM_REG_R12, UC_ARM_REG_SP, UC_ARM_REG_LR, UC_ARM_REG_PC,
    };
    if (r == 15)
        return (insn_addr + 4) & ~3u; /* PC-relative: Align(PC, 4) */
    uint32_t v = 0;
    uc_reg_read(s->uc, ids[r], &v);
    return v;
}

static bool covers(struct sim *s, struct sim_block *b, const struct mem_op *m, uint32_t addr)
{
    if (m->base < 0)
        return false;
    uint32_t insn_addr = b->insn_addr[m->index];
    uint32_t base = read_reg(s, m->base, insn_addr);
    uint32_t lo, hi;
    if (m->descending) {
        lo = base - m->bytes;
        hi = base;
    } else if (m->index_reg >= 0) {
        uint32_t off = read_reg(s, m->index_reg, insn_addr) << m->shift;
        lo = m->post_indexed ? base : (m->subtract ? base - off : base + off);
        hi = lo + m->bytes;
    } else {
        lo = m->post_indexed ? base : base + (uint32_t)m->disp;
        hi = lo + m->bytes;
    }
    return addr - lo < hi - lo;
}

int locate_access(struct sim *s, struct sim_block *b, uint32_t addr, bool write)
{
    (void)write;
    if (!b->mem_ops) {
        b->mem_ops = decode_ops(s, b);
        if (!b->mem_ops)
            return -1;
    }
    struct mem_ops *ops = b->mem_ops;
    int fallback = -1;
    for (int i = 0; i < ops->n; i++) {
        const struct mem_op *m = &ops->op[i];
        if ((int)m->index <= s->cur_last_access)
            continue;
        if (fallback < 0)
            fallback = m->index;
        if (covers(s, b, m, addr)) {
            s->cur_last_access = m->index;
            return m->index;
        }
    }
    if (fallback >= 0)
        s->cur_last_access = fallback;
    return fallback;
}

void locate_free(struct sim_block *b)
{
    struct mem_ops *ops = b->mem_ops;
    if (ops)
        free(ops->written);
    free(ops);
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
    if (!b->mem_ops) {
        b->mem_ops = decode_ops(s, b);
        if (!b->mem_ops)
            return -1;
    }
    struct mem_ops *ops = b->mem_ops;
    memset(out, ACCESS_NONE, b->n_insns);
    uint32_t regs[16];
    uint16_t known = 0; /* registers whose current value is known */
    for (int r = 0; r < 15; r++)
        regs[r] = sim_reg(s, r);
    known = 0x7FFF;
    int next_op = 0;
    for (int i = 0; i < ops->n_insns && i < (int)b->n_insns; i++) {
        uint32_t pc_value = (b->insn_addr[i] + 4) & ~3u;
        regs[15] = pc_value;
        known |= 1u << 15;
        uint16_t wb_reg = 0;
        if (next_op < ops->n && ops->op[next_op].index == i) {
            const struct mem_op *m = &ops->op[next_op++];
            bool base_known = m->base >= 0 && (known >> m->base & 1);
            bool index_known = m->index_reg < 0 || (known >> m->index_reg & 1);
            if (base_known && index_known) {
                uint32_t base = regs[m->base], addr;
                if (m->descending)
                    addr = base - m->bytes;
                else if (m->index_reg >= 0)
                    addr = m->post_indexed ? base
                                           : (m->subtract ? base - (regs[m->index_reg] << m->shift)
                                                          : base + (regs[m->index_reg] << m->shift));
                else
                    addr = m->post_indexed ? base : base + (uint32_t)m->disp;
                out[i] = region_kind(s, addr, m->is_store);
                if (m->writeback == 1 && m->base >= 0) {
                    regs[m->base] = base + (uint32_t)m->wb_delta;
                    wb_reg = (uint16_t)(1u << m->base);
                }
            } else {
                /* The address came from a value produced in this block
                 * (pointer chasing): data lives in RAM far more often. */
                out[i] = m->is_store ? ACCESS_RAM_STORE : ACCESS_RAM_LOAD;
            }
        }
        known &= (uint16_t)~(ops->written[i] & ~wb_reg);
    }
    return 0;
}
