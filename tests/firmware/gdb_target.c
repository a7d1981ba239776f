/*
 * gdb_target.c — the program the GDB server's test debugs (test_gdb.c):
 * a function with a local to step through and print, a global that every
 * call updates (printed, and watched), semihosting output, and an exit
 * status (3) that the debugger sees as the program's.
 */
#include <stdint.h>

#include "port.h"

volatile uint32_t gdb_counter; /* global: printed and watched */

/* noipa: the debugger finds it by name, with its arguments in place. */
__attribute__((noipa)) uint32_t gdb_mix(uint32_t seed, int rounds)
{
    volatile uint32_t acc = seed; /* a local that lives in memory */
    for (int i = 0; i < rounds; i++) {
        acc = acc * 33u + (uint32_t)i;
        gdb_counter = gdb_counter + 1;
    }
    return acc;
}

int main(void)
{
    uint32_t total = 0;
    for (uint32_t k = 0; k < 4; k++)
        total += gdb_mix(7u + k, 5);
    port_puts("gdb target: total ");
    port_putu(total);
    port_puts(", counter ");
    port_putu(gdb_counter);
    port_puts("\n");
    return gdb_counter == 20 ? 3 : 1;
}
