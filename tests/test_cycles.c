/*
 * test_cycles.c — the cycle model, rule by rule, measured the way a user
 * measures a board: the micro-benchmark firmware (workloads/microbench/)
 * times instruction sequences with DWT CYCCNT (SysTick on the Cortex-M0+)
 * and prints the counts; each test derives the count it expects from the
 * rules of docs/cycle-model.md — Cortex-M4 TRM Table 3-1, §3.3.2 and
 * Table 7-1, Cortex-M0+ TRM Table 3-1, the Cortex-M7 approximation and the
 * boards' memory timing — and compares exactly.
 *
 * Every benchmark count covers the T0 read of the counter, a NOP and the
 * sequence under test (see the comment at the top of microbench_v7m.S).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "simtest.h"

#define MAX_RESULTS 128

struct bench_results {
    int n;
    char name[MAX_RESULTS][48];
    long value[MAX_RESULTS];
};

/* Runs <program>-<board>.elf of workloads/microbench and parses its
 * "<name> <cycles>" lines. */
static void run_bench_program(const char *program, const char *board, struct bench_results *res)
{
    struct fw_result r;
    fw_run(&r, fw_path("workloads/microbench", program, board), board, NULL, 0, false);
    cr_assert_not(r.setup_failed, "%s: %s", board, r.outcome.error);
    cr_assert_eq(r.outcome.result.status, SIM_EXITED, "%s: %s", board, r.outcome.result.message);
    memset(res, 0, sizeof *res);
    char *save = NULL;
    for (char *line = strtok_r(r.out, "\n", &save); line && res->n < MAX_RESULTS;
         line = strtok_r(NULL, "\n", &save)) {
        char name[48];
        long v;
        if (sscanf(line, "%47s %ld", name, &v) == 2) {
            snprintf(res->name[res->n], sizeof res->name[0], "%s", name);
            res->value[res->n++] = v;
        }
    }
    fw_result_free(&r);
    cr_assert_gt(res->n, 3, "%s: %s printed nothing usable", board, program);
}

static void run_microbench(const char *board, struct bench_results *res)
{
    run_bench_program("microbench", board, res);
}

/* The nth (0-based) result called name. */
static long result(const struct bench_results *res, const char *name, int nth)
{
    for (int i = 0; i < res->n; i++)
        if (!strcmp(res->name[i], name) && nth-- == 0)
            return res->value[i];
    cr_assert_fail("no result for benchmark %s", name);
    return -1;
}

#define EXPECT(res, name, expected) \
    cr_expect_eq(result(res, name, 0), (long)(expected), "%s: measured %ld, the rules give %ld", name, \
                 result(res, name, 0), (long)(expected))
#define EXPECT_NTH(res, name, nth, expected) \
    cr_expect_eq(result(res, name, nth), (long)(expected), "%s (run %d): measured %ld, the rules give %ld", \
                 name, nth + 1, result(res, name, nth), (long)(expected))

/* ---- Cortex-M4 ---- */

/* Measurement overhead on the Cortex-M4: the T0 "LDR r11,[ip]" after a NOP
 * is an unpipelined load, 2 cycles (Table 3-1), then the NOP, 1. */
#define M4_OVH (2 + 1)

/* Pipeline refill P (Table 3-1): 2, 3 for a 32-bit target that is not
 * word-aligned (docs/cycle-model.md, "Branches"). */
#define P_NARROW 2
#define P_WIDE_ALIGNED 2
#define P_WIDE_UNALIGNED 3

/* SDIV/UDIV: 2 to 12 (Table 3-1).  The documented early-termination rule:
 * 2 when the quotient is 0 or the divisor is 0, else one set-up cycle plus
 * one per 3 quotient bits. */
static long m4_div(uint32_t n, uint32_t d)
{
    if (d == 0 || n < d)
        return 2;
    int qbits = __builtin_clz(d) - __builtin_clz(n) + 1;
    long c = 1 + (qbits + 2) / 3;
    return c < 2 ? 2 : c > 12 ? 12 : c;
}

