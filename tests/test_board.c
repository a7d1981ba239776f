/*
 * test_board.c — board files: every shipped board loads, and each kind of
 * broken file is refused with "FILE:LINE: problem".
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board.h"
#include "simtest.h"

static char tmp_path[256];

static const char *write_board(const char *text)
{
    snprintf(tmp_path, sizeof tmp_path, "/tmp/mcusim-board-%d.ini", (int)getpid());
    FILE *f = fopen(tmp_path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    return tmp_path;
}

#define GOOD_HEAD "[board]\nname = t\ncore = cortex-m4f\nclock_hz = 64000000\n"
#define GOOD_MEM "[memory.flash]\nkind = flash\nbase = 0\nsize = 1M\n[memory.ram]\nkind = ram\nbase = 0x20000000\nsize = 256K\n"

Test(board, shipped_boards_load)
{
    struct board *list;
    char err[512];
    int n = board_list(&list, err, sizeof err);
    cr_assert_geq(n, 4, "board_list: %s", err);
    bool m0 = false, m4 = false, m7 = false;
    for (int i = 0; i < n; i++) {
        m0 |= !strcmp(core_name(list[i].core), "cortex-m0plus");
        m4 |= !strcmp(core_name(list[i].core), "cortex-m4");
        m7 |= !strcmp(core_name(list[i].core), "cortex-m7");
    }
    cr_expect(m0 && m4 && m7, "boards for each of M0+, M4 and M7");
    free(list);
}

Test(board, nano33ble_facts)
{
    struct board b;
    char err[512];
    cr_assert_eq(board_find("nano33ble", &b, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(b.core->name, "cortex-m4f");
    cr_expect(b.core->fpu);
    cr_expect_eq(b.clock_hz, 64000000u);
    const struct board_region *flash = board_main_region(&b, REGION_FLASH);
    const struct board_region *ram = board_main_region(&b, REGION_RAM);
    cr_expect_eq(flash->base, 0u);
    cr_expect_eq(flash->size, 1024u * 1024u);
    cr_expect_eq(ram->base, 0x20000000u);
    cr_expect_eq(ram->size, 256u * 1024u);
    cr_expect_eq(b.vtor, 0u, "boots from the start of flash");
}

struct broken {
    const char *text;
    int line;
    const char *words;
};

Test(board, broken_files_name_file_and_line)
{
    static const struct broken cases[] = {
        {GOOD_HEAD "clok_hz = 5\n" GOOD_MEM, 5, "unknown key 'clok_hz'"},
        {"[board]\nname = t\ncore = cortex-m5\n", 3, "unknown core 'cortex-m5'"},
        {GOOD_HEAD GOOD_MEM "[memory.x]\nkind = ram\nbase = 0x20010000\nsize = 4K\n", 14, "overlaps"},
        {GOOD_HEAD "[memory.flash]\nkind = flash\nbase = 0\nsize = 1Q\n", 8, "not a valid number"},
        {GOOD_HEAD "[wifi]\nssid = x\n", 6, "unknown section [wifi]"},
        {GOOD_HEAD "this line is not ini\n", 5, "syntax error"},
        {GOOD_HEAD "[memory.boot]\nkind = flash\nbase = 0x30000100\nsize = 1K\n" GOOD_MEM, 6, "1 KB boundary"},
        {GOOD_HEAD "[memory.flash]\nkind = eeprom\n", 6, "unknown memory kind"},
        {"[board]\nname = t\nclock_hz = 1\n" GOOD_MEM, 1, "missing [board] core"},
        {GOOD_HEAD "[memory.ram]\nkind = ram\nbase = 0x20000000\nsize = 4K\n", 1, "no memory region of kind flash"},
        {GOOD_HEAD "[timing]\nicache = maybe\n" GOOD_MEM, 6, "must be true or false"},
        /* Checks across keys point at the key to change, not at line 1. */
        {GOOD_HEAD "stack = 1M\n" GOOD_MEM, 5, "stack is larger than the RAM"},
        {GOOD_HEAD "[timing]\nflash_line_bytes = 24\n" GOOD_MEM, 6, "power of two"},
        {GOOD_HEAD "[timing]\nicache = true\nicache_bytes = 1000\n" GOOD_MEM, 6, "icache needs"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct board b;
        char err[512] = "";
        const char *path = write_board(cases[i].text);
        cr_expect_eq(board_load(path, &b, err, sizeof err), -1, "case %zu accepted", i);
        char where[300];
        snprintf(where, sizeof where, "%s:%d: ", path, cases[i].line);
        cr_expect(strstr(err, where) == err, "case %zu: '%s' does not start with '%s'", i, err, where);
        cr_expect(strstr(err, cases[i].words) != NULL, "case %zu: '%s' lacks '%s'", i, err, cases[i].words);
        cr_expect(strchr(err, '\n') == NULL, "one line");
    }
    unlink(tmp_path);
}

Test(board, good_minimal_file)
{
    struct board b;
    char err[512] = "";
    const char *path = write_board(GOOD_HEAD "stack = 4K\n" GOOD_MEM);
    cr_assert_eq(board_load(path, &b, err, sizeof err), 0, "%s", err);
    cr_expect_eq(b.stack_bytes, 4096u);
    cr_expect_eq(b.n_regions, 2);
    unlink(tmp_path);
}

Test(board, unknown_name_and_missing_file)
{
    struct board b;
    char err[512];
    cr_expect_eq(board_find("no-such-board", &b, err, sizeof err), -1);
    cr_expect(strstr(err, "unknown board") != NULL, "%s", err);
    cr_expect_eq(board_find("/nonexistent/x.ini", &b, err, sizeof err), -1);
    cr_expect(strstr(err, "/nonexistent/x.ini: cannot open") != NULL, "%s", err);
}

Test(board, cli_lists_boards)
{
    char *out = NULL;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s/mcusim boards", build_root());
    cr_assert_eq(run_command_capture(cmd, &out), 0);
    cr_expect(strstr(out, "nano33ble") && strstr(out, "cortex-m4") && strstr(out, "64 MHz") &&
              strstr(out, "1 MB/256 KB"), "%s", out);
    cr_expect(strstr(out, "pico") && strstr(out, "cortex-m0plus"), "%s", out);
    cr_expect(strstr(out, "stm32f746disco") && strstr(out, "cortex-m7"), "%s", out);
    free(out);
}

Test(board, unknown_core_lists_the_core_table)
{
    struct board b;
    char err[512];
    cr_assert_neq(board_load(write_board("[board]\nname = t\ncore = cortex-m33\n"), &b, err, sizeof err), 0);
    cr_expect(strstr(err, ":3: unknown core 'cortex-m33' (known: cortex-m0plus, cortex-m4, cortex-m4f, "
                          "cortex-m7, cortex-m7f)") != NULL, "%s", err);
    for (const char *name = core_known_names(), *end; *name; name = *end ? end + 2 : end) {
        end = strchr(name, ',');
        if (!end)
            end = name + strlen(name);
        char one[32];
        snprintf(one, sizeof one, "%.*s", (int)(end - name), name);
        const struct core_desc *core = core_find(one);
        cr_assert_not_null(core, "'%s' is listed but not found", one);
        cr_expect_str_eq(core->name, one);
        cr_expect_not_null(core->timing, "%s has a timing table", one);
    }
}
