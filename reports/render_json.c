/*
 * render_json.c — JSON for scripts: every stored column of the run with
 * derived numbers (latency, flash used) next to them, layers, functions.
 * Energy keys end in "_uj_est": the name itself says it is an estimate.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "metrics.h"
#include "render_impl.h"

static int emit(cJSON *root, FILE *out)
{
    char *text = root ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!text)
        return -1;
    fputs(text, out);
    fputc('\n', out);
    free(text);
    return 0;
}

static void num(cJSON *o, const char *k, double v)
{
    if (isfinite(v))
        cJSON_AddNumberToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static cJSON *run_object(const struct rep_run *r)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    num(o, "id", (double)r->id);
    cJSON_AddStringToObject(o, "started", r->started);
    cJSON_AddStringToObject(o, "tag", r->tag);
    cJSON_AddStringToObject(o, "board", r->board);
    cJSON_AddStringToObject(o, "core", r->core);
    num(o, "clock_hz", r->clock_hz);
    cJSON_AddStringToObject(o, "clock_source", r->clock_source[0] ? r->clock_source : "board");
    cJSON_AddStringToObject(o, "memory_timing_source", r->memory_timing_source[0] ? r->memory_timing_source : "board");
    cJSON_AddStringToObject(o, "model", r->model);
    cJSON_AddStringToObject(o, "model_sha256", r->model_sha256);
    cJSON_AddStringToObject(o, "firmware", r->firmware);
    cJSON_AddStringToObject(o, "firmware_sha256", r->firmware_sha256);
    cJSON_AddStringToObject(o, "input_sha256", r->input_sha256);
    cJSON_AddStringToObject(o, "runtime", r->runtime);
    cJSON_AddStringToObject(o, "kernels", r->kernels);
    cJSON_AddStringToObject(o, "run_key", r->run_key);
    cJSON_AddStringToObject(o, "mcusim_version", r->version);
    cJSON_AddStringToObject(o, "command_line", r->command_line);
    num(o, "host_wall_s", r->host_wall_s);
    num(o, "mips", r->mips);
    cJSON_AddStringToObject(o, "status", r->status);
    cJSON_AddStringToObject(o, "diagnostic", r->diagnostic);
    num(o, "exit_code", r->exit_code);
    cJSON *lat = cJSON_AddObjectToObject(o, "latency");
    cJSON_AddStringToObject(lat, "scope", rep_latency_scope(r));
    num(lat, "cycles", (double)rep_latency_cycles(r));
    num(lat, "instructions", (double)rep_latency_instructions(r));
    num(lat, "ms", rep_latency_ms(r));
    num(lat, "energy_uj_est", rep_latency_energy_uj(r));
    num(lat, "macs", (double)rep_total_macs(r));
    cJSON *whole = cJSON_AddObjectToObject(o, "whole_run");
    num(whole, "cycles", (double)r->cycles);
    num(whole, "instructions", (double)r->instructions);
    num(whole, "sim_time_s", r->sim_time_s);
    num(whole, "energy_uj_est", r->energy_uj);
    cJSON *inf = cJSON_AddObjectToObject(o, "inference");
    num(inf, "cycles", (double)r->inference_cycles);
    num(inf, "instructions", (double)r->inference_instructions);
    num(inf, "energy_uj_est", r->inference_energy_uj);
    cJSON *fl = cJSON_AddObjectToObject(o, "flash");
    num(fl, "code", (double)r->flash_code);
    num(fl, "rodata", (double)r->flash_rodata);
    num(fl, "model", (double)r->flash_model);
    num(fl, "data", (double)r->flash_data);
    num(fl, "used", (double)rep_flash_used(r));
    num(fl, "capacity", (double)r->flash_capacity);
    cJSON *ram = cJSON_AddObjectToObject(o, "ram");
    bool measured;
    uint64_t needed = rep_ram_needed(r, &measured);
    num(ram, "static", (double)r->ram_static);
    num(ram, "arena_planned", (double)r->ram_arena_planned);
    num(ram, "arena_used", (double)r->ram_arena_used);
    num(ram, "arena_capacity", (double)r->ram_arena_capacity);
    num(ram, "stack_peak", (double)r->ram_stack_peak);
    num(ram, "stack_capacity", (double)r->ram_stack_capacity);
    num(ram, "peak", (double)r->ram_peak);
    num(ram, "needed", (double)needed);
    cJSON_AddBoolToObject(ram, "needed_measured", measured);
    num(ram, "capacity", (double)r->ram_capacity);
    return o;
}

static cJSON *layer_object(const struct rep_layer *L)
{
    cJSON *l = cJSON_CreateObject();
    if (!l)
        return NULL;
    num(l, "seq", L->seq);
    if (L->index >= 0)
        num(l, "index", L->index);
    else
        cJSON_AddNullToObject(l, "index");
    cJSON_AddStringToObject(l, "kind", L->kind);
    num(l, "depth", L->depth);
    cJSON_AddStringToObject(l, "op", L->op);
    num(l, "op_code", L->op_code);
    cJSON_AddStringToObject(l, "kernel", L->kernel);
    cJSON_AddStringToObject(l, "shape", L->shape);
    num(l, "macs", (double)L->macs);
    num(l, "start_cycle", (double)L->start_cycle);
    num(l, "cycles", (double)L->cycles);
    num(l, "instructions", (double)L->instructions);
    num(l, "time_s", L->time_s);
    cJSON *mix = cJSON_AddObjectToObject(l, "mix");
    for (int k = 0; k < MIX_COUNT; k++)
        num(mix, rep_mix_names[k], (double)L->mix[k]);
    cJSON *mem = cJSON_AddObjectToObject(l, "accesses");
    num(mem, "loads_flash", (double)L->loads_flash);
    num(mem, "loads_ram", (double)L->loads_ram);
    num(mem, "loads_other", (double)L->loads_other);
    num(mem, "stores_flash", (double)L->stores_flash);
    num(mem, "stores_ram", (double)L->stores_ram);
    num(mem, "stores_other", (double)L->stores_other);
    num(l, "arena_planned", (double)L->arena_planned);
    num(l, "arena_used", (double)L->arena_used);
    num(l, "stack_peak", (double)L->stack_peak);
    num(l, "ram_peak", (double)L->ram_peak);
    num(l, "energy_uj_est", L->energy_uj);
    return l;
}

int json_report(const struct rep_run *r, const struct rep_options *o, FILE *out)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return -1;
    cJSON_AddItemToObject(root, "run", run_object(r));
    cJSON *layers = cJSON_AddArrayToObject(root, "layers");
    for (int i = 0; i < r->n_layers; i++)
        cJSON_AddItemToArray(layers, layer_object(&r->layers[i]));
    cJSON *fns = cJSON_AddArrayToObject(root, "functions");
    for (int i = 0; i < r->n_functions && i < o->top_functions; i++) {
        const struct rep_function *f = &r->functions[i];
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "name", f->name);
        num(j, "address", f->address);
        cJSON_AddStringToObject(j, "file", f->file);
        num(j, "line", f->line);
        num(j, "self_cycles", (double)f->self_cycles);
        num(j, "total_cycles", (double)f->total_cycles);
        num(j, "self_instructions", (double)f->self_instructions);
        num(j, "total_instructions", (double)f->total_instructions);
        num(j, "calls", (double)f->calls);
        if (rep_has_energy(r)) {
            num(j, "self_energy_uj_est", f->self_energy_uj);
            num(j, "total_energy_uj_est", f->total_energy_uj);
        }
        cJSON_AddItemToArray(fns, j);
    }
    return emit(root, out);
}

/* The labels of the best runs (several when tied; empty: not ranked). */
static cJSON *best_array(unsigned best, int n)
{
    cJSON *a = cJSON_CreateArray();
    for (int k = 0; k < n && a; k++)
        if (best & (1u << k)) {
            char label[2] = {cmp_label(k), 0};
            cJSON_AddItemToArray(a, cJSON_CreateString(label));
        }
    return a;
}

