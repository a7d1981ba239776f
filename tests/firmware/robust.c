/*
 * robust.c — firmware that misbehaves inside marked regions, so that the
 * robustness tests (tests/test_robust_faults.c) can check both the
 * diagnostic and the partial profile stored for the run.  One way per
 * argument:
 *   big-frame N        a function with an N-byte local buffer: a frame
 *                      larger than the 1 KB guard below the stack jumps
 *                      over it into the RAM below (arena, static data)
 *   deep-recursion     recursion with 256-byte frames until the guard
 *   regions-then-fault       two regions complete, the third writes flash
 *   regions-then-runaway     two regions complete, the third never ends
 *   peripheral-read ADDR     a load from a peripheral address (hex)
 *   ok                 two regions, exit 0
 * Regions are user regions named "phase1".."phase3" (mcusim.h markers).
 */
#include <stdint.h>
#include <string.h>

#include "mcusim.h"
#include "port.h"

static const uint32_t in_flash = 0xC0FFEEu;
/* Static data the big frame would overwrite; printed at the end so a
 * silent corruption would show. */
static volatile uint32_t canary[4] = {0x11111111u, 0x22222222u, 0x33333333u, 0x44444444u};

static struct mcusim_region phases[3] = {
    {.magic = MCUSIM_REGION_MAGIC, .kind = MCUSIM_REGION_USER, .name = "phase1"},
    {.magic = MCUSIM_REGION_MAGIC, .kind = MCUSIM_REGION_USER, .name = "phase2"},
    {.magic = MCUSIM_REGION_MAGIC, .kind = MCUSIM_REGION_USER, .name = "phase3"},
};

static uint32_t parse(const char *s, uint32_t base)
{
    uint32_t v = 0;
    if (!s)
        return 0;
    if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    for (; *s; s++) {
        uint32_t d = *s >= '0' && *s <= '9' ? (uint32_t)(*s - '0')
                     : (*s | 0x20) >= 'a' && (*s | 0x20) <= 'f' ? (uint32_t)((*s | 0x20) - 'a' + 10) : 99;
        if (d >= base)
            break;
        v = v * base + d;
    }
    return v;
}

/* Work that takes a few thousand cycles, so regions have a cost. */
__attribute__((noinline)) static uint32_t work(uint32_t seed)
{
    uint32_t x = seed;
    for (int i = 0; i < 1000; i++)
        x = x * 1664525u + 1013904223u;
    return x;
}

__attribute__((noinline)) static uint32_t big_frame(uint32_t bytes)
{
    /* A variable-length frame: SP moves down by `bytes` at once, and the
     * first store is at its bottom, far below the guard. */
    volatile uint8_t buf[bytes];
    for (uint32_t i = 0; i < bytes; i += 64)
        buf[i] = (uint8_t)i;
    return buf[bytes / 2];
}

__attribute__((noinline)) static uint32_t recurse(uint32_t depth)
{
    volatile uint8_t frame[256];
    memset((void *)frame, (int)depth, sizeof frame);
    if (depth > 1000000u)
        return 0;
    return recurse(depth + 1) + frame[depth % 256];
}

static volatile uint32_t sink; /* keeps work() from being optimized away */

static void finish_two_phases(void)
{
    for (int k = 0; k < 2; k++) {
        mcusim_region_begin(&phases[k]);
        sink = work((uint32_t)k);
        mcusim_region_end(&phases[k]);
    }
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    const char *arg = argc > 2 ? argv[2] : NULL;
    if (!strcmp(mode, "big-frame")) {
        uint32_t r = big_frame(parse(arg, 10));
        port_puts("big frame returned; canary ");
        port_putu(canary[0] == 0x11111111u && canary[3] == 0x44444444u);
        port_puts("\n");
        return (int)(r & 0);
    }
    if (!strcmp(mode, "deep-recursion"))
        return (int)recurse(0);
    if (!strcmp(mode, "regions-then-fault")) {
        finish_two_phases();
        mcusim_region_begin(&phases[2]);
        sink = work(2);
        *(volatile uint32_t *)(uintptr_t)&in_flash = 0;
        mcusim_region_end(&phases[2]);
        return 0;
    }
    if (!strcmp(mode, "regions-then-runaway")) {
        finish_two_phases();
        mcusim_region_begin(&phases[2]);
        for (uint32_t n = 0;; n++)
            sink = work(n);
    }
    if (!strcmp(mode, "peripheral-read"))
        return (int)*(volatile uint32_t *)(uintptr_t)parse(arg, 16);
    if (!strcmp(mode, "ok")) {
        finish_two_phases();
        return 0;
    }
    port_puts("unknown mode\n");
    return 99;
}
