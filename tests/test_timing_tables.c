/*
 * test_timing_tables.c — the per-core timing tables on hand-assembled
 * Thumb code, on the host: instruction bytes -> decoder -> timing table ->
 * cycles (tests/support/thumb_timing.h), no engine, no cross compiler.
 *
 * Every expected count is the rule of docs/cycle-model.md it tests,
 * written as a sum with the rule named.  The halfwords are what
 * arm-none-eabi-as emits for the assembly in the comment next to them; the
 * helper checks that they decode to exactly the instructions given.  A new
 * core's table starts as a suite here.
 */
#include <criterion/criterion.h>

#include "decoder.h"
#include "sim.h"
#include "thumb_timing.h"

static struct thumb_timer *timer;
static struct timed_block blk;

static void open_m4(void) { cr_assert_not_null(timer = thumb_timer_open("cortex-m4f", NULL)); }
static void open_m0plus(void) { cr_assert_not_null(timer = thumb_timer_open("cortex-m0plus", NULL)); }
static void open_m7(void) { cr_assert_not_null(timer = thumb_timer_open("cortex-m7f", NULL)); }
static void close_timer(void) { thumb_timer_close(timer); }

TestSuite(m4, .init = open_m4, .fini = close_timer);
TestSuite(m0plus, .init = open_m0plus, .fini = close_timer);
TestSuite(m7, .init = open_m7, .fini = close_timer);

static void time_at(uint32_t addr, int n_insns, const uint16_t *hw, size_t n)
{
    cr_assert_eq(thumb_time(timer, addr, hw, n, &blk), 0, "the code decodes");
    cr_assert_eq(blk.n_insns, n_insns, "%d instructions decoded, %d expected", blk.n_insns, n_insns);
}

/* TIME(number of instructions, halfwords...): one block in RAM. */
#define HW(...) (const uint16_t[]){__VA_ARGS__}, sizeof((const uint16_t[]){__VA_ARGS__}) / sizeof(uint16_t)
#define TIME(n_insns, ...) time_at(THUMB_RAM + 0x100, n_insns, HW(__VA_ARGS__))
#define TIME_AT(addr, n_insns, ...) time_at(addr, n_insns, HW(__VA_ARGS__))

/* The refill P charged on a block that starts with these halfwords at addr. */
#define REFILL_AT(addr, ...) (TIME_AT(addr, 1, __VA_ARGS__), blk.refill)

/* ---- Cortex-M4 (TRM r0p1 Table 3-1, §3.3.2, Table 7-1) ---- */

Test(m4, data_processing_and_multiplies_cost_one)
{
    TIME(4, 0x1888,          /* adds   r0, r1, r2 */
            0xeb01, 0x0002,  /* add.w  r0, r1, r2 */
            0xfb01, 0xf000,  /* mul.w  r0, r1, r0 */
            0xfb21, 0x3002); /* smlad  r0, r1, r2, r3 */
    cr_expect_eq(blk.cycles, 1 + 1 + 1 + 1);
    for (int i = 0; i <= 4; i++)
        cr_expect_eq(blk.prefix[i], (uint32_t)i, "prefix sum before instruction %d", i);
    cr_expect_eq(blk.end, END_FALLTHROUGH);
    cr_expect_eq(blk.n_dyn, 0);
}

Test(m4, single_load_costs_two_and_the_next_pipelines)
{
    TIME(1, 0x6808);                 /* ldr r0, [r1] */
    cr_expect_eq(blk.cycles, 2u, "Table 3-1: LDR 2");
    TIME(2, 0x6808, 0x6811);         /* ldr r0, [r1]; ldr r1, [r2] */
    cr_expect_eq(blk.cycles, 2 + 1, "§3.3.2 example: LDR R0,[R1]; LDR R1,[R2] = 3");
    cr_expect_eq(blk.prefix[1], 2u);
}

