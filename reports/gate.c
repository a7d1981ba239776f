/*
 * gate.c — evaluating budgets against stored runs (see gate.h).
 */
#include "gate.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "metrics.h"
#include "rundata.h"
#include "select.h"

static struct gate_check *add(struct gate_result *res, const char *workload, const char *metric)
{
    if (res->n == res->cap) {
        int cap = res->cap ? res->cap * 2 : 32;
        struct gate_check *grown = realloc(res->checks, (size_t)cap * sizeof *grown);
        if (!grown)
            return NULL;
        res->checks = grown;
        res->cap = cap;
    }
    struct gate_check *c = &res->checks[res->n++];
    memset(c, 0, sizeof *c);
    snprintf(c->workload, sizeof c->workload, "%s", workload);
    snprintf(c->metric, sizeof c->metric, "%s", metric);
    c->unit = "";
    return c;
}

__attribute__((format(printf, 2, 3))) static void detail(struct gate_check *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->detail, sizeof c->detail, fmt, ap);
    va_end(ap);
}

static void judge(struct gate_check *c)
{
    c->verdict = c->value > c->limit ? GATE_FAIL : GATE_PASS;
}

/* The value of an absolute metric; false when the run did not measure it. */
static bool metric_value(const struct rep_run *r, enum budget_metric m, double *v, bool *planned)
{
    *planned = false;
    switch (m) {
    case BM_FLASH:
        /* Known from the image and the model before anything runs. */
        *v = rep_flash_used(r) / 1024.0;
        return true;
    case BM_RAM: {
        bool measured;
        uint64_t need = rep_ram_needed(r, &measured);
        *v = need / 1024.0;
        *planned = !measured;
        return rep_run_ok(r) || !measured;
    }
    case BM_LATENCY:
    case BM_LATENCY_REGRESSION:
        *v = rep_latency_ms(r);
        return rep_run_ok(r);
    case BM_ENERGY:
    case BM_ENERGY_REGRESSION:
        *v = rep_latency_energy_uj(r);
        return rep_run_ok(r);
    case BM_RAM_REGRESSION:
        *v = r->ram_peak / 1024.0;
        return rep_run_ok(r);
    case BM_FLASH_REGRESSION:
        *v = rep_flash_used(r) / 1024.0;
        return true;
    default:
        return false;
    }
}

static const char *const metric_names[BM_COUNT] = {
    "ram", "flash", "latency", "energy", "latency_regression", "ram_regression", "flash_regression", "energy_regression",
};
static const char *const metric_units[4] = {"KB", "KB", "ms", "uJ"};
static const int metric_decimals[4] = {1, 1, 3, 2};

static void describe(const struct rep_run *r, const char *db_name, char *out, size_t len)
{
    char flavor[40];
    rep_flavor(r, flavor, sizeof flavor);
    snprintf(out, len, "run %lld in %s: %s on %s%s%s", (long long)r->id, db_name,
             r->model[0] ? rep_basename(r->model) : rep_basename(r->firmware), r->board,
             flavor[0] ? ", " : "", flavor);
}

/* Puts the database's name before a message from select.h / rundata.h. */
static int named(const char *db_name, char *err, size_t errlen)
{
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", err);
    snprintf(err, errlen, "%s: %s", db_name, msg);
    return -1;
}

/* The baseline run of a workload: 0 found (loaded), 1 none (why in
 * note), -1 error. */
static int baseline_run(const struct gate_baseline *base, const struct rep_match *m, const struct rep_run *now,
                        struct rep_run *out, char *note, size_t notelen, char *err, size_t errlen)
{
    int64_t id;
    if (base->single_run) {
        id = base->run_id;
    } else {
        /* A regression is a change of the same code: the baseline ran the
         * same runtime and kernels as the run gated, unless asked for any
         * (a runtime against another is a comparison, not a regression). */
        struct rep_match same = *m;
        if (!base->any_runtime) {
            if (now->runtime[0])
                same.runtime = now->runtime;
            if (now->kernels[0])
                same.kernels = now->kernels;
        }
        int rc = rep_select_latest(base->db, &same, &id, err, errlen);
        if (rc < 0)
            return named(base->name, err, errlen);
        if (rc == 1) {
            char what[800];
            rep_match_describe(&same, what, sizeof what);
            snprintf(note, notelen, "no baseline: no run in %s matches %s", base->name, what);
            return 1;
        }
    }
    return rep_load_run(base->db, id, false, out, err, errlen) ? named(base->name, err, errlen) : 0;
}

