/*
 * periph_rp2040_clocks.c — the RP2040's reset, oscillator and clock
 * blocks (RP2040 datasheet §2.14 RESETS, §2.15 CLOCKS, §2.16 XOSC, §2.18
 * PLL, §4.7 WATCHDOG's tick generator): what the SDK's runtime_init and
 * clocks_init program and wait on.
 *
 * RESETS: a peripheral whose RESET bit is cleared reports RESET_DONE.
 * XOSC: enabled by CTRL.ENABLE (0xFAB), STATUS.STABLE once STARTUP.DELAY
 * times 256 crystal cycles have passed; then "xosc" (`xosc_hz`, the
 * Pico's 12 MHz) is published.  PLL: once powered (PWR.PD and VCOPD
 * clear) it reports CS.LOCK after `lock_us`; its output, XOSC / REFDIV *
 * FBDIV_INT / (POSTDIV1 * POSTDIV2), is published under its `output`
 * name ("pll_sys", "pll_usb") while locked with its post-dividers powered.
 * CLOCKS: each generator's CTRL, DIV and SELECTED (one-hot of the glitch-
 * less source: clk_ref and clk_sys); clk_ref, clk_sys and clk_peri are
 * computed from their sources and published, and clk_sys is the core
 * clock; FC0 measures a clock at once.  WATCHDOG: TICK divides clk_ref by
 * CYCLES into the 1 µs "tick" the TIMER counts; the other registers are
 * plain (the watchdog's reset is not modelled).
 *
 * Until firmware writes a clock generator, the board file's state holds:
 * clk_sys at the board's clock, clk_peri from it, clk_ref at 12 MHz and a
 * 1 MHz tick, as the SDK leaves them.  From that write on, the registers
 * decide (and the run reports that the firmware set the clock).  The ring
 * oscillator runs at `rosc_hz` (nominally 6.5 MHz).
 */
#include "periph.h"

#include <string.h>

/* ---- RESETS ---- */

struct resets {
    uint32_t reset, wdsel;
};

static void resets_reset(struct periph *p)
{
    struct resets *r = p->state;
    r->reset = 0x01FFFFFF;
    r->wdsel = 0;
}

static uint32_t resets_peek(struct periph *p, uint32_t off)
{
    struct resets *r = p->state;
    switch (off) {
    case 0x0: return r->reset;
    case 0x4: return r->wdsel;
    case 0x8: return ~r->reset & 0x01FFFFFF; /* RESET_DONE */
    }
    return 0;
}

static uint32_t resets_read(struct periph *p, uint32_t off, uint64_t now)
{
    if (off > 0x8)
        return periph_unmodelled_read(p, off, now);
    return resets_peek(p, off);
}

static void resets_write(struct periph *p, uint32_t off, uint32_t v, uint32_t mask, uint64_t now)
{
    struct resets *r = p->state;
    if (off == 0x0)
        r->reset = periph_merge(r->reset, v, mask) & 0x01FFFFFF;
    else if (off == 0x4)
        r->wdsel = periph_merge(r->wdsel, v, mask) & 0x01FFFFFF;
    else
        periph_unmodelled_write(p, off, v, mask, now);
}

const struct periph_model periph_rp2040_resets = {
    .name = "rp2040-resets",
    .summary = "RP2040 RESETS (2.14): RESET_DONE follows RESET",
    .size = 0x1000,
    .state_size = sizeof(struct resets),
    .reset = resets_reset,
    .peek = resets_peek,
    .read = resets_read,
    .write = resets_write,
};

/* ---- XOSC ---- */

enum { X_CTRL = 0x00, X_STATUS = 0x04, X_DORMANT = 0x08, X_STARTUP = 0x0C, X_COUNT = 0x1C };
#define XOSC_ENABLE 0xFABu
#define XOSC_DISABLE 0xD1Eu

struct xosc {
    uint32_t hz;
    uint32_t ctrl, startup, dormant, count;
    uint64_t enabled_at;   /* PERIPH_NEVER: disabled */
    bool published;
};

static int xosc_init(struct periph *p, char *err, size_t errlen)
{
    struct xosc *x = p->state;
    return periph_param_u32(p, "xosc_hz", 12000000, &x->hz, err, errlen);
}