Test(m4, the_load_store_examples_of_3_3_2)
{
    TIME(2, 0x5888, 0x6158);         /* ldr r0, [r1, r2]; str r0, [r3, #20] */
    cr_expect_eq(blk.cycles, 2 + 1, "LDR R0,[R1,R2]; STR R0,[R3,#20] = 3");
    TIME(2, 0x5888, 0x5099);         /* ldr r0, [r1, r2]; str r1, [r3, r2] */
    cr_expect_eq(blk.cycles, 2 + 1, "LDR R0,[R1,R2]; STR R1,[R3,R2] = 3");
    TIME(3, 0x5948, 0x6811, 0x685a); /* ldr r0, [r1, r5]; ldr r1, [r2]; ldr r2, [r3, #4] */
    cr_expect_eq(blk.cycles, 2 + 1 + 1, "LDR R0,[R1,R5]; LDR R1,[R2]; LDR R2,[R3,#4] = 4");
}

Test(m4, address_dependencies)
{
    TIME(2, 0x6808, 0x6802);         /* ldr r0, [r1]; ldr r2, [r0] */
    cr_expect_eq(blk.cycles, 2 + 2, "the address needs the loaded value: no pipelining");
    TIME(2, 0x3104, 0x6808);         /* adds r1, #4; ldr r0, [r1] */
    cr_expect_eq(blk.cycles, 1 + (2 + 1), "address computed just before: no forwarding path, +1");
    TIME(2, 0xf851, 0x0b04,          /* ldr.w r0, [r1], #4 */
            0xf851, 0x2b04);         /* ldr.w r2, [r1], #4 */
    cr_expect_eq(blk.cycles, 2 + 1, "a written-back base is no dependency: pointer walks pipeline");
}

Test(m4, stores)
{
    TIME(1, 0x6008);                 /* str r0, [r1] */
    cr_expect_eq(blk.cycles, 1u, "STR Rx,[Ry,#imm] is always one cycle");
    TIME(1, 0x5099);                 /* str r1, [r3, r2] */
    cr_expect_eq(blk.cycles, 2u, "register offset: 2");
    TIME(2, 0x6008, 0x604a);         /* str r0, [r1]; str r2, [r1, #4] */
    cr_expect_eq(blk.cycles, 1 + 2, "nothing can be pipelined after the store");
    TIME(2, 0x6008, 0x6811);         /* str r0, [r1]; ldr r1, [r2] */
    cr_expect_eq(blk.cycles, 1 + 2);
}

Test(m4, multiple_transfers_cost_one_plus_n)
{
    TIME(1, 0xe9d2, 0x0100);         /* ldrd r0, r1, [r2] */
    cr_expect_eq(blk.cycles, 1 + 2u);
    TIME(1, 0xc80e);                 /* ldmia r0!, {r1, r2, r3} */
    cr_expect_eq(blk.cycles, 1 + 3u);
    TIME(1, 0xb530);                 /* push {r4, r5, lr} */
    cr_expect_eq(blk.cycles, 1 + 3u);
    TIME(1, 0xbd30);                 /* pop {r4, r5, pc} */
    cr_expect_eq(blk.cycles, 1 + 3u, "1 + N, and P on the target");
    cr_expect_eq(blk.end, END_RETURN);
    TIME(2, 0x6808, 0xc80e);         /* ldr r0, [r1]; ldmia r0!, {r1, r2, r3} */
    cr_expect_eq(blk.cycles, 2 + (1 + 3), "LDM is not pipelined with a load before it");
}

