/*
 * robust_util.c — see robust_util.h.  Processes are started with fork and
 * exec (no shell), so that a test can kill exactly the mcusim it started
 * and see how it ended (exit status or signal).
 */
#include "robust_util.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

const char *robust_mcusim(void)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/mcusim", env_or("MCUSIM_BUILD_ROOT", "build"));
    return path;
}

const char *robust_build(const char *rel)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", env_or("MCUSIM_BUILD_ROOT", "build"), rel);
    return path;
}

const char *robust_source(const char *rel)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", env_or("MCUSIM_SOURCE_ROOT", "."), rel);
    return path;
}

void robust_tempdir(char *out, size_t len, const char *tag)
{
    snprintf(out, len, "%s/mcusim-robust-%s-XXXXXX", env_or("TMPDIR", "/tmp"), tag);
    cr_assert_not_null(mkdtemp(out), "mkdtemp: %s", strerror(errno));
    /* Tests may run mcusim as nobody inside it. */
    chmod(out, 0777);
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    chmod(path, 0700);
    return remove(path);
}

void robust_rmtree(const char *dir)
{
    chmod(dir, 0700);
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool drop_to_nobody(void)
{
    struct passwd *pw = getpwnam("nobody");
    if (!pw)
        return false;
    return setgroups(0, NULL) == 0 && setgid(pw->pw_gid) == 0 && setuid(pw->pw_uid) == 0;
}

bool robust_can_drop_privileges(void)
{
    if (geteuid() != 0)
        return true; /* already unprivileged: permissions apply as they are */
    pid_t pid = fork();
    if (pid == 0)
        _exit(drop_to_nobody() && geteuid() != 0 ? 0 : 1);
    int st;
    return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

pid_t robust_start(const struct robust_cmd *cmd, const char *out_dir)
{
    char out_path[1100], err_path[1100];
    snprintf(out_path, sizeof out_path, "%s/stdout", out_dir);
    snprintf(err_path, sizeof err_path, "%s/stderr", out_dir);
    const char *argv[52];
    int n = 0;
    argv[n++] = robust_mcusim();
    for (int i = 0; cmd->args[i] && n < 50; i++)
        argv[n++] = cmd->args[i];
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    /* Child: own process group, so a kill reaches only this mcusim. */
    setpgid(0, 0);
    int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
        _exit(120);
    for (int i = 0; cmd->env[i]; i++)
        putenv((char *)cmd->env[i]);
    if (cmd->fsize_limit) {
        struct rlimit rl = {cmd->fsize_limit, cmd->fsize_limit};
        if (setrlimit(RLIMIT_FSIZE, &rl))
            _exit(121);
    }
    if (cmd->unprivileged && geteuid() == 0 && !drop_to_nobody())
        _exit(122);
    execv(argv[0], (char *const *)argv);
    _exit(127);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return strdup("");
    size_t cap = 4096, len = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len < 2)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}

void robust_wait(pid_t pid, const char *out_dir, struct robust_result *r)
{
    memset(r, 0, sizeof *r);
    double t0 = now_s();
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    r->wall_s = now_s() - t0;
    r->signaled = WIFSIGNALED(st);
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    char path[1100];
    snprintf(path, sizeof path, "%s/stdout", out_dir);
    r->out = slurp(path);
    snprintf(path, sizeof path, "%s/stderr", out_dir);
    r->err = slurp(path);
}

void robust_run(const struct robust_cmd *cmd, struct robust_result *r)
{
    char dir[512];
    robust_tempdir(dir, sizeof dir, "out");
    double t0 = now_s();
    pid_t pid = robust_start(cmd, dir);
    cr_assert_gt(pid, 0, "fork: %s", strerror(errno));
    robust_wait(pid, dir, r);
    r->wall_s = now_s() - t0;
    robust_rmtree(dir);
}

void robust_result_free(struct robust_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

int robust_count_lines(const char *text)
{
    int n = 0;
    for (const char *p = text; *p; p++)
        if (*p == '\n' || !p[1])
            n++;
    return n;
}

sqlite3 *robust_db_open(const char *path)
{
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK, "%s", path);
    sqlite3_busy_timeout(db, 10000);
    return db;
}

int64_t robust_q_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

const char *robust_integrity(const char *path)
{
    static char result[256];
    snprintf(result, sizeof result, "cannot open");
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK) {
            if (sqlite3_step(st) == SQLITE_ROW)
                snprintf(result, sizeof result, "%s", (const char *)sqlite3_column_text(st, 0));
            else
                snprintf(result, sizeof result, "%s", sqlite3_errmsg(db));
            sqlite3_finalize(st);
        } else {
            snprintf(result, sizeof result, "%s", sqlite3_errmsg(db));
        }
    }
    sqlite3_close(db);
    return result;
}

int robust_copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    char buf[65536];
    size_t n;
    int rc = in && out ? 0 : -1;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            rc = -1;
    if (in)
        fclose(in);
    if (out && fclose(out))
        rc = -1;
    return rc;
}