static uint64_t xosc_stable_at(struct periph *p)
{
    struct xosc *x = p->state;
    if (x->enabled_at == PERIPH_NEVER)
        return PERIPH_NEVER;
    uint64_t delay = (uint64_t)(x->startup & 0x3FFF) * 256 * ((x->startup >> 20) & 1 ? 4 : 1);
    return x->enabled_at + periph_cycles_for(delay, x->hz, periph_core_hz(p));
}

static void xosc_sync(struct periph *p, uint64_t now)
{
    struct xosc *x = p->state;
    uint64_t at = xosc_stable_at(p);
    if (!x->published && at <= now) {
        x->published = true;
        periph_publish_clock(p, "xosc", x->hz, at);
    }
}

static void xosc_reset(struct periph *p)
{
    struct xosc *x = p->state;
    uint32_t hz = x->hz;
    *x = (struct xosc){.hz = hz, .ctrl = 0xAA0, .startup = 0xC4, .enabled_at = PERIPH_NEVER};
    periph_publish_clock(p, "xosc", 0, 0);
}

static uint32_t xosc_peek(struct periph *p, uint32_t off)
{
    struct xosc *x = p->state;
    switch (off) {
    case X_CTRL: return x->ctrl;
    case X_STARTUP: return x->startup;
    case X_DORMANT: return x->dormant;
    case X_COUNT: return x->count;
    }
    return 0;
}

static uint32_t xosc_read(struct periph *p, uint32_t off, uint64_t now)
{
    struct xosc *x = p->state;
    xosc_sync(p, now);
    if (off == X_STATUS) {
        uint32_t v = x->ctrl & 3; /* FREQ_RANGE */
        if (x->enabled_at != PERIPH_NEVER)
            v |= 1u << 12; /* ENABLED */
        if (x->published)
            v |= 1u << 31; /* STABLE */
        return v;
    }
    if (off == X_CTRL || off == X_STARTUP || off == X_DORMANT || off == X_COUNT)
        return xosc_peek(p, off);
    return periph_unmodelled_read(p, off, now);
}

static void xosc_write(struct periph *p, uint32_t off, uint32_t v, uint32_t mask, uint64_t now)
{
    struct xosc *x = p->state;
    xosc_sync(p, now);
    switch (off) {
    case X_CTRL: {
        x->ctrl = periph_merge(x->ctrl, v, mask) & 0xFFFFFF;
        uint32_t en = (x->ctrl >> 12) & 0xFFF;
        if (en == XOSC_ENABLE && x->enabled_at == PERIPH_NEVER) {
            x->enabled_at = now;
        } else if (en == XOSC_DISABLE && x->enabled_at != PERIPH_NEVER) {
            x->enabled_at = PERIPH_NEVER;
            x->published = false;
            periph_publish_clock(p, "xosc", 0, now);
        }
        return;
    }
    case X_STARTUP: x->startup = periph_merge(x->startup, v, mask) & 0x103FFF; return;
    case X_DORMANT: x->dormant = periph_merge(x->dormant, v, mask); return;
    case X_COUNT: x->count = periph_merge(x->count, v, mask) & 0xFF; return;
    }
    periph_unmodelled_write(p, off, v, mask, now);
}

static uint64_t xosc_next_event(struct periph *p)
{
    struct xosc *x = p->state;
    return x->published ? PERIPH_NEVER : xosc_stable_at(p); /* the PLLs and clocks wait on it */
}

const struct periph_model periph_rp2040_xosc = {
    .name = "rp2040-xosc",
    .summary = "RP2040 XOSC (2.16): ENABLE, STABLE after STARTUP.DELAY; publishes \"xosc\"",
    .size = 0x1000,
    .state_size = sizeof(struct xosc),
    .params = (const char *const[]){"xosc_hz", NULL},
    .init = xosc_init,
    .reset = xosc_reset,
    .peek = xosc_peek,
    .read = xosc_read,
    .write = xosc_write,
    .next_event = xosc_next_event,
    .event = xosc_sync,
};

/* ---- PLL ---- */

enum { P_CS = 0x0, P_PWR = 0x4, P_FBDIV = 0x8, P_PRIM = 0xC };
enum { PD = 1, POSTDIVPD = 8, VCOPD = 32 };

struct pll {
    char output[24];
    uint32_t lock_us;
    uint32_t cs, pwr, fbdiv, prim;
    uint64_t powered_at;  /* PD and VCOPD cleared at; PERIPH_NEVER: powered down */
    uint32_t published;
};

