/*
 * test_robust_db.c — the run database under load and faults:
 *   - eight 'mcusim profile' processes writing one database at once lose
 *     no run and no row, and 'mcusim runs' reads it meanwhile;
 *   - a process SIGKILLed during the simulation, inside the transaction
 *     that stores its run, or in the middle of writing the commit, leaves
 *     a database that passes PRAGMA integrity_check, with the earlier runs
 *     intact and the killed run absent or complete, and still usable;
 *   - a read-only file or directory, a full disk (a small tmpfs, and a
 *     file size limit), a corrupt or truncated file, a file of another
 *     program and a newer schema each give one line naming the file and a
 *     non-zero exit, never a crash, and leave earlier runs as they were.
 * The kills at exact points use tests/support/sqlite_stall.c (LD_PRELOAD).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "robust_util.h"

/* A small model from the fuzz corpus: a run takes a fraction of a second
 * and stores 9 layers, the inference and some 60 functions. */
static const char *model(void)
{
    return robust_source("fuzz/corpus/tflite/cnn_tiny.tflite");
}

/* One profile of the small model into db; returns the exit status. */
static int profile(const char *db, const char *tag, struct robust_result *keep)
{
    struct robust_cmd c = {.args = {"profile", model(), "-q", "--db", db, "--tag", tag, NULL}};
    struct robust_result r;
    robust_run(&c, &r);
    int status = r.status;
    if (keep)
        *keep = r;
    else
        robust_result_free(&r);
    return status;
}

static void msleep(int ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

struct shape {
    int64_t runs, layers, functions;
};

static struct shape db_shape(const char *db)
{
    sqlite3 *h = robust_db_open(db);
    struct shape s = {robust_q_int(h, "SELECT count(*) FROM runs"), robust_q_int(h, "SELECT count(*) FROM layers"),
                      robust_q_int(h, "SELECT count(*) FROM functions")};
    sqlite3_close(h);
    return s;
}

/* The rows one run of the small model stores (from a reference run). */
static struct shape per_run(void)
{
    static struct shape s;
    if (s.runs)
        return s;
    char dir[512], db[600];
    robust_tempdir(dir, sizeof dir, "ref");
    snprintf(db, sizeof db, "%s/ref.db", dir);
    cr_assert_eq(profile(db, "ref", NULL), 0);
    s = db_shape(db);
    cr_assert_eq(s.runs, 1);
    cr_assert_gt(s.layers, 5);
    cr_assert_gt(s.functions, 10);
    robust_rmtree(dir);
    return s;
}

/* Every run has exactly the reference's rows, and no row is orphaned. */
static void expect_complete_runs(const char *db, int64_t runs)
{
    struct shape one = per_run();
    cr_expect_str_eq(robust_integrity(db), "ok", "%s", db);
    sqlite3 *h = robust_db_open(db);
    cr_expect_eq(robust_q_int(h, "SELECT count(*) FROM runs"), runs);
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM runs r WHERE (SELECT count(*) FROM layers WHERE run_id = r.id) != %lld"
             " OR (SELECT count(*) FROM functions WHERE run_id = r.id) != %lld",
             (long long)one.layers, (long long)one.functions);
    cr_expect_eq(robust_q_int(h, sql), 0, "every run has all its layer and function rows");
    cr_expect_eq(robust_q_int(h, "SELECT count(*) FROM layers WHERE run_id NOT IN (SELECT id FROM runs)"), 0);
    cr_expect_eq(robust_q_int(h, "SELECT count(*) FROM functions WHERE run_id NOT IN (SELECT id FROM runs)"), 0);
    cr_expect_eq(robust_q_int(h, "SELECT count(*) FROM layers"), runs * one.layers);
    cr_expect_eq(robust_q_int(h, "SELECT count(*) FROM functions"), runs * one.functions);
    sqlite3_close(h);
}

/* A database with n complete runs in a fresh directory. */
static void seed_db(char *dir, size_t dlen, char *db, size_t len, const char *tag, int n)
{
    robust_tempdir(dir, dlen, tag);
    snprintf(db, len, "%s/runs.db", dir);
    for (int i = 0; i < n; i++) {
        char t[32];
        snprintf(t, sizeof t, "seed%d", i);
        cr_assert_eq(profile(db, t, NULL), 0);
    }
}

