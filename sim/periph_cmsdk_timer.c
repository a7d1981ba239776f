/*
 * periph_cmsdk_timer.c — the Arm CMSDK APB timer and dual timer
 * (Cortex-M System Design Kit TRM, DDI0479C, §4.3 and §4.5), as on the
 * MPS2 FPGA images and in QEMU's mps2 machines.
 *
 * Both are down-counters clocked by PCLK.  The timer: CTRL 0x00 (EN,
 * external input selects, IRQEN), VALUE 0x04, RELOAD 0x08 (writing it
 * also sets VALUE), INTSTATUS/INTCLEAR 0x0C; the interrupt is raised when
 * the counter goes from 1 to 0, the counter holds 0 for one PCLK and then
 * reloads (a period of RELOAD + 1 cycles; RELOAD 0 stops at 0).  The dual
 * timer (an SP804 derivative): two timers at 0x00 and 0x20, each LOAD,
 * VALUE, CONTROL (one-shot, 16/32-bit, prescale 1/16/256, interrupt
 * enable, periodic or free-running, enable), INTCLR, RIS, MIS, BGLOAD; the
 * combined interrupt is the OR of both MIS.  The external clock and
 * enable inputs are not modelled.
 *
 * A counter's value is computed from the cycle it was (re)started at;
 * only the next interrupting zero is ever scheduled.
 */
#include "periph.h"

/* A down-counter started at `start`: it reaches zero `start` ticks later
 * and, unless one-shot or reload is 0, every reload + 1 ticks after. */
struct down {
    struct periph_counter c;  /* ticks since the (re)start */
    uint32_t start;
    uint32_t reload;
    bool oneshot;
    uint64_t zeros_seen;      /* interrupting zeros already accounted */
};

static bool down_periodic(const struct down *d)
{
    return !d->oneshot && d->reload > 0;
}

static uint32_t down_value(const struct down *d, uint64_t now)
{
    uint64_t t = periph_counter_ticks(&d->c, now);
    if (t <= d->start)
        return d->start - (uint32_t)t;
    if (!down_periodic(d))
        return 0;
    uint64_t e = t - d->start;
    return d->reload - (uint32_t)((e - 1) % ((uint64_t)d->reload + 1));
}

/* The tick of interrupting zero k (0-based), PERIPH_NEVER when none.  A
 * counter started at 0 makes no 1-to-0 transition before its reload. */
static uint64_t down_zero_tick(const struct down *d, uint64_t k)
{
    uint64_t period = (uint64_t)d->reload + 1;
    if (d->start > 0)
        return k == 0 ? d->start : down_periodic(d) ? d->start + k * period : PERIPH_NEVER;
    return down_periodic(d) ? (k + 1) * period : PERIPH_NEVER;
}

static uint64_t down_zeros_through(const struct down *d, uint64_t t)
{
    uint64_t period = (uint64_t)d->reload + 1;
    if (d->start > 0) {
        if (t < d->start)
            return 0;
        return 1 + (down_periodic(d) ? (t - d->start) / period : 0);
    }
    return down_periodic(d) ? t / period : 0;
}

/* Zeros reached by `now` since the last call: true when there were. */
static bool down_new_zeros(struct down *d, uint64_t now)
{
    uint64_t n = down_zeros_through(d, periph_counter_ticks(&d->c, now));
    if (n <= d->zeros_seen)
        return false;
    d->zeros_seen = n;
    return true;
}

static uint64_t down_next_zero_cycle(const struct down *d)
{
    uint64_t tick = down_zero_tick(d, d->zeros_seen);
    return tick == PERIPH_NEVER ? PERIPH_NEVER : periph_counter_cycle_at(&d->c, tick);
}

/* Counting from `value` at `now`, running or not. */
static void down_restart(struct down *d, uint64_t now, uint32_t value, bool running)
{
    d->start = value;
    d->zeros_seen = 0;
    periph_counter_start(&d->c, now, 0);
    d->c.running = running;
}

static const uint8_t timer_ids[12] = {0x04, 0x00, 0x00, 0x00, 0x22, 0xB8, 0x1B, 0x00, 0x0D, 0xF0, 0x05, 0xB1};
static const uint8_t dualtimer_ids[12] = {0x04, 0x00, 0x00, 0x00, 0x23, 0xB8, 0x1B, 0x00, 0x0D, 0xF0, 0x05, 0xB1};
enum { PID4 = 0xFD0, CID3 = 0xFFC };

/* ---- the timer ---- */

enum { T_CTRL = 0x00, T_VALUE = 0x04, T_RELOAD = 0x08, T_INTSTATUS = 0x0C };
enum { T_EN = 1, T_IRQEN = 8 };

