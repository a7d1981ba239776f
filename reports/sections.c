/*
 * sections.c — the content of a run report (see sections.h).
 */
#include "sections.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "metrics.h"

const char *sec_uj(bool ascii)
{
    return ascii ? "uJ" : "µJ";
}

static double pct(double part, double whole)
{
    return whole > 0 ? 100.0 * part / whole : 0;
}

void sec_title(const struct rep_run *r, char *out, size_t len)
{
    const char *what = r->model[0] ? rep_basename(r->model) : rep_basename(r->firmware);
    int n = snprintf(out, len, "%s on %s (%s, %s%s)", what, r->board, r->core, fmt_mhz(r->clock_hz).s,
                     r->clock_source[0] ? " set by the firmware" : "");
    if (r->kernels[0] && n > 0 && (size_t)n < len)
        n += snprintf(out + n, len - (size_t)n, ", %s%skernels %s", r->runtime, r->runtime[0] ? " runtime, " : "",
                      r->kernels);
    if (r->memory_timing_source[0] && n > 0 && (size_t)n < len)
        snprintf(out + n, len - (size_t)n, ", memory timing set by the firmware (%s)", r->memory_timing_source);
}

void sec_identity(const struct rep_run *r, char *out, size_t len)
{
    out[0] = '\0';
    if (r->id > 0)
        snprintf(out, len, "run %lld", (long long)r->id);
    if (r->tag[0]) {
        size_t used = strlen(out);
        snprintf(out + used, len - used, "%stag %s", used ? ", " : "", r->tag);
    }
}

int sec_host_lines(const struct rep_run *r, char lines[][1200], int max)
{
    int n = 0;
    if (n < max && !rep_ran(r))
        snprintf(lines[n++], 1200, "host: started %s, nothing simulated, mcusim %s", r->started, r->version);
    else if (n < max)
        snprintf(lines[n++], 1200, "host: started %s, simulated in %.2f s on the host (%.1f MIPS), mcusim %s",
                 r->started, r->host_wall_s, r->mips, r->version);
    if (n < max && r->model[0])
        snprintf(lines[n++], 1200, "host: model %s", r->model);
    if (n < max)
        snprintf(lines[n++], 1200, "host: firmware %s", r->firmware);
    return n;
}

static void energy_text(const struct rep_run *r, double uj, bool ascii, char *out, size_t len)
{
    if (rep_has_energy(r))
        snprintf(out, len, "%s %s (est.)", fmt_num(uj, 2).s, sec_uj(ascii));
    else
        snprintf(out, len, "energy not estimated (board %s has no energy model)", r->board);
}

int sec_summary_lines(const struct rep_run *r, bool ascii, char lines[][512], int max)
{
    int n = 0;
    if (!rep_ran(r)) {
        const char *why = !strcmp(r->status, "nofit") ? "the model does not fit the board" : r->status;
        if (n < max)
            snprintf(lines[n++], 512, "latency: not measured (nothing ran: %s)", why);
        if (n < max)
            snprintf(lines[n++], 512, "energy: not measured");
        return n;
    }
    double cpm = rep_cycles_per_ms(r);
    char e[160];
    if (r->inference_cycles && n < max) {
        energy_text(r, r->inference_energy_uj, ascii, e, sizeof e);
        snprintf(lines[n++], 512, "inference: %s cycles = %s ms at %s, %s instructions, %s",
                 fmt_int(r->inference_cycles).s, fmt_num(r->inference_cycles / cpm, 3).s,
                 fmt_mhz(r->clock_hz).s, fmt_int(r->inference_instructions).s, e);
    }
    if (n < max) {
        energy_text(r, r->energy_uj, ascii, e, sizeof e);
        snprintf(lines[n++], 512, "whole run: %s cycles = %s ms at %s, %s instructions, %s",
                 fmt_int(r->cycles).s, fmt_num(r->cycles / cpm, 3).s, fmt_mhz(r->clock_hz).s,
                 fmt_int(r->instructions).s, e);
    }
    return n;
}

static void cycles_per_mac(struct table *t, uint64_t cycles, uint64_t macs)
{
    if (macs)
        table_cell(t, "%s", fmt_num((double)cycles / (double)macs, 2).s);
    else
        table_cell(t, "-");
}

