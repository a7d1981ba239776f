/*
 * energy.c — see energy.h.
 */
#include "energy.h"

double energy_uj(const struct board *b, const struct energy_counts *c)
{
    const struct board_energy *e = &b->energy;
    if (!e->present || !b->clock_hz)
        return 0;
    double mhz = b->clock_hz / 1e6;
    double t_active = (double)c->active_cycles / b->clock_hz;
    double t_sleep = (double)c->sleep_cycles / b->clock_hz;
    /* µA · V · s = µJ */
    double base = e->supply_v * (e->run_ua_per_mhz * mhz * t_active + e->sleep_ua * t_sleep);
    /* Per-event terms are given as extra current at full rate (µA/MHz):
     * one event per cycle would add that much; n events add n cycles' worth. */
    double per_cycle_s = 1.0 / b->clock_hz;
    double events = e->flash_read_extra_ua_per_mhz * mhz * (double)c->flash_loads +
                    e->mul_extra_ua_per_mhz * mhz * (double)c->classes[CLASS_MUL] +
                    e->fpu_extra_ua_per_mhz * mhz * (double)c->classes[CLASS_FPU];
    return base + e->supply_v * events * per_cycle_s;
}
