/*
 * hello.c — the smallest mcusim firmware: prints a greeting, its command
 * line and the cycles it took, then exits with status 0.
 */
#include "mcusim.h"
#include "port.h"

int main(int argc, char **argv)
{
    mcusim_cycles_enable();
    uint32_t start = mcusim_cycles();
    port_puts("Hello from mcusim!\n");
    for (int i = 0; i < argc; i++) {
        port_puts("argv[");
        port_puti(i);
        port_puts("] = ");
        port_puts(argv[i]);
        port_puts("\n");
    }
    uint32_t cycles = mcusim_cycles() - start;
    port_puts(cycles ? "cycle counter: running\n" : "cycle counter: not available\n");
    return 0;
}
