/*
 * gate.h — 'mcusim gate': checks the latest run of each workload of a
 * budget file (budget.h) against its limits, and optionally against a
 * baseline, and writes the verdict for people (one line per check), for
 * CI systems (JUnit XML) and for pull-request comments (Markdown).
 *
 * Checks per workload, in this order:
 *   run       a run matching the workload exists (fails otherwise)
 *   status    the run completed ('ok'); a model that does not fit fails
 *             here with the profiler's diagnostic, and its flash (and,
 *             when the runtime planned it, RAM) is still checked with the
 *             numbers so the gate shows how far over it is
 *   ram, flash, latency, energy                  absolute limits
 *   latency_regression, ram_regression, ...      percent change against the
 *             baseline's latest run of the same workload with the same
 *             runtime and kernels as the gated run (any runtime and
 *             kernels when asked; or the given baseline run); skipped
 *             when there is no baseline run
 * Latency and energy cover one inference (metrics.h).
 */
#ifndef MCUSIM_REPORTS_GATE_H
#define MCUSIM_REPORTS_GATE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "budget.h"

enum gate_verdict { GATE_PASS, GATE_FAIL, GATE_SKIP };

struct gate_check {
    char workload[128];
    char metric[32];           /* "ram", "latency_regression", ... */
    enum gate_verdict verdict;
    bool has_value, has_limit;
    double value, limit;
    const char *unit;          /* "KB", "ms", "uJ", "%", "" */
    int decimals;
    bool signed_value;         /* regressions: +3.2% */
    bool estimate;             /* energy: the value is labelled "(est.)" */
    char word[16];             /* run and status checks: "missing", "ok", "nofit" */
    char detail[1200];         /* what was compared, or why it failed/skipped */
};

struct gate_result {
    struct gate_check *checks;
    int n, cap;
    int passed, failed, skipped;
    int workloads;
};

/* The baseline: a database whose latest run of each workload is the
 * baseline, or a single run (of db or base_db) for every workload. */
struct gate_baseline {
    sqlite3 *db;               /* NULL: no baseline */
    const char *name;          /* for messages: its path */
    bool single_run;
    int64_t run_id;
    bool any_runtime;          /* the workload's latest run, whatever its runtime and kernels */
};

/* Evaluates every workload.  Returns 0 (verdicts in res), or -1 with err
 * when the databases could not be read. */
int gate_evaluate(const struct budget *b, sqlite3 *db, const char *db_name, const struct gate_baseline *base,
                  struct gate_result *res, char *err, size_t errlen);
void gate_result_free(struct gate_result *res);

void gate_print_text(const struct gate_result *res, FILE *out);
void gate_write_junit(const struct gate_result *res, const char *budget_path, FILE *out);
void gate_write_md(const struct gate_result *res, FILE *out);

#endif
