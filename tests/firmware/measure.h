/*
 * measure.h — timing checks for the board-level timer tests
 * (timers_<board>.c): SysTick counts core cycles on every core; each
 * check prints what was measured, what the part's documented behaviour
 * gives, and ok or FAIL, and counts the failures for the exit status.
 */
#ifndef MEASURE_H
#define MEASURE_H

#include <stdio.h>

#include "bsp.h"

#define SYST_CSR REG32(0xE000E010u)
#define SYST_RVR REG32(0xE000E014u)
#define SYST_CVR REG32(0xE000E018u)

static int failures __attribute__((unused));

static inline void cycles_init(void)
{
    SYST_RVR = 0xFFFFFF;
    SYST_CVR = 0;
    SYST_CSR = 5; /* enabled, core clock, no interrupt */
}

static inline uint32_t cycles_now(void)
{
    return SYST_CVR;
}

/* SysTick counts down; 24 bits (at most 77 ms at 216 MHz). */
static inline uint32_t cycles_since(uint32_t start, uint32_t end)
{
    return (start - end) & 0xFFFFFFu;
}

/* measured within [expected - below, expected + above]. */
static inline void check_range(const char *what, unsigned long measured, unsigned long expected, unsigned long below,
                        unsigned long above)
{
    int ok = measured + below >= expected && measured <= expected + above;
    printf("%s: %lu (expected %lu): %s\n", what, measured, expected, ok ? "ok" : "FAIL");
    failures += !ok;
}

static inline void check_equal(const char *what, unsigned long measured, unsigned long expected)
{
    check_range(what, measured, expected, 0, 0);
}

#endif
