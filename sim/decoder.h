/*
 * decoder.h — what a Thumb instruction is: one decode per instruction into
 * one record, read by everyone who needs to know.
 *
 * The decoder owns the Capstone handle.  When a basic block is first seen
 * (blocks.c) its instructions are decoded once into struct insn_facts: the
 * instruction's class, the registers it reads and writes, its branch
 * shape, its data-processing operands and its memory operand (base, index,
 * shift, offset, pre/post-indexing, write-back, bytes moved, register-list
 * length).  The cycle model (timing*.c) costs instructions from these
 * records, and the access locator (locate.c) keeps their memory operands
 * to compute effective addresses with mem_address(), the one address
 * calculation that the flash-read timing uses too.  Nothing else calls
 * Capstone.
 *
 * Registers are numbered 0-15 (r0-r12, SP, LR, PC) everywhere in sim/:
 * decode_core_reg() maps Capstone's register names to those numbers and
 * core_reg_uc_ids[] maps them to Unicorn's.
 */
#ifndef MCUSIM_DECODER_H
#define MCUSIM_DECODER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <capstone/capstone.h>

#include "cores.h"

/* How an instruction uses the load/store unit. */
enum lsu_kind {
    LSU_NONE,
    LSU_LOAD,       /* one register loaded: LDR/LDRB/LDRH/LDRSB/LDRSH/LDRT.., LDREX* */
    LSU_STORE,      /* one register stored: STR/STRB/STRH/STRT.., STREX* */
    LSU_MULTI,      /* LDRD/STRD, LDM/STM, PUSH/POP */
    LSU_FP,         /* VLDR/VSTR */
    LSU_FP_MULTI,   /* VLDM/VSTM, VPUSH/VPOP */
    LSU_TABLE,      /* TBB/TBH: a load that feeds the PC */
};

/* Where a load or store goes.  base < 0: the instruction has no memory
 * operand.  PLD/PLI have one too, though they move nothing. */
struct mem_operand {
    int8_t base;          /* 0-15; 15: PC-relative, from Align(PC, 4) */
    int8_t index;         /* index register 0-15, -1: an immediate offset */
    uint8_t shift;        /* LSL applied to the index */
    bool subtract;        /* the index is subtracted: [Rn, -Rm] */
    bool post_indexed;    /* the access is at the base; disp is added after ([Rn], #imm) */
    bool writeback;       /* the base is updated: [Rn, #imm]!, post-indexed, LDM!/STM! */
    bool list;            /* a register list: LDM/STM, PUSH/POP, VLDM/VSTM, VPUSH/VPOP */
    bool descending;      /* the list ends just below the base: LDMDB/STMDB, PUSH, VPUSH, V*DB */
    uint8_t words;        /* 32-bit words of LDRD/STRD and lists (a D register is two), else 0 */
    uint16_t bytes;       /* bytes moved: 1, 2, 4 or 8 for one transfer, 4 * words for a list */
    int32_t disp;         /* immediate offset, signed (post-indexed: the write-back step) */
};

/* Everything mcusim needs to know about one instruction. */
struct insn_facts {
    uint32_t addr;
    unsigned id;              /* Capstone's ARM_INS_* */
    uint8_t size;             /* 2 or 4 */
    uint8_t cls;              /* enum insn_class (sim.h) */
    uint8_t lsu;              /* enum lsu_kind */
    bool conditional;         /* has a condition (B<cc> or inside an IT block) */
    bool in_it;               /* inside an IT block (executes only if its condition holds) */
    bool writes_pc;           /* branches, loads to PC, ALU with Rd = PC */
    bool is_load, is_store;   /* no instruction is both */
    bool exclusive;           /* LDREX/STREX family */
    bool is_fp;               /* floating-point data processing */
    bool fp_mac;              /* VMLA/VMLS/VNMLA/VNMLS/VFMA/VFMS/VFNMA/VFNMS */
    bool fp_long;             /* VDIV/VSQRT */
    bool fp_double;           /* VLDR/VSTR of a D register (two words) */
    bool fp_touch;            /* reads or writes an S/D register, FPSCR */
    bool has_target;          /* a direct branch (B, BL, CBZ/CBNZ) to `target` */
    uint32_t target;
    /* Data-processing operands in the form Rd, Rn, Rm or Rd, Rn, #imm; the
     * two-operand forms (Rdn, Rm / Rdn, #imm) have rd == rn.  Registers
     * 0-15, -1 when absent or not a core register. */
    int8_t rd, rn, rm;
    bool rm_shifted;          /* rm goes through the barrel shifter (LSL #2, ROR #8, ...) */
    bool has_imm;
    int32_t imm;
    uint16_t mac_acc;         /* the accumulator a multiply-accumulate reads (MLA's Ra, UMLAL's RdLo/RdHi) */
    uint16_t regs_read;       /* core registers read, bit per register */
    uint16_t regs_written;    /* core registers written, write-back base included */
    uint32_t fp_read, fp_written; /* S registers, bit per register (D<n> is S<2n>, S<2n+1>) */
    struct mem_operand mem;
    bool dual_issued;         /* not decoded: set by a dual-issue cycle model (timing_m7.c) */
    /* Not decoded: set by the Cortex-M7 model for the cycle this
     * instruction issued in (with the one before it when they paired):
     * the registers it leaves to a word load, a byte or halfword load and
     * a multiply, whose results come later than an ALU's. */
    uint16_t late_word_load, late_short_load, late_mul;
};

struct decoder;

/* A decoder for the core's instruction set; NULL when Capstone cannot be
 * set up for it. */
struct decoder *decoder_open(const struct core_desc *core);
void decoder_close(struct decoder *d);

/* Decodes the instructions of size bytes of code at addr into out[]
 * (room for max) and returns how many; decoding stops at the first
 * invalid instruction. */
size_t decoder_block(struct decoder *d, const uint8_t *code, uint32_t size, uint32_t addr,
                     struct insn_facts *out, size_t max);

/* The register number 0-15 of a Capstone register, -1 for any other. */
int decode_core_reg(int capstone_reg);

enum { REG_SP = 13, REG_LR = 14, REG_PC = 15 };

/* Unicorn's id of each core register 0-15. */
extern const int core_reg_uc_ids[16];

/* The lowest address a load or store accesses, from the values its base
 * and index registers hold when it executes (for a PC base, pass
 * mem_pc_value()).  Like mGBA's ARMResolveMemoryAccess(). */
static inline uint32_t mem_address(const struct mem_operand *m, uint32_t base, uint32_t index)
{
    if (m->descending)
        return base - m->bytes;
    if (m->post_indexed || m->list)
        return base;
    if (m->index >= 0) {
        uint32_t off = index << m->shift;
        return m->subtract ? base - off : base + off;
    }
    return base + (uint32_t)m->disp;
}

/* How far write-back moves the base register; valid when mem.writeback
 * and there is no index register (a register step is not known here). */
static inline int32_t mem_writeback_step(const struct mem_operand *m)
{
    if (m->list)
        return m->descending ? -(int32_t)m->bytes : (int32_t)m->bytes;
    return m->disp;
}

/* The PC as a load or store at insn_addr reads it as a base: Align(PC, 4). */
static inline uint32_t mem_pc_value(uint32_t insn_addr)
{
    return (insn_addr + 4) & ~3u;
}

#endif /* MCUSIM_DECODER_H */
