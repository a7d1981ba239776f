/*
 * rt_port_host.c — the host implementation of rt_port.h.
 *
 * On the host nothing observes the markers: host tools and tests ask the
 * interpreter and planner for what they need (layers, shapes, arena) and
 * measure on the simulated board instead, so the markers are no-ops here.
 * Host-only; the firmware has its own in runtime/port/.
 */
#include "rt_port.h"

void rt_region_begin(const struct mcusim_region *region)
{
    (void)region;
}

void rt_region_end(const struct mcusim_region *region)
{
    (void)region;
}

void rt_info(const struct mcusim_info *info)
{
    (void)info;
}
