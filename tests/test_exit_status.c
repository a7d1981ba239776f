/*
 * test_exit_status.c — the exit statuses of the mcusim program, as the
 * README's table documents them, run as a user would: 'run' reports
 * mcusim's own outcome by default (a firmware's non-zero exit is 1, with
 * its status on stderr and in --json), and with --exit-status firmware
 * passes the firmware's status through while mcusim's own outcomes move
 * to 240 + status; 'run --profile' the same, with the run stored; and
 * 'profile' keeps the runtime image's own statuses (2 bad input, 6 does
 * not fit).
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "simtest.h"

static char dir[256];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/mcusim-exit-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

TestSuite(exit_status, .init = setup, .fini = teardown, .timeout = 300);

/* Runs "mcusim ARGS" in the scratch directory; returns its exit status
 * and its stderr (malloc'd); stdout is dropped. */
__attribute__((format(printf, 2, 3))) static int mcusim(char **err, const char *fmt, ...)
{
    char args[2048], cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s/mcusim' %s 2>&1 >/dev/null", dir, build_root(), args);
    return run_command_capture(cmd, err);
}

/* The firmware that exits with the status in its first argument (and
 * writes a scratch file named by the second). */
static const char *status_fw(void)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s", fw_path("tests/firmware", "semihost_io", "nano33ble"));
    return path;
}

static const char *faults_fw(void)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s", fw_path("tests/firmware", "faults", "nano33ble"));
    return path;
}

static cJSON *read_json(const char *name)
{
    char path[512], buf[8192];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s was written", path);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    cJSON *o = cJSON_Parse(buf);
    cr_assert_not_null(o, "%s", buf);
    return o;
}

static int json_int(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(o, key);
    cr_assert(cJSON_IsNumber(v), "JSON has %s", key);
    return v->valueint;
}

static int db_int(const char *sql)
{
    char cmd[1024], *out;
    snprintf(cmd, sizeof cmd, "sqlite3 '%s/runs.db' \"%s\"", dir, sql);
    cr_assert_eq(run_command_capture(cmd, &out), 0, "sqlite3 %s", sql);
    int v = atoi(out);
    free(out);
    return v;
}

Test(exit_status, run_reports_a_firmware_failure_as_1_with_its_status)
{
    char *err;
    cr_expect_eq(mcusim(&err, "run -q %s -- 0 f.txt", status_fw()), 0);
    cr_expect_null(strstr(err, "firmware exited"), "%s", err);
    free(err);
    for (int quiet = 0; quiet < 2; quiet++) {
        cr_expect_eq(mcusim(&err, "run %s %s --json s.json -- 3 f.txt", quiet ? "-q" : "", status_fw()), 1,
                     "exit(3) is mcusim's 1, not its 3 (a fault)");
        cr_expect(strstr(err, ": firmware exited with status 3\n"), "one line says so (quiet %d):\n%s", quiet, err);
        free(err);
        cJSON *o = read_json("s.json");
        cr_expect_eq(json_int(o, "exit_code"), 1);
        cr_expect_eq(json_int(o, "firmware_exit_code"), 3);
        cJSON_Delete(o);
    }
    /* Statuses that are mcusim's own outcomes do not come through either. */
    for (int status = 2; status <= 6; status++) {
        cr_expect_eq(mcusim(&err, "run -q %s -- %d f.txt", status_fw(), status), 1, "exit(%d)", status);
        free(err);
    }
}

Test(exit_status, run_keeps_its_own_outcomes_by_default)
{
    char *err;
    cr_expect_eq(mcusim(&err, "run -q %s -- write-flash", faults_fw()), 3);
    cr_expect(strstr(err, ": fault: write-flash at main+"), "even with -q, one line says why:\n%s", err);
    free(err);
    cr_expect_eq(mcusim(&err, "run -q -n 10000 %s -- runaway", faults_fw()), 4);
    free(err);
    cr_expect_eq(mcusim(&err, "run missing.elf"), 2);
    free(err);
    cr_expect_eq(mcusim(&err, "run --no-such-option %s", status_fw()), 2);
    free(err);
}

