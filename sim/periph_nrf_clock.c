/*
 * periph_nrf_clock.c — the nRF52840's CLOCK and POWER block at 0x40000000
 * (Product Specification v1.7, "CLOCK" and "POWER": one register block,
 * one interrupt, POWER_CLOCK).
 *
 * HFCLKSTART starts the 64 MHz crystal oscillator: HFCLKSTAT reports the
 * crystal and EVENTS_HFCLKSTARTED is set once it has started (its start-up
 * time is `hfxo_startup_us`).  LFCLKSTART starts the 32.768 kHz clock
 * from the source LFCLKSRC selects (RC, crystal or synthesized), which
 * takes its own start-up time; then EVENTS_LFCLKSTARTED, LFCLKSTAT, and
 * the clock is published as "lfclk" for the RTCs, which count only while
 * it runs.  "hfclk" (16 MHz, the peripherals' base clock) is always
 * there.  The core runs at 64 MHz whichever source drives it.  CAL
 * (calibrating the RC oscillator) is done after `cal_us`.
 *
 * POWER registers are plain (reset values of the specification), and
 * firmware that writes SYSTEMOFF is reported by the unmodelled mode.
 */
#include "periph_nrf.h"

enum {
    HFCLKSTART = 0x000, HFCLKSTOP = 0x004, LFCLKSTART = 0x008, LFCLKSTOP = 0x00C, CAL = 0x010,
    CONSTLAT = 0x078, LOWPWR = 0x07C,
    EV_HFCLKSTARTED = 0x100, EV_LFCLKSTARTED = 0x104, EV_DONE = 0x10C,
    HFCLKRUN = 0x408, HFCLKSTAT = 0x40C, LFCLKRUN = 0x414, LFCLKSTAT = 0x418, LFCLKSRCCOPY = 0x41C,
    LFCLKSRC = 0x518, HFXODEBOUNCE = 0x528, CTIV = 0x538, TRACECONFIG = 0x55C, LFRCMODE = 0x5B4,
};

/* POWER's plain registers: offset, reset value, writable bits. */
static const struct power_reg {
    uint16_t off;
    uint32_t reset, writable;
} power_regs[] = {
    {0x400, 0x00000000, 0x000F000F}, /* RESETREAS (write 1 to clear: approximated as writable) */
    {0x428, 0x00000000, 0},          /* RAMSTATUS */
    {0x438, 0x00000000, 0},          /* USBREGSTATUS: no VBUS */
    {0x510, 0x00000000, 0x00000F1F}, /* POFCON */
    {0x51C, 0x00000000, 0x000000FF}, /* GPREGRET */
    {0x520, 0x00000000, 0x000000FF}, /* GPREGRET2 */
    {0x578, 0x00000000, 0x00000001}, /* DCDCEN */
    {0x580, 0x00000000, 0x00000001}, /* DCDCEN0 */
    {0x640, 0x00000000, 0},          /* MAINREGSTATUS: normal voltage mode */
};
#define N_POWER (sizeof power_regs / sizeof power_regs[0])
#define RAM_POWER 0x900 /* RAM[n].POWER, POWERSET, POWERCLR at 0x900 + 16n, n < 9 */

struct clock {
    uint32_t hfxo_us, lfxo_us, lfrc_us, lfsynt_us, cal_us;
    struct nrf_events ev;
    bool hf_requested, lf_requested;
    uint64_t hf_ready_at, lf_ready_at, cal_done_at; /* PERIPH_NEVER: not under way */
    bool lf_published;
    uint32_t lfclksrc, lfsrc_copy, hfxodebounce, ctiv, traceconfig, lfrcmode;
    uint32_t power[N_POWER];
    uint32_t ram_power[9];
};

