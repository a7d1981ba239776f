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

struct mem_op {
    uint16_t index;        /* instruction index in the block */
    int8_t base, index_reg;/* 0-15, -1 */
    uint8_t shift;
    uint8_t subtract;
    uint8_t bytes;         /* bytes transferred (lists: all of them) */
    uint8_t descending;    /* STMDB/PUSH: the range ends at the base */
    uint8_t post_indexed;  /* address is the base, offset applied after */
    int32_t disp;
};

struct mem_ops {
    int n;
    struct mem_op op[];
};

static int regnum(int r)
{
    if (r >= ARM_REG_R0 && r <= ARM_REG_R12)
        return r - ARM_REG_R0;
    if (r == ARM_REG_SP) return 13;
    if (r == ARM_REG_LR) return 14;
    if (r == ARM_REG_PC) return 15;
    return -1;
}

static unsigned access_bytes(const cs_insn *in)
{
    switch (in->id) {
    case ARM_INS_LDRB: case ARM_INS_STRB: case ARM_INS_LDRSB: case ARM_INS_LDRBT:
    case ARM_INS_STRBT: case ARM_INS_LDRSBT: case ARM_INS_LDREXB: case ARM_INS_STREXB:
    case ARM_INS_TBB:
        return 1;
    case ARM_INS_LDRH: case ARM_INS_STRH: case ARM_INS_LDRSH: case ARM_INS_LDRHT:
    case ARM_INS_STRHT: case ARM_INS_LDRSHT: case ARM_INS_LDREXH: case ARM_INS_STREXH:
    case ARM_INS_TBH:
        return 2;
    case ARM_INS_LDRD: case ARM_INS_STRD: case ARM_INS_VLDR: case ARM_INS_VSTR:
        return 8; /* VLDR of an S register reads 4: covered by the range */
    }
    return 4;
}

static struct mem_ops *decode_ops(struct sim *s, struct sim_block *b)
{
    const uint8_t *code = sim_host_ptr(s, b->addr, b->size);
    cs_insn *insn = NULL;
    size_t n = code ? cs_disasm(s->cs, code, b->size, b->addr, 0, &insn) : 0;
    struct mem_ops *ops = calloc(1, sizeof *ops + (n ? n : 1) * sizeof ops->op[0]);
    if (!ops) {
        if (insn)
            cs_free(insn, n);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const cs_arm *arm = &insn[i].detail->arm;
        struct mem_op *m = &ops->op[ops->n];
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
            m->base = (int8_t)regnum(arm->operands[0].reg);
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
            ops->n++;
            continue;
        }
        for (int k = 0; k < arm->op_count; k++) {
            const cs_arm_op *op = &arm->operands[k];
            if (op->type != ARM_OP_MEM)
                continue;
            m->index = (uint16_t)i;
            m->base = (int8_t)regnum(op->mem.base);
            m->index_reg = (int8_t)regnum(op->mem.index);
            m->shift = (uint8_t)op->mem.lshift;
            m->subtract = op->subtracted;
            m->disp = op->mem.disp;
            m->bytes = (uint8_t)access_bytes(&insn[i]);
            /* Post-indexed forms carry the offset as a separate operand. */
            m->post_indexed = arm->writeback && k + 1 < arm->op_count;
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
    free(b->mem_ops);
    b->mem_ops = NULL;
}
