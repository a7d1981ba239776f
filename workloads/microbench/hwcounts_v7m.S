/*
 * hwcounts_v7m.S — Cortex-M7 instruction sequences whose cycle counts were
 * measured on hardware and published, rebuilt here so that
 * tests/test_cycles.c can check mcusim against the silicon's numbers.
 *
 * Source: jnk0le, "simple templates to do cycle accurate measurements of
 * in-order pipelines" (github.com/jnk0le/random, directory "pipeline cycle
 * test": CM7_pipetest_tmpl.S and doc/cortex_m7.md; measured with DWT
 * CYCCNT on an STM32H743).  The template times a loop of 40 instructions
 * (.w encodings, two per cycle when they pair) run 1000 times; each case
 * here is that loop with the sequence under test in it.  The statement each
 * case reproduces and the cycles per iteration it gives are in
 * hwcounts.tsv, which tests/test_cycles.c and bench/hwcounts.sh read.
 *
 * Every case is built twice, looping 1001 and 1 times: the difference of
 * the two counts is 1000 iterations of the loop, whatever the code around
 * it costs (the counter reads, the first iteration's entry, the
 * misprediction of the exit on hardware).  The loop is
 *     1:  subs.w r9, r9, #1 ; nop.w          one cycle
 *         <sequence>
 *         nop.w ; nop.w  nop.w ; nop.w       two cycles
 *         nop.w ; bne.w 1b                   one cycle: a predicted taken
 *                                            branch issues with the nop
 * so an iteration is 4 cycles + the sequence's.  Each function sits at
 * the start of a 256-byte-aligned section, so no loop crosses the 1 KB
 * page at which a translated block ends.  Registers: r0-r7 and r10 are
 * free, r8 points at hw_data (8-byte aligned), r9 counts, r11 and ip are
 * the counter's (the T0/T1 convention of microbench_v7m.S).
 */
    .syntax unified
    .thumb

    .macro T0
    nop
    ldr r11, [ip]
    nop
    .endm

    .macro T1
    ldr ip, [ip]
    sub r0, ip, r11
    pop {r4-r11, pc}
    .ltorg
    .endm

    .section .data.hw_data,"aw",%progbits
    .balign 32
hw_data:
    .word 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16

    .macro PIPE name, iters
    .section .data.hw_\name\()_\iters,"aw",%progbits
    .balign 256
    .global mb_\name\()_\iters
    .thumb_func
    .type mb_\name\()_\iters, %function
mb_\name\()_\iters:
    push {r4-r11, lr}
    mov ip, r0
    ldr r8, =hw_data
    movw r9, #\iters
    movs r0, #3
    movs r1, #5
    movs r2, #7
    movs r3, #11
    movs r4, #13
    movs r5, #17
    T0
1:  subs.w r9, r9, #1
    nop.w
    seq_\name
    nop.w
    nop.w
    nop.w
    nop.w
    nop.w
    bne.w 1b
    T1
    .endm

    .macro CASE name
    PIPE \name, 1001
    PIPE \name, 1
    .endm

/* The template itself: 40 instructions, 20 cycles. */
    .macro seq_nops
    .rept 32
    nop.w
    .endr
    .endm
    CASE nops

/* "load/store pair/multiple ... takes ceil(regnum/2) cycles to execute",
 * "cannot dual issue with preceeding or folowing instructions", and needs
 * two 16-bit instructions before it ("require instruction stream
 * compression by 4bytes (2x .n instr) before"). */
    .macro seq_ldm4
    nop.n
    nop.n
    ldm.w r8, {r0-r3}
    .endm
    CASE ldm4

    .macro seq_ldm5
    nop.n
    nop.n
    ldm.w r8, {r0-r4}
    .endm
    CASE ldm5

/* "store multiple requires 8 byte memory alignment": hw_data is. */
    .macro seq_stm4
    nop.n
    nop.n
    stm.w r8, {r0-r3}
    .endm
    CASE stm4

