/*
 * clocks_pico.c — the RP2040's reset and clock blocks against its
 * datasheet: RESET_DONE follows RESET for a peripheral put into and out
 * of reset (§2.14), the crystal oscillator reports STABLE (§2.16), and
 * PLL_USB, powered down and up again, reports LOCK only after its lock
 * time (§2.18; mcusim's lock_us, 50 us by default), and the frequency
 * counter (§2.15.6) sees its 48 MHz only once its post-dividers run.
 */
#include "measure.h"

#define RESETS 0x4000C000u
#define RESET REG32(RESETS + 0x0)
#define RESET_DONE REG32(RESETS + 0x8)
#define SET(reg) (*(volatile uint32_t *)((uintptr_t)&(reg) + 0x2000))
#define CLR(reg) (*(volatile uint32_t *)((uintptr_t)&(reg) + 0x3000))
#define RST_UART1 (1u << 23)

#define XOSC_STATUS REG32(0x40024004u)

#define PLL_USB 0x4002C000u
#define PLL_CS REG32(PLL_USB + 0x0)
#define PLL_PWR REG32(PLL_USB + 0x4)
#define PD (1u << 0)
#define POSTDIVPD (1u << 3)
#define VCOPD (1u << 5)

#define CLOCKS 0x40008000u
#define FC0_REF_KHZ REG32(CLOCKS + 0x80)
#define FC0_SRC REG32(CLOCKS + 0x94)
#define FC0_STATUS REG32(CLOCKS + 0x98)
#define FC0_RESULT REG32(CLOCKS + 0x9C)
#define FC0_PLL_USB 0x02u

#define CORE_MHZ 125u

/* The frequency counter (§2.15.6.2), against the 12 MHz clk_ref. */
static uint32_t fc0_khz(uint32_t src)
{
    FC0_REF_KHZ = 12000;
    FC0_SRC = src;
    while (!(FC0_STATUS & (1u << 4))) /* DONE */
        ;
    return FC0_RESULT >> 5;
}

/* Powers PLL_USB down and up again; cycles until LOCK. */
static __attribute__((noinline)) uint32_t pll_usb_lock_cycles(void)
{
    SET(PLL_PWR) = PD | VCOPD | POSTDIVPD;
    uint32_t t0 = cycles_now();
    CLR(PLL_PWR) = PD | VCOPD;
    while (!(PLL_CS >> 31))
        ;
    return cycles_since(t0, cycles_now());
}

int main(void)
{
    bsp_console_init(115200);
    cycles_init();

    SET(RESET) = RST_UART1;
    check_equal("UART1 RESET_DONE in reset", RESET_DONE & RST_UART1, 0);
    CLR(RESET) = RST_UART1;
    uint32_t polls = 0;
    while (!(RESET_DONE & RST_UART1))
        polls++;
    check_equal("UART1 RESET_DONE out of reset (polls)", polls, 0);

    check_equal("XOSC STATUS: ENABLED, STABLE", XOSC_STATUS & 0x80001000u, 0x80001000u);

    check_equal("PLL_USB LOCK after start-up", PLL_CS >> 31, 1);
    SET(PLL_PWR) = PD | VCOPD | POSTDIVPD;
    check_equal("PLL_USB LOCK powered down", PLL_CS >> 31, 0);
    check_equal("FC0 on PLL_USB powered down (kHz)", fc0_khz(FC0_PLL_USB), 0);
    /* Twice: the first time runs from flash while the XIP cache fills,
     * the second is timed. */
    pll_usb_lock_cycles();
    uint32_t t = pll_usb_lock_cycles();
    check_range("PLL_USB lock (cycles)", t, 50 * CORE_MHZ, 0, 40);
    check_equal("FC0 on PLL_USB, post-dividers still off (kHz)", fc0_khz(FC0_PLL_USB), 0);
    CLR(PLL_PWR) = POSTDIVPD;
    check_equal("FC0 on PLL_USB running (kHz)", fc0_khz(FC0_PLL_USB), 48000);

    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures;
}
