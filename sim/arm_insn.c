/*
 * arm_insn.c — see arm_insn.h.
 */
#include "arm_insn.h"

int arm_core_reg(int capstone_reg)
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

bool arm_insn_is_load(unsigned id)
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

bool arm_insn_is_store(unsigned id)
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

unsigned arm_insn_access_bytes(unsigned id)
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
