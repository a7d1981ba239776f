/*
 * timers_nano33ble.c — the nRF52840's RTC and TIMER against the Product
 * Specification, timed in core cycles (64 MHz): RTC0's compare on LFCLK
 * (started from the RC oscillator by SystemInit), TIMER2 stopped by its
 * COMPARE0_STOP short and read back by CAPTURE, TIMER0 counting 16 MHz.
 */
#include "measure.h"

#define RTC0 0x4000B000u
#define TIMER0 0x40008000u
#define TIMER2 0x4000A000u
#define TASK_START(b) REG32((b) + 0x000)
#define TASK_STOP(b) REG32((b) + 0x004)
#define TASK_CLEAR(b) REG32((b) + 0x00C)
#define TASK_CAPTURE(b, n) REG32((b) + 0x040 + 4 * (n))
#define EVENT_COMPARE(b, n) REG32((b) + 0x140 + 4 * (n))
#define SHORTS(b) REG32((b) + 0x200)
#define INTENSET(b) REG32((b) + 0x304)
#define MODE(b) REG32((b) + 0x504)
#define BITMODE(b) REG32((b) + 0x508)
#define PRESCALER(b) REG32((b) + 0x510)
#define CC(b, n) REG32((b) + 0x540 + 4 * (n))
#define RTC_COUNTER REG32(RTC0 + 0x504)
#define RTC_PRESCALER REG32(RTC0 + 0x508)

enum { TIMER2_IRQn = 10, RTC0_IRQn = 11 };

static volatile unsigned rtc_irqs, timer_irqs;
static volatile uint32_t rtc_at, timer_at;

static void rtc0_isr(void)
{
    EVENT_COMPARE(RTC0, 0) = 0;
    (void)EVENT_COMPARE(RTC0, 0);
    rtc_at = cycles_now();
    rtc_irqs++;
}

static void timer2_isr(void)
{
    EVENT_COMPARE(TIMER2, 0) = 0;
    (void)EVENT_COMPARE(TIMER2, 0);
    timer_at = cycles_now();
    timer_irqs++;
}

int main(void)
{
    bsp_console_init(115200);
    cycles_init();

    /* RTC0: 328 ticks of 32768 Hz = 640625 core cycles, less the phase
     * of the tick the COUNTER read fell in (up to one tick, 1953 cycles). */
    bsp_set_irq_handler(RTC0_IRQn, rtc0_isr);
    nvic_enable(RTC0_IRQn);
    RTC_PRESCALER = 0;
    TASK_START(RTC0) = 1;
    uint32_t t0 = cycles_now();
    uint32_t c0 = RTC_COUNTER;
    CC(RTC0, 0) = c0 + 328;
    INTENSET(RTC0) = 1u << 16; /* COMPARE0 */
    while (!rtc_irqs)
        wait_for_interrupt();
    uint32_t c1 = RTC_COUNTER;
    check_range("rtc0 compare, 328 ticks (cycles)", cycles_since(t0, rtc_at), 640625, 2000, 200);
    check_equal("rtc0 COUNTER at the compare, from its start", c1 - c0, 328);

    /* TIMER2 at 16 MHz (4 core cycles a tick), stopped at CC0 = 4000. */
    bsp_set_irq_handler(TIMER2_IRQn, timer2_isr);
    nvic_enable(TIMER2_IRQn);
    MODE(TIMER2) = 0;
    BITMODE(TIMER2) = 3;
    PRESCALER(TIMER2) = 0;
    CC(TIMER2, 0) = 4000;
    SHORTS(TIMER2) = 1u << 8; /* COMPARE0_STOP */
    INTENSET(TIMER2) = 1u << 16;
    TASK_CLEAR(TIMER2) = 1;
    t0 = cycles_now();
    TASK_START(TIMER2) = 1;
    while (!timer_irqs)
        wait_for_interrupt();
    check_range("timer2 compare at 4000 ticks (cycles)", cycles_since(t0, timer_at), 16000, 0, 100);
    for (volatile int i = 0; i < 200; i++)
        ;
    TASK_CAPTURE(TIMER2, 1) = 1;
    check_equal("timer2 stopped by COMPARE0_STOP at", CC(TIMER2, 1), 4000);
    check_equal("timer2 interrupts", timer_irqs, 1);

    /* TIMER0 free-running at 16 MHz / 2^2 = 4 MHz: 16 cycles a tick. */
    PRESCALER(TIMER0) = 2;
    BITMODE(TIMER0) = 3;
    TASK_START(TIMER0) = 1;
    uint32_t a = cycles_now();
    TASK_CAPTURE(TIMER0, 0) = 1;
    for (volatile int i = 0; i < 1000; i++)
        ;
    TASK_CAPTURE(TIMER0, 1) = 1;
    uint32_t b = cycles_now();
    TASK_STOP(TIMER0) = 1;
    check_range("timer0 capture difference x16 against cycles", 16 * (CC(TIMER0, 1) - CC(TIMER0, 0)),
                cycles_since(a, b), 40, 16);

    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures;
}
