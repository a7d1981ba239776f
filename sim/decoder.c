/*
 * decoder.c — Capstone's decoding turned into struct insn_facts (see
 * decoder.h).  Capstone 4 is the only source: its instruction ids, its
 * operand list and its register-access lists, each used where it is
 * reliable (the comments say where one of them is not).
 */
#include "decoder.h"

#include <stdlib.h>
#include <string.h>

#include <unicorn/unicorn.h>

#include "sim.h"

struct decoder {
    csh cs;
};

const int core_reg_uc_ids[16] = {
    UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3, UC_ARM_REG_R4, UC_ARM_REG_R5,
    UC_ARM_REG_R6, UC_ARM_REG_R7, UC_ARM_REG_R8, UC_ARM_REG_R9, UC_ARM_REG_R10, UC_ARM_REG_R11,
    UC_ARM_REG_R12, UC_ARM_REG_SP, UC_ARM_REG_LR, UC_ARM_REG_PC,
};

int decode_core_reg(int capstone_reg)
{
    /* Capstone numbers R0..R12 consecutively; SP, LR and PC apart. */
    if (capstone_reg >= ARM_REG_R0 && capstone_reg <= ARM_REG_R12)
        return capstone_reg - ARM_REG_R0;
    switch (capstone_reg) {
    case ARM_REG_SP: return 13;
    case ARM_REG_LR: return 14;
    case ARM_REG_PC: return 15;
    default: return -1;
    }
}

/* Marks an S or D register (D0-D15 cover S0-S31) in a bit set. */
static void fp_mark(uint32_t *set, int capstone_reg)
{
    if (capstone_reg >= ARM_REG_S0 && capstone_reg <= ARM_REG_S31)
        *set |= 1u << (capstone_reg - ARM_REG_S0);
    else if (capstone_reg >= ARM_REG_D0 && capstone_reg <= ARM_REG_D15)
        *set |= 3u << (2 * (capstone_reg - ARM_REG_D0));
}

static bool is_d_reg(const cs_arm_op *op)
{
    return op->type == ARM_OP_REG && op->reg >= ARM_REG_D0 && op->reg <= ARM_REG_D31;
}

/* How an instruction uses the load/store unit (see enum lsu_kind). */
static uint8_t lsu_of(unsigned id)
{
    switch (id) {
    case ARM_INS_LDR: case ARM_INS_LDRB: case ARM_INS_LDRH: case ARM_INS_LDRSB:
    case ARM_INS_LDRSH: case ARM_INS_LDRT: case ARM_INS_LDRBT: case ARM_INS_LDRHT:
    case ARM_INS_LDRSBT: case ARM_INS_LDRSHT: case ARM_INS_LDREX: case ARM_INS_LDREXB:
    case ARM_INS_LDREXH:
        return LSU_LOAD;
    case ARM_INS_STR: case ARM_INS_STRB: case ARM_INS_STRH: case ARM_INS_STRT:
    case ARM_INS_STRBT: case ARM_INS_STRHT: case ARM_INS_STREX: case ARM_INS_STREXB:
    case ARM_INS_STREXH:
        return LSU_STORE;
    case ARM_INS_LDRD: case ARM_INS_STRD: case ARM_INS_LDM: case ARM_INS_LDMDB:
    case ARM_INS_STM: case ARM_INS_STMDB: case ARM_INS_PUSH: case ARM_INS_POP:
        return LSU_MULTI;
    case ARM_INS_VLDR: case ARM_INS_VSTR:
        return LSU_FP;
    case ARM_INS_VLDMIA: case ARM_INS_VLDMDB: case ARM_INS_VSTMIA: case ARM_INS_VSTMDB:
    case ARM_INS_VPUSH: case ARM_INS_VPOP:
        return LSU_FP_MULTI;
    case ARM_INS_TBB: case ARM_INS_TBH:
        return LSU_TABLE;
    }
    return LSU_NONE;
}

static bool is_load_id(unsigned id)
{
    switch (id) {
    case ARM_INS_LDR: case ARM_INS_LDRB: case ARM_INS_LDRH: case ARM_INS_LDRSB:
    case ARM_INS_LDRSH: case ARM_INS_LDRT: case ARM_INS_LDRBT: case ARM_INS_LDRHT:
    case ARM_INS_LDRSBT: case ARM_INS_LDRSHT: case ARM_INS_LDREX: case ARM_INS_LDREXB:
    case ARM_INS_LDREXH: case ARM_INS_LDRD: case ARM_INS_LDM: case ARM_INS_LDMDB:
    case ARM_INS_POP: case ARM_INS_VLDR: case ARM_INS_VLDMIA: case ARM_INS_VLDMDB:
    case ARM_INS_VPOP: case ARM_INS_TBB: case ARM_INS_TBH:
        return true;
    }
    return false;
}

