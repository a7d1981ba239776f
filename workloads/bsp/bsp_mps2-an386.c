/*
 * bsp_mps2-an386.c — Arm MPS2+ with the AN386 FPGA image (Cortex-M4F at
 * 25 MHz), and QEMU's -M mps2-an386.  Sources: AN386 "Cortex-M4 SMM on
 * V2M-MPS2" (memory map, interrupts: UART0 RX 0 / TX 1, TIMER0 8);
 * Cortex-M System Design Kit TRM DDI0479C (the CMSDK APB UART §4.4 and
 * timer §4.3).  The FPGA's clock is fixed: start-up only turns the FPU on
 * and points VTOR at the vector table, as CMSIS's SystemInit does.
 */
#include "bsp.h"

#define UART0 0x40004000u
#define UART_DATA REG32(UART0 + 0x00)
#define UART_STATE REG32(UART0 + 0x04)
#define UART_CTRL REG32(UART0 + 0x08)
#define UART_INTCLEAR REG32(UART0 + 0x0C)
#define UART_BAUDDIV REG32(UART0 + 0x10)
#define STATE_TXFULL 1u
#define STATE_RXFULL 2u
#define CTRL_TXEN 1u
#define CTRL_RXEN 2u
#define CTRL_TXINTEN 4u
#define INT_TX 1u

#define TIMER0 0x40000000u
#define TIMER_CTRL REG32(TIMER0 + 0x00)
#define TIMER_VALUE REG32(TIMER0 + 0x04)
#define TIMER_RELOAD REG32(TIMER0 + 0x08)
#define TIMER_INTCLEAR REG32(TIMER0 + 0x0C)
#define TIMER_EN 1u
#define TIMER_IRQEN 8u

enum { UART0_RX_IRQn = 0, UART0_TX_IRQn = 1, TIMER0_IRQn = 8 };

#define SYSCLK_HZ 25000000u

const char bsp_board_name[] = "mps2-an386";
const char bsp_timer_name[] = "CMSDK TIMER0";

void Reset_Handler(void);
void Default_Handler(void);
void PendSV_Handler(void);
void SysTick_Handler(void);
static void uart0_tx_isr(void);
static void timer0_isr(void);
extern char __stack_top[];

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
__attribute__((section(".vectors"), used)) static void (*const vectors[16 + 32])(void) = {
    [0] = (void (*)(void))__stack_top,
    [1] = Reset_Handler,
    [2 ... 16 + 31] = Default_Handler,
    [14] = PendSV_Handler,
    [15] = SysTick_Handler,
    [16 + UART0_TX_IRQn] = uart0_tx_isr,
    [16 + TIMER0_IRQn] = timer0_isr,
};
#pragma GCC diagnostic pop

void SystemInit(void)
{
    SCB_VTOR = (uint32_t)vectors;
    SCB_CPACR |= 0xFu << 20; /* CP10, CP11: full access */
    __asm volatile("dsb\n isb");
}

uint32_t bsp_core_hz(void)
{
    return SYSCLK_HZ;
}

void bsp_console_init(uint32_t baud)
{
    UART_BAUDDIV = SYSCLK_HZ / baud;
    UART_CTRL = CTRL_TXEN | CTRL_RXEN;
}

void bsp_console_putc(char c)
{
    while (UART_STATE & STATE_TXFULL)
        ;
    UART_DATA = (uint8_t)c;
}

int bsp_console_getc(void)
{
    return (UART_STATE & STATE_RXFULL) ? (int)(UART_DATA & 0xFF) : -1;
}

static volatile bool tx_running;

void bsp_console_tx_kick(void)
{
    irq_off();
    if (!tx_running) {
        /* The UART interrupts when its buffer empties: the first byte
         * starts the chain. */
        int c = console_next_tx();
        if (c >= 0) {
            tx_running = true;
            nvic_enable(UART0_TX_IRQn);
            UART_CTRL |= CTRL_TXINTEN;
            UART_DATA = (uint32_t)c;
        }
    }
    irq_on();
}

static void uart0_tx_isr(void)
{
    UART_INTCLEAR = INT_TX;
    int c = console_next_tx();
    if (c >= 0) {
        UART_DATA = (uint32_t)c;
    } else {
        UART_CTRL &= ~CTRL_TXINTEN;
        tx_running = false;
    }
}

bool bsp_console_tx_done(void)
{
    /* The CMSDK UART has no transmit-complete flag: empty buffer. */
    return !tx_running && !(UART_STATE & STATE_TXFULL);
}

void bsp_timer_start(uint32_t hz)
{
    TIMER_CTRL = 0;
    TIMER_RELOAD = SYSCLK_HZ / hz - 1;
    TIMER_INTCLEAR = 1;
    nvic_enable(TIMER0_IRQn);
    TIMER_CTRL = TIMER_EN | TIMER_IRQEN;
}

void bsp_timer_stop(void)
{
    TIMER_CTRL = 0;
    nvic_disable(TIMER0_IRQn);
}

static void timer0_isr(void)
{
    TIMER_INTCLEAR = 1;
    bsp_timer_tick();
}