Test(m4, branches_and_the_refill_on_their_target)
{
    TIME(2, 0x1888, 0xd0fe);         /* adds r0, r1, r2; beq . */
    cr_expect_eq(blk.cycles, 1 + 1, "B<cc> not taken: 1");
    cr_expect_eq(blk.end, END_COND_BRANCH);
    cr_expect_eq(blk.taken, 0u, "taken: 1 + P, with P charged on the target");
    TIME(1, 0xe7fe);                 /* b . */
    cr_expect_eq(blk.cycles, 1u);
    cr_expect_eq(blk.end, END_BRANCH);
    TIME(1, 0xb100);                 /* cbz r0, .+4 */
    cr_expect_eq(blk.cycles, 1u);
    cr_expect_eq(blk.end, END_COND_BRANCH);
    TIME(1, 0xf7ff, 0xfffe);         /* bl . */
    cr_expect_eq(blk.cycles, 1u);
    cr_expect_eq(blk.end, END_CALL);
    TIME(1, 0x4770);                 /* bx lr */
    cr_expect_eq(blk.end, END_RETURN);
    TIME(1, 0xf85d, 0xfb04);         /* ldr.w pc, [sp], #4 */
    cr_expect_eq(blk.cycles, 2u, "LDR PC is blocking: 2 + P");
    cr_expect_eq(blk.end, END_RETURN);
    TIME(1, 0x46f7);                 /* mov pc, lr */
    cr_expect_eq(blk.cycles, 1u, "ALU write to PC: 1 + P");
    cr_expect_eq(blk.end, END_INDIRECT);
    TIME(1, 0xe8df, 0xf000);         /* tbb [pc, r0] */
    cr_expect_eq(blk.cycles, 2u, "TBB: 2 + P");

    /* P: 2, or 3 for a 32-bit target at an address that is not a multiple of 4. */
    cr_expect_eq(REFILL_AT(THUMB_RAM + 0x100, 0x1888), 2u);         /* adds r0, r1, r2 */
    cr_expect_eq(REFILL_AT(THUMB_RAM + 0x102, 0x1888), 2u);
    cr_expect_eq(REFILL_AT(THUMB_RAM + 0x100, 0xeb01, 0x0002), 2u); /* add.w r0, r1, r2 */
    cr_expect_eq(REFILL_AT(THUMB_RAM + 0x102, 0xeb01, 0x0002), 3u);
}

Test(m4, it_folding_and_skipped_instructions)
{
    TIME(3, 0x2800, 0xbf08, 0x4608); /* cmp r0, #0; it eq; moveq r0, r1 */
    cr_expect_eq(blk.cycles, 1 + 0 + 1, "IT folds onto a 16-bit instruction before it");
    TIME(2, 0xbf08, 0x4608);         /* it eq; moveq r0, r1 */
    cr_expect_eq(blk.cycles, 1 + 1, "nothing to fold onto at a block start");
    TIME(3, 0xf100, 0x0001,          /* add.w r0, r0, #1 */
            0xbf08, 0x4608);         /* it eq; moveq r0, r1 */
    cr_expect_eq(blk.cycles, 1 + 1 + 1, "no folding onto a 32-bit instruction");

    TIME(3, 0xbf0c, 0x6808, 0x6810); /* ite eq; ldreq r0, [r1]; ldrne r0, [r2] */
    cr_expect_eq(blk.cycles, 1 + 1 + 1, "a conditional LDR costs its issue cycle statically");
    /* Both LDRs are sites: the rest of the first's cost, and either's
     * unaligned penalty (§3.3.2), only when it executes. */
    cr_assert_eq(blk.n_dyn, 2, "the rest only when it executes");
    cr_expect_eq(blk.dyn[0].kind, DYN_ALIGN);
    cr_expect_eq(blk.dyn[0].addr, THUMB_RAM + 0x102);
    cr_expect_eq(thumb_dyn_cost(timer, &blk.dyn[0], THUMB_RAM, 0), 2 - 1u);
    cr_expect_eq(thumb_dyn_cost(timer, &blk.dyn[0], THUMB_RAM + 1, 0), 2 - 1u + 2, "a byte-aligned word");
    cr_expect_eq(blk.dyn[1].kind, DYN_ALIGN);
    cr_expect_eq(blk.dyn[1].addr, THUMB_RAM + 0x104);
    cr_expect_eq(thumb_dyn_cost(timer, &blk.dyn[1], THUMB_RAM, 0), 0u, "pipelined, aligned: nothing");
    cr_expect_eq(thumb_dyn_cost(timer, &blk.dyn[1], THUMB_RAM + 2, 0), 1u, "a halfword-aligned word");
}

