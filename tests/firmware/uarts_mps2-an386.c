/*
 * uarts_mps2-an386.c — UART1 of the MPS2 (CMSDK APB UART, DDI0479C
 * §4.4; AN386: at 0x40005000, RX interrupt 2, TX 3): polled (STATE's
 * TX-full bit) and interrupt-driven (TX interrupt when the buffer
 * empties), BAUDDIV 217 for 115200 baud from the 25 MHz PCLK.  QEMU
 * connects this UART to its second serial port, not to the console.
 */
#include "uart_check.h"

#define UART1 0x40005000u
#define DATA REG32(UART1 + 0x00)
#define STATE REG32(UART1 + 0x04)
#define CTRL REG32(UART1 + 0x08)
#define INTCLEAR REG32(UART1 + 0x0C)
#define BAUDDIV REG32(UART1 + 0x10)
#define TX_FULL 1u
#define TXEN 1u
#define TXINTEN 4u
#define TX_INT 1u

#define DIV 217u

static void init(void)
{
    BAUDDIV = DIV;
    CTRL = TXEN;
}

static void put(char c)
{
    while (STATE & TX_FULL)
        ;
    DATA = (uint8_t)c;
}

/* The CMSDK UART has no transmitter-idle flag: the buffer empties when
 * its byte moves to the shift register, which then takes one frame. */
static bool idle(void)
{
    while (STATE & TX_FULL)
        ;
    uint32_t emptied = cycles_now();
    while (cycles_since(emptied, cycles_now()) < 10 * DIV)
        ;
    return true;
}

/* The TX interrupt comes when the buffer empties: enable it, then the
 * first byte starts the chain. */
static void start(void)
{
    CTRL = TXEN | TXINTEN;
    int c = uart_check_next_byte();
    if (c >= 0)
        put((char)c);
}

static void isr(void)
{
    INTCLEAR = TX_INT;
    int c = uart_check_next_byte();
    if (c >= 0) {
        put((char)c);
    } else {
        CTRL = TXEN;
        uart_check_finished();
    }
}

int main(void)
{
    bsp_console_init(115200);
    cycles_init();
    static const struct uart_under_test uart1 = {"uart1", 3, 10 * DIV, init, put, idle, start, isr};
    uart_check(&uart1);
    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures;
}
