/*
 * microbench_v7m.S — instruction-timing micro-benchmarks for ARMv7E-M
 * (Cortex-M4 and Cortex-M7 boards), timed inside the firmware with DWT
 * CYCCNT.  tests/test_cycles.c derives the expected count of every
 * benchmark from the rules of docs/cycle-model.md and compares.
 *
 * Each benchmark is a function uint32_t bench(volatile uint32_t *cyccnt)
 * that returns CYCCNT(T1) - CYCCNT(T0), where
 *     T0 = "nop; ldr r11, [ip]; nop"      (the read that starts the count)
 *     T1 = "ldr ip, [ip]"                 (the read that ends it)
 * so the count covers the T0 load, the nop after it and the sequence
 * under test: a CYCCNT read sees the cycles of every instruction before
 * it.  The nops make the neighbours of the sequence plain (no load
 * pipelining, no address dependency into or out of it).  The sequences
 * use r0-r10; ip holds the counter's address, r11 the start value.
 *
 * The rule benchmarks run from RAM (section .data.*, copied there by the
 * start-up code) so that no flash wait state or cache disturbs them; the
 * flash_* benchmarks run from flash on purpose, to time the memory model.
 * Layout matters where a benchmark says so (branch target alignment,
 * cache lines): the .balign directives fix it.
 */
    .syntax unified
    .thumb

    .macro BENCH name, where=ram
    .ifc \where,ram
    .section .data.mb_\name,"aw",%progbits
    .else
    .section .text.mb_\name,"ax",%progbits
    .endif
    .balign 4
    .global mb_\name
    .thumb_func
    .type mb_\name, %function
mb_\name:
    push {r4-r11, lr}
    mov ip, r0
    .endm

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

/* ---- data the benchmarks load from and store to (RAM) ---- */
    .section .data.mb_data,"aw",%progbits
    .balign 32
    .global mb_data
mb_data:
    .word 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
mb_ptr:
    .word mb_data
mb_jump_slot:
    .word mb_ldr_pc_target
    .global mb_ticks
mb_ticks:
    .word 0

/* ---- data read from flash by the flash_* benchmarks ---- */
    .section .rodata.mb_flash_table,"a",%progbits
    .balign 32
mb_flash_table:
    .word 0x11111111, 0x22222222, 0x33333333, 0x44444444
    .word 0x55555555, 0x66666666, 0x77777777, 0x88888888

/* ---- the baseline: T0 alone ---- */
    BENCH empty
    T0
    T1

/* ---- data processing: Table 3-1, 1 cycle each ---- */
    BENCH alu
    T0
    adds r4, #1
    adds r5, #1
    eor r6, r6, r6
    lsls r7, r7, #2
    T1

    BENCH mul_dsp
    T0
    mul r4, r5, r6
    mla r4, r5, r6, r4
    smull r4, r7, r5, r6
    umlal r4, r7, r5, r6
    smlabb r4, r5, r6, r4
    smlad r4, r5, r6, r4
    qadd8 r4, r5, r6
    usada8 r4, r5, r6, r4
    T1

