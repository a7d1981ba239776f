/*
 * test_robust_faults.c — firmware that misbehaves: runaway loops
 * (instruction limit and wall-clock limit), stack overflow (recursion into
 * the guard, and a frame larger than the guard that jumps over it into the
 * RAM and static data below), HardFault and lockup, writes to flash,
 * reads of unmapped peripherals, and a model that stops mid-inference.
 * Each must end the run with its one-line diagnostic and documented exit
 * status, and a profiled run must be stored as a failed run with what was
 * measured up to the stop: the regions (layers) completed, exactly as a
 * run that does not fail measures them.  Also: the models the fuzzer found
 * (one made the firmware write to flash) never fault it now.
 *
 * Firmware: tests/firmware/faults.c and tests/firmware/robust.c.
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "robust_util.h"

static const char *faults_elf(void)
{
    return robust_build("tests/firmware/faults-nano33ble.elf");
}

static const char *robust_elf(void)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s", robust_build("tests/firmware/robust-nano33ble.elf"));
    return path;
}

static char dir[512], db[600];

static void fresh(const char *tag)
{
    robust_tempdir(dir, sizeof dir, tag);
    snprintf(db, sizeof db, "%s/runs.db", dir);
}

static void done(void)
{
    robust_rmtree(dir);
}

/* The last run's status, exit code and diagnostic. */
struct stored {
    char status[16];
    int exit_code;
    char diagnostic[512];
    int64_t functions;
};

static struct stored last_run(void)
{
    struct stored s = {"", -1, "", -1};
    sqlite3 *h = robust_db_open(db);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(h, "SELECT status, exit_code, diagnostic, id FROM runs ORDER BY id DESC LIMIT 1",
                                    -1, &st, NULL),
                 SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(s.status, sizeof s.status, "%s", (const char *)sqlite3_column_text(st, 0));
        s.exit_code = sqlite3_column_int(st, 1);
        snprintf(s.diagnostic, sizeof s.diagnostic, "%s", (const char *)sqlite3_column_text(st, 2));
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM functions WHERE run_id = %lld",
                 (long long)sqlite3_column_int64(st, 3));
        sqlite3_finalize(st);
        s.functions = robust_q_int(h, sql);
    } else {
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    return s;
}

struct fault_case {
    const char *elf_kind;  /* "faults" or "robust" */
    const char *mode, *arg;
    const char *limit;     /* -n value */
    int status;            /* exit status */
    const char *db_status; /* runs.status */
    const char *words[3];  /* in the diagnostic */
};

