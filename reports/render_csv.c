/*
 * render_csv.c — CSV for scripts: raw numbers (bytes, cycles, ms,
 * microjoules) without grouping, one header line, RFC 4180 quoting.
 *   report:  one row per layer (kind 'layer', or 'region' for firmware
 *            without layers), then one totals row (kind 'inference' or
 *            'run'); run-wide columns repeat on every row.
 *   compare: rows 'run' (who A, B... are), 'total' per metric, 'layer'
 *            per matched layer (cycles).
 *   runs:    one row per run.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "fmt.h"
#include "metrics.h"
#include "render_impl.h"

static void field(FILE *out, const char *s, bool last)
{
    fput_csv(out, s);
    fputc(last ? '\n' : ',', out);
}

static void number(FILE *out, double v, int decimals, bool last)
{
    if (isfinite(v))
        fprintf(out, "%.*f", decimals, v);
    fputc(last ? '\n' : ',', out);
}

static void integer(FILE *out, uint64_t v, bool last)
{
    fprintf(out, "%llu%c", (unsigned long long)v, last ? '\n' : ',');
}

static void run_columns(const struct rep_run *r, FILE *out)
{
    fprintf(out, "%lld,", (long long)r->id);
    field(out, r->tag, false);
    field(out, r->board, false);
    field(out, r->runtime, false);
    field(out, r->kernels, false);
    field(out, r->model[0] ? r->model : r->firmware, false);
    field(out, r->status, false);
}

int csv_report(const struct rep_run *r, const struct rep_options *o, FILE *out)
{
    fputs("run_id,tag,board,runtime,kernels,model,status,kind,index,op,kernel,shape,macs,cycles,pct_of_total,"
          "cycles_per_mac,time_ms,instructions,ram_peak_bytes,arena_used_bytes,stack_peak_bytes,energy_uj_est\n",
          out);
    const struct rep_layer **rows = calloc((size_t)r->n_layers + 1, sizeof *rows);
    const char *kind = "layer";
    int n = rows ? rep_table_rows(r, rows, r->n_layers, &kind) : 0;
    uint64_t total = rep_latency_cycles(r);
    double cpm = rep_cycles_per_ms(r);
    for (int i = 0; i < n; i++) {
        const struct rep_layer *L = rows[i];
        run_columns(r, out);
        field(out, L->kind, false);
        fprintf(out, "%d,", L->index >= 0 ? L->index : L->seq);
        field(out, L->op, false);
        field(out, L->kernel, false);
        field(out, L->shape, false);
        integer(out, L->macs, false);
        integer(out, L->cycles, false);
        number(out, total ? 100.0 * (double)L->cycles / (double)total : 0, 3, false);
        number(out, L->macs ? (double)L->cycles / (double)L->macs : NAN, 3, false);
        number(out, L->cycles / cpm, 6, false);
        integer(out, L->instructions, false);
        integer(out, L->ram_peak, false);
        integer(out, L->arena_used, false);
        integer(out, L->stack_peak, false);
        number(out, L->energy_uj, 4, true);
    }
    free(rows);
    uint64_t macs = rep_total_macs(r);
    run_columns(r, out);
    field(out, r->inference_cycles ? "inference" : "run", false);
    fputs(",,,,", out);
    integer(out, macs, false);
    integer(out, total, false);
    number(out, 100, 3, false);
    number(out, macs ? (double)total / (double)macs : NAN, 3, false);
    number(out, rep_latency_ms(r), 6, false);
    integer(out, rep_latency_instructions(r), false);
    integer(out, r->ram_peak, false);
    integer(out, r->ram_arena_used, false);
    integer(out, r->ram_stack_peak, false);
    number(out, rep_latency_energy_uj(r), 4, true);
    return 0;
}

static void best_column(FILE *out, unsigned best, const bool *valid, int n)
{
    char text[32];
    cmp_best_text(best, valid, n, text, sizeof text);
    fprintf(out, ",%s\n", text);
}

int csv_compare(const struct rep_compare *c, FILE *out)
{
    fputs("section,name,index,op", out);
    for (int k = 0; k < c->n; k++)
        fprintf(out, ",%c", cmp_label(k));
    for (int k = 1; k < c->n; k++)
        fprintf(out, ",%c_minus_A,%c_minus_A_pct", cmp_label(k), cmp_label(k));
    fputs(",best\n", out);

    static const char *const who[] = {"id", "tag", "model", "board", "runtime", "kernels", "status"};
    for (size_t w = 0; w < sizeof who / sizeof who[0]; w++) {
        fprintf(out, "run,%s,,", who[w]);
        for (int k = 0; k < c->n; k++) {
            const struct rep_run *r = c->runs[k];
            char id[32];
            snprintf(id, sizeof id, "%lld", (long long)r->id);
            const char *v = w == 0 ? id : w == 1 ? r->tag : w == 2 ? (r->model[0] ? r->model : r->firmware)
                          : w == 3 ? r->board : w == 4 ? r->runtime : w == 5 ? r->kernels : r->status;
            fputc(',', out);
            fput_csv(out, v);
        }
        for (int k = 1; k < c->n; k++)
            fputs(",,", out);
        fputs(",\n", out);
    }
    for (int i = 0; i < c->n_totals; i++) {
        const struct cmp_total *m = &c->totals[i];
        char name[64];
        if (m->energy)
            snprintf(name, sizeof name, "energy_uj_est");
        else
            snprintf(name, sizeof name, "%s%s%s", m->name, m->unit[0] ? "_" : "", m->unit);
        for (char *p = name; *p; p++)
            if (*p == ' ' || *p == '/')
                *p = '_';
        fprintf(out, "total,%s,,", name);
        for (int k = 0; k < c->n; k++) {
            fputc(',', out);
            if (m->valid[k])
                fprintf(out, "%.*f", m->decimals + 3, m->v[k]);
        }
        for (int k = 1; k < c->n; k++) {
            double d = cmp_delta(m, k), p = cmp_delta_pct(m, k);
            fputc(',', out);
            if (isfinite(d))
                fprintf(out, "%.*f", m->decimals + 3, d);
            fputc(',', out);
            if (isfinite(p))
                fprintf(out, "%.3f", p);
        }
        best_column(out, m->best, m->valid, c->n);
    }
    for (int i = 0; i < c->n_layers; i++) {
        const struct cmp_layer *L = &c->layers[i];
        fprintf(out, "layer,cycles,%d,", L->index);
        fput_csv(out, L->op);
        for (int k = 0; k < c->n; k++)
            fprintf(out, ",%.0f", L->cycles[k]);
        for (int k = 1; k < c->n; k++) {
            fprintf(out, ",%.0f,", L->cycles[k] - L->cycles[0]);
            if (L->cycles[0])
                fprintf(out, "%.3f", 100.0 * (L->cycles[k] - L->cycles[0]) / L->cycles[0]);
        }
        static const bool all[CMP_MAX_RUNS] = {true, true, true, true, true, true, true, true};
        best_column(out, L->best, all, c->n);
    }
    return 0;
}

int csv_runs(const struct rep_run *runs, int n, FILE *out)
{
    fputs("id,started,tag,board,core,clock_hz,model,firmware,runtime,kernels,status,diagnostic,latency_cycles,"
          "latency_ms,instructions,energy_uj_est,ram_peak_bytes,ram_capacity_bytes,flash_used_bytes,"
          "flash_capacity_bytes\n",
          out);
    for (int i = 0; i < n; i++) {
        const struct rep_run *r = &runs[i];
        fprintf(out, "%lld,", (long long)r->id);
        field(out, r->started, false);
        field(out, r->tag, false);
        field(out, r->board, false);
        field(out, r->core, false);
        integer(out, r->clock_hz, false);
        field(out, r->model, false);
        field(out, r->firmware, false);
        field(out, r->runtime, false);
        field(out, r->kernels, false);
        field(out, r->status, false);
        field(out, r->diagnostic, false);
        integer(out, rep_latency_cycles(r), false);
        number(out, rep_latency_ms(r), 6, false);
        integer(out, rep_latency_instructions(r), false);
        number(out, rep_latency_energy_uj(r), 4, false);
        integer(out, r->ram_peak, false);
        integer(out, r->ram_capacity, false);
        integer(out, rep_flash_used(r), false);
        integer(out, r->flash_capacity, true);
    }
    return 0;
}
