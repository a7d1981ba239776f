/*
 * periph_nrf_timer.c — the nRF52840's TIMER and RTC (Product Specification
 * v1.7, "TIMER" and "RTC").
 *
 * TIMER (TIMER0-2 with four compare channels, TIMER3-4 with six: the `cc`
 * parameter): in timer mode it counts at 16 MHz / 2^PRESCALER ("hfclk")
 * from START to STOP, wrapping at its BITMODE width; COMPARE[n] is raised
 * when the counter equals CC[n]; SHORTS COMPARE[n]_CLEAR restarts it from
 * 0 at that moment (a period of CC[n] ticks) and COMPARE[n]_STOP stops
 * it; CAPTURE[n] copies the counter to CC[n]; CLEAR zeroes it.  In counter
 * mode only the COUNT task advances it.
 *
 * RTC (24-bit): counts LFCLK ("lfclk", running only once the CLOCK block
 * started it) divided by PRESCALER + 1 from START; TICK each count,
 * OVRFLW at the wrap, COMPARE[n] when COUNTER equals CC[n]; EVTEN gates
 * what reaches the event registers as INTEN gates the interrupt (the
 * interrupt needs INTEN only, as on silicon).  CLEAR zeroes COUNTER,
 * TRIGOVRFLW sets it to 0xFFFFF0.
 *
 * Counters are computed from the cycle they were started at; only the
 * next enabled event is scheduled.
 */
#include "periph_nrf.h"

/* ---- a counter with compare channels ---- */

/* The count since `c` started is T ticks; the counter value is
 * start + T below the first clear, then cycles through 0..period-1. */
struct cmp_counter {
    struct periph_counter c;
    uint32_t start;        /* value at the (re)start */
    uint64_t width;        /* 2^bits */
    int clear_ch;          /* channel whose compare clears it, -1 none */
    uint32_t clear_at;     /* that channel's CC */
    uint64_t synced;       /* ticks up to which events were raised */
};

/* Ticks from the start to the first clear (the counter reaching clear_at
 * from `start`, through a wrap if it is above). */
static uint64_t first_clear(const struct cmp_counter *k)
{
    uint64_t d = ((uint64_t)k->clear_at + k->width - k->start) % k->width;
    return d ? d : k->width;
}

static uint32_t counter_value(const struct cmp_counter *k, uint64_t t)
{
    if (k->clear_ch < 0 || k->clear_at == 0)
        return (uint32_t)((k->start + t) % k->width);
    uint64_t d0 = first_clear(k);
    if (t < d0)
        return (uint32_t)((k->start + t) % k->width);
    return (uint32_t)((t - d0) % k->clear_at);
}

/* The first tick after `after` at which the counter equals cc, or NEVER. */
static uint64_t next_match(const struct cmp_counter *k, uint32_t cc, uint64_t after)
{
    uint64_t w = k->width;
    cc = (uint32_t)(cc % w);
    if (k->clear_ch < 0 || k->clear_at == 0) {
        uint64_t base = (cc + w - k->start % w) % w; /* first tick with value cc (0: now) */
        if (base == 0)
            base = w;
        if (base > after)
            return base;
        return base + ((after - base) / w + 1) * w;
    }
    uint64_t d0 = first_clear(k), p = k->clear_at;
    /* Before the first clear: start, start+1, ... (through a wrap). */
    uint64_t lin = (cc + w - k->start % w) % w;
    if (lin == 0)
        lin = w;
    if (lin < d0 && lin > after)
        return lin;
    if (cc == k->clear_at % w || cc == 0) {
        /* The clearing compare itself, at every clear. */
        uint64_t m = after < d0 ? 0 : (after - d0) / p + 1;
        return d0 + m * p;
    }
    if (cc >= p)
        return PERIPH_NEVER;
    uint64_t first = d0 + cc;
    if (first > after)
        return first;
    return first + ((after - first) / p + 1) * p;
}

/* ---- TIMER ---- */

enum {
    T_START = 0x000, T_STOP = 0x004, T_COUNT = 0x008, T_CLEAR = 0x00C, T_SHUTDOWN = 0x010, T_CAPTURE = 0x040,
    T_EV_COMPARE = 0x140, T_MODE = 0x504, T_BITMODE = 0x508, T_PRESCALER = 0x510, T_CC = 0x540,
};
#define MAX_CC 6

struct timer {
    unsigned n_cc;
    struct nrf_events ev;
    uint32_t shorts, mode, bitmode, prescaler, cc[MAX_CC];
    bool running;
    struct cmp_counter k;
};

static int timer_init(struct periph *p, char *err, size_t errlen)
{
    struct timer *t = p->state;
    uint32_t n;
    if (periph_param_u32(p, "cc", 4, &n, err, errlen))
        return -1;
    if (n < 1 || n > MAX_CC) {
        snprintf(err, errlen, "'cc' is the number of compare channels, 1-%d, not %u", MAX_CC, n);
        p->err_line = periph_param_line(p, "cc");
        return -1;
    }
    t->n_cc = n;
    return 0;
}

