/*
 * test_sim.c — running firmware: semihosting console, command line and
 * exit status; an unmodified newlib program; interrupts and exception
 * return on every core; each fault with its diagnostic; the instruction
 * limit; and two simulations in one process not interfering.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board.h"
#include "simtest.h"

Test(sim, hello_console_args_and_status)
{
    struct fw_result r;
    const char *args[] = {"alpha", "beta", NULL};
    const char *elf = fw_path("workloads/firmware", "hello", "nano33ble");
    fw_run(&r, elf, "nano33ble", args, 0, false);
    cr_assert_not(r.setup_failed, "%s", r.outcome.error);
    cr_expect_eq(r.outcome.result.status, SIM_EXITED);
    cr_expect_eq(r.outcome.result.exit_code, 0);
    cr_expect(strstr(r.out, "Hello from mcusim!\n") == r.out, "%s", r.out);
    cr_expect(strstr(r.out, "argv[1] = alpha\nargv[2] = beta\n") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "cycle counter: running") != NULL, "DWT CYCCNT counts");
    cr_expect_gt(r.outcome.result.instructions, 100u);
    cr_expect_geq(r.outcome.result.cycles, r.outcome.result.instructions);
    fw_result_free(&r);
}

/* Every file in boards/ got its images from the build (meson reads the
 * board list when it configures) and runs firmware: a board added without
 * reconfiguring, or one whose memory map breaks the start-up code, fails
 * here by name. */
Test(sim, every_board_has_images_and_runs_hello, .timeout = 120)
{
    struct board *list;
    char err[512];
    int n = board_list(&list, err, sizeof err);
    cr_assert_gt(n, 0, "board_list: %s", err);
    for (int i = 0; i < n; i++) {
        const char *name = list[i].name;
        const char *kernels[] = {"ref", "opt"};
        for (int k = 0; k < 2; k++) {
            char path[1024];
            snprintf(path, sizeof path, "%s/runtime/firmware/runtime-%s-%s.elf", build_root(), name, kernels[k]);
            cr_expect_eq(access(path, R_OK), 0, "board %s: no runtime image %s", name, path);
        }
        struct fw_result r;
        const char *args[] = {NULL};
        fw_run(&r, fw_path("workloads/firmware", "hello", name), name, args, 0, false);
        cr_assert_not(r.setup_failed, "board %s: %s", name, r.outcome.error);
        cr_expect_eq(r.outcome.result.status, SIM_EXITED, "board %s: %s", name, r.outcome.result.message);
        cr_expect(strstr(r.out, "Hello from mcusim!\n") == r.out, "board %s: %s", name, r.out);
        fw_result_free(&r);
    }
    free(list);
}

Test(sim, semihosting_calls)
{
    char path[128];
    snprintf(path, sizeof path, "/tmp/mcusim-sh-%d.txt", (int)getpid());
    const char *args[] = {"7", path, NULL};
    struct fw_result r;
    fw_run(&r, fw_path("tests/firmware", "semihost_io", "nano33ble"), "nano33ble", args, 0, false);
    cr_assert_not(r.setup_failed, "%s", r.outcome.error);
    cr_expect_eq(r.outcome.result.status, SIM_EXITED);
    cr_expect_eq(r.outcome.result.exit_code, 7, "exit status passes through");
    cr_expect(strstr(r.out, "!\nwrite0\nargc 3\nitm port 0\nfile ok\nheapinfo ok\n") != NULL, "stdout: %s", r.out);
    cr_expect_str_eq(r.err, "to stderr\n");
    FILE *f = fopen(path, "r");
    char buf[32] = "";
    cr_assert_not_null(f);
    cr_expect_eq(fread(buf, 1, sizeof buf, f), 10u);
    fclose(f);
    cr_expect(memcmp(buf, "0123456789", 10) == 0);
    unlink(path);
    fw_result_free(&r);
}

Test(sim, semihosting_on_cortex_m0plus)
{
    const char *args[] = {"0", NULL};
    struct fw_result r;
    fw_run(&r, fw_path("tests/firmware", "semihost_io", "pico"), "pico", args, 0, false);
    cr_assert_not(r.setup_failed, "%s", r.outcome.error);
    cr_expect_eq(r.outcome.result.status, SIM_EXITED);
    cr_expect_eq(r.outcome.result.exit_code, 0);
    cr_expect(strstr(r.out, "heapinfo ok") != NULL, "%s", r.out);
    fw_result_free(&r);
}

Test(sim, newlib_rdimon_program)
{
    char path[128];
    snprintf(path, sizeof path, "/tmp/mcusim-nl-%d.txt", (int)getpid());
    const char *args[] = {path, "5", NULL};
    struct fw_result r;
    fw_run(&r, fw_path("tests/firmware", "newlib_io", "nano33ble"), "nano33ble", args, 0, false);
    cr_assert_not(r.setup_failed, "%s", r.outcome.error);
    cr_expect_eq(r.outcome.result.status, SIM_EXITED, "%s", r.outcome.result.message);
    cr_expect_eq(r.outcome.result.exit_code, 5, "exit(5) becomes the status");
    cr_expect_str_eq(r.out, "newlib: hello, world\n"
                            "ints -42 42 beef, float 3.142\n"
                            "malloc ok, sum 109416\n"
                            "file round trip: 2 lines\n");
    unlink(path);
    fw_result_free(&r);
}

