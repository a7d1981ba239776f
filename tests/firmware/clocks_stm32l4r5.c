/*
 * clocks_stm32l4r5.c — the STM32L4R5's RCC ready bits against RM0432 §6:
 * after SystemInit (MSI -> PLL, 120 MHz), each oscillator's RDY bit is
 * clear while it is off and sets once its start-up time has passed
 * (datasheet typical figures: HSI16 3 us, HSE 2 ms, LSI 80 us, PLLSAI1
 * lock 40 us), CFGR.SWS follows CFGR.SW only once the selected source
 * is ready, and PWR's VOSF covers a voltage range change.
 */
#include "console.h"
#include "measure.h"

#define RCC 0x40021000u
#define RCC_CR REG32(RCC + 0x00)
#define RCC_CFGR REG32(RCC + 0x08)
#define RCC_CSR REG32(RCC + 0x94)
#define PWR_CR1 REG32(0x40007000u)
#define PWR_SR2 REG32(0x40007014u)
#define VOSF (1u << 10)

#define CORE_MHZ 120u

/* Cycles from a change of the voltage range until VOSF clears. */
static uint32_t voltage_range(unsigned range)
{
    uint32_t t0 = cycles_now();
    PWR_CR1 = (PWR_CR1 & ~(3u << 9)) | (range << 9);
    while (PWR_SR2 & VOSF)
        ;
    return cycles_since(t0, cycles_now());
}

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
    /* At 16 MHz the regulator may go to range 2 and back (RM0432 §5.1.8):
     * VOSF is set until it has settled (mcusim's vos_us, 20 us). */
    uint32_t to_range2 = voltage_range(2), to_range1 = voltage_range(1);
    RCC_CFGR |= 3u;
    uint32_t sws_back = (RCC_CFGR >> 2) & 3;
    check_equal("SWS with SW = HSI16 while HSI16 is off", sws_off, 3);
    check_equal("core clock on HSI16 (Hz)", hz_on_hsi, 16000000);
    check_range("VOSF after range 1 -> 2 at 16 MHz (cycles)", to_range2, 20 * 16, 0, 40);
    check_range("VOSF after range 2 -> 1 at 16 MHz (cycles)", to_range1, 20 * 16, 0, 40);
    check_equal("SWS with SW = PLL again", sws_back, 3);

    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures;
}
