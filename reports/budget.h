/*
 * budget.h — the budget file of 'mcusim gate': an INI file a CI user
 * writes by hand, one [section] per workload.
 *
 *   ; budgets.ini
 *   [defaults]                 ; optional: keys every workload inherits
 *   board = nano33ble
 *   max_regression_pct = 5
 *
 *   [cnn-ref]                  ; the workload's name
 *   tag = cnn-ref              ; which runs: tag and/or model, board, runtime, kernels
 *   max_ram_kb = 64            ; peak RAM, KB = 1024 bytes
 *   max_flash_kb = 256         ; code + rodata + .data init + model
 *   max_latency_ms = 600       ; one inference at the board's clock
 *   max_energy_uj = 6000       ; one inference, estimated
 *
 * A workload without tag and model selects by tag = its section name.
 * Regression limits (percent against a baseline, --baseline):
 * max_regression_pct applies to latency; max_ram_regression_pct,
 * max_flash_regression_pct and max_energy_regression_pct to the others.
 * Unknown keys, bad numbers, duplicate keys or sections and workloads
 * without any limit are errors reported as "FILE:LINE: problem".
 */
#ifndef MCUSIM_REPORTS_BUDGET_H
#define MCUSIM_REPORTS_BUDGET_H

#include <stdbool.h>
#include <stddef.h>

enum budget_metric {
    BM_RAM,
    BM_FLASH,
    BM_LATENCY,
    BM_ENERGY,
    BM_LATENCY_REGRESSION,
    BM_RAM_REGRESSION,
    BM_FLASH_REGRESSION,
    BM_ENERGY_REGRESSION,
    BM_COUNT
};

/* The key of each limit in the file ("max_ram_kb"). */
extern const char *const budget_keys[BM_COUNT];

struct budget_limit {
    bool set;
    double value;
};

struct budget_workload {
    char name[128];
    int line;                  /* of its [section] */
    char tag[128], model[512], board[64], runtime[16], kernels[16];
    int runtime_line, kernels_line; /* where they were given, for errors */
    struct budget_limit limit[BM_COUNT];
};

struct budget {
    char path[1024];
    struct budget_workload *w;
    int n;
};

/* Reads and checks a budget file.  Returns 0, or -1 with a one-line
 * "PATH:LINE: problem" (or "PATH: problem") in err. */
int budget_load(const char *path, struct budget *b, char *err, size_t errlen);
void budget_free(struct budget *b);

#endif
