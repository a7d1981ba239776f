/*
 * microbench.c — runs the instruction-timing micro-benchmarks of
 * microbench_v7m.S or microbench_v6m.S and prints one line per benchmark:
 * "<name> <cycles>".  The counter is DWT CYCCNT on ARMv7-M and SysTick on
 * ARMv6-M (which has no cycle counter).  All benchmarks run before any
 * output, so that the console code does not disturb the caches between
 * the cold and warm runs of the flash benchmarks.
 */
#include <stdint.h>

#include "mcusim.h"
#include "port.h"

struct mb_entry {
    const char *name;
    uint32_t (*fn)(volatile uint32_t *counter);
};

extern const struct mb_entry mb_table[];

#define MAX_BENCH 96

int main(void)
{
    static uint32_t result[MAX_BENCH];
    volatile uint32_t *counter;
#if defined(__ARM_ARCH_6M__)
    volatile uint32_t *syst = (volatile uint32_t *)0xE000E010u;
    syst[1] = 0xFFFFFFu; /* RVR */
    syst[2] = 0;         /* CVR */
    syst[0] = 5;         /* enable, processor clock, no interrupt */
    counter = &syst[2];
#else
    mcusim_cycles_enable();
    counter = &MCUSIM_DWT_CYCCNT;
#endif
    int n = 0;
    for (; mb_table[n].fn && n < MAX_BENCH; n++)
        result[n] = mb_table[n].fn(counter);
    for (int i = 0; i < n; i++) {
#if defined(__ARM_ARCH_6M__)
        result[i] &= 0xFFFFFFu; /* a 24-bit down-counter */
#endif
        port_puts(mb_table[i].name);
        port_puts(" ");
        port_putu(result[i]);
        port_puts("\n");
    }
    return 0;
}