Test(m4, divides_are_timed_from_their_operands)
{
    TIME(1, 0xfb91, 0xf0f2);         /* sdiv r0, r1, r2 */
    cr_expect_eq(blk.cycles, 0u, "all of a divide's cost is dynamic");
    cr_assert_eq(blk.n_dyn, 1);
    struct timing_dyn *d = &blk.dyn[0];
    cr_expect_eq(d->kind, DYN_SDIV);
    cr_expect_eq(d->rn, 1);
    cr_expect_eq(d->rm, 2);
    /* 2 when the quotient or the divisor is 0, else 1 + ceil(q/3) for a
     * quotient q bits wide (choice 6). */
    cr_expect_eq(thumb_dyn_cost(timer, d, 7, 3), 2u);
    cr_expect_eq(thumb_dyn_cost(timer, d, 5, 0), 2u);
    cr_expect_eq(thumb_dyn_cost(timer, d, 3, 7), 2u);
    cr_expect_eq(thumb_dyn_cost(timer, d, 100, 10), 1 + 2u, "a 4-bit quotient");
    cr_expect_eq(thumb_dyn_cost(timer, d, (uint32_t)-100, 10), 1 + 2u, "magnitudes for SDIV");

    TIME(1, 0xfbb4, 0xf3f5);         /* udiv r3, r4, r5 */
    cr_assert_eq(blk.n_dyn, 1);
    cr_expect_eq(blk.dyn[0].kind, DYN_UDIV);
    cr_expect_eq(blk.dyn[0].rn, 4);
    cr_expect_eq(blk.dyn[0].rm, 5);
    cr_expect_eq(thumb_dyn_cost(timer, &blk.dyn[0], 0xFFFFFFFFu, 1), 12u, "the longest divide");

    TIME(2, 0xbf08, 0xfb91, 0xf0f2); /* it eq; sdiveq r0, r1, r2 */
    cr_expect_eq(blk.cycles, 1 + 1, "in an IT block the skipped cycle is static");
    cr_assert_eq(blk.n_dyn, 1);
    cr_expect_eq(thumb_dyn_cost(timer, &blk.dyn[0], 100, 10), 3 - 1u);
}

Test(m4, floating_point)
{
    TIME(1, 0xee30, 0x0a81);         /* vadd.f32 s0, s1, s2 */
    cr_expect_eq(blk.cycles, 1u);
    TIME(1, 0xee00, 0x0a81);         /* vmla.f32 s0, s1, s2 */
    cr_expect_eq(blk.cycles, 3u, "Table 7-1: VMLA 3");
    TIME(2, 0xee00, 0x0a81,          /* vmla.f32 s0, s1, s2 */
            0xee70, 0x1a02);         /* vadd.f32 s3, s0, s4 */
    cr_expect_eq(blk.cycles, 3 + (1 + 1), "the accumulate's result used next: +1");
    TIME(1, 0xee80, 0x0a81);         /* vdiv.f32 s0, s1, s2 */
    cr_expect_eq(blk.cycles, 14u);
    TIME(1, 0xeeb1, 0x0ae0);         /* vsqrt.f32 s0, s1 */
    cr_expect_eq(blk.cycles, 14u);
    TIME(1, 0xed90, 0x0a00);         /* vldr s0, [r0] */
    cr_expect_eq(blk.cycles, 2u, "VLDR.32 2");
    TIME(1, 0xed90, 0x0b00);         /* vldr d0, [r0] */
    cr_expect_eq(blk.cycles, 3u, "VLDR.64 3");
    TIME(2, 0xed90, 0x0a00,          /* vldr s0, [r0] */
            0xee70, 0x1a02);         /* vadd.f32 s3, s0, s4 */
    cr_expect_eq(blk.cycles, 2 + (1 + 1), "the loaded value used next: +1");
    TIME(1, 0xee10, 0x0a10);         /* vmov r0, s0 */
    cr_expect_eq(blk.cycles, 1u);
    TIME(1, 0xec51, 0x0b10);         /* vmov r0, r1, d0 */
    cr_expect_eq(blk.cycles, 2u, "two core registers: 2");
    TIME(1, 0xed2d, 0x8a04);         /* vpush {s16-s19} */
    cr_expect_eq(blk.cycles, 1 + 4u);
    TIME(1, 0xecb0, 0x0a04);         /* vldmia r0!, {s0-s3} */
    cr_expect_eq(blk.cycles, 1 + 4u);
}