Test(robust_db, eight_concurrent_writers_lose_no_run_and_no_row, .timeout = 600)
{
    char dir[512], db[600];
    robust_tempdir(dir, sizeof dir, "conc");
    snprintf(db, sizeof db, "%s/shared.db", dir);
    per_run();
    /* Three rounds of eight at once; the first round also races to create
     * the schema of a database that does not exist yet. */
    enum { WRITERS = 8, ROUNDS = 3 };
    for (int round = 0; round < ROUNDS; round++) {
        pid_t pids[WRITERS];
        char outs[WRITERS][600], tags[WRITERS][32];
        struct robust_cmd cmds[WRITERS];
        for (int i = 0; i < WRITERS; i++) {
            snprintf(outs[i], sizeof outs[i], "%s/out-%d-%d", dir, round, i);
            mkdir(outs[i], 0777);
            snprintf(tags[i], sizeof tags[i], "w%d-%d", round, i);
            cmds[i] = (struct robust_cmd){.args = {"profile", model(), "-q", "--db", db, "--tag", tags[i], NULL}};
            pids[i] = robust_start(&cmds[i], outs[i]);
            cr_assert_gt(pids[i], 0);
        }
        /* Readers while they write (once the file exists): never "locked". */
        for (int k = 0; round > 0 && k < 3; k++) {
            struct robust_cmd rd = {.args = {"runs", "--db", db, NULL}};
            struct robust_result r;
            robust_run(&rd, &r);
            cr_expect_eq(r.status, 0, "reader during round %d: exit %d: %s", round, r.status, r.err);
            robust_result_free(&r);
        }
        for (int i = 0; i < WRITERS; i++) {
            struct robust_result r;
            robust_wait(pids[i], outs[i], &r);
            cr_expect_eq(r.status, 0, "writer %d of round %d: exit %d: %s", i, round, r.status, r.err);
            robust_result_free(&r);
        }
    }
    expect_complete_runs(db, WRITERS * ROUNDS);
    sqlite3 *h = robust_db_open(db);
    cr_expect_eq(robust_q_int(h, "SELECT count(DISTINCT tag) FROM runs"), WRITERS * ROUNDS, "each writer's own run");
    cr_expect_eq(robust_q_int(h, "SELECT count(*) FROM runs WHERE status != 'ok'"), 0);
    cr_expect_eq(robust_q_int(h, "SELECT count(DISTINCT cycles) FROM runs"), 1, "same run, same numbers");
    sqlite3_close(h);
    robust_rmtree(dir);
}

/* Waits up to `seconds` for a file to exist. */
static bool wait_for_file(const char *path, double seconds)
{
    for (int i = 0; i < seconds * 100; i++) {
        if (!access(path, F_OK))
            return true;
        msleep(10);
    }
    return false;
}

static void kill_and_reap(pid_t pid, const char *out_dir)
{
    cr_assert_eq(kill(pid, SIGKILL), 0);
    struct robust_result r;
    robust_wait(pid, out_dir, &r);
    cr_expect(r.signaled && r.status == 128 + SIGKILL, "killed by SIGKILL (status %d)", r.status);
    robust_result_free(&r);
}

Test(robust_db, sigkill_during_the_simulation, .timeout = 600)
{
    char dir[512], db[600], out[700];
    seed_db(dir, sizeof dir, db, sizeof db, "kill-sim", 2);
    snprintf(out, sizeof out, "%s/out", dir);
    mkdir(out, 0777);
    /* A firmware that computes for minutes, profiled into the same file. */
    struct robust_cmd c = {.args = {"run", robust_build("workloads/firmware/loop-nano33ble.elf"), "--profile", "-q",
                                    "--db", db, "-n", "0", "-t", "600", "--", "100000000", NULL}};
    pid_t pid = robust_start(&c, out);
    cr_assert_gt(pid, 0);
    msleep(1500);
    cr_assert_eq(waitpid(pid, NULL, WNOHANG), 0, "still simulating when killed");
    kill_and_reap(pid, out);
    expect_complete_runs(db, 2);
    /* The file is still a working database. */
    cr_expect_eq(profile(db, "after", NULL), 0);
    expect_complete_runs(db, 3);
    robust_rmtree(dir);
}