static int pll_init(struct periph *p, char *err, size_t errlen)
{
    struct pll *l = p->state;
    const char *out = periph_param(p, "output");
    if (!out || strlen(out) >= sizeof l->output) {
        snprintf(err, errlen, "needs 'output', the name its clock is published under (pll_sys, pll_usb)");
        return -1;
    }
    strcpy(l->output, out);
    return periph_param_u32(p, "lock_us", 50, &l->lock_us, err, errlen);
}

static uint64_t pll_lock_at(struct periph *p)
{
    struct pll *l = p->state;
    if (l->powered_at == PERIPH_NEVER)
        return PERIPH_NEVER;
    return l->powered_at + periph_cycles_for(l->lock_us, 1000000, periph_core_hz(p));
}

static uint32_t pll_out(struct periph *p, uint64_t now)
{
    struct pll *l = p->state;
    uint32_t ref = periph_named_clock(p, "xosc", 0);
    uint32_t refdiv = l->cs & 0x3F, pd1 = (l->prim >> 16) & 7, pd2 = (l->prim >> 12) & 7;
    if (l->cs & (1u << 8))
        return ref; /* BYPASS */
    if (now < pll_lock_at(p) || (l->pwr & POSTDIVPD) || !refdiv || !pd1 || !pd2)
        return 0;
    return (uint32_t)((uint64_t)ref / refdiv * (l->fbdiv & 0xFFF) / (pd1 * pd2));
}

static void pll_sync(struct periph *p, uint64_t now)
{
    struct pll *l = p->state;
    uint64_t lock = pll_lock_at(p);
    uint64_t at = lock <= now && !l->published ? lock : now; /* a lock is published when it happened */
    uint32_t out = pll_out(p, now);
    if (out != l->published) {
        l->published = out;
        periph_publish_clock(p, l->output, out, at);
    }
}

static void pll_reset(struct periph *p)
{
    struct pll *l = p->state;
    l->cs = 1;
    l->pwr = PD | 4 | POSTDIVPD | VCOPD; /* 0x2D */
    l->fbdiv = 0;
    l->prim = 0x77000;
    l->powered_at = PERIPH_NEVER;
    l->published = 0;
    periph_publish_clock(p, l->output, 0, 0);
}

static uint32_t pll_peek(struct periph *p, uint32_t off)
{
    struct pll *l = p->state;
    switch (off) {
    case P_CS: return l->cs;
    case P_PWR: return l->pwr;
    case P_FBDIV: return l->fbdiv;
    case P_PRIM: return l->prim;
    }
    return 0;
}

static uint32_t pll_read(struct periph *p, uint32_t off, uint64_t now)
{
    struct pll *l = p->state;
    pll_sync(p, now);
    if (off == P_CS)
        return l->cs | (now >= pll_lock_at(p) ? 1u << 31 : 0); /* LOCK */
    if (off <= P_PRIM)
        return pll_peek(p, off);
    return periph_unmodelled_read(p, off, now);
}

static void pll_write(struct periph *p, uint32_t off, uint32_t v, uint32_t mask, uint64_t now)
{
    struct pll *l = p->state;
    switch (off) {
    case P_CS: l->cs = periph_merge(l->cs, v, mask) & 0x13F; break;
    case P_PWR: {
        l->pwr = periph_merge(l->pwr, v, mask) & 0x2D;
        bool powered = !(l->pwr & (PD | VCOPD));
        if (powered && l->powered_at == PERIPH_NEVER)
            l->powered_at = now;
        else if (!powered)
            l->powered_at = PERIPH_NEVER;
        break;
    }
    case P_FBDIV: l->fbdiv = periph_merge(l->fbdiv, v, mask) & 0xFFF; break;
    case P_PRIM: l->prim = periph_merge(l->prim, v, mask) & 0x77000; break;
    default: periph_unmodelled_write(p, off, v, mask, now); return;
    }
    pll_sync(p, now);
}

static uint64_t pll_next_event(struct periph *p)
{
    struct pll *l = p->state;
    uint64_t lock = pll_lock_at(p);
    return l->published == 0 && lock != PERIPH_NEVER ? lock : PERIPH_NEVER;
}

static void pll_clocks_changed(struct periph *p, uint64_t now)
{
    pll_sync(p, now); /* the reference (XOSC) may have started */
}

