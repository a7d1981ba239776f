/*
 * test_periph.c — the peripheral models on every board, through firmware
 * written against each part's own registers (workloads/bsp/,
 * tests/firmware/board_*.c, timers_*.c, clocks_*.c, uarts_*.c,
 * uart_echo.c, workloads/rtos/), run by the mcusim program as a user
 * runs it:
 *   - clock start-up, printf polled and by interrupt, a timer tick and
 *     PendSV task switching print what they should, with every register
 *     they touch modelled (--unmodelled fault);
 *   - the RTOS demo prints its tick-stamped lines;
 *   - UART frames take the time the baud rate says, the timer ticks at
 *     its rate, and the flash cache firmware turns off costs cycles;
 *   - each part's other timers (periodic, one-shot, compare, capture,
 *     alarms, low-power timers) keep the time their manuals give, and
 *     its oscillators report ready after their start-up times;
 *   - the firmware's clock and flash configuration win over the board
 *     file's defaults (time, wait states, the energy estimate), and the
 *     run says which was used;
 *   - the UARTs next to the console send polled and by interrupt;
 *   - --uart-in feeds the console UART, --uart-out copies what it sends;
 *   - unmodelled registers are reported once each (log) or stop the run
 *     (fault), and bad [peripheral.X] sections are refused by line.
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "simtest.h"

struct board_facts {
    const char *board;
    unsigned long clock_hz;   /* what its start-up code sets */
    const char *timer;        /* bsp_timer_name */
};

static const struct board_facts boards[] = {
    {"mps2-an386", 25000000, "CMSDK TIMER0"},
    {"nano33ble", 64000000, "TIMER1"},
    {"stm32l4r5", 120000000, "TIM6"},
    {"stm32f746disco", 216000000, "TIM6"},
    {"pico", 125000000, "TIMER alarm 0"},
};
#define N_BOARDS (sizeof boards / sizeof boards[0])

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    fclose(f);
    return buf;
}

static void tmp_path(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "/tmp/mcusim-periph-%d-%s", (int)getpid(), name);
}

/* Runs `mcusim run` with extra options; stdout captured, stderr in *err
 * (malloc'd, may be NULL), the JSON summary parsed into *json (may be
 * NULL).  Returns the exit status. */
static int run_args(const char *board, const char *elf, const char *opts, const char *args, char **out, char **err,
                    cJSON **json)
{
    char errf[256], jsonf[256], cmd[4096];
    tmp_path(errf, sizeof errf, "stderr.txt");
    tmp_path(jsonf, sizeof jsonf, "run.json");
    snprintf(cmd, sizeof cmd, "%s/mcusim run -q --board %s --json %s %s %s %s 2>%s", build_root(), board, jsonf,
             opts ? opts : "", elf, args ? args : "", errf);
    int rc = run_command_capture(cmd, out);
    if (err)
        *err = slurp(errf);
    if (json) {
        char *text = slurp(jsonf);
        *json = text ? cJSON_Parse(text) : NULL;
        free(text);
    }
    unlink(errf);
    unlink(jsonf);
    return rc;
}

static int run(const char *board, const char *elf, const char *opts, char **out, char **err, cJSON **json)
{
    return run_args(board, elf, opts, NULL, out, err, json);
}

static const char *json_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static double json_num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

/* ---- the board-level test firmware ---- */

Test(periph, board_test_on_every_board_with_every_register_modelled, .timeout = 300)
{
    for (size_t i = 0; i < N_BOARDS; i++) {
        const struct board_facts *b = &boards[i];
        char expect[1024], *out = NULL, *err = NULL;
        snprintf(expect, sizeof expect,
                 "%s: clock %lu Hz\n"
                 "polled: 2 + 3 = 5\n"
                 "interrupt-driven: the quick brown fox jumps over the lazy dog c0ffee\n"
                 "timer: %s, 10 ticks\n"
                 "tasks: A0 B0 A1 B1 A2 B2 \n"
                 "done\n",
                 b->board, b->clock_hz, b->timer);
        /* fault: any register the firmware touches that no model serves
         * would stop the run. */
        int rc = run(b->board, fw_path("tests/firmware", "board_test", b->board), "--unmodelled fault", &out, &err,
                     NULL);
        cr_expect_eq(rc, 0, "%s: exit %d: %s", b->board, rc, err ? err : "");
        cr_expect_str_eq(out, expect, "%s: console output", b->board);
        free(out);
        free(err);
    }
}

