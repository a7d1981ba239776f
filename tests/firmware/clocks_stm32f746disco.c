/*
 * clocks_stm32f746disco.c — the STM32F746's RCC ready bits against
 * RM0385 §5: after SystemInit (HSE 25 MHz -> PLL, 216 MHz with
 * over-drive), each oscillator's RDY bit is clear while it is off and
 * sets once its start-up time has passed (datasheet typical figures:
 * PLLI2S and PLLSAI lock 100 us, LSI 40 us, HSI 3 us), and CFGR.SWS
 * follows CFGR.SW only once the selected source is ready.
 */
#include "console.h"
#include "measure.h"

#define RCC 0x40023800u
#define RCC_CR REG32(RCC + 0x00)
#define RCC_CFGR REG32(RCC + 0x08)
#define RCC_CSR REG32(RCC + 0x74)
#define PWR_CSR1 REG32(0x40007004u)

#define CORE_MHZ 216u

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

    /* What SystemInit left: HSE and the PLL ready, SWS on the PLL, the
     * regulator in over-drive (ODRDY, ODSWRDY). */
    check_equal("HSERDY, PLLRDY", RCC_CR & ((1u << 17) | (1u << 25)), (1u << 17) | (1u << 25));
    check_equal("SWS", (RCC_CFGR >> 2) & 3, 2);
    check_equal("PWR ODRDY, ODSWRDY", (PWR_CSR1 >> 16) & 3, 3);

    oscillator("PLLI2S", &RCC_CR, 26, 27, 100);
    oscillator("PLLSAI", &RCC_CR, 28, 29, 100);
    oscillator("LSI", &RCC_CSR, 0, 1, 40);

    /* HSI off, SW selects it: SWS stays on the PLL until HSI is ready
     * again.  USART1 runs from PCLK2: nothing is printed meanwhile. */
    console_flush();
    RCC_CR &= ~1u;
    uint32_t hsi_off = (RCC_CR >> 1) & 1;
    RCC_CFGR &= ~3u;
    for (volatile int i = 0; i < 100; i++)
        ;
    uint32_t sws_off = (RCC_CFGR >> 2) & 3;
    uint32_t t0 = cycles_now();
    RCC_CR |= 1u;
    while ((RCC_CFGR >> 2) & 3)
        ;
    uint32_t t = cycles_since(t0, cycles_now());
    uint32_t hz_on_hsi = bsp_core_hz();
    RCC_CFGR |= 2u;
    uint32_t sws_back = (RCC_CFGR >> 2) & 3;
    check_equal("HSIRDY once off", hsi_off, 0);
    check_equal("SWS with SW = HSI while HSI is off", sws_off, 2);
    check_range("HSI start-up until SWS follows (cycles)", t, 3 * CORE_MHZ, 0, 40);
    check_equal("core clock on HSI (Hz)", hz_on_hsi, 16000000);
    check_equal("SWS with SW = PLL again", sws_back, 2);

    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures;
}