static int init(struct periph *p, char *err, size_t errlen)
{
    struct clock *c = p->state;
    /* Typical start-up times: HFXO 0.36 ms with the recommended 32 MHz
     * crystal, LFXO 0.25 s, LFRC 0.6 ms, LFSYNT about one LFCLK period
     * once the HFXO runs; RC calibration about 16 ms. */
    return periph_param_u32(p, "hfxo_startup_us", 360, &c->hfxo_us, err, errlen) ||
                   periph_param_u32(p, "lfxo_startup_us", 250000, &c->lfxo_us, err, errlen) ||
                   periph_param_u32(p, "lfrc_startup_us", 600, &c->lfrc_us, err, errlen) ||
                   periph_param_u32(p, "lfsynt_startup_us", 31, &c->lfsynt_us, err, errlen) ||
                   periph_param_u32(p, "cal_us", 16000, &c->cal_us, err, errlen)
               ? -1
               : 0;
}

static uint64_t after_us(struct periph *p, uint64_t now, uint32_t us)
{
    return now + periph_cycles_for(us, 1000000, periph_core_hz(p));
}

static void reset(struct periph *p)
{
    struct clock *c = p->state;
    uint32_t keep[5] = {c->hfxo_us, c->lfxo_us, c->lfrc_us, c->lfsynt_us, c->cal_us};
    *c = (struct clock){.hfxo_us = keep[0], .lfxo_us = keep[1], .lfrc_us = keep[2], .lfsynt_us = keep[3],
                        .cal_us = keep[4]};
    c->hf_ready_at = c->lf_ready_at = c->cal_done_at = PERIPH_NEVER;
    c->hfxodebounce = 0x10;
    for (size_t i = 0; i < N_POWER; i++)
        c->power[i] = power_regs[i].reset;
    for (int i = 0; i < 9; i++)
        c->ram_power[i] = 0xFFFF;
    periph_publish_clock(p, "hfclk", 16000000, 0);
    periph_publish_clock(p, "lfclk", 0, 0);
}

static void sync(struct periph *p, uint64_t now)
{
    struct clock *c = p->state;
    if (c->hf_requested && c->hf_ready_at != 0 && c->hf_ready_at <= now) {
        c->ev.set |= NRF_EVENT_BIT(EV_HFCLKSTARTED);
        c->hf_ready_at = 0; /* 0: running */
    }
    if (c->lf_ready_at <= now && c->lf_requested && !c->lf_published) {
        c->ev.set |= NRF_EVENT_BIT(EV_LFCLKSTARTED);
        c->lf_published = true;
        periph_publish_clock(p, "lfclk", 32768, c->lf_ready_at);
    }
    if (c->cal_done_at <= now) {
        c->ev.set |= NRF_EVENT_BIT(EV_DONE);
        c->cal_done_at = PERIPH_NEVER;
    }
    periph_irq(p, 0, nrf_irq_level(&c->ev));
}

static bool hf_running(const struct clock *c)
{
    return c->hf_requested && c->hf_ready_at == 0;
}

static bool lf_running(const struct clock *c)
{
    return c->lf_requested && c->lf_published;
}

static uint32_t read(struct periph *p, uint32_t off, uint64_t now)
{
    struct clock *c = p->state;
    sync(p, now);
    uint32_t v;
    if (nrf_events_read(&c->ev, off, &v))
        return v;
    switch (off) {
    case HFCLKRUN: return c->hf_requested;
    case HFCLKSTAT: return hf_running(c) ? 0x10001u : 0; /* SRC Xtal, STATE Running */
    case LFCLKRUN: return c->lf_requested;
    case LFCLKSTAT: return lf_running(c) ? (c->lfsrc_copy & 3) | 0x10000u : c->lfsrc_copy & 3;
    case LFCLKSRCCOPY: return c->lfsrc_copy;
    case LFCLKSRC: return c->lfclksrc;
    case HFXODEBOUNCE: return c->hfxodebounce;
    case CTIV: return c->ctiv;
    case TRACECONFIG: return c->traceconfig;
    case LFRCMODE: return c->lfrcmode;
    }
    if (off < 0x100)
        return 0; /* tasks read as zero */
    for (size_t i = 0; i < N_POWER; i++)
        if (power_regs[i].off == off)
            return c->power[i];
    if (off >= RAM_POWER && off < RAM_POWER + 9 * 16 && (off & 15) < 12)
        return c->ram_power[(off - RAM_POWER) / 16];
    return periph_unmodelled_read(p, off, now);
}