static void run_exceptions(const char *board)
{
    struct fw_result r;
    fw_run(&r, fw_path("tests/firmware", "exceptions", board), board, NULL, 0, false);
    cr_assert_not(r.setup_failed, "%s", r.outcome.error);
    cr_expect_eq(r.outcome.result.status, SIM_EXITED, "%s: %s", board, r.outcome.result.message);
    cr_expect_eq(r.outcome.result.exit_code, 0, "%s:\n%s", board, r.out);
    cr_expect(strstr(r.out, "exceptions: all passed") != NULL, "%s:\n%s", board, r.out);
    fw_result_free(&r);
}

Test(sim, interrupts_and_exception_return_m4) { run_exceptions("nano33ble"); }
Test(sim, interrupts_and_exception_return_m0plus) { run_exceptions("pico"); }
Test(sim, interrupts_and_exception_return_m7) { run_exceptions("stm32f746disco"); }

struct fault_case {
    const char *mode;
    enum sim_fault_kind kind;
    const char *symbol;  /* prefix of the faulting symbol */
    const char *detail;  /* words in the diagnostic */
};

Test(sim, each_fault_kind_with_its_diagnostic)
{
    static const struct fault_case cases[] = {
        {"read-unmapped", FAULT_READ_UNMAPPED, "main+", "read of 4 bytes at 0x30000000"},
        {"write-unmapped", FAULT_WRITE_UNMAPPED, "main+", "write of 4 bytes at 0x30000010"},
        {"write-flash", FAULT_WRITE_FLASH, "main+", "to flash"},
        {"undefined", FAULT_UNDEFINED, "main+", "undefined"},
        {"jump-unmapped", FAULT_FETCH_UNMAPPED, "0x30000000", "instruction fetch from 0x30000000"},
        {"bkpt", FAULT_BREAKPOINT, "main+", "BKPT 0x01"},
        {"stack-overflow", FAULT_STACK_OVERFLOW, "", "stack overflow"},
        {"deadlock", FAULT_DEADLOCK, "main+", "infinite loop"},
        {"wfi-deadlock", FAULT_DEADLOCK, "main+", "WFI"},
        {"nocp", FAULT_NO_COPROCESSOR, "main+", "FPU disabled"},
    };
    const char *elf = fw_path("tests/firmware", "faults", "nano33ble");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *args[] = {cases[i].mode, NULL};
        struct fw_result r;
        fw_run(&r, elf, "nano33ble", args, 10000000, false);
        cr_assert_not(r.setup_failed, "%s", r.outcome.error);
        const struct sim_result *res = &r.outcome.result;
        cr_expect_eq(res->status, SIM_FAULT, "%s: status %s", cases[i].mode, sim_status_name(res->status));
        cr_expect_eq(res->fault.kind, cases[i].kind, "%s: kind %s", cases[i].mode, sim_fault_name(res->fault.kind));
        cr_expect(strncmp(res->fault.symbol, cases[i].symbol, strlen(cases[i].symbol)) == 0,
                  "%s: symbol %s", cases[i].mode, res->fault.symbol);
        cr_expect(strstr(res->fault.detail, cases[i].detail) != NULL, "%s: detail '%s'", cases[i].mode,
                  res->fault.detail);
        cr_expect_eq(run_exit_status(res), 3, "faults exit with 3");
        fw_result_free(&r);
    }
}

Test(sim, stack_overflow_reports_depth)
{
    const char *args[] = {"stack-overflow", NULL};
    struct fw_result r;
    fw_run(&r, fw_path("tests/firmware", "faults", "nano33ble"), "nano33ble", args, 0, false);
    cr_assert_not(r.setup_failed);
    const struct sim_fault *f = &r.outcome.result.fault;
    cr_expect_eq(f->kind, FAULT_STACK_OVERFLOW);
    /* The stack is 8 KB (board default); the guard is the 1 KB below it. */
    cr_expect(strstr(f->detail, "stack is 8192 bytes") != NULL, "%s", f->detail);
    cr_expect(f->address < 0x20040000u - 8192 && f->address >= 0x20040000u - 8192 - 1024, "0x%08x", f->address);
    fw_result_free(&r);
}

