/*
 * metrics.c — derived numbers of a run (see metrics.h).
 */
#include "metrics.h"

#include <string.h>

bool rep_run_ok(const struct rep_run *r)
{
    return !strcmp(r->status, "ok");
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
