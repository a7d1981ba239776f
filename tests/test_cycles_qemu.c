/*
 * test_cycles_qemu.c — mcusim executes exactly the instructions another
 * emulator executes: the same ELF runs on QEMU (-M mps2-an386) with
 * "-d in_asm,exec,nochain", whose log lists every translated block with
 * its instructions and every execution of a block, and the instruction
 * count that follows from it must equal mcusim's.  Both count every
 * instruction of an executed block, IT-skipped ones included.  Skipped
 * when qemu-system-arm is not installed.
 *
 * The program compared must take the same path on both: workloads/firmware
 * loop.c does (start-up, argument parsing, an int8 dot product and CRC-32,
 * decimal output through semihosting).  Two others do not, for reasons
 * outside the cycle model: hello.c prints whether DWT CYCCNT counts (QEMU's
 * does not), and newlib's start-up asks SYS_FLEN of the console, which
 * QEMU answers 0 and mcusim -1, so newlib runs its error path.
 */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "simtest.h"

static bool have_qemu(void)
{
    char *out = NULL;
    int rc = run_command_capture("qemu-system-arm --version 2>/dev/null", &out);
    free(out);
    return rc == 0;
}

/* Translation blocks seen in the log, by host code address. */
struct tb_map {
    uint64_t *key;
    uint32_t *insns;
    size_t n, cap;
};

static uint32_t *tb_slot(struct tb_map *m, uint64_t key)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->key[i] == key)
            return &m->insns[i];
    if (m->n == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 256;
        m->key = realloc(m->key, m->cap * sizeof *m->key);
        m->insns = realloc(m->insns, m->cap * sizeof *m->insns);
        cr_assert(m->key && m->insns);
    }
    m->key[m->n] = key;
    m->insns[m->n] = 0;
    return &m->insns[m->n++];
}

/* Instructions executed according to a QEMU in_asm,exec,nochain log: an
 * "IN:" block lists the instructions of the block translated next, the
 * "Trace" line that follows is its first execution (and names its host
 * code address, reused by later executions of the same block). */
static uint64_t count_qemu_log(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "no QEMU log at %s", path);
    struct tb_map map = {0};
    char line[512];
    int pending = -1;       /* instructions of the last "IN:" block, -1 when consumed */
    uint64_t total = 0, traces = 0;
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "IN:", 3)) {
            pending = 0;
        } else if (pending >= 0 && !strncmp(line, "0x", 2) && strchr(line, ':')) {
            pending++;
        } else if (!strncmp(line, "Trace ", 6)) {
            const char *p = strchr(line, ':');
            cr_assert_not_null(p, "unexpected trace line: %s", line);
            uint64_t host = strtoull(p + 1, NULL, 16);
            uint32_t *n = tb_slot(&map, host);
            if (pending >= 0) {
                *n = (uint32_t)pending;
                pending = -1;
            }
            total += *n;
            traces++;
        }
    }
    fclose(f);
    free(map.key);
    free(map.insns);
    cr_assert_gt(traces, 100u, "the QEMU log has no block executions");
    return total;
}

/* Runs elf with the given arguments on QEMU and on mcusim and compares the
 * number of instructions executed; returns mcusim's count. */
static uint64_t compare_counts(const char *elf, const char *arg1, const char *arg2)
{
    char log[128], cmd[4096], *out = NULL;
    snprintf(log, sizeof log, "/tmp/mcusim-qemu-%d.log", (int)getpid());
    unlink(log);
    /* argv[0] is the ELF's file name on both (mcusim passes the name, not
     * the path), so the command lines are equal. */
    const char *base = strrchr(elf, '/') ? strrchr(elf, '/') + 1 : elf;
    snprintf(cmd, sizeof cmd,
             "timeout 120 qemu-system-arm -M mps2-an386 -display none -nographic -monitor none "
             "-semihosting-config enable=on,target=native,arg=%s%s%s%s%s -kernel %s "
             "-d in_asm,exec,nochain -D %s",
             base, arg1 ? ",arg=" : "", arg1 ? arg1 : "", arg2 ? ",arg=" : "", arg2 ? arg2 : "", elf, log);
    int qrc = run_command_capture(cmd, &out);
    free(out);
    cr_assert_neq(qrc, -1, "qemu did not run");
    uint64_t qemu = count_qemu_log(log);
    unlink(log);

    const char *args[3] = {arg1, arg2, NULL};
    if (!arg1)
        args[0] = NULL;
    struct fw_result r;
    fw_run(&r, elf, "mps2-an386", args, 0, false);
    cr_assert_not(r.setup_failed, "%s", r.outcome.error);
    cr_assert_eq(r.outcome.result.status, SIM_EXITED, "%s", r.outcome.result.message);
    cr_assert_eq(r.outcome.result.exit_code, qrc, "exit status: mcusim %d, qemu %d",
                 r.outcome.result.exit_code, qrc);
    uint64_t sim = r.outcome.result.instructions;
    fw_result_free(&r);
    cr_log_info("%s: mcusim %" PRIu64 " instructions, QEMU %" PRIu64, elf, sim, qemu);
    cr_expect_eq(sim, qemu, "%s: mcusim executed %" PRIu64 " instructions, QEMU %" PRIu64, elf, sim,
                 qemu);
    return sim;
}

Test(qemu_count, compute_loop_instruction_count, .timeout = 240)
{
    if (!have_qemu())
        cr_skip_test("qemu-system-arm is not installed");
    char elf[1024];
    snprintf(elf, sizeof elf, "%s", fw_path("workloads/firmware", "loop", "mps2-an386"));
    uint64_t n = compare_counts(elf, "50", NULL);
    cr_expect_gt(n, 100000u, "a real amount of work was compared");
}

Test(qemu_count, compute_loop_single_pass_instruction_count, .timeout = 240)
{
    if (!have_qemu())
        cr_skip_test("qemu-system-arm is not installed");
    char elf[1024];
    snprintf(elf, sizeof elf, "%s", fw_path("workloads/firmware", "loop", "mps2-an386"));
    uint64_t n = compare_counts(elf, "1", NULL);
    cr_expect_gt(n, 10000u, "a real amount of work was compared");
}
