/*
 * stm32_common.h — what the STM32 board files share: the USART register
 * layout of the L4+ and F7 (RM0432 §50, RM0385 §34: the same IP), the
 * basic timer's, and an interrupt-driven console on them.  Each board
 * file defines the instance addresses and calls these.
 */
#ifndef STM32_COMMON_H
#define STM32_COMMON_H

#include "bsp.h"

#define USART_CR1(b) REG32((b) + 0x00)
#define USART_BRR(b) REG32((b) + 0x0C)
#define USART_ISR(b) REG32((b) + 0x1C)
#define USART_ICR(b) REG32((b) + 0x20)
#define USART_RDR(b) REG32((b) + 0x24)
#define USART_TDR(b) REG32((b) + 0x28)
#define CR1_UE (1u << 0)
#define CR1_RE (1u << 2)
#define CR1_TE (1u << 3)
#define CR1_TCIE (1u << 6)
#define CR1_TXEIE (1u << 7)
#define ISR_RXNE (1u << 5)
#define ISR_TC (1u << 6)
#define ISR_TXE (1u << 7)
#define ISR_TEACK (1u << 21)

#define TIM_CR1(b) REG32((b) + 0x00)
#define TIM_DIER(b) REG32((b) + 0x0C)
#define TIM_SR(b) REG32((b) + 0x10)
#define TIM_EGR(b) REG32((b) + 0x14)
#define TIM_PSC(b) REG32((b) + 0x28)
#define TIM_ARR(b) REG32((b) + 0x2C)

#define GPIO_MODER(b) REG32((b) + 0x00)
#define GPIO_OSPEEDR(b) REG32((b) + 0x08)
#define GPIO_AFR(b, pin) REG32((b) + 0x20 + 4 * ((pin) / 8))

/* Pin `pin` of the port at `base` to alternate function af, high speed. */
static inline void stm32_pin_af(uint32_t base, unsigned pin, unsigned af)
{
    GPIO_MODER(base) = (GPIO_MODER(base) & ~(3u << (2 * pin))) | (2u << (2 * pin));
    GPIO_OSPEEDR(base) |= 3u << (2 * pin);
    GPIO_AFR(base, pin) = (GPIO_AFR(base, pin) & ~(15u << (4 * (pin % 8)))) | (af << (4 * (pin % 8)));
}

static inline void stm32_usart_enable(uint32_t base, uint32_t brr)
{
    USART_CR1(base) = 0;
    USART_BRR(base) = brr;
    USART_CR1(base) = CR1_UE | CR1_TE | CR1_RE;
    while (!(USART_ISR(base) & ISR_TEACK))
        ;
}

static inline void stm32_usart_putc(uint32_t base, char c)
{
    while (!(USART_ISR(base) & ISR_TXE))
        ;
    USART_TDR(base) = (uint8_t)c;
}

static inline int stm32_usart_getc(uint32_t base)
{
    return (USART_ISR(base) & ISR_RXNE) ? (int)(USART_RDR(base) & 0xFF) : -1;
}

/* Interrupt-driven transmission, as HAL_UART_Transmit_IT does it: TXE
 * feeds bytes, TC ends the transfer. */
extern volatile bool stm32_tx_running;

/* New bytes in the ring: (re)start feeding them, also when the transfer
 * was only waiting for its last byte to leave (TCIE). */
static inline void stm32_usart_kick(uint32_t base, unsigned irq)
{
    irq_off();
    stm32_tx_running = true;
    nvic_enable(irq);
    USART_CR1(base) = (USART_CR1(base) & ~CR1_TCIE) | CR1_TXEIE;
    irq_on();
}

static inline void stm32_usart_isr(uint32_t base)
{
    uint32_t isr = USART_ISR(base), cr1 = USART_CR1(base);
    if ((cr1 & CR1_TXEIE) && (isr & ISR_TXE)) {
        int c = console_next_tx();
        if (c >= 0) {
            USART_TDR(base) = (uint32_t)c;
        } else {
            USART_CR1(base) = (cr1 & ~CR1_TXEIE) | CR1_TCIE;
        }
    } else if ((cr1 & CR1_TCIE) && (isr & ISR_TC)) {
        USART_CR1(base) = cr1 & ~CR1_TCIE;
        stm32_tx_running = false;
    }
}

static inline bool stm32_usart_tx_done(uint32_t base)
{
    return !stm32_tx_running && (USART_ISR(base) & ISR_TC);
}

/* A basic timer interrupting at tick_hz from a timer clock of clock_hz. */
static inline void stm32_tim_start(uint32_t base, unsigned irq, uint32_t clock_hz, uint32_t tick_hz)
{
    TIM_CR1(base) = 0;
    TIM_PSC(base) = clock_hz / 1000000u - 1; /* 1 MHz */
    TIM_ARR(base) = 1000000u / tick_hz - 1;
    TIM_EGR(base) = 1;  /* UG: load PSC */
    TIM_SR(base) = 0;   /* UG set UIF */
    TIM_DIER(base) = 1; /* UIE */
    nvic_enable(irq);
    TIM_CR1(base) = 1;  /* CEN */
}

static inline void stm32_tim_stop(uint32_t base, unsigned irq)
{
    TIM_CR1(base) = 0;
    nvic_disable(irq);
}

static inline void stm32_tim_isr(uint32_t base)
{
    TIM_SR(base) = ~1u; /* clear UIF (rc_w0) */
    (void)TIM_SR(base); /* the write reaches the timer before the return */
    bsp_timer_tick();
}

#endif
