/*
 * clocks_stm32l4r5.c — the STM32L4R5's RCC ready bits against RM0432 §6:
 * after SystemInit (MSI -> PLL, 120 MHz), each oscillator's RDY bit is
 * clear while it is off and sets once its start-up time has passed
 * (datasheet typical figures: HSI16 3 us, HSE 2 ms, LSI 80 us, PLLSAI1
 * lock 40 us), and CFGR.SWS follows CFGR.SW only once the selected
 * source is ready.
 */
#include "console.h"
#include "measure.h"

#define RCC 0x40021000u
#define RCC_CR REG32(RCC + 0x00)
#define RCC_CFGR REG32(RCC + 0x08)
#define RCC_CSR REG32(RCC + 0x94)

#define CORE_MHZ 120u

/* Cycles from setting `on` in `reg` until `rdy` reads set. */
static uint32_t start_and_time(volatile uint32_t *reg, uint32_t on, uint32_t rdy)
{
    uint32_t t0 = cycles_now();
    *reg |= on;
    while (!(*reg & rdy))
        ;
    return cycles_since(t0, cycles_now());
}

static void oscillator(const char *name, volatile uint32_t *reg, unsigned on_bit, unsigned rdy_bit, unsigned us)
{
    char what[64];
    snprintf(what, sizeof what, "%s ready while off", name);
    check_equal(what, (*reg >> rdy_bit) & 1, 0);
    snprintf(what, sizeof what, "%s start-up (cycles)", name);
    check_range(what, start_and_time(reg, 1u << on_bit, 1u << rdy_bit), us * CORE_MHZ, 0, 40);
}

int main(void)
{
    bsp_console_init(115200);
    cycles_init();

    oscillator("HSI16", &RCC_CR, 8, 10, 3);
    oscillator("HSE", &RCC_CR, 16, 17, 2000);
    oscillator("LSI", &RCC_CSR, 0, 1, 80);
    oscillator("PLLSAI1", &RCC_CR, 26, 27, 40);

    /* SW selects HSI16 while it is off: SWS stays on the PLL until HSI16
     * is ready, then follows; back to the PLL at once (it is locked).
     * The console runs from PCLK1, so nothing is printed meanwhile. */
    console_flush();
    RCC_CR &= ~(1u << 8);
    RCC_CFGR = (RCC_CFGR & ~3u) | 1u;
    for (volatile int i = 0; i < 100; i++)
        ;
    uint32_t sws_off = (RCC_CFGR >> 2) & 3;
    RCC_CR |= 1u << 8;
    while (((RCC_CFGR >> 2) & 3) != 1)
        ;
    uint32_t hz_on_hsi = bsp_core_hz();
    RCC_CFGR |= 3u;
    uint32_t sws_back = (RCC_CFGR >> 2) & 3;
    check_equal("SWS with SW = HSI16 while HSI16 is off", sws_off, 3);
    check_equal("core clock on HSI16 (Hz)", hz_on_hsi, 16000000);
    check_equal("SWS with SW = PLL again", sws_back, 3);

    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures;
}
