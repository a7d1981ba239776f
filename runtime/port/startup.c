/*
 * startup.c — vector table and reset handler for every mcusim firmware.
 *
 * Boots as Cortex-M hardware does: the core loads SP and PC from the vector
 * table at the start of flash (linker script: section .vectors).  The reset
 * handler enables the FPU where there is one (the core resets with it off),
 * initialises .data and .bss, then either hands over to newlib's crt0
 * (_start, present when linking with --specs=rdimon.specs) or calls main()
 * itself, passing main's return value to port_exit().
 *
 * Handlers are weak aliases of Default_Handler (an infinite loop the
 * simulator recognises), so firmware overrides one by defining it.
 */
#include <stdint.h>
#include <string.h>

#include "port.h"

extern uint8_t __data_load[], __data_start[], __data_end[];
extern uint8_t __bss_start__[], __bss_end__[];

int main(int argc, char **argv);
void _start(void) __attribute__((weak, noreturn));

void Reset_Handler(void) __attribute__((noreturn));
void Default_Handler(void);

#define WEAK_HANDLER(name) void name(void) __attribute__((weak, alias("Default_Handler")))
WEAK_HANDLER(NMI_Handler);
WEAK_HANDLER(HardFault_Handler);
WEAK_HANDLER(MemManage_Handler);
WEAK_HANDLER(BusFault_Handler);
WEAK_HANDLER(UsageFault_Handler);
WEAK_HANDLER(SVC_Handler);
WEAK_HANDLER(DebugMon_Handler);
WEAK_HANDLER(PendSV_Handler);
WEAK_HANDLER(SysTick_Handler);
WEAK_HANDLER(IRQ_Handler);

#define IRQ_COUNT 64

__attribute__((section(".vectors"), used))
void (*const vector_table[16 + IRQ_COUNT])(void) = {
    (void (*)(void))__stack_top,
    Reset_Handler,
    NMI_Handler,
    HardFault_Handler,
    MemManage_Handler,
    BusFault_Handler,
    UsageFault_Handler,
    0, 0, 0, 0,
    SVC_Handler,
    DebugMon_Handler,
    0,
    PendSV_Handler,
    SysTick_Handler,
    [16 ... 16 + IRQ_COUNT - 1] = IRQ_Handler,
};

void Default_Handler(void)
{
    for (;;)
        ;
}

static void fpu_enable(void)
{
#if defined(__ARM_FP)
    volatile uint32_t *cpacr = (volatile uint32_t *)0xE000ED88u;
    *cpacr |= 0xFu << 20; /* CP10, CP11: full access */
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
}

void Reset_Handler(void)
{
    fpu_enable();
    /* .data is copied here even for newlib's crt0, which expects a loader
     * to have put it in RAM already. */
    memcpy(__data_start, __data_load, (size_t)(__data_end - __data_start));
    memset(__bss_start__, 0, (size_t)(__bss_end__ - __bss_start__));
    if (_start)
        _start(); /* newlib's crt0 does the rest (rdimon.specs) */
    static char cmdline[256];
    static char *argv[16];
    int argc = port_args(cmdline, sizeof cmdline, argv, 16);
    port_exit(main(argc, argv));
}
