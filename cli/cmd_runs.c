/*
 * cmd_runs.c — 'mcusim runs': the stored runs, and 'mcusim runs rm' to
 * remove some.  Listing reads the database only; removing goes through
 * profiler/db.c (db_remove_runs), which owns every write.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "db.h"
#include "exitcodes.h"
#include "metrics.h"
#include "render.h"
#include "rundata.h"
#include "select.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mcusim runs [--db FILE] [-f FMT] [-o FILE]\n"
            "       mcusim runs rm RUN... [--db FILE]\n\n"
            "Lists the stored runs: id, start time, tag, board, model, runtime/kernels, status, cycles\n"
            "(of one inference when the firmware marks it, else of the whole run) and peak RAM.\n"
            "'runs rm' removes runs with their layers and functions, all in one transaction:\n"
            "RUN is a run id, 'latest', or a tag (every run with that tag).\n\n"
            "options:\n"
            "      --db FILE         run database (default: mcusim.db)\n");
    rep_format_usage(out);
    fprintf(out,
            "  -h, --help            this help\n\n"
            "exit status: 0 done, 2 bad input (no database, no such run, bad option),\n"
            "  5 the database or the output could not be written\n");
}

static int runs_rm(int argc, char **argv)
{
    const char *db_path = "mcusim.db";
    static const struct option opts[] = {
        {"db", required_argument, 0, 'D'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'D': db_path = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return EXIT_BAD_INPUT;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "mcusim runs rm: name the runs to remove (ids, tags or 'latest')\n");
        return EXIT_BAD_INPUT;
    }
    char err[1200] = "";
    /* Resolve every selector read-only first: a typo removes nothing. */
    sqlite3 *db = db_open(db_path, false, err, sizeof err);
    if (!db) {
        fprintf(stderr, "mcusim runs rm: %s\n", err);
        return EXIT_BAD_INPUT;
    }
    int64_t *all = NULL;
    int n = 0, status = 0;
    for (int i = optind; i < argc && !status; i++) {
        int64_t *ids;
        int k;
        if (rep_select_runs_all(db, argv[i], &ids, &k, err, sizeof err)) {
            fprintf(stderr, "mcusim runs rm: %s: %s\n", db_path, err);
            status = EXIT_BAD_INPUT;
            break;
        }
        int64_t *grown = realloc(all, (size_t)(n + k) * sizeof *all);
        if (!grown) {
            free(ids);
            fprintf(stderr, "mcusim runs rm: out of memory\n");
            status = EXIT_INTERNAL;
            break;
        }
        all = grown;
        for (int j = 0; j < k; j++) {
            bool dup = false;
            for (int m = 0; m < n; m++)
                dup = dup || all[m] == ids[j];
            if (!dup)
                all[n++] = ids[j];
        }
        free(ids);
    }
    struct rep_run *runs = NULL;
    if (!status && !(runs = calloc((size_t)n, sizeof *runs)))
        status = EXIT_INTERNAL;
    for (int i = 0; i < n && !status; i++)
        if (rep_load_run(db, all[i], false, &runs[i], err, sizeof err)) {
            fprintf(stderr, "mcusim runs rm: %s: %s\n", db_path, err);
            status = EXIT_BAD_INPUT;
        }
    db_close(db);
    if (!status) {
        db = db_open(db_path, true, err, sizeof err);
        int removed = db ? db_remove_runs(db, all, n, err, sizeof err) : -1;
        if (db)
            db_close(db);
        if (removed < 0) {
            fprintf(stderr, "mcusim runs rm: %s\n", err);
            status = EXIT_INTERNAL;
        } else {
            for (int i = 0; i < n; i++)
                printf("removed run %lld: %s%s%s on %s, %s\n", (long long)runs[i].id,
                       runs[i].model[0] ? rep_basename(runs[i].model) : rep_basename(runs[i].firmware),
                       runs[i].tag[0] ? " tagged " : "", runs[i].tag, runs[i].board, runs[i].status);
        }
    }
    free(runs);
    free(all);
    return status;
}

int cmd_runs(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "rm"))
        return runs_rm(argc - 1, argv + 1);
    const char *db_path = "mcusim.db", *format = NULL, *out_path = NULL;
    static const struct option opts[] = {
        {"db", required_argument, 0, 'D'},
        {"format", required_argument, 0, 'f'},
        {"output", required_argument, 0, 'o'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'D': db_path = optarg; break;
        case 'f': format = optarg; break;
        case 'o': out_path = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return EXIT_BAD_INPUT;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "mcusim runs: unexpected argument '%s' (did you mean 'runs rm'?)\n", argv[optind]);
        return EXIT_BAD_INPUT;
    }
    enum rep_format fmt;
    if (rep_format_choose(format, out_path, &fmt)) {
        char names[128];
        rep_format_names(names, sizeof names);
        fprintf(stderr, "mcusim runs: --format is %s, not '%s'\n", names, format);
        return EXIT_BAD_INPUT;
    }
    char err[1200] = "";
    sqlite3 *db = db_open(db_path, false, err, sizeof err);
    if (!db) {
        fprintf(stderr, "mcusim runs: %s\n", err);
        return EXIT_BAD_INPUT;
    }
    struct rep_run *runs;
    int n;
    int rc = rep_list_runs(db, &runs, &n, err, sizeof err);
    db_close(db);
    if (rc) {
        fprintf(stderr, "mcusim runs: %s: %s\n", db_path, err);
        return EXIT_BAD_INPUT;
    }
    FILE *out = out_path ? fopen(out_path, "w") : stdout;
    rc = out ? rep_render_runs(runs, n, fmt, out) : -1;
    int saved = errno;
    if (out && out != stdout && fclose(out))
        rc = -1;
    rep_runs_free(runs, n);
    if (rc) {
        fprintf(stderr, "mcusim runs: %s: cannot write: %s\n", out_path ? out_path : "standard output",
                strerror(saved ? saved : EIO));
        if (out_path && out)
            unlink(out_path);
        return EXIT_INTERNAL;
    }
    return 0;
}