const struct periph_model periph_rp2040_pll = {
    .name = "rp2040-pll",
    .summary = "RP2040 PLL (2.18): LOCK after power-up, output XOSC/REFDIV*FBDIV/(POSTDIV1*POSTDIV2) published",
    .size = 0x1000,
    .state_size = sizeof(struct pll),
    .params = (const char *const[]){"output", "lock_us", NULL},
    .init = pll_init,
    .reset = pll_reset,
    .peek = pll_peek,
    .read = pll_read,
    .write = pll_write,
    .next_event = pll_next_event,
    .event = pll_sync,
    .clocks_changed = pll_clocks_changed,
};

/* ---- CLOCKS ---- */

enum { GEN_REF = 4, GEN_SYS = 5, GEN_PERI = 6, N_GEN = 10 };
enum { FC0_SRC = 0x94, FC0_STATUS = 0x98, FC0_RESULT = 0x9C, CLK_INTR = 0xB8, CLK_INTS = 0xC4 };

struct clocks {
    uint32_t rosc_hz;
    uint32_t ctrl[N_GEN], div[N_GEN];
    uint32_t plain[(CLK_INTS - 0x78) / 4 + 1]; /* 0x78..0xC4 */
    bool configured;
};

static int clocks_init(struct periph *p, char *err, size_t errlen)
{
    struct clocks *c = p->state;
    return periph_param_u32(p, "rosc_hz", 6500000, &c->rosc_hz, err, errlen);
}

/* Glitchless generators (clk_ref, clk_sys) switch sources at once. */
static uint32_t selected(const struct clocks *c, int g)
{
    if (g == GEN_REF)
        return 1u << (c->ctrl[g] & 3);
    if (g == GEN_SYS)
        return 1u << (c->ctrl[g] & 1);
    return 1;
}

static uint64_t divided(uint64_t hz, uint32_t div, bool frac)
{
    uint32_t d = frac ? div : div & ~0xFFu; /* INT[31:8].FRAC[7:0] */
    if (!d)
        d = 1u << 16; /* INT 0 means 65536 */
    return hz * 256 / d;
}

static uint64_t ref_hz(struct periph *p)
{
    struct clocks *c = p->state;
    uint64_t src;
    switch (c->ctrl[GEN_REF] & 3) {
    case 0: src = c->rosc_hz; break;
    case 2: src = periph_named_clock(p, "xosc", 0); break;
    default: {
        uint32_t aux = (c->ctrl[GEN_REF] >> 5) & 3;
        src = aux == 0 ? periph_named_clock(p, "pll_usb", 0) : 0; /* gpin: not connected */
    }
    }
    uint32_t d = (c->div[GEN_REF] >> 8) & 3;
    return src / (d ? d : 4);
}

static uint64_t sys_hz(struct periph *p)
{
    struct clocks *c = p->state;
    uint64_t src;
    if (!(c->ctrl[GEN_SYS] & 1)) {
        src = ref_hz(p);
    } else {
        switch ((c->ctrl[GEN_SYS] >> 5) & 7) {
        case 0: src = periph_named_clock(p, "pll_sys", 0); break;
        case 1: src = periph_named_clock(p, "pll_usb", 0); break;
        case 2: src = c->rosc_hz; break;
        case 3: src = periph_named_clock(p, "xosc", 0); break;
        default: src = 0; break;
        }
    }
    return divided(src, c->div[GEN_SYS], true);
}

static uint64_t peri_hz(struct periph *p, uint64_t sys)
{
    struct clocks *c = p->state;
    if (!(c->ctrl[GEN_PERI] & (1u << 11)))
        return 0;
    switch ((c->ctrl[GEN_PERI] >> 5) & 7) {
    case 0: return sys;
    case 1: return periph_named_clock(p, "pll_sys", 0);
    case 2: return periph_named_clock(p, "pll_usb", 0);
    case 3: return c->rosc_hz;
    case 4: return periph_named_clock(p, "xosc", 0);
    }
    return 0;
}