static bool is_store_id(unsigned id)
{
    switch (id) {
    case ARM_INS_STR: case ARM_INS_STRB: case ARM_INS_STRH: case ARM_INS_STRT:
    case ARM_INS_STRBT: case ARM_INS_STRHT: case ARM_INS_STREX: case ARM_INS_STREXB:
    case ARM_INS_STREXH: case ARM_INS_STRD: case ARM_INS_STM: case ARM_INS_STMDB:
    case ARM_INS_PUSH: case ARM_INS_VSTR: case ARM_INS_VSTMIA: case ARM_INS_VSTMDB:
    case ARM_INS_VPUSH:
        return true;
    }
    return false;
}

/* Bytes of one transfer: 1 for byte forms and TBB, 2 for halfword forms
 * and TBH, otherwise 4 (doubleword and list forms are sized apart). */
static unsigned access_bytes(unsigned id)
{
    switch (id) {
    case ARM_INS_LDRB: case ARM_INS_STRB: case ARM_INS_LDRSB: case ARM_INS_LDRBT:
    case ARM_INS_STRBT: case ARM_INS_LDRSBT: case ARM_INS_LDREXB: case ARM_INS_STREXB:
    case ARM_INS_TBB:
        return 1;
    case ARM_INS_LDRH: case ARM_INS_STRH: case ARM_INS_LDRSH: case ARM_INS_LDRHT:
    case ARM_INS_STRHT: case ARM_INS_LDRSHT: case ARM_INS_LDREXH: case ARM_INS_STREXH:
    case ARM_INS_TBH:
        return 2;
    }
    return 4;
}

static bool is_mul_dsp_id(unsigned id)
{
    switch (id) {
    case ARM_INS_MUL: case ARM_INS_MLA: case ARM_INS_MLS: case ARM_INS_SMULL:
    case ARM_INS_UMULL: case ARM_INS_SMLAL: case ARM_INS_UMLAL: case ARM_INS_UMAAL:
    case ARM_INS_SMLABB: case ARM_INS_SMLABT: case ARM_INS_SMLATB: case ARM_INS_SMLATT:
    case ARM_INS_SMLAD: case ARM_INS_SMLADX: case ARM_INS_SMLALBB: case ARM_INS_SMLALBT:
    case ARM_INS_SMLALTB: case ARM_INS_SMLALTT: case ARM_INS_SMLALD: case ARM_INS_SMLALDX:
    case ARM_INS_SMLAWB: case ARM_INS_SMLAWT: case ARM_INS_SMLSD: case ARM_INS_SMLSDX:
    case ARM_INS_SMLSLD: case ARM_INS_SMLSLDX: case ARM_INS_SMMLA: case ARM_INS_SMMLAR:
    case ARM_INS_SMMLS: case ARM_INS_SMMLSR: case ARM_INS_SMMUL: case ARM_INS_SMMULR:
    case ARM_INS_SMUAD: case ARM_INS_SMUADX: case ARM_INS_SMULBB: case ARM_INS_SMULBT:
    case ARM_INS_SMULTB: case ARM_INS_SMULTT: case ARM_INS_SMULWB: case ARM_INS_SMULWT:
    case ARM_INS_SMUSD: case ARM_INS_SMUSDX: case ARM_INS_USAD8: case ARM_INS_USADA8:
    case ARM_INS_SDIV: case ARM_INS_UDIV:
    /* SIMD and saturating arithmetic of the DSP extension */
    case ARM_INS_QADD: case ARM_INS_QSUB: case ARM_INS_QDADD: case ARM_INS_QDSUB:
    case ARM_INS_QADD16: case ARM_INS_QADD8: case ARM_INS_QASX: case ARM_INS_QSAX:
    case ARM_INS_QSUB16: case ARM_INS_QSUB8: case ARM_INS_SADD16: case ARM_INS_SADD8:
    case ARM_INS_SASX: case ARM_INS_SSAX: case ARM_INS_SSUB16: case ARM_INS_SSUB8:
    case ARM_INS_SHADD16: case ARM_INS_SHADD8: case ARM_INS_SHASX: case ARM_INS_SHSAX:
    case ARM_INS_SHSUB16: case ARM_INS_SHSUB8: case ARM_INS_UADD16: case ARM_INS_UADD8:
    case ARM_INS_UASX: case ARM_INS_USAX: case ARM_INS_USUB16: case ARM_INS_USUB8:
    case ARM_INS_UHADD16: case ARM_INS_UHADD8: case ARM_INS_UHASX: case ARM_INS_UHSAX:
    case ARM_INS_UHSUB16: case ARM_INS_UHSUB8: case ARM_INS_UQADD16: case ARM_INS_UQADD8:
    case ARM_INS_UQASX: case ARM_INS_UQSAX: case ARM_INS_UQSUB16: case ARM_INS_UQSUB8:
    case ARM_INS_SEL: case ARM_INS_SSAT16: case ARM_INS_USAT16: case ARM_INS_SXTB16:
    case ARM_INS_SXTAB16: case ARM_INS_UXTB16: case ARM_INS_UXTAB16: case ARM_INS_PKHBT:
    case ARM_INS_PKHTB:
        return true;
    }
    return false;
}