/* Kills mcusim where the stall shim stops it (see sqlite_stall.c). */
static void kill_at_stall(const char *tag, const char *stall_env, bool in_wal)
{
    char dir[512], db[600], out[700], flag[700], flag_env[800], preload[1200];
    seed_db(dir, sizeof dir, db, sizeof db, tag, 2);
    snprintf(out, sizeof out, "%s/out", dir);
    mkdir(out, 0777);
    snprintf(flag, sizeof flag, "%s/stalled", dir);
    snprintf(flag_env, sizeof flag_env, "MCUSIM_STALL_FILE=%s", flag);
    const char *lib = getenv("MCUSIM_STALL_LIB");
    cr_assert(lib && !access(lib, R_OK), "the stall shim (MCUSIM_STALL_LIB) is built");
    snprintf(preload, sizeof preload, "LD_PRELOAD=%s", lib);
    struct robust_cmd c = {
        .args = {"profile", model(), "-q", "--db", db, "--tag", "killed", NULL},
        .env = {preload, stall_env, flag_env, "ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=0", NULL},
    };
    pid_t pid = robust_start(&c, out);
    cr_assert_gt(pid, 0);
    bool stalled = wait_for_file(flag, 120);
    if (!stalled) {
        kill(pid, SIGKILL);
        struct robust_result r;
        robust_wait(pid, out, &r);
        cr_assert(stalled, "the shim stopped mcusim (%s); exit %d: %s", stall_env, r.status, r.err);
    }
    if (in_wal) {
        /* Part of the commit is in the WAL file when the kill comes. */
        char wal[700];
        struct stat sb;
        snprintf(wal, sizeof wal, "%s-wal", db);
        cr_expect(stat(wal, &sb) == 0 && sb.st_size > 0, "the WAL holds part of the commit");
    }
    kill_and_reap(pid, out);
    /* The killed run is absent (its transaction never committed), the
     * earlier ones intact, the file healthy and usable. */
    expect_complete_runs(db, 2);
    sqlite3 *h = robust_db_open(db);
    cr_expect_eq(robust_q_int(h, "SELECT count(*) FROM runs WHERE tag = 'killed'"), 0);
    sqlite3_close(h);
    cr_expect_eq(profile(db, "after", NULL), 0);
    expect_complete_runs(db, 3);
    robust_rmtree(dir);
}

Test(robust_db, sigkill_inside_the_store_transaction, .timeout = 600)
{
    /* The run row and its layers are inserted, its functions not yet. */
    kill_at_stall("kill-tx", "MCUSIM_STALL_SQL=INSERT INTO functions", false);
}

Test(robust_db, sigkill_while_the_commit_is_written, .timeout = 600)
{
    /* The commit has written part of its frames to the WAL, not the
     * frame that marks it committed. */
    kill_at_stall("kill-commit", "MCUSIM_STALL_WAL_WRITE=2", true);
}

/* The file's bytes, to check that a refused database was not touched. */
static char *file_digest(const char *path)
{
    char cmd[800], *out = NULL;
    snprintf(cmd, sizeof cmd, "sha256sum '%s' 2>/dev/null | cut -c1-64", path);
    FILE *p = popen(cmd, "r");
    char buf[128] = "";
    if (p) {
        if (!fgets(buf, sizeof buf, p))
            buf[0] = '\0';
        pclose(p);
    }
    out = strdup(buf);
    return out;
}

/* A refusal: non-zero status, no signal, and stderr exactly one line
 * "mcusim: PATH: ..." containing `words`. */
