/*
 * timing.c — the core-independent half of the cycle model.
 *
 * Extracts what every per-core table needs from Capstone's decoding
 * (instruction class, registers, addressing, branch shape), assembles a
 * block's static description (cycles, prefix sums for exact mid-block
 * DWT CYCCNT reads, class mix, how it ends), and simulates the instruction
 * cache in front of flash when the board has one.  The per-core cost of
 * each instruction comes from timing_m0plus.c, timing_m4.c or timing_m7.c.
 */
#include "timing_internal.h"

#include <stdlib.h>
#include <string.h>

static int reg_num(int capstone_reg)
{
    switch (capstone_reg) {
    case ARM_REG_R0: return 0;
    case ARM_REG_R1: return 1;
    case ARM_REG_R2: return 2;
    case ARM_REG_R3: return 3;
    case ARM_REG_R4: return 4;
    case ARM_REG_R5: return 5;
    case ARM_REG_R6: return 6;
    case ARM_REG_R7: return 7;
    case ARM_REG_R8: return 8;
    case ARM_REG_R9: return 9;
    case ARM_REG_R10: return 10;
    case ARM_REG_R11: return 11;
    case ARM_REG_R12: return 12;
    case ARM_REG_SP: return 13;
    case ARM_REG_LR: return 14;
    case ARM_REG_PC: return 15;
    default: return -1;
    }
}

static int sreg_num(int capstone_reg)
{
    if (capstone_reg >= ARM_REG_S0 && capstone_reg <= ARM_REG_S31)
        return capstone_reg - ARM_REG_S0;
    return -1;
}

