/*
 * timing.c — the core-independent half of the cycle model.
 *
 * Extracts what every per-core table needs from Capstone's decoding
 * (instruction class, registers, addressing, branch shape), assembles a
 * block's static description (cycles, prefix sums for exact mid-block
 * DWT CYCCNT reads, class mix, how it ends), and models the memory system
 * in front of the core: flash wait states, the instruction cache or
 * prefetch buffer, and data reads from flash (literal pools, weights),
 * through a data cache when the board has one.  The per-core cost of each
 * instruction comes from timing_m0plus.c, timing_m4.c or timing_m7.c.
 *
 * Memory timing that depends on run time (cache state, where a register
 * points) is gathered per block into a struct block_mem, and evaluated
 * once per block execution by timing_block_run(): there is never a
 * per-access memory hook, which would cost most of the simulator's speed.
 */
#include "timing_internal.h"

#include <stdlib.h>
#include <string.h>

#include "arm_insn.h"

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
    f->is_load = arm_insn_is_load(f->id);
    f->is_store = arm_insn_is_store(f->id);
    f->lsu = lsu_of(f->id);
    f->access_bytes = (uint8_t)arm_insn_access_bytes(f->id);
    f->writeback = arm->writeback;
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

    cs_regs rr, rw;
    uint8_t nr = 0, nw = 0;
    if (cs_regs_access(cs, in, rr, &nr, rw, &nw) == CS_ERR_OK) {
        for (int i = 0; i < nr; i++) {
            int r = arm_core_reg(rr[i]);
            if (r >= 0)
                f->regs_read |= (uint16_t)(1u << r);
            fp_mark(&f->fp_read, rr[i]);
        }
        for (int i = 0; i < nw; i++) {
            int r = arm_core_reg(rw[i]);
            if (r >= 0)
                f->regs_written |= (uint16_t)(1u << r);
            fp_mark(&f->fp_written, rw[i]);
        }
    }
    bool seen_mem = false;
    for (int i = 0; i < arm->op_count; i++) {
        const cs_arm_op *op = &arm->operands[i];
        if (op->type == ARM_OP_MEM) {
            f->mem_base = arm_core_reg(op->mem.base);
            f->mem_index = arm_core_reg(op->mem.index);
            /* Capstone 4 gives the index shift in op->shift, not mem.lshift. */
            f->mem_shift = (uint8_t)(op->shift.type == ARM_SFT_LSL ? op->shift.value : (unsigned)op->mem.lshift);
            f->mem_disp = op->mem.disp;
            f->mem_subtract = op->subtracted;
            f->reg_offset = f->mem_index >= 0;
            f->pc_relative = f->mem_base == 15;
            seen_mem = true;
        } else if (op->type == ARM_OP_REG) {
            /* Capstone's access info misses some writes (POP {pc}); the
             * operand list is authoritative for register destinations. */
            int r = arm_core_reg(op->reg);
            if (r >= 0 && (op->access & CS_AC_WRITE))
                f->regs_written |= (uint16_t)(1u << r);
            fp_mark(op->access & CS_AC_WRITE ? &f->fp_written : &f->fp_read, op->reg);
            if (seen_mem && f->writeback)
                f->post_indexed = true; /* [Rn], Rm */
        } else if (op->type == ARM_OP_IMM && seen_mem && f->writeback) {
            /* Post-indexed forms carry the offset as a separate operand. */
            f->post_indexed = true;
            f->mem_disp = (int32_t)op->imm;
        }
    }
    if (f->writeback && f->mem_base >= 0 && f->lsu != LSU_NONE)
        f->regs_written |= (uint16_t)(1u << f->mem_base);
    switch (f->id) {
    case ARM_INS_LDM: case ARM_INS_LDMDB: case ARM_INS_STM: case ARM_INS_STMDB:
        f->n_list = arm->op_count > 0 ? arm->op_count - 1u : 0; /* minus the base */
        if (arm->op_count > 0 && arm->operands[0].type == ARM_OP_REG)
            f->mem_base = arm_core_reg(arm->operands[0].reg);
        break;
    case ARM_INS_POP: case ARM_INS_PUSH: case ARM_INS_VPUSH: case ARM_INS_VPOP:
        f->n_list = arm->op_count;
        f->mem_base = 13;
        break;
    case ARM_INS_VLDMIA: case ARM_INS_VLDMDB: case ARM_INS_VSTMIA: case ARM_INS_VSTMDB:
        f->n_list = arm->op_count > 0 ? arm->op_count - 1u : 0;
        if (arm->op_count > 0 && arm->operands[0].type == ARM_OP_REG)
            f->mem_base = arm_core_reg(arm->operands[0].reg);
        break;
    case ARM_INS_LDRD: case ARM_INS_STRD:
        f->n_list = 2;
        f->access_bytes = 8;
        break;
    }
    /* Register lists of D registers move two words each. */
    if (f->lsu == LSU_FP_MULTI && arm->op_count > 0 &&
        arm->operands[arm->op_count - 1].type == ARM_OP_REG &&
        arm->operands[arm->op_count - 1].reg >= ARM_REG_D0 &&
        arm->operands[arm->op_count - 1].reg <= ARM_REG_D31)
        f->n_list *= 2;
    if (f->lsu == LSU_FP && arm->op_count > 0 && arm->operands[0].type == ARM_OP_REG &&
        arm->operands[0].reg >= ARM_REG_D0 && arm->operands[0].reg <= ARM_REG_D31) {
        f->fp_double = true;
        f->access_bytes = 8;
    }
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

