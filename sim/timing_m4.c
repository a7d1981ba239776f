/*
 * timing_m4.c — Cortex-M4 instruction timings, from the Cortex-M4
 * Technical Reference Manual (ARM DDI 0439B, r0p1): §3.3.1 Table 3-1
 * (processor instructions), §3.3.2 (load/store timings) and, for the FPU,
 * §7.2.3 Table 7-1.
 *
 * docs/cycle-model.md lists every rule with its source and says where the
 * manual is ambiguous and what was chosen; the comments here name the
 * rule each branch implements.  Costs are for zero wait-state memory:
 * flash wait states and caches are added by timing.c.  The pipeline
 * refill P of a taken branch is charged on the branch target (refill()).
 */
#include "timing_internal.h"

/* A single load in the sense of §3.3.2: LDR/LDRB/LDRH/LDRSB/LDRSH/LDRT..,
 * LDREX, and STREX, which "is treated more like an LDR". */
static bool load_like(const struct insn_facts *f)
{
    return f->lsu == LSU_LOAD || (f->lsu == LSU_STORE && f->exclusive);
}

/* A single store that is not STREX. */
static bool plain_store(const struct insn_facts *f)
{
    return f->lsu == LSU_STORE && !f->exclusive;
}

/* Registers the instruction's address is computed from (not the PC). */
static uint16_t address_regs(const struct insn_facts *f)
{
    uint16_t r = 0;
    if (f->mem.base >= 0 && f->mem.base != 15)
        r |= (uint16_t)(1u << f->mem.base);
    if (f->mem.index >= 0 && f->mem.index != 15)
        r |= (uint16_t)(1u << f->mem.index);
    return r;
}

/* "If the destination of the first LDR is not used to compute the address
 * for the next instruction" (§3.3.2): the loaded registers, not the base
 * the load wrote back (the address unit updates that itself). */
static bool address_uses_loaded(const struct insn_facts *f, const struct insn_facts *prev)
{
    uint16_t loaded = prev->regs_written;
    if (prev->mem.writeback && prev->mem.base >= 0)
        loaded &= (uint16_t)~(1u << prev->mem.base);
    return (address_regs(f) & loaded) != 0;
}

/* "Any load or store that generates an address dependent on the result of
 * a preceding data processing operation stalls the pipeline for an
 * additional cycle while the register bank is updated.  There is no
 * forwarding path for this scenario." (§3.3.2).  Preceding = the
 * instruction immediately before; data processing = anything that is not
 * itself a load or store (loads are covered by the pipelining rule). */
static bool address_uses_computed(const struct insn_facts *f, const struct insn_facts *prev)
{
    return prev && prev->lsu == LSU_NONE && (address_regs(f) & prev->regs_written) != 0;
}

/* LDR/STR of one register, §3.3.2 (see docs/cycle-model.md, "Loads and
 * stores", for the reading of the manual these lines encode). */
static unsigned single_ldst(const struct insn_facts *f, const struct insn_facts *prev)
{
    unsigned c;
    if (f->writes_pc)
        c = 2;  /* LDR PC,[any] is always blocking: 2 + P */
    else if (prev && plain_store(prev))
        c = 2;  /* "nothing can be pipelined after the store" */
    else if (prev && load_like(prev) && address_uses_loaded(f, prev))
        c = 2;  /* address needs the loaded value: no pipelining */
    else if (plain_store(f) && f->mem.index < 0)
        c = 1;  /* "STR Rx,[Ry,#imm] is always one cycle" */
    else if (prev && load_like(prev))
        c = 1;  /* "LDR [any] are pipelined when possible" */
    else
        c = 2;  /* Table 3-1: LDR/STR 2 */
    if (address_uses_computed(f, prev))
        c++;
    return c;
}