struct timer {
    uint32_t ctrl, intstatus;
    struct down d;
};

static void timer_rate(struct periph *p)
{
    struct timer *t = p->state;
    periph_counter_rate(&t->d.c, periph_clock_hz(p), 1, periph_core_hz(p));
}

static void timer_sync(struct periph *p, uint64_t now)
{
    struct timer *t = p->state;
    if (down_new_zeros(&t->d, now) && (t->ctrl & T_IRQEN))
        t->intstatus = 1;
    periph_irq(p, 0, t->intstatus & 1);
}

static void timer_reset(struct periph *p)
{
    struct timer *t = p->state;
    *t = (struct timer){0};
    timer_rate(p);
}

static uint32_t timer_read(struct periph *p, uint32_t off, uint64_t now)
{
    struct timer *t = p->state;
    timer_sync(p, now);
    switch (off) {
    case T_CTRL: return t->ctrl;
    case T_VALUE: return down_value(&t->d, now);
    case T_RELOAD: return t->d.reload;
    case T_INTSTATUS: return t->intstatus;
    }
    if (off >= PID4 && off <= CID3)
        return timer_ids[(off - PID4) / 4];
    return periph_unmodelled_read(p, off, now);
}

static void timer_write(struct periph *p, uint32_t off, uint32_t v, uint32_t mask, uint64_t now)
{
    struct timer *t = p->state;
    timer_sync(p, now);
    bool running = t->ctrl & T_EN;
    switch (off) {
    case T_CTRL:
        t->ctrl = periph_merge(t->ctrl, v, mask) & 0xF;
        if ((bool)(t->ctrl & T_EN) != running)
            down_restart(&t->d, now, down_value(&t->d, now), t->ctrl & T_EN);
        break;
    case T_VALUE:
        down_restart(&t->d, now, periph_merge(down_value(&t->d, now), v, mask), running);
        break;
    case T_RELOAD:
        t->d.reload = periph_merge(t->d.reload, v, mask);
        down_restart(&t->d, now, t->d.reload, running);
        break;
    case T_INTSTATUS:
        t->intstatus &= ~(v & mask & 1);
        break;
    default:
        if (off < PID4 || off > CID3)
            periph_unmodelled_write(p, off, v, mask, now);
        return;
    }
    timer_sync(p, now);
}

static uint64_t timer_next_event(struct periph *p)
{
    struct timer *t = p->state;
    if (!(t->ctrl & T_EN) || !(t->ctrl & T_IRQEN) || t->intstatus)
        return PERIPH_NEVER;
    return down_next_zero_cycle(&t->d);
}

static void timer_clocks_changed(struct periph *p, uint64_t now)
{
    struct timer *t = p->state;
    periph_counter_rebase(&t->d.c, now, periph_clock_hz(p), 1, periph_core_hz(p));
}

const struct periph_model periph_cmsdk_timer = {
    .name = "cmsdk-timer",
    .summary = "Arm CMSDK APB timer (DDI0479C 4.3): 32-bit down-counter at PCLK, reload, interrupt at 1 to 0",
    .size = 0x1000,
    .state_size = sizeof(struct timer),
    .irqs = (const char *const[]){"timer", NULL},
    .reset = timer_reset,
    .read = timer_read,
    .write = timer_write,
    .next_event = timer_next_event,
    .event = timer_sync,
    .clocks_changed = timer_clocks_changed,
};

/* ---- the dual timer ---- */

enum {
    D_LOAD = 0x00, D_VALUE = 0x04, D_CONTROL = 0x08, D_INTCLR = 0x0C, D_RIS = 0x10, D_MIS = 0x14, D_BGLOAD = 0x18,
};
enum { D_ONESHOT = 1, D_SIZE32 = 2, D_INTEN = 0x20, D_PERIODIC = 0x40, D_ENABLE = 0x80 };

struct half {
    uint32_t load, control, ris;
    struct down d;
};

struct dualtimer {
    struct half t[2];
};

static uint32_t half_max(const struct half *h)
{
    return (h->control & D_SIZE32) ? 0xFFFFFFFFu : 0xFFFFu;
}

static uint32_t half_prescale(const struct half *h)
{
    switch ((h->control >> 2) & 3) {
    case 0: return 1;
    case 1: return 16;
    default: return 256;
    }
}

/* The counter's shape follows CONTROL: what it reloads after zero. */
static void half_shape(struct periph *p, struct half *h)
{
    h->d.oneshot = h->control & D_ONESHOT;
    h->d.reload = (h->control & D_PERIODIC) ? h->load & half_max(h) : half_max(h);
    periph_counter_rate(&h->d.c, periph_clock_hz(p), half_prescale(h), periph_core_hz(p));
}

