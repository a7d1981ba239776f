/*
 * test_qemu.c — the same ELF on QEMU (-M mps2-an386 with semihosting) and
 * on mcusim prints the same console output and exits with the same
 * status: programs on mcusim's contract (semihosting), and images written
 * for the board that print through its CMSDK UART console (QEMU's serial
 * port on standard output).  Skipped when qemu-system-arm is not
 * installed.
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
    /* argv[0] is the same for both: mcusim passes the image's file name,
     * QEMU its first semihosting arg. */
    const char *base = strrchr(elf_copy, '/') ? strrchr(elf_copy, '/') + 1 : elf_copy;
    snprintf(cmd, sizeof cmd,
             "timeout 120 qemu-system-arm -M mps2-an386 -display none -nographic -monitor none "
             "-semihosting-config enable=on,target=native,arg=%s%s%s%s%s -kernel %s",
             base, arg1 ? ",arg=" : "", arg1 ? arg1 : "", arg2 ? ",arg=" : "", arg2 ? arg2 : "", elf_copy);
    int qrc = run_command_capture(cmd, &qemu_out);
    /* --exit-status firmware: the firmware's own status, as QEMU gives it. */
    snprintf(cmd, sizeof cmd, "%s/mcusim run -q --exit-status firmware --board mps2-an386 %s -- %s %s", build_root(), elf_copy,
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

/* The inference runtime with a model placed in its flash slot by QEMU's
 * loader, as a flashing tool would: the same output line as mcusim. */
Test(qemu, runtime_inference_same_output, .timeout = 300)
{
    if (!have_qemu())
        cr_skip_test("qemu-system-arm is not installed");
    char elf[1024], model[1024], blob[256], cmd[4096], *q = NULL, *m = NULL;
    snprintf(elf, sizeof elf, "%s/runtime/firmware/runtime-mps2-an386-ref.elf", build_root());
    snprintf(model, sizeof model, "%s/workloads/dscnn.tflite", build_root());
    snprintf(blob, sizeof blob, "/tmp/mcusim-qblob-%d.bin", (int)getpid());
    FILE *in = fopen(model, "rb"), *out = fopen(blob, "wb");
    cr_assert(in && out);
    fseek(in, 0, SEEK_END);
    uint32_t size = (uint32_t)ftell(in);
    rewind(in);
    uint8_t header[16] = {'M', 'D', 'L', '1'};
    memcpy(header + 4, &size, 4);
    fwrite(header, 1, sizeof header, out);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, n, out);
    fclose(in);
    fclose(out);
    snprintf(cmd, sizeof cmd, "arm-none-eabi-nm %s | sed -n 's/ . __model_slot_start$//p'", elf);
    char *addr = NULL;
    cr_assert_eq(run_command_capture(cmd, &addr), 0);
    addr[strcspn(addr, "\n")] = '\0';
    snprintf(cmd, sizeof cmd,
             "timeout 240 qemu-system-arm -M mps2-an386 -display none -nographic -monitor none "
             "-semihosting-config enable=on,target=native,arg=rt,arg=--kernels,arg=ref "
             "-device loader,file=%s,addr=0x%s -kernel %s",
             blob, addr, elf);
    cr_expect_eq(run_command_capture(cmd, &q), 0);
    snprintf(cmd, sizeof cmd, "%s/mcusim profile -q --no-db --board mps2-an386 %s", build_root(), model);
    cr_expect_eq(run_command_capture(cmd, &m), 0);
    cr_expect(strncmp(m, "output: ", 8) == 0, "%s", m);
    cr_expect_str_eq(q, m);
    free(addr);
    free(q);
    free(m);
    unlink(blob);
}

/* A board-level image: its console is UART0, which QEMU connects to
 * standard output with -nographic; it ends with a semihosting exit. */
static void compare_uart_image(const char *elf)
{
    if (!have_qemu())
        cr_skip_test("qemu-system-arm is not installed");
    char cmd[4096], *qemu_out = NULL, *sim_out = NULL;
    snprintf(cmd, sizeof cmd,
             "timeout 120 qemu-system-arm -M mps2-an386 -display none -nographic -monitor none "
             "-semihosting-config enable=on,target=native -kernel %s",
             elf);
    int qrc = run_command_capture(cmd, &qemu_out);
    snprintf(cmd, sizeof cmd, "%s/mcusim run -q --exit-status firmware --board mps2-an386 %s", build_root(), elf);
    int mrc = run_command_capture(cmd, &sim_out);
    cr_expect_eq(qrc, 0, "%s: qemu exit status %d", elf, qrc);
    cr_expect_eq(mrc, qrc, "%s: exit status mcusim %d, qemu %d", elf, mrc, qrc);
    cr_expect_str_eq(sim_out, qemu_out, "%s: console output differs", elf);
    cr_expect_gt(strlen(sim_out), 100u);
    free(qemu_out);
    free(sim_out);
}

/* Clock start-up, printf polled and by interrupt, the CMSDK timer's tick
 * and PendSV task switching, on the board's own registers. */
Test(qemu, board_image_same_uart_output, .timeout = 180)
{
    char elf[1024];
    snprintf(elf, sizeof elf, "%s/tests/firmware/board_test-mps2-an386.elf", build_root());
    compare_uart_image(elf);
}

/* The RTOS-style image: the project's preemptive kernel ticking from
 * TIMER0, three tasks printing through UART0. */
Test(qemu, rtos_image_same_uart_output, .timeout = 180)
{
    char elf[1024];
    snprintf(elf, sizeof elf, "%s/workloads/rtos/rtos_demo-mps2-an386.elf", build_root());
    compare_uart_image(elf);
}
