/*
 * sqlite_stall.c — an LD_PRELOAD shim for tests/test_robust_db.c: stops
 * mcusim at a chosen point while it stores a run, so that the test can
 * SIGKILL it exactly there and check what the database looks like after.
 *
 *   MCUSIM_STALL_SQL=TEXT       stall before the first sqlite3_step() of a
 *                               statement whose SQL contains TEXT (e.g.
 *                               "INSERT INTO functions": inside the run's
 *                               transaction, the run and layer rows done)
 *   MCUSIM_STALL_WAL_WRITE=N    stall before the N-th write to a *-wal file
 *                               (N=2: the commit has begun, its commit frame
 *                               is not written yet)
 *   MCUSIM_STALL_FILE=PATH      created when the stall begins (the test
 *                               waits for it, then kills)
 *
 * A stalled process sleeps until killed.  Without these variables the
 * shim does nothing.  Test-only: never linked into mcusim.
 */
/* Both pwrite and pwrite64 are wrapped, whichever libsqlite3 calls; with
 * 64-bit offsets by default the headers would rename one to the other. */
#undef _FILE_OFFSET_BITS
#include <dlfcn.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static void stall(const char *why)
{
    const char *path = getenv("MCUSIM_STALL_FILE");
    if (path) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            ssize_t n = write(fd, why, strlen(why));
            (void)n;
            close(fd);
        }
    }
    for (;;)
        sleep(1);
}

int sqlite3_step(sqlite3_stmt *st)
{
    static int (*real)(sqlite3_stmt *);
    if (!real)
        real = (int (*)(sqlite3_stmt *))dlsym(RTLD_NEXT, "sqlite3_step");
    const char *text = getenv("MCUSIM_STALL_SQL");
    if (text && *text) {
        const char *sql = sqlite3_sql(st);
        if (sql && strstr(sql, text))
            stall(sql);
    }
    return real(st);
}

/* Whether fd is open on a file whose name ends in "-wal". */
static int is_wal(int fd)
{
    char link[64], target[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n < 4)
        return 0;
    target[n] = '\0';
    return !strcmp(target + n - 4, "-wal");
}

static void count_wal_write(int fd)
{
    static long writes;
    const char *at = getenv("MCUSIM_STALL_WAL_WRITE");
    if (!at || !*at || !is_wal(fd))
        return;
    if (++writes == atol(at))
        stall("wal write");
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    static ssize_t (*real)(int, const void *, size_t, off_t);
    if (!real)
        real = (ssize_t (*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
    count_wal_write(fd);
    return real(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
    static ssize_t (*real)(int, const void *, size_t, off64_t);
    if (!real)
        real = (ssize_t (*)(int, const void *, size_t, off64_t))dlsym(RTLD_NEXT, "pwrite64");
    count_wal_write(fd);
    return real(fd, buf, n, off);
}

ssize_t write(int fd, const void *buf, size_t n)
{
    static ssize_t (*real)(int, const void *, size_t);
    if (!real)
        real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    count_wal_write(fd);
    return real(fd, buf, n);
}
