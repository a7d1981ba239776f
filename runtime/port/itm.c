/*
 * itm.c — rt_port.h for firmware: profiling markers as ITM stimulus writes
 * (the protocol is in mcusim.h).
 */
#include "mcusim.h"
#include "rt_port.h"

void rt_region_begin(const struct mcusim_region *region)
{
    mcusim_region_begin(region);
}

void rt_region_end(const struct mcusim_region *region)
{
    mcusim_region_end(region);
}

void rt_info(const struct mcusim_info *info)
{
    mcusim_info(info);
}
