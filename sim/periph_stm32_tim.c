/*
 * periph_stm32_tim.c — STM32 timers: the general-purpose and basic timers
 * (TIM2, TIM6: RM0432 §39/41, RM0385 §24/26, "stm32-tim") and the
 * low-power timer (LPTIM1: RM0432 §37, RM0385 §28, "stm32-lptim").
 *
 * TIM: an up-counter at the timer clock (`clock =`, the RCC's timclk1/2)
 * divided by PSC + 1, counting to ARR and wrapping to 0 with an update
 * event (SR.UIF, unless CR1.UDIS); PSC, and ARR with CR1.ARPE, are
 * preloaded and take effect at the next update event, or at once with
 * EGR.UG (which also zeroes the counter and sets UIF unless CR1.URS).
 * CR1.OPM stops the counter at its update.  Output-compare channels
 * (`channels`, CCMRx.CCxS = 0) set CCxIF when the counter equals CCRx.
 * SR flags are cleared by writing 0; the interrupt line is SR & DIER.
 * Down-counting, centre-aligned modes, slave modes, capture and DMA are
 * not modelled (reported by the unmodelled mode where a register selects
 * them).  `bits` is the counter width (TIM2: 32).
 *
 * LPTIM: counts its kernel clock (the RCC's lptim1clk, 0 while that clock
 * is stopped) divided by CFGR.PRESC from CNTSTRT (continuous) or SNGSTRT
 * (single: it stops at ARR), from 0 to ARR; ISR.ARRM when CNT equals ARR,
 * CMPM when it equals CMP, CMPOK/ARROK once CMP/ARR are written; ICR
 * clears, the interrupt line is ISR & IER.
 */
#include "periph.h"

/* An up-counter from `start`, wrapping at `top` + 1 (through the
 * counter's full width first when it starts above top). */
struct up {
    struct periph_counter c;
    uint64_t width;
    uint32_t start, top;
    uint64_t synced;        /* ticks up to which flags were raised */
};

static uint64_t up_first_wrap(const struct up *u)
{
    if (u->start <= u->top)
        return (uint64_t)u->top + 1 - u->start;
    return u->width - u->start + (uint64_t)u->top + 1;
}

static uint32_t up_value(const struct up *u, uint64_t t)
{
    uint64_t w0 = up_first_wrap(u);
    if (t < w0)
        return (uint32_t)((u->start + t) % u->width);
    return (uint32_t)((t - w0) % ((uint64_t)u->top + 1));
}

/* The first tick after `after` at which the counter wraps to 0. */
static uint64_t up_next_wrap(const struct up *u, uint64_t after)
{
    uint64_t w0 = up_first_wrap(u), p = (uint64_t)u->top + 1;
    if (w0 > after)
        return w0;
    return w0 + ((after - w0) / p + 1) * p;
}

/* The first tick after `after` at which the counter equals v. */
static uint64_t up_next_match(const struct up *u, uint32_t v, uint64_t after)
{
    uint64_t w0 = up_first_wrap(u), p = (uint64_t)u->top + 1;
    if (v >= u->start && (uint64_t)(v - u->start) < w0 && (uint64_t)(v - u->start) > after)
        return (uint64_t)(v - u->start);
    if (v > u->top)
        return PERIPH_NEVER;
    uint64_t first = w0 + v;
    if (first > after)
        return first;
    return first + ((after - first) / p + 1) * p;
}

static void up_restart(struct up *u, uint64_t now, uint32_t value, bool running)
{
    u->start = (uint32_t)(value % u->width);
    u->synced = 0;
    periph_counter_start(&u->c, now, 0);
    u->c.running = running;
}

/* ---- TIM ---- */

enum { CR1 = 0x00, CR2 = 0x04, SMCR = 0x08, DIER = 0x0C, SR = 0x10, EGR = 0x14, CCMR1 = 0x18, CCMR2 = 0x1C,
       CCER = 0x20, CNT = 0x24, PSC = 0x28, ARR = 0x2C, CCR1 = 0x34, CCR4 = 0x40, OR1 = 0x50 };
