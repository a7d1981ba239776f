/*
 * cmd_db.c — 'mcusim db': housekeeping of run databases.
 *
 *   mcusim db merge OUT.db IN.db|DIR...   combine databases (the per-job
 *                                         databases of 'sweep --emit-jobs')
 *   mcusim db check FILE.db...            is each one a readable, intact
 *                                         mcusim database?
 *
 * A merge is all or nothing: every input is checked (PRAGMA quick_check)
 * before OUT is opened, and all inputs are copied in one transaction, so a
 * bad input or a failure half way leaves OUT as it was (and no OUT at all
 * when there was none).  Duplicates are decided by db_merge() (profiler/db.h):
 * a run already in OUT, or whose measurement OUT already holds ok, is
 * skipped, so merging the same files twice adds nothing.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "db.h"
#include "exitcodes.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mcusim db merge OUT.db IN.db|DIR... [-v]\n"
            "       mcusim db check FILE.db...\n\n"
            "merge  copies the runs of every IN (a directory means every *.db file in it) into\n"
            "       OUT, created if needed, with their layers and functions.  A run is skipped\n"
            "       when OUT already has it (same run key and start time) or already has an ok\n"
            "       run of the same measurement (run key: firmware, model, input, board,\n"
            "       runtime and kernels), so merging twice adds nothing.  Files of older\n"
            "       mcusim versions are read as their migration would make them.  All inputs\n"
            "       are checked first and copied in one transaction: on any error OUT is\n"
            "       left as it was.\n"
            "       -v lists the counts per input.\n"
            "check  checks that each file is an mcusim database this mcusim can read, with\n"
            "       every page intact.\n\n"
            "exit status: 0 done, 2 bad input (not a database, corrupt, newer schema,\n"
            "  arguments), 5 internal error (cannot write OUT)\n");
}

struct path_list {
    char **items;
    int n, cap;
};

static int push(struct path_list *l, const char *path)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 16;
        char **grown = realloc(l->items, (size_t)cap * sizeof *grown);
        if (!grown)
            return -1;
        l->items = grown;
        l->cap = cap;
    }
    if (!(l->items[l->n] = strdup(path)))
        return -1;
    l->n++;
    return 0;
}

static void free_list(struct path_list *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory stands for its *.db files, in name order (the order the
 * runs get their new ids in). */
static int add_input(struct path_list *l, const char *arg, char *err, size_t errlen)
{
    struct stat sb;
    if (stat(arg, &sb)) {
        snprintf(err, errlen, "%s: %s", arg, strerror(errno));
        return EXIT_BAD_INPUT;
    }
    if (!S_ISDIR(sb.st_mode))
        return push(l, arg) ? EXIT_INTERNAL : 0;
    DIR *d = opendir(arg);
    if (!d) {
        snprintf(err, errlen, "%s: cannot read the directory: %s", arg, strerror(errno));
        return EXIT_BAD_INPUT;
    }
    int first = l->n;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 3, ".db"))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", arg, e->d_name);
        if (push(l, path)) {
            closedir(d);
            snprintf(err, errlen, "out of memory");
            return EXIT_INTERNAL;
        }
    }
    closedir(d);
    if (l->n == first) {
        snprintf(err, errlen, "%s: no .db files in the directory", arg);
        return EXIT_BAD_INPUT;
    }
    qsort(l->items + first, (size_t)(l->n - first), sizeof *l->items, by_name);
    return 0;
}