Test(m4, system_instructions_and_exceptions)
{
    TIME(5, 0xf3bf, 0x8f6f,          /* isb */
            0xf3bf, 0x8f5f,          /* dmb */
            0xf380, 0x8810,          /* msr primask, r0 */
            0xf3ef, 0x8010,          /* mrs r0, primask */
            0xbf00);                 /* nop */
    cr_expect_eq(blk.prefix[1], 3u, "ISB: 1 + a refill");
    cr_expect_eq(blk.prefix[2] - blk.prefix[1], 1u, "DMB: 1");
    cr_expect_eq(blk.prefix[3] - blk.prefix[2], 2u, "MSR: 2");
    cr_expect_eq(blk.prefix[4] - blk.prefix[3], 1u, "MRS: 1");
    cr_expect_eq(blk.cycles - blk.prefix[4], 1u, "NOP: 1");
    cr_expect_eq(thumb_exception_entry(timer, false), 12u);
    cr_expect_eq(thumb_exception_return(timer, false), 10u);
    cr_expect_eq(thumb_exception_entry(timer, true), 12 + 17u, "S0-S15 and FPSCR stacked");
    cr_expect_eq(thumb_exception_return(timer, true), 10 + 17u);
}

/* ---- Cortex-M0+ (TRM r0p1 Table 3-1): a two-stage pipeline, P = 1 ---- */

Test(m0plus, table_3_1)
{
    TIME(3, 0x1888, 0x6808, 0x6008); /* adds r0, r1, r2; ldr r0, [r1]; str r0, [r1] */
    cr_expect_eq(blk.cycles, 1 + 2 + 2, "loads and stores 2, never pipelined");
    TIME(1, 0xb510);                 /* push {r4, lr} */
    cr_expect_eq(blk.cycles, 1 + 2u);
    TIME(1, 0xbd10);                 /* pop {r4, pc} */
    uint32_t pop = blk.cycles;
    cr_expect_eq(pop + REFILL_AT(THUMB_RAM, 0x1888), 3 + 1u, "POP {.., PC}: 3 + N");
    TIME(1, 0xe7fe);                 /* b . */
    cr_expect_eq(blk.cycles + blk.refill, 2u, "a taken branch: 2");
    TIME(1, 0xf7ff, 0xfffe);         /* bl . */
    uint32_t bl = blk.cycles;
    cr_expect_eq(bl + REFILL_AT(THUMB_RAM, 0x1888), 3u, "BL: 3");
    cr_expect_eq(REFILL_AT(THUMB_RAM + 0x102, 0xeb01, 0x0002), 1u, "P is 1 for every target");
    TIME(2, 0xf3bf, 0x8f5f,          /* dmb */
            0xf3ef, 0x8010);         /* mrs r0, primask */
    cr_expect_eq(blk.cycles, 3 + 3u);
    cr_expect_eq(thumb_exception_entry(timer, false), 15u, "§3.6.1: 15 cycles");
}

Test(m0plus, the_multiplier_is_the_boards)
{
    TIME(1, 0x4348);                 /* muls r0, r1 */
    cr_expect_eq(blk.cycles, 1u, "the fast multiplier unless the board says otherwise");
    thumb_timer_close(timer);
    struct board_timing small = {.flash_line_bytes = 16, .muls_cycles = 32};
    cr_assert_not_null(timer = thumb_timer_open("cortex-m0plus", &small));
    TIME(1, 0x4348);                 /* muls r0, r1 */
    cr_expect_eq(blk.cycles, 32u);
}

/* ---- Cortex-M7: dual issue, result latencies, lists, branches (the
 * measured rules of docs/cycle-model.md, "Cortex-M7") ---- */

