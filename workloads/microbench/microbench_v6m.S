/*
 * microbench_v6m.S — instruction-timing micro-benchmarks for ARMv6-M (the
 * Cortex-M0+ of the pico board), timed inside the firmware with SysTick:
 * ARMv6-M has no DWT cycle counter.  SysTick counts down once per
 * processor cycle (CLKSOURCE = 1), so a benchmark returns CVR(T0) -
 * CVR(T1); main() keeps the low 24 bits.  tests/test_cycles.c derives the
 * expected counts from the rules of docs/cycle-model.md.
 *
 *     T0 = "nop; ldr r6, [r7]; nop"   T1 = "ldr r7, [r7]"
 * r7 holds the address of SYST_CVR, r6 the start value; the sequences use
 * r0-r5.  Rule benchmarks run from RAM; flash_* run from the XIP flash.
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
    push {r4-r7, lr}
    mov r7, r0
    .endm

    .macro T0
    nop
    ldr r6, [r7]
    nop
    .endm

    .macro T1
    ldr r7, [r7]
    subs r0, r6, r7
    pop {r4-r7, pc}
    .ltorg
    .endm

    .section .data.mb_data,"aw",%progbits
    .balign 32
mb_data:
    .word 1, 2, 3, 4, 5, 6, 7, 8

    .section .rodata.mb_flash_table,"a",%progbits
    .balign 32
mb_flash_table:
    .word 0x11111111, 0x22222222, 0x33333333, 0x44444444

    BENCH empty
    T0
    T1

    BENCH alu
    T0
    adds r4, #1
    adds r5, #1
    eors r3, r3
    lsls r2, r2, #2
    T1

    BENCH muls
    T0
    muls r4, r5
    T1

    BENCH ldr
    ldr r5, =mb_data
    T0
    ldr r4, [r5]
    T1

    /* No load pipelining on the two-stage pipeline: 2 + 2. */
    BENCH ldr_ldr
    ldr r5, =mb_data
    T0
    ldr r4, [r5]
    ldr r3, [r5, #4]
    T1

    BENCH str
    ldr r5, =mb_data
    T0
    str r4, [r5]
    T1

    BENCH ldm
    ldr r5, =mb_data
    T0
    ldm r5!, {r0-r3}
    T1

    BENCH push_pop
    T0
    push {r0-r3}
    pop {r0-r3}
    T1

    BENCH b_taken
    T0
    b 1f
    nop
1:  adds r4, #1
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
1:  adds r3, #1
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
    msr primask, r5
    T1

    .section .data.mb_handlers,"aw",%progbits
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

    /* Code in the XIP flash: the block after the branch is 38 bytes from
     * a 32-byte boundary (16 nops, then T1: three 16-bit instructions). */
    BENCH flash_code, flash
    T0
    b 1f
    nop                     /* skipped: the branch is really taken */
    .balign 32
1:  .rept 16
    nop
    .endr
    T1
    .balign 32              /* no other code shares the benchmark's lines */

    /* A literal load from flash, through the same (unified) XIP cache: the
     * block after the branch is 8 bytes from a 32-byte boundary, its
     * literal at offset 16. */
    BENCH flash_literal, flash
    T0
    b 1f
    nop                     /* skipped: the branch is really taken */
    .balign 32
1:  ldr r4, 2f
    T1
    .balign 16
2:  .word 0x12345678
    .balign 32              /* no other code shares the benchmark's lines */

    /* Loads through a register pointing into flash, code in RAM. */
    BENCH flash_data
    ldr r5, =mb_flash_table
    T0
    b 1f
    nop                     /* skipped: the branch is really taken */
1:  ldr r4, [r5]
    ldr r3, [r5, #4]
    T1

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
    ENTRY muls
    ENTRY ldr
    ENTRY ldr_ldr
    ENTRY str
    ENTRY ldm
    ENTRY push_pop
    ENTRY b_taken
    ENTRY bcc_not_taken
    ENTRY bcc_taken
    ENTRY bl_bx
    ENTRY bl_push_pop
    ENTRY barriers
    ENTRY mrs_msr
    ENTRY flash_code
    ENTRY flash_code
    ENTRY flash_literal
    ENTRY flash_literal
    ENTRY flash_data
    ENTRY flash_data
    .section .rodata.mb_table,"a",%progbits
    .word 0, 0