static uint64_t timer_width(const struct timer *t)
{
    static const unsigned bits[4] = {16, 8, 24, 32};
    return 1ull << bits[t->bitmode & 3];
}

static void timer_rate(struct periph *p, uint64_t now)
{
    struct timer *t = p->state;
    uint32_t f = periph_clock_hz(p);
    periph_counter_rebase(&t->k.c, now, f ? f : 1, 1ull << (t->prescaler > 9 ? 9 : t->prescaler),
                          periph_core_hz(p));
    t->k.c.running = t->running && t->mode == 0 && f;
}

static uint32_t timer_value(const struct timer *t, uint64_t now)
{
    return counter_value(&t->k, periph_counter_ticks(&t->k.c, now));
}

/* Restarts the count at `value` from `now` with the current shape. */
static void timer_restart(struct periph *p, uint64_t now, uint32_t value)
{
    struct timer *t = p->state;
    t->k.width = timer_width(t);
    t->k.start = (uint32_t)(value % t->k.width);
    t->k.clear_ch = -1;
    for (unsigned n = 0; n < t->n_cc; n++)
        if (t->shorts & (1u << n)) {
            t->k.clear_ch = (int)n;
            t->k.clear_at = (uint32_t)(t->cc[n] % t->k.width);
            break;
        }
    periph_counter_start(&t->k.c, now, 0);
    t->k.synced = 0;
    timer_rate(p, now);
}

static void timer_sync(struct periph *p, uint64_t now)
{
    struct timer *t = p->state;
    uint64_t T = periph_counter_ticks(&t->k.c, now);
    if (T > t->k.synced) {
        /* A STOP short halts the counter at its channel's first compare. */
        uint64_t stop = PERIPH_NEVER;
        for (unsigned n = 0; n < t->n_cc; n++) {
            uint64_t m = next_match(&t->k, t->cc[n], t->k.synced);
            if ((t->shorts & (1u << (n + 8))) && m <= T && m < stop)
                stop = m;
        }
        uint64_t end = stop < T ? stop : T;
        for (unsigned n = 0; n < t->n_cc; n++)
            if (next_match(&t->k, t->cc[n], t->k.synced) <= end)
                t->ev.set |= NRF_EVENT_BIT(T_EV_COMPARE + 4 * n);
        if (stop != PERIPH_NEVER) {
            uint32_t v = counter_value(&t->k, stop);
            uint64_t at = periph_counter_cycle_at(&t->k.c, stop);
            t->running = false;
            timer_restart(p, at, v);
        } else {
            t->k.synced = T;
        }
    }
    periph_irq(p, 0, nrf_irq_level(&t->ev));
}

static void timer_reset(struct periph *p)
{
    struct timer *t = p->state;
    unsigned n = t->n_cc;
    *t = (struct timer){.n_cc = n};
    timer_restart(p, 0, 0);
}

static uint32_t timer_read(struct periph *p, uint32_t off, uint64_t now)
{
    struct timer *t = p->state;
    timer_sync(p, now);
    uint32_t v;
    if (nrf_events_read(&t->ev, off, &v))
        return v;
    switch (off) {
    case NRF_SHORTS: return t->shorts;
    case T_MODE: return t->mode;
    case T_BITMODE: return t->bitmode;
    case T_PRESCALER: return t->prescaler;
    }
    if (off >= T_CC && off < T_CC + 4 * t->n_cc)
        return t->cc[(off - T_CC) / 4];
    if (off < 0x100)
        return 0;
    return periph_unmodelled_read(p, off, now);
}

static void timer_write(struct periph *p, uint32_t off, uint32_t v, uint32_t mask, uint64_t now)
{
    struct timer *t = p->state;
    timer_sync(p, now);
    if (nrf_events_write(&t->ev, off, v, mask)) {
        timer_sync(p, now);
        return;
    }
    bool task = nrf_task(v, mask);
    uint32_t value = timer_value(t, now);
    switch (off) {
    case T_START:
        if (task) {
            t->running = true;
            timer_restart(p, now, value);
        }
        break;
    case T_STOP:
    case T_SHUTDOWN:
        if (task) {
            t->running = false;
            timer_restart(p, now, value);
        }
        break;
    case T_COUNT:
        if (task && t->mode != 0)
            timer_restart(p, now, value + 1);
        break;
    case T_CLEAR:
        if (task)
            timer_restart(p, now, 0);
        break;
    case NRF_SHORTS:
        t->shorts = periph_merge(t->shorts, v, mask);
        timer_restart(p, now, value);
        break;
    case T_MODE: t->mode = periph_merge(t->mode, v, mask) & 3; timer_restart(p, now, value); break;
    case T_BITMODE: t->bitmode = periph_merge(t->bitmode, v, mask) & 3; timer_restart(p, now, value); break;
    case T_PRESCALER: t->prescaler = periph_merge(t->prescaler, v, mask) & 0xF; timer_restart(p, now, value); break;
    default:
        if (off >= T_CAPTURE && off < T_CAPTURE + 4 * t->n_cc) {
            if (task)
                t->cc[(off - T_CAPTURE) / 4] = value;
        } else if (off >= T_CC && off < T_CC + 4 * t->n_cc) {
            t->cc[(off - T_CC) / 4] = periph_merge(t->cc[(off - T_CC) / 4], v, mask);
            timer_restart(p, now, value);
        } else if (off >= 0x100 || !task) {
            periph_unmodelled_write(p, off, v, mask, now);
            return;
        }
        break;
    }
    timer_sync(p, now);
}