static void expect_one_line_refusal(const struct robust_result *r, const char *path, const char *words, int status)
{
    cr_expect(!r->signaled, "no crash (status %d)", r->status);
    cr_expect_eq(r->status, status, "exit status %d: %s", r->status, r->err);
    cr_expect_eq(robust_count_lines(r->err), 1, "one line: '%s'", r->err);
    char prefix[800];
    snprintf(prefix, sizeof prefix, "mcusim: %s: ", path);
    cr_expect(strncmp(r->err, prefix, strlen(prefix)) == 0, "names the file: '%s'", r->err);
    cr_expect(strstr(r->err, words) != NULL, "says '%s': '%s'", words, r->err);
}

Test(robust_db, read_only_file, .timeout = 300)
{
    if (!robust_can_drop_privileges())
        cr_skip_test("running as root without the right to become nobody: file modes would not apply");
    char dir[512], db[600];
    seed_db(dir, sizeof dir, db, sizeof db, "ro-file", 1);
    cr_assert_eq(chmod(db, 0444), 0);
    char *before = file_digest(db);
    struct robust_cmd c = {.args = {"profile", model(), "-q", "--db", db, NULL}, .unprivileged = true};
    struct robust_result r;
    robust_run(&c, &r);
    expect_one_line_refusal(&r, db, "read", 5);
    robust_result_free(&r);
    char *after = file_digest(db);
    cr_expect_str_eq(after, before, "the file is untouched");
    expect_complete_runs(db, 1);
    free(before);
    free(after);
    robust_rmtree(dir);
}

Test(robust_db, read_only_directory, .timeout = 300)
{
    if (!robust_can_drop_privileges())
        cr_skip_test("running as root without the right to become nobody: file modes would not apply");
    char dir[512], db[600];
    seed_db(dir, sizeof dir, db, sizeof db, "ro-dir", 1);
    /* The file itself is writable; the directory is not, so neither the
     * WAL nor a journal can be created next to it. */
    cr_assert_eq(chmod(db, 0666), 0);
    cr_assert_eq(chmod(dir, 0555), 0);
    struct robust_cmd c = {.args = {"profile", model(), "-q", "--db", db, NULL}, .unprivileged = true};
    struct robust_result r;
    robust_run(&c, &r);
    expect_one_line_refusal(&r, db, "database", 5);
    robust_result_free(&r);
    chmod(dir, 0777);
    expect_complete_runs(db, 1);
    robust_rmtree(dir);
}

/* Fills the file system holding dir until a write fails. */
static void fill_up(const char *dir)
{
    char path[700];
    snprintf(path, sizeof path, "%s/filler", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    cr_assert_geq(fd, 0);
    static char block[4096];
    while (write(fd, block, sizeof block) > 0)
        ;
    while (write(fd, block, 1) > 0)
        ;
    close(fd);
}

Test(robust_db, disk_full, .timeout = 300)
{
    char dir[512], mnt[600], db[700];
    robust_tempdir(dir, sizeof dir, "full");
    snprintf(mnt, sizeof mnt, "%s/mnt", dir);
    mkdir(mnt, 0777);
    if (mount("tmpfs", mnt, "tmpfs", 0, "size=512k,mode=0777")) {
        robust_rmtree(dir);
        cr_skip_test("cannot mount a small tmpfs (%s): needs root", strerror(errno));
    }
    snprintf(db, sizeof db, "%s/runs.db", mnt);
    cr_assert_eq(profile(db, "seed", NULL), 0);
    fill_up(mnt);
    char *before = file_digest(db);
    struct robust_cmd c = {.args = {"profile", model(), "-q", "--db", db, NULL}};
    struct robust_result r;
    robust_run(&c, &r);
    expect_one_line_refusal(&r, db, "full", 5);
    robust_result_free(&r);
    char filler[800];
    snprintf(filler, sizeof filler, "%s/filler", mnt);
    unlink(filler);
    expect_complete_runs(db, 1);
    (void)before;
    free(before);
    /* With room again, the same file takes runs. */
    cr_expect_eq(profile(db, "after", NULL), 0);
    expect_complete_runs(db, 2);
    umount2(mnt, MNT_DETACH);
    robust_rmtree(dir);
}

Test(robust_db, file_size_limit, .timeout = 300)
{
    char dir[512], db[600];
    seed_db(dir, sizeof dir, db, sizeof db, "fsize", 1);
    struct stat sb;
    cr_assert_eq(stat(db, &sb), 0);
    /* In WAL mode a run writes only the WAL and the shared-memory index
     * (32 KB) until it commits: room for the index and a page, not for the
     * WAL frames of a run (over 40 KB: its runs, layers and functions rows
     * and their index pages).  The database's own size does not matter. */
    struct robust_cmd c = {.args = {"profile", model(), "-q", "--db", db, NULL}, .fsize_limit = 32768 + 4096};
    struct robust_result r;
    robust_run(&c, &r);
    cr_expect(!r.signaled, "no death by SIGXFSZ (status %d)", r.status);
    expect_one_line_refusal(&r, db, "File too large", 5);
    robust_result_free(&r);
    expect_complete_runs(db, 1);
    robust_rmtree(dir);
}

static void write_bytes(const char *path, size_t n, unsigned seed)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    srand(seed);
    for (size_t i = 0; i < n; i++)
        fputc(rand() & 0xFF, f);
    fclose(f);
}

