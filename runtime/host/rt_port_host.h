/*
 * rt_port_host.h — the host implementation of rt_port.h: markers go to an
 * observer that a test or tool installs (e.g. to record layer regions), or
 * nowhere.  Host-only; the firmware has its own in runtime/port/.
 */
#ifndef RT_PORT_HOST_H
#define RT_PORT_HOST_H

#include "rt_port.h"

struct rt_host_observer {
    void (*region_begin)(void *ctx, const struct mcusim_region *region);
    void (*region_end)(void *ctx, const struct mcusim_region *region);
    void (*info)(void *ctx, const struct mcusim_info *info);
    void *ctx;
};

/* Installs (or, with NULL, removes) the observer.  Process-wide: host
 * tools and tests run one interpreter at a time. */
void rt_host_set_observer(const struct rt_host_observer *observer);

#endif