Test(robust_faults, each_misbehaviour_ends_with_its_diagnostic_and_a_stored_failed_run, .timeout = 600)
{
    static const struct fault_case cases[] = {
        {"faults", "runaway", NULL, "1000000", 4, "limit", {"instruction limit of 1000000 reached"}},
        {"faults", "stack-overflow", NULL, "0", 3, "fault", {"stack-overflow", "bytes below the stack top", "stack is 8192"}},
        {"faults", "write-flash", NULL, "0", 3, "fault", {"write-flash at main+", "flash is read-only"}},
        {"faults", "read-unmapped", NULL, "0", 3, "fault", {"read-unmapped at main+", "0x30000000"}},
        {"faults", "undefined", NULL, "0", 3, "fault", {"undefined"}},
        {"faults", "deadlock", NULL, "0", 3, "fault", {"deadlock", "infinite loop"}},
        {"robust", "peripheral-read", "0xa0000000", "0", 3, "fault", {"read-unmapped at main+", "0xa0000000"}},
        {"robust", "regions-then-fault", NULL, "0", 3, "fault", {"write-flash at main+"}},
    };
    fresh("faults");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct fault_case *c = &cases[i];
        struct robust_cmd cmd = {.args = {"run", !strcmp(c->elf_kind, "faults") ? faults_elf() : robust_elf(),
                                          "--profile", "--db", db, "-n", c->limit, "-t", "120", "--", c->mode,
                                          c->arg, NULL}};
        struct robust_result r;
        robust_run(&cmd, &r);
        cr_expect(!r.signaled, "%s: no crash", c->mode);
        cr_expect_eq(r.status, c->status, "%s: exit %d, want %d: %s", c->mode, r.status, c->status, r.err);
        struct stored s = last_run();
        cr_expect_str_eq(s.status, c->db_status, "%s: stored as %s", c->mode, s.status);
        cr_expect_eq(s.exit_code, c->status, "%s: stored exit code", c->mode);
        for (int w = 0; w < 3 && c->words[w]; w++)
            cr_expect(strstr(s.diagnostic, c->words[w]) != NULL, "%s: diagnostic '%s' lacks '%s'", c->mode,
                      s.diagnostic, c->words[w]);
        cr_expect(!strchr(s.diagnostic, '\n'), "%s: one line", c->mode);
        /* The diagnostic is on the terminal too, not only in the database. */
        cr_expect(strstr(r.err, s.diagnostic) != NULL, "%s: stderr shows '%s':\n%s", c->mode, s.diagnostic, r.err);
        /* The partial profile: the functions that ran up to the stop. */
        cr_expect_gt(s.functions, 0, "%s: functions measured up to the stop", c->mode);
        robust_result_free(&r);
    }
    sqlite3 *h = robust_db_open(db);
    cr_expect_eq(robust_q_int(h, "SELECT count(*) FROM runs"), (int64_t)(sizeof cases / sizeof cases[0]),
                 "every failed run stored");
    sqlite3_close(h);
    done();
}

/* Runs mcusim run with --json and returns the parsed summary. */
static cJSON *run_json(struct robust_result *r, const char *const *extra)
{
    char json[700];
    snprintf(json, sizeof json, "%s/summary.json", dir);
    struct robust_cmd cmd = {.args = {"run", "--json", json}};
    int n = 3;
    for (int i = 0; extra[i]; i++)
        cmd.args[n++] = extra[i];
    cmd.args[n] = NULL;
    unlink(json);
    robust_run(&cmd, r);
    FILE *f = fopen(json, "r");
    cr_assert_not_null(f, "no JSON summary; exit %d: %s", r->status, r->err);
    char buf[8192];
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[len] = '\0';
    cJSON *o = cJSON_Parse(buf);
    cr_assert_not_null(o, "%s", buf);
    return o;
}

Test(robust_faults, wall_clock_limit_stops_a_runaway_loop, .timeout = 300)
{
    fresh("wall");
    /* No instruction limit: only the clock can stop it. */
    const char *args[] = {faults_elf(), "-n", "0", "--timeout", "1.5", "--", "runaway", NULL};
    struct robust_result r;
    cJSON *o = run_json(&r, args);
    cr_expect_eq(r.status, 4, "exit %d: %s", r.status, r.err);
    cr_expect_str_eq(cJSON_GetObjectItem(o, "status")->valuestring, "limit");
    cr_expect_str_eq(cJSON_GetObjectItem(o, "limit")->valuestring, "wall_clock");
    double wall = cJSON_GetObjectItem(o, "wall_s")->valuedouble;
    cr_expect(wall >= 1.5 && wall < 10.0, "stopped after %.3f s of host time", wall);
    cr_expect(r.wall_s < 30.0, "the process ended (%.3f s)", r.wall_s);
    const char *msg = cJSON_GetObjectItem(o, "message")->valuestring;
    cr_expect(strstr(msg, "wall-clock limit of 1.5 s reached") != NULL, "%s", msg);
    cr_expect(strstr(r.err, "stopped: wall-clock limit of 1.5 s reached") != NULL, "%s", r.err);
    cJSON_Delete(o);
    robust_result_free(&r);
    done();
}

/* cycles of region `name` in the last run (NULL: any), -1 if absent. */
static int64_t region_cycles(sqlite3 *h, const char *name)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT cycles FROM layers WHERE run_id = (SELECT max(id) FROM runs) AND op = '%s'", name);
    return robust_q_int(h, sql);
}

