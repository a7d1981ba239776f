/*
 * test_elf.c — reading firmware images: a good image, and every kind of
 * bad file (not ELF, truncated, wrong class or machine, corrupt headers,
 * segments outside the board's memory) gives one line naming the file.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf_image.h"
#include "exitcodes.h"
#include "simtest.h"

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    uint8_t *buf = malloc(*len);
    cr_assert_eq(fread(buf, 1, *len, f), *len);
    fclose(f);
    return buf;
}

Test(elf, good_image)
{
    struct elf_image img;
    char err[512];
    const char *path = fw_path("workloads/firmware", "hello", "nano33ble");
    cr_assert_eq(elf_image_load(path, &img, err, sizeof err), 0, "%s", err);
    cr_expect_geq(img.n_segs, 1);
    cr_expect_gt(img.sizes.code, 100u);
    uint32_t addr;
    cr_expect_eq(elf_image_symbol_addr(&img, "main", &addr), 0);
    uint32_t off;
    const struct elf_symbol *s = elf_image_symbol_at(&img, addr + 2, &off);
    cr_assert_not_null(s);
    cr_expect_str_eq(s->name, "main");
    cr_expect_eq(off, 2u);
    char buf[64];
    elf_image_format_addr(&img, addr + 6, buf, sizeof buf);
    cr_expect_str_eq(buf, "main+0x6");
    cr_expect_eq(elf_image_symbol_addr(&img, "__stack_limit", &addr), 0, "linker labels are kept");
    elf_image_free(&img);
}

static void expect_error(const uint8_t *bytes, size_t len, const char *words)
{
    struct elf_image img;
    char err[512] = "";
    cr_expect_eq(elf_image_load_mem("fw.elf", bytes, len, &img, err, sizeof err), -1, "accepted: %s", words);
    cr_expect(strncmp(err, "fw.elf: ", 8) == 0, "'%s' names the file", err);
    if (words)
        cr_expect(strstr(err, words) != NULL, "'%s' lacks '%s'", err, words);
    cr_expect(strchr(err, '\n') == NULL);
}

Test(elf, not_elf_and_wrong_kinds)
{
    expect_error((const uint8_t *)"hello world, not an elf", 23, "not an ELF file");
    expect_error((const uint8_t *)"\x7f" "EL", 3, "too short");
    size_t len;
    uint8_t *host = slurp("/proc/self/exe", &len); /* an x86-64 ELF64 */
    expect_error(host, len, "32-bit");
    free(host);

    uint8_t *fw = slurp(fw_path("workloads/firmware", "hello", "nano33ble"), &len);
    uint8_t *copy = malloc(len);
    memcpy(copy, fw, len);
    copy[18] = 3; copy[19] = 0;            /* e_machine = EM_386 */
    expect_error(copy, len, "not an ARM executable");
    memcpy(copy, fw, len);
    copy[16] = 1; copy[17] = 0;            /* e_type = ET_REL */
    expect_error(copy, len, "not an executable");
    memcpy(copy, fw, len);
    copy[5] = 2;                           /* big-endian */
    expect_error(copy, len, NULL);
    free(copy);
    free(fw);
}

Test(elf, truncated_at_every_interesting_length)
{
    size_t len;
    uint8_t *fw = slurp(fw_path("workloads/firmware", "hello", "nano33ble"), &len);
    /* Cut inside the ELF header, the program headers and the segment data:
     * each must fail cleanly (the section table may survive a cut in the
     * symbols, so only lengths up to the end of the loaded data count). */
    size_t cuts[] = {4, 20, 51, 52, 60, 100, 200, 400, 1000};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        struct elf_image img;
        char err[512] = "";
        int rc = elf_image_load_mem("fw.elf", fw, cuts[i], &img, err, sizeof err);
        cr_expect_eq(rc, -1, "cut at %zu accepted", cuts[i]);
        cr_expect(strncmp(err, "fw.elf: ", 8) == 0, "cut %zu: %s", cuts[i], err);
    }
    free(fw);
}

Test(elf, random_corruption_never_crashes)
{
    size_t len;
    uint8_t *fw = slurp(fw_path("workloads/firmware", "hello", "nano33ble"), &len);
    uint8_t *copy = malloc(len);
    uint32_t x = 2463534242u;
    for (int round = 0; round < 300; round++) {
        memcpy(copy, fw, len);
        for (int k = 0; k < 8; k++) {
            x ^= x << 13; x ^= x >> 17; x ^= x << 5;
            copy[x % (len < 4096 ? len : 4096)] = (uint8_t)(x >> 8);
        }
        struct elf_image img;
        char err[512];
        if (elf_image_load_mem("fw.elf", copy, len, &img, err, sizeof err) == 0)
            elf_image_free(&img);
    }
    free(copy);
    free(fw);
}

Test(elf, cli_reports_bad_files_with_exit_2)
{
    char cmd[2048], *out = NULL;
    const char *bad = "/tmp/mcusim-not-elf.elf";
    FILE *f = fopen(bad, "w");
    fputs("garbage", f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s/mcusim run %s 2>&1", build_root(), bad);
    cr_expect_eq(run_command_capture(cmd, &out), EXIT_BAD_INPUT);
    cr_expect(strstr(out, "/tmp/mcusim-not-elf.elf: not an ELF file") != NULL, "%s", out);
    free(out);
    unlink(bad);
    /* An image linked for another board's memory map. */
    snprintf(cmd, sizeof cmd, "%s/mcusim run %s --board nano33ble 2>&1", build_root(),
             fw_path("workloads/firmware", "hello", "pico"));
    cr_expect_eq(run_command_capture(cmd, &out), EXIT_BAD_INPUT);
    cr_expect(strstr(out, "lies outside the flash and RAM of board 'nano33ble'") != NULL, "%s", out);
    free(out);
    /* One whose flash fits the other board but whose stack (the top of a
     * larger RAM) does not: the fault says what probably happened. */
    snprintf(cmd, sizeof cmd, "%s/mcusim run %s --board stm32f746disco 2>&1", build_root(),
             fw_path("workloads/firmware", "hello", "stm32l4r5"));
    cr_expect_eq(run_command_capture(cmd, &out), EXIT_FAULT);
    cr_expect(strstr(out, "write of 4 bytes at 0x2009fff8: no memory or peripheral there") != NULL, "%s", out);
    cr_expect(strstr(out, "initial stack pointer lies outside the RAM of this board") != NULL, "%s", out);
    free(out);
    /* On its own board the same image runs, and no fault carries the hint. */
    snprintf(cmd, sizeof cmd, "%s/mcusim run %s --board stm32l4r5 2>&1", build_root(),
             fw_path("workloads/firmware", "hello", "stm32l4r5"));
    cr_expect_eq(run_command_capture(cmd, &out), 0, "%s", out);
    free(out);
}