enum { CEN = 1, UDIS = 2, URS = 4, OPM = 8, DIR = 16, CMS = 0x60, ARPE = 0x80 };
enum { UIF = 1 };

struct tim {
    uint32_t bits, channels;
    uint32_t cr1, cr2, smcr, dier, sr, ccmr[2], ccer, psc, psc_active, arr, arr_active, ccr[4], or1;
    struct up k;
};

static int tim_init(struct periph *p, char *err, size_t errlen)
{
    struct tim *t = p->state;
    if (periph_param_u32(p, "bits", 16, &t->bits, err, errlen) ||
        periph_param_u32(p, "channels", 4, &t->channels, err, errlen))
        return -1;
    if (t->bits != 16 && t->bits != 32) {
        snprintf(err, errlen, "'bits' is 16 or 32, not %u", t->bits);
        p->err_line = periph_param_line(p, "bits");
        return -1;
    }
    if (t->channels > 4) {
        snprintf(err, errlen, "'channels' is 0 to 4, not %u", t->channels);
        p->err_line = periph_param_line(p, "channels");
        return -1;
    }
    return 0;
}

static uint32_t tim_mask(const struct tim *t)
{
    return t->bits == 32 ? 0xFFFFFFFFu : 0xFFFFu;
}

static void tim_rate(struct periph *p, uint64_t now)
{
    struct tim *t = p->state;
    uint32_t f = periph_clock_hz(p);
    periph_counter_rebase(&t->k.c, now, f ? f : 1, (uint64_t)t->psc_active + 1, periph_core_hz(p));
    t->k.c.running = (t->cr1 & CEN) && f;
}

static uint32_t tim_value(const struct tim *t, uint64_t now)
{
    return up_value(&t->k, periph_counter_ticks(&t->k.c, now));
}

static void tim_restart(struct periph *p, uint64_t now, uint32_t value)
{
    struct tim *t = p->state;
    t->k.width = 1ull << t->bits;
    t->k.top = t->arr_active & tim_mask(t);
    up_restart(&t->k, now, value, true);
    tim_rate(p, now);
}

/* A channel compares when configured as an output (CCxS = 0). */
static bool channel_compares(const struct tim *t, unsigned ch)
{
    return ch < t->channels && ((t->ccmr[ch / 2] >> (8 * (ch % 2))) & 3) == 0;
}

/* Flags raised in (synced, T]; preloads applied at the first update. */
static void tim_sync(struct periph *p, uint64_t now)
{
    struct tim *t = p->state;
    for (;;) {
        uint64_t T = periph_counter_ticks(&t->k.c, now);
        if (T <= t->k.synced)
            break;
        uint64_t wrap = up_next_wrap(&t->k, t->k.synced);
        bool preload = t->psc != t->psc_active || ((t->cr1 & ARPE) && t->arr != t->arr_active);
        bool update_due = wrap <= T && (preload || (t->cr1 & OPM));
        uint64_t end = update_due ? wrap : T;
        for (unsigned ch = 0; ch < 4; ch++)
            if (channel_compares(t, ch) && up_next_match(&t->k, t->ccr[ch] & tim_mask(t), t->k.synced) <= end)
                t->sr |= 2u << ch;
        if (wrap <= end && !(t->cr1 & UDIS))
            t->sr |= UIF;
        if (!update_due) {
            t->k.synced = T;
            break;
        }
        /* An update event with preloaded values, or the end of one pulse. */
        uint64_t at = periph_counter_cycle_at(&t->k.c, wrap);
        t->psc_active = t->psc;
        t->arr_active = t->arr;
        if (t->cr1 & OPM)
            t->cr1 &= ~(uint32_t)CEN;
        tim_restart(p, at, 0);
    }
    periph_irq(p, 0, (t->sr & t->dier & 0x1F) != 0);
}

