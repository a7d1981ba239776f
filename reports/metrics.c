/*
 * metrics.c — derived numbers of a run (see metrics.h).
 */
#include "metrics.h"

#include <stdlib.h>
#include <string.h>

#include "fmt.h"

bool rep_run_ok(const struct rep_run *r)
{
    return !strcmp(r->status, "ok");
}

bool rep_ran(const struct rep_run *r)
{
    return r->instructions > 0;
}

bool rep_ram_is_lower_bound(const struct rep_run *r)
{
    /* The database keeps only the profiler's diagnostic for such a run;
     * its wording is the profiler's (fit_verdict_text). */
    return !rep_ran(r) && strstr(r->diagnostic, "the runtime cannot run it") != NULL;
}

uint64_t rep_latency_cycles(const struct rep_run *r)
{
    return r->inference_cycles ? r->inference_cycles : r->cycles;
}

uint64_t rep_latency_instructions(const struct rep_run *r)
{
    return r->inference_cycles ? r->inference_instructions : r->instructions;
}

double rep_cycles_per_ms(const struct rep_run *r)
{
    return r->clock_hz ? r->clock_hz / 1e3 : 1e3;
}

double rep_latency_ms(const struct rep_run *r)
{
    return (double)rep_latency_cycles(r) / rep_cycles_per_ms(r);
}

double rep_latency_energy_uj(const struct rep_run *r)
{
    return r->inference_cycles ? r->inference_energy_uj : r->energy_uj;
}

bool rep_has_energy(const struct rep_run *r)
{
    return r->energy_uj > 0;
}

double rep_latency_power_mw(const struct rep_run *r)
{
    double ms = rep_latency_ms(r);
    return rep_has_energy(r) && ms > 0 ? rep_latency_energy_uj(r) / ms : 0; /* µJ/ms = mW */
}

void rep_energy_hotspots(const struct rep_run *r, bool ascii, char *out, size_t len)
{
    out[0] = 0;
    if (!rep_has_energy(r))
        return;
    double whole = rep_latency_energy_uj(r);
    const char *uj = ascii ? "uJ" : "µJ";
    const struct rep_layer **rows = calloc((size_t)r->n_layers + 1, sizeof *rows);
    const char *kind = "layer";
    int n = rows ? rep_table_rows(r, rows, r->n_layers, &kind) : 0;
    const struct rep_layer *top = NULL;
    for (int i = 0; i < n; i++)
        if (!top || rows[i]->energy_uj > top->energy_uj)
            top = rows[i];
    size_t used = 0;
    if (top) {
        char name[160];
        if (top->index >= 0)
            snprintf(name, sizeof name, "%s #%d %s", kind, top->index, top->op);
        else
            snprintf(name, sizeof name, "%s %s", kind, top->op);
        used = (size_t)snprintf(out, len, "most energy: %s %s %s (%s)", name, fmt_num(top->energy_uj, 2).s, uj,
                                fmt_pct(whole > 0 ? 100.0 * top->energy_uj / whole : 0).s);
    }
    free(rows);
    const struct rep_function *fn = NULL;
    for (int i = 0; i < r->n_functions; i++)
        if (!fn || r->functions[i].self_energy_uj > fn->self_energy_uj)
            fn = &r->functions[i];
    if (fn && fn->self_energy_uj > 0 && used < len)
        snprintf(out + used, len - used, "%sfunction %s %s %s self (%s of the run)", used ? ", " : "most energy: ",
                 fn->name, fmt_num(fn->self_energy_uj, 2).s, uj,
                 fmt_pct(r->energy_uj > 0 ? 100.0 * fn->self_energy_uj / r->energy_uj : 0).s);
}

const char *rep_latency_scope(const struct rep_run *r)
{
    return r->inference_cycles ? "inference" : "whole run";
}

uint64_t rep_flash_used(const struct rep_run *r)
{
    return r->flash_code + r->flash_rodata + r->flash_data + r->flash_model;
}

uint64_t rep_ram_needed(const struct rep_run *r, bool *measured)
{
    if (!rep_ran(r) && r->ram_arena_capacity && r->ram_arena_capacity <= r->ram_capacity) {
        *measured = false;
        return (uint64_t)r->ram_capacity - r->ram_arena_capacity + r->ram_arena_planned;
    }
    uint64_t planned = r->ram_static + r->ram_arena_planned + r->ram_stack_peak;
    if (!rep_run_ok(r) && planned > r->ram_peak) {
        *measured = false;
        return planned;
    }
    *measured = true;
    return r->ram_peak;
}

int rep_table_rows(const struct rep_run *r, const struct rep_layer **rows, int max, const char **kind)
{
    int n = 0;
    *kind = "layer";
    for (int i = 0; i < r->n_layers && n < max; i++)
        if (!strcmp(r->layers[i].kind, "layer"))
            rows[n++] = &r->layers[i];
    if (n)
        return n;
    *kind = "region";
    for (int i = 0; i < r->n_layers && n < max; i++)
        if (!strcmp(r->layers[i].kind, "region"))
            rows[n++] = &r->layers[i];
    return n;
}

uint64_t rep_total_macs(const struct rep_run *r)
{
    uint64_t macs = 0;
    for (int i = 0; i < r->n_layers; i++)
        if (!strcmp(r->layers[i].kind, "layer"))
            macs += r->layers[i].macs;
    return macs;
}