static enum block_end classify_end(const struct insn_facts *f)
{
    switch (f->id) {
    case ARM_INS_SVC: case ARM_INS_BKPT: case ARM_INS_UDF:
        return END_TRAP;
    case ARM_INS_BL:
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

void timing_div_operands(const struct insn_facts *f, struct timing_dyn *dyn)
{
    const cs_arm *arm = &f->in->detail->arm;
    int rn = arm->op_count >= 3 ? arm->operands[1].reg : arm->operands[0].reg;
    int rm = arm->operands[arm->op_count - 1].reg;
    int n = arm_core_reg(rn), m = arm_core_reg(rm);
    dyn->rn = (uint8_t)(n >= 0 && n <= 14 ? n : 0);
    dyn->rm = (uint8_t)(m >= 0 && m <= 14 ? m : 0);
}

/* ---- caches ---- */

static int cache_init(struct cache *c, uint32_t bytes, uint32_t line, uint32_t ways, uint32_t miss_cycles,
                      uint32_t *epoch)
{
    c->epoch = epoch;
    uint32_t lines = bytes / line;
    c->ways = ways ? ways : 1;
    c->sets = lines / c->ways ? lines / c->ways : 1;
    c->line_shift = (uint32_t)__builtin_ctz(line);
    c->set_mask = (c->sets & (c->sets - 1)) ? UINT32_MAX : c->sets - 1;
    c->miss_cycles = miss_cycles;
    c->tags = calloc((size_t)c->sets * c->ways, sizeof *c->tags);
    c->victim = calloc(c->sets, 1);
    c->last_hit = calloc(c->sets, 1);
    return c->tags && c->victim && c->last_hit ? 0 : -1;
}

static void cache_free(struct cache *c)
{
    free(c->tags);
    free(c->victim);
    free(c->last_hit);
}

/* Looks up every line of [lo, hi] (inclusive), filling the misses;
 * returns how many missed. */
static uint32_t cache_access(struct cache *c, uint32_t lo, uint32_t hi)
{
    uint32_t misses = 0;
    for (uint32_t line = lo >> c->line_shift; line <= hi >> c->line_shift; line++) {
        uint32_t set = c->set_mask != UINT32_MAX ? line & c->set_mask : line % c->sets;
        uint32_t *ways = &c->tags[(size_t)set * c->ways];
        /* The way that hit last in this set is tried first: a speed-up
         * only, the cache's state does not depend on it. */
        bool hit = ways[c->last_hit[set]] == line + 1;
        for (uint32_t w = 0; w < c->ways && !hit; w++) {
            if (ways[w] == line + 1) {
                hit = true;
                c->last_hit[set] = (uint8_t)w;
            }
        }
        if (!hit) {
            ways[c->victim[set]] = line + 1;
            c->victim[set] = (uint8_t)((c->victim[set] + 1) % c->ways);
            c->fills++;
            *c->epoch = *c->epoch + 1 ? *c->epoch + 1 : 1;
            misses++;
        }
    }
    return misses;
}

struct timing *timing_create(const struct board *b)
{
    struct timing *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->core = b->core->timing;
    t->bt = b->timing;
    const struct board_region *flash = board_main_region(b, REGION_FLASH);
    t->flash_base = flash->base;
    t->flash_size = flash->size;
    const struct board_timing *bt = &t->bt;
    if (bt->icache && bt->icache_bytes && bt->icache_line_bytes &&
        cache_init(&t->ic, bt->icache_bytes, bt->icache_line_bytes, bt->icache_ways,
                   bt->icache_miss_cycles ? bt->icache_miss_cycles : bt->flash_wait_states, &t->own_epoch)) {
        timing_destroy(t);
        return NULL;
    }
    if (bt->dcache && bt->dcache_bytes && bt->dcache_line_bytes && !bt->cache_unified &&
        cache_init(&t->dc, bt->dcache_bytes, bt->dcache_line_bytes, bt->dcache_ways,
                   bt->dcache_miss_cycles ? bt->dcache_miss_cycles : bt->flash_wait_states, &t->own_epoch)) {
        timing_destroy(t);
        return NULL;
    }
    t->unified = bt->cache_unified && t->ic.tags;
    t->flash_line_shift = (uint32_t)__builtin_ctz(bt->flash_line_bytes ? bt->flash_line_bytes : 16);
    t->own_epoch = 1;
    t->epoch = &t->own_epoch;
    return t;
}

void timing_destroy(struct timing *t)
{
    if (!t)
        return;
    cache_free(&t->ic);
    cache_free(&t->dc);
    free(t);
}

/* ---- memory timing decided per block, evaluated per execution ---- */

/* A data read from flash: a literal at a fixed address (base < 0), or an
 * address computed from registers as they were when the block started. */
struct mem_read {
    int8_t base, index;        /* 0-14, -1 */
    uint8_t shift;
    uint8_t subtract;
    uint16_t bytes;            /* bytes read (lists: all of them) */
    int32_t disp;              /* fixed address, or offset from the entry value */
};

struct block_mem {
    uint64_t fetch_fills;      /* ic.fills + 1 when the code was last seen resident */
    uint32_t code_lo, code_hi; /* instruction bytes to fetch through the cache (hi < lo: none) */
    uint16_t n_reads;
    uint8_t n_regs;
    uint8_t fetch_resident_ok; /* the block's lines cannot evict each other */
    uint8_t has_literals;      /* literal loads looked up in a data cache each execution */
    int reg_ids[15];           /* Unicorn ids of the registers to read */
    uint8_t reg_of[15];        /* register number -> slot in the values read */
    struct mem_read reads[];
};

static const int uc_gpr[15] = {
    UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3, UC_ARM_REG_R4, UC_ARM_REG_R5,
    UC_ARM_REG_R6, UC_ARM_REG_R7, UC_ARM_REG_R8, UC_ARM_REG_R9, UC_ARM_REG_R10, UC_ARM_REG_R11,
    UC_ARM_REG_R12, UC_ARM_REG_SP, UC_ARM_REG_LR,
};

/* What a block's instructions did to each register so far: known[r] when
 * r still equals its value at block entry plus delta[r]. */
struct reg_track {
    bool known[16];
    int32_t delta[16];
};

static void track_init(struct reg_track *rt)
{
    for (int r = 0; r < 16; r++) {
        rt->known[r] = r != 15;
        rt->delta[r] = 0;
    }
}

/* Updates the register knowledge after instruction f. */
static void track_after(struct reg_track *rt, const struct insn_facts *f)
{
    const cs_arm *arm = &f->in->detail->arm;
    uint16_t written = f->regs_written;
    int base = f->mem_base;
    /* Pointer walks: writeback by a load/store with an immediate offset. */
    if (f->lsu != LSU_NONE && f->writeback && base >= 0 && base < 15 && !f->reg_offset) {
        int32_t step;
        if (f->lsu == LSU_MULTI || f->lsu == LSU_FP_MULTI) {
            bool down = f->id == ARM_INS_STMDB || f->id == ARM_INS_LDMDB || f->id == ARM_INS_PUSH ||
                        f->id == ARM_INS_VSTMDB || f->id == ARM_INS_VLDMDB || f->id == ARM_INS_VPUSH;
            step = (int32_t)(4 * f->n_list) * (down ? -1 : 1);
        } else {
            step = f->mem_disp; /* signed in Capstone 4 */
        }
        rt->delta[base] += step;
        written &= (uint16_t)~(1u << base);
    }
    /* ADD/SUB Rd, Rd, #imm keeps Rd known. */
    if ((f->id == ARM_INS_ADD || f->id == ARM_INS_SUB) && !f->in_it) {
        int rd = -1, rn = -1;
        int64_t imm = 0;
        bool ok = false;
        if (arm->op_count == 3 && arm->operands[0].type == ARM_OP_REG &&
            arm->operands[1].type == ARM_OP_REG && arm->operands[2].type == ARM_OP_IMM) {
            rd = arm_core_reg(arm->operands[0].reg);
            rn = arm_core_reg(arm->operands[1].reg);
            imm = arm->operands[2].imm;
            ok = true;
        } else if (arm->op_count == 2 && arm->operands[0].type == ARM_OP_REG &&
                   arm->operands[1].type == ARM_OP_IMM) {
            rd = rn = arm_core_reg(arm->operands[0].reg);
            imm = arm->operands[1].imm;
            ok = true;
        }
        if (ok && rd >= 0 && rd == rn && rd < 15 && rt->known[rd]) {
            rt->delta[rd] += (int32_t)(f->id == ARM_INS_ADD ? imm : -imm);
            written &= (uint16_t)~(1u << rd);
        }
    }
    for (int r = 0; r < 16; r++)
        if (written & (1u << r))
            rt->known[r] = false;
}

/* Adds the data reads from flash that f makes, if any, to m.  Literal
 * loads have fixed addresses; loads through registers are tracked only
 * when the board asks for it (flash_data_reads). */
static void note_reads(const struct timing *t, const struct insn_facts *f, const struct reg_track *rt,
                       struct mem_read *reads, uint16_t *n, uint16_t *regs)
{
    if (!f->is_load || f->mem_base < 0 || f->id == ARM_INS_POP || f->id == ARM_INS_VPOP)
        return;
    unsigned bytes = f->lsu == LSU_MULTI || f->lsu == LSU_FP_MULTI ? 4 * f->n_list : f->access_bytes;
    struct mem_read r = {.base = -1, .index = -1, .bytes = (uint16_t)bytes};
    if (f->mem_base == 15) {
        if (f->lsu == LSU_TABLE)
            return; /* TBB/TBH tables sit right after the branch: fetched with the code */
        uint32_t lit = ((f->addr + 4) & ~3u) + (uint32_t)f->mem_disp;
        if (!timing_in_flash(t, lit))
            return;
        r.disp = (int32_t)lit;
    } else {
        if (!t->bt.flash_data_reads || f->mem_base == 13 || !rt->known[f->mem_base])
            return;
        if (f->mem_index >= 0 && (f->mem_index >= 15 || !rt->known[f->mem_index] ||
                                  rt->delta[f->mem_index] != 0))
            return;
        r.base = (int8_t)f->mem_base;
        r.index = (int8_t)f->mem_index;
        r.shift = f->mem_shift;
        r.subtract = f->mem_subtract;
        r.disp = rt->delta[f->mem_base];
        if (!f->post_indexed && f->mem_index < 0 && f->lsu != LSU_MULTI && f->lsu != LSU_FP_MULTI)
            r.disp += f->mem_disp;
        if (f->id == ARM_INS_LDMDB || f->id == ARM_INS_VLDMDB)
            r.disp -= (int32_t)bytes;
        *regs |= (uint16_t)(1u << f->mem_base);
        if (f->mem_index >= 0)
            *regs |= (uint16_t)(1u << f->mem_index);
    }
    reads[(*n)++] = r;
}

/* Extra cycles of the data reads that must be decided per execution. */
static uint32_t flash_read_cycles(struct timing *t, uint32_t addr, uint32_t bytes)
{
    if (!timing_in_flash(t, addr) || !bytes)
        return 0;
    if (t->dc.tags)
        return cache_access(&t->dc, addr, addr + bytes - 1) * t->dc.miss_cycles;
    if (t->unified)
        return cache_access(&t->ic, addr, addr + bytes - 1) * t->ic.miss_cycles;
    uint32_t sh = t->flash_line_shift;
    return (((addr + bytes - 1) >> sh) - (addr >> sh) + 1) * t->bt.flash_wait_states;
}

/* Samples the registers and charges the block's flash data reads. */
static __attribute__((noinline)) uint32_t sample_reads(struct timing *t, uc_engine *uc,
                                                       const struct block_mem *m, bool *reads_flash)
{
    uint32_t vals[15];
    if (m->n_regs) {
        void *ptrs[15];
        for (int i = 0; i < m->n_regs; i++)
            ptrs[i] = &vals[i];
        uc_reg_read_batch(uc, (int *)m->reg_ids, ptrs, m->n_regs);
    }
    uint32_t c = 0;
    bool in_flash = false;
    for (int i = 0; i < m->n_reads; i++) {
        const struct mem_read *r = &m->reads[i];
        uint32_t addr = (uint32_t)r->disp;
        if (r->base >= 0) {
            addr += vals[m->reg_of[r->base]];
            if (r->index >= 0) {
                uint32_t off = vals[m->reg_of[r->index]] << r->shift;
                addr = r->subtract ? addr - off : addr + off;
            }
        }
        c += flash_read_cycles(t, addr, r->bytes);
        if (r->base >= 0)
            in_flash |= timing_in_flash(t, addr); /* literals have fixed addresses */
    }
    *reads_flash = in_flash;
    return c;
}

uint32_t timing_block_run(struct timing *t, uc_engine *uc, struct sim_block *b)
{
    struct block_mem *m = b->mem_timing;
    uint32_t c = 0;
    /* The code's residency changes only with instruction-cache fills. */
    if (m->code_hi >= m->code_lo && m->fetch_fills != t->ic.fills + 1) {
        c += cache_access(&t->ic, m->code_lo, m->code_hi) * t->ic.miss_cycles;
        if (m->fetch_resident_ok)
            m->fetch_fills = t->ic.fills + 1;
    }
    bool reads_flash = false;
    uint32_t rc = 0;
    if (m->n_reads) {
        rc = sample_reads(t, uc, m, &reads_flash);
        c += rc;
    }
    /* Settled until the epoch changes (a fill of either cache, or
     * timing_tick()): every line is resident now and hits leave a
     * round-robin cache unchanged, and the register loads read RAM only
     * (the block costs nothing more) or uncached flash (it costs the wait
     * states sampled now, mem_charge).  Register loads that read flash
     * through a data cache are evaluated at every execution, exactly. */
    bool resident = m->fetch_resident_ok || m->code_hi < m->code_lo;
    bool cached = t->dc.tags || t->unified;
    if (resident && (cached ? !reads_flash && rc == 0 : true)) {
        /* Uncached flash reads cost the same while the sampled addresses
         * stay in flash: settled with that charge.  Through a cache, only
         * hits (literals) settle: a miss has started a new epoch. */
        b->mem_epoch = *t->epoch;
        b->mem_charge = cached ? 0 : rc;
    }
    return c;
}

unsigned timing_div_early_termination(bool is_signed, uint32_t rn, uint32_t rm)
{
    uint32_t n = rn, d = rm;
    if (is_signed) {
        n = (int32_t)rn < 0 ? 0u - rn : rn;
        d = (int32_t)rm < 0 ? 0u - rm : rm;
    }
    if (d == 0 || n < d)
        return 2;
    unsigned qbits = (unsigned)(__builtin_clz(d) - __builtin_clz(n)) + 1;
    unsigned c = 1 + (qbits + 2) / 3;
    return c < 2 ? 2 : c > 12 ? 12 : c;
}

void timing_tick(struct timing *t)
{
    *t->epoch = *t->epoch + 1 ? *t->epoch + 1 : 1;
}

void timing_bind_epoch(struct timing *t, uint32_t *epoch)
{
    *epoch = *t->epoch;
    t->epoch = epoch;
    if (t->ic.tags)
        t->ic.epoch = epoch;
    if (t->dc.tags)
        t->dc.epoch = epoch;
}

void timing_block_free(struct sim_block *b)
{
    free(b->mem_timing);
    b->mem_timing = NULL;
}

/* Builds the block's run-time memory timing; NULL (and 0) when the block
 * needs none.  Returns -1 when out of memory. */
static int build_block_mem(struct timing *t, struct sim_block *b, const struct insn_facts *facts,
                           size_t n, uint32_t *static_cycles, uint32_t *prefix_extra)
{
    struct mem_read *reads = malloc((n ? n : 1) * sizeof *reads);
    if (!reads)
        return -1;
    struct reg_track rt;
    track_init(&rt);
    uint16_t n_reads = 0, regs = 0;
    bool cached_data = t->dc.tags || t->unified;
    for (size_t i = 0; i < n; i++) {
        const struct insn_facts *f = &facts[i];
        uint16_t before = n_reads;
        note_reads(t, f, &rt, reads, &n_reads, &regs);
        /* Literal loads from uncached flash cost their wait states every
         * time: charged statically, so mid-block CYCCNT reads see them. */
        if (n_reads > before && reads[before].base < 0 && !cached_data) {
            uint32_t lit = (uint32_t)reads[before].disp;
            uint32_t line = t->bt.flash_line_bytes;
            uint32_t ws = ((lit + reads[before].bytes - 1) / line - lit / line + 1) * t->bt.flash_wait_states;
            *static_cycles += ws;
            for (size_t k = i + 1; k <= n; k++)
                prefix_extra[k] += ws;
            n_reads = before;
        }
        track_after(&rt, f);
    }
    bool fetch = t->ic.tags && n && timing_in_flash(t, b->addr);
    if (!fetch && !n_reads) {
        free(reads);
        b->mem_timing = NULL;
        b->has_mem_timing = 0;
        return 0;
    }
    struct block_mem *m = calloc(1, sizeof *m + n_reads * sizeof *reads);
    if (!m) {
        free(reads);
        return -1;
    }
    m->code_lo = 1;
    m->code_hi = 0;
    if (fetch) {
        m->code_lo = b->addr;
        m->code_hi = b->addr + b->size - 1;
        uint32_t lines = (m->code_hi >> t->ic.line_shift) - (m->code_lo >> t->ic.line_shift) + 1;
        m->fetch_resident_ok = lines <= t->ic.sets;
    }
    memcpy(m->reads, reads, n_reads * sizeof *reads);
    b->has_mem_timing = 1;
    b->mem_epoch = 0;
    m->n_reads = n_reads;
    for (int i = 0; i < n_reads; i++)
        m->has_literals |= reads[i].base < 0;
    for (int r = 0; r < 15; r++) {
        if (regs & (1u << r)) {
            m->reg_of[r] = m->n_regs;
            m->reg_ids[m->n_regs++] = uc_gpr[r];
        }
    }
    free(reads);
    b->mem_timing = m;
    return 0;
}

int timing_block(struct timing *t, csh cs, const cs_insn *insn, size_t n, struct sim_block *b,
                 struct timing_dyn *dyn, int max_dyn)
{
    b->n_insns = (uint32_t)n;
    b->insn_addr = malloc((n ? n : 1) * sizeof *b->insn_addr);
    b->insn_class = malloc(n ? n : 1);
    b->prefix_cycles = calloc(n + 1, sizeof *b->prefix_cycles);
    struct insn_facts *facts = malloc((n ? n : 1) * sizeof *facts);
    if (!b->insn_addr || !b->insn_class || !b->prefix_cycles || !facts) {
        free(facts);
        return -1;
    }
    memset(b->class_count, 0, sizeof b->class_count);
    b->has_fp = 0;

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
        }
        b->insn_addr[i] = f->addr;
        b->insn_class[i] = f->cls;
        b->class_count[f->cls]++;
        if (f->fp_touch)
            b->has_fp = 1;
        b->prefix_cycles[i] = total;
        total += c;
    }
    b->prefix_cycles[n] = total;
    if (build_block_mem(t, b, facts, n, &total, b->prefix_cycles)) {
        free(facts);
        return -1;
    }
    b->cycles = total;
    b->end = n ? classify_end(&facts[n - 1]) : END_FALLTHROUGH;
    b->taken_cycles = n && t->core->taken ? t->core->taken(t, &facts[n - 1]) : 0;
    b->refill = n ? t->core->refill(t, &facts[0]) : 0;

    /* Flash without an instruction cache: the prefetch buffer streams
     * sequential lines, so only the first line after a jump waits (added
     * to the refill of a taken branch). */
    if (n && timing_in_flash(t, b->addr) && !t->ic.tags)
        b->refill += t->bt.flash_wait_states;
    free(facts);
    return n_dyn;
}

uint32_t timing_dyn_cost(const struct timing *t, const struct timing_dyn *site, uint32_t rn_value,
                         uint32_t rm_value)
{
    if (site->kind == DYN_EXECUTED)
        return site->extra;
    unsigned c = t->core->div_cycles(t, site->kind == DYN_SDIV, rn_value, rm_value);
    return c > site->extra ? c - site->extra : 0;
}

uint32_t timing_exception_entry(const struct timing *t, bool fp_context)
{
    return fp_context ? t->core->exc_entry_fp : t->core->exc_entry;
}

uint32_t timing_exception_return(const struct timing *t, bool fp_context)
{
    return fp_context ? t->core->exc_return_fp : t->core->exc_return;
}