Test(periph, rtos_demo_on_every_board, .timeout = 300)
{
    for (size_t i = 0; i < N_BOARDS; i++) {
        const struct board_facts *b = &boards[i];
        char expect[2048], *out = NULL, *err = NULL;
        snprintf(expect, sizeof expect,
                 "rtos demo on %s: 3 tasks, tick from %s at 1000 Hz\n"
                 "[  10] blink 0\n"
                 "[  20] blink 1\n"
                 "[  25] worker: 95 primes below 500\n"
                 "[  30] blink 2\n"
                 "[  40] blink 3\n"
                 "[  50] blink 4\n"
                 "[  50] worker: 168 primes below 1000\n"
                 "[  75] worker: 239 primes below 1500\n"
                 "[ 100] worker: 303 primes below 2000\n"
                 "[ 120] reporter: 5 blinks, 4 chunks, stopping\n",
                 b->board, b->timer);
        cJSON *json = NULL;
        int rc = run(b->board, fw_path("workloads/rtos", "rtos_demo", b->board), "--unmodelled fault", &out, &err,
                     &json);
        cr_expect_eq(rc, 0, "%s: exit %d: %s", b->board, rc, err ? err : "");
        cr_expect_str_eq(out, expect, "%s: console output", b->board);
        /* 120 ticks of 1 ms, and little more: the tick is the board's. */
        double t = json_num(json, "sim_time_s");
        cr_expect(t > 0.120 && t < 0.135, "%s: %.6f s simulated", b->board, t);
        cJSON_Delete(json);
        free(out);
        free(err);
    }
}

/* ---- timing ---- */

static int count_lines_ending(const char *text, const char *end)
{
    int n = 0;
    for (const char *p = text; p && (p = strstr(p, end)); p += strlen(end))
        n++;
    return n;
}

static unsigned long number_after(const char *text, const char *label)
{
    const char *p = strstr(text, label);
    return p ? strtoul(p + strlen(label), NULL, 10) : 0;
}

Test(periph, uart_frames_and_timer_ticks_take_their_time, .timeout = 300)
{
    for (size_t i = 0; i < N_BOARDS; i++) {
        const struct board_facts *b = &boards[i];
        char *out = NULL;
        int rc = run(b->board, fw_path("tests/firmware", "board_timing", b->board), NULL, &out, NULL, NULL);
        cr_assert_eq(rc, 0, "%s: exit %d", b->board, rc);
        cr_expect_eq(number_after(out, "core: "), b->clock_hz, "%s: %s", b->board, out);
        /* 40 frames of 10 bits at 115200 baud after the one in flight: the
         * drivers end between 40 and 41 frames later (the divisors round
         * the rate by less than 0.2%). */
        double frame = b->clock_hz * 10.0 / 115200;
        double frames = number_after(out, "uart: ") / frame;
        cr_expect(frames > 39.9 && frames < 41.2, "%s: UART took %.3f frames: %s", b->board, frames, out);
        /* Ten 1 ms ticks: within the latency of one interrupt entry. */
        double ticks = number_after(out, "timer: ") / (b->clock_hz / 1000.0);
        cr_expect(ticks > 9.999 && ticks < 10.001, "%s: timer took %.5f ms", b->board, ticks);
        const char *cache = strstr(out, "flash cache: ");
        if (!strcmp(b->board, "nano33ble") || !strcmp(b->board, "stm32l4r5")) {
            cr_assert(cache, "%s: no flash cache line: %s", b->board, out);
            unsigned long on = strtoul(cache + 13, NULL, 10);
            unsigned long off = number_after(cache, "on, ");
            cr_expect(off > on + on / 20, "%s: cache on %lu, off %lu cycles", b->board, on, off);
        }
        free(out);
    }
}

/* Firmware that checks the part's documented behaviour itself
 * (tests/firmware/<prog>_<board>.c, measure.h): a line per check, each
 * of which must say ok, as many as it makes, with every register it
 * touches modelled. */