int sec_layers(const struct rep_run *r, bool ascii, struct table *t)
{
    table_init(t, "rlclrrrrrrr");
    const struct rep_layer **rows = calloc((size_t)r->n_layers + 1, sizeof *rows);
    const char *kind = "layer";
    int n = rows ? rep_table_rows(r, rows, r->n_layers, &kind) : 0;
    bool layers = !strcmp(kind, "layer");
    table_row(t, 0);
    table_cell(t, "#");
    table_cell(t, layers ? "op" : "region");
    table_cell(t, "kernel");
    table_cell(t, "shape");
    table_cell(t, "MACs");
    table_cell(t, "cycles");
    table_cell(t, "%%");
    table_cell(t, "cycles/MAC");
    table_cell(t, "ms");
    table_cell(t, "RAM KB");
    table_cell(t, "energy %s (est.)", sec_uj(ascii));

    uint64_t total = rep_latency_cycles(r);
    double cpm = rep_cycles_per_ms(r);
    bool energy = rep_has_energy(r);
    uint64_t sum_cycles = 0, sum_macs = 0;
    double sum_energy = 0;
    for (int i = 0; i < n; i++) {
        const struct rep_layer *L = rows[i];
        table_row(t, 0);
        table_cell(t, "%d", layers ? L->index : L->seq);
        table_cell(t, "%s", L->op);
        table_cell(t, "%s", L->kernel);
        table_cell(t, "%s", L->shape);
        table_cell(t, "%s", L->macs ? fmt_int(L->macs).s : "-");
        table_cell(t, "%s", fmt_int(L->cycles).s);
        table_cell(t, "%s", fmt_pct(pct((double)L->cycles, (double)total)).s);
        cycles_per_mac(t, L->cycles, L->macs);
        table_cell(t, "%s", fmt_num(L->cycles / cpm, 3).s);
        table_cell(t, "%s", fmt_kb(L->ram_peak).s);
        table_cell(t, "%s", energy ? fmt_num(L->energy_uj, 2).s : "-");
        sum_cycles += L->cycles;
        sum_macs += L->macs;
        sum_energy += L->energy_uj;
    }
    free(rows);
    /* The interpreter's own cycles between and around the layers: the
     * part of the total that no layer row shows. */
    if (n && layers && r->inference_cycles >= sum_cycles) {
        uint64_t outside = r->inference_cycles - sum_cycles;
        double e = rep_latency_energy_uj(r) - sum_energy;
        table_row(t, ROW_MUTED);
        table_cell(t, "%s", "");
        table_cell(t, "outside layers");
        table_cell(t, "%s", "");
        table_cell(t, "%s", "");
        table_cell(t, "%s", "");
        table_cell(t, "%s", fmt_int(outside).s);
        table_cell(t, "%s", fmt_pct(pct((double)outside, (double)total)).s);
        table_cell(t, "%s", "");
        table_cell(t, "%s", fmt_num(outside / cpm, 3).s);
        table_cell(t, "%s", "");
        table_cell(t, "%s", energy ? fmt_num(e > 0 ? e : 0, 2).s : "-");
    }
    if (n) {
        table_row(t, ROW_TOTAL);
        table_cell(t, "%s", "");
        table_cell(t, "%s", rep_latency_scope(r));
        table_cell(t, "%s", "");
        table_cell(t, "%s", "");
        table_cell(t, "%s", sum_macs ? fmt_int(sum_macs).s : "-");
        table_cell(t, "%s", fmt_int(total).s);
        table_cell(t, "%s", fmt_pct(100).s);
        cycles_per_mac(t, total, sum_macs);
        table_cell(t, "%s", fmt_num(total / cpm, 3).s);
        table_cell(t, "%s", fmt_kb(r->ram_peak).s);
        table_cell(t, "%s", energy ? fmt_num(rep_latency_energy_uj(r), 2).s : "-");
    }
    return n;
}

static void mem_row(struct table *t, int flags, const char *what, uint64_t bytes, uint64_t capacity,
                    const char *note)
{
    table_row(t, flags);
    table_cell(t, "%s", what);
    table_cell(t, "%s", fmt_kb(bytes).s);
    table_cell(t, "%s", fmt_pct(pct((double)bytes, (double)capacity)).s);
    table_cell(t, "%s", note);
}

void sec_flash(const struct rep_run *r, char *headline, size_t len, struct table *t)
{
    uint64_t used = rep_flash_used(r), cap = r->flash_capacity;
    snprintf(headline, len, "flash: %s KB of %s KB (%s)%s", fmt_kb(used).s, fmt_kb(cap).s,
             fmt_pct(pct((double)used, (double)cap)).s, used > cap ? ", does not fit" : "");
    table_init(t, "lrrl");
    table_row(t, 0);
    table_cell(t, "flash");
    table_cell(t, "KB");
    table_cell(t, "%% of flash");
    table_cell(t, "%s", "");
    mem_row(t, 0, "code", r->flash_code, cap, "");
    mem_row(t, 0, "rodata", r->flash_rodata, cap, "");
    mem_row(t, 0, "model", r->flash_model, cap, "");
    mem_row(t, 0, "data init", r->flash_data, cap, ".data initial values");
    mem_row(t, ROW_TOTAL, "used", used, cap, "");
    if (used <= cap)
        mem_row(t, ROW_TOTAL, "free", cap - used, cap, "");
    else
        mem_row(t, ROW_TOTAL, "over", used - cap, cap, "more than the board has");
}

/* RAM of a run judged before it ran: the arena against the image's room
 * (the firmware's plan, or when the runtime cannot run the model the least
 * it would need; the diagnostic says which). */