Test(sim, faults_delivered_to_handlers)
{
    const char *elf = fw_path("tests/firmware", "faults", "nano33ble");
    struct fw_result r;
    const char *exits[] = {"handler-exits", NULL};
    fw_run(&r, elf, "nano33ble", exits, 0, true);
    cr_expect_eq(r.outcome.result.status, SIM_EXITED);
    cr_expect_eq(r.outcome.result.exit_code, 42);
    cr_expect(strstr(r.out, "in HardFault_Handler") != NULL);
    fw_result_free(&r);

    const char *loops[] = {"handler-loops", NULL};
    fw_run(&r, elf, "nano33ble", loops, 0, true);
    cr_expect_eq(r.outcome.result.status, SIM_FAULT);
    cr_expect_eq(r.outcome.result.fault.kind, FAULT_READ_UNMAPPED, "the first fault explains the run");
    cr_expect(strstr(r.outcome.result.message, "looped forever at HardFault_Handler") != NULL, "%s",
              r.outcome.result.message);
    fw_result_free(&r);

    const char *lockup[] = {"lockup", NULL};
    fw_run(&r, elf, "nano33ble", lockup, 0, true);
    cr_expect_eq(r.outcome.result.status, SIM_FAULT);
    cr_expect_eq(r.outcome.result.fault.kind, FAULT_LOCKUP);
    cr_expect(strstr(r.outcome.result.message, "inside the fault handler") != NULL, "%s",
              r.outcome.result.message);
    fw_result_free(&r);
}

Test(sim, instruction_limit)
{
    const char *args[] = {"runaway", NULL};
    struct fw_result r;
    fw_run(&r, fw_path("tests/firmware", "faults", "nano33ble"), "nano33ble", args, 1000000, false);
    cr_expect_eq(r.outcome.result.status, SIM_LIMIT);
    cr_expect_eq(r.outcome.result.limit, LIMIT_INSTRUCTIONS);
    cr_expect_leq(r.outcome.result.instructions, 1000000u);
    cr_expect_gt(r.outcome.result.instructions, 999000u, "stops within a block of the limit");
    cr_expect_eq(run_exit_status(&r.outcome.result), 4);
    fw_result_free(&r);
}

struct thread_job {
    const char *name;
    const char *arg;
    struct fw_result r;
    char elf[1024];
};

static void *run_job(void *p)
{
    struct thread_job *j = p;
    const char *args[] = {j->arg, NULL};
    fw_run(&j->r, j->elf, "nano33ble", args, 0, false);
    return NULL;
}

static void job_init(struct thread_job *j, const char *name, const char *arg)
{
    memset(j, 0, sizeof *j);
    j->name = name;
    j->arg = arg;
    /* fw_path's buffer is static: resolve before any thread starts. */
    snprintf(j->elf, sizeof j->elf, "%s", fw_path("workloads/firmware", name, "nano33ble"));
}

Test(sim, two_simulations_in_one_process_do_not_interfere)
{
    struct thread_job alone[2], together[2];
    job_init(&alone[0], "loop", "200");
    job_init(&alone[1], "hello", "x");
    job_init(&together[0], "loop", "200");
    job_init(&together[1], "hello", "x");
    for (int i = 0; i < 2; i++)
        run_job(&alone[i]);
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, run_job, &together[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 2; i++) {
        cr_expect_eq(alone[i].r.outcome.result.status, SIM_EXITED);
        cr_expect_eq(together[i].r.outcome.result.cycles, alone[i].r.outcome.result.cycles,
                     "%s cycles: %llu together, %llu alone (%s / %s)", alone[i].name,
                     (unsigned long long)together[i].r.outcome.result.cycles,
                     (unsigned long long)alone[i].r.outcome.result.cycles, together[i].r.out, alone[i].r.out);
        cr_expect_eq(together[i].r.outcome.result.instructions, alone[i].r.outcome.result.instructions);
        cr_expect_str_eq(together[i].r.out, alone[i].r.out);
        fw_result_free(&alone[i].r);
        fw_result_free(&together[i].r);
    }
}

Test(sim, same_inputs_same_cycles)
{
    const char *args[] = {"300", NULL};
    struct fw_result a, b;
    const char *elf = fw_path("workloads/firmware", "loop", "nano33ble");
    fw_run(&a, elf, "nano33ble", args, 0, false);
    fw_run(&b, elf, "nano33ble", args, 0, false);
    cr_expect_eq(a.outcome.result.cycles, b.outcome.result.cycles);
    cr_expect_eq(a.outcome.result.instructions, b.outcome.result.instructions);
    fw_result_free(&a);
    fw_result_free(&b);
}

Test(sim, json_summary)
{
    char cmd[2048], *out = NULL;
    snprintf(cmd, sizeof cmd, "%s/mcusim run -q %s --json - -- read-unmapped", build_root(),
             fw_path("tests/firmware", "faults", "nano33ble"));
    cr_expect_eq(run_command_capture(cmd, &out), 3);
    static const char *keys[] = {"\"status\":\t\"fault\"", "\"exit_code\":\t3", "\"instructions\":",
                                 "\"cycles\":", "\"sim_time_s\":", "\"wall_s\":", "\"mips\":",
                                 "\"kind\":\t\"read-unmapped\"", "\"pc\":", "\"symbol\":\t\"main+",
                                 "\"address\":\t\"0x30000000\""};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        cr_expect(strstr(out, keys[i]) != NULL, "missing %s in\n%s", keys[i], out);
    free(out);
}
