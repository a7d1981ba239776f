/*
 * timers_pico.c — the RP2040's TIMER alarms and SIO against the datasheet
 * (§4.6, §2.3.1.5, §2.3.1.3): three alarms armed out of order fire in
 * deadline order at their microsecond; the hardware divider agrees with
 * the C division (libgcc's, in software here) including division by
 * zero; a spinlock is claimed once.
 */
#include "measure.h"

#define TIMER 0x40054000u
#define ALARM(n) REG32(TIMER + 0x10 + 4 * (n))
#define TIMERAWL REG32(TIMER + 0x28)
#define INTR REG32(TIMER + 0x34)
#define INTE REG32(TIMER + 0x38)

#define SIO 0xD0000000u
#define DIV_UDIVIDEND REG32(SIO + 0x060)
#define DIV_UDIVISOR REG32(SIO + 0x064)
#define DIV_SDIVIDEND REG32(SIO + 0x068)
#define DIV_SDIVISOR REG32(SIO + 0x06C)
#define DIV_QUOTIENT REG32(SIO + 0x070)
#define DIV_REMAINDER REG32(SIO + 0x074)
#define SPINLOCK(n) REG32(SIO + 0x100 + 4 * (n))

static volatile int order[3], fired;
static volatile uint32_t when[4];

static void alarm_isr(unsigned n)
{
    INTR = 1u << n;
    when[n] = TIMERAWL;
    order[fired++] = (int)n;
}

static void alarm1_isr(void) { alarm_isr(1); }
static void alarm2_isr(void) { alarm_isr(2); }
static void alarm3_isr(void) { alarm_isr(3); }

int main(void)
{
    bsp_console_init(115200);
    bsp_set_irq_handler(1, alarm1_isr);
    bsp_set_irq_handler(2, alarm2_isr);
    bsp_set_irq_handler(3, alarm3_isr);
    nvic_enable(1);
    nvic_enable(2);
    nvic_enable(3);
    uint32_t t0 = TIMERAWL;
    ALARM(1) = t0 + 300;
    ALARM(2) = t0 + 100;
    ALARM(3) = t0 + 200;
    INTE = 0xE;
    while (fired < 3)
        wait_for_interrupt();
    printf("alarms fired in order %d %d %d\n", order[0], order[1], order[2]);
    failures += !(order[0] == 2 && order[1] == 3 && order[2] == 1);
    check_range("alarm 2 at (us)", when[2] - t0, 100, 0, 1);
    check_range("alarm 3 at (us)", when[3] - t0, 200, 0, 1);
    check_range("alarm 1 at (us)", when[1] - t0, 300, 0, 1);

    static const int32_t cases[][2] = {{100, 7}, {-100, 7}, {100, -7}, {-100, -7}, {0, 5}, {7, 0}, {-7, 0},
                                       {2147483647, 2}, {-2147483647 - 1, -1}, {12345678, 1}};
    int good = 0, n = (int)(sizeof cases / sizeof cases[0]);
    for (int i = 0; i < n; i++) {
        int32_t a = cases[i][0], b = cases[i][1];
        DIV_SDIVIDEND = (uint32_t)a;
        DIV_SDIVISOR = (uint32_t)b;
        int32_t q = (int32_t)DIV_QUOTIENT, r = (int32_t)DIV_REMAINDER;
        int32_t eq = b == 0 ? (a < 0 ? 1 : -1) : (a == -2147483647 - 1 && b == -1) ? a : a / b;
        int32_t er = b == 0 ? a : (a == -2147483647 - 1 && b == -1) ? 0 : a % b;
        DIV_UDIVIDEND = (uint32_t)a;
        DIV_UDIVISOR = (uint32_t)b;
        uint32_t uq = DIV_QUOTIENT, ur = DIV_REMAINDER;
        uint32_t euq = b == 0 ? 0xFFFFFFFFu : (uint32_t)a / (uint32_t)b;
        uint32_t eur = b == 0 ? (uint32_t)a : (uint32_t)a % (uint32_t)b;
        good += q == eq && r == er && uq == euq && ur == eur;
    }
    check_equal("divider cases agreeing with C", (unsigned long)good, (unsigned long)n);

    uint32_t first = SPINLOCK(5), second = SPINLOCK(5);
    SPINLOCK(5) = 0;
    uint32_t third = SPINLOCK(5);
    SPINLOCK(5) = 0;
    check_equal("spinlock 5 claimed, busy, claimed again", (first != 0) + 2 * (second == 0) + 4 * (third != 0), 7);

    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures;
}