static void expect_checks_pass(const char *prog, const char *board, int checks)
{
    char *out = NULL, *err = NULL;
    int rc = run(board, fw_path("tests/firmware", prog, board), "--unmodelled fault", &out, &err, NULL);
    cr_expect_eq(rc, 0, "%s-%s: exit %d: %s%s", prog, board, rc, out ? out : "", err ? err : "");
    cr_expect_eq(count_lines_ending(out, ": ok\n"), checks, "%s-%s: %s", prog, board, out);
    cr_expect_eq(count_lines_ending(out, ": FAIL\n"), 0, "%s-%s: %s", prog, board, out);
    cr_expect(out && strstr(out, "\nall ok\n"), "%s-%s: %s", prog, board, out);
    free(out);
    free(err);
}

/* Each part's other timers (timers_<board>.c), timed against SysTick. */
Test(periph, each_parts_other_timers_keep_their_documented_time, .timeout = 300)
{
    expect_checks_pass("timers", "mps2-an386", 6);
    expect_checks_pass("timers", "nano33ble", 6);
    expect_checks_pass("timers", "pico", 5);
    expect_checks_pass("timers", "stm32f746disco", 4);
    expect_checks_pass("timers", "stm32l4r5", 6);
}

/* Ready bits and events of each clock controller (clocks_<board>.c):
 * clear while off, set after the oscillator's start-up time, SWS
 * following SW.  The MPS2's clocks are fixed by its FPGA: nothing to
 * start there. */
Test(periph, oscillators_report_ready_after_their_start_up_time, .timeout = 300)
{
    expect_checks_pass("clocks", "nano33ble", 8);
    expect_checks_pass("clocks", "pico", 9);
    expect_checks_pass("clocks", "stm32f746disco", 14);
    expect_checks_pass("clocks", "stm32l4r5", 13);
}

/* The UARTs next to the console (uarts_<board>.c): what they send
 * reaches the console too, polled and by interrupt, first. */