static uint64_t timer_next_event(struct periph *p)
{
    struct timer *t = p->state;
    if (!t->k.c.running)
        return PERIPH_NEVER;
    uint64_t next = PERIPH_NEVER;
    for (unsigned n = 0; n < t->n_cc; n++) {
        uint32_t bit = NRF_EVENT_BIT(T_EV_COMPARE + 4 * n);
        bool stops = t->shorts & (1u << (n + 8));
        if ((!(t->ev.inten & bit) || (t->ev.set & bit)) && !stops)
            continue;
        uint64_t m = next_match(&t->k, t->cc[n], t->k.synced);
        uint64_t c = m == PERIPH_NEVER ? PERIPH_NEVER : periph_counter_cycle_at(&t->k.c, m);
        if (c < next)
            next = c;
    }
    return next;
}

static void timer_clocks_changed(struct periph *p, uint64_t now)
{
    timer_rate(p, now);
}

const struct periph_model periph_nrf_timer = {
    .name = "nrf52-timer",
    .summary = "nRF52840 TIMER: 8-32-bit counter at 16 MHz / 2^PRESCALER, compare channels with CLEAR/STOP shorts, "
               "capture",
    .size = 0x1000,
    .state_size = sizeof(struct timer),
    .irqs = (const char *const[]){"timer", NULL},
    .params = (const char *const[]){"cc", NULL},
    .init = timer_init,
    .reset = timer_reset,
    .read = timer_read,
    .write = timer_write,
    .next_event = timer_next_event,
    .event = timer_sync,
    .clocks_changed = timer_clocks_changed,
};

/* ---- RTC ---- */

enum {
    R_START = 0x000, R_STOP = 0x004, R_CLEAR = 0x008, R_TRIGOVRFLW = 0x00C,
    R_EV_TICK = 0x100, R_EV_OVRFLW = 0x104, R_EV_COMPARE = 0x140,
    R_EVTEN = 0x340, R_EVTENSET = 0x344, R_EVTENCLR = 0x348, R_COUNTER = 0x504, R_PRESCALER = 0x508, R_CC = 0x540,
};
#define RTC_CC 4
#define RTC_WIDTH (1u << 24)
#define RTC_TICK_BIT 1u
#define RTC_OVRFLW_BIT 2u

struct rtc {
    struct nrf_events ev;
    uint32_t evten, prescaler, cc[RTC_CC];
    bool started;
    struct cmp_counter k;
};

static void rtc_rate(struct periph *p, uint64_t now)
{
    struct rtc *r = p->state;
    uint32_t f = periph_clock_hz(p);
    periph_counter_rebase(&r->k.c, now, f ? f : 1, r->prescaler + 1, periph_core_hz(p));
    r->k.c.running = r->started && f;
}

static void rtc_restart(struct periph *p, uint64_t now, uint32_t value)
{
    struct rtc *r = p->state;
    r->k.width = RTC_WIDTH;
    r->k.start = value % RTC_WIDTH;
    r->k.clear_ch = -1;
    periph_counter_start(&r->k.c, now, 0);
    r->k.synced = 0;
    rtc_rate(p, now);
}

/* Events that reach the event registers: INTEN enables them as EVTEN does. */
static uint32_t rtc_routed(const struct rtc *r)
{
    return r->evten | r->ev.inten;
}

static void rtc_sync(struct periph *p, uint64_t now)
{
    struct rtc *r = p->state;
    uint64_t T = periph_counter_ticks(&r->k.c, now);
    if (T > r->k.synced) {
        uint32_t routed = rtc_routed(r);
        if (routed & RTC_TICK_BIT)
            r->ev.set |= RTC_TICK_BIT;
        if ((routed & RTC_OVRFLW_BIT) && next_match(&r->k, 0, r->k.synced) <= T)
            r->ev.set |= RTC_OVRFLW_BIT;
        for (int n = 0; n < RTC_CC; n++) {
            uint32_t bit = NRF_EVENT_BIT(R_EV_COMPARE + 4 * n);
            if ((routed & bit) && next_match(&r->k, r->cc[n], r->k.synced) <= T)
                r->ev.set |= bit;
        }
        r->k.synced = T;
    }
    periph_irq(p, 0, nrf_irq_level(&r->ev));
}

