/*
 * rt_port_host.c — host markers: forwarded to the installed observer.
 * The one piece of process-wide state is here, outside the runtime core.
 */
#include <stddef.h>

#include "rt_port_host.h"

static const struct rt_host_observer *current;

void rt_host_set_observer(const struct rt_host_observer *observer)
{
    current = observer;
}

void rt_region_begin(const struct mcusim_region *region)
{
    if (current && current->region_begin)
        current->region_begin(current->ctx, region);
}

void rt_region_end(const struct mcusim_region *region)
{
    if (current && current->region_end)
        current->region_end(current->ctx, region);
}

void rt_info(const struct mcusim_info *info)
{
    if (current && current->info)
        current->info(current->ctx, info);
}
