/*
 * timers_mps2-an386.c — the MPS2's other timers against the CMSDK TRM
 * (DDI0479C §4.3, §4.5) and AN386 §3.8, timed in core cycles (25 MHz PCLK
 * is the core clock): the dual timer periodic with prescale 16 and
 * one-shot, the second CMSDK timer's VALUE counting PCLK, the FPGAIO's
 * prescaled COUNTER.
 */
#include "measure.h"

#define DUAL 0x40002000u
#define D_LOAD(t) REG32(DUAL + 0x20 * (t) + 0x00)
#define D_VALUE(t) REG32(DUAL + 0x20 * (t) + 0x04)
#define D_CONTROL(t) REG32(DUAL + 0x20 * (t) + 0x08)
#define D_INTCLR(t) REG32(DUAL + 0x20 * (t) + 0x0C)
#define D_RIS(t) REG32(DUAL + 0x20 * (t) + 0x10)
#define ONESHOT 1u
#define SIZE32 2u
#define PRESCALE16 (1u << 2)
#define INTEN 0x20u
#define PERIODIC 0x40u
#define ENABLE 0x80u

#define TIMER1 0x40001000u
#define FPGAIO 0x40028000u

enum { DUALTIMER_IRQn = 10 };

static volatile unsigned irqs[2];
static volatile uint32_t at[2][8];

static void dual_isr(void)
{
    for (int t = 0; t < 2; t++)
        if (D_RIS(t)) {
            D_INTCLR(t) = 1;
            if (irqs[t] < 8)
                at[t][irqs[t]] = cycles_now();
            irqs[t]++;
        }
}

int main(void)
{
    bsp_console_init(115200);
    cycles_init();
    bsp_set_irq_handler(DUALTIMER_IRQn, dual_isr);
    nvic_enable(DUALTIMER_IRQn);

    /* Periodic, /16: an interrupt when the counter reaches 0, reloading
     * LOAD after one more tick: LOAD + 1 ticks of 16 cycles apart. */
    D_LOAD(0) = 1562;
    uint32_t t0 = cycles_now();
    D_CONTROL(0) = PERIODIC | SIZE32 | PRESCALE16 | INTEN | ENABLE;
    while (irqs[0] < 5)
        wait_for_interrupt();
    D_CONTROL(0) = 0;
    check_range("dual timer 1, periodic /16, 5 periods (cycles)", cycles_since(t0, at[0][4]), 5 * 1563 * 16, 0, 150);
    check_range("  one period (cycles)", cycles_since(at[0][3], at[0][4]), 1563 * 16, 40, 40);

    /* One-shot: one interrupt, then the counter rests at 0. */
    D_LOAD(1) = 2000;
    D_CONTROL(1) = ONESHOT | SIZE32 | INTEN | ENABLE;
    uint32_t t1 = cycles_now();
    while (cycles_since(t1, cycles_now()) < 20000)
        ;
    check_equal("dual timer 2, one-shot: interrupts", irqs[1], 1);
    check_equal("  value after it", D_VALUE(1), 0);
    D_CONTROL(1) = 0;

    /* The CMSDK timer counts PCLK down: two reads differ by the cycles
     * between the reading instructions. */
    REG32(TIMER1 + 0x08) = 0x00FFFFFF; /* RELOAD (and VALUE) */
    REG32(TIMER1 + 0x00) = 1;          /* EN */
    uint32_t a = cycles_now();
    uint32_t v0 = REG32(TIMER1 + 0x04);
    for (volatile int i = 0; i < 100; i++)
        ;
    uint32_t v1 = REG32(TIMER1 + 0x04);
    uint32_t b = cycles_now();
    REG32(TIMER1 + 0x00) = 0;
    check_range("timer 1 VALUE, decrease against cycles", v0 - v1, cycles_since(a, b), 20, 0);

    /* FPGAIO: PSCNTR reloads PRESCALE each time it passes zero, COUNTER
     * counts those: PRESCALE 24 makes it count microseconds at 25 MHz. */
    REG32(FPGAIO + 0x1C) = 24;
    REG32(FPGAIO + 0x20) = 24;
    REG32(FPGAIO + 0x18) = 0;
    uint32_t c0 = cycles_now();
    while (cycles_since(c0, cycles_now()) < 25000)
        ;
    check_range("fpgaio COUNTER after 1000 us", REG32(FPGAIO + 0x18), 1000, 0, 2);

    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures;
}