/* Stores: "cannot dual issue two stores", "can be dual issued with load". */
    .macro seq_str_str
    str.w r0, [r8]
    str.w r1, [r8, #8]
    nop.w
    .endm
    CASE str_str

    .macro seq_ldr_str
    ldr.w r0, [r8]
    str.w r1, [r8, #8]
    .endm
    CASE ldr_str

/* "can store any result in same cycle". */
    .macro seq_alu_str
    add.w r0, r1, #1
    str.w r0, [r8]
    .endm
    CASE alu_str

/* Two loads "can be dual issued if each one is targeting different bank
 * (even and odd words)": words 0 and 1 can, words 0 and 2 cannot. */
    .macro seq_ldr_ldr_banks
    ldr.w r0, [r8]
    ldr.w r1, [r8, #4]
    .endm
    CASE ldr_ldr_banks

    .macro seq_ldr_ldr_bank
    ldr.w r0, [r8]
    ldr.w r1, [r8, #8]
    nop.w
    .endm
    CASE ldr_ldr_bank

/* Load results: "word loads can be consumed by late ALU in next cycle",
 * "byte/half loads ... 1 extra cycle of result latency", "except
 * instructions that consume one of the operands in early ALU (e.g. inline
 * shifted operand2 ...)", "all multiplications and multiply accumulates
 * can't consume ldr result from previous cycle". */
    .macro seq_ldr_use
    nop.w
    ldr.w r0, [r8]
    add.w r1, r0, #1
    nop.w
    .endm
    CASE ldr_use

    .macro seq_ldrb_use
    nop.w
    ldrb.w r0, [r8]
    add.w r1, r0, #1
    nop.w
    .endm
    CASE ldrb_use

    .macro seq_ldr_shift_use
    nop.w
    ldr.w r0, [r8]
    add.w r1, r2, r0, lsl #2
    nop.w
    .endm
    CASE ldr_shift_use

    .macro seq_ldr_mul_use
    nop.w
    ldr.w r0, [r8]
    mul r1, r0, r2
    nop.w
    .endm
    CASE ldr_mul_use

/* Multiplies: "can't dual issue wrt each other", "can't dual issue with
 * stores", "all multiplications and multiply accumulates have 1 additional
 * cycle of result latency", "all multiply accumulates can be chained on
 * accumulator dependency each cycle". */
    .macro seq_mul_mul
    mul r0, r1, r2
    mul r3, r4, r5
    nop.w
    .endm
    CASE mul_mul

    .macro seq_mul_str
    mul r0, r1, r2
    str.w r3, [r8]
    nop.w
    .endm
    CASE mul_str

    .macro seq_mul_use
    mul r0, r1, r2
    nop.w
    add.w r3, r0, #1
    nop.w
    .endm
    CASE mul_use

    .macro seq_mla_chain
    mla r0, r1, r2, r0
    nop.w
    mla r0, r1, r2, r0
    nop.w
    .endm
    CASE mla_chain

/* "unaligned loads are severely underperforming. +3 cycles as older op";
 * "unaligned stores execute without any stalls until store buffer clogs up
 * (5 consecutive stores)". */
    .macro seq_ldr_unaligned
    ldr.w r0, [r8, #1]
    nop.w
    .endm
    CASE ldr_unaligned

    .macro seq_str_unaligned
    str.w r0, [r8, #1]
    nop.w
    .endm
    CASE str_unaligned

/* The operand2 dual-issue matrix ("older\\younger op"): a shifted constant
 * or a shifted register as the younger op pairs after a simple constant
 * or a pattern, not after another shifted operand; and "bfi, bfc, sbfx,
 * ubfx, ... can't be dual issued with operand2 inline_shifted_reg/
 * shifted_constant instruction"; bit-field/DSP instructions "cannot dual
 * issue wrt each other". */
    .macro seq_op2_shifted_imm
    eor.w r0, r1, #0x1fc0
    eor.w r2, r3, #0x1fc0
    nop.w
    .endm
    CASE op2_shifted_imm

    .macro seq_op2_shifted_reg
    add.w r0, r1, r2, ror #24
    add.w r3, r4, r5, ror #24
    nop.w
    .endm
    CASE op2_shifted_reg

    .macro seq_op2_simple_shifted
    add.w r0, r1, #1
    add.w r3, r4, r5, ror #24
    .endm
    CASE op2_simple_shifted

    .macro seq_op2_pattern
    eor.w r0, r1, #0x1b1b1b1b
    eor.w r2, r3, #0x1b1b1b1b
    .endm
    CASE op2_pattern

    .macro seq_op2_shifted_shift
    add.w r3, r4, r5, ror #24
    lsr.w r0, r1, #12
    .endm
    CASE op2_shifted_shift

    .macro seq_bitfield_shifted
    ubfx r0, r1, #4, #8
    add.w r2, r3, r4, lsl #2
    nop.w
    .endm
    CASE bitfield_shifted

    .macro seq_dsp_dsp
    uxtb.w r0, r1
    uxtb.w r2, r3
    nop.w
    .endm
    CASE dsp_dsp

    .macro ENTRY name
    .section .rodata.mb_names,"a",%progbits
9:  .asciz "\name"
    .section .rodata.mb_table,"a",%progbits
    .word 9b, mb_\name
    .endm

    .macro ENTRIES name
    ENTRY \name\()_1001
    ENTRY \name\()_1
    .endm

    .section .rodata.mb_table,"a",%progbits
    .balign 4
    .global mb_table
mb_table:
    ENTRIES nops
    ENTRIES ldm4
    ENTRIES ldm5
    ENTRIES stm4
    ENTRIES str_str
    ENTRIES ldr_str
    ENTRIES alu_str
    ENTRIES ldr_ldr_banks
    ENTRIES ldr_ldr_bank
    ENTRIES ldr_use
    ENTRIES ldrb_use
    ENTRIES ldr_shift_use
    ENTRIES ldr_mul_use
    ENTRIES mul_mul
    ENTRIES mul_str
    ENTRIES mul_use
    ENTRIES mla_chain
    ENTRIES ldr_unaligned
    ENTRIES str_unaligned
    ENTRIES op2_shifted_imm
    ENTRIES op2_shifted_reg
    ENTRIES op2_simple_shifted
    ENTRIES op2_pattern
    ENTRIES op2_shifted_shift
    ENTRIES bitfield_shifted
    ENTRIES dsp_dsp
    .section .rodata.mb_table,"a",%progbits
    .word 0, 0