Test(robust_faults, a_failed_run_keeps_the_regions_completed_before_it_stopped, .timeout = 300)
{
    fresh("partial");
    struct robust_result r;
    struct robust_cmd ok = {.args = {"run", robust_elf(), "--profile", "-q", "--db", db, "--", "ok", NULL}};
    robust_run(&ok, &r);
    cr_assert_eq(r.status, 0, "%s", r.err);
    robust_result_free(&r);
    sqlite3 *h = robust_db_open(db);
    int64_t phase1 = region_cycles(h, "phase1"), phase2 = region_cycles(h, "phase2");
    sqlite3_close(h);
    cr_assert_gt(phase1, 1000);
    cr_assert_gt(phase2, 1000);

    /* A fault in the third region, then a wall-clock limit in it. */
    struct robust_cmd fault = {.args = {"run", robust_elf(), "--profile", "-q", "--db", db, "--", "regions-then-fault",
                                        NULL}};
    struct robust_cmd limit = {.args = {"run", robust_elf(), "--profile", "-q", "--db", db, "-n", "0", "-t", "1", "--",
                                        "regions-then-runaway", NULL}};
    const struct robust_cmd *cmds[] = {&fault, &limit};
    const char *statuses[] = {"fault", "limit"};
    for (int k = 0; k < 2; k++) {
        robust_run(cmds[k], &r);
        cr_expect_eq(r.status, k ? 4 : 3, "exit %d: %s", r.status, r.err);
        robust_result_free(&r);
        struct stored s = last_run();
        cr_expect_str_eq(s.status, statuses[k]);
        h = robust_db_open(db);
        /* The completed regions are exact: as in the run that did not fail. */
        cr_expect_eq(region_cycles(h, "phase1"), phase1, "%s run: phase1", statuses[k]);
        cr_expect_eq(region_cycles(h, "phase2"), phase2, "%s run: phase2", statuses[k]);
        /* The region it stopped in is there, measured up to the stop. */
        cr_expect_gt(region_cycles(h, "phase3"), 0, "%s run: phase3 up to the stop", statuses[k]);
        sqlite3_close(h);
    }
    done();
}

Test(robust_faults, hardfault_handler_loop_and_lockup, .timeout = 300)
{
    fresh("hardfault");
    static const struct {
        const char *mode;
        const char *words;
    } cases[] = {
        {"handler-loops", "the fault handler then looped forever at HardFault_Handler"},
        {"lockup", "lockup"},
    };
    for (size_t i = 0; i < 2; i++) {
        /* Plain run: the summary line says it. */
        struct robust_cmd plain = {.args = {"run", faults_elf(), "--vector-faults", "--", cases[i].mode, NULL}};
        struct robust_result r;
        robust_run(&plain, &r);
        cr_expect_eq(r.status, 3, "%s: exit %d: %s", cases[i].mode, r.status, r.err);
        cr_expect(strstr(r.err, cases[i].words) != NULL, "%s: %s", cases[i].mode, r.err);
        robust_result_free(&r);
        /* Profiled: stored as a fault with the same words; --vector-faults
         * reaches the simulation here too. */
        struct robust_cmd prof = {.args = {"run", faults_elf(), "--vector-faults", "--profile", "-q", "--db", db, "--",
                                           cases[i].mode, NULL}};
        robust_run(&prof, &r);
        cr_expect_eq(r.status, 3, "%s --profile: exit %d: %s", cases[i].mode, r.status, r.err);
        robust_result_free(&r);
        struct stored s = last_run();
        cr_expect_str_eq(s.status, "fault");
        cr_expect(strstr(s.diagnostic, cases[i].words) != NULL, "%s --profile: '%s'", cases[i].mode, s.diagnostic);
    }
    done();
}