static bool is_branch_id(unsigned id)
{
    switch (id) {
    case ARM_INS_B: case ARM_INS_BL: case ARM_INS_BLX: case ARM_INS_BX:
    case ARM_INS_CBZ: case ARM_INS_CBNZ: case ARM_INS_TBB: case ARM_INS_TBH:
        return true;
    }
    return false;
}

static bool is_other_id(unsigned id)
{
    switch (id) {
    case ARM_INS_IT: case ARM_INS_NOP: case ARM_INS_YIELD: case ARM_INS_WFE: case ARM_INS_WFI:
    case ARM_INS_SEV: case ARM_INS_BKPT: case ARM_INS_SVC: case ARM_INS_UDF: case ARM_INS_CPS:
    case ARM_INS_MRS: case ARM_INS_MSR: case ARM_INS_DMB: case ARM_INS_DSB: case ARM_INS_ISB:
    case ARM_INS_CLREX: case ARM_INS_DBG: case ARM_INS_HINT: case ARM_INS_PLD: case ARM_INS_PLI:
    case ARM_INS_PLDW: case ARM_INS_VMRS: case ARM_INS_VMSR:
        return true;
    }
    return false;
}

/* Registers read and written, from Capstone's access lists and operands. */
static void decode_registers(csh cs, const cs_insn *in, struct insn_facts *f)
{
    const cs_arm *arm = &in->detail->arm;
    cs_regs rr, rw;
    uint8_t nr = 0, nw = 0;
    if (cs_regs_access(cs, in, rr, &nr, rw, &nw) == CS_ERR_OK) {
        for (int i = 0; i < nr; i++) {
            int r = decode_core_reg(rr[i]);
            if (r >= 0)
                f->regs_read |= (uint16_t)(1u << r);
            fp_mark(&f->fp_read, rr[i]);
        }
        for (int i = 0; i < nw; i++) {
            int r = decode_core_reg(rw[i]);
            if (r >= 0)
                f->regs_written |= (uint16_t)(1u << r);
            fp_mark(&f->fp_written, rw[i]);
        }
    }
    for (int i = 0; i < arm->op_count; i++) {
        const cs_arm_op *op = &arm->operands[i];
        if (op->type != ARM_OP_REG)
            continue;
        /* Capstone's access lists miss some writes (POP {pc}); the operand
         * list is authoritative for register destinations. */
        int r = decode_core_reg(op->reg);
        if (r >= 0 && (op->access & CS_AC_WRITE))
            f->regs_written |= (uint16_t)(1u << r);
        fp_mark(op->access & CS_AC_WRITE ? &f->fp_written : &f->fp_read, op->reg);
    }
}

