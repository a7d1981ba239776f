/*
 * uarts_pico.c — UART1 of the RP2040 (PL011, datasheet §4.2; interrupt
 * 21): taken out of reset (RESETS), polled through the 32-byte FIFO (FR's
 * TXFF, then BUSY) and interrupt-driven (TXIM at the FIFO's trigger
 * level, refilled in the handler), 115200 baud from clk_peri at 125 MHz
 * (IBRD 67, FBRD 52).
 */
#include "uart_check.h"

#define UART1 0x40038000u
#define DR REG32(UART1 + 0x000)
#define FR REG32(UART1 + 0x018)
#define IBRD REG32(UART1 + 0x024)
#define FBRD REG32(UART1 + 0x028)
#define LCR_H REG32(UART1 + 0x02C)
#define CR REG32(UART1 + 0x030)
#define IMSC REG32(UART1 + 0x038)
#define ICR REG32(UART1 + 0x044)
#define FR_BUSY (1u << 3)
#define FR_TXFF (1u << 5)
#define TXIM (1u << 5)

#define RESETS 0x4000C000u
#define RESET_CLR REG32(RESETS + 0x3000)
#define RESET_DONE REG32(RESETS + 0x8)
#define RST_UART1 (1u << 23)

static void init(void)
{
    RESET_CLR = RST_UART1;
    while (!(RESET_DONE & RST_UART1))
        ;
    IBRD = 67;
    FBRD = 52;
    LCR_H = (3u << 5) | (1u << 4); /* 8 bits, FIFOs on */
    CR = (1u << 0) | (1u << 8);    /* UARTEN, TXE */
}

static void put(char c)
{
    while (FR & FR_TXFF)
        ;
    DR = (uint8_t)c;
}

static bool idle(void)
{
    return !(FR & FR_BUSY);
}

static void fill(void)
{
    while (!(FR & FR_TXFF)) {
        int c = uart_check_next_byte();
        if (c < 0) {
            IMSC &= ~TXIM;
            uart_check_finished();
            return;
        }
        DR = (uint32_t)c;
    }
}

static void start(void)
{
    /* The TX interrupt comes when the FIFO drains to its trigger level:
     * fill it first, as the Pico SDK's examples do. */
    fill();
    IMSC |= TXIM;
}

static void isr(void)
{
    ICR = TXIM;
    fill();
}

int main(void)
{
    bsp_console_init(115200);
    cycles_init();
    /* 16 x (67 + 52/64) clk_peri cycles per bit. */
    static const struct uart_under_test uart1 = {"uart1", 21, 10 * 16 * 67 + 10 * 16 * 52 / 64, init, put, idle,
                                                 start, isr};
    uart_check(&uart1);
    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures;
}