int json_compare(const struct rep_compare *c, FILE *out)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return -1;
    cJSON *runs = cJSON_AddArrayToObject(root, "runs");
    for (int k = 0; k < c->n; k++) {
        cJSON *r = run_object(c->runs[k]);
        char label[2] = {cmp_label(k), 0};
        cJSON_AddStringToObject(r, "label", label);
        cJSON_AddItemToArray(runs, r);
    }
    cJSON *totals = cJSON_AddArrayToObject(root, "totals");
    for (int i = 0; i < c->n_totals; i++) {
        const struct cmp_total *m = &c->totals[i];
        cJSON *t = cJSON_CreateObject();
        cJSON_AddStringToObject(t, "metric", m->energy ? "energy_uj_est" : m->name);
        cJSON_AddStringToObject(t, "unit", m->energy ? "uJ" : m->unit);
        cJSON *v = cJSON_AddArrayToObject(t, "values");
        cJSON *d = cJSON_AddArrayToObject(t, "delta");
        cJSON *p = cJSON_AddArrayToObject(t, "delta_pct");
        for (int k = 0; k < c->n; k++) {
            cJSON_AddItemToArray(v, m->valid[k] ? cJSON_CreateNumber(m->v[k]) : cJSON_CreateNull());
            double dk = k ? cmp_delta(m, k) : 0, pk = k ? cmp_delta_pct(m, k) : 0;
            cJSON_AddItemToArray(d, isfinite(dk) ? cJSON_CreateNumber(dk) : cJSON_CreateNull());
            cJSON_AddItemToArray(p, isfinite(pk) ? cJSON_CreateNumber(pk) : cJSON_CreateNull());
        }
        cJSON_AddItemToObject(t, "best", best_array(m->best, c->n));
        cJSON_AddItemToArray(totals, t);
    }
    cJSON_AddBoolToObject(root, "graphs_agree", c->graphs_agree);
    cJSON *layers = cJSON_AddArrayToObject(root, "layers");
    for (int i = 0; i < c->n_layers; i++) {
        const struct cmp_layer *L = &c->layers[i];
        cJSON *l = cJSON_CreateObject();
        num(l, "index", L->index);
        cJSON_AddStringToObject(l, "op", L->op);
        cJSON *kern = cJSON_AddArrayToObject(l, "kernels");
        cJSON *shape = cJSON_AddArrayToObject(l, "shapes");
        cJSON *cyc = cJSON_AddArrayToObject(l, "cycles");
        cJSON *en = cJSON_AddArrayToObject(l, "energy_uj_est");
        for (int k = 0; k < c->n; k++) {
            cJSON_AddItemToArray(kern, cJSON_CreateString(L->kernel[k]));
            cJSON_AddItemToArray(shape, cJSON_CreateString(L->shape[k]));
            cJSON_AddItemToArray(cyc, cJSON_CreateNumber(L->cycles[k]));
            cJSON_AddItemToArray(en, cJSON_CreateNumber(L->energy_uj[k]));
        }
        cJSON_AddItemToObject(l, "best", best_array(L->best, c->n));
        cJSON_AddItemToArray(layers, l);
    }
    return emit(root, out);
}

int json_runs(const struct rep_run *runs, int n, FILE *out)
{
    cJSON *root = cJSON_CreateArray();
    if (!root)
        return -1;
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(root, run_object(&runs[i]));
    return emit(root, out);
}