static int check_workload(const struct budget_workload *w, sqlite3 *db, const char *db_name,
                          const struct gate_baseline *base, struct gate_result *res, char *err, size_t errlen)
{
    struct rep_match m = {w->tag, w->model, w->board, w->kernels, w->runtime};
    int64_t id;
    int rc = rep_select_latest(db, &m, &id, err, errlen);
    if (rc < 0)
        return named(db_name, err, errlen);
    struct gate_check *c;
    if (rc == 1) {
        if (!(c = add(res, w->name, "run")))
            goto oom;
        char what[800];
        rep_match_describe(&m, what, sizeof what);
        c->verdict = GATE_FAIL;
        snprintf(c->word, sizeof c->word, "missing");
        detail(c, "no run in %s matches %s: profile the workload before gating it", db_name, what);
        return 0;
    }
    struct rep_run r;
    if (rep_load_run(db, id, false, &r, err, errlen))
        return named(db_name, err, errlen);
    char who[900];
    describe(&r, db_name, who, sizeof who);
    if (!(c = add(res, w->name, "status")))
        goto oom;
    c->verdict = rep_run_ok(&r) ? GATE_PASS : GATE_FAIL;
    snprintf(c->word, sizeof c->word, "%s", r.status);
    if (rep_run_ok(&r))
        detail(c, "%s", who);
    else
        detail(c, "%s: %s", who, r.diagnostic[0] ? r.diagnostic : "(no diagnostic)");

    for (int k = BM_RAM; k <= BM_ENERGY; k++) {
        if (!w->limit[k].set)
            continue;
        if (!(c = add(res, w->name, metric_names[k])))
            goto oom;
        c->unit = metric_units[k];
        c->decimals = metric_decimals[k];
        c->has_limit = true;
        c->limit = w->limit[k].value;
        c->estimate = k == BM_ENERGY;
        bool planned;
        if (!metric_value(&r, (enum budget_metric)k, &c->value, &planned)) {
            c->verdict = GATE_FAIL;
            detail(c, "not measured: run %lld stopped (%s)", (long long)r.id, r.status);
            continue;
        }
        if (k == BM_ENERGY && !rep_has_energy(&r)) {
            c->verdict = GATE_FAIL;
            detail(c, "not available: board '%s' has no energy model ([energy] in its board file)", r.board);
            continue;
        }
        c->has_value = true;
        judge(c);
        if (k == BM_ENERGY && c->verdict == GATE_FAIL) {
            /* Where the energy goes: the layer and the function to look at. */
            struct rep_run full;
            if (rep_load_run(db, id, true, &full, err, errlen))
                return named(db_name, err, errlen);
            rep_energy_hotspots(&full, true, c->detail, sizeof c->detail);
            rep_run_free(&full);
        } else if (planned)
            detail(c, "needed by the runtime's plan; run %lld stopped (%s)", (long long)r.id, r.status);
        else if (k == BM_FLASH && !rep_run_ok(&r))
            detail(c, "from the image and the model; run %lld stopped (%s)", (long long)r.id, r.status);
    }

    bool want_baseline = false;
    for (int k = BM_LATENCY_REGRESSION; k < BM_COUNT; k++)
        want_baseline = want_baseline || w->limit[k].set;
    if (!want_baseline)
        return 0;
    struct rep_run b;
    char note[1000] = "";
    int have = -1;
    if (!base->db)
        snprintf(note, sizeof note, "no baseline given (--baseline)");
    else if ((have = baseline_run(base, &m, &r, &b, note, sizeof note, err, errlen)) < 0)
        return -1;
    else if (have == 0 && !rep_run_ok(&b)) {
        snprintf(note, sizeof note, "no baseline: run %lld in %s is not ok (%s)", (long long)b.id, base->name, b.status);
        have = 1;
    }
    for (int k = BM_LATENCY_REGRESSION; k < BM_COUNT; k++) {
        if (!w->limit[k].set)
            continue;
        if (!(c = add(res, w->name, metric_names[k])))
            goto oom;
        c->unit = "%";
        c->decimals = 1;
        c->signed_value = true;
        c->has_limit = true;
        c->limit = w->limit[k].value;
        if (have != 0) {
            c->verdict = GATE_SKIP;
            detail(c, "%s", note);
            continue;
        }
        double now, then;
        bool planned;
        bool measured_now = metric_value(&r, (enum budget_metric)k, &now, &planned);
        metric_value(&b, (enum budget_metric)k, &then, &planned);
        int base_metric = k == BM_LATENCY_REGRESSION ? BM_LATENCY : k == BM_RAM_REGRESSION ? BM_RAM
                        : k == BM_FLASH_REGRESSION ? BM_FLASH : BM_ENERGY;
        const char *unit = metric_units[base_metric];
        int dec = metric_decimals[base_metric];
        if (!measured_now) {
            c->verdict = GATE_FAIL;
            detail(c, "not measured: run %lld stopped (%s)", (long long)r.id, r.status);
            continue;
        }
        if (k == BM_ENERGY_REGRESSION && (!rep_has_energy(&r) || !rep_has_energy(&b))) {
            c->verdict = GATE_SKIP;
            detail(c, "no energy model for board '%s'", rep_has_energy(&r) ? b.board : r.board);
            continue;
        }
        if (then <= 0) {
            c->verdict = GATE_SKIP;
            detail(c, "no baseline: run %lld in %s measured 0", (long long)b.id, base->name);
            continue;
        }
        c->has_value = true;
        c->value = 100.0 * (now - then) / then;
        judge(c);
        detail(c, "%s %s against %s %s in run %lld of %s", fmt_num(now, dec).s, unit, fmt_num(then, dec).s, unit,
               (long long)b.id, base->name);
    }
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    return -1;
}

int gate_evaluate(const struct budget *b, sqlite3 *db, const char *db_name, const struct gate_baseline *base,
                  struct gate_result *res, char *err, size_t errlen)
{
    memset(res, 0, sizeof *res);
    for (int i = 0; i < b->n; i++)
        if (check_workload(&b->w[i], db, db_name, base, res, err, errlen)) {
            gate_result_free(res);
            return -1;
        }
    res->workloads = b->n;
    for (int i = 0; i < res->n; i++) {
        switch (res->checks[i].verdict) {
        case GATE_PASS: res->passed++; break;
        case GATE_FAIL: res->failed++; break;
        case GATE_SKIP: res->skipped++; break;
        }
    }
    return 0;
}

void gate_result_free(struct gate_result *res)
{
    free(res->checks);
    memset(res, 0, sizeof *res);
}
