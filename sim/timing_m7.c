/*
 * timing_m7.c — Cortex-M7 timings: a six-stage, dual-issue superscalar
 * pipeline.  Arm publishes no cycle table for it; this model follows the
 * Cortex-M7 TRM (ARM DDI 0489) descriptions of dual issue and the branch
 * predictor, and states its approximations in docs/cycle-model.md.
 */
#include "timing_internal.h"

static bool single_alu(const struct insn_facts *f)
{
    return f->cls == CLASS_ALU && !f->writes_pc && f->id != ARM_INS_IT;
}

static unsigned m7_cost(const struct timing *t, struct insn_facts *f,
                        const struct insn_facts *prev, struct timing_dyn *dyn)
{
    (void)t;
    switch (f->id) {
    case ARM_INS_SDIV:
    case ARM_INS_UDIV:
        dyn->kind = f->id == ARM_INS_SDIV ? DYN_SDIV : DYN_UDIV;
        {
            const cs_arm *arm = &f->in->detail->arm;
            int rn = arm->op_count >= 3 ? arm->operands[1].reg : arm->operands[0].reg;
            int rm = arm->operands[arm->op_count - 1].reg;
            dyn->rn = (uint8_t)(rn - ARM_REG_R0 <= 12 ? rn - ARM_REG_R0 : 13);
            dyn->rm = (uint8_t)(rm - ARM_REG_R0 <= 12 ? rm - ARM_REG_R0 : 13);
        }
        return 0;
    case ARM_INS_IT:
        return 0;
    case ARM_INS_LDM: case ARM_INS_LDMDB: case ARM_INS_STM: case ARM_INS_STMDB:
    case ARM_INS_PUSH: case ARM_INS_POP: case ARM_INS_VPUSH: case ARM_INS_VPOP:
    case ARM_INS_VLDMIA: case ARM_INS_VLDMDB: case ARM_INS_VSTMIA: case ARM_INS_VSTMDB:
        return (f->n_list + 1) / 2 + 1; /* 64-bit AXI/TCM: two registers per cycle */
    default:
        break;
    }
    if (f->fp_long)
        return 14;
    /* Dual issue: an ALU or load/store following a single-issued ALU
     * instruction with no dependency between them issues in the same cycle. */
    if (prev && !prev->dual_issued && single_alu(prev) && (single_alu(f) || f->is_single_ldst) &&
        !(prev->regs_written & (f->regs_read | f->regs_written))) {
        f->dual_issued = true;
        return 0;
    }
    return 1;
}

static unsigned m7_refill(const struct timing *t, const struct insn_facts *f)
{
    (void)t;
    (void)f;
    return 1; /* predicted taken branches refold; mispredictions are not modelled */
}

static unsigned m7_dyn_cost(const struct timing *t, const struct timing_dyn *d, uint32_t rn, uint32_t rm)
{
    (void)t;
    uint32_t n = rn, m = rm;
    if (d->kind == DYN_SDIV) {
        n = (int32_t)rn < 0 ? 0u - rn : rn;
        m = (int32_t)rm < 0 ? 0u - rm : rm;
    }
    if (m == 0 || n < m)
        return 3;
    unsigned qbits = (unsigned)(__builtin_clz(m) - __builtin_clz(n)) + 1;
    unsigned c = 3 + (qbits + 3) / 4;
    return c > 12 ? 12 : c;
}

const struct timing_core timing_core_m7 = {
    .name = "cortex-m7 (dual-issue approximation, TRM r1p2)",
    .cost = m7_cost,
    .refill = m7_refill,
    .dyn_cost = m7_dyn_cost,
    .exc_entry = 12,
    .exc_entry_fp = 29,
    .exc_return = 10,
    .exc_return_fp = 27,
};