static uint32_t magnitude(int32_t v)
{
    return v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
}

/* The rule benchmarks run from RAM, so they must give the same counts on
 * every Cortex-M4 board, whatever its flash. */
static void check_m4_rules(const char *board)
{
    struct bench_results res;
    run_microbench(board, &res);

    EXPECT(&res, "empty", M4_OVH);
    /* Data processing, MUL/MLA, long multiplies and DSP: 1 each. */
    EXPECT(&res, "alu", M4_OVH + 4 * 1);
    EXPECT(&res, "mul_dsp", M4_OVH + 8 * 1);

    /* Loads and stores, §3.3.2. */
    EXPECT(&res, "ldr", M4_OVH + 2);                 /* LDR 2 */
    EXPECT(&res, "ldr_ldr", M4_OVH + 2 + 1);         /* LDR;LDR = 3: the second pipelines */
    EXPECT(&res, "ldr_x3", M4_OVH + 2 + 1 + 1);      /* the TRM's "normally four cycles" */
    EXPECT(&res, "ldr_dep", M4_OVH + 2 + 2);         /* address = loaded value: no pipelining */
    EXPECT(&res, "str_imm", M4_OVH + 1);             /* "STR Rx,[Ry,#imm] is always one cycle" */
    EXPECT(&res, "str_reg", M4_OVH + 2);             /* register offset: 2 */
    EXPECT(&res, "str_str", M4_OVH + 1 + 2);         /* "nothing can be pipelined after the store" */
    EXPECT(&res, "ldr_str", M4_OVH + 2 + 1);         /* TRM: LDR;STR "normally three cycles" */
    EXPECT(&res, "ldr_str_reg", M4_OVH + 2 + 1);     /* TRM: LDR;STR [reg] "normally three cycles" */
    EXPECT(&res, "str_reg_ldr", M4_OVH + 2 + 2);     /* nothing pipelines after STR [Rn,Rm] */
    EXPECT(&res, "alu_addr", M4_OVH + 1 + 2 + 1);    /* ALU result as address: +1 */
    EXPECT(&res, "ldr_wb", M4_OVH + 2 + 1);          /* written-back base: no stall */
    /* Unaligned accesses, §3.3.2: the access after T0 and a taken B. */
    long branch = 1 + P_NARROW;
    EXPECT(&res, "ldr_unaligned_half", M4_OVH + branch + 2 + 1);   /* as two halfwords */
    EXPECT(&res, "ldr_unaligned_byte", M4_OVH + branch + 2 + 2);   /* byte, halfword, byte */
    EXPECT(&res, "ldr_unaligned_byte3", M4_OVH + branch + 2 + 2);
    EXPECT(&res, "ldrh_unaligned", M4_OVH + branch + 2 + 1);       /* as two bytes */
    EXPECT(&res, "ldrh_aligned", M4_OVH + branch + 2);
    EXPECT(&res, "ldrsh_unaligned", M4_OVH + branch + 2 + 1);
    EXPECT(&res, "str_unaligned_byte", M4_OVH + branch + 1 + 2);
    EXPECT(&res, "strh_unaligned", M4_OVH + branch + 1 + 1);
    /* Four iterations of LDR (post-indexed, a 32-bit aligned target),
     * SUBS, BNE: three taken, one not. */
    long walk = (1 + P_WIDE_ALIGNED) + 4 * (2 + 1) + 3 * (1 + P_NARROW) + 1;
    EXPECT(&res, "ldr_unaligned_walk", M4_OVH + walk + (2 + 1 + 2 + 0));
    EXPECT(&res, "ldr_unaligned_stride4", M4_OVH + walk + 4 * 1);
    /* ADDS, the LDR through its result (+1), B. */
    EXPECT(&res, "ldr_unaligned_computed", M4_OVH + branch + 1 + (2 + 1) + 2 + branch);
    /* CMP 1, IT folded 0, the executed LDR 2 + 1. */
    EXPECT(&res, "ldr_unaligned_it", M4_OVH + 1 + 0 + 2 + 1);
    /* LDRD/STRD, LDM/STM, PUSH/POP: 1 + N, not pipelined with neighbours. */
    EXPECT(&res, "ldrd", M4_OVH + (1 + 2));
    EXPECT(&res, "ldrd_ldr", M4_OVH + (1 + 2) + 2);
    EXPECT(&res, "ldm", M4_OVH + (1 + 4));
    EXPECT(&res, "push_pop", M4_OVH + (1 + 4) + (1 + 4));

    /* Branches: 1 + P; conditional not taken 1. */
    EXPECT(&res, "b_narrow", M4_OVH + (1 + P_NARROW) + 1);
    EXPECT(&res, "b_wide", M4_OVH + (1 + P_WIDE_ALIGNED) + 1);
    EXPECT(&res, "b_wide_unaligned", M4_OVH + (1 + P_WIDE_UNALIGNED) + 1);
    EXPECT(&res, "bcc_not_taken", M4_OVH + 1 + 1 + 1);            /* CMP, BNE, ADDS */
    EXPECT(&res, "bcc_taken", M4_OVH + 1 + (1 + P_NARROW) + 1);   /* CMP, BEQ, ADDS */
    EXPECT(&res, "cbz_taken", M4_OVH + (1 + P_NARROW) + 1);
    EXPECT(&res, "cbnz_not_taken", M4_OVH + 1 + 1 + 1);
    /* BL to "BX LR", back to ADDS. */
    EXPECT(&res, "bl_bx", M4_OVH + (1 + P_NARROW) + (1 + P_NARROW) + 1);
    /* BL to "PUSH {r4,lr}; POP {r4,pc}": PUSH 1+2, POP 1+2+P. */
    EXPECT(&res, "bl_push_pop", M4_OVH + (1 + P_NARROW) + (1 + 2) + (1 + 2 + P_NARROW) + 1);
    EXPECT(&res, "ldr_pc", M4_OVH + (2 + P_NARROW) + 1);          /* LDR PC 2 + P */
    EXPECT(&res, "mov_pc", M4_OVH + (1 + P_NARROW) + 1);          /* MOV PC 1 + P */
    EXPECT(&res, "tbb", M4_OVH + (2 + P_NARROW) + 1);             /* TBB 2 + P */

    /* Divide: the cost depends on the operand values. */
    EXPECT(&res, "udiv_7_3", M4_OVH + m4_div(7, 3));
    EXPECT(&res, "udiv_3_7", M4_OVH + m4_div(3, 7));
    EXPECT(&res, "udiv_max_1", M4_OVH + m4_div(0xFFFFFFFFu, 1));
    EXPECT(&res, "udiv_1000000_7", M4_OVH + m4_div(1000000, 7));
    EXPECT(&res, "udiv_by_0", M4_OVH + m4_div(100000, 0));
    EXPECT(&res, "sdiv_m1000000_7", M4_OVH + m4_div(magnitude(-1000000), 7));
    EXPECT(&res, "sdiv_max_m2", M4_OVH + m4_div(0x7FFFFFFF, magnitude(-2)));
    cr_expect_eq(m4_div(0xFFFFFFFFu, 1), 12, "the rule spans the TRM's 2 to 12");

    /* IT: CMP 1, IT folded onto the 16-bit CMP 0, then each skipped
     * instruction 1; executed, the LDR costs its 2. */
    EXPECT(&res, "it_skipped", M4_OVH + 1 + 0 + 1 + 1);
    EXPECT(&res, "it_executed", M4_OVH + 1 + 0 + 2 + 1);

    /* FPU, Table 7-1. */
    EXPECT(&res, "vadd", M4_OVH + 1 + 1);
    EXPECT(&res, "vmla", M4_OVH + 3);
    EXPECT(&res, "vmla_use", M4_OVH + 3 + (1 + 1));  /* the next instruction uses the MAC result: +1 */
    EXPECT(&res, "vdiv", M4_OVH + 14);
    EXPECT(&res, "vsqrt", M4_OVH + 14);
    EXPECT(&res, "vldr_use", M4_OVH + 2 + (1 + 1));  /* VLDR.32 2, its result used next: +1 */
    EXPECT(&res, "vldr_d", M4_OVH + 3);              /* VLDR.64 3 */
    EXPECT(&res, "vmov", M4_OVH + 1 + 1 + 2);        /* one core register 1, two 2 */
    EXPECT(&res, "vldm", M4_OVH + (1 + 4));          /* VLDM.32 1 + N */
    EXPECT(&res, "vpush_vpop", M4_OVH + (1 + 2) + (1 + 2));

    /* Barriers (1 + B: DMB/DSB B = 0, ISB B = P) and special registers
     * (MRS 1, MSR 2: docs/cycle-model.md). */
    EXPECT(&res, "barriers", M4_OVH + 1 + 1 + (1 + P_NARROW));
    EXPECT(&res, "mrs_msr", M4_OVH + 1 + 2);

    /* Three CYCCNT reads in one translated block: the interval from the
     * middle one is that read (an unpipelined LDR, 2) and two ADDS. */
    EXPECT(&res, "cyccnt_mid", 2 + 1 + 1);

    /* SysTick fires once during a 100-iteration SUBS/BNE loop: the loop,
     * plus entry 12, the handler and return 10.  Handler: LDR literal 2,
     * LDR through the loaded pointer 2 (no pipelining), ADDS 1, STR 1,
     * BX LR 1 (the return itself is the 10). */
    long loop = 99 * (1 + (1 + P_NARROW)) + (1 + 1);
    long handler = 2 + 2 + 1 + 1 + 1;
    EXPECT(&res, "irq_loop", M4_OVH + loop + 12 + handler + 10);
}

