/*
 * hwcounts_v6m.S — Cortex-M0+ instruction sequences whose cycle counts are
 * published from hardware, rebuilt here so that tests/test_cycles.c can
 * check mcusim against them (the RP2040 of the pico board).  Timed with
 * SysTick as in microbench_v6m.S (T0/T1, r7 the counter's address, r6 the
 * start value).  The published counts, their sources and statements are
 * in hwcounts.tsv, which tests/test_cycles.c and bench/hwcounts.sh read.
 */
    .syntax unified
    .thumb

    .macro BENCH name
    .section .data.hw_\name,"aw",%progbits
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

    .section .data.hw_data,"aw",%progbits
    .balign 4
hw_data:
    .word 1, 2, 3, 4

/* Each case is built twice, and the difference of the two counts is 1000
 * iterations of its loop (see hwcounts_v7m.S); the frame of a loop is
 * "subs r2, #1; bne 1b", 3 cycles ([M0+] Table 3-1: 1, and 2 taken). */
    .macro LOOP name, iters
    BENCH \name\()_\iters
    ldr r5, =hw_data
    ldr r2, =\iters
    T0
1:  seq_\name
    subs r2, #1
    bne 1b
    T1
    .endm

    .macro CASE name
    LOOP \name, 1001
    LOOP \name, 1
    .endm

/* pico-sdk busy_wait_at_least_cycles() (src/rp2_common/pico_platform/
 * include/pico/platform.h): "1: subs %0, #3; bcs 1b" waits at least the
 * given number of cycles, so an iteration is three cycles.  Its own loop:
 * counted down from 3002 and from 2, 1000 more iterations. */
    .macro BUSY_WAIT iters, count
    BENCH busy_wait_\iters
    ldr r0, =\count
    T0
1:  subs r0, #3
    bcs 1b
    T1
    .endm
    BUSY_WAIT 1001, 3002
    BUSY_WAIT 1, 2

/* pico-sdk hw_divider_pause() (src/rp2_common/hardware_divider/include/
 * hardware/divider.h): four branches each to the next instruction, "the
 * exact amount of time needed for a asynchronous divide to complete" —
 * the RP2040's divider takes 8 cycles (RP2040 datasheet §2.3.1.5). */
    .macro seq_divider_pause
    b 2f
2:  b 3f
3:  b 4f
4:  b 5f
5:
    .endm
    CASE divider_pause

/* jnk0le, doc/cortex_m0.md: "there is no load to use latency" (measured on
 * a Cortex-M0; the Cortex-M0+ TRM's Table 3-1 has none either). */
    .macro seq_load_use
    ldr r4, [r5]
    adds r3, r4, #1
    .endm
    CASE load_use

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
    ENTRY busy_wait_1001
    ENTRY busy_wait_1
    ENTRY divider_pause_1001
    ENTRY divider_pause_1
    ENTRY load_use_1001
    ENTRY load_use_1
    .section .rodata.mb_table,"a",%progbits
    .word 0, 0
