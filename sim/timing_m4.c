/*
 * timing_m4.c — Cortex-M4 instruction timings (ARM DDI 0439B, Cortex-M4
 * Technical Reference Manual r0p1, §3.3 Table 3-1; FPU: §7.2 Table 7-1).
 *
 * Every rule, with its source and the choices made where the manual is
 * ambiguous, is listed in docs/cycle-model.md.  Pipeline refill P for a
 * taken branch is charged on the branch target (refill()).
 */
#include "timing_internal.h"

static bool pipelines_after(const struct insn_facts *prev)
{
    /* Neighbouring single loads/stores overlap their address and data
     * phases, except after a register-offset STR (TRM §3.3.2). */
    return prev && prev->is_single_ldst && !(prev->is_store && prev->reg_offset) &&
           !prev->writes_pc;
}

static bool address_depends_on(const struct insn_facts *f, const struct insn_facts *prev)
{
    if (!prev)
        return false;
    uint16_t addr_regs = 0;
    if (f->mem_base >= 0)
        addr_regs |= (uint16_t)(1u << f->mem_base);
    if (f->mem_index >= 0)
        addr_regs |= (uint16_t)(1u << f->mem_index);
    /* Writeback of the base register by the previous load/store does not
     * stall: the AGU forwards it (post-increment pointer walks). */
    uint16_t produced = prev->regs_written;
    if (prev->is_single_ldst && prev->mem_base >= 0)
        produced &= (uint16_t)~(1u << prev->mem_base);
    return (addr_regs & produced) != 0;
}

static unsigned m4_cost(const struct timing *t, struct insn_facts *f,
                        const struct insn_facts *prev, struct timing_dyn *dyn)
{
    (void)t;
    unsigned c;
    switch (f->id) {
    case ARM_INS_IT:
        /* Folded onto a preceding 16-bit instruction: 0 cycles. */
        return prev && prev->size == 2 && !prev->writes_pc ? 0 : 1;
    case ARM_INS_SDIV:
    case ARM_INS_UDIV:
        dyn->kind = f->id == ARM_INS_SDIV ? DYN_SDIV : DYN_UDIV;
        {
            const cs_arm *arm = &f->in->detail->arm;
            int rn = arm->op_count >= 3 ? arm->operands[1].reg : arm->operands[0].reg;
            int rm = arm->operands[arm->op_count - 1].reg;
            dyn->rn = (uint8_t)(rn - ARM_REG_R0 <= 12 ? rn - ARM_REG_R0 : rn == ARM_REG_SP ? 13 : 14);
            dyn->rm = (uint8_t)(rm - ARM_REG_R0 <= 12 ? rm - ARM_REG_R0 : rm == ARM_REG_SP ? 13 : 14);
        }
        return 0; /* all of it (2-12) is dynamic */
    case ARM_INS_B: case ARM_INS_BL: case ARM_INS_BLX: case ARM_INS_BX:
    case ARM_INS_CBZ: case ARM_INS_CBNZ:
        return 1; /* + P on the target when taken */
    case ARM_INS_TBB: case ARM_INS_TBH:
        return 2; /* + P */
    case ARM_INS_LDRD: case ARM_INS_STRD:
    case ARM_INS_LDM: case ARM_INS_LDMDB: case ARM_INS_STM: case ARM_INS_STMDB:
    case ARM_INS_PUSH: case ARM_INS_POP:
        c = 1 + f->n_list;
        if (address_depends_on(f, prev))
            c++;
        break;
    case ARM_INS_VLDR: case ARM_INS_VSTR:
        c = 2;
        if (address_depends_on(f, prev))
            c++;
        break;
    case ARM_INS_VLDMIA: case ARM_INS_VLDMDB: case ARM_INS_VSTMIA: case ARM_INS_VSTMDB:
    case ARM_INS_VPUSH: case ARM_INS_VPOP:
        c = 1 + f->n_list;
        break;
    case ARM_INS_VMOV:
        /* Core <-> FP transfers take 2 cycles when two core registers move;
         * register-to-register and immediate forms take 1. */
        c = (__builtin_popcount(f->regs_written | f->regs_read) >= 2) ? 2 : 1;
        break;
    case ARM_INS_DMB: case ARM_INS_DSB: case ARM_INS_ISB:
        c = 4; /* 1 + B: the barrier drains the pipeline and write buffer */
        break;
    case ARM_INS_MRS: case ARM_INS_MSR:
        c = 2;
        break;
    default:
        if (f->is_single_ldst) {
            c = pipelines_after(prev) && !address_depends_on(f, prev) ? 1 : 2;
            if (address_depends_on(f, prev))
                c = 3;
        } else if (f->fp_long) {
            c = 14;
        } else if (f->fp_mac) {
            c = 3;
        } else {
            c = 1;
        }
    }
    /* An FP result consumed by the very next instruction costs a stall
     * cycle after multi-cycle FP operations and loads to S registers. */
    if (prev && (prev->fp_mac || prev->id == ARM_INS_VLDR) && (prev->fp_written & f->fp_read))
        c++;
    /* A conditional instruction that fails its condition still costs one
     * cycle; the rest is charged only when it executes (a hooked site). */
    if (f->in_it && c > 1 && !f->writes_pc) {
        dyn->kind = DYN_EXECUTED;
        dyn->extra = (uint8_t)(c - 1);
        return 1;
    }
    return c;
}

static unsigned m4_refill(const struct timing *t, const struct insn_facts *f)
{
    (void)t;
    /* P = 1..3: 2 for a 16-bit or word-aligned target, 3 when a 32-bit
     * target straddles a word (two fetches needed). */
    return (f->size == 4 && (f->addr & 2)) ? 3 : 2;
}

static unsigned m4_div_cycles(uint32_t n, uint32_t d)
{
    /* Early termination: the divider retires about 4 quotient bits per
     * cycle after a 2-cycle setup; cost grows with the quotient's width. */
    if (d == 0 || n < d)
        return 2;
    unsigned qbits = (unsigned)(__builtin_clz(d) - __builtin_clz(n)) + 1;
    unsigned c = 2 + (qbits + 3) / 4;
    return c > 12 ? 12 : c;
}

static unsigned m4_dyn_cost(const struct timing *t, const struct timing_dyn *d, uint32_t rn, uint32_t rm)
{
    (void)t;
    if (d->kind == DYN_SDIV) {
        uint32_t an = (int32_t)rn < 0 ? 0u - rn : rn;
        uint32_t am = (int32_t)rm < 0 ? 0u - rm : rm;
        return m4_div_cycles(an, am);
    }
    return m4_div_cycles(rn, rm);
}

const struct timing_core timing_core_m4 = {
    .name = "cortex-m4 (TRM r0p1 Table 3-1, FPU Table 7-1)",
    .cost = m4_cost,
    .refill = m4_refill,
    .dyn_cost = m4_dyn_cost,
    .exc_entry = 12,
    .exc_entry_fp = 29,
    .exc_return = 10,
    .exc_return_fp = 27,
};