Test(cycles_m4, rules_nano33ble) { check_m4_rules("nano33ble"); }
Test(cycles_m4, rules_stm32l4r5) { check_m4_rules("stm32l4r5"); }

/* ---- memory timing ---- */

/* Instruction-cache lines a span of bytes starting on a line boundary covers. */
static long lines(long bytes, long line)
{
    return (bytes + line - 1) / line;
}

/* flash_code: T0, B to a 32-byte boundary (P), 16 NOPs; the block after
 * the branch is 44 bytes (16 NOPs + LDR.W + SUB.W + POP.W). */
#define FLASH_CODE_M4 (M4_OVH + (1 + P_NARROW) + 16)
/* flash_literal: T0, B, then an LDR literal (2) from flash. */
#define FLASH_LITERAL_M4 (M4_OVH + (1 + P_NARROW) + 2)
/* flash_data (code in RAM): T0, B, four LDRs from one 16-byte flash row. */
#define FLASH_DATA_M4 (M4_OVH + (1 + P_NARROW) + (2 + 1 + 1 + 1))

/* Runs of 32-bit instructions at halfword addresses, from flash (warm
 * caches): T0, B, a NOP, the run, a NOP; one cycle more for a run of three
 * or more, four or more when all are stores (docs/cycle-model.md,
 * "Unaligned 32-bit instructions"). */
