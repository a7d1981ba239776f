/*
 * cmd_gate.c — 'mcusim gate': CI budget gates on RAM, flash, latency and
 * energy, and on regressions against a baseline, read from the database
 * only (reports/gate.h).  Exit status 0 every budget holds, 1 one does
 * not, 2 bad input — so a CI step fails exactly when a budget is exceeded
 * or the gate could not judge.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "budget.h"
#include "commands.h"
#include "db.h"
#include "exitcodes.h"
#include "gate.h"
#include "select.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mcusim gate --budget FILE [options]\n\n"
            "Checks the latest run of each workload named in the budget file against its\n"
            "limits: peak RAM, flash, latency of one inference at the board's clock, estimated\n"
            "energy per inference, and regressions in percent against a baseline, for runs of\n"
            "any runtime (a workload may select one: runtime = mcusim).  Prints one\n"
            "line per check (result, workload, check, value, limit, headroom) and a summary.\n"
            "A model that does not fit the board fails its checks with the numbers.\n\n"
            "options:\n"
            "  -b, --budget FILE      the budget file (INI; see docs/reports.md)\n"
            "      --db FILE          run database (default: mcusim.db)\n"
            "      --baseline DB|RUN  for max_*regression_pct: another database (its latest run of\n"
            "                         each workload, e.g. the main branch's) or a run id or tag in\n"
            "                         --db (one run, the baseline of every workload).  From a\n"
            "                         database, a workload's baseline is its latest run with the\n"
            "                         same runtime and kernels as the run gated\n"
            "      --baseline-any-runtime  ... or its latest run whatever the runtime and kernels\n"
            "      --junit FILE       also write the checks as JUnit XML\n"
            "      --md FILE          also write a Markdown summary (pull-request comment)\n"
            "  -h, --help             this help\n\n"
            "exit status: 0 every budget holds, 1 a budget is exceeded (or a workload has no\n"
            "  run, or its run failed), 2 bad input (budget file, database, baseline, options)\n");
}

static int write_output(const char *path, const struct gate_result *res, const char *budget,
                        void (*junit)(const struct gate_result *, const char *, FILE *),
                        void (*md)(const struct gate_result *, FILE *))
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "mcusim gate: %s: cannot write: %s\n", path, strerror(errno));
        return -1;
    }
    if (junit)
        junit(res, budget, f);
    else
        md(res, f);
    int bad = ferror(f);
    if (fclose(f) || bad) {
        fprintf(stderr, "mcusim gate: %s: cannot write: %s\n", path, strerror(errno ? errno : EIO));
        return -1;
    }
    return 0;
}

/* --baseline: an existing file is a database; otherwise a run in db. */
static int open_baseline(const char *arg, sqlite3 *db, const char *db_path, struct gate_baseline *base)
{
    char err[1200] = "";
    if (!access(arg, F_OK)) {
        base->db = db_open(arg, false, err, sizeof err);
        base->name = arg;
        if (!base->db) {
            fprintf(stderr, "mcusim gate: --baseline %s\n", err);
            return -1;
        }
        return 0;
    }
    size_t len = strlen(arg);
    if (strchr(arg, '/') || (len > 3 && !strcmp(arg + len - 3, ".db"))) {
        fprintf(stderr, "mcusim gate: --baseline %s: no such database\n", arg);
        return -1;
    }
    if (rep_select_run(db, arg, &base->run_id, err, sizeof err)) {
        fprintf(stderr, "mcusim gate: --baseline '%s' is neither a database file nor a run in %s (%s)\n", arg, db_path,
                err);
        return -1;
    }
    base->db = db;
    base->name = db_path;
    base->single_run = true;
    return 0;
}

int cmd_gate(int argc, char **argv)
{
    const char *budget_path = NULL, *db_path = "mcusim.db", *baseline = NULL, *junit = NULL, *md = NULL;
    bool any_runtime = false;
    static const struct option opts[] = {
        {"budget", required_argument, 0, 'b'},
        {"db", required_argument, 0, 'D'},
        {"baseline", required_argument, 0, 'B'},
        {"junit", required_argument, 0, 'J'},
        {"md", required_argument, 0, 'M'},
        {"baseline-any-runtime", no_argument, 0, 'A'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "b:h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': budget_path = optarg; break;
        case 'D': db_path = optarg; break;
        case 'B': baseline = optarg; break;
        case 'J': junit = optarg; break;
        case 'M': md = optarg; break;
        case 'A': any_runtime = true; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return EXIT_BAD_INPUT;
        }
    }
    if (optind != argc || !budget_path) {
        fprintf(stderr, optind != argc ? "mcusim gate: unexpected argument '%s'\n"
                                       : "mcusim gate: --budget FILE is required%s\n",
                optind != argc ? argv[optind] : "");
        return EXIT_BAD_INPUT;
    }
    char err[1200] = "";
    struct budget budget;
    if (budget_load(budget_path, &budget, err, sizeof err)) {
        fprintf(stderr, "mcusim gate: %s\n", err);
        return EXIT_BAD_INPUT;
    }
    sqlite3 *db = db_open(db_path, false, err, sizeof err);
    if (!db) {
        fprintf(stderr, "mcusim gate: %s\n", err);
        budget_free(&budget);
        return EXIT_BAD_INPUT;
    }
    struct gate_baseline base = {0};
    int status = 0;
    if (baseline && open_baseline(baseline, db, db_path, &base))
        status = EXIT_BAD_INPUT;
    base.any_runtime = any_runtime;
    struct gate_result res = {0};
    if (!status && gate_evaluate(&budget, db, db_path, &base, &res, err, sizeof err)) {
        fprintf(stderr, "mcusim gate: %s\n", err);
        status = EXIT_BAD_INPUT;
    }
    if (!status) {
        gate_print_text(&res, stdout);
        fflush(stdout);
        if (junit && write_output(junit, &res, budget_path, gate_write_junit, NULL))
            status = EXIT_BAD_INPUT;
        if (md && write_output(md, &res, budget_path, NULL, gate_write_md))
            status = EXIT_BAD_INPUT;
        if (!status)
            status = res.failed ? EXIT_ANSWER_NO : 0;
    }
    gate_result_free(&res);
    if (base.db && base.db != db)
        db_close(base.db);
    db_close(db);
    budget_free(&budget);
    return status;
}
