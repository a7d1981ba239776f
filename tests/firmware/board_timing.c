/*
 * board_timing.c — board-level firmware that times the peripherals
 * against the core: how many core cycles (SysTick, every core has one)
 * 40 UART frames at 115200 baud take, ten periods of the board timer's
 * 1 kHz tick, and a loop run from flash with the flash cache on and off
 * where the part has one (bsp_flash_cache).  The test
 * (tests/test_periph.c) checks the numbers against the baud rate, the
 * tick and the cycle model; unlike board_test, the output depends on
 * timing, so it is not compared with QEMU.
 */
#include <stdio.h>

#include "bsp.h"
#include "console.h"

#define SYST_CSR REG32(0xE000E010u)
#define SYST_RVR REG32(0xE000E014u)
#define SYST_CVR REG32(0xE000E018u)

static volatile unsigned ticks;

void bsp_timer_tick(void)
{
    ticks++;
}

static uint32_t now(void)
{
    return SYST_CVR;
}

/* SysTick counts down from 0xFFFFFF at the core clock. */
static uint32_t since(uint32_t start)
{
    return (start - SYST_CVR) & 0xFFFFFFu;
}

__attribute__((weak)) int bsp_flash_cache(bool on)
{
    (void)on;
    return -1;
}

__attribute__((noinline)) static uint32_t loop_cycles(void)
{
    volatile uint32_t sink = 0;
    uint32_t t0 = now();
    for (uint32_t i = 0; i < 2000; i++)
        sink += i ^ (sink >> 3);
    return since(t0);
}

int main(void)
{
    SYST_RVR = 0xFFFFFF;
    SYST_CVR = 0;
    SYST_CSR = 5; /* enabled, core clock, no interrupt */
    bsp_console_init(115200);
    printf("core: %lu Hz\n", (unsigned long)bsp_core_hz());
    console_flush();

    bsp_console_putc('[');
    uint32_t t0 = now();
    for (int i = 0; i < 40; i++)
        bsp_console_putc((char)('a' + i % 26));
    while (!bsp_console_tx_done())
        ;
    uint32_t uart = since(t0);
    printf("]\nuart: %lu cycles for 40 frames\n", (unsigned long)uart);
    console_flush();

    bsp_timer_start(1000);
    while (ticks < 2)
        wait_for_interrupt();
    t0 = now();
    while (ticks < 12)
        wait_for_interrupt();
    uint32_t timer = since(t0);
    bsp_timer_stop();
    printf("timer: %lu cycles for 10 ticks\n", (unsigned long)timer);

    if (bsp_flash_cache(true) == 0) {
        loop_cycles();
        uint32_t on = loop_cycles();
        bsp_flash_cache(false);
        uint32_t off = loop_cycles();
        bsp_flash_cache(true);
        printf("flash cache: %lu cycles on, %lu cycles off\n", (unsigned long)on, (unsigned long)off);
    }
    return 0;
}
