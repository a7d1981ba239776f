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
 * says so; README "Energy model" gives the derivation and what it ignores.
 */
#ifndef MCUSIM_ENERGY_H
#define MCUSIM_ENERGY_H

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

#endif
