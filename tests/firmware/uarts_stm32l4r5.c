/*
 * uarts_stm32l4r5.c — USART2 of the STM32L4R5 (RM0432 §50), the
 * console's neighbour: polled (TXE, then TC) and interrupt-driven (TXEIE
 * feeding TDR, TCIE ending), 115200 baud from PCLK1 at 120 MHz.  The pins
 * (PD5/PD6 on the Nucleo) would need port D, which the board leaves to
 * its unmodelled mode, so they are not set up here.
 */
#include "stm32_common.h"
#include "uart_check.h"

#define USART2 0x40004400u
#define RCC_APB1ENR1 REG32(0x40021058u)
#define RCC_CCIPR REG32(0x40021088u)
#define BRR (120000000u / 115200u + 1) /* 1042: rounded to nearest */

static void init(void)
{
    RCC_APB1ENR1 |= 1u << 17;    /* USART2EN */
    RCC_CCIPR &= ~(3u << 2);     /* USART2SEL: PCLK1 */
    stm32_usart_enable(USART2, BRR);
}

static void put(char c)
{
    stm32_usart_putc(USART2, c);
}

static bool idle(void)
{
    return USART_ISR(USART2) & ISR_TC;
}

static void start(void)
{
    USART_CR1(USART2) |= CR1_TXEIE;
}

static void isr(void)
{
    uint32_t isr = USART_ISR(USART2), cr1 = USART_CR1(USART2);
    if ((cr1 & CR1_TXEIE) && (isr & ISR_TXE)) {
        int c = uart_check_next_byte();
        if (c >= 0)
            USART_TDR(USART2) = (uint32_t)c;
        else
            USART_CR1(USART2) = (cr1 & ~CR1_TXEIE) | CR1_TCIE;
    } else if ((cr1 & CR1_TCIE) && (isr & ISR_TC)) {
        USART_CR1(USART2) = cr1 & ~CR1_TCIE;
        uart_check_finished();
    }
}

int main(void)
{
    bsp_console_init(115200);
    cycles_init();
    static const struct uart_under_test usart2 = {"usart2", 38, 10 * BRR, init, put, idle, start, isr};
    uart_check(&usart2);
    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures;
}
