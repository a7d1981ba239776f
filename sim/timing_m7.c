/*
 * timing_m7.c — Cortex-M7 timings: a six-stage, in-order, dual-issue
 * superscalar pipeline (Cortex-M7 TRM, ARM DDI 0489, §1 "Features" and
 * §2 "Functional description").
 *
 * Arm publishes no per-instruction cycle table for the Cortex-M7, so this
 * is an approximation built from what the TRM and Arm's material do say:
 * two integer ALUs, one MAC pipeline, one load/store pipeline with a
 * 64-bit path (two registers per cycle for LDM/STM/LDRD), one FP
 * pipeline, dual issue of two independent instructions that need
 * different pipelines (or the two ALUs), and a branch predictor.
 * docs/cycle-model.md says plainly what is approximated; in short:
 *   - pairing: an instruction issues with the one before it when that one
 *     did not itself pair, both are "simple" (ALU, MAC, single load/store,
 *     1-cycle FP; a branch may be second), they use at most one MAC, one
 *     load/store and one FP slot, and the second neither reads nor writes
 *     a register the first writes;
 *   - load-use: an instruction reading a register loaded by the previous
 *     instruction waits one cycle;
 *   - every taken branch costs one refill cycle (the predictor is assumed
 *     right; mispredictions are not modelled).
 */
#include "timing_internal.h"

enum slot { SLOT_NONE, SLOT_ALU, SLOT_MAC, SLOT_LSU, SLOT_FP, SLOT_BRANCH };

/* Which pipeline an instruction that can dual-issue needs. */
static enum slot slot_of(const struct insn_facts *f)
{
    if (f->id == ARM_INS_IT || f->in_it)
        return SLOT_NONE;
    if (f->id == ARM_INS_B || f->id == ARM_INS_BL)
        return SLOT_BRANCH;
    if (f->writes_pc)
        return SLOT_NONE;
    if (f->lsu == LSU_LOAD || f->lsu == LSU_STORE || (f->lsu == LSU_FP && !f->fp_double))
        return f->exclusive ? SLOT_NONE : SLOT_LSU;
    if (f->lsu != LSU_NONE)
        return SLOT_NONE;
    if (f->id == ARM_INS_SDIV || f->id == ARM_INS_UDIV)
        return SLOT_NONE;
    if (f->cls == CLASS_MUL)
        return SLOT_MAC;
    if (f->cls == CLASS_ALU)
        return SLOT_ALU;
    if (f->cls == CLASS_FPU && !f->fp_long && !f->fp_mac)
        return SLOT_FP;
    return SLOT_NONE;
}

static bool pairs(const struct insn_facts *prev, enum slot ps, const struct insn_facts *f, enum slot fs)
{
    if (ps == SLOT_NONE || fs == SLOT_NONE || ps == SLOT_BRANCH || prev->dual_issued)
        return false;
    if (ps == fs && ps != SLOT_ALU)
        return false; /* one MAC, one load/store, one FP pipeline */
    if (prev->regs_written & (f->regs_read | f->regs_written))
        return false;
    if (prev->fp_written & (f->fp_read | f->fp_written))
        return false;
    return true;
}

static unsigned m7_cost(const struct timing *t, struct insn_facts *f,
                        const struct insn_facts *prev, struct timing_dyn *dyn)
{
    (void)t;
    unsigned c;
    switch (f->id) {
    case ARM_INS_SDIV:
    case ARM_INS_UDIV:
        dyn->kind = f->id == ARM_INS_SDIV ? DYN_SDIV : DYN_UDIV;
        timing_div_operands(f, dyn);
        if (f->in_it) {
            dyn->extra = 1;
            return 1;
        }
        return 0;
    case ARM_INS_IT:
        return 0; /* folded */
    case ARM_INS_LDM: case ARM_INS_LDMDB: case ARM_INS_STM: case ARM_INS_STMDB:
    case ARM_INS_PUSH: case ARM_INS_POP: case ARM_INS_VPUSH: case ARM_INS_VPOP:
    case ARM_INS_VLDMIA: case ARM_INS_VLDMDB: case ARM_INS_VSTMIA: case ARM_INS_VSTMDB:
        c = (f->mem.words + 1) / 2 + 1; /* 64-bit path: two words per cycle, plus the address */
        break;
    case ARM_INS_LDRD: case ARM_INS_STRD:
        c = 1;
        break;
    default:
        if (f->fp_long)
            c = 14; /* FPv5 single-precision VDIV/VSQRT */
        else
            c = 1;
        break;
    }
    if (prev) {
        enum slot ps = slot_of(prev), fs = slot_of(f);
        if (c == 1 && pairs(prev, ps, f, fs)) {
            f->dual_issued = true;
            return 0;
        }
        /* Load-use: the loaded value arrives a cycle after the next issue. */
        if (prev->is_load && prev->lsu != LSU_TABLE &&
            ((prev->regs_written & f->regs_read) || (prev->fp_written & f->fp_read)))
            c++;
    }
    if (f->in_it && c > 1) {
        dyn->kind = DYN_EXECUTED;
        dyn->extra = (uint8_t)(c - 1);
        return 1;
    }
    return c;
}

static unsigned m7_refill(const struct timing *t, const struct insn_facts *f)
{
    (void)t;
    (void)f;
    return 1; /* predicted taken branch: one bubble; mispredictions are not modelled */
}

static unsigned m7_div_cycles(const struct timing *t, bool is_signed, uint32_t rn, uint32_t rm)
{
    (void)t;
    /* Same early-terminating divider as the Cortex-M4 model (2 to 12):
     * the Cortex-M7 TRM gives no figure. */
    return timing_div_early_termination(is_signed, rn, rm);
}

const struct timing_core timing_core_m7 = {
    .cost = m7_cost,
    .refill = m7_refill,
    .taken = NULL,
    .div_cycles = m7_div_cycles,
    /* Arm: 12 cycles interrupt latency (Cortex-M7 product documentation);
     * the return and the FP context cost as on the Cortex-M4. */
    .exc_entry = 12,
    .exc_entry_fp = 29,
    .exc_return = 10,
    .exc_return_fp = 27,
};
