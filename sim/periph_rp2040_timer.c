/*
 * periph_rp2040_timer.c — the RP2040's 64-bit microsecond timer with four
 * alarms (RP2040 datasheet §4.6), counting the watchdog's "tick" (1 MHz as
 * the SDK sets it up).
 *
 * TIMEHR/TIMELR read the time with a latch (reading TIMELR latches the
 * high word TIMEHR returns); TIMERAWH/TIMERAWL read it directly;
 * TIMEHW/TIMELW set it (writing TIMELW, then TIMEHW, which commits).
 * Writing ALARMn arms it; the alarm fires when the low 32 bits of the
 * time equal it: INTR bit n is set, ARMED bit n clears, and interrupt
 * line n (TIMER_IRQ_n) is INTS bit n = (INTR | INTF) & INTE.  INTR is
 * cleared by writing 1.  PAUSE stops the count; DBGPAUSE is plain (no
 * debugger halts the core).
 */
#include "periph.h"

enum { TIMEHW = 0x00, TIMELW = 0x04, TIMEHR = 0x08, TIMELR = 0x0C, ALARM0 = 0x10, ALARM3 = 0x1C, ARMED = 0x20,
       TIMERAWH = 0x24, TIMERAWL = 0x28, DBGPAUSE = 0x2C, PAUSE = 0x30, INTR = 0x34, INTE = 0x38, INTF = 0x3C,
       INTS = 0x40 };

struct rtimer {
    struct periph_counter c;   /* microseconds */
    uint32_t alarm[4], armed, intr, inte, intf, dbgpause, pause;
    uint32_t latched_high, lw;
    uint64_t synced;           /* ticks up to which alarms were checked */
};

static void rate(struct periph *p, uint64_t now)
{
    struct rtimer *t = p->state;
    uint32_t f = periph_clock_hz(p);
    periph_counter_rebase(&t->c, now, f ? f : 1, 1, periph_core_hz(p));
    t->c.running = !t->pause && f;
}

/* The first tick after `after` whose low 32 bits equal a. */
static uint64_t next_hit(uint64_t after, uint32_t a)
{
    uint64_t t = (after & ~0xFFFFFFFFull) | a;
    return t > after ? t : t + (1ull << 32);
}

static void sync(struct periph *p, uint64_t now)
{
    struct rtimer *t = p->state;
    uint64_t T = periph_counter_ticks(&t->c, now);
    if (T > t->synced) {
        for (int n = 0; n < 4; n++)
            if ((t->armed & (1u << n)) && next_hit(t->synced, t->alarm[n]) <= T) {
                t->intr |= 1u << n;
                t->armed &= ~(1u << n);
            }
        t->synced = T;
    }
    uint32_t ints = (t->intr | t->intf) & t->inte;
    for (int n = 0; n < 4; n++)
        periph_irq(p, n, ints & (1u << n));
}

static void reset(struct periph *p)
{
    struct rtimer *t = p->state;
    *t = (struct rtimer){.dbgpause = 7};
    periph_counter_start(&t->c, 0, 0);
    rate(p, 0);
}

static uint32_t peek(struct periph *p, uint32_t off)
{
    struct rtimer *t = p->state;
    if (off >= ALARM0 && off <= ALARM3)
        return t->alarm[(off - ALARM0) / 4];
    switch (off) {
    case ARMED: return t->armed;
    case DBGPAUSE: return t->dbgpause;
    case PAUSE: return t->pause;
    case INTR: return t->intr;
    case INTE: return t->inte;
    case INTF: return t->intf;
    case INTS: return (t->intr | t->intf) & t->inte;
    }
    return 0;
}

static uint32_t read(struct periph *p, uint32_t off, uint64_t now)
{
    struct rtimer *t = p->state;
    sync(p, now);
    uint64_t time = periph_counter_ticks(&t->c, now);
    switch (off) {
    case TIMEHR: return t->latched_high;
    case TIMELR: t->latched_high = (uint32_t)(time >> 32); return (uint32_t)time;
    case TIMERAWH: return (uint32_t)(time >> 32);
    case TIMERAWL: return (uint32_t)time;
    case TIMEHW:
    case TIMELW: return 0;
    }
    if (off <= INTS)
        return peek(p, off);
    return periph_unmodelled_read(p, off, now);
}

static void write(struct periph *p, uint32_t off, uint32_t v, uint32_t mask, uint64_t now)
{
    struct rtimer *t = p->state;
    sync(p, now);
    v &= mask;
    if (off >= ALARM0 && off <= ALARM3) {
        int n = (int)(off - ALARM0) / 4;
        t->alarm[n] = periph_merge(t->alarm[n], v, mask);
        t->armed |= 1u << n;
    } else {
        switch (off) {
        case TIMELW: t->lw = v; break;
        case TIMEHW: {
            uint64_t time = ((uint64_t)v << 32) | t->lw;
            periph_counter_start(&t->c, now, time);
            t->synced = time;
            rate(p, now);
            break;
        }
        case ARMED: t->armed &= ~v; break; /* write 1 to disarm */
        case DBGPAUSE: t->dbgpause = v & 6; break;
        case PAUSE:
            t->pause = v & 1;
            rate(p, now);
            break;
        case INTR: t->intr &= ~v; break;
        case INTE: t->inte = v & 15; break;
        case INTF: t->intf = v & 15; break;
        default:
            periph_unmodelled_write(p, off, v, mask, now);
            return;
        }
    }
    sync(p, now);
}

static uint64_t next_event(struct periph *p)
{
    struct rtimer *t = p->state;
    uint64_t next = PERIPH_NEVER;
    if (!t->c.running)
        return next;
    for (int n = 0; n < 4; n++) {
        if (!(t->armed & t->inte & (1u << n)))
            continue;
        uint64_t c = periph_counter_cycle_at(&t->c, next_hit(t->synced, t->alarm[n]));
        if (c < next)
            next = c;
    }
    return next;
}

const struct periph_model periph_rp2040_timer = {
    .name = "rp2040-timer",
    .summary = "RP2040 TIMER (4.6): 64-bit microsecond count from the watchdog tick, four alarms with interrupts",
    .size = 0x1000,
    .state_size = sizeof(struct rtimer),
    .irqs = (const char *const[]){"alarm0", "alarm1", "alarm2", "alarm3", NULL},
    .reset = reset,
    .peek = peek,
    .read = read,
    .write = write,
    .next_event = next_event,
    .event = sync,
    .clocks_changed = rate,
};
