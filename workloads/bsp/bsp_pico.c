/*
 * bsp_pico.c — Raspberry Pi Pico: RP2040 (Cortex-M0+, 125 MHz as the SDK
 * sets it up).  Sources: RP2040 datasheet (RESETS §2.14, CLOCKS §2.15,
 * XOSC §2.16, PLL §2.18, IO_BANK0/PADS §2.19, UART §4.2, TIMER §4.6,
 * WATCHDOG tick §4.7; interrupts §2.3.2); the Pico's 12 MHz crystal and its
 * UART0 on GPIO0 (TX) and GPIO1 (RX).
 *
 * Start-up as the SDK's runtime_init and clocks_init do it: take the
 * peripherals out of reset and wait for RESET_DONE, start the crystal
 * oscillator and wait until it is stable, move clk_sys and clk_ref to
 * their glitchless defaults, bring up PLL_SYS (1500 MHz VCO, /6 /2) and
 * PLL_USB (480 MHz, /5 /2) and wait for lock, then clk_ref from the XOSC,
 * clk_sys from PLL_SYS (125 MHz), clk_peri from clk_sys, and the
 * watchdog's 1 µs tick.  Registers are written through the SET/CLR
 * aliases as the SDK's hw_set_bits/hw_clear_bits do.
 */
#include "bsp.h"

#define SET(addr) (*(volatile uint32_t *)((uintptr_t)&(addr) + 0x2000))
#define CLR(addr) (*(volatile uint32_t *)((uintptr_t)&(addr) + 0x3000))

#define RESETS 0x4000C000u
#define RESETS_RESET REG32(RESETS + 0x0)
#define RESETS_DONE REG32(RESETS + 0x8)
enum { RST_IO_BANK0 = 5, RST_IO_QSPI = 6, RST_PADS_BANK0 = 8, RST_PADS_QSPI = 9, RST_PLL_SYS = 12,
       RST_PLL_USB = 13, RST_SYSCFG = 18, RST_TIMER = 21, RST_UART0 = 22, RST_USBCTRL = 24 };

#define XOSC 0x40024000u
#define XOSC_CTRL REG32(XOSC + 0x00)
#define XOSC_STATUS REG32(XOSC + 0x04)
#define XOSC_STARTUP REG32(XOSC + 0x0C)

#define PLL_SYS 0x40028000u
#define PLL_USB 0x4002C000u
#define PLL_CS(b) REG32((b) + 0x0)
#define PLL_PWR(b) REG32((b) + 0x4)
#define PLL_FBDIV(b) REG32((b) + 0x8)
#define PLL_PRIM(b) REG32((b) + 0xC)

#define CLOCKS 0x40008000u
#define CLK_CTRL(g) REG32(CLOCKS + 12 * (g))
#define CLK_DIV(g) REG32(CLOCKS + 12 * (g) + 4)
#define CLK_SELECTED(g) REG32(CLOCKS + 12 * (g) + 8)
#define CLK_SYS_RESUS_CTRL REG32(CLOCKS + 0x78)
enum { CLK_REF = 4, CLK_SYS = 5, CLK_PERI = 6 };

#define WATCHDOG_TICK REG32(0x40058000u + 0x2C)
#define IO_BANK0_CTRL(pin) REG32(0x40014000u + 8 * (pin) + 4)
#define PADS_BANK0_GPIO(pin) REG32(0x4001C000u + 4 + 4 * (pin))

#define UART0 0x40034000u
#define UART_DR REG32(UART0 + 0x000)
#define UART_FR REG32(UART0 + 0x018)
#define UART_IBRD REG32(UART0 + 0x024)
#define UART_FBRD REG32(UART0 + 0x028)
#define UART_LCR_H REG32(UART0 + 0x02C)
#define UART_CR REG32(UART0 + 0x030)
#define UART_IMSC REG32(UART0 + 0x038)
#define UART_ICR REG32(UART0 + 0x044)
#define FR_BUSY (1u << 3)
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define INT_TX (1u << 5)

#define TIMER 0x40054000u
#define TIMER_ALARM0 REG32(TIMER + 0x10)
#define TIMER_TIMERAWL REG32(TIMER + 0x28)
#define TIMER_INTR REG32(TIMER + 0x34)
#define TIMER_INTE REG32(TIMER + 0x38)

