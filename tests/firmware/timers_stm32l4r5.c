/*
 * timers_stm32l4r5.c — the STM32L4R5's TIM2 and LPTIM1 against RM0432,
 * timed in core cycles (120 MHz, APB1 undivided): TIM2's compare
 * interrupt (CC1IF at CCR1), TIM2 in one-pulse mode (one update, then
 * CEN clears), LPTIM1 on the LSI (32 kHz) with ARRM interrupts.
 */
#include "measure.h"

#define RCC 0x40021000u
#define RCC_APB1ENR1 REG32(RCC + 0x58)
#define RCC_CCIPR REG32(RCC + 0x88)
#define RCC_CSR REG32(RCC + 0x94)

#define TIM2 0x40000000u
#define TIM_CR1 REG32(TIM2 + 0x00)
#define TIM_DIER REG32(TIM2 + 0x0C)
#define TIM_SR REG32(TIM2 + 0x10)
#define TIM_EGR REG32(TIM2 + 0x14)
#define TIM_CCMR1 REG32(TIM2 + 0x18)
#define TIM_CNT REG32(TIM2 + 0x24)
#define TIM_PSC REG32(TIM2 + 0x28)
#define TIM_ARR REG32(TIM2 + 0x2C)
#define TIM_CCR1 REG32(TIM2 + 0x34)

#define LPTIM1 0x40007C00u
#define LP_ISR REG32(LPTIM1 + 0x00)
#define LP_ICR REG32(LPTIM1 + 0x04)
#define LP_IER REG32(LPTIM1 + 0x08)
#define LP_CFGR REG32(LPTIM1 + 0x0C)
#define LP_CR REG32(LPTIM1 + 0x10)
#define LP_ARR REG32(LPTIM1 + 0x18)

enum { TIM2_IRQn = 28, LPTIM1_IRQn = 65 };

static volatile unsigned tim_irqs, lp_irqs;
static volatile uint32_t tim_at, lp_at[8];

static void tim2_isr(void)
{
    TIM_SR = 0;
    (void)TIM_SR;
    tim_at = cycles_now();
    tim_irqs++;
}

static void lptim1_isr(void)
{
    LP_ICR = 2; /* ARRM */
    (void)LP_ISR;
    if (lp_irqs < 8)
        lp_at[lp_irqs] = cycles_now();
    lp_irqs++;
}

int main(void)
{
    bsp_console_init(115200);
    cycles_init();
    RCC_APB1ENR1 |= 1u << 0; /* TIM2EN */
    (void)RCC_APB1ENR1;

    /* TIM2 at 1 MHz (PSC 119), compare at 5000 µs. */
    bsp_set_irq_handler(TIM2_IRQn, tim2_isr);
    nvic_enable(TIM2_IRQn);
    TIM_PSC = 119;
    TIM_ARR = 0xFFFFFFFF;
    TIM_CCMR1 = 0;           /* channel 1: output compare, frozen */
    TIM_CCR1 = 5000;
    TIM_EGR = 1;             /* UG: load PSC, counter 0 */
    TIM_SR = 0;
    TIM_DIER = 1u << 1;      /* CC1IE */
    uint32_t t0 = cycles_now();
    TIM_CR1 = 1;
    while (!tim_irqs)
        wait_for_interrupt();
    check_range("tim2 compare at 5000 us (cycles)", cycles_since(t0, tim_at), 600000, 0, 200);
    TIM_CR1 = 0;

    /* One pulse: ARR 999 at 1 MHz, one update interrupt, CEN clears. */
    tim_irqs = 0;
    TIM_CNT = 0;
    TIM_ARR = 999;
    TIM_DIER = 1;            /* UIE */
    t0 = cycles_now();
    TIM_CR1 = (1u << 3) | 1; /* OPM, CEN */
    uint32_t w = cycles_now();
    while (cycles_since(w, cycles_now()) < 400000)
        ;
    check_equal("tim2 one-pulse: update interrupts", tim_irqs, 1);
    check_range("  after (cycles)", cycles_since(t0, tim_at), 120000, 0, 200);
    check_equal("  CEN after the pulse", TIM_CR1 & 1, 0);

    /* LPTIM1 on the LSI: ARR 31 is 32 ticks of 32 kHz, 1 ms. */
    RCC_CSR |= 1u;           /* LSION */
    while (!(RCC_CSR & 2u))  /* LSIRDY */
        ;
    RCC_CCIPR = (RCC_CCIPR & ~(3u << 18)) | (1u << 18); /* LPTIM1SEL: LSI */
    RCC_APB1ENR1 |= 1u << 31;                           /* LPTIM1EN */
    (void)RCC_APB1ENR1;
    bsp_set_irq_handler(LPTIM1_IRQn, lptim1_isr);
    nvic_enable(LPTIM1_IRQn);
    LP_CFGR = 0;
    LP_IER = 2;              /* ARRMIE */
    LP_CR = 1;               /* ENABLE */
    LP_ARR = 31;
    while (!(LP_ISR & (1u << 4))) /* ARROK */
        ;
    LP_ICR = 1u << 4;
    t0 = cycles_now();
    LP_CR = 1 | 4;           /* CNTSTRT */
    while (lp_irqs < 5)
        wait_for_interrupt();
    LP_CR = 0;
    check_range("lptim1 on LSI, 5 periods (cycles)", cycles_since(t0, lp_at[4]), 600000 - 3750, 0, 200);
    check_range("  one period (cycles)", cycles_since(lp_at[3], lp_at[4]), 120000, 10, 10);

    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures;
}