/* Marks an S or D register (D0-D15 cover S0-S31) in a bit set. */
static void fp_mark(uint32_t *set, int capstone_reg)
{
    int s = sreg_num(capstone_reg);
    if (s >= 0)
        *set |= 1u << s;
    else if (capstone_reg >= ARM_REG_D0 && capstone_reg <= ARM_REG_D15)
        *set |= 3u << (2 * (capstone_reg - ARM_REG_D0));
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

static bool is_single_ldst_id(unsigned id)
{
    switch (id) {
    case ARM_INS_LDR: case ARM_INS_LDRB: case ARM_INS_LDRH: case ARM_INS_LDRSB:
    case ARM_INS_LDRSH: case ARM_INS_LDRT: case ARM_INS_LDRBT: case ARM_INS_LDRHT:
    case ARM_INS_LDRSBT: case ARM_INS_LDRSHT: case ARM_INS_LDREX: case ARM_INS_LDREXB:
    case ARM_INS_LDREXH:
    case ARM_INS_STR: case ARM_INS_STRB: case ARM_INS_STRH: case ARM_INS_STRT:
    case ARM_INS_STRBT: case ARM_INS_STRHT: case ARM_INS_STREX: case ARM_INS_STREXB:
    case ARM_INS_STREXH:
        return true;
    }
    return false;
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

static void extract_facts(csh cs, const cs_insn *in, struct insn_facts *f)
{
    const cs_arm *arm = &in->detail->arm;
    memset(f, 0, sizeof *f);
    f->in = in;
    f->id = in->id;
    f->addr = (uint32_t)in->address;
    f->size = in->size;
    f->mem_base = f->mem_index = -1;
    f->conditional = arm->cc != ARM_CC_AL && arm->cc != ARM_CC_INVALID;
    f->in_it = f->conditional && f->id != ARM_INS_B;
    f->is_load = is_load_id(f->id);
    f->is_store = is_store_id(f->id);
    f->is_single_ldst = is_single_ldst_id(f->id);
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

    cs_regs rr, rw;
    uint8_t nr = 0, nw = 0;
    if (cs_regs_access(cs, in, rr, &nr, rw, &nw) == CS_ERR_OK) {
        for (int i = 0; i < nr; i++) {
            int r = reg_num(rr[i]);
            if (r >= 0)
                f->regs_read |= 1u << r;
            fp_mark(&f->fp_read, rr[i]);
        }
        for (int i = 0; i < nw; i++) {
            int r = reg_num(rw[i]);
            if (r >= 0)
                f->regs_written |= 1u << r;
            fp_mark(&f->fp_written, rw[i]);
        }
    }
    for (int i = 0; i < arm->op_count; i++) {
        const cs_arm_op *op = &arm->operands[i];
        if (op->type == ARM_OP_MEM) {
            f->mem_base = reg_num(op->mem.base);
            f->mem_index = reg_num(op->mem.index);
            f->reg_offset = f->mem_index >= 0;
            f->pc_relative = f->mem_base == 15;
        } else if (op->type == ARM_OP_REG) {
            /* Capstone's access info misses some writes (POP {pc}); the
             * operand list is authoritative for register destinations. */
            int r = reg_num(op->reg);
            if (r >= 0 && (op->access & CS_AC_WRITE))
                f->regs_written |= 1u << r;
        }
    }
    switch (f->id) {
    case ARM_INS_LDM: case ARM_INS_LDMDB: case ARM_INS_STM: case ARM_INS_STMDB:
        f->n_list = arm->op_count > 0 ? arm->op_count - 1 : 0; /* minus the base */
        break;
    case ARM_INS_POP: case ARM_INS_PUSH: case ARM_INS_VPUSH: case ARM_INS_VPOP:
        f->n_list = arm->op_count;
        break;
    case ARM_INS_VLDMIA: case ARM_INS_VLDMDB: case ARM_INS_VSTMIA: case ARM_INS_VSTMDB:
        f->n_list = arm->op_count > 0 ? arm->op_count - 1 : 0;
        break;
    case ARM_INS_LDRD: case ARM_INS_STRD:
        f->n_list = 2;
        break;
    }
    /* Register lists of D registers move two words each. */
    if ((f->id == ARM_INS_VPUSH || f->id == ARM_INS_VPOP || f->id == ARM_INS_VLDMIA ||
         f->id == ARM_INS_VLDMDB || f->id == ARM_INS_VSTMIA || f->id == ARM_INS_VSTMDB) &&
        arm->op_count > 0 && arm->operands[arm->op_count - 1].type == ARM_OP_REG &&
        arm->operands[arm->op_count - 1].reg >= ARM_REG_D0 &&
        arm->operands[arm->op_count - 1].reg <= ARM_REG_D31)
        f->n_list *= 2;

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

static enum block_end classify_end(const struct insn_facts *f)
{
    switch (f->id) {
    case ARM_INS_SVC: case ARM_INS_BKPT: case ARM_INS_UDF:
        return END_TRAP;
    case ARM_INS_BL:
        return END_CALL;
    case ARM_INS_BLX:
        return END_CALL;
    case ARM_INS_B:
        return f->conditional ? END_COND_BRANCH : END_BRANCH;
    case ARM_INS_CBZ: case ARM_INS_CBNZ:
        return END_COND_BRANCH;
    case ARM_INS_BX:
        return (f->regs_read & (1u << 14)) ? END_RETURN : END_INDIRECT;
    case ARM_INS_POP:
        return (f->regs_written & (1u << 15)) ? END_RETURN : END_FALLTHROUGH;
    case ARM_INS_LDM: case ARM_INS_LDR:
        if (!(f->regs_written & (1u << 15)))
            return END_FALLTHROUGH;
        return f->mem_base == 13 ? END_RETURN : END_INDIRECT;
    }
    return f->writes_pc ? END_INDIRECT : END_FALLTHROUGH;
}

struct timing *timing_create(const struct board *b)
{
    struct timing *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    switch (b->core) {
    case CORE_CORTEX_M0PLUS: t->core = &timing_core_m0plus; break;
    case CORE_CORTEX_M4: t->core = &timing_core_m4; break;
    case CORE_CORTEX_M7: t->core = &timing_core_m7; break;
    }
    t->bt = b->timing;
    t->has_fpu = b->has_fpu;
    t->has_dsp = b->has_dsp;
    const struct board_region *flash = board_main_region(b, REGION_FLASH);
    t->flash_base = flash->base;
    t->flash_size = flash->size;
    if (t->bt.icache && t->bt.icache_bytes && t->bt.icache_line_bytes) {
        uint32_t lines = t->bt.icache_bytes / t->bt.icache_line_bytes;
        t->ic.ways = t->bt.icache_ways ? t->bt.icache_ways : 1;
        t->ic.sets = lines / t->ic.ways ? lines / t->ic.ways : 1;
        t->ic.line_shift = (uint32_t)__builtin_ctz(t->bt.icache_line_bytes);
        t->ic.tags = calloc((size_t)t->ic.sets * t->ic.ways, sizeof *t->ic.tags);
        t->ic.lru = calloc(t->ic.sets, 1);
        if (!t->ic.tags || !t->ic.lru) {
            timing_destroy(t);
            return NULL;
        }
    }
    return t;
}

void timing_destroy(struct timing *t)
{
    if (!t)
        return;
    free(t->ic.tags);
    free(t->ic.lru);
    free(t);
}

const char *timing_name(const struct timing *t)
{
    return t->core->name;
}

int timing_block(struct timing *t, csh cs, const cs_insn *insn, size_t n, struct sim_block *b,
                 struct timing_dyn *dyn, int max_dyn)
{
    b->n_insns = (uint32_t)n;
    b->insn_addr = malloc(n * sizeof *b->insn_addr);
    b->insn_class = malloc(n ? n : 1);
    b->prefix_cycles = malloc((n + 1) * sizeof *b->prefix_cycles);
    struct insn_facts *facts = malloc((n ? n : 1) * sizeof *facts);
    if (!b->insn_addr || !b->insn_class || !b->prefix_cycles || !facts) {
        free(facts);
        return -1;
    }
    memset(b->class_count, 0, sizeof b->class_count);
    b->has_fp = b->has_dynamic = 0;
    b->flash_literal_loads = 0;

    int n_dyn = 0;
    uint32_t total = 0;
    for (size_t i = 0; i < n; i++) {
        extract_facts(cs, &insn[i], &facts[i]);
        struct insn_facts *f = &facts[i];
        struct timing_dyn d = {.kind = DYN_NONE};
        unsigned c = t->core->cost(t, f, i ? &facts[i - 1] : NULL, &d);
        if (d.kind != DYN_NONE && n_dyn < max_dyn) {
            d.addr = f->addr;
            dyn[n_dyn++] = d;
            b->has_dynamic = 1;
        }
        if (f->pc_relative && f->is_load && timing_in_flash(t, f->addr)) {
            b->flash_literal_loads++;
            c += t->bt.flash_wait_states;
        }
        b->insn_addr[i] = f->addr;
        b->insn_class[i] = f->cls;
        b->class_count[f->cls]++;
        if (f->is_fp || (f->fp_read | f->fp_written))
            b->has_fp = 1;
        b->prefix_cycles[i] = total;
        total += c;
    }
    b->prefix_cycles[n] = total;
    b->cycles = total;
    b->end = n ? classify_end(&facts[n - 1]) : END_FALLTHROUGH;
    b->taken_cycles = 0;
    b->refill = n ? t->core->refill(t, &facts[0]) : 0;

    /* Without a cache, each flash line the block spans is fetched once per
     * execution; the prefetch buffer hides sequential fetches, so only the
     * first line's wait states (after a jump) are charged statically. */
    b->flash_fetch_lines = 0;
    if (n && timing_in_flash(t, b->addr)) {
        uint32_t line = t->bt.flash_line_bytes ? t->bt.flash_line_bytes : 16;
        b->flash_fetch_lines = (uint16_t)((b->addr + b->size - 1) / line - b->addr / line + 1);
        if (!t->ic.tags && t->bt.flash_wait_states) {
            b->refill += t->bt.flash_wait_states;
        }
    }
    free(facts);
    return n_dyn;
}

uint32_t timing_dyn_cost(const struct timing *t, const struct timing_dyn *site, uint32_t rn_value,
                         uint32_t rm_value)
{
    if (site->kind == DYN_EXECUTED)
        return site->extra;
    return t->core->dyn_cost(t, site, rn_value, rm_value);
}

bool timing_has_fetch_model(const struct timing *t)
{
    return t->ic.tags != NULL && t->bt.flash_wait_states > 0;
}

uint32_t timing_fetch(struct timing *t, const struct sim_block *b)
{
    if (!timing_in_flash(t, b->addr))
        return 0;
    struct icache *ic = &t->ic;
    uint32_t first = b->addr >> ic->line_shift;
    uint32_t last = (b->addr + b->size - 1) >> ic->line_shift;
    uint32_t misses = 0;
    for (uint32_t line = first; line <= last; line++) {
        uint32_t set = line % ic->sets;
        uint32_t *ways = &ic->tags[(size_t)set * ic->ways];
        bool hit = false;
        for (uint32_t w = 0; w < ic->ways; w++) {
            if (ways[w] == line + 1) {
                hit = true;
                break;
            }
        }
        if (!hit) {
            ways[ic->lru[set]] = line + 1;
            ic->lru[set] = (uint8_t)((ic->lru[set] + 1) % ic->ways);
            misses++;
        }
    }
    return misses * t->bt.flash_wait_states;
}

uint32_t timing_exception_entry(const struct timing *t, bool fp_context)
{
    return fp_context ? t->core->exc_entry_fp : t->core->exc_entry;
}

uint32_t timing_exception_return(const struct timing *t, bool fp_context)
{
    return fp_context ? t->core->exc_return_fp : t->core->exc_return;
}
