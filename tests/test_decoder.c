/*
 * test_decoder.c — the instruction decoder's record (sim/decoder.h) on
 * hand-assembled Thumb, on the host: classes, registers, branch targets,
 * data-processing operands, and above all the memory operand and the one
 * address calculation (mem_address) that the access locator and the
 * flash-read timing share.  The halfwords are what arm-none-eabi-as emits
 * for the assembly next to them.
 */
#include <criterion/criterion.h>
#include <unicorn/unicorn.h>

#include "decoder.h"
#include "sim.h"

#define AT 0x20000100u
#define BASE 0x20001000u

static struct decoder *dec;
static struct insn_facts f;

static void open_decoder(void) { cr_assert_not_null(dec = decoder_open(core_find("cortex-m4f"))); }
static void close_decoder(void) { decoder_close(dec); }

TestSuite(decoder, .init = open_decoder, .fini = close_decoder);

/* Decodes one instruction (1 or 2 halfwords) at AT into f. */
static void decode(const uint16_t *hw, size_t n)
{
    uint8_t code[4];
    for (size_t i = 0; i < n; i++) {
        code[2 * i] = (uint8_t)hw[i];
        code[2 * i + 1] = (uint8_t)(hw[i] >> 8);
    }
    struct insn_facts out[2];
    cr_assert_eq(decoder_block(dec, code, (uint32_t)(2 * n), AT, out, 2), 1u, "one instruction");
    cr_assert_eq(out[0].size, 2 * n);
    f = out[0];
}
#define DECODE(...) decode((const uint16_t[]){__VA_ARGS__}, sizeof((const uint16_t[]){__VA_ARGS__}) / 2)

Test(decoder, immediate_offset)
{
    DECODE(0x6848);                   /* ldr r0, [r1, #4] */
    cr_expect_eq(f.cls, CLASS_LOAD);
    cr_expect_eq(f.lsu, LSU_LOAD);
    cr_expect_eq(f.mem.base, 1);
    cr_expect_eq(f.mem.index, -1);
    cr_expect_eq(f.mem.disp, 4);
    cr_expect_eq(f.mem.bytes, 4);
    cr_expect(!f.mem.writeback && !f.mem.post_indexed && !f.mem.list);
    cr_expect_eq(mem_address(&f.mem, BASE, 0), BASE + 4);
    cr_expect_eq(f.regs_read, 1u << 1);
    cr_expect_eq(f.regs_written, 1u << 0);
}

Test(decoder, pre_and_post_indexing)
{
    DECODE(0xf851, 0x0904);           /* ldr.w r0, [r1], #-4 */
    cr_expect(f.mem.post_indexed && f.mem.writeback);
    cr_expect_eq(mem_address(&f.mem, BASE, 0), BASE, "post-indexed: at the base");
    cr_expect_eq(mem_writeback_step(&f.mem), -4);
    cr_expect_eq(f.regs_written, (1u << 0) | (1u << 1), "the written-back base is written");

    DECODE(0xf851, 0x0d04);           /* ldr.w r0, [r1, #-4]! */
    cr_expect(!f.mem.post_indexed && f.mem.writeback);
    cr_expect_eq(mem_address(&f.mem, BASE, 0), BASE - 4, "pre-indexed: base + offset");
    cr_expect_eq(mem_writeback_step(&f.mem), -4);

    DECODE(0xf801, 0x0b01);           /* strb.w r0, [r1], #1 */
    cr_expect_eq(f.cls, CLASS_STORE);
    cr_expect(f.is_store && !f.is_load);
    cr_expect_eq(f.mem.bytes, 1);
    cr_expect_eq(mem_writeback_step(&f.mem), 1);
}

Test(decoder, register_offset)
{
    DECODE(0xf851, 0x0022);           /* ldr.w r0, [r1, r2, lsl #2] */
    cr_expect_eq(f.mem.base, 1);
    cr_expect_eq(f.mem.index, 2);
    cr_expect_eq(f.mem.shift, 2);
    cr_expect_eq(mem_address(&f.mem, BASE, 3), BASE + 12);
}

Test(decoder, literal)
{
    DECODE(0xf85f, 0x0008);           /* ldr.w r0, [pc, #-8] */
    cr_expect_eq(f.mem.base, REG_PC);
    cr_expect_eq(mem_address(&f.mem, mem_pc_value(AT), 0), AT + 4 - 8, "from Align(PC, 4)");
    cr_expect_eq(mem_pc_value(AT + 2), AT + 4, "Align(PC, 4) of a halfword-aligned instruction");
}

