/*
 * timing_m0plus.c — Cortex-M0+ instruction timings (ARM DDI 0484C,
 * Cortex-M0+ TRM r0p1 §3.3; ARMv6-M has no divide, no IT, no FPU).
 * Two-stage pipeline: a taken branch refills in 1 cycle.
 */
#include "timing_internal.h"

static unsigned m0p_cost(const struct timing *t, struct insn_facts *f,
                         const struct insn_facts *prev, struct timing_dyn *dyn)
{
    (void)prev;
    (void)dyn;
    switch (f->id) {
    case ARM_INS_MUL:
        return t->bt.muls_cycles ? t->bt.muls_cycles : 1;
    case ARM_INS_B:
        return 1; /* taken: +1 on the target */
    case ARM_INS_BL:
        return 2; /* 3 in all: + refill */
    case ARM_INS_BX: case ARM_INS_BLX:
        return 1; /* 2 in all */
    case ARM_INS_LDM: case ARM_INS_STM: case ARM_INS_PUSH:
        return 1 + f->n_list;
    case ARM_INS_POP:
        return (f->regs_written & (1u << 15)) ? 2 + f->n_list : 1 + f->n_list;
    case ARM_INS_DMB: case ARM_INS_DSB: case ARM_INS_ISB:
        return 3;
    case ARM_INS_MRS: case ARM_INS_MSR:
        return 3;
    default:
        if (f->is_load || f->is_store)
            return 2;
        return 1;
    }
}

static unsigned m0p_refill(const struct timing *t, const struct insn_facts *f)
{
    (void)t;
    (void)f;
    return 1;
}

static unsigned m0p_dyn_cost(const struct timing *t, const struct timing_dyn *d, uint32_t rn, uint32_t rm)
{
    (void)t;
    (void)d;
    (void)rn;
    (void)rm;
    return 0;
}

const struct timing_core timing_core_m0plus = {
    .name = "cortex-m0plus (TRM r0p1 §3.3)",
    .cost = m0p_cost,
    .refill = m0p_refill,
    .dyn_cost = m0p_dyn_cost,
    .exc_entry = 15,
    .exc_entry_fp = 15,
    .exc_return = 13,
    .exc_return_fp = 13,
};