static uint32_t lf_startup_us(const struct clock *c)
{
    switch (c->lfsrc_copy & 3) {
    case 1: return c->lfxo_us;
    case 2: return c->lfsynt_us;
    default: return c->lfrc_us;
    }
}

static void write(struct periph *p, uint32_t off, uint32_t v, uint32_t mask, uint64_t now)
{
    struct clock *c = p->state;
    sync(p, now);
    if (nrf_events_write(&c->ev, off, v, mask)) {
        sync(p, now);
        return;
    }
    bool task = nrf_task(v, mask);
    switch (off) {
    case HFCLKSTART:
        if (task && !c->hf_requested) {
            c->hf_requested = true;
            c->hf_ready_at = after_us(p, now, c->hfxo_us);
        } else if (task && hf_running(c)) {
            c->ev.set |= NRF_EVENT_BIT(EV_HFCLKSTARTED); /* already running: the event comes at once */
        }
        break;
    case HFCLKSTOP:
        if (task) {
            c->hf_requested = false;
            c->hf_ready_at = PERIPH_NEVER;
        }
        break;
    case LFCLKSTART:
        if (task && !c->lf_requested) {
            c->lf_requested = true;
            c->lfsrc_copy = c->lfclksrc;
            c->lf_ready_at = after_us(p, now, lf_startup_us(c));
        }
        break;
    case LFCLKSTOP:
        if (task && c->lf_requested) {
            c->lf_requested = false;
            c->lf_ready_at = PERIPH_NEVER;
            if (c->lf_published)
                periph_publish_clock(p, "lfclk", 0, now);
            c->lf_published = false;
        }
        break;
    case CAL:
        if (task)
            c->cal_done_at = after_us(p, now, c->cal_us);
        break;
    case CONSTLAT:
    case LOWPWR:
        break;
    case LFCLKSRC: c->lfclksrc = periph_merge(c->lfclksrc, v, mask) & 0x30003; break;
    case HFXODEBOUNCE: c->hfxodebounce = periph_merge(c->hfxodebounce, v, mask) & 0xFF; break;
    case CTIV: c->ctiv = periph_merge(c->ctiv, v, mask) & 0x7F; break;
    case TRACECONFIG: c->traceconfig = periph_merge(c->traceconfig, v, mask); break;
    case LFRCMODE: c->lfrcmode = periph_merge(c->lfrcmode, v, mask) & 1; break;
    default: {
        for (size_t i = 0; i < N_POWER; i++)
            if (power_regs[i].off == off) {
                c->power[i] = periph_merge(c->power[i], v, mask & power_regs[i].writable);
                return;
            }
        if (off >= RAM_POWER && off < RAM_POWER + 9 * 16 && (off & 15) < 12) {
            uint32_t *r = &c->ram_power[(off - RAM_POWER) / 16];
            switch (off & 15) {
            case 0: *r = periph_merge(*r, v, mask) & 0x0003FFFF; break;
            case 4: *r |= v & mask; break;
            case 8: *r &= ~(v & mask); break;
            }
            return;
        }
        periph_unmodelled_write(p, off, v, mask, now);
        return;
    }
    }
    sync(p, now);
}

static uint64_t next_event(struct periph *p)
{
    struct clock *c = p->state;
    uint64_t next = c->cal_done_at;
    if (c->hf_requested && c->hf_ready_at != 0 && c->hf_ready_at < next)
        next = c->hf_ready_at;
    if (c->lf_requested && !c->lf_published && c->lf_ready_at < next)
        next = c->lf_ready_at; /* also when its interrupt is off: the RTCs start counting then */
    return next;
}

const struct periph_model periph_nrf_clock = {
    .name = "nrf52-clock",
    .summary = "nRF52840 CLOCK and POWER: HFXO and LFCLK start-up with their events, LFCLK published to the RTCs, "
               "POWER registers",
    .size = 0x1000,
    .state_size = sizeof(struct clock),
    .irqs = (const char *const[]){"power_clock", NULL},
    .params = (const char *const[]){"hfxo_startup_us", "lfxo_startup_us", "lfrc_startup_us", "lfsynt_startup_us",
                                     "cal_us", NULL},
    .init = init,
    .reset = reset,
    .read = read,
    .write = write,
    .next_event = next_event,
    .event = sync,
};