static void tim_reset(struct periph *p)
{
    struct tim *t = p->state;
    uint32_t bits = t->bits, channels = t->channels;
    *t = (struct tim){.bits = bits, .channels = channels};
    t->arr = t->arr_active = tim_mask(t);
    tim_restart(p, 0, 0);
}

static uint32_t tim_read(struct periph *p, uint32_t off, uint64_t now)
{
    struct tim *t = p->state;
    tim_sync(p, now);
    switch (off) {
    case CR1: return t->cr1;
    case CR2: return t->cr2;
    case SMCR: return t->smcr;
    case DIER: return t->dier;
    case SR: return t->sr;
    case EGR: return 0;
    case CCMR1: return t->ccmr[0];
    case CCMR2: return t->ccmr[1];
    case CCER: return t->ccer;
    case CNT: return tim_value(t, now);
    case PSC: return t->psc;
    case ARR: return t->arr;
    case OR1: return t->or1;
    }
    if (off >= CCR1 && off <= CCR4 && (off - CCR1) / 4 < t->channels)
        return t->ccr[(off - CCR1) / 4];
    return periph_unmodelled_read(p, off, now);
}

static void tim_write(struct periph *p, uint32_t off, uint32_t v, uint32_t mask, uint64_t now)
{
    struct tim *t = p->state;
    tim_sync(p, now);
    uint32_t value = tim_value(t, now);
    switch (off) {
    case CR1:
        t->cr1 = periph_merge(t->cr1, v, mask) & 0xFFF;
        if (t->cr1 & (DIR | CMS))
            periph_unmodelled_write(p, off, v, mask, now); /* down and centre-aligned counting */
        tim_restart(p, now, value);
        break;
    case CR2: t->cr2 = periph_merge(t->cr2, v, mask); break;
    case SMCR:
        t->smcr = periph_merge(t->smcr, v, mask);
        if (t->smcr & 0x10007)
            periph_unmodelled_write(p, off, v, mask, now); /* slave modes */
        break;
    case DIER: t->dier = periph_merge(t->dier, v, mask); break;
    case SR: t->sr &= v | ~mask; break; /* rc_w0 */
    case EGR:
        if (v & mask & 1) { /* UG */
            t->psc_active = t->psc;
            t->arr_active = t->arr;
            if (!(t->cr1 & URS))
                t->sr |= UIF;
            tim_restart(p, now, 0);
        }
        if (v & mask & 0x1E)
            t->sr |= v & mask & 0x1E; /* CCxG */
        break;
    case CCMR1: t->ccmr[0] = periph_merge(t->ccmr[0], v, mask); break;
    case CCMR2: t->ccmr[1] = periph_merge(t->ccmr[1], v, mask); break;
    case CCER: t->ccer = periph_merge(t->ccer, v, mask); break;
    case CNT: tim_restart(p, now, periph_merge(value, v, mask) & tim_mask(t)); break;
    case PSC: t->psc = periph_merge(t->psc, v, mask) & 0xFFFF; break;
    case ARR:
        t->arr = periph_merge(t->arr, v, mask) & tim_mask(t);
        if (!(t->cr1 & ARPE)) {
            t->arr_active = t->arr;
            tim_restart(p, now, value);
        }
        break;
    case OR1: t->or1 = periph_merge(t->or1, v, mask); break;
    default:
        if (off >= CCR1 && off <= CCR4 && (off - CCR1) / 4 < t->channels) {
            t->ccr[(off - CCR1) / 4] = periph_merge(t->ccr[(off - CCR1) / 4], v, mask) & tim_mask(t);
            break;
        }
        periph_unmodelled_write(p, off, v, mask, now);
        return;
    }
    tim_sync(p, now);
}