Test(exit_status, firmware_mode_passes_the_firmware_status_through)
{
    static const int statuses[] = {0, 1, 3, 6, 200, 255};
    char *err;
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        cr_expect_eq(mcusim(&err, "run -q --exit-status firmware %s --json s.json -- %d f.txt", status_fw(),
                            statuses[i]),
                     statuses[i]);
        free(err);
        cJSON *o = read_json("s.json");
        cr_expect_eq(json_int(o, "exit_code"), statuses[i], "exit_code is what mcusim exits with");
        cr_expect_eq(json_int(o, "firmware_exit_code"), statuses[i]);
        cJSON_Delete(o);
    }
    cr_expect_eq(mcusim(&err, "run --exit-status=mcusim -q %s -- 200 f.txt", status_fw()), 1, "the default, named");
    free(err);
}

Test(exit_status, firmware_mode_moves_mcusims_outcomes_to_240_and_up)
{
    char *err;
    cr_expect_eq(mcusim(&err, "run -q --exit-status firmware %s --json s.json -- write-flash", faults_fw()), 243);
    free(err);
    cJSON *o = read_json("s.json");
    cr_expect_eq(json_int(o, "exit_code"), 243);
    cr_expect_null(cJSON_GetObjectItem(o, "firmware_exit_code"), "a fault has no firmware status");
    cJSON_Delete(o);
    cr_expect_eq(mcusim(&err, "run -q --exit-status firmware -n 10000 %s -- runaway", faults_fw()), 244);
    free(err);
    cr_expect_eq(mcusim(&err, "run --exit-status firmware missing.elf"), 242);
    cr_expect(strstr(err, "missing.elf: cannot open"), "%s", err);
    free(err);
    /* A bad option counts wherever --exit-status stands. */
    cr_expect_eq(mcusim(&err, "run -n lots --exit-status firmware %s", status_fw()), 242);
    free(err);
    cr_expect_eq(mcusim(&err, "run --exit-status firmware --no-such-option %s", status_fw()), 242);
    free(err);
    cr_expect_eq(mcusim(&err, "run --exit-status qemu %s", status_fw()), 2);
    cr_expect_str_eq(err, "mcusim run: --exit-status is mcusim or firmware, not 'qemu'\n");
    free(err);
}

Test(exit_status, run_profile_follows_the_same_scheme_and_stores_the_outcome)
{
    char *err;
    cr_expect_eq(mcusim(&err, "run -q --profile --db runs.db %s -- 3 f.txt", status_fw()), 1);
    cr_expect(strstr(err, ": firmware exited with status 3\n"), "%s", err);
    free(err);
    cr_expect_eq(db_int("SELECT exit_code FROM runs WHERE id = 1"), 1, "runs.exit_code is mcusim's outcome");
    cr_expect_eq(mcusim(&err, "run -q --profile --exit-status firmware --db runs.db --json p.json %s -- 3 f.txt",
                        status_fw()),
                 3);
    free(err);
    cJSON *o = read_json("p.json");
    cr_expect_eq(json_int(o, "exit_code"), 3);
    cr_expect_eq(json_int(o, "firmware_exit_code"), 3);
    cJSON_Delete(o);
    cr_expect_eq(db_int("SELECT exit_code FROM runs WHERE id = 2"), 1, "stored the same whatever --exit-status says");
    cr_expect_eq(mcusim(&err, "run -q --profile --exit-status firmware --db runs.db %s -- write-flash", faults_fw()),
                 243);
    free(err);
    cr_expect_eq(db_int("SELECT exit_code FROM runs WHERE id = 3"), 3);
}

Test(exit_status, profile_keeps_the_runtime_images_statuses)
{
    char model[1024], *err;
    snprintf(model, sizeof model, "%s/workloads/cnn.tflite", build_root());
    cr_expect_eq(mcusim(&err, "profile '%s' --no-db -q", model), 0);
    free(err);
    char input[512];
    snprintf(input, sizeof input, "%s/short.bin", dir);
    FILE *f = fopen(input, "wb");
    cr_assert_not_null(f);
    fputs("0123456789", f);
    fclose(f);
    /* The runtime refuses the input and exits 2: bad input, as mcusim
     * itself would say it. */
    cr_expect_eq(mcusim(&err, "profile '%s' --no-db -q --input short.bin", model), 2);
    cr_expect(strstr(err, "input file short.bin has 10 bytes"), "%s", err);
    free(err);
    cr_expect_eq(mcusim(&err, "profile '%s' --no-db -q --kernels fast", model), 2);
    free(err);
}