static void clocks_publish(struct periph *p, uint64_t now)
{
    struct clocks *c = p->state;
    if (!c->configured) {
        uint32_t board = p->board->clock_hz;
        periph_publish_clock(p, "clk_sys", board, now);
        periph_publish_clock(p, "clk_peri", board, now);
        periph_publish_clock(p, "clk_ref", 12000000, now);
        return;
    }
    uint64_t sys = sys_hz(p), ref = ref_hz(p);
    periph_publish_clock(p, "clk_sys", (uint32_t)sys, now);
    periph_publish_clock(p, "clk_peri", (uint32_t)peri_hz(p, sys), now);
    periph_publish_clock(p, "clk_ref", (uint32_t)ref, now);
    if (sys) {
        static const char *const aux[8] = {"pll_sys", "pll_usb", "ROSC", "XOSC", "GPIN0", "GPIN1", "?", "?"};
        char why[96];
        snprintf(why, sizeof why, "CLOCKS: clk_sys from %s, %.6g MHz",
                 c->ctrl[GEN_SYS] & 1 ? aux[(c->ctrl[GEN_SYS] >> 5) & 7] : "clk_ref", sys / 1e6);
        periph_set_core_clock(p, (uint32_t)sys, why, now);
    }
}

static void clocks_reset(struct periph *p)
{
    struct clocks *c = p->state;
    uint32_t rosc = c->rosc_hz;
    memset(c, 0, sizeof *c);
    c->rosc_hz = rosc;
    for (int g = 0; g < N_GEN; g++)
        c->div[g] = 0x100;
    c->plain[(0xB0 - 0x78) / 4] = 0xFFFFFFFF; /* ENABLED0 */
    c->plain[(0xB4 - 0x78) / 4] = 0x7FFF;     /* ENABLED1 */
    c->plain[(0xA0 - 0x78) / 4] = 0xFFFFFFFF; /* WAKE_EN0 */
    c->plain[(0xA4 - 0x78) / 4] = 0x7FFF;     /* WAKE_EN1 */
    c->plain[(0xA8 - 0x78) / 4] = 0xFFFFFFFF; /* SLEEP_EN0 */
    c->plain[(0xAC - 0x78) / 4] = 0x7FFF;     /* SLEEP_EN1 */
    c->plain[(0x80 - 0x78) / 4] = 0;          /* FC0_REF_KHZ */
    clocks_publish(p, 0);
}

/* The frequency counter's source numbers (FC0_SRC, §2.15.7). */
static uint64_t fc0_source_hz(struct periph *p, uint32_t src)
{
    uint64_t sys = sys_hz(p);
    switch (src) {
    case 0x01: return periph_named_clock(p, "pll_sys", 0);
    case 0x02: return periph_named_clock(p, "pll_usb", 0);
    case 0x03: case 0x04: return ((struct clocks *)p->state)->rosc_hz;
    case 0x05: return periph_named_clock(p, "xosc", 0);
    case 0x08: return ref_hz(p);
    case 0x09: return sys;
    case 0x0A: return peri_hz(p, sys);
    }
    return 0;
}

static uint32_t clocks_peek(struct periph *p, uint32_t off)
{
    struct clocks *c = p->state;
    if (off < 0x78) {
        int g = (int)(off / 12);
        switch (off % 12) {
        case 0: return c->ctrl[g];
        case 4: return c->div[g];
        default: return selected(c, g);
        }
    }
    if (off <= CLK_INTS)
        return c->plain[(off - 0x78) / 4];
    return 0;
}

static uint32_t clocks_read(struct periph *p, uint32_t off, uint64_t now)
{
    if (off == FC0_STATUS)
        return 1u << 4; /* DONE: the count is immediate */
    if (off > CLK_INTS)
        return periph_unmodelled_read(p, off, now);
    return clocks_peek(p, off);
}

static void clocks_write(struct periph *p, uint32_t off, uint32_t v, uint32_t mask, uint64_t now)
{
    struct clocks *c = p->state;
    if (off < 0x78) {
        int g = (int)(off / 12);
        if (off % 12 == 0)
            c->ctrl[g] = periph_merge(c->ctrl[g], v, mask);
        else if (off % 12 == 4)
            c->div[g] = periph_merge(c->div[g], v, mask);
        else
            return; /* SELECTED is read-only */
        if (g == GEN_REF || g == GEN_SYS || g == GEN_PERI) {
            c->configured = true;
            clocks_publish(p, now);
        }
        return;
    }
    if (off > CLK_INTS) {
        periph_unmodelled_write(p, off, v, mask, now);
        return;
    }
    uint32_t *r = &c->plain[(off - 0x78) / 4];
    *r = periph_merge(*r, v, mask);
    if (off == FC0_SRC && *r) /* count it: kHz in RESULT[29:5] */
        c->plain[(FC0_RESULT - 0x78) / 4] = (uint32_t)(fc0_source_hz(p, *r) / 1000) << 5;
}