enum { TIMER_IRQ_0 = 0, UART0_IRQ = 20 };

#define XOSC_HZ 12000000u

const char bsp_board_name[] = "pico";
const char bsp_timer_name[] = "TIMER alarm 0";

void Reset_Handler(void);
void Default_Handler(void);
void PendSV_Handler(void);
void SysTick_Handler(void);
static void uart0_isr(void);
static void timer_alarm0_isr(void);
extern char __stack_top[];

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
__attribute__((section(".vectors"), used)) static void (*const vectors[16 + 32])(void) = {
    [0] = (void (*)(void))__stack_top,
    [1] = Reset_Handler,
    [2 ... 16 + 31] = Default_Handler,
    [14] = PendSV_Handler,
    [15] = SysTick_Handler,
    [16 + TIMER_IRQ_0] = timer_alarm0_isr,
    [16 + UART0_IRQ] = uart0_isr,
};
#pragma GCC diagnostic pop

static void unreset_wait(uint32_t bits)
{
    CLR(RESETS_RESET) = bits;
    while (~RESETS_DONE & bits)
        ;
}

static void pll_start(uint32_t base, uint32_t fbdiv, uint32_t postdiv1, uint32_t postdiv2, unsigned reset_bit)
{
    SET(RESETS_RESET) = 1u << reset_bit;
    unreset_wait(1u << reset_bit);
    PLL_CS(base) = 1;                     /* REFDIV 1 */
    PLL_FBDIV(base) = fbdiv;
    CLR(PLL_PWR(base)) = (1u << 0) | (1u << 5); /* PD, VCOPD */
    while (!(PLL_CS(base) & (1u << 31)))  /* LOCK */
        ;
    PLL_PRIM(base) = (postdiv1 << 16) | (postdiv2 << 12);
    CLR(PLL_PWR(base)) = 1u << 3;         /* POSTDIVPD */
}

void SystemInit(void)
{
    SCB_VTOR = (uint32_t)vectors;
    /* runtime_init: everything but the QSPI and the PLLs back to reset,
     * then out of it. */
    SET(RESETS_RESET) = ~((1u << RST_IO_QSPI) | (1u << RST_PADS_QSPI) | (1u << RST_PLL_USB) | (1u << RST_USBCTRL) |
                          (1u << RST_SYSCFG) | (1u << RST_PLL_SYS)) & 0x01FFFFFFu;
    unreset_wait((1u << RST_IO_BANK0) | (1u << RST_PADS_BANK0) | (1u << RST_TIMER) | (1u << RST_SYSCFG));

    /* clocks_init */
    CLK_SYS_RESUS_CTRL = 0;
    XOSC_CTRL = 0xAA0;                                /* FREQ_RANGE 1-15 MHz */
    XOSC_STARTUP = ((XOSC_HZ / 1000) + 128) / 256;    /* about 1 ms */
    SET(XOSC_CTRL) = 0xFABu << 12;                    /* ENABLE */
    while (!(XOSC_STATUS & (1u << 31)))               /* STABLE */
        ;
    CLR(CLK_CTRL(CLK_SYS)) = 1;                       /* SRC: clk_ref */
    while (CLK_SELECTED(CLK_SYS) != 1)
        ;
    CLR(CLK_CTRL(CLK_REF)) = 3;                       /* SRC: ROSC */
    while (CLK_SELECTED(CLK_REF) != 1)
        ;
    pll_start(PLL_SYS, 125, 6, 2, RST_PLL_SYS);       /* 12 MHz * 125 = 1500 MHz / 12 = 125 MHz */
    pll_start(PLL_USB, 40, 5, 2, RST_PLL_USB);        /* 480 MHz / 10 = 48 MHz */

    CLK_CTRL(CLK_REF) = (CLK_CTRL(CLK_REF) & ~3u) | 2; /* SRC: XOSC */
    while (CLK_SELECTED(CLK_REF) != (1u << 2))
        ;
    CLK_DIV(CLK_REF) = 1u << 8;
    CLK_CTRL(CLK_SYS) = (CLK_CTRL(CLK_SYS) & ~(7u << 5)) | (0u << 5); /* AUXSRC: PLL_SYS */
    SET(CLK_CTRL(CLK_SYS)) = 1;                       /* SRC: aux */
    while (CLK_SELECTED(CLK_SYS) != (1u << 1))
        ;
    CLK_DIV(CLK_SYS) = 1u << 8;
    CLR(CLK_CTRL(CLK_PERI)) = 1u << 11;               /* ENABLE off while switching */
    CLK_CTRL(CLK_PERI) = 0u << 5;                     /* AUXSRC: clk_sys */
    SET(CLK_CTRL(CLK_PERI)) = 1u << 11;

    WATCHDOG_TICK = (1u << 9) | (XOSC_HZ / 1000000);  /* 1 µs ticks */
}

