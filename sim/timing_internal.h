/*
 * timing_internal.h — shared by timing.c (decoding facts common to every
 * core, block assembly, fetch model) and the per-core tables in
 * timing_m0plus.c, timing_m4.c and timing_m7.c.
 */
#ifndef MCUSIM_TIMING_INTERNAL_H
#define MCUSIM_TIMING_INTERNAL_H

#include "sim.h"
#include "timing.h"

/* What the per-core tables need to know about one instruction, extracted
 * once from Capstone's detail. */
struct insn_facts {
    const cs_insn *in;
    unsigned id;
    uint32_t addr;
    unsigned size;            /* 2 or 4 */
    uint8_t cls;              /* enum insn_class */
    bool conditional;         /* has a condition (B<cc> or inside an IT block) */
    bool in_it;               /* inside an IT block */
    bool writes_pc;           /* branches, loads to PC, ALU with Rd = PC */
    bool is_single_ldst;      /* LDR/STR family, one register transferred */
    bool is_load, is_store;
    bool reg_offset;          /* [Rn, Rm] addressing */
    bool pc_relative;         /* literal load [PC, #imm] */
    bool is_fp;               /* floating-point data processing */
    bool fp_mac;              /* VMLA/VMLS/VFMA/VFMS/VNMLA/VNMLS */
    bool fp_long;             /* VDIV/VSQRT */
    unsigned n_list;          /* registers transferred by LDM/STM/PUSH/POP/VLDM */
    int mem_base, mem_index;  /* 0-15, or -1 */
    uint16_t regs_read;       /* core registers read, bit per register */
    uint16_t regs_written;    /* core registers written */
    uint32_t fp_read, fp_written; /* S registers, bit per register */
    bool dual_issued;         /* set by a dual-issue core: issued with the one before */
};

struct timing_core {
    const char *name;
    /* Cycles of one instruction given the one before it (NULL at block
     * start).  May declare a dynamic site. */
    unsigned (*cost)(const struct timing *t, struct insn_facts *f,
                     const struct insn_facts *prev, struct timing_dyn *dyn);
    /* Pipeline refill when a taken branch lands on f. */
    unsigned (*refill)(const struct timing *t, const struct insn_facts *f);
    unsigned (*dyn_cost)(const struct timing *t, const struct timing_dyn *d, uint32_t rn, uint32_t rm);
    unsigned exc_entry, exc_entry_fp, exc_return, exc_return_fp;
};

struct icache {
    uint32_t sets, ways, line_shift;
    uint32_t *tags;           /* sets*ways, 0 = invalid (tags store line+1) */
    uint8_t *lru;             /* round-robin victim per set */
};

struct timing {
    const struct timing_core *core;
    struct board_timing bt;
    uint32_t flash_base, flash_size;
    bool has_fpu, has_dsp;
    struct icache ic;
};

extern const struct timing_core timing_core_m0plus;
extern const struct timing_core timing_core_m4;
extern const struct timing_core timing_core_m7;

static inline bool timing_in_flash(const struct timing *t, uint32_t addr)
{
    return addr - t->flash_base < t->flash_size;
}

#endif /* MCUSIM_TIMING_INTERNAL_H */