static void clocks_changed(struct periph *p, uint64_t now)
{
    clocks_publish(p, now); /* an oscillator or PLL feeding a generator changed */
}

const struct periph_model periph_rp2040_clocks = {
    .name = "rp2040-clocks",
    .summary = "RP2040 CLOCKS (2.15): generators with CTRL/DIV/SELECTED; clk_ref, clk_sys (the core) and clk_peri "
               "published; FC0",
    .size = 0x1000,
    .state_size = sizeof(struct clocks),
    .params = (const char *const[]){"rosc_hz", NULL},
    .init = clocks_init,
    .reset = clocks_reset,
    .peek = clocks_peek,
    .read = clocks_read,
    .write = clocks_write,
    .clocks_changed = clocks_changed,
};

/* ---- WATCHDOG (its tick generator) ---- */

enum { W_CTRL = 0x00, W_LOAD = 0x04, W_REASON = 0x08, W_SCRATCH0 = 0x0C, W_SCRATCH7 = 0x28, W_TICK = 0x2C };

struct watchdog {
    uint32_t ctrl, load, scratch[8], tick;
};

static void tick_publish(struct periph *p, uint64_t now)
{
    struct watchdog *w = p->state;
    uint32_t cycles = w->tick & 0x1FF;
    uint32_t ref = periph_named_clock(p, "clk_ref", 12000000);
    periph_publish_clock(p, "tick", (w->tick & (1u << 9)) && cycles ? ref / cycles : 0, now);
}

static void watchdog_reset(struct periph *p)
{
    struct watchdog *w = p->state;
    memset(w, 0, sizeof *w);
    w->ctrl = 0x07000000;
    /* The board's state: the SDK has set the tick to 1 MHz from the
     * 12 MHz clk_ref (watchdog_start_tick(12)). */
    w->tick = (1u << 9) | 12;
    tick_publish(p, 0);
}

static uint32_t watchdog_peek(struct periph *p, uint32_t off)
{
    struct watchdog *w = p->state;
    switch (off) {
    case W_CTRL: return w->ctrl;
    case W_LOAD: return 0;
    case W_REASON: return 0;
    case W_TICK: return w->tick | ((w->tick & (1u << 9)) ? 1u << 10 : 0); /* RUNNING */
    }
    if (off >= W_SCRATCH0 && off <= W_SCRATCH7)
        return w->scratch[(off - W_SCRATCH0) / 4];
    return 0;
}

static uint32_t watchdog_read(struct periph *p, uint32_t off, uint64_t now)
{
    if (off > W_TICK)
        return periph_unmodelled_read(p, off, now);
    return watchdog_peek(p, off);
}

static void watchdog_write(struct periph *p, uint32_t off, uint32_t v, uint32_t mask, uint64_t now)
{
    struct watchdog *w = p->state;
    switch (off) {
    case W_CTRL:
        w->ctrl = periph_merge(w->ctrl, v, mask) & 0x47FFFFFF;
        if (w->ctrl & (1u << 30))
            periph_unmodelled_write(p, off, v, mask, now); /* an armed watchdog: its reset is not modelled */
        return;
    case W_LOAD: w->load = v & mask & 0xFFFFFF; return;
    case W_TICK:
        w->tick = periph_merge(w->tick, v, mask) & 0x3FF;
        tick_publish(p, now);
        return;
    }
    if (off >= W_SCRATCH0 && off <= W_SCRATCH7) {
        w->scratch[(off - W_SCRATCH0) / 4] = periph_merge(w->scratch[(off - W_SCRATCH0) / 4], v, mask);
        return;
    }
    periph_unmodelled_write(p, off, v, mask, now);
}

static void watchdog_clocks_changed(struct periph *p, uint64_t now)
{
    tick_publish(p, now);
}

const struct periph_model periph_rp2040_watchdog = {
    .name = "rp2040-watchdog",
    .summary = "RP2040 WATCHDOG (4.7): the tick generator (clk_ref / CYCLES, published as \"tick\"), scratch "
               "registers",
    .size = 0x1000,
    .state_size = sizeof(struct watchdog),
    .reset = watchdog_reset,
    .peek = watchdog_peek,
    .read = watchdog_read,
    .write = watchdog_write,
    .clocks_changed = watchdog_clocks_changed,
};