static void check_wide_runs(const struct bench_results *res)
{
    long around = M4_OVH + (1 + P_NARROW) + 1 + 1;
    EXPECT_NTH(res, "flash_wide2", 1, around + 2);
    EXPECT_NTH(res, "flash_wide3", 1, around + 3 + 1);
    EXPECT_NTH(res, "flash_wide_str3", 1, around + (1 + 2 + 2));     /* STR;STR: 2 after a store */
    EXPECT_NTH(res, "flash_wide_str4", 1, around + (1 + 2 + 2 + 2) + 1);
}

Test(memory, nano33ble_nvmc_cache_and_uncached_data)
{
    /* boards/nano33ble.ini: icache 2 KB, 16-byte lines, miss 3 cycles;
     * data reads from flash uncached: 2 wait states per 4-byte read. */
    struct bench_results res;
    run_microbench("nano33ble", &res);
    EXPECT_NTH(&res, "flash_code", 0, FLASH_CODE_M4 + lines(44, 16) * 3);
    EXPECT_NTH(&res, "flash_code", 1, FLASH_CODE_M4);
    /* Cold: the block's one line misses; the literal always waits. */
    EXPECT_NTH(&res, "flash_literal", 0, FLASH_LITERAL_M4 + 1 * 3 + 2);
    EXPECT_NTH(&res, "flash_literal", 1, FLASH_LITERAL_M4 + 2);
    EXPECT_NTH(&res, "flash_data", 0, FLASH_DATA_M4 + 4 * 2);
    EXPECT_NTH(&res, "flash_data", 1, FLASH_DATA_M4 + 4 * 2);
    check_wide_runs(&res);
}