static void sec_ram_planned(const struct rep_run *r, uint64_t needed, char *headline, size_t len, struct table *t)
{
    uint64_t cap = r->ram_capacity;
    bool at_least = rep_ram_is_lower_bound(r);
    snprintf(headline, len, "RAM: needs %s%s KB of %s KB (%s)%s; nothing ran", at_least ? "at least " : "",
             fmt_kb(needed).s, fmt_kb(cap).s, fmt_pct(pct((double)needed, (double)cap)).s, needed > cap ? ", does not fit" : "");
    table_init(t, "lrrl");
    table_row(t, 0);
    table_cell(t, "RAM");
    table_cell(t, "KB");
    table_cell(t, "%% of RAM");
    table_cell(t, "%s", "");
    uint64_t around = cap - r->ram_arena_capacity;
    uint64_t stack = around > r->ram_static ? around - r->ram_static : 0;
    mem_row(t, 0, "static", around - stack, cap, ".data + .bss");
    char note[256];
    snprintf(note, sizeof note, "%s; %s KB available",
             at_least ? "at least: the runtime cannot run the model" : "before running",
             fmt_kb(r->ram_arena_capacity).s);
    mem_row(t, 0, "arena", r->ram_arena_planned, cap, note);
    snprintf(note, sizeof note, "%s KB reserved, with its guard", fmt_kb(r->ram_stack_capacity).s);
    mem_row(t, 0, "stack", stack, cap, note);
    mem_row(t, ROW_TOTAL, "needed", needed, cap, "static + arena + stack");
    if (needed <= cap)
        mem_row(t, ROW_TOTAL, "free", cap - needed, cap, "");
    else
        mem_row(t, ROW_TOTAL, "over", needed - cap, cap, "more than the board has");
}

void sec_ram(const struct rep_run *r, char *headline, size_t len, struct table *t)
{
    uint64_t cap = r->ram_capacity;
    bool measured;
    uint64_t needed = rep_ram_needed(r, &measured);
    if (!rep_ran(r) && !measured) {
        sec_ram_planned(r, needed, headline, len, t);
        return;
    }
    if (measured)
        snprintf(headline, len, "RAM: peak %s KB of %s KB (%s)", fmt_kb(r->ram_peak).s, fmt_kb(cap).s,
                 fmt_pct(pct((double)r->ram_peak, (double)cap)).s);
    else
        snprintf(headline, len, "RAM: needs %s KB of %s KB (%s) by the runtime's plan; measured %s KB before it stopped",
                 fmt_kb(needed).s, fmt_kb(cap).s, fmt_pct(pct((double)needed, (double)cap)).s,
                 fmt_kb(r->ram_peak).s);
    table_init(t, "lrrl");
    table_row(t, 0);
    table_cell(t, "RAM");
    table_cell(t, "KB");
    table_cell(t, "%% of RAM");
    table_cell(t, "%s", "");
    mem_row(t, 0, "static", r->ram_static, cap, ".data + .bss");
    char note[256];
    snprintf(note, sizeof note, "measured; planned %s KB of %s KB available", fmt_kb(r->ram_arena_planned).s,
             fmt_kb(r->ram_arena_capacity).s);
    mem_row(t, 0, "arena", r->ram_arena_used, cap, note);
    snprintf(note, sizeof note, "peak measured; %s KB reserved", fmt_kb(r->ram_stack_capacity).s);
    mem_row(t, 0, "stack", r->ram_stack_peak, cap, note);
    mem_row(t, ROW_TOTAL, "peak", r->ram_peak, cap, "static + arena + stack");
    if (!measured)
        mem_row(t, ROW_TOTAL, "needed", needed, cap, "static + planned arena + stack");
    if (needed <= cap)
        mem_row(t, ROW_TOTAL, "free", cap - needed, cap, "");
    else
        mem_row(t, ROW_TOTAL, "over", needed - cap, cap, "more than the board has");
}

void sec_functions(const struct rep_run *r, int top, bool ascii, struct table *t)
{
    bool energy = rep_has_energy(r);
    table_init(t, energy ? "crrrrrrl" : "crrrrl");
    table_row(t, 0);
    table_cell(t, "function");
    table_cell(t, "self cycles");
    table_cell(t, "%% of run");
    table_cell(t, "total cycles");
    table_cell(t, "calls");
    if (energy) {
        table_cell(t, "self %s (est.)", sec_uj(ascii));
        table_cell(t, "total %s (est.)", sec_uj(ascii));
    }
    table_cell(t, "source");
    for (int i = 0; i < r->n_functions && i < top; i++) {
        const struct rep_function *f = &r->functions[i];
        table_row(t, 0);
        table_cell(t, "%s", f->name);
        table_cell(t, "%s", fmt_int(f->self_cycles).s);
        table_cell(t, "%s", fmt_pct(pct((double)f->self_cycles, (double)r->cycles)).s);
        table_cell(t, "%s", fmt_int(f->total_cycles).s);
        table_cell(t, "%s", fmt_int(f->calls).s);
        if (energy) {
            table_cell(t, "%s", fmt_num(f->self_energy_uj, 2).s);
            table_cell(t, "%s", fmt_num(f->total_energy_uj, 2).s);
        }
        /* The file name only: DWARF paths are relative to wherever the
         * firmware was built, which differs between machines. */
        if (f->file[0])
            table_cell(t, "%s:%d", rep_basename(f->file), f->line);
        else
            table_cell(t, "%s", "");
    }
}
