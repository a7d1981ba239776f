/*
 * wall_time.h — host time for progress lines, ETAs and speed measurements:
 * seconds on the monotonic clock (never steps back when the system clock
 * is set), from an arbitrary origin, so only differences mean anything.
 */
#ifndef MCUSIM_CLI_WALL_TIME_H
#define MCUSIM_CLI_WALL_TIME_H

double wall_time_s(void);

#endif
