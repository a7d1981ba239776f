/*
 * arm_insn.h — facts about Thumb instructions as Capstone names them,
 * shared by the cycle model (timing.c) and the access locator (locate.c):
 * which core register an operand is, whether an instruction loads or
 * stores, and how many bytes a single transfer moves.  One table, so the
 * two can never disagree on what an instruction does.
 */
#ifndef MCUSIM_ARM_INSN_H
#define MCUSIM_ARM_INSN_H

#include <stdbool.h>

#include <capstone/capstone.h>

/* Core register number 0-15 of a Capstone register, -1 for any other. */
int arm_core_reg(int capstone_reg);

/* Loads (LDR*, LDM*, POP, VLDR/VLDM/VPOP, TBB/TBH) and stores (STR*,
 * STM*, PUSH, VSTR/VSTM/VPUSH); no instruction is both. */
bool arm_insn_is_load(unsigned id);
bool arm_insn_is_store(unsigned id);

/* Bytes of one transfer: 1 for byte forms and TBB, 2 for halfword forms
 * and TBH, otherwise 4 (callers size doubleword and list forms). */
unsigned arm_insn_access_bytes(unsigned id);

#endif