/* The memory operand: a [base, offset] operand, or a register list. */
static void decode_memory(const cs_insn *in, struct insn_facts *f)
{
    const cs_arm *arm = &in->detail->arm;
    struct mem_operand *m = &f->mem;
    m->base = m->index = -1;
    m->writeback = arm->writeback;
    switch (f->id) {
    case ARM_INS_PUSH: case ARM_INS_POP: case ARM_INS_VPUSH: case ARM_INS_VPOP:
        m->list = true;
        m->base = 13;
        m->writeback = true; /* Capstone 4 leaves it unset for PUSH.W and POP.W */
        m->words = (uint8_t)arm->op_count;
        m->descending = f->id == ARM_INS_PUSH || f->id == ARM_INS_VPUSH;
        break;
    case ARM_INS_LDM: case ARM_INS_STM: case ARM_INS_LDMDB: case ARM_INS_STMDB:
    case ARM_INS_VLDMIA: case ARM_INS_VSTMIA: case ARM_INS_VLDMDB: case ARM_INS_VSTMDB:
        /* The base is the first operand, the list the rest. */
        m->list = true;
        if (arm->op_count > 0 && arm->operands[0].type == ARM_OP_REG)
            m->base = (int8_t)decode_core_reg(arm->operands[0].reg);
        m->words = (uint8_t)(arm->op_count > 0 ? arm->op_count - 1 : 0);
        m->descending = f->id == ARM_INS_LDMDB || f->id == ARM_INS_STMDB || f->id == ARM_INS_VLDMDB ||
                        f->id == ARM_INS_VSTMDB;
        break;
    }
    if (m->list) {
        /* Lists of D registers move two words each. */
        if (arm->op_count > 0 && is_d_reg(&arm->operands[arm->op_count - 1]))
            m->words *= 2;
        m->bytes = (uint16_t)(4 * m->words);
        return;
    }
    for (int i = 0; i < arm->op_count; i++) {
        const cs_arm_op *op = &arm->operands[i];
        if (op->type != ARM_OP_MEM)
            continue;
        m->base = (int8_t)decode_core_reg(op->mem.base);
        m->index = (int8_t)decode_core_reg(op->mem.index);
        /* Capstone 4 gives the index shift in op->shift, not mem.lshift. */
        m->shift = (uint8_t)(op->shift.type == ARM_SFT_LSL ? op->shift.value : (unsigned)op->mem.lshift);
        m->subtract = op->subtracted;
        m->disp = op->mem.disp; /* signed */
        /* Post-indexed forms carry the offset as a separate operand
         * after the memory one, an immediate (signed) in Thumb. */
        if (m->writeback && i + 1 < arm->op_count) {
            m->post_indexed = true;
            if (arm->operands[i + 1].type == ARM_OP_IMM)
                m->disp = (int32_t)arm->operands[i + 1].imm;
        }
        break;
    }
    m->bytes = (uint16_t)access_bytes(f->id);
    if (f->id == ARM_INS_LDRD || f->id == ARM_INS_STRD) {
        m->words = 2;
        m->bytes = 8;
    }
    if (f->lsu == LSU_FP && arm->op_count > 0 && is_d_reg(&arm->operands[0])) {
        f->fp_double = true;
        m->bytes = 8;
    }
}

/* The registers a multiply-accumulate reads as its accumulator: Ra of the
 * four-operand forms, RdLo and RdHi of the long ones. */
static uint16_t mac_accumulator(unsigned id, const cs_arm_op *op, int n)
{
    int first = -1, last = -1;
    switch (id) {
    case ARM_INS_MLA: case ARM_INS_MLS: case ARM_INS_SMLABB: case ARM_INS_SMLABT:
    case ARM_INS_SMLATB: case ARM_INS_SMLATT: case ARM_INS_SMLAWB: case ARM_INS_SMLAWT:
    case ARM_INS_SMLAD: case ARM_INS_SMLADX: case ARM_INS_SMLSD: case ARM_INS_SMLSDX:
    case ARM_INS_SMMLA: case ARM_INS_SMMLAR: case ARM_INS_SMMLS: case ARM_INS_SMMLSR:
    case ARM_INS_USADA8:
        first = last = 3;
        break;
    case ARM_INS_SMLAL: case ARM_INS_UMLAL: case ARM_INS_UMAAL: case ARM_INS_SMLALBB:
    case ARM_INS_SMLALBT: case ARM_INS_SMLALTB: case ARM_INS_SMLALTT: case ARM_INS_SMLALD:
    case ARM_INS_SMLALDX: case ARM_INS_SMLSLD: case ARM_INS_SMLSLDX:
        first = 0;
        last = 1;
        break;
    default:
        return 0;
    }
    uint16_t acc = 0;
    for (int i = first; i <= last && i < n; i++) {
        int r = op[i].type == ARM_OP_REG ? decode_core_reg(op[i].reg) : -1;
        if (r >= 0)
            acc |= (uint16_t)(1u << r);
    }
    return acc;
}

/* Data-processing operands (Rd, Rn, Rm/#imm) and a direct branch's target. */
static void decode_operands(const cs_insn *in, struct insn_facts *f)
{
    const cs_arm *arm = &in->detail->arm;
    const cs_arm_op *op = arm->operands;
    f->rd = f->rn = f->rm = -1;
    int n = arm->op_count;
    if ((n == 2 || n == 3) && op[0].type == ARM_OP_REG && (n == 2 || op[1].type == ARM_OP_REG)) {
        const cs_arm_op *last = &op[n - 1];
        f->rd = (int8_t)decode_core_reg(op[0].reg);
        f->rn = n == 3 ? (int8_t)decode_core_reg(op[1].reg) : f->rd;
        if (last->type == ARM_OP_REG) {
            f->rm = (int8_t)decode_core_reg(last->reg);
            f->rm_shifted = last->shift.type != ARM_SFT_INVALID;
        } else if (last->type == ARM_OP_IMM) {
            f->has_imm = true;
            f->imm = last->imm;
        }
    }
    f->mac_acc = mac_accumulator(f->id, op, n);
    if (is_branch_id(f->id) && n > 0 && op[n - 1].type == ARM_OP_IMM) {
        f->has_target = true;
        f->target = (uint32_t)op[n - 1].imm;
    }
}

