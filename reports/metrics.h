/*
 * metrics.h — the numbers every report, comparison and gate derives from a
 * stored run, defined once so that a table and a gate never disagree.
 *
 * Latency is the firmware's INFERENCE region when it marked one (the
 * runtime does), otherwise the whole run; energy likewise, and energy is
 * always an estimate from the board's energy model.  Flash is everything
 * the image places in flash: code, read-only data, .data initializers and
 * the model.  RAM is the measured peak (static + arena + stack).
 */
#ifndef MCUSIM_REPORTS_METRICS_H
#define MCUSIM_REPORTS_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "rundata.h"

/* The run completed and measured everything ("ok"). */
bool rep_run_ok(const struct rep_run *r);

/* Anything was simulated: false for a model judged not to fit before it
 * ran (its latency and energy are not measured). */
bool rep_ran(const struct rep_run *r);

/* A run judged before it ran whose model has an operator the runtime
 * lacks: its arena, and so the RAM it needs, is the least its tensors take. */
bool rep_ram_is_lower_bound(const struct rep_run *r);

uint64_t rep_latency_cycles(const struct rep_run *r);
uint64_t rep_latency_instructions(const struct rep_run *r);
double rep_latency_ms(const struct rep_run *r);
double rep_latency_energy_uj(const struct rep_run *r);
/* The board has an energy model: without one the profiler stores 0. */
bool rep_has_energy(const struct rep_run *r);
/* Average power over the latency scope, mW (estimated µJ / time): the
 * number to set against a measured power; 0 without an energy model. */
double rep_latency_power_mw(const struct rep_run *r);
/* Where the energy goes, for a line of text: the layer (or region) and the
 * function with the most estimated energy, each with its share, e.g.
 * "most energy: layer #2 CONV_2D 1,234.56 uJ (41.0%), function
 * conv_s8_ref 2,345.67 uJ self (78.1%)".  Needs the run loaded with its
 * details; writes "" when there is nothing to say. */
void rep_energy_hotspots(const struct rep_run *r, bool ascii, char *out, size_t len);
/* "inference" or "whole run": what the latency numbers cover. */
const char *rep_latency_scope(const struct rep_run *r);

uint64_t rep_flash_used(const struct rep_run *r);

/* RAM the run needs: the measured peak; for a run that stopped because the
 * model does not fit in RAM, static + the arena the runtime planned +
 * the stack measured until it stopped (what the board would have needed);
 * for one judged before it ran, the image's RAM around the arena (static
 * data, stack and guard) + the planned arena.  Sets *measured to false
 * when that number comes from the plan. */
uint64_t rep_ram_needed(const struct rep_run *r, bool *measured);

/* Layer rows (kind 'layer'); when the firmware marked none, its regions
 * (kind 'region').  Returns the count; *first_kind says which. */
int rep_table_rows(const struct rep_run *r, const struct rep_layer **rows, int max, const char **kind);

/* Multiply-accumulates of the run's layers. */
uint64_t rep_total_macs(const struct rep_run *r);

/* Cycles per millisecond at the run's clock (never 0). */
double rep_cycles_per_ms(const struct rep_run *r);

#endif