/* "stack overflow: ... N bytes below the stack top": N, or -1. */
static long reported_depth(const char *text)
{
    const char *p = strstr(text, "bytes below the stack top");
    if (!p)
        return -1;
    while (p > text && p[-1] == ' ')
        p--;
    while (p > text && p[-1] >= '0' && p[-1] <= '9')
        p--;
    return strtol(p, NULL, 10);
}

Test(robust_faults, stack_overflow_past_the_guard_into_static_data_reports_the_depth, .timeout = 300)
{
    fresh("stack");
    /* 12000 bytes: over the 8 KB stack and its 1 KB guard, into the RAM
     * below; 250000: down into .data/.bss at the bottom of the RAM.  The
     * first store of each frame is at its bottom, below the guard. */
    static const char *const sizes[] = {"12000", "250000"};
    for (int i = 0; i < 2; i++) {
        struct robust_cmd cmd = {.args = {"run", robust_elf(), "--", "big-frame", sizes[i], NULL}};
        struct robust_result r;
        robust_run(&cmd, &r);
        cr_expect_eq(r.status, 3, "frame %s: exit %d: %s%s", sizes[i], r.status, r.out, r.err);
        cr_expect(strstr(r.err, "fault: stack-overflow at big_frame") != NULL, "frame %s: %s", sizes[i], r.err);
        long depth = reported_depth(r.err);
        cr_expect_geq(depth, atol(sizes[i]), "frame %s: the depth reached is reported, not the guard's (%ld): %s",
                      sizes[i], depth, r.err);
        /* Stopped before the frame was used: the function never returned. */
        cr_expect(strstr(r.out, "big frame returned") == NULL, "frame %s ran on: %s", sizes[i], r.out);
        robust_result_free(&r);
    }
    /* Recursion: reported at the guard, with the depth and the stack size. */
    struct robust_cmd rec = {.args = {"run", robust_elf(), "--", "deep-recursion", NULL}};
    struct robust_result r;
    robust_run(&rec, &r);
    cr_expect_eq(r.status, 3, "%s", r.err);
    long depth = reported_depth(r.err);
    cr_expect(depth > 8192 && depth <= 8192 + 1024 + 512, "recursion depth %ld: %s", depth, r.err);
    cr_expect(strstr(r.err, "(stack is 8192 bytes)") != NULL, "%s", r.err);
    robust_result_free(&r);
    done();
}

static const char *workload(const char *name)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s", robust_build(""));
    snprintf(path + strlen(path), sizeof path - strlen(path), "workloads/%s.tflite", name);
    return path;
}

Test(robust_faults, a_model_stopped_mid_inference_keeps_its_completed_layers, .timeout = 600)
{
    fresh("midinf");
    struct robust_cmd full = {.args = {"profile", workload("cnn"), "-q", "--db", db, NULL}};
    struct robust_result r;
    robust_run(&full, &r);
    cr_assert_eq(r.status, 0, "%s", r.err);
    robust_result_free(&r);
    sqlite3 *h = robust_db_open(db);
    int64_t insns = robust_q_int(h, "SELECT instructions FROM runs WHERE id = 1");
    int64_t layers = robust_q_int(h, "SELECT count(*) FROM layers WHERE run_id = 1 AND kind = 'layer'");
    sqlite3_close(h);
    cr_assert_gt(layers, 4);

    /* Half the instructions: the run stops inside the inference. */
    char limit[32];
    snprintf(limit, sizeof limit, "%lld", (long long)(insns / 2));
    struct robust_cmd half = {.args = {"profile", workload("cnn"), "-q", "--db", db, "-n", limit, NULL}};
    robust_run(&half, &r);
    cr_expect_eq(r.status, 4, "exit %d: %s", r.status, r.err);
    cr_expect_eq(robust_count_lines(r.err), 1, "one line: %s", r.err);
    cr_expect(strstr(r.err, "instruction limit") != NULL, "%s", r.err);
    robust_result_free(&r);
    struct stored s = last_run();
    cr_expect_str_eq(s.status, "limit");
    h = robust_db_open(db);
    int64_t partial = robust_q_int(h, "SELECT count(*) FROM layers WHERE run_id = 2 AND kind = 'layer'");
    cr_expect(partial > 0 && partial < layers, "%lld of %lld layers stored", (long long)partial, (long long)layers);
    /* Every layer that completed has the cycles of the complete run. */
    cr_expect_eq(robust_q_int(h, "SELECT count(*) FROM layers a JOIN layers b ON a.seq = b.seq AND a.run_id = 1"
                                 " AND b.run_id = 2 WHERE b.kind = 'layer' AND b.seq < (SELECT max(seq) FROM layers"
                                 " WHERE run_id = 2 AND kind = 'layer') AND a.cycles != b.cycles"),
                 0);
    sqlite3_close(h);
    done();
}