static void dual_sync(struct periph *p, uint64_t now)
{
    struct dualtimer *dt = p->state;
    bool line = false;
    for (int i = 0; i < 2; i++) {
        struct half *h = &dt->t[i];
        if (down_new_zeros(&h->d, now))
            h->ris = 1;
        line |= h->ris && (h->control & D_INTEN);
    }
    periph_irq(p, 0, line);
    periph_irq(p, 1, dt->t[0].ris && (dt->t[0].control & D_INTEN));
    periph_irq(p, 2, dt->t[1].ris && (dt->t[1].control & D_INTEN));
}

static void dual_reset(struct periph *p)
{
    struct dualtimer *dt = p->state;
    *dt = (struct dualtimer){0};
    for (int i = 0; i < 2; i++) {
        struct half *h = &dt->t[i];
        h->control = D_INTEN;
        half_shape(p, h);
        down_restart(&h->d, 0, 0xFFFFFFFFu & half_max(h), false);
    }
}

static uint32_t dual_read(struct periph *p, uint32_t off, uint64_t now)
{
    struct dualtimer *dt = p->state;
    dual_sync(p, now);
    if (off < 0x40) {
        struct half *h = &dt->t[off >= 0x20];
        switch (off & 0x1F) {
        case D_LOAD:
        case D_BGLOAD: return h->load;
        case D_VALUE: return down_value(&h->d, now) & half_max(h);
        case D_CONTROL: return h->control;
        case D_RIS: return h->ris;
        case D_MIS: return h->ris && (h->control & D_INTEN);
        }
    }
    if (off >= PID4 && off <= CID3)
        return dualtimer_ids[(off - PID4) / 4];
    return periph_unmodelled_read(p, off, now);
}

static void dual_write(struct periph *p, uint32_t off, uint32_t v, uint32_t mask, uint64_t now)
{
    struct dualtimer *dt = p->state;
    dual_sync(p, now);
    if (off >= 0x40 || (off & 0x1F) == D_VALUE || (off & 0x1F) == D_RIS || (off & 0x1F) == D_MIS ||
        (off & 0x1F) > D_BGLOAD) {
        periph_unmodelled_write(p, off, v, mask, now);
        return;
    }
    struct half *h = &dt->t[off >= 0x20];
    bool running = h->control & D_ENABLE;
    switch (off & 0x1F) {
    case D_LOAD: /* sets the counter at once */
        h->load = periph_merge(h->load, v, mask);
        half_shape(p, h);
        down_restart(&h->d, now, h->load & half_max(h), running);
        break;
    case D_BGLOAD: { /* taken at the next reload */
        uint32_t value = down_value(&h->d, now);
        h->load = periph_merge(h->load, v, mask);
        half_shape(p, h);
        down_restart(&h->d, now, value, running);
        break;
    }
    case D_CONTROL: {
        uint32_t value = down_value(&h->d, now) & half_max(h);
        h->control = periph_merge(h->control, v, mask) & 0xEF;
        half_shape(p, h);
        down_restart(&h->d, now, value & half_max(h), h->control & D_ENABLE);
        break;
    }
    case D_INTCLR:
        h->ris = 0;
        break;
    }
    dual_sync(p, now);
}

static uint64_t dual_next_event(struct periph *p)
{
    struct dualtimer *dt = p->state;
    uint64_t next = PERIPH_NEVER;
    for (int i = 0; i < 2; i++) {
        const struct half *h = &dt->t[i];
        if ((h->control & D_ENABLE) && (h->control & D_INTEN) && !h->ris) {
            uint64_t c = down_next_zero_cycle(&h->d);
            if (c < next)
                next = c;
        }
    }
    return next;
}

static void dual_clocks_changed(struct periph *p, uint64_t now)
{
    struct dualtimer *dt = p->state;
    for (int i = 0; i < 2; i++)
        periph_counter_rebase(&dt->t[i].d.c, now, periph_clock_hz(p), half_prescale(&dt->t[i]), periph_core_hz(p));
}

const struct periph_model periph_cmsdk_dualtimer = {
    .name = "cmsdk-dualtimer",
    .summary = "Arm CMSDK APB dual timer (DDI0479C 4.5, SP804-like): two 16/32-bit down-counters, prescale 1/16/256, "
               "periodic, free-running or one-shot",
    .size = 0x1000,
    .state_size = sizeof(struct dualtimer),
    .irqs = (const char *const[]){"combined", "timer1", "timer2", NULL},
    .reset = dual_reset,
    .read = dual_read,
    .write = dual_write,
    .next_event = dual_next_event,
    .event = dual_sync,
    .clocks_changed = dual_clocks_changed,
};