uint32_t bsp_core_hz(void)
{
    if (!(CLK_CTRL(CLK_SYS) & 1) || (CLK_CTRL(CLK_SYS) >> 5) & 7)
        return 0; /* not the SDK's configuration */
    uint32_t cs = PLL_CS(PLL_SYS), prim = PLL_PRIM(PLL_SYS);
    uint32_t vco = XOSC_HZ / (cs & 0x3F) * PLL_FBDIV(PLL_SYS);
    return vco / ((prim >> 16) & 7) / ((prim >> 12) & 7) / (CLK_DIV(CLK_SYS) >> 8);
}

void bsp_console_init(uint32_t baud)
{
    unreset_wait(1u << RST_UART0);
    /* uart_set_baudrate: a divisor in 1/128ths, rounded to 1/64ths */
    uint32_t div = 8 * bsp_core_hz() / baud; /* clk_peri = clk_sys */
    UART_IBRD = div >> 7;
    UART_FBRD = ((div & 0x7F) + 1) / 2;
    UART_LCR_H = (3u << 5) | (1u << 4);       /* 8 bits, FIFOs on */
    UART_CR = (1u << 0) | (1u << 8) | (1u << 9); /* UARTEN, TXE, RXE */
    IO_BANK0_CTRL(0) = 2;                     /* FUNCSEL: UART */
    IO_BANK0_CTRL(1) = 2;
    CLR(PADS_BANK0_GPIO(1)) = 1u << 7;        /* OD off */
    SET(PADS_BANK0_GPIO(1)) = 1u << 6;        /* IE on */
}

static volatile bool tx_running;

void bsp_console_putc(char c)
{
    while (tx_running)
        ;
    while (UART_FR & FR_TXFF)
        ;
    UART_DR = (uint8_t)c;
}

int bsp_console_getc(void)
{
    return (UART_FR & FR_RXFE) ? -1 : (int)(UART_DR & 0xFF);
}

/* Fills the FIFO from the ring; the TX interrupt comes when the FIFO
 * drains to its trigger level, and refills it (as Linux's pl011 does). */
static void fill(void)
{
    int c;
    while (!(UART_FR & FR_TXFF) && (c = console_next_tx()) >= 0)
        UART_DR = (uint32_t)c;
}

void bsp_console_tx_kick(void)
{
    irq_off();
    fill();
    tx_running = true;
    nvic_enable(UART0_IRQ);
    SET(UART_IMSC) = INT_TX;
    irq_on();
}

static void uart0_isr(void)
{
    UART_ICR = INT_TX;
    fill();
}

bool bsp_console_tx_done(void)
{
    /* The ring is empty (console.c checks it): done when the FIFO and the
     * shifter have drained. */
    if (UART_FR & FR_BUSY)
        return false;
    CLR(UART_IMSC) = INT_TX;
    tx_running = false;
    return true;
}

static uint32_t period_us, next_alarm;

void bsp_timer_start(uint32_t hz)
{
    period_us = 1000000u / hz;
    next_alarm = TIMER_TIMERAWL + period_us;
    TIMER_ALARM0 = next_alarm;
    TIMER_INTR = 1;
    SET(TIMER_INTE) = 1;
    nvic_enable(TIMER_IRQ_0);
}

void bsp_timer_stop(void)
{
    CLR(TIMER_INTE) = 1;
    nvic_disable(TIMER_IRQ_0);
}

static void timer_alarm0_isr(void)
{
    TIMER_INTR = 1;
    next_alarm += period_us;
    TIMER_ALARM0 = next_alarm;
    bsp_timer_tick();
}