/* What each regression input must now give (the others: 0 or 2). */
static int expected_status(const char *name)
{
    if (strstr(name, "constant-graph-input") || strstr(name, "zero-input-channels"))
        return 2; /* rejected by the verifier or a prepare step */
    if (strstr(name, "huge-horizontal-stride") || strstr(name, "float-output"))
        return 0; /* valid models the firmware and host now run cleanly */
    return -1;
}

Test(robust_faults, models_the_fuzzer_found_never_fault_the_firmware, .timeout = 600)
{
    /* Regression inputs the fuzzer found (fuzz/corpus/tflite/crash-*):
     * each once faulted the firmware (write to flash) or made the host code
     * crash or hit undefined behaviour.  Now, with either kernel family, a
     * model is refused up front (one line naming the file, exit 2, nothing
     * stored) or runs to completion — never a fault, a crash or a limit. */
    fresh("hostile");
    char cdir[1024];
    snprintf(cdir, sizeof cdir, "%s", robust_source("fuzz/corpus/tflite"));
    DIR *d = opendir(cdir);
    cr_assert_not_null(d, "%s", cdir);
    struct dirent *e;
    int n = 0, refused = 0;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, "crash-", 6))
            continue;
        char path[1300];
        snprintf(path, sizeof path, "%s/%s", cdir, e->d_name);
        static const char *const families[] = {"ref", "opt"};
        for (int k = 0; k < 2; k++) {
            struct robust_cmd cmd = {.args = {"profile", path, "-q", "--db", db, "--kernels", families[k], NULL}};
            struct robust_result r;
            robust_run(&cmd, &r);
            cr_expect(!r.signaled && (r.status == 0 || r.status == 2), "%s (%s): exit %d: %s", e->d_name, families[k],
                      r.status, r.err);
            int want = expected_status(e->d_name);
            if (want >= 0)
                cr_expect_eq(r.status, want, "%s (%s): exit %d, want %d: %s", e->d_name, families[k], r.status, want,
                             r.err);
            if (r.status == 2) {
                cr_expect_eq(robust_count_lines(r.err), 1, "%s: one line: %s", e->d_name, r.err);
                cr_expect(strstr(r.err, path) != NULL, "%s: names the file: %s", e->d_name, r.err);
                refused += k == 0;
            }
            robust_result_free(&r);
        }
        struct robust_cmd info = {.args = {"model", "info", path, NULL}};
        struct robust_result r;
        robust_run(&info, &r);
        cr_expect(!r.signaled && (r.status == 0 || r.status == 2), "model info %s: exit %d: %s", e->d_name, r.status,
                  r.err);
        robust_result_free(&r);
        n++;
    }
    closedir(d);
    cr_expect_geq(n, 4, "the regression inputs are there");
    /* Only the models that ran were stored, and each ran to completion. */
    sqlite3 *h = robust_db_open(db);
    cr_expect_eq(robust_q_int(h, "SELECT count(*) FROM runs"), 2 * (n - refused), "refused models store nothing");
    cr_expect_eq(robust_q_int(h, "SELECT count(*) FROM runs WHERE status != 'ok'"), 0);
    sqlite3_close(h);
    done();
}
