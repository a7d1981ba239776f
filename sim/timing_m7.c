/*
 * timing_m7.c — Cortex-M7 timings: a six-stage, in-order, dual-issue
 * superscalar pipeline (Cortex-M7 TRM, ARM DDI 0489, §1 "Features" and
 * §2 "Functional description").
 *
 * Arm publishes no per-instruction cycle table for the Cortex-M7.  The
 * rules here are the TRM's structure (two ALUs, one MAC pipeline, one
 * load/store pipeline with a 64-bit path, one FP pipeline, a branch
 * predictor) made exact where published hardware measurements say how it
 * behaves: jnk0le's pipeline measurements on an STM32H743 (repository
 * jnk0le/random, "pipeline cycle test/doc/cortex_m7.md"; quoted in
 * docs/cycle-model.md, checked by workloads/microbench/hwcounts_v7m.S).
 * In short:
 *   - pairing: an instruction issues with the one before it when that one
 *     did not itself pair, both are "simple" (ALU and NOP, MAC, single
 *     load/store, 1-cycle FP; a direct branch may be second), they use at
 *     most one MAC and one FP slot, the load/store slot holds a load and a
 *     store, or two loads to different banks (even and odd words), never
 *     two stores nor a multiply and a store, the operand2 matrix allows it
 *     (no two shifted operands or constants; bit-field and DSP
 *     instructions only as the older op), and the second does not need a
 *     result of the first — except a store's data, stored the same cycle;
 *   - results: a word load feeds an ALU the next cycle but an address,
 *     a shifted operand or a multiplier one cycle later; byte and halfword
 *     loads one cycle later still; a multiply's result is one cycle late
 *     except as the accumulator of the next multiply-accumulate;
 *   - LDM/STM/PUSH/POP: ceil(N/2) cycles, alone;
 *   - an unaligned word or halfword load: +3 (stores: none);
 *   - a predicted taken direct branch costs no refill (mispredictions are
 *     not modelled); an indirect one (BX, POP {PC}) keeps one bubble.
 */
#include "timing_internal.h"

enum slot { SLOT_NONE, SLOT_ALU, SLOT_MAC, SLOT_LSU, SLOT_FP, SLOT_BRANCH };

