/*
 * cmd_report.c — 'mcusim report': the report of one stored run, read from
 * the database only (reports/), in text, Markdown, HTML, CSV or JSON.
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
#include "render.h"
#include "rundata.h"
#include "select.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mcusim report [RUN] [options]\n\n"
            "Reports one stored run: per layer (op, kernel, shape, MACs, cycles, %% of the total,\n"
            "cycles/MAC, time, RAM, estimated energy) with totals, flash and RAM against the\n"
            "board's capacity, and the top functions.  Reads only the database.\n\n"
            "RUN is a run id, a tag (its most recently stored run) or 'latest' (the default).\n\n"
            "options:\n"
            "      --db FILE         run database (default: mcusim.db)\n");
    rep_format_usage(out);
    fprintf(out,
            "      --top N           functions listed (default: 10)\n"
            "  -h, --help            this help\n\n"
            "exit status: 0 written, 2 bad input (no database, no such run, bad option),\n"
            "  5 the output could not be written\n");
}

int cmd_report(int argc, char **argv)
{
    const char *db_path = "mcusim.db", *out_path = NULL, *format = NULL;
    struct rep_options opt;
    rep_options_init(&opt);
    static const struct option opts[] = {
        {"db", required_argument, 0, 'D'},
        {"format", required_argument, 0, 'f'},
        {"output", required_argument, 0, 'o'},
        {"top", required_argument, 0, 'T'},
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
        case 'T': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 0 || n > 100000) {
                fprintf(stderr, "mcusim report: --top needs a number of functions, not '%s'\n", optarg);
                return EXIT_BAD_INPUT;
            }
            opt.top_functions = (int)n;
            break;
        }
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return EXIT_BAD_INPUT;
        }
    }
    if (argc - optind > 1) {
        usage(stderr);
        return EXIT_BAD_INPUT;
    }
    const char *selector = optind < argc ? argv[optind] : "latest";
    enum rep_format fmt;
    if (rep_format_choose(format, out_path, &fmt)) {
        char names[128];
        rep_format_names(names, sizeof names);
        fprintf(stderr, "mcusim report: --format is %s, not '%s'\n", names, format);
        return EXIT_BAD_INPUT;
    }

    char err[1200] = "";
    sqlite3 *db = db_open(db_path, false, err, sizeof err);
    if (!db) {
        fprintf(stderr, "mcusim report: %s\n", err);
        return EXIT_BAD_INPUT;
    }
    int64_t id;
    struct rep_run run;
    if (rep_select_run(db, selector, &id, err, sizeof err) || rep_load_run(db, id, true, &run, err, sizeof err)) {
        fprintf(stderr, "mcusim report: %s: %s\n", db_path, err);
        db_close(db);
        return EXIT_BAD_INPUT;
    }
    db_close(db);

    FILE *out = out_path ? fopen(out_path, "w") : stdout;
    if (!out) {
        fprintf(stderr, "mcusim report: %s: cannot write: %s\n", out_path, strerror(errno));
        rep_run_free(&run);
        return EXIT_INTERNAL;
    }
    int rc = rep_render_report(&run, fmt, &opt, out);
    int saved = errno;
    if (out != stdout && fclose(out))
        rc = -1;
    rep_run_free(&run);
    if (rc) {
        fprintf(stderr, "mcusim report: %s: cannot write: %s\n", out_path ? out_path : "standard output",
                strerror(saved ? saved : EIO));
        if (out_path)
            unlink(out_path);
        return EXIT_INTERNAL;
    }
    return 0;
}
