/*
 * timers_stm32f746disco.c — the STM32F746's TIM2 and LPTIM1 against
 * RM0385, timed in core cycles (216 MHz; APB1 at /4, so the timer clock
 * is 108 MHz and PCLK1 54 MHz): TIM2's update interrupt at 1 kHz, LPTIM1
 * on PCLK1 / 128.
 */
#include "measure.h"

#define RCC 0x40023800u
#define RCC_APB1ENR REG32(RCC + 0x40)
#define RCC_DCKCFGR2 REG32(RCC + 0x90)

#define TIM2 0x40000000u
#define TIM_CR1 REG32(TIM2 + 0x00)
#define TIM_DIER REG32(TIM2 + 0x0C)
#define TIM_SR REG32(TIM2 + 0x10)
#define TIM_EGR REG32(TIM2 + 0x14)
#define TIM_PSC REG32(TIM2 + 0x28)
#define TIM_ARR REG32(TIM2 + 0x2C)

#define LPTIM1 0x40002400u
#define LP_ISR REG32(LPTIM1 + 0x00)
#define LP_ICR REG32(LPTIM1 + 0x04)
#define LP_IER REG32(LPTIM1 + 0x08)
#define LP_CFGR REG32(LPTIM1 + 0x0C)
#define LP_CR REG32(LPTIM1 + 0x10)
#define LP_ARR REG32(LPTIM1 + 0x18)

enum { TIM2_IRQn = 28, LPTIM1_IRQn = 93 };

static volatile unsigned tim_irqs, lp_irqs;
static volatile uint32_t tim_at[8], lp_at[8];

static void tim2_isr(void)
{
    TIM_SR = 0;
    (void)TIM_SR;
    if (tim_irqs < 8)
        tim_at[tim_irqs] = cycles_now();
    tim_irqs++;
}

static void lptim1_isr(void)
{
    LP_ICR = 2;
    (void)LP_ISR;
    if (lp_irqs < 8)
        lp_at[lp_irqs] = cycles_now();
    lp_irqs++;
}

int main(void)
{
    bsp_console_init(115200);
    cycles_init();
    RCC_APB1ENR |= (1u << 0) | (1u << 9); /* TIM2EN, LPTIM1EN */
    (void)RCC_APB1ENR;

    bsp_set_irq_handler(TIM2_IRQn, tim2_isr);
    nvic_enable(TIM2_IRQn);
    TIM_PSC = 107;           /* 108 MHz / 108 = 1 MHz */
    TIM_ARR = 999;
    TIM_EGR = 1;
    TIM_SR = 0;
    TIM_DIER = 1;
    uint32_t t0 = cycles_now();
    TIM_CR1 = 1;
    while (tim_irqs < 5)
        wait_for_interrupt();
    TIM_CR1 = 0;
    check_range("tim2 update at 1 kHz, 5 periods (cycles)", cycles_since(t0, tim_at[4]), 5 * 216000, 0, 300);
    check_range("  one period (cycles)", cycles_since(tim_at[3], tim_at[4]), 216000, 20, 20);

    RCC_DCKCFGR2 &= ~(3u << 24); /* LPTIM1SEL: PCLK1 */
    bsp_set_irq_handler(LPTIM1_IRQn, lptim1_isr);
    nvic_enable(LPTIM1_IRQn);
    LP_CFGR = 7u << 9;       /* PRESC /128 */
    LP_IER = 2;
    LP_CR = 1;
    LP_ARR = 421;            /* 422 * 128 / 54 MHz, about 1 ms */
    while (!(LP_ISR & (1u << 4)))
        ;
    LP_ICR = 1u << 4;
    t0 = cycles_now();
    LP_CR = 1 | 4;
    while (lp_irqs < 5)
        wait_for_interrupt();
    LP_CR = 0;
    /* ARRM at CNT = ARR: 421 ticks to the first, 422 between. */
    check_range("lptim1 /128, 5 ARR matches (cycles)", cycles_since(t0, lp_at[4]), (421 + 4 * 422) * 128 * 4, 0, 300);
    check_range("  one period (cycles)", cycles_since(lp_at[3], lp_at[4]), 422 * 128 * 4, 20, 20);

    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures;
}