static void remove_db_files(const char *path)
{
    char side[4200];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int db_merge_cmd(int argc, char **argv)
{
    bool verbose = false;
    const char *out = NULL;
    struct path_list in = {0};
    char err[2048] = "";
    int rc = 0;
    for (int i = 1; i < argc && !rc; i++) {
        if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose"))
            verbose = true;
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            free_list(&in);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            snprintf(err, sizeof err, "unknown option '%s' (see --help)", argv[i]);
            rc = EXIT_BAD_INPUT;
        } else if (!out)
            out = argv[i];
        else
            rc = add_input(&in, argv[i], err, sizeof err);
    }
    if (!rc && (!out || !in.n)) {
        snprintf(err, sizeof err, "usage: mcusim db merge OUT.db IN.db|DIR... (see --help)");
        rc = EXIT_BAD_INPUT;
    }
    /* Every input is checked before OUT is touched. */
    for (int i = 0; !rc && i < in.n; i++) {
        if (same_file(in.items[i], out)) {
            snprintf(err, sizeof err, "%s: is the output database", in.items[i]);
            rc = EXIT_BAD_INPUT;
        } else if (db_check(in.items[i], err, sizeof err)) {
            rc = EXIT_BAD_INPUT;
        }
    }
    if (rc) {
        fprintf(stderr, "mcusim db merge: %s\n", err);
        free_list(&in);
        return rc;
    }

    bool existed = access(out, F_OK) == 0;
    sqlite3 *db = db_open(out, true, err, sizeof err);
    if (!db) {
        fprintf(stderr, "mcusim db merge: %s\n", err);
        free_list(&in);
        return existed && db_check(out, err, sizeof err) ? EXIT_BAD_INPUT : EXIT_INTERNAL;
    }
    /* One transaction for all inputs: all or nothing. */
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "mcusim db merge: %s: cannot lock it: %s\n", out, sqlite3_errmsg(db));
        db_close(db);
        free_list(&in);
        return EXIT_INTERNAL;
    }
    struct db_merge_counts total = {0};
    for (int i = 0; i < in.n; i++) {
        struct db_merge_counts c;
        if (db_merge(db, in.items[i], &c, err, sizeof err)) {
            size_t n = strlen(in.items[i]);
            rc = !strncmp(err, in.items[i], n) && err[n] == ':' ? EXIT_BAD_INPUT : EXIT_INTERNAL;
            break;
        }
        if (verbose)
            printf("%s: %d copied, %d skipped\n", in.items[i], c.copied, c.skipped);
        total.copied += c.copied;
        total.skipped += c.skipped;
    }
    if (!rc && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, sizeof err, "%s: cannot commit the merge: %s", out, sqlite3_errmsg(db));
        rc = EXIT_INTERNAL;
    }
    if (rc)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    db_close(db);
    if (rc) {
        if (!existed)
            remove_db_files(out);
        fprintf(stderr, "mcusim db merge: %s; %s %s\n", err, out, existed ? "is unchanged" : "was not created");
        free_list(&in);
        return rc;
    }
    printf("merged %d database%s into %s: %d run%s copied, %d skipped (already there)\n", in.n,
           in.n == 1 ? "" : "s", out, total.copied, total.copied == 1 ? "" : "s", total.skipped);
    free_list(&in);
    return 0;
}

static int db_check_cmd(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_BAD_INPUT;
    }
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        }
        char err[1024] = "";
        if (db_check(argv[i], err, sizeof err)) {
            fprintf(stderr, "mcusim db check: %s\n", err);
            rc = EXIT_BAD_INPUT;
            continue;
        }
        sqlite3 *db = db_open(argv[i], false, err, sizeof err);
        sqlite3_stmt *st;
        long long runs = -1;
        if (db && sqlite3_prepare_v2(db, "SELECT count(*) FROM runs", -1, &st, NULL) == SQLITE_OK) {
            if (sqlite3_step(st) == SQLITE_ROW)
                runs = sqlite3_column_int64(st, 0);
            sqlite3_finalize(st);
        }
        if (db)
            db_close(db);
        printf("%s: ok, %lld run%s\n", argv[i], runs, runs == 1 ? "" : "s");
    }
    return rc;
}

int cmd_db(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "merge"))
        return db_merge_cmd(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "check"))
        return db_check_cmd(argc - 1, argv + 1);
    bool help = argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"));
    usage(help ? stdout : stderr);
    return help ? 0 : EXIT_BAD_INPUT;
}