/* ---- single loads and stores, §3.3.2 ---- */
    BENCH ldr
    ldr r5, =mb_data
    T0
    ldr r4, [r5]
    T1

    BENCH ldr_ldr
    ldr r5, =mb_data
    T0
    ldr r4, [r5]
    ldr r6, [r5, #4]
    T1

    /* The TRM's own example: LDR R0,[R1,R5]; LDR R1,[R2]; LDR R2,[R3,#4]. */
    BENCH ldr_x3
    ldr r6, =mb_data
    mov r7, r6
    mov r8, r6
    movs r5, #0
    T0
    ldr r4, [r6, r5]
    ldr r6, [r7]
    ldr r7, [r8, #4]
    T1

    BENCH ldr_dep
    ldr r5, =mb_ptr
    T0
    ldr r4, [r5]
    ldr r6, [r4]
    T1

    BENCH str_imm
    ldr r5, =mb_data
    T0
    str r4, [r5]
    T1

    BENCH str_reg
    ldr r5, =mb_data
    movs r6, #0
    T0
    str r4, [r5, r6]
    T1

    BENCH str_str
    ldr r5, =mb_data
    T0
    str r4, [r5]
    str r6, [r5, #4]
    T1

    /* TRM: LDR R0,[R1,R2]; STR R0,[R3,#20] */
    BENCH ldr_str
    ldr r5, =mb_data
    mov r7, r5
    movs r6, #0
    T0
    ldr r4, [r5, r6]
    str r4, [r7, #20]
    T1

    /* TRM: LDR R0,[R1,R2]; STR R1,[R3,R2] */
    BENCH ldr_str_reg
    ldr r5, =mb_data
    mov r7, r5
    movs r6, #0
    T0
    ldr r4, [r5, r6]
    str r5, [r7, r6]
    T1

    BENCH str_reg_ldr
    ldr r5, =mb_data
    movs r6, #0
    T0
    str r4, [r5, r6]
    ldr r7, [r5]
    T1

    /* Load after the ALU instruction that computes its address. */
    BENCH alu_addr
    ldr r5, =mb_data
    T0
    adds r5, #4
    ldr r4, [r5]
    T1

    /* Post-indexed pointer walk: the written-back base is no stall. */
    BENCH ldr_wb
    ldr r5, =mb_data
    T0
    ldr r4, [r5], #4
    ldr r6, [r5], #4
    T1

/* ---- LDRD/STRD, LDM/STM, PUSH/POP: 1 + N, never pipelined ---- */
    BENCH ldrd
    ldr r5, =mb_data
    T0
    ldrd r4, r6, [r5]
    T1

    BENCH ldrd_ldr
    ldr r5, =mb_data
    T0
    ldrd r4, r6, [r5]
    ldr r7, [r5]
    T1

    BENCH ldm
    ldr r5, =mb_data
    T0
    ldmia r5, {r4, r6, r7, r8}
    T1

    BENCH push_pop
    T0
    push {r4-r7}
    pop {r4-r7}
    T1

/* ---- branches: 1 + P, P from the target ---- */
    BENCH b_narrow
    T0
    b.n 1f
    nop                     /* skipped: the branch is really taken */
    .balign 4
1:  adds r4, #1
    T1

    BENCH b_wide
    T0
    b.n 1f
    nop                     /* skipped: the branch is really taken */
    .balign 4
1:  add.w r4, r4, #1
    T1

    /* Branch to a 32-bit instruction that is not word-aligned. */
    BENCH b_wide_unaligned
    T0
    b.n 1f
    nop                     /* skipped: the branch is really taken */
    .balign 4
    nop
1:  add.w r4, r4, #1
    T1

    BENCH bcc_not_taken
    T0
    cmp r4, r4
    bne 1f
    adds r5, #1
1:  T1

    BENCH bcc_taken
    T0
    cmp r4, r4
    beq 1f
    adds r5, #1
    .balign 4
1:  adds r6, #1
    T1

    BENCH cbz_taken
    movs r4, #0
    T0
    cbz r4, 1f
    adds r5, #1
    .balign 4
1:  adds r6, #1
    T1

    BENCH cbnz_not_taken
    movs r4, #0
    T0
    cbnz r4, 1f
    adds r5, #1
1:  adds r6, #1
    T1

    BENCH bl_bx
    T0
    bl mb_leaf
    adds r4, #1
    T1

    BENCH bl_push_pop
    T0
    bl mb_leaf_frame
    adds r4, #1
    T1

    BENCH ldr_pc
    ldr r5, =mb_jump_slot
    T0
    ldr pc, [r5]
    nop                     /* skipped */
    .balign 4
    .thumb_func
    .global mb_ldr_pc_target
    .type mb_ldr_pc_target, %function
mb_ldr_pc_target:
    adds r4, #1
    T1

    BENCH mov_pc
    ldr r5, =mb_mov_pc_target
    T0
    mov pc, r5
    nop                     /* skipped */
    .balign 4
    .thumb_func
    .type mb_mov_pc_target, %function
mb_mov_pc_target:
    adds r4, #1
    T1

    BENCH tbb
    movs r4, #1
    T0
    tbb [pc, r4]
1:  .byte (2f - 1b) / 2, (3f - 1b) / 2
    .balign 4
2:  adds r5, #1
3:  adds r6, #1
    T1

/* ---- divide: 2 to 12 by the operands ---- */
    .macro DIV_BENCH name, insn, n, d
    BENCH \name
    ldr r5, =\n
    ldr r6, =\d
    T0
    \insn r4, r5, r6
    T1
    .endm
    DIV_BENCH udiv_7_3, udiv, 7, 3
    DIV_BENCH udiv_3_7, udiv, 3, 7
    DIV_BENCH udiv_max_1, udiv, 0xFFFFFFFF, 1
    DIV_BENCH udiv_1000000_7, udiv, 1000000, 7
    DIV_BENCH udiv_by_0, udiv, 100000, 0
    DIV_BENCH sdiv_m1000000_7, sdiv, -1000000, 7
    DIV_BENCH sdiv_max_m2, sdiv, 0x7FFFFFFF, -2

/* ---- IT: skipped instructions still cost their cycle ---- */
    BENCH it_skipped
    ldr r5, =mb_data
    T0
    cmp r4, r4
    itt ne
    ldrne r6, [r5]
    addne r6, #1
    T1

    BENCH it_executed
    ldr r5, =mb_data
    T0
    cmp r4, r4
    itt eq
    ldreq r6, [r5]
    addeq r6, #1
    T1

/* ---- FPU, Table 7-1 ---- */
    BENCH vadd
    T0
    vadd.f32 s0, s1, s2
    vadd.f32 s3, s4, s5
    T1

    BENCH vmla
    T0
    vmla.f32 s0, s1, s2
    T1

    BENCH vmla_use
    T0
    vmla.f32 s0, s1, s2
    vadd.f32 s3, s0, s4
    T1

    BENCH vdiv
    T0
    vdiv.f32 s0, s1, s2
    T1

    BENCH vsqrt
    T0
    vsqrt.f32 s0, s1
    T1

    BENCH vldr_use
    ldr r5, =mb_data
    T0
    vldr s0, [r5]
    vadd.f32 s1, s0, s0
    T1

    BENCH vldr_d
    ldr r5, =mb_data
    T0
    vldr d1, [r5]
    T1

    BENCH vmov
    T0
    vmov s0, r4
    vmov r5, s1
    vmov r6, r7, d1
    T1

    BENCH vldm
    ldr r5, =mb_data
    T0
    vldmia r5, {s0-s3}
    T1

    BENCH vpush_vpop
    T0
    vpush {s16-s17}
    vpop {s16-s17}
    T1

/* ---- barriers and special registers ---- */
    BENCH barriers
    T0
    dmb
    dsb
    isb
    T1

    BENCH mrs_msr
    movs r5, #0
    T0
    mrs r4, primask
    msr basepri, r5
    T1

/* ---- DWT CYCCNT read three times in one block ---- */
    BENCH cyccnt_mid
    T0
    adds r4, #1
    adds r5, #1
    adds r6, #1
    ldr r10, [ip]
    adds r4, #1
    adds r5, #1
    ldr ip, [ip]
    sub r0, ip, r10         /* the second interval: from the middle read */
    pop {r4-r11, pc}

/* ---- an interrupt arriving in the middle of a loop ---- */
    /* SysTick fires once, 300 cycles after it is enabled, while the loop
     * of 100 iterations runs; the handler is mb_systick below. */
    BENCH irq_loop
    mrs r7, control         /* no FP context to stack: clear CONTROL.FPCA */
    bic r7, r7, #4
    msr control, r7
    isb
    ldr r5, =0xE000E010     /* SYST_CSR */
    ldr r6, =300
    str r6, [r5, #4]        /* SYST_RVR */
    movs r6, #0
    str r6, [r5, #8]        /* SYST_CVR */
    movs r4, #100
    movs r6, #7
    str r6, [r5]            /* enable, interrupt, processor clock */
    T0
1:  subs r4, #1
    bne 1b
    ldr ip, [ip]
    movs r6, #0
    str r6, [r5]            /* stop SysTick before it fires again */
    sub r0, ip, r11
    pop {r4-r11, pc}
    .ltorg

    .section .data.mb_handlers,"aw",%progbits
    .balign 4
    .thumb_func
    .global SysTick_Handler
    .type SysTick_Handler, %function
SysTick_Handler:
    ldr r0, =mb_ticks
    ldr r1, [r0]
    adds r1, #1
    str r1, [r0]
    bx lr
    .ltorg

    .balign 4
    .thumb_func
    .type mb_leaf, %function
mb_leaf:
    bx lr

    .balign 4
    .thumb_func
    .type mb_leaf_frame, %function
mb_leaf_frame:
    push {r4, lr}
    pop {r4, pc}

/* ---- unaligned word and halfword accesses, §3.3.2: +1 for a halfword
 * at an odd address or a word at a halfword boundary, +2 for a word at an
 * odd address.  Each access starts a block of its own (the branch) so
 * that the counter reads fall on either side of its block. ---- */
    .macro UNALIGNED name, offset, access
    BENCH \name
    ldr r5, =mb_data + \offset
    T0
    b.n 1f
    nop                     /* skipped: the branch is really taken */
    .balign 4
1:  \access
    T1
    .endm

    UNALIGNED ldr_unaligned_half, 2, "ldr r4, [r5]"
    UNALIGNED ldr_unaligned_byte, 1, "ldr r4, [r5]"
    UNALIGNED ldr_unaligned_byte3, 3, "ldr r4, [r5]"
    UNALIGNED ldrh_unaligned, 1, "ldrh r4, [r5]"
    UNALIGNED ldrh_aligned, 2, "ldrh r4, [r5]"
    UNALIGNED ldrsh_unaligned, 3, "ldrsh r4, [r5]"
    UNALIGNED str_unaligned_byte, 3, "str r4, [r5]"
    UNALIGNED strh_unaligned, 1, "strh r4, [r5]"

    /* A pointer walking by one byte: four loads at mb_data+1 .. +4 cost
     * +2, +1, +2, +0; the block runs again after itself with its base
     * moved by 1, so each run is checked. */
    BENCH ldr_unaligned_walk
    ldr r5, =mb_data + 1
    movs r6, #4
    T0
    b.n 1f
    nop
    .balign 4
1:  ldr r4, [r5], #1
    subs r6, #1
    bne 1b
    T1

    /* A pointer walking by words from a halfword boundary: +1 every time
     * (the repeat of the loop's block keeps the alignment). */
    BENCH ldr_unaligned_stride4
    ldr r5, =mb_data + 2
    movs r6, #4
    T0
    b.n 1f
    nop
    .balign 4
1:  ldr r4, [r5], #4
    subs r6, #1
    bne 1b
    T1

    /* The address is computed inside the block (a register add), so it
     * is checked with the registers at the block's exit. */
    BENCH ldr_unaligned_computed
    ldr r7, =mb_data
    movs r6, #1
    T0
    b.n 1f
    nop
    .balign 4
1:  adds r5, r7, r6
    ldr r4, [r5]
    b.n 2f
    nop
    .balign 4
2:  T1

    /* An access an IT block may skip: checked when it executes. */
    BENCH ldr_unaligned_it
    ldr r5, =mb_data + 2
    T0
    cmp r4, r4
    it eq
    ldreq r6, [r5]
    T1

/* ---- the memory model: code, literals and data in flash ---- */
    /* Code in flash: the block after the branch is 44 bytes from a 32-byte
     * boundary (16 nops, then T1: ldr.w, sub.w, pop.w). */
    BENCH flash_code, flash
    T0
    b.n 1f
    nop                     /* skipped: the branch is really taken */
    .balign 32
1:  .rept 16
    nop
    .endr
    T1
    .balign 32              /* no other code shares the benchmark's lines */

    /* A literal load from flash; the block after the branch is 14 bytes
     * from a 32-byte boundary and its literal sits at offset 16. */
    BENCH flash_literal, flash
    T0
    b.n 1f
    nop                     /* skipped: the branch is really taken */
    .balign 32
1:  ldr r4, 2f
    T1
    .balign 16
2:  .word 0x12345678
    .balign 32              /* no other code shares the benchmark's lines */

    /* Loads through a register pointing into flash (weights): 16 bytes
     * from a 32-byte boundary, the code itself in RAM. */
    BENCH flash_data
    ldr r5, =mb_flash_table
    T0
    b.n 1f
    nop                     /* skipped: the branch is really taken */
    .balign 4
1:  ldr r4, [r5]
    ldr r6, [r5, #4]
    ldr r7, [r5, #8]
    ldr r8, [r5, #12]
    T1

/* ---- runs of 32-bit instructions at halfword addresses, from flash: a
 * run of three or more costs one cycle more (four or more single stores).
 * A NOP at the 32-byte boundary puts the run at offset 2. ---- */
    .macro WIDE_HEAD name
    BENCH \name, flash
    ldr r5, =mb_data
    T0
    b.n 1f
    nop                     /* skipped: the branch is really taken */
    .balign 32
1:  nop
    .endm

    .macro WIDE_TAIL
    nop
    T1
    .balign 32              /* no other code shares the benchmark's lines */
    .endm

    WIDE_HEAD flash_wide2
    add.w r4, r4, #1
    add.w r6, r6, #1
    WIDE_TAIL

    WIDE_HEAD flash_wide3
    add.w r4, r4, #1
    add.w r6, r6, #1
    add.w r7, r7, #1
    WIDE_TAIL

    WIDE_HEAD flash_wide_str3
    str.w r4, [r5, #4]
    str.w r4, [r5, #8]
    str.w r4, [r5, #12]
    WIDE_TAIL

    WIDE_HEAD flash_wide_str4
    str.w r4, [r5, #4]
    str.w r4, [r5, #8]
    str.w r4, [r5, #12]
    str.w r4, [r5, #16]
    WIDE_TAIL

/* ---- the table main() walks: name, function ---- */
    .macro ENTRY name
    .section .rodata.mb_names,"a",%progbits
9:  .asciz "\name"
    .section .rodata.mb_table,"a",%progbits
    .word 9b, mb_\name
    .endm

    .section .rodata.mb_table,"a",%progbits
    .balign 4
    .global mb_table
mb_table:
    ENTRY empty
    ENTRY alu
    ENTRY mul_dsp
    ENTRY ldr
    ENTRY ldr_ldr
    ENTRY ldr_x3
    ENTRY ldr_dep
    ENTRY str_imm
    ENTRY str_reg
    ENTRY str_str
    ENTRY ldr_str
    ENTRY ldr_str_reg
    ENTRY str_reg_ldr
    ENTRY alu_addr
    ENTRY ldr_wb
    ENTRY ldr_unaligned_half
    ENTRY ldr_unaligned_byte
    ENTRY ldr_unaligned_byte3
    ENTRY ldrh_unaligned
    ENTRY ldrh_aligned
    ENTRY ldrsh_unaligned
    ENTRY str_unaligned_byte
    ENTRY strh_unaligned
    ENTRY ldr_unaligned_walk
    ENTRY ldr_unaligned_stride4
    ENTRY ldr_unaligned_computed
    ENTRY ldr_unaligned_it
    ENTRY ldrd
    ENTRY ldrd_ldr
    ENTRY ldm
    ENTRY push_pop
    ENTRY b_narrow
    ENTRY b_wide
    ENTRY b_wide_unaligned
    ENTRY bcc_not_taken
    ENTRY bcc_taken
    ENTRY cbz_taken
    ENTRY cbnz_not_taken
    ENTRY bl_bx
    ENTRY bl_push_pop
    ENTRY ldr_pc
    ENTRY mov_pc
    ENTRY tbb
    ENTRY udiv_7_3
    ENTRY udiv_3_7
    ENTRY udiv_max_1
    ENTRY udiv_1000000_7
    ENTRY udiv_by_0
    ENTRY sdiv_m1000000_7
    ENTRY sdiv_max_m2
    ENTRY it_skipped
    ENTRY it_executed
    ENTRY vadd
    ENTRY vmla
    ENTRY vmla_use
    ENTRY vdiv
    ENTRY vsqrt
    ENTRY vldr_use
    ENTRY vldr_d
    ENTRY vmov
    ENTRY vldm
    ENTRY vpush_vpop
    ENTRY barriers
    ENTRY mrs_msr
    ENTRY cyccnt_mid
    ENTRY irq_loop
    /* Each flash benchmark twice: cold caches, then warm. */
    ENTRY flash_code
    ENTRY flash_code
    ENTRY flash_literal
    ENTRY flash_literal
    ENTRY flash_data
    ENTRY flash_data
    ENTRY flash_wide2
    ENTRY flash_wide2
    ENTRY flash_wide3
    ENTRY flash_wide3
    ENTRY flash_wide_str3
    ENTRY flash_wide_str3
    ENTRY flash_wide_str4
    ENTRY flash_wide_str4
    .section .rodata.mb_table,"a",%progbits
    .word 0, 0