static uint64_t tim_next_event(struct periph *p)
{
    struct tim *t = p->state;
    if (!t->k.c.running)
        return PERIPH_NEVER;
    uint64_t next = PERIPH_NEVER;
    uint32_t want = t->dier & ~t->sr & 0x1F;
    bool preload = t->psc != t->psc_active || ((t->cr1 & ARPE) && t->arr != t->arr_active);
    if ((want & UIF) || preload || (t->cr1 & OPM))
        next = periph_counter_cycle_at(&t->k.c, up_next_wrap(&t->k, t->k.synced));
    for (unsigned ch = 0; ch < 4; ch++) {
        if (!(want & (2u << ch)) || !channel_compares(t, ch))
            continue;
        uint64_t m = up_next_match(&t->k, t->ccr[ch] & tim_mask(t), t->k.synced);
        uint64_t c = m == PERIPH_NEVER ? PERIPH_NEVER : periph_counter_cycle_at(&t->k.c, m);
        if (c < next)
            next = c;
    }
    return next;
}

static void tim_clocks_changed(struct periph *p, uint64_t now)
{
    tim_rate(p, now);
}

const struct periph_model periph_stm32_tim = {
    .name = "stm32-tim",
    .summary = "STM32 general-purpose/basic timer (TIM2, TIM6): up-counter at TIMxCLK/(PSC+1) to ARR, preloads, UG, "
               "OPM, update and compare interrupts",
    .size = 0x400,
    .state_size = sizeof(struct tim),
    .irqs = (const char *const[]){"tim", NULL},
    .params = (const char *const[]){"bits", "channels", NULL},
    .init = tim_init,
    .reset = tim_reset,
    .read = tim_read,
    .write = tim_write,
    .next_event = tim_next_event,
    .event = tim_sync,
    .clocks_changed = tim_clocks_changed,
};

/* ---- LPTIM ---- */

enum { L_ISR = 0x00, L_ICR = 0x04, L_IER = 0x08, L_CFGR = 0x0C, L_CR = 0x10, L_CMP = 0x14, L_ARR = 0x18,
       L_CNT = 0x1C, L_OR = 0x20 };
enum { CMPM = 1, ARRM = 2, CMPOK = 8, ARROK = 16 };
enum { ENABLE = 1, SNGSTRT = 2, CNTSTRT = 4 };

struct lptim {
    uint32_t isr, ier, cfgr, cr, cmp, arr, or_;
    bool single;
    struct up k;
};

static void lptim_rate(struct periph *p, uint64_t now)
{
    struct lptim *l = p->state;
    uint32_t f = periph_clock_hz(p);
    periph_counter_rebase(&l->k.c, now, f ? f : 1, 1u << ((l->cfgr >> 9) & 7), periph_core_hz(p));
    l->k.c.running = (l->cr & ENABLE) && (l->cr & (SNGSTRT | CNTSTRT)) && f;
}

static void lptim_restart(struct periph *p, uint64_t now, uint32_t value)
{
    struct lptim *l = p->state;
    l->k.width = 1u << 16;
    l->k.top = l->arr & 0xFFFF;
    up_restart(&l->k, now, value, true);
    lptim_rate(p, now);
}

static void lptim_sync(struct periph *p, uint64_t now)
{
    struct lptim *l = p->state;
    uint64_t T = periph_counter_ticks(&l->k.c, now);
    if (T > l->k.synced) {
        /* ARRM when the counter equals ARR, the tick before it wraps. */
        uint64_t arr_tick = up_next_match(&l->k, l->k.top, l->k.synced);
        uint64_t end = l->single && arr_tick <= T ? arr_tick : T;
        if (arr_tick <= end)
            l->isr |= ARRM;
        if (up_next_match(&l->k, l->cmp & 0xFFFF, l->k.synced) <= end)
            l->isr |= CMPM;
        if (end < T) { /* single mode: stopped at ARR */
            l->cr &= ~(uint32_t)(SNGSTRT | CNTSTRT);
            l->single = false;
            lptim_restart(p, periph_counter_cycle_at(&l->k.c, end), l->k.top);
        } else {
            l->k.synced = T;
        }
    }
    periph_irq(p, 0, (l->isr & l->ier & 0x7F) != 0);
}

static void lptim_reset(struct periph *p)
{
    struct lptim *l = p->state;
    *l = (struct lptim){.arr = 1};
    lptim_restart(p, 0, 0);
}

