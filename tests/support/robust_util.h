/*
 * robust_util.h — helpers for the robustness tests (test_robust_*.c):
 * run the mcusim program with full control over what it sees (separate
 * stdout and stderr, extra environment, an unprivileged user, a file size
 * limit), in the background when a test means to kill it, and query the
 * run database it wrote.
 */
#ifndef MCUSIM_ROBUST_UTIL_H
#define MCUSIM_ROBUST_UTIL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct robust_cmd {
    const char *args[48];      /* arguments after "mcusim", NULL-terminated */
    const char *env[8];        /* extra NAME=VALUE entries, NULL-terminated */
    bool unprivileged;         /* when root: run as nobody (permissions apply) */
    uint64_t fsize_limit;      /* RLIMIT_FSIZE in bytes, 0 = unlimited */
};

struct robust_result {
    int status;                /* exit status, or 128 + signal when killed */
    bool signaled;
    char *out;                 /* stdout, NUL-terminated (malloc'd) */
    char *err;                 /* stderr */
    double wall_s;
};

/* The mcusim program, the build and source roots (from the environment
 * meson gives the tests). */
const char *robust_mcusim(void);
const char *robust_build(const char *rel);   /* <build>/rel, static buffer */
const char *robust_source(const char *rel);  /* <source>/rel, static buffer */

/* A fresh directory under $TMPDIR, writable by an unprivileged user too. */
void robust_tempdir(char *out, size_t len, const char *tag);
void robust_rmtree(const char *dir);

/* Starts mcusim in the background; its stdout/stderr go to files in
 * out_dir (read back by robust_wait).  Returns the pid, or -1. */
pid_t robust_start(const struct robust_cmd *cmd, const char *out_dir);
/* Waits for a process started by robust_start and collects its result. */
void robust_wait(pid_t pid, const char *out_dir, struct robust_result *r);
/* Both: runs to completion. */
void robust_run(const struct robust_cmd *cmd, struct robust_result *r);
void robust_result_free(struct robust_result *r);

/* Can this process run a command as another user (root with CAP_SETUID)?
 * Permission tests need it when running as root, who ignores file modes. */
bool robust_can_drop_privileges(void);

/* Lines in text (a final line without '\n' counts). */
int robust_count_lines(const char *text);

/* SQL helpers on a database file opened read-only; -1 / NAN on no row. */
sqlite3 *robust_db_open(const char *path);
int64_t robust_q_int(sqlite3 *db, const char *sql);
/* The result of PRAGMA integrity_check ("ok" when healthy), static buffer. */
const char *robust_integrity(const char *path);

/* Copies a file; returns 0 on success. */
int robust_copy_file(const char *from, const char *to);

#endif