Test(decoder, register_lists)
{
    DECODE(0xb530);                   /* push {r4, r5, lr} */
    cr_expect(f.mem.list && f.mem.descending);
    cr_expect_eq(f.mem.base, REG_SP);
    cr_expect_eq(f.mem.words, 3);
    cr_expect_eq(f.mem.bytes, 12);
    cr_expect_eq(mem_address(&f.mem, BASE, 0), BASE - 12, "the list ends just below SP");
    cr_expect(f.regs_written & (1u << REG_SP));

    DECODE(0xed2d, 0x8b04);           /* vpush {d8-d9} */
    cr_expect_eq(f.lsu, LSU_FP_MULTI);
    cr_expect_eq(f.mem.words, 4, "a D register is two words");
    cr_expect_eq(mem_address(&f.mem, BASE, 0), BASE - 16);

    DECODE(0xe920, 0x0006);           /* stmdb r0!, {r1, r2} */
    cr_expect(f.mem.descending && f.mem.writeback);
    cr_expect_eq(f.mem.base, 0);
    cr_expect_eq(mem_address(&f.mem, BASE, 0), BASE - 8);
    cr_expect_eq(mem_writeback_step(&f.mem), -8);

    DECODE(0xe913, 0x0006);           /* ldmdb r3, {r1, r2} */
    cr_expect(!f.mem.writeback);
    cr_expect_eq(f.regs_written, (1u << 1) | (1u << 2));
}

Test(decoder, doublewords)
{
    DECODE(0xe9d2, 0x0102);           /* ldrd r0, r1, [r2, #8] */
    cr_expect_eq(f.lsu, LSU_MULTI);
    cr_expect_eq(f.mem.words, 2);
    cr_expect_eq(f.mem.bytes, 8);
    cr_expect_eq(mem_address(&f.mem, BASE, 0), BASE + 8);

    DECODE(0xed10, 0x0a02);           /* vldr s0, [r0, #-8] */
    cr_expect(!f.fp_double);
    cr_expect_eq(f.mem.bytes, 4);
    cr_expect_eq(f.fp_written, 1u << 0);
    cr_expect_eq(mem_address(&f.mem, BASE, 0), BASE - 8);

    DECODE(0xed90, 0x0b02);           /* vldr d0, [r0, #8] */
    cr_expect(f.fp_double);
    cr_expect_eq(f.mem.bytes, 8);
    cr_expect_eq(f.fp_written, 3u, "d0 is s0 and s1");
}

Test(decoder, operands_targets_and_conditions)
{
    DECODE(0x3908);                   /* subs r1, #8 */
    cr_expect_eq(f.cls, CLASS_ALU);
    cr_expect_eq(f.rd, 1);
    cr_expect_eq(f.rn, 1, "Rdn");
    cr_expect(f.has_imm);
    cr_expect_eq(f.imm, 8);
    cr_expect_eq(f.mem.base, -1, "no memory operand");

    DECODE(0xfb91, 0xf0f2);           /* sdiv r0, r1, r2 */
    cr_expect_eq(f.cls, CLASS_MUL);
    cr_expect_eq(f.rd, 0);
    cr_expect_eq(f.rn, 1);
    cr_expect_eq(f.rm, 2);

    DECODE(0xe7fe);                   /* b . */
    cr_expect_eq(f.cls, CLASS_BRANCH);
    cr_expect(f.has_target && f.writes_pc && !f.conditional);
    cr_expect_eq(f.target, AT);

    /* it eq; moveq r0, r1; movs r0, r1: conditions only inside the block. */
    uint8_t code[] = {0x08, 0xbf, 0x08, 0x46, 0x08, 0x00};
    struct insn_facts out[3];
    cr_assert_eq(decoder_block(dec, code, sizeof code, AT, out, 3), 3u);
    cr_expect_eq(out[0].cls, CLASS_OTHER);
    cr_expect(out[1].conditional && out[1].in_it);
    cr_expect(!out[2].conditional && !out[2].in_it);
    cr_assert_eq(decoder_block(dec, code + 2, 2, AT + 2, out, 1), 1u);
    cr_expect(!out[0].conditional, "each block is decoded on its own");
}

Test(decoder, register_numbers)
{
    cr_expect_eq(decode_core_reg(ARM_REG_R0), 0);
    cr_expect_eq(decode_core_reg(ARM_REG_R12), 12);
    cr_expect_eq(decode_core_reg(ARM_REG_SP), REG_SP);
    cr_expect_eq(decode_core_reg(ARM_REG_LR), REG_LR);
    cr_expect_eq(decode_core_reg(ARM_REG_PC), REG_PC);
    cr_expect_eq(decode_core_reg(ARM_REG_S0), -1);
    cr_expect_eq(core_reg_uc_ids[REG_SP], UC_ARM_REG_SP);
    cr_expect_eq(core_reg_uc_ids[REG_PC], UC_ARM_REG_PC);
}