/* Which pipeline an instruction that can dual-issue needs. */
static enum slot slot_of(const struct insn_facts *f)
{
    if (f->id == ARM_INS_IT || f->in_it)
        return SLOT_NONE;
    if (f->id == ARM_INS_NOP)
        return SLOT_ALU; /* "no nop elimination, they are just not creating execution stalls" */
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

/* A multiply or multiply-accumulate (not the SIMD arithmetic that shares
 * its class). */
static bool is_multiply(const struct insn_facts *f)
{
    switch (f->id) {
    case ARM_INS_MUL: case ARM_INS_SMULL: case ARM_INS_UMULL: case ARM_INS_SMULBB:
    case ARM_INS_SMULBT: case ARM_INS_SMULTB: case ARM_INS_SMULTT: case ARM_INS_SMULWB:
    case ARM_INS_SMULWT: case ARM_INS_SMUAD: case ARM_INS_SMUADX: case ARM_INS_SMUSD:
    case ARM_INS_SMUSDX: case ARM_INS_SMMUL: case ARM_INS_SMMULR: case ARM_INS_USAD8:
        return true;
    }
    return f->mac_acc != 0;
}

/* The second operand of a data-processing instruction, as the operand2
 * dual-issue matrix of [jnk0le] sorts it. */
enum op2 {
    OP2_OTHER,        /* no operand2 of these kinds (registers, 16-bit immediates) */
    OP2_SHIFTED_IMM,  /* a modified immediate that is a shifted 8-bit value (#0x1fc0) */
    OP2_SHIFTED_REG,  /* a register through the shifter (r5, ror #24) */
    OP2_SHIFT_IMM,    /* a shift or rotate by a constant (lsr.w r2, r3, #12) */
    OP2_SHIFT_REG,    /* a shift or rotate by a register (ror.w r2, r3, r4) */
};

/* "constant pattern": 0x00XY00XY, 0xXY00XY00 or 0xXYXYXYXY. */
static bool replicated(uint32_t v)
{
    uint32_t lo = v & 0xffu, hi = (v >> 8) & 0xffu;
    return v == lo * 0x00010001u || v == hi * 0x01000100u || v == lo * 0x01010101u;
}

static enum op2 op2_of(const struct insn_facts *f)
{
    if (f->cls != CLASS_ALU)
        return OP2_OTHER;
    switch (f->id) {
    case ARM_INS_LSL: case ARM_INS_LSR: case ARM_INS_ASR: case ARM_INS_ROR: case ARM_INS_RRX:
        return f->has_imm || f->id == ARM_INS_RRX ? OP2_SHIFT_IMM : OP2_SHIFT_REG;
    case ARM_INS_MOV:
        if (f->rm_shifted)
            return OP2_SHIFT_IMM; /* MOV Rd, Rm, <shift> #n is the shift */
        break;
    case ARM_INS_ADDW: case ARM_INS_SUBW: case ARM_INS_MOVW: case ARM_INS_MOVT:
        return OP2_OTHER; /* plain 12- and 16-bit immediates */
    }
    if (f->rm_shifted)
        return OP2_SHIFTED_REG;
    if (f->has_imm && f->size == 4 && (uint32_t)f->imm > 0xffu && !replicated((uint32_t)f->imm))
        return OP2_SHIFTED_IMM;
    return OP2_OTHER;
}

/* "bitfield and DSP instructions except multiplication (e.g. uxtb, uxtab,
 * ubfi, pkhbt, uadd8, qadd, clz, rev)". */
static bool is_bitfield_dsp(const struct insn_facts *f)
{
    switch (f->id) {
    case ARM_INS_UXTB: case ARM_INS_UXTH: case ARM_INS_SXTB: case ARM_INS_SXTH:
    case ARM_INS_UXTAB: case ARM_INS_UXTAH: case ARM_INS_SXTAB: case ARM_INS_SXTAH:
    case ARM_INS_UXTB16: case ARM_INS_SXTB16: case ARM_INS_UXTAB16: case ARM_INS_SXTAB16:
    case ARM_INS_UBFX: case ARM_INS_SBFX: case ARM_INS_BFI: case ARM_INS_BFC:
    case ARM_INS_PKHBT: case ARM_INS_PKHTB: case ARM_INS_CLZ: case ARM_INS_REV:
    case ARM_INS_REV16: case ARM_INS_REVSH: case ARM_INS_RBIT: case ARM_INS_SEL:
    case ARM_INS_USAT: case ARM_INS_SSAT: case ARM_INS_USAT16: case ARM_INS_SSAT16:
        return true;
    }
    return f->cls == CLASS_MUL && !is_multiply(f) && f->id != ARM_INS_SDIV && f->id != ARM_INS_UDIV;
}

/* The bit-field, reverse, extend-and-add and pack instructions, which use
 * the early ALU's shifter: "can't be dual issued with operand2
 * inline_shifted_reg/shifted_constant instruction". */
static bool uses_early_shifter(const struct insn_facts *f)
{
    switch (f->id) {
    case ARM_INS_BFI: case ARM_INS_BFC: case ARM_INS_SBFX: case ARM_INS_UBFX:
    case ARM_INS_RBIT: case ARM_INS_REV: case ARM_INS_REV16: case ARM_INS_REVSH:
    case ARM_INS_UXTAB: case ARM_INS_UXTAH: case ARM_INS_SXTAB: case ARM_INS_SXTAH:
    case ARM_INS_UXTAB16: case ARM_INS_SXTAB16: case ARM_INS_PKHBT: case ARM_INS_PKHTB:
        return true;
    }
    return false;
}

/* The operand2 and bit-field/DSP limits on a pair of ALU-side
 * instructions, older op first. */
static bool shifter_pairs(const struct insn_facts *older, const struct insn_facts *younger)
{
    enum op2 o = op2_of(older), y = op2_of(younger);
    bool y_shifted = y == OP2_SHIFTED_IMM || y == OP2_SHIFTED_REG;
    bool o_shifted = o == OP2_SHIFTED_IMM || o == OP2_SHIFTED_REG;
    /* The matrix: a shifted constant or shifted register as the younger op
     * pairs only after a simple constant, a pattern or a plain register. */
    if (y_shifted && o != OP2_OTHER)
        return false;
    if ((uses_early_shifter(older) && y_shifted) || (o_shifted && uses_early_shifter(younger)))
        return false;
    /* "cannot dual issue wrt each other", "must be placed in older op". */
    if (is_bitfield_dsp(younger))
        return false;
    return true;
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

/* The data registers of a single store: read at the end of the pipeline,
 * so "can store any result in same cycle". */
static uint16_t store_data_regs(const struct insn_facts *f)
{
    return f->lsu == LSU_STORE && !f->exclusive ? (uint16_t)(f->regs_read & ~address_regs(f)) : 0;
}

/* Registers read in the early ALU, a cycle before an ordinary operand: a
 * shifted register operand, the sources of the bit-field, extend and
 * reverse instructions. */
static uint16_t early_regs(const struct insn_facts *f)
{
    switch (f->id) {
    case ARM_INS_UXTB: case ARM_INS_UXTH: case ARM_INS_SXTB: case ARM_INS_SXTH:
    case ARM_INS_UBFX: case ARM_INS_SBFX: case ARM_INS_REV: case ARM_INS_REV16:
    case ARM_INS_REVSH: case ARM_INS_RBIT:
        return f->regs_read;
    }
    if (f->rm_shifted && f->rm >= 0 && f->rm != 15)
        return (uint16_t)(1u << f->rm);
    return 0;
}

/* The registers a single load writes: its destination, not a written-back base. */
static uint16_t loaded_regs(const struct insn_facts *f)
{
    uint16_t r = f->regs_written;
    if (f->mem.writeback && f->mem.base >= 0)
        r &= (uint16_t)~(1u << f->mem.base);
    return r;
}

/* Two loads through the same base, immediate offsets a multiple of 4 and
 * an odd number of words apart, hit different banks whatever the base
 * ("two loads ... can be dual issued if each one is targeting different
 * bank (even and odd words)"). */
static bool different_banks(const struct insn_facts *a, const struct insn_facts *b)
{
    if (a->mem.base < 0 || a->mem.base != b->mem.base || a->mem.index >= 0 || b->mem.index >= 0)
        return false;
    int32_t da = a->mem.post_indexed ? 0 : a->mem.disp, db = b->mem.post_indexed ? 0 : b->mem.disp;
    if (a->mem.base == 15) {
        da += (int32_t)mem_pc_value(a->addr);
        db += (int32_t)mem_pc_value(b->addr);
    }
    int32_t d = db - da;
    return (d & 3) == 0 && (d & 4) != 0;
}

static bool pairs(const struct insn_facts *prev, enum slot ps, const struct insn_facts *f, enum slot fs)
{
    if (ps == SLOT_NONE || fs == SLOT_NONE || ps == SLOT_BRANCH || prev->dual_issued)
        return false;
    if (ps == SLOT_LSU && fs == SLOT_LSU) {
        /* "cannot dual issue two stores", "[a store] can be dual issued
         * with load", two loads only to different banks. */
        if (prev->is_store && f->is_store)
            return false;
        if (prev->is_load && f->is_load && !different_banks(prev, f))
            return false;
        if (prev->lsu == LSU_FP || f->lsu == LSU_FP)
            return false;
    } else if (ps == fs && ps != SLOT_ALU) {
        return false; /* one MAC, one FP pipeline */
    }
    /* Multiplies "can't dual issue with stores". */
    if ((ps == SLOT_MAC && f->is_store) || (fs == SLOT_MAC && prev->is_store))
        return false;
    if (!shifter_pairs(prev, f))
        return false;
    if (prev->regs_written & ((f->regs_read & ~store_data_regs(f)) | f->regs_written))
        return false;
    if (prev->fp_written & (f->fp_read | f->fp_written))
        return false;
    return true;
}

/* Cycles f waits for results of the cycle before it (prev's issue cycle). */
static unsigned result_wait(const struct insn_facts *f, const struct insn_facts *prev)
{
    uint16_t data = store_data_regs(f);
    uint16_t late = (uint16_t)(f->regs_read & ~data & ~f->mac_acc); /* read at issue, not at the end */
    uint16_t early = (uint16_t)(address_regs(f) | early_regs(f) |
                                (is_multiply(f) ? f->regs_read & ~f->mac_acc : 0));
    unsigned w = 0;
    /* A word load feeds the late ALU the next cycle; the address unit, the
     * early ALU and the multiplier a cycle later. */
    if (prev->late_word_load & early)
        w = 1;
    /* Byte and halfword loads: one extra cycle of result latency ("or
     * third in early ALU"). */
    if (prev->late_short_load & early & ~(address_regs(f) | (is_multiply(f) ? f->regs_read : 0)))
        w = 2;
    else if (prev->late_short_load & late && w < 1)
        w = 1;
    /* "all multiplications and multiply accumulates have 1 additional
     * cycle of result latency", but "can be chained on accumulator
     * dependency each cycle". */
    if (prev->late_mul & late && w < 1)
        w = 1;
    /* FP loads: "vldr.f has 1 cycle of result latency", "vldm ... 1 cycle
     * to anything else"; lists and doublewords of core registers: no
     * figure, the same assumed. */
    if (prev->is_load && (prev->lsu == LSU_MULTI || prev->lsu == LSU_FP || prev->lsu == LSU_FP_MULTI) &&
        ((prev->regs_written & f->regs_read) || (prev->fp_written & f->fp_read)) && w < 1)
        w = 1;
    return w;
}

/* What f leaves late for the next cycle. */
static void note_late(struct insn_facts *f)
{
    if (f->lsu == LSU_LOAD) {
        if (f->mem.bytes >= 4)
            f->late_word_load |= loaded_regs(f);
        else
            f->late_short_load |= loaded_regs(f);
    }
    if (is_multiply(f))
        f->late_mul |= f->regs_written;
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
        /* "takes ceil(regnum/2) cycles to execute": the 64-bit path. */
        c = f->mem.words > 1 ? (f->mem.words + 1u) / 2 : 1;
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
        unsigned wait = result_wait(f, prev);
        if (c == 1 && !wait && pairs(prev, slot_of(prev), f, slot_of(f))) {
            f->dual_issued = true;
            f->late_word_load = prev->late_word_load;
            f->late_short_load = prev->late_short_load;
            f->late_mul = prev->late_mul;
            note_late(f);
            return 0;
        }
        c += wait;
    }
    note_late(f);
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
    /* "Predicted (any direction and length) taken branch is capable of
     * dual issuing with one instruction at destination address": a
     * predicted direct branch leaves no bubble.  Mispredictions are not
     * modelled. */
    return 0;
}

static unsigned m7_taken(const struct timing *t, const struct insn_facts *last)
{
    (void)t;
    /* An indirect branch (BX, BLX, POP/LDM/LDR to the PC, MOV PC): one
     * bubble, the earlier approximation; no published figure. */
    return last->has_target ? 0 : 1;
}

static unsigned m7_unaligned(uint32_t addr, unsigned bytes)
{
    /* "unaligned loads are severely underperforming. +3 cycles as older
     * op, +4 as younger op ... (banks or unaligment amount doesn't
     * matter)": +3, the older op's figure, for a word or halfword load at
     * any unaligned address.  Stores: "execute without any stalls until
     * store buffer clogs up" (unaligned_loads_only). */
    if (bytes == 2)
        return (addr & 1) ? 3 : 0;
    if (bytes == 4)
        return (addr & 3) ? 3 : 0;
    return 0;
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
    .taken = m7_taken,
    .div_cycles = m7_div_cycles,
    .unaligned = m7_unaligned,
    .unaligned_loads_only = true,
    /* Arm: 12 cycles interrupt latency (Cortex-M7 product documentation);
     * the return and the FP context cost as on the Cortex-M4. */
    .exc_entry = 12,
    .exc_entry_fp = 29,
    .exc_return = 10,
    .exc_return_fp = 27,
};
