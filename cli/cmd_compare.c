/*
 * cmd_compare.c — 'mcusim compare': stored runs side by side (kernels,
 * model variants, boards), read from the database only (reports/).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "compare.h"
#include "db.h"
#include "exitcodes.h"
#include "render.h"
#include "rundata.h"
#include "select.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mcusim compare A B [C ...] [options]\n\n"
            "Compares stored runs side by side, e.g. ref against opt kernels, two variants of a\n"
            "model, or one model on several boards.  A is the baseline: deltas are each run\n"
            "minus A, absolute and in percent, largest change first, and the best run of each\n"
            "row is named.  Totals are always compared; layers where the graphs agree (same\n"
            "op at the same operator index in every run).  At most %d runs.\n\n"
            "A, B, ... are run ids, tags (their most recently stored run) or 'latest'.\n\n"
            "options:\n"
            "      --db FILE         run database (default: mcusim.db)\n",
            CMP_MAX_RUNS);
    rep_format_usage(out);
    fprintf(out,
            "  -h, --help            this help\n\n"
            "exit status: 0 written, 2 bad input (no database, no such run, bad option),\n"
            "  5 the output could not be written\n");
}

int cmd_compare(int argc, char **argv)
{
    const char *db_path = "mcusim.db", *out_path = NULL, *format = NULL;
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
    int n = argc - optind;
    if (n < 2 || n > CMP_MAX_RUNS) {
        if (n >= 0 && n < 2)
            fprintf(stderr, "mcusim compare: needs at least two runs\n");
        else
            fprintf(stderr, "mcusim compare: compares at most %d runs, not %d\n", CMP_MAX_RUNS, n);
        return EXIT_BAD_INPUT;
    }
    enum rep_format fmt;
    if (rep_format_choose(format, out_path, &fmt)) {
        char names[128];
        rep_format_names(names, sizeof names);
        fprintf(stderr, "mcusim compare: --format is %s, not '%s'\n", names, format);
        return EXIT_BAD_INPUT;
    }

    char err[1200] = "";
    sqlite3 *db = db_open(db_path, false, err, sizeof err);
    if (!db) {
        fprintf(stderr, "mcusim compare: %s\n", err);
        return EXIT_BAD_INPUT;
    }
    struct rep_run runs[CMP_MAX_RUNS];
    int loaded = 0, status = 0;
    for (; loaded < n; loaded++) {
        int64_t id;
        if (rep_select_run(db, argv[optind + loaded], &id, err, sizeof err) ||
            rep_load_run(db, id, true, &runs[loaded], err, sizeof err)) {
            fprintf(stderr, "mcusim compare: %s: %s\n", db_path, err);
            status = EXIT_BAD_INPUT;
            break;
        }
    }
    db_close(db);
    struct rep_compare cmp;
    if (!status && rep_compare_build(runs, n, &cmp, err, sizeof err)) {
        fprintf(stderr, "mcusim compare: %s\n", err);
        status = EXIT_INTERNAL;
    }
    if (!status) {
        FILE *out = out_path ? fopen(out_path, "w") : stdout;
        int rc = out ? rep_render_compare(&cmp, fmt, out) : -1;
        int saved = errno;
        if (out && out != stdout && fclose(out))
            rc = -1;
        if (rc) {
            fprintf(stderr, "mcusim compare: %s: cannot write: %s\n", out_path ? out_path : "standard output",
                    strerror(saved ? saved : EIO));
            if (out_path && out)
                unlink(out_path);
            status = EXIT_INTERNAL;
        }
        rep_compare_free(&cmp);
    }
    for (int i = 0; i < loaded; i++)
        rep_run_free(&runs[i]);
    return status;
}