Test(memory, stm32l4r5_art_instruction_and_data_caches)
{
    /* boards/stm32l4r5.ini: 5 wait states at 120 MHz; ART instruction
     * cache (32-byte lines) and data cache (32-byte lines). */
    struct bench_results res;
    run_microbench("stm32l4r5", &res);
    EXPECT_NTH(&res, "flash_code", 0, FLASH_CODE_M4 + lines(44, 32) * 5);
    EXPECT_NTH(&res, "flash_code", 1, FLASH_CODE_M4);
    /* Cold: one code line and the literal's data line miss; warm: hits. */
    EXPECT_NTH(&res, "flash_literal", 0, FLASH_LITERAL_M4 + 5 + 5);
    EXPECT_NTH(&res, "flash_literal", 1, FLASH_LITERAL_M4);
    /* The four words share one data-cache line: one miss, then hits. */
    EXPECT_NTH(&res, "flash_data", 0, FLASH_DATA_M4 + 5);
    EXPECT_NTH(&res, "flash_data", 1, FLASH_DATA_M4);
    check_wide_runs(&res);
}

Test(memory, board_timing_keys)
{
    struct board b;
    char err[BOARD_ERR_LEN] = "";
    cr_assert_eq(board_find("stm32l4r5", &b, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(b.core->name, "cortex-m4f");
    cr_expect(b.core->fpu);
    cr_expect_eq(b.clock_hz, 120000000u);
    cr_expect_eq(b.timing.flash_wait_states, 5u);
    cr_expect(b.timing.icache && b.timing.dcache && b.timing.flash_data_reads);
    cr_expect_eq(b.timing.icache_bytes, 1024u);
    cr_expect_eq(b.timing.dcache_bytes, 256u);
    cr_assert_eq(board_find("pico", &b, err, sizeof err), 0, "%s", err);
    cr_expect(b.timing.cache_unified);
    cr_expect_eq(b.timing.muls_cycles, 1u);

    /* A cache the model cannot simulate is refused with a line number. */
    char path[128];
    snprintf(path, sizeof path, "/tmp/mcusim-cyc-board-%d.ini", (int)getpid());
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("[board]\nname = x\ncore = cortex-m4\nclock_hz = 1000000\n"
          "[memory.flash]\nkind = flash\nbase = 0\nsize = 64K\n"
          "[memory.ram]\nkind = ram\nbase = 0x20000000\nsize = 64K\n"
          "[timing]\nicache = true\nicache_bytes = 1K\nicache_line_bytes = 24\n", f);
    fclose(f);
    cr_expect_neq(board_load(path, &b, err, sizeof err), 0);
    cr_expect(strstr(err, "icache") != NULL, "%s", err);
    unlink(path);
}

/* ---- Cortex-M0+ ---- */

/* T0 on the Cortex-M0+: LDR 2 then NOP 1 (TRM Table 3-1). */
#define M0P_OVH (2 + 1)

Test(cycles_m0plus, table_3_1_and_xip_cache)
{
    struct bench_results res;
    run_microbench("pico", &res);
    EXPECT(&res, "empty", M0P_OVH);
    EXPECT(&res, "alu", M0P_OVH + 4);
    EXPECT(&res, "muls", M0P_OVH + 1);                 /* pico.ini: the fast multiplier */
    EXPECT(&res, "ldr", M0P_OVH + 2);
    EXPECT(&res, "ldr_ldr", M0P_OVH + 2 + 2);          /* no pipelining on two stages */
    EXPECT(&res, "str", M0P_OVH + 2);
    EXPECT(&res, "ldm", M0P_OVH + (1 + 4));
    EXPECT(&res, "push_pop", M0P_OVH + (1 + 4) + (1 + 4));
    EXPECT(&res, "b_taken", M0P_OVH + 2 + 1);          /* B 2 */
    EXPECT(&res, "bcc_not_taken", M0P_OVH + 1 + 1 + 1);
    EXPECT(&res, "bcc_taken", M0P_OVH + 1 + 2 + 1);    /* B<cc> taken 2 */
    EXPECT(&res, "bl_bx", M0P_OVH + 3 + 2 + 1);        /* BL 3, BX 2 */
    /* BL 3, PUSH {r4,lr} 1 + 2, POP {r4,pc} 3 + N with N = 1 low register. */
    EXPECT(&res, "bl_push_pop", M0P_OVH + 3 + (1 + 2) + (3 + 1) + 1);
    EXPECT(&res, "barriers", M0P_OVH + 3 + 3 + 3);
    EXPECT(&res, "mrs_msr", M0P_OVH + 3 + 3);

    /* boards/pico.ini: XIP cache, 8-byte lines, a miss 60 cycles, one
     * cache for code and data. */
    long code = M0P_OVH + 2 + 16;              /* B 2, 16 NOPs */
    EXPECT_NTH(&res, "flash_code", 0, code + lines(38, 8) * 60); /* 38-byte block */
    EXPECT_NTH(&res, "flash_code", 1, code);
    long lit = M0P_OVH + 2 + 2;                /* B 2, LDR literal 2 */
    EXPECT_NTH(&res, "flash_literal", 0, lit + 60 + 60); /* the code line, the literal's line */
    EXPECT_NTH(&res, "flash_literal", 1, lit);
    long data = M0P_OVH + 2 + 2 + 2;           /* B 2, two LDRs from one 8-byte line */
    EXPECT_NTH(&res, "flash_data", 0, data + 60);
    EXPECT_NTH(&res, "flash_data", 1, data);
}

/* ---- Cortex-M7 (the dual-issue model of docs/cycle-model.md) ---- */

Test(cycles_m7, dual_issue_rules)
{
    struct bench_results res;
    run_microbench("stm32f746disco", &res);
    /* T0 ("nop; ldr r11, [ip]; nop") pairs with what precedes it.  After
     * the prologue's "mov ip, r0" alone, the first NOP issues with the
     * MOV, the counter's LDR alone and the second NOP with the LDR: the
     * count starts with the LDR's cycle and the sequence issues afresh.
     * After a literal load that paired with the MOV, the first NOP issues
     * alone, the LDR with it, and the count starts with the second NOP,
     * with which the sequence's first instruction may issue.  One cycle
     * of overhead either way. */
    long ovh = 1;
    EXPECT(&res, "empty", ovh);
    /* ADDS;ADDS pair, EOR;LSLS pair: two issue cycles for four. */
    EXPECT(&res, "alu", ovh + 2);
    /* The first load issues with T0's NOP; the second cannot (the NOP
     * already paired), though words 0 and 1 are in different banks. */
    EXPECT(&res, "ldr_ldr", ovh + 0 + 1);
    /* Address from the loaded value: a word load feeds the address unit
     * a cycle late. */
    EXPECT(&res, "ldr_dep", ovh + 0 + (1 + 1));
    /* Eight multiply/DSP instructions: one MAC pipeline; the accumulator
     * chains (MLA after MUL, UMLAL after SMULL) do not wait. */
    EXPECT(&res, "mul_dsp", ovh + 8);
    /* LDM/PUSH/POP: ceil(N/2), the 64-bit path; never paired. */
    EXPECT(&res, "ldm", ovh + 4 / 2);
    EXPECT(&res, "push_pop", ovh + 4 / 2 * 2);
    /* A taken direct branch, predicted: no refill; target alignment free. */
    EXPECT(&res, "b_narrow", ovh + 1 + 1);
    EXPECT(&res, "b_wide_unaligned", ovh + 1 + 1);
    EXPECT(&res, "vdiv", ovh + 14);
    EXPECT(&res, "udiv_max_1", ovh + m4_div(0xFFFFFFFFu, 1));
    /* boards/stm32f746disco.ini: L1 caches, 32-byte lines, 7 wait states.
     * B 1, sixteen NOPs in pairs 8. */
    long code = ovh + 1 + 16 / 2;
    EXPECT_NTH(&res, "flash_code", 0, code + lines(44, 32) * 7);
    EXPECT_NTH(&res, "flash_code", 1, code);
    /* B issues with T0's NOP; four loads to words 0-3 pair by bank. */
    long data = ovh + 0 + 4 / 2;
    EXPECT_NTH(&res, "flash_data", 0, data + 7);
    EXPECT_NTH(&res, "flash_data", 1, data);
}

/* ---- against published hardware counts ---- */

/* workloads/microbench/hwcounts.tsv: for each case of the hwcounts
 * firmware, the board, the hardware's cycles per loop iteration, how they
 * add up ("4 + 1 + 2"), the sequence and the published statement.  The
 * firmware runs each loop 1001 and 1 times; the difference must be exactly
 * 1000 iterations at the hardware's count. */
static void check_hw_counts(const char *board)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/workloads/microbench/hwcounts.tsv", source_root());
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s: cannot open", path);
    struct bench_results res;
    run_bench_program("hwcounts", board, &res);
    char line[1024];
    int cases = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char *save = NULL;
        char *row_board = strtok_r(line, "\t", &save);
        char *name = strtok_r(NULL, "\t", &save);
        char *hw = strtok_r(NULL, "\t", &save);
        char *sum = strtok_r(NULL, "\t", &save);
        char *sequence = strtok_r(NULL, "\t", &save);
        char *statement = strtok_r(NULL, "\t\n", &save);
        cr_assert(row_board && name && hw && sum && sequence && statement, "%s: a row without six columns", path);
        if (strcmp(row_board, board))
            continue;
        /* The table's own arithmetic: the parts add up to the count. */
        long parts = 0;
        for (char *p = sum; *p; p++)
            if (*p >= '0' && *p <= '9')
                parts += strtol(p, &p, 10), p--;
        long cycles = atol(hw);
        cr_expect_eq(parts, cycles, "%s: %s: %s does not add up to %ld", path, name, sum, cycles);
        char many[64], one[64];
        snprintf(many, sizeof many, "%s_1001", name);
        snprintf(one, sizeof one, "%s_1", name);
        long diff = result(&res, many, 0) - result(&res, one, 0);
        cr_expect_eq(diff, 1000 * cycles, "%s: %s: mcusim %ld cycles for 1000 iterations, hardware %ld (%s)",
                     board, name, diff, 1000 * cycles, statement);
        cases++;
    }
    fclose(f);
    cr_assert_gt(cases, 2, "%s: no cases for %s", path, board);
}

/* jnk0le's Cortex-M7 pipeline measurements (STM32H743). */
Test(cycles_hw, cortex_m7_jnk0le_pipetest) { check_hw_counts("stm32f746disco"); }

/* The pico-sdk's timed code for the RP2040, and jnk0le's Cortex-M0 finding. */
Test(cycles_hw, cortex_m0plus_pico_sdk) { check_hw_counts("pico"); }

/* ---- determinism ---- */

Test(cycles, same_firmware_same_counts)
{
    struct bench_results a, b;
    run_microbench("nano33ble", &a);
    run_microbench("nano33ble", &b);
    cr_assert_eq(a.n, b.n);
    for (int i = 0; i < a.n; i++)
        cr_expect_eq(a.value[i], b.value[i], "%s differs between two runs", a.name[i]);
}
