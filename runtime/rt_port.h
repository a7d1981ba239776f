/*
 * rt_port.h — the only calls the runtime core makes to the outside world:
 * profiling markers around layers and inferences, and information records.
 *
 * Firmware implements these with ITM writes (runtime/port/, via mcusim.h);
 * the host build makes them no-ops (runtime/host/rt_port_host.c).  The
 * records are defined in port/mcusim_records.h, the contract with the
 * profiler.  A marker's struct
 * must stay valid and unchanged between its begin and end calls: the
 * profiler reads it from memory at both.
 */
#ifndef RT_PORT_H
#define RT_PORT_H

#include "port/mcusim_records.h"

void rt_region_begin(const struct mcusim_region *region);
void rt_region_end(const struct mcusim_region *region);
void rt_info(const struct mcusim_info *info);

#endif