Test(m7, dual_issue_of_independent_instructions)
{
    TIME(2, 0x1888, 0x1963);         /* adds r0, r1, r2; adds r3, r4, r5 */
    cr_expect_eq(blk.cycles, 1 + 0, "two ALUs: the second issues with the first");
    TIME(3, 0x1888, 0x1963, 0x187e); /* ... ; adds r6, r7, r1 */
    cr_expect_eq(blk.cycles, 1 + 0 + 1, "at most two per cycle");
    TIME(2, 0x1888, 0x1943);         /* adds r0, r1, r2; adds r3, r0, r5 */
    cr_expect_eq(blk.cycles, 1 + 1, "a dependent pair does not");
    TIME(2, 0x1888, 0x6823);         /* adds r0, r1, r2; ldr r3, [r4] */
    cr_expect_eq(blk.cycles, 1 + 0, "ALU and load/store pipelines");
    TIME(2, 0xbf00, 0xbf00);         /* nop; nop */
    cr_expect_eq(blk.cycles, 1 + 0, "NOPs pair like ALU instructions");
    TIME(2, 0x6808, 0x681a);         /* ldr r0, [r1]; ldr r2, [r3] */
    cr_expect_eq(blk.cycles, 1 + 1, "two loads through different bases: banks unknown");
    TIME(2, 0x6808, 0x684a);         /* ldr r0, [r1]; ldr r2, [r1, #4] */
    cr_expect_eq(blk.cycles, 1 + 0, "words 0 and 1: different banks");
    TIME(2, 0x6808, 0x688a);         /* ldr r0, [r1]; ldr r2, [r1, #8] */
    cr_expect_eq(blk.cycles, 1 + 1, "words 0 and 2: the same bank");
    TIME(2, 0x6808, 0x608a);         /* ldr r0, [r1]; str r2, [r1, #8] */
    cr_expect_eq(blk.cycles, 1 + 0, "a load and a store");
    TIME(2, 0x600b, 0x608a);         /* str r3, [r1]; str r2, [r1, #8] */
    cr_expect_eq(blk.cycles, 1 + 1, "never two stores");
    TIME(2, 0x1c41, 0x6008);         /* adds r1, r0, #1; str r0, [r1] */
    cr_expect_eq(blk.cycles, 1 + 1, "a store's address from the ALU: not paired, no wait");
    TIME(2, 0x1c40, 0x600b);         /* adds r0, r0, #1; str r3, [r1] */
    cr_expect_eq(blk.cycles, 1 + 0);
    TIME(2, 0x1c42, 0x600a);         /* adds r2, r0, #1; str r2, [r1] */
    cr_expect_eq(blk.cycles, 1 + 0, "a store stores a result of the same cycle");
    TIME(2, 0xfb00, 0xf203, 0x600b); /* mul r2, r0, r3; str r3, [r1] */
    cr_expect_eq(blk.cycles, 1 + 1, "a multiply and a store never pair");
}

Test(m7, operand2_matrix)
{
    TIME(2, 0xf481, 0x50fe, 0xf483, 0x52fe); /* eor.w r0, r1, #0x1fc0; eor.w r2, r3, #0x1fc0 */
    cr_expect_eq(blk.cycles, 1 + 1, "two shifted constants do not pair");
    TIME(2, 0xf081, 0x301b, 0xf083, 0x321b); /* eor.w ... #0x1b1b1b1b twice */
    cr_expect_eq(blk.cycles, 1 + 0, "two pattern constants do");
    TIME(2, 0xf101, 0x0001, 0xeb04, 0x6335); /* add.w r0, r1, #1; add.w r3, r4, r5, ror #24 */
    cr_expect_eq(blk.cycles, 1 + 0, "a shifted register after a simple constant pairs");
    TIME(2, 0xeb04, 0x6335, 0xf101, 0x0001); /* the other way round */
    cr_expect_eq(blk.cycles, 1 + 0);
    TIME(2, 0x0088, 0xeb04, 0x6335);         /* lsls r0, r1, #2; add.w r3, r4, r5, ror #24 */
    cr_expect_eq(blk.cycles, 1 + 1, "nor after a shift");
    TIME(2, 0xf3c1, 0x1007, 0xeb04, 0x6335); /* ubfx r0, r1, #4, #8; add.w r3, r4, r5, ror #24 */
    cr_expect_eq(blk.cycles, 1 + 1, "a bit-field instruction and a shifted register do not pair");
    TIME(2, 0xb2c8, 0xb2da);                 /* uxtb r0, r1; uxtb r2, r3 */
    cr_expect_eq(blk.cycles, 1 + 1, "two bit-field/DSP instructions do not pair");
    TIME(2, 0x1c6c, 0xb2da);                 /* adds r4, r5, #1; uxtb r2, r3 */
    cr_expect_eq(blk.cycles, 1 + 1, "a bit-field/DSP instruction only as the older op");
    TIME(2, 0xb2da, 0x1c6c);                 /* uxtb r2, r3; adds r4, r5, #1 */
    cr_expect_eq(blk.cycles, 1 + 0);
}

