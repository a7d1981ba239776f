/*
 * energy.c — see energy.h.
 */
#include "energy.h"

bool energy_modelled(const struct board *b)
{
    return b->energy.present && b->clock_hz;
}

double energy_time_uj(const struct board *b, uint64_t active_cycles, uint64_t sleep_cycles)
{
    const struct board_energy *e = &b->energy;
    if (!energy_modelled(b))
        return 0;
    double mhz = b->clock_hz / 1e6;
    double t_active = (double)active_cycles / b->clock_hz;
    double t_sleep = (double)sleep_cycles / b->clock_hz;
    /* µA · V · s = µJ */
    return e->supply_v * (e->run_ua_per_mhz * mhz * t_active + e->sleep_ua * t_sleep);
}

double energy_events_uj(const struct board *b, uint64_t flash_loads, uint64_t mul_dsp, uint64_t fpu)
{
    const struct board_energy *e = &b->energy;
    if (!energy_modelled(b))
        return 0;
    /* Per-event terms are given as extra current at full rate (µA/MHz):
     * one event per cycle would add that much; n events add n cycles' worth,
     * and a cycle at f MHz lasts 1/f µs, so the clock cancels out. */
    double ua_us = e->flash_read_extra_ua_per_mhz * (double)flash_loads + e->mul_extra_ua_per_mhz * (double)mul_dsp +
                   e->fpu_extra_ua_per_mhz * (double)fpu;
    return e->supply_v * ua_us * 1e-6;
}

double energy_uj(const struct board *b, const struct energy_counts *c)
{
    return energy_time_uj(b, c->active_cycles, c->sleep_cycles) +
           energy_events_uj(b, c->flash_loads, c->classes[CLASS_MUL], c->classes[CLASS_FPU]);
}

double energy_average_ma(const struct board *b, double uj, double seconds)
{
    if (!energy_modelled(b) || seconds <= 0 || b->energy.supply_v <= 0)
        return 0;
    return uj / b->energy.supply_v / seconds / 1000.0; /* µJ / V / s = µA */
}
