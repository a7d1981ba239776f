/*
 * test_qemu.c — the same ELF on QEMU (-M mps2-an386 with semihosting) and
 * on mcusim prints the same console output and exits with the same
 * status.  Skipped when qemu-system-arm is not installed.
 */
#include <criterion/criterion.h>
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

static void compare(const char *name, const char *arg1, const char *arg2)
{
    if (!have_qemu())
        cr_skip_test("qemu-system-arm is not installed");
    const char *elf = fw_path(strcmp(name, "newlib_io") ? "workloads/firmware" : "tests/firmware", name,
                              "mps2-an386");
    char elf_copy[1024];
    snprintf(elf_copy, sizeof elf_copy, "%s", elf);
    char cmd[4096], *qemu_out = NULL, *sim_out = NULL;
    /* argv[0] is the same for both: QEMU's first semihosting arg. */
    snprintf(cmd, sizeof cmd,
             "timeout 120 qemu-system-arm -M mps2-an386 -display none -nographic -monitor none "
             "-semihosting-config enable=on,target=native,arg=%s%s%s%s%s -kernel %s",
             elf_copy, arg1 ? ",arg=" : "", arg1 ? arg1 : "", arg2 ? ",arg=" : "", arg2 ? arg2 : "", elf_copy);
    int qrc = run_command_capture(cmd, &qemu_out);
    snprintf(cmd, sizeof cmd, "%s/mcusim run -q --board mps2-an386 %s -- %s %s", build_root(), elf_copy,
             arg1 ? arg1 : "", arg2 ? arg2 : "");
    int mrc = run_command_capture(cmd, &sim_out);
    cr_expect_eq(mrc, qrc, "%s: exit status mcusim %d, qemu %d", name, mrc, qrc);
    cr_expect_str_eq(sim_out, qemu_out, "%s: console output differs", name);
    cr_expect_gt(strlen(sim_out), 10u);
    free(qemu_out);
    free(sim_out);
}

Test(qemu, newlib_program_same_output_and_status, .timeout = 180)
{
    char path[128];
    snprintf(path, sizeof path, "/tmp/mcusim-q-%d.txt", (int)getpid());
    compare("newlib_io", path, "9");
    unlink(path);
}

Test(qemu, compute_loop_same_checksum, .timeout = 180)
{
    compare("loop", "2000", NULL);
}