static void rtc_reset(struct periph *p)
{
    struct rtc *r = p->state;
    *r = (struct rtc){0};
    rtc_restart(p, 0, 0);
}

static uint32_t rtc_read(struct periph *p, uint32_t off, uint64_t now)
{
    struct rtc *r = p->state;
    rtc_sync(p, now);
    uint32_t v;
    if (nrf_events_read(&r->ev, off, &v))
        return v;
    switch (off) {
    case R_EVTEN:
    case R_EVTENSET:
    case R_EVTENCLR: return r->evten;
    case R_COUNTER: return counter_value(&r->k, periph_counter_ticks(&r->k.c, now));
    case R_PRESCALER: return r->prescaler;
    }
    if (off >= R_CC && off < R_CC + 4 * RTC_CC)
        return r->cc[(off - R_CC) / 4];
    if (off < 0x100)
        return 0;
    return periph_unmodelled_read(p, off, now);
}

static void rtc_write(struct periph *p, uint32_t off, uint32_t v, uint32_t mask, uint64_t now)
{
    struct rtc *r = p->state;
    rtc_sync(p, now);
    if (nrf_events_write(&r->ev, off, v, mask)) {
        rtc_sync(p, now);
        return;
    }
    bool task = nrf_task(v, mask);
    uint32_t value = counter_value(&r->k, periph_counter_ticks(&r->k.c, now));
    switch (off) {
    case R_START:
        if (task) {
            r->started = true;
            rtc_restart(p, now, value);
        }
        break;
    case R_STOP:
        if (task) {
            r->started = false;
            rtc_restart(p, now, value);
        }
        break;
    case R_CLEAR:
        if (task)
            rtc_restart(p, now, 0);
        break;
    case R_TRIGOVRFLW:
        if (task)
            rtc_restart(p, now, 0xFFFFF0);
        break;
    case R_EVTEN: r->evten = periph_merge(r->evten, v, mask); break;
    case R_EVTENSET: r->evten |= v & mask; break;
    case R_EVTENCLR: r->evten &= ~(v & mask); break;
    case R_PRESCALER:
        /* Writable while stopped only (PS: "only when the RTC is stopped"). */
        if (!r->started) {
            r->prescaler = periph_merge(r->prescaler, v, mask) & 0xFFF;
            rtc_restart(p, now, value);
        }
        break;
    default:
        if (off >= R_CC && off < R_CC + 4 * RTC_CC) {
            r->cc[(off - R_CC) / 4] = periph_merge(r->cc[(off - R_CC) / 4], v, mask) & (RTC_WIDTH - 1);
        } else if (off >= 0x100 || !task) {
            periph_unmodelled_write(p, off, v, mask, now);
            return;
        }
        break;
    }
    rtc_sync(p, now);
}

static uint64_t rtc_next_event(struct periph *p)
{
    struct rtc *r = p->state;
    if (!r->k.c.running)
        return PERIPH_NEVER;
    uint64_t next = PERIPH_NEVER;
    uint32_t pend = r->ev.inten & ~r->ev.set;
    if (pend & RTC_TICK_BIT)
        next = periph_counter_cycle_at(&r->k.c, r->k.synced + 1);
    if (pend & RTC_OVRFLW_BIT) {
        uint64_t m = next_match(&r->k, 0, r->k.synced);
        uint64_t c = periph_counter_cycle_at(&r->k.c, m);
        if (c < next)
            next = c;
    }
    for (int n = 0; n < RTC_CC; n++) {
        if (!(pend & NRF_EVENT_BIT(R_EV_COMPARE + 4 * n)))
            continue;
        uint64_t c = periph_counter_cycle_at(&r->k.c, next_match(&r->k, r->cc[n], r->k.synced));
        if (c < next)
            next = c;
    }
    return next;
}

static void rtc_clocks_changed(struct periph *p, uint64_t now)
{
    rtc_rate(p, now);
}

const struct periph_model periph_nrf_rtc = {
    .name = "nrf52-rtc",
    .summary = "nRF52840 RTC: 24-bit counter on LFCLK / (PRESCALER + 1), TICK, OVRFLW and compare events",
    .size = 0x1000,
    .state_size = sizeof(struct rtc),
    .irqs = (const char *const[]){"rtc", NULL},
    .reset = rtc_reset,
    .read = rtc_read,
    .write = rtc_write,
    .next_event = rtc_next_event,
    .event = rtc_sync,
    .clocks_changed = rtc_clocks_changed,
};