static uint32_t lptim_read(struct periph *p, uint32_t off, uint64_t now)
{
    struct lptim *l = p->state;
    lptim_sync(p, now);
    switch (off) {
    case L_ISR: return l->isr;
    case L_ICR: return 0;
    case L_IER: return l->ier;
    case L_CFGR: return l->cfgr;
    case L_CR: return l->cr;
    case L_CMP: return l->cmp;
    case L_ARR: return l->arr;
    case L_CNT: return up_value(&l->k, periph_counter_ticks(&l->k.c, now));
    case L_OR: return l->or_;
    }
    return periph_unmodelled_read(p, off, now);
}

static void lptim_write(struct periph *p, uint32_t off, uint32_t v, uint32_t mask, uint64_t now)
{
    struct lptim *l = p->state;
    lptim_sync(p, now);
    uint32_t value = up_value(&l->k, periph_counter_ticks(&l->k.c, now));
    switch (off) {
    case L_ICR: l->isr &= ~(v & mask & 0x7F); break;
    case L_IER: l->ier = periph_merge(l->ier, v, mask) & 0x7F; break;
    case L_CFGR:
        l->cfgr = periph_merge(l->cfgr, v, mask);
        if (l->cfgr & 1)
            periph_unmodelled_write(p, off, v, mask, now); /* external clock (CKSEL) */
        lptim_restart(p, now, value);
        break;
    case L_CR: {
        uint32_t was = l->cr;
        l->cr = periph_merge(l->cr, v, mask) & 0x1F;
        if (!(l->cr & ENABLE)) {
            l->cr = 0;
            lptim_restart(p, now, 0);
        } else if ((l->cr & (SNGSTRT | CNTSTRT)) && !(was & (SNGSTRT | CNTSTRT))) {
            l->single = l->cr & SNGSTRT;
            lptim_restart(p, now, 0);
        }
        break;
    }
    case L_CMP: l->cmp = periph_merge(l->cmp, v, mask) & 0xFFFF; l->isr |= CMPOK; break;
    case L_ARR:
        l->arr = periph_merge(l->arr, v, mask) & 0xFFFF;
        l->isr |= ARROK;
        lptim_restart(p, now, value);
        break;
    case L_OR: l->or_ = periph_merge(l->or_, v, mask); break;
    default:
        periph_unmodelled_write(p, off, v, mask, now);
        return;
    }
    lptim_sync(p, now);
}

static uint64_t lptim_next_event(struct periph *p)
{
    struct lptim *l = p->state;
    if (!l->k.c.running)
        return PERIPH_NEVER;
    uint32_t want = l->ier & ~l->isr;
    uint64_t next = PERIPH_NEVER;
    if ((want & ARRM) || l->single)
        next = periph_counter_cycle_at(&l->k.c, up_next_match(&l->k, l->k.top, l->k.synced));
    if (want & CMPM) {
        uint64_t m = up_next_match(&l->k, l->cmp & 0xFFFF, l->k.synced);
        uint64_t c = m == PERIPH_NEVER ? PERIPH_NEVER : periph_counter_cycle_at(&l->k.c, m);
        if (c < next)
            next = c;
    }
    return next;
}

static void lptim_clocks_changed(struct periph *p, uint64_t now)
{
    lptim_rate(p, now);
}

const struct periph_model periph_stm32_lptim = {
    .name = "stm32-lptim",
    .summary = "STM32 low-power timer (LPTIM1): 16-bit counter on its kernel clock / PRESC to ARR, ARRM and CMPM "
               "interrupts, single and continuous modes",
    .size = 0x400,
    .state_size = sizeof(struct lptim),
    .irqs = (const char *const[]){"lptim", NULL},
    .reset = lptim_reset,
    .read = lptim_read,
    .write = lptim_write,
    .next_event = lptim_next_event,
    .event = lptim_sync,
    .clocks_changed = lptim_clocks_changed,
};
