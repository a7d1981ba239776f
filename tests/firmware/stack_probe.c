/*
 * stack_probe.c — firmware whose stack use is known exactly, to check the
 * profiler's peak-RAM measurement.  Inside a marked region it calls an
 * assembly function that moves SP down by argv[1] bytes (default 4096),
 * writes one word at the new SP and returns.  It prints the SP at the
 * region's start, so the deepest point is SP_start - 4 (the marker call's
 * push) ... computed exactly by the test from the printed values.
 */
#include <stdint.h>

#include "mcusim.h"
#include "port.h"

/* Moves SP down by r0 bytes, stores at [sp], restores SP.  Touches no
 * other stack memory: the deepest byte written is exactly SP - r0. */
__attribute__((naked, noinline)) static void dip(uint32_t bytes)
{
    __asm__ volatile(
        ".syntax unified\n"
        "mov r1, sp\n"
        "subs r1, r1, r0\n"
        "mov r2, sp\n"
        "mov sp, r1\n"
        "str r0, [r1]\n"
        "mov sp, r2\n"
        "bx lr\n");
}

static struct mcusim_region region = {
    .magic = MCUSIM_REGION_MAGIC, .kind = MCUSIM_REGION_USER, .name = "dip",
};

static uint32_t parse(const char *s, uint32_t fallback)
{
    uint32_t v = 0;
    if (!s)
        return fallback;
    for (; *s >= '0' && *s <= '9'; s++)
        v = v * 10 + (uint32_t)(*s - '0');
    return v ? v : fallback;
}

int main(int argc, char **argv)
{
    uint32_t bytes = parse(argc > 1 ? argv[1] : 0, 4096) & ~3u;
    uint32_t sp;
    mcusim_region_begin(&region);
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    dip(bytes);
    mcusim_region_end(&region);
    port_puts("sp ");
    port_putu(sp);
    port_puts(" dip ");
    port_putu(bytes);
    port_puts("\n");
    return 0;
}