Test(periph, other_uarts_send_polled_and_by_interrupt, .timeout = 120)
{
    static const struct {
        const char *board, *uart;
    } cases[] = {{"mps2-an386", "uart1"}, {"pico", "uart1"}, {"stm32l4r5", "usart2"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        expect_checks_pass("uarts", cases[i].board, 2);
        char *out = NULL, expect[256];
        run(cases[i].board, fw_path("tests/firmware", "uarts", cases[i].board), NULL, &out, NULL, NULL);
        snprintf(expect, sizeof expect,
                 "%s polled: 0123456789\n%s interrupt-driven: the quick brown fox jumps over the lazy dog\n",
                 cases[i].uart, cases[i].uart);
        cr_expect(out && !strncmp(out, expect, strlen(expect)), "%s: %s", cases[i].board, out);
        free(out);
    }
}

/* ---- what set the clock and the flash timing ---- */

Test(periph, run_reports_what_the_firmware_configured, .timeout = 120)
{
    struct {
        const char *board, *clock_source, *timing_source;
    } cases[] = {
        {"mps2-an386", "board", "board"},
        {"nano33ble", "board", "NVMC ICACHECNF: instruction cache on"},
        {"stm32l4r5", "RCC: SYSCLK from PLL, 120 MHz; HCLK 120 MHz",
         "FLASH ACR: 5 wait states, ART instruction cache on, data cache on"},
        {"stm32f746disco", "RCC: SYSCLK from PLL, 216 MHz; HCLK 216 MHz", "FLASH ACR: 7 wait states"},
        {"pico", "CLOCKS: clk_sys from pll_sys, 125 MHz", "board"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = NULL;
        cJSON *json = NULL;
        int rc = run(cases[i].board, fw_path("tests/firmware", "board_test", cases[i].board), NULL, &out, NULL, &json);
        cr_expect_eq(rc, 0);
        cr_expect_str_eq(json_str(json, "clock_source"), cases[i].clock_source, "%s", cases[i].board);
        cr_expect_str_eq(json_str(json, "memory_timing_source"), cases[i].timing_source, "%s", cases[i].board);
        cJSON_Delete(json);
        free(out);
    }
}

/* A board file whose defaults differ from what the firmware sets up. */
static void write_variant(const char *src_board, const char *path, const char *const *edits)
{
    char src[1024];
    snprintf(src, sizeof src, "%s/boards/%s.ini", source_root(), src_board);
    char *text = slurp(src);
    cr_assert(text, "cannot read %s", src);
    for (const char *const *e = edits; e[0]; e += 2) {
        char *at = strstr(text, e[0]);
        cr_assert(at, "'%s' not in %s", e[0], src);
        size_t before = (size_t)(at - text), old = strlen(e[0]), new = strlen(e[1]);
        char *next = malloc(strlen(text) - old + new + 1);
        memcpy(next, text, before);
        memcpy(next + before, e[1], new);
        strcpy(next + before + new, at + old);
        free(text);
        text = next;
    }
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
    free(text);
}

Test(periph, firmware_clock_and_wait_states_win_over_the_board_file, .timeout = 120)
{
    char board[256];
    tmp_path(board, sizeof board, "slow.ini");
    const char *edits[] = {"clock_hz = 120000000", "clock_hz = 80000000",
                           "flash_wait_states = 5", "flash_wait_states = 2", NULL};
    write_variant("stm32l4r5", board, edits);
    char *out = NULL, *err = NULL;
    cJSON *json = NULL;
    int rc = run(board, fw_path("tests/firmware", "board_test", "stm32l4r5"), NULL, &out, &err, &json);
    cr_assert_eq(rc, 0, "%s", err ? err : "");
    cr_expect(strstr(out, "stm32l4r5: clock 120000000 Hz\n"), "%s", out);
    cr_expect_eq(json_num(json, "clock_hz"), 120000000);
    cr_expect_str_eq(json_str(json, "memory_timing_source"),
                     "FLASH ACR: 5 wait states, ART instruction cache on, data cache on");
    /* Time runs at the firmware's 120 MHz (the first microseconds at the
     * board's 80 MHz, then at the 4 MHz MSI while it switches). */
    double cycles = json_num(json, "cycles"), t = json_num(json, "sim_time_s");
    cr_expect(t > cycles / 120e6 && t < cycles / 120e6 * 1.01, "%.0f cycles in %.6f s", cycles, t);
    cJSON_Delete(json);
    free(out);
    free(err);

    /* Only the cycles before the firmware's ACR write see the board's 2
     * wait states instead of 5: the rest costs what it does on the stock
     * board, whose file says what the firmware sets. */
    char *out2 = NULL;
    cJSON *stock = NULL, *again = NULL;
    run("stm32l4r5", fw_path("tests/firmware", "board_test", "stm32l4r5"), NULL, &out2, NULL, &stock);
    free(out2);
    run(board, fw_path("tests/firmware", "board_test", "stm32l4r5"), NULL, &out2, NULL, &again);
    free(out2);
    double a = json_num(stock, "cycles"), b = json_num(again, "cycles");
    cr_expect(b < a && a - b < a / 1000, "stock %.0f cycles, 2 wait states at first %.0f", a, b);
    cJSON_Delete(stock);
    cJSON_Delete(again);
    unlink(board);
}

/* A number from a board file: the first "key = value" line. */
static double board_number(const char *board, const char *key)
{
    char path[1024], pattern[128];
    snprintf(path, sizeof path, "%s/boards/%s.ini", source_root(), board);
    snprintf(pattern, sizeof pattern, "\n%s = ", key);
    char *text = slurp(path);
    cr_assert(text, "cannot read %s", path);
    const char *at = strstr(text, pattern);
    cr_assert(at, "no '%s' in %s", key, path);
    double v = strtod(at + strlen(pattern), NULL);
    free(text);
    return v;
}

/* The energy estimate of a profiled run uses the clock the firmware set:
 * on stm32l4r5 (no per-event terms) it is
 *   V * (run_ua_per_mhz * active_cycles / 1e6 + sleep_ua * sleep_cycles / f)
 * and the firmware's 120 MHz, not the board file's 80, must be f. */
Test(periph, energy_follows_the_clock_the_firmware_set, .timeout = 120)
{
    char board[256], db[256];
    tmp_path(board, sizeof board, "slow-energy.ini");
    tmp_path(db, sizeof db, "energy.db");
    const char *edits[] = {"clock_hz = 120000000", "clock_hz = 80000000", NULL};
    write_variant("stm32l4r5", board, edits);
    const char *elf = fw_path("tests/firmware", "board_test", "stm32l4r5");
    cr_assert_eq(board_number("stm32l4r5", "flash_read_extra_ua_per_mhz"), 0);
    cr_assert_eq(board_number("stm32l4r5", "mul_extra_ua_per_mhz"), 0);
    cr_assert_eq(board_number("stm32l4r5", "fpu_extra_ua_per_mhz"), 0);
    double v = board_number("stm32l4r5", "supply_v"), run_ua = board_number("stm32l4r5", "run_ua_per_mhz"),
           sleep_ua = board_number("stm32l4r5", "sleep_ua");

    char *out = NULL, *err = NULL, opts[600];
    cJSON *plain = NULL, *profiled = NULL;
    cr_assert_eq(run(board, elf, NULL, &out, &err, &plain), 0, "%s", err ? err : "");
    free(out);
    free(err);
    snprintf(opts, sizeof opts, "--profile --db %s", db);
    cr_assert_eq(run(board, elf, opts, &out, &err, &profiled), 0, "%s", err ? err : "");
    double cycles = json_num(plain, "cycles"), sleep = json_num(plain, "sleep_cycles");
    cr_assert_eq(json_num(profiled, "cycles"), cycles, "profiling changes no cycle");
    cr_assert_eq(json_num(profiled, "clock_hz"), 120e6);
    cr_assert(sleep > cycles / 10, "the firmware sleeps (%.0f of %.0f cycles)", sleep, cycles);

    double uj = json_num(profiled, "energy_uj");
    double at_firmware = v * (run_ua * (cycles - sleep) / 1e6 + sleep_ua * sleep / 120e6);
    double at_board = v * (run_ua * (cycles - sleep) / 1e6 + sleep_ua * sleep / 80e6);
    cr_expect(uj > at_firmware * (1 - 1e-9) && uj < at_firmware * (1 + 1e-9),
              "%.9f uJ, at the firmware's 120 MHz %.9f, at the board's 80 MHz %.9f", uj, at_firmware, at_board);
    cJSON_Delete(plain);
    cJSON_Delete(profiled);
    free(out);
    free(err);
    unlink(board);
    unlink(db);
}

/* ---- the console ---- */

Test(periph, uart_in_feeds_the_console_and_uart_out_copies_it, .timeout = 300)
{
    char in[256], copy[256];
    tmp_path(in, sizeof in, "in.txt");
    tmp_path(copy, sizeof copy, "copy.txt");
    FILE *f = fopen(in, "w");
    fputs("hello world\nmcusim\n", f);
    fclose(f);
    for (size_t i = 0; i < N_BOARDS; i++) {
        char opts[700], *out = NULL;
        snprintf(opts, sizeof opts, "--uart-in %s --uart-out %s", in, copy);
        int rc = run(boards[i].board, fw_path("tests/firmware", "uart_echo", boards[i].board), opts, &out, NULL, NULL);
        cr_expect_eq(rc, 0);
        cr_expect_str_eq(out, "echo 1: HELLO WORLD\necho 2: MCUSIM\n2 lines\n", "%s", boards[i].board);
        char *copied = slurp(copy);
        cr_expect_str_eq(copied ? copied : "", out, "%s: --uart-out", boards[i].board);
        free(copied);
        free(out);
    }
    /* From standard input, as a pipe. */
    char cmd[2048], *out = NULL;
    snprintf(cmd, sizeof cmd, "printf 'abc\\n' | %s/mcusim run -q --board pico --uart-in - %s", build_root(),
             fw_path("tests/firmware", "uart_echo", "pico"));
    cr_expect_eq(run_command_capture(cmd, &out), 0);
    cr_expect_str_eq(out, "echo 1: ABC\n1 lines\n");
    free(out);
    unlink(in);
    unlink(copy);
}

Test(periph, uart_in_that_cannot_be_opened_is_bad_input)
{
    char *out = NULL, *err = NULL;
    int rc = run("pico", fw_path("tests/firmware", "uart_echo", "pico"), "--uart-in /nonexistent/in.txt", &out,
                 &err, NULL);
    cr_expect_eq(rc, 2);
    cr_expect(strstr(err, "/nonexistent/in.txt: cannot open the --uart-in file: No such file or directory"), "%s",
              err);
    free(out);
    free(err);
}

/* ---- unmodelled peripheral registers ---- */

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

Test(periph, unmodelled_registers_are_reported_once_each_or_stop_the_run, .timeout = 120)
{
    /* mps2-an386 without its TIMER0 model: the firmware programs that
     * timer twice (the tick, then the task switching). */
    char board[256];
    tmp_path(board, sizeof board, "notimer.ini");
    const char *edits[] = {"[peripheral.timer0]\nmodel = cmsdk-timer\nbase = 0x40000000\nirq = 8\n", "", NULL};
    write_variant("mps2-an386", board, edits);
    const char *elf = fw_path("tests/firmware", "board_test", "mps2-an386");

    char *out = NULL, *err = NULL;
    int rc = run(board, elf, "--unmodelled log", &out, &err, NULL);
    cr_expect_eq(rc, 3, "the tick never comes: %s", err);
    cr_expect(strstr(err, "fault: deadlock at main+0x"), "waiting for it with WFI is a deadlock: %s", err);
    cr_expect_eq(count(err, "mcusim: unmodelled peripheral register 0x40000000: write of 4 bytes"), 1, "%s", err);
    cr_expect_eq(count(err, "mcusim: unmodelled peripheral register 0x40000008: write of 4 bytes"), 1, "%s", err);
    cr_expect_eq(count(err, "mcusim: unmodelled peripheral register 0x4000000c: write of 4 bytes"), 1, "%s", err);
    cr_expect(strstr(err, "at bsp_timer_start+0x"), "the instruction is named: %s", err);
    cr_expect_eq(count(err, "unmodelled peripheral register"), 3, "%s", err);
    free(out);
    free(err);

    rc = run(board, elf, "--unmodelled fault", &out, &err, NULL);
    cr_expect_eq(rc, 3);
    cr_expect(strstr(err, "fault: write-unmapped at bsp_timer_start+0x") &&
              strstr(err, "write of 4 bytes at 0x40000000: no model of this peripheral register (unmodelled = fault)"),
              "%s", err);
    free(out);
    free(err);

    /* The board file's own mode, when the command line says nothing. */
    const char *edits2[] = {"clock_hz = 25000000", "clock_hz = 25000000\nunmodelled = fault", NULL};
    char board2[256];
    tmp_path(board2, sizeof board2, "strict.ini");
    write_variant("mps2-an386", board2, edits2);
    rc = run_args(board2, fw_path("tests/firmware", "robust", "nano33ble"), NULL, "-- peripheral-read 0x40030000", &out,
                  &err, NULL);
    cr_expect_eq(rc, 3, "%s", err);
    cr_expect(strstr(err, "read of 4 bytes at 0x40030000: no model of this peripheral register"), "%s", err);
    free(out);
    free(err);
    unlink(board);
    unlink(board2);
}

Test(periph, stub_is_the_default_and_reads_zero)
{
    char *out = NULL, *err = NULL;
    int rc = run_args("nano33ble", fw_path("tests/firmware", "robust", "nano33ble"), NULL, "-- peripheral-read 0x40030000",
                      &out, &err, NULL);
    cr_expect_eq(rc, 0, "%s", err);
    cr_expect_eq(count(err, "unmodelled"), 0, "%s", err);
    free(out);
    free(err);
}

/* ---- board files ---- */

static void expect_board_error(const char *name, const char *section, const char *message)
{
    char path[256], text[2048], cmd[1024], *out = NULL;
    tmp_path(path, sizeof path, name);
    snprintf(text, sizeof text,
             "[board]\nname = t\ncore = cortex-m4\nclock_hz = 1000000\n"
             "[memory.flash]\nkind = flash\nbase = 0\nsize = 64K\n"
             "[memory.ram]\nkind = ram\nbase = 0x20000000\nsize = 64K\n"
             "[memory.io]\nkind = stub\nbase = 0x40000000\nsize = 0x10000\n%s",
             section);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s/mcusim boards --check %s 2>&1", build_root(), path);
    int rc = run_command_capture(cmd, &out);
    cr_expect_eq(rc, 2, "%s: %s", name, out);
    char want[1024];
    snprintf(want, sizeof want, "%s:%s", path, message);
    cr_expect(strstr(out, want), "%s: expected '%s', got: %s", name, want, out);
    free(out);
    unlink(path);
}

Test(periph, bad_peripheral_sections_are_refused_by_line)
{
    expect_board_error("model.ini", "[peripheral.u]\nmodel = uart9000\nbase = 0x40000000\n",
                       "18: [peripheral.u]: unknown model 'uart9000' (known: regs, cmsdk-uart,");
    expect_board_error("key.ini", "[peripheral.u]\nmodel = cmsdk-uart\nbase = 0x40000000\nbaud = 9600\n",
                       "20: unknown key 'baud' in [peripheral.u] (model 'cmsdk-uart' takes model, base, size, irq,");
    expect_board_error("nobase.ini", "[peripheral.u]\nmodel = cmsdk-uart\n", "18: [peripheral.u] has no base address");
    expect_board_error("overlap.ini",
                       "[peripheral.a]\nmodel = cmsdk-uart\nbase = 0x40000000\n"
                       "[peripheral.b]\nmodel = cmsdk-timer\nbase = 0x40000800\n",
                       "22: [peripheral.b] overlaps [peripheral.a]");
    expect_board_error("irq.ini", "[peripheral.u]\nmodel = cmsdk-uart\nbase = 0x40000000\nirq = 200\n",
                       "20: 'irq' needs interrupt numbers 0-127 (or -), not '200'");
    expect_board_error("irqs.ini", "[peripheral.t]\nmodel = cmsdk-timer\nbase = 0x40000000\nirq = 1, 2\n",
                       "20: [peripheral.t]: model 'cmsdk-timer' has 1 interrupt output, not 2");
    expect_board_error("flash.ini", "[peripheral.u]\nmodel = cmsdk-uart\nbase = 0x00000000\n",
                       "19: [peripheral.u] overlaps memory region 'flash'");
    expect_board_error("value.ini", "[peripheral.t]\nmodel = nrf52-timer\nbase = 0x40000000\ncc = 9\n",
                       "20: [peripheral.t]: 'cc' is the number of compare channels, 1-6, not 9");
    expect_board_error("reg.ini", "[peripheral.r]\nmodel = regs\nbase = 0x40000000\nreg = 0x10 zero\n",
                       "20: [peripheral.r]: 'reg' is OFFSET RESET [WRITABLE_MASK], not '0x10 zero'");
    expect_board_error("mode.ini", "[peripheral.r]\nmodel = regs\nbase = 0x40000000\n[board]\nunmodelled = loud\n",
                       "21: 'unmodelled' is stub, log or fault, not 'loud'");
}

Test(periph, boards_lists_peripherals_and_models)
{
    char cmd[1024], *out = NULL;
    snprintf(cmd, sizeof cmd, "%s/mcusim boards --peripherals pico", build_root());
    cr_assert_eq(run_command_capture(cmd, &out), 0);
    cr_expect(strstr(out, "pico: peripheral space not modelled below: stub\n"), "%s", out);
    cr_expect(strstr(out, "uart0        pl011            0x40034000-0x40037fff   20             clk_peri (console)\n"),
              "%s", out);
    cr_expect(strstr(out, "timer        rp2040-timer     0x40054000-0x40057fff   0,1,2,3        tick\n"), "%s", out);
    free(out);
    snprintf(cmd, sizeof cmd, "%s/mcusim boards --models", build_root());
    cr_assert_eq(run_command_capture(cmd, &out), 0);
    cr_expect(strstr(out, "\ncmsdk-uart       Arm CMSDK APB UART"), "%s", out);
    cr_expect(strstr(out, "\nstm32-lpuart     STM32 LPUART"), "%s", out);
    free(out);
}