Test(m7, result_latencies)
{
    TIME(2, 0x6808, 0x1c42);         /* ldr r0, [r1]; adds r2, r0, #1 */
    cr_expect_eq(blk.cycles, 1 + 1, "a word load feeds the ALU the next cycle");
    TIME(2, 0x7808, 0x1c42);         /* ldrb r0, [r1]; adds r2, r0, #1 */
    cr_expect_eq(blk.cycles, 1 + (1 + 1), "byte and halfword loads: a cycle later");
    TIME(2, 0x6808, 0xeb03, 0x0280); /* ldr r0, [r1]; add.w r2, r3, r0, lsl #2 */
    cr_expect_eq(blk.cycles, 1 + (1 + 1), "a shifted operand is read a cycle early");
    TIME(2, 0x6808, 0xb2c2);         /* ldr r0, [r1]; uxtb r2, r0 */
    cr_expect_eq(blk.cycles, 1 + (1 + 1), "so is an extend's source");
    TIME(2, 0x7808, 0xb2c2);         /* ldrb r0, [r1]; uxtb r2, r0 */
    cr_expect_eq(blk.cycles, 1 + (1 + 2), "a byte into the early ALU: the third cycle");
    TIME(2, 0x6808, 0xfb00, 0xf203); /* ldr r0, [r1]; mul r2, r0, r3 */
    cr_expect_eq(blk.cycles, 1 + (1 + 1), "a multiplier cannot take a load of the cycle before");
    TIME(2, 0x6808, 0x6801);         /* ldr r0, [r1]; ldr r1, [r0] */
    cr_expect_eq(blk.cycles, 1 + (1 + 1), "nor can the address unit");
    TIME(2, 0x4358, 0x1c41);         /* muls r0, r3, r0; adds r1, r0, #1 */
    cr_expect_eq(blk.cycles, 1 + (1 + 1), "a multiply's result: a cycle late");
    TIME(2, 0x4358, 0xfb03, 0x0004); /* muls r0, r3, r0; mla r0, r3, r4, r0 */
    cr_expect_eq(blk.cycles, 1 + 1, "but not as the next accumulator");
    TIME(3, 0x4358, 0xbf00, 0x1c41); /* muls r0, r3, r0; nop; adds r1, r0, #1 */
    cr_expect_eq(blk.cycles, 1 + 0 + (1 + 1), "the latency counts from the multiply's cycle");
}

Test(m7, lists_it_divide_and_branches)
{
    TIME(1, 0xc81e);                 /* ldmia r0!, {r1, r2, r3, r4} */
    cr_expect_eq(blk.cycles, 4 / 2u, "ceil(N/2): two words per cycle");
    TIME(1, 0xe890, 0x003e);         /* ldm r0, {r1-r5} */
    cr_expect_eq(blk.cycles, (5 + 1) / 2u);
    TIME(2, 0xc81e, 0xbf00);         /* ldmia r0!, {r1-r4}; nop */
    cr_expect_eq(blk.cycles, 4 / 2 + 1u, "a list pairs with nothing");
    TIME(3, 0x2800, 0xbf08, 0x4608); /* cmp r0, #0; it eq; moveq r0, r1 */
    cr_expect_eq(blk.prefix[2] - blk.prefix[1], 0u, "IT is folded");
    TIME(1, 0xee80, 0x0a81);         /* vdiv.f32 s0, s1, s2 */
    cr_expect_eq(blk.cycles, 14u);
    cr_expect_eq(REFILL_AT(THUMB_RAM + 0x102, 0xeb01, 0x0002), 0u, "a predicted branch: no bubble");
    TIME(2, 0xbf00, 0xe7fe);         /* nop; b . */
    cr_expect_eq(blk.cycles, 1 + 0, "a direct branch issues as the younger of a pair");
    cr_expect_eq(blk.taken, 0u);
    TIME(1, 0x4770);                 /* bx lr */
    cr_expect_eq(blk.taken, 1u, "an indirect branch keeps one bubble");
}
