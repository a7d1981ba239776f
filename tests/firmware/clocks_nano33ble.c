/*
 * clocks_nano33ble.c — the nRF52840's CLOCK block against the Product
 * Specification (v1.7, §6.4): HFCLKSTART starts the crystal and
 * EVENTS_HFCLKSTARTED follows after its start-up time (typical 0.36 ms),
 * LFCLKSTART starts the source LFCLKSRC names (the synthesized one: about
 * one 32.768 kHz period, 31 us), HFCLKSTAT and LFCLKSTAT report them, and
 * CAL ends with EVENTS_DONE (16 ms).
 */
#include "measure.h"

#define CLOCK 0x40000000u
#define TASKS_HFCLKSTART REG32(CLOCK + 0x000)
#define TASKS_HFCLKSTOP REG32(CLOCK + 0x004)
#define TASKS_LFCLKSTART REG32(CLOCK + 0x008)
#define TASKS_LFCLKSTOP REG32(CLOCK + 0x00C)
#define TASKS_CAL REG32(CLOCK + 0x010)
#define EVENTS_HFCLKSTARTED REG32(CLOCK + 0x100)
#define EVENTS_LFCLKSTARTED REG32(CLOCK + 0x104)
#define EVENTS_DONE REG32(CLOCK + 0x10C)
#define HFCLKSTAT REG32(CLOCK + 0x40C)
#define LFCLKSTAT REG32(CLOCK + 0x418)
#define LFCLKSRC REG32(CLOCK + 0x518)

#define CORE_MHZ 64u

static uint32_t wait_event(volatile uint32_t *event)
{
    uint32_t t0 = cycles_now();
    while (!*event)
        ;
    return cycles_since(t0, cycles_now());
}

int main(void)
{
    bsp_console_init(115200);
    cycles_init();

    check_equal("HFCLKSTAT after start-up (crystal, running)", HFCLKSTAT & 0x10001, 0x10001);
    TASKS_HFCLKSTOP = 1;
    check_equal("HFCLKSTAT SRC after HFCLKSTOP (RC)", HFCLKSTAT & 1, 0);
    EVENTS_HFCLKSTARTED = 0;
    TASKS_HFCLKSTART = 1;
    check_range("HFXO start-up (cycles)", wait_event(&EVENTS_HFCLKSTARTED), 360 * CORE_MHZ, 0, 40);
    check_equal("HFCLKSTAT after HFCLKSTARTED", HFCLKSTAT & 0x10001, 0x10001);

    TASKS_LFCLKSTOP = 1;
    check_equal("LFCLKSTAT STATE after LFCLKSTOP", LFCLKSTAT >> 16, 0);
    LFCLKSRC = 2; /* synthesized from HFCLK */
    EVENTS_LFCLKSTARTED = 0;
    TASKS_LFCLKSTART = 1;
    check_range("LFCLK synthesized start-up (cycles)", wait_event(&EVENTS_LFCLKSTARTED), 31 * CORE_MHZ, 0, 40);
    check_equal("LFCLKSTAT (synthesized, running)", LFCLKSTAT & 0x10003, 0x10002);

    EVENTS_DONE = 0;
    TASKS_CAL = 1;
    check_range("RC calibration (cycles)", wait_event(&EVENTS_DONE), 16000 * CORE_MHZ, 0, 40);

    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures;
}