static void decode_facts(csh cs, const cs_insn *in, struct insn_facts *f)
{
    const cs_arm *arm = &in->detail->arm;
    memset(f, 0, sizeof *f);
    f->id = in->id;
    f->addr = (uint32_t)in->address;
    f->size = (uint8_t)in->size;
    f->conditional = arm->cc != ARM_CC_AL && arm->cc != ARM_CC_INVALID;
    f->in_it = f->conditional && f->id != ARM_INS_B;
    f->is_load = is_load_id(f->id);
    f->is_store = is_store_id(f->id);
    f->lsu = lsu_of(f->id);
    switch (f->id) {
    case ARM_INS_LDREX: case ARM_INS_LDREXB: case ARM_INS_LDREXH:
    case ARM_INS_STREX: case ARM_INS_STREXB: case ARM_INS_STREXH:
        f->exclusive = true;
        break;
    }
    f->is_fp = in->mnemonic[0] == 'v' && !f->is_load && !f->is_store &&
               f->id != ARM_INS_VMRS && f->id != ARM_INS_VMSR;
    switch (f->id) {
    case ARM_INS_VMLA: case ARM_INS_VMLS: case ARM_INS_VNMLA: case ARM_INS_VNMLS:
    case ARM_INS_VFMA: case ARM_INS_VFMS: case ARM_INS_VFNMA: case ARM_INS_VFNMS:
        f->fp_mac = true;
        break;
    case ARM_INS_VDIV: case ARM_INS_VSQRT:
        f->fp_long = true;
        break;
    }

    decode_registers(cs, in, f);
    decode_memory(in, f);
    decode_operands(in, f);
    /* A multiple store writes no register but its written-back base;
     * Capstone 4 marks the list of PUSH.W as written. */
    if (f->is_store && f->mem.list)
        f->regs_written = 0;
    /* A written-back base is written, whatever the access lists say. */
    if (f->mem.writeback && f->mem.base >= 0 && f->lsu != LSU_NONE)
        f->regs_written |= (uint16_t)(1u << f->mem.base);
    f->fp_touch = f->is_fp || f->fp_read || f->fp_written || f->id == ARM_INS_VMRS ||
                  f->id == ARM_INS_VMSR;
    f->writes_pc = (f->regs_written & (1u << 15)) || is_branch_id(f->id);

    if (is_branch_id(f->id) && f->id != ARM_INS_TBB && f->id != ARM_INS_TBH)
        f->cls = CLASS_BRANCH;
    else if (f->is_load)
        f->cls = CLASS_LOAD;
    else if (f->is_store)
        f->cls = CLASS_STORE;
    else if (f->is_fp)
        f->cls = CLASS_FPU;
    else if (is_mul_dsp_id(f->id))
        f->cls = CLASS_MUL;
    else if (is_other_id(f->id))
        f->cls = CLASS_OTHER;
    else if (f->writes_pc)
        f->cls = CLASS_BRANCH;
    else
        f->cls = CLASS_ALU;
}

struct decoder *decoder_open(const struct core_desc *core)
{
    struct decoder *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    if (cs_open(CS_ARCH_ARM, (cs_mode)core->capstone_mode, &d->cs) != CS_ERR_OK) {
        free(d);
        return NULL;
    }
    cs_option(d->cs, CS_OPT_DETAIL, CS_OPT_ON);
    return d;
}

void decoder_close(struct decoder *d)
{
    if (!d)
        return;
    cs_close(&d->cs);
    free(d);
}

size_t decoder_block(struct decoder *d, const uint8_t *code, uint32_t size, uint32_t addr,
                     struct insn_facts *out, size_t max)
{
    /* One cs_disasm() per block, not cs_disasm_iter(): Capstone tracks the
     * IT block through one call, and the iterator would carry an IT block
     * left open at the end of one block into the next block decoded. */
    cs_insn *insn = NULL;
    size_t n = cs_disasm(d->cs, code, size, addr, max, &insn);
    for (size_t i = 0; i < n; i++)
        decode_facts(d->cs, &insn[i], &out[i]);
    if (insn)
        cs_free(insn, n);
    return n;
}
