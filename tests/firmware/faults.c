/*
 * faults.c — firmware that misbehaves on purpose, one way per argument:
 *   read-unmapped write-unmapped write-flash undefined jump-unmapped bkpt
 *   stack-overflow deadlock wfi-deadlock runaway nocp handler-exits
 *   handler-loops lockup
 * Each is expected to end the run with a specific diagnostic.
 */
#include <stdint.h>
#include <string.h>

#include "port.h"

static const uint32_t in_flash = 0x12345678u;
static volatile int handler_mode; /* 1: exit 42 from HardFault, 2: loop, 3: fault again */

void HardFault_Handler(void)
{
    if (handler_mode == 1) {
        port_puts("in HardFault_Handler\n");
        port_exit(42);
    }
    if (handler_mode == 3)
        (void)*(volatile uint32_t *)0x30000000u;
    for (;;)
        ;
}

__attribute__((noinline)) static uint32_t recurse(uint32_t depth)
{
    volatile uint8_t frame[256];
    memset((void *)frame, (int)depth, sizeof frame);
    return recurse(depth + 1) + frame[depth % 256];
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "read-unmapped"))
        return (int)*(volatile uint32_t *)0x30000000u;
    if (!strcmp(mode, "write-unmapped"))
        *(volatile uint32_t *)0x30000010u = 1;
    if (!strcmp(mode, "write-flash"))
        *(volatile uint32_t *)(uintptr_t)&in_flash = 0;
    if (!strcmp(mode, "undefined"))
        __asm__ volatile("udf #7");
    if (!strcmp(mode, "jump-unmapped"))
        ((void (*)(void))0x30000001u)();
    if (!strcmp(mode, "bkpt"))
        __asm__ volatile("bkpt #1");
    if (!strcmp(mode, "stack-overflow"))
        return (int)recurse(0);
    if (!strcmp(mode, "deadlock")) {
        __asm__ volatile("cpsid i");
        for (;;)
            ;
    }
    if (!strcmp(mode, "wfi-deadlock"))
        __asm__ volatile("wfi");
    if (!strcmp(mode, "runaway")) {
        volatile uint32_t n = 0;
        for (;;)
            n++;
    }
#if defined(__ARM_FP)
    if (!strcmp(mode, "nocp")) {
        *(volatile uint32_t *)0xE000ED88u = 0; /* CPACR: FPU off */
        __asm__ volatile("dsb\n\tisb\n\tvmov.f32 s0, #1.0\n\tvadd.f32 s0, s0, s0" ::: "s0");
    }
#endif
    if (!strcmp(mode, "handler-exits")) {
        handler_mode = 1;
        return (int)*(volatile uint32_t *)0x30000000u;
    }
    if (!strcmp(mode, "handler-loops")) {
        handler_mode = 2;
        return (int)*(volatile uint32_t *)0x30000000u;
    }
    if (!strcmp(mode, "lockup")) {
        handler_mode = 3;
        return (int)*(volatile uint32_t *)0x30000000u;
    }
    port_puts("unknown mode\n");
    return 99;
}
