/*
 * timing_m0plus.c — Cortex-M0+ instruction timings, from the Cortex-M0+
 * Technical Reference Manual (ARM DDI 0484C, r0p1) §3.3 Table 3-1.
 *
 * A two-stage pipeline: a taken branch refills in one cycle, so B/B<cc>
 * taken costs 2, BL 3, BX/BLX 2 and POP {..,PC} 3 + N (N without the PC).
 * ARMv6-M has no divide, no IT and no FPU.  The table assumes zero wait
 * states; timing.c adds the memory system.  docs/cycle-model.md has the
 * full table and what is approximated.
 */
#include "timing_internal.h"

static unsigned m0p_cost(const struct timing *t, struct insn_facts *f,
                         const struct insn_facts *prev, struct timing_dyn *dyn)
{
    (void)prev;
    (void)dyn;
    switch (f->id) {
    case ARM_INS_MUL:
        /* MULS 1 or 32: the multiplier is chosen when the chip is built
         * (board key muls_cycles; the RP2040 has the fast one). */
        return t->bt.muls_cycles ? t->bt.muls_cycles : 1;
    case ARM_INS_B: case ARM_INS_BX: case ARM_INS_BLX:
        return 1;  /* B<cc> not taken 1; taken B/B<cc>/BX/BLX 2 with the refill */
    case ARM_INS_BL:
        return 2;  /* BL 3 with the refill */
    case ARM_INS_LDM: case ARM_INS_STM: case ARM_INS_PUSH:
        return 1 + f->mem.words;
    case ARM_INS_POP:
        /* POP 1 + N; POP {<loreglist>, PC} 3 + N with N the low registers:
         * mem.words counts the PC too, and the refill adds the last cycle. */
        return 1 + f->mem.words;
    case ARM_INS_DMB: case ARM_INS_DSB: case ARM_INS_ISB:
        return 3;
    case ARM_INS_MRS: case ARM_INS_MSR:
        return 3;
    case ARM_INS_WFI: case ARM_INS_WFE:
        return 2;  /* + the time asleep, accounted apart */
    default:
        /* Loads and stores 2 (1 on the single-cycle I/O port, which is not
         * modelled: the port is stub memory here); everything else 1, and
         * MOV/ADD to PC 2 with the refill. */
        if (f->lsu != LSU_NONE)
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

static unsigned m0p_div_cycles(const struct timing *t, bool is_signed, uint32_t rn, uint32_t rm)
{
    (void)t;
    (void)is_signed;
    (void)rn;
    (void)rm;
    return 0; /* ARMv6-M has no divide instruction */
}

const struct timing_core timing_core_m0plus = {
    .cost = m0p_cost,
    .refill = m0p_refill,
    .taken = NULL,
    .div_cycles = m0p_div_cycles,
    /* TRM §3.6.1: worst-case interrupt latency 15 cycles with zero wait
     * states.  The return is not given by the TRM; 13 is an estimate
     * (unstacking 8 words over the 32-bit bus plus the refill). */
    .exc_entry = 15,
    .exc_entry_fp = 15,
    .exc_return = 13,
    .exc_return_fp = 13,
};