Test(robust_db, random_bytes_are_refused_untouched, .timeout = 300)
{
    char dir[512], db[600];
    robust_tempdir(dir, sizeof dir, "rand");
    snprintf(db, sizeof db, "%s/random.db", dir);
    write_bytes(db, 65536, 7);
    char *before = file_digest(db);
    struct robust_cmd c = {.args = {"profile", model(), "-q", "--db", db, NULL}};
    struct robust_result r;
    robust_run(&c, &r);
    expect_one_line_refusal(&r, db, "not an mcusim database", 5);
    robust_result_free(&r);
    char *after = file_digest(db);
    cr_expect_str_eq(after, before, "the file is untouched");
    free(before);
    free(after);
    robust_rmtree(dir);
}

Test(robust_db, truncated_database, .timeout = 300)
{
    char dir[512], db[600];
    seed_db(dir, sizeof dir, db, sizeof db, "trunc", 3);
    struct stat sb;
    cr_assert_eq(stat(db, &sb), 0);
    cr_assert_gt(sb.st_size, 8192);
    cr_assert_eq(truncate(db, sb.st_size / 2), 0);
    struct robust_cmd c = {.args = {"profile", model(), "-q", "--db", db, NULL}};
    struct robust_result r;
    robust_run(&c, &r);
    /* A cut database is corrupt: refused with a reason, not written to. */
    expect_one_line_refusal(&r, db, "corrupt", 5);
    robust_result_free(&r);
    robust_rmtree(dir);
}

Test(robust_db, another_programs_database_is_not_written, .timeout = 300)
{
    char dir[512], db[600];
    robust_tempdir(dir, sizeof dir, "foreign");
    snprintf(db, sizeof db, "%s/app.sqlite", dir);
    sqlite3 *h;
    cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(h, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);"
                                 "INSERT INTO customers (name) VALUES ('a'), ('b');",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    sqlite3_close(h);
    char *before = file_digest(db);
    struct robust_cmd c = {.args = {"profile", model(), "-q", "--db", db, NULL}};
    struct robust_result r;
    robust_run(&c, &r);
    expect_one_line_refusal(&r, db, "not an mcusim database", 5);
    robust_result_free(&r);
    char *after = file_digest(db);
    cr_expect_str_eq(after, before, "the other program's file is untouched");
    free(before);
    free(after);
    robust_rmtree(dir);
}

Test(robust_db, newer_schema_is_refused, .timeout = 300)
{
    char dir[512], db[600];
    seed_db(dir, sizeof dir, db, sizeof db, "newer", 1);
    sqlite3 *h;
    cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(h, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    char *before = file_digest(db);
    struct robust_cmd c = {.args = {"profile", model(), "-q", "--db", db, NULL}};
    struct robust_result r;
    robust_run(&c, &r);
    expect_one_line_refusal(&r, db, "newer mcusim (schema version 99", 5);
    robust_result_free(&r);
    char *after = file_digest(db);
    cr_expect_str_eq(after, before, "the newer file is untouched");
    free(before);
    free(after);
    robust_rmtree(dir);
}
