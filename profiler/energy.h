/*
 * energy.h — the energy estimate of a stretch of execution, from the
 * board's energy model ([energy] in the board file).
 *
 * E = V · (I_run · t_active + I_sleep · t_sleep) + flash data reads · E_flash
 *     + multiply/DSP instructions · E_mul + FPU instructions · E_fpu
 * where I_run = run_ua_per_mhz · f is the datasheet's active current with
 * code running from flash (cache enabled), and the per-event terms add the
 * cost of what a datasheet average does not show: weights streamed from
 * flash, multiplier and FPU activity.  It is an estimate, and every report
 * says so; docs/energy.md gives the derivation, the per-board sources and
 * what it leaves out.
 *
 * The two halves are exposed so that a stretch whose cycles and events are
 * counted apart (a function's self time and its instructions, a call's
 * duration and the events in it) is estimated with the same coefficients.
 */
#ifndef MCUSIM_ENERGY_H
#define MCUSIM_ENERGY_H

#include <stdbool.h>
#include <stdint.h>

#include "board.h"
#include "sim.h"

struct energy_counts {
    uint64_t active_cycles;
    uint64_t sleep_cycles;
    uint64_t flash_loads;
    uint64_t classes[CLASS_COUNT];
};

/* Microjoules; 0 when the board has no energy model. */
double energy_uj(const struct board *b, const struct energy_counts *c);

/* The base part: active cycles at the run current, sleep cycles at the
 * sleep current (µJ). */
double energy_time_uj(const struct board *b, uint64_t active_cycles, uint64_t sleep_cycles);

/* The per-event part: flash data reads, multiply/DSP and FPU instructions
 * beyond the average the run current covers (µJ). */
double energy_events_uj(const struct board *b, uint64_t flash_loads, uint64_t mul_dsp, uint64_t fpu);

/* Average supply current in mA of a stretch that took `seconds` and an
 * estimated `uj`: what a bench supply would read, to set against a
 * datasheet's run current.  0 without an energy model. */
double energy_average_ma(const struct board *b, double uj, double seconds);

bool energy_modelled(const struct board *b);

#endif