static unsigned m4_cost(const struct timing *t, struct insn_facts *f,
                        const struct insn_facts *prev, struct timing_dyn *dyn)
{
    (void)t;
    unsigned c;
    switch (f->id) {
    case ARM_INS_IT:
        /* Table 3-1 note: "An IT instruction can be folded onto a preceding
         * 16-bit Thumb instruction, enabling execution in zero cycles." */
        return prev && prev->size == 2 ? 0 : 1;
    case ARM_INS_SDIV:
    case ARM_INS_UDIV:
        /* 2 to 12, early termination on the operands: all of it dynamic. */
        dyn->kind = f->id == ARM_INS_SDIV ? DYN_SDIV : DYN_UDIV;
        timing_div_operands(f, dyn);
        if (f->in_it) {
            dyn->extra = 1; /* the skipped cycle is charged statically */
            return 1;
        }
        return 0;
    case ARM_INS_B: case ARM_INS_BL: case ARM_INS_BLX: case ARM_INS_BX:
    case ARM_INS_CBZ: case ARM_INS_CBNZ:
        c = 1;  /* + P on the target when taken; B<cc>/CBZ not taken: 1 */
        break;
    case ARM_INS_TBB: case ARM_INS_TBH:
        c = 2;  /* Table 3-1: 2 + P */
        if (address_uses_computed(f, prev))
            c++;
        break;
    case ARM_INS_LDRD: case ARM_INS_STRD:
    case ARM_INS_LDM: case ARM_INS_LDMDB: case ARM_INS_STM: case ARM_INS_STMDB:
    case ARM_INS_PUSH: case ARM_INS_POP:
        /* 1 + N (N includes PC and LR; + P when the PC is loaded); never
         * pipelined with neighbours (§3.3.2). */
        c = 1 + f->mem.words;
        if (address_uses_computed(f, prev))
            c++;
        break;
    case ARM_INS_VLDR: case ARM_INS_VSTR:
        c = f->fp_double ? 3 : 2;  /* Table 7-1: .32 2, .64 3 */
        if (address_uses_computed(f, prev))
            c++;
        break;
    case ARM_INS_VLDMIA: case ARM_INS_VLDMDB: case ARM_INS_VSTMIA: case ARM_INS_VSTMDB:
    case ARM_INS_VPUSH: case ARM_INS_VPOP:
        c = 1 + f->mem.words;  /* Table 7-1: 1 + N words (.64: 1 + 2N) */
        if (address_uses_computed(f, prev))
            c++;
        break;
    case ARM_INS_VMOV:
        /* Table 7-1: two floats or a double to/from two core registers 2;
         * one register, immediates and FP-to-FP moves 1. */
        c = __builtin_popcount(f->regs_written | f->regs_read) >= 2 ? 2 : 1;
        break;
    case ARM_INS_ISB:
        c = 3;  /* 1 + B, B for ISB at least a pipeline refill (P = 2) */
        break;
    case ARM_INS_DMB: case ARM_INS_DSB:
        c = 1;  /* 1 + B, B = 0 with no outstanding memory transaction */
        break;
    case ARM_INS_MSR:
        c = 2;  /* Table 3-1: 1 or 2; the upper bound (see the doc) */
        break;
    case ARM_INS_MRS: case ARM_INS_CPS:
        c = 1;  /* Table 3-1: 1 or 2; the lower bound */
        break;
    default:
        if (f->lsu == LSU_LOAD || f->lsu == LSU_STORE)
            c = single_ldst(f, prev);
        else if (f->fp_long)
            c = 14;  /* Table 7-1: VDIV.F32, VSQRT.F32 */
        else if (f->fp_mac)
            c = 3;   /* Table 7-1: VMLA/VMLS/VNMLA/VNMLS/VFMA/VFMS/VFNMA/VFNMS */
        else
            c = 1;   /* ALU, MUL/MLA/MLS, long multiplies, DSP, other FP: 1 */
    }
    /* A result of a VLDR/VLDM or of a multiply-accumulate consumed by the
     * very next instruction costs one stall cycle (see the doc). */
    if (prev && (prev->fp_mac || (prev->is_load && (prev->lsu == LSU_FP || prev->lsu == LSU_FP_MULTI))) &&
        (prev->fp_written & f->fp_read))
        c++;
    /* A conditional instruction that fails its condition still costs one
     * cycle; the rest is charged only when it executes (a hooked site). */
    if (f->in_it && c > 1) {
        dyn->kind = DYN_EXECUTED;
        dyn->extra = (uint8_t)(c - 1);
        return 1;
    }
    return c;
}

static unsigned m4_refill(const struct timing *t, const struct insn_facts *f)
{
    (void)t;
    /* P (Table 3-1: "1 to 3 depending on the alignment and width of the
     * target instruction, and whether the processor manages to speculate
     * the address early"): 2, the fetch and decode of the target; 3 when
     * the target is a 32-bit instruction that is not word-aligned and
     * needs two fetches.  Early speculation (P = 1) is not modelled. */
    return (f->size == 4 && (f->addr & 2)) ? 3 : 2;
}

static unsigned m4_div_cycles(const struct timing *t, bool is_signed, uint32_t rn, uint32_t rm)
{
    (void)t;
    /* Table 3-1: "2 to 12", note: "Division operations use early
     * termination to minimize the number of cycles required based on the
     * number of leading ones and zeroes in the input operands." */
    return timing_div_early_termination(is_signed, rn, rm);
}

static unsigned m4_unaligned(uint32_t addr, unsigned bytes)
{
    /* §3.3.2: "Unaligned word or halfword loads or stores add penalty
     * cycles.  A byte aligned halfword load or store adds one extra cycle
     * to perform the operation as two bytes.  A halfword aligned word load
     * or store adds one extra cycle to perform the operation as two
     * halfwords.  A byte-aligned word load or store adds two extra cycles
     * to perform the operation as a byte, a halfword, and a byte." */
    if (bytes == 2)
        return addr & 1;
    if (bytes == 4)
        return (addr & 3) == 0 ? 0 : (addr & 1) ? 2 : 1;
    return 0;
}

const struct timing_core timing_core_m4 = {
    .cost = m4_cost,
    .refill = m4_refill,
    .taken = NULL,
    .div_cycles = m4_div_cycles,
    .unaligned = m4_unaligned,
    /* Measured on an STM32 running from flash (docs/cycle-model.md,
     * "Unaligned 32-bit instructions"); not a TRM rule. */
    .unaligned_wide_run = 3,
    /* Arm's published interrupt latency for the Cortex-M3/M4 is 12 cycles
     * with zero wait states; return 10 (the figure Arm and Yiu's Definitive
     * Guide give; the TRM has no table for it).  Stacking or unstacking the
     * FP context (S0-S15, FPSCR: 17 more words) adds 17 each way. */
    .exc_entry = 12,
    .exc_entry_fp = 29,
    .exc_return = 10,
    .exc_return_fp = 27,
};
