/*
 * wall_time.c — see wall_time.h.
 */
#include "wall_time.h"

#include <time.h>

double wall_time_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}
