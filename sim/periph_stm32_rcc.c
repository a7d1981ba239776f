/*
 * periph_stm32_rcc.c — the reset and clock control (RCC) of the STM32L4+
 * (RM0432 §6, "stm32l4-rcc") and the STM32F7 (RM0385 §5, "stm32f7-rcc"):
 * what start-up code turns on and waits for, and the clock tree that
 * results.
 *
 * Oscillators (MSI, HSI, HSE, LSI, LSE, HSI48, the PLLs) are switched on
 * by their ON bits; their RDY bits follow once their start-up time has
 * passed (the `*_startup_us` parameters; typical datasheet figures by
 * default).  CFGR.SWS follows CFGR.SW once the selected source is ready.
 * SYSCLK, HCLK (the core clock), PCLK1/PCLK2, the timer clocks (twice
 * PCLK when its prescaler divides) and the kernel clocks of the U(S)ARTs
 * and LPTIM (CCIPR / DCKCFGR2) are published for the instances that name
 * them ("clock = pclk1").
 *
 * The board file describes the part as its vendor's start-up code leaves
 * it, so until firmware writes CFGR the core runs at the board's clock
 * and the buses at it undivided; from that write on, the core clock and
 * every published clock are what the registers say (and the run reports
 * that the firmware set the clock).  Enable and reset registers are plain
 * (reset values of the reference manual).  The part's variant is a table
 * of register positions; the code is shared.
 */
#include "periph.h"

#include <string.h>

enum osc_id { OSC_MSI, OSC_HSI, OSC_HSE, OSC_PLL, OSC_LSI, OSC_LSE, OSC_HSI48, OSC_PLL2, OSC_PLL3, N_OSC };
enum family { L4, F7 };

struct osc_bits {
    uint16_t reg;            /* register holding ON and RDY; 0xFFFF: absent */
    uint8_t on, rdy;         /* bit numbers */
    const char *param;       /* start-up time parameter */
    uint32_t default_us;
};

struct plain_reg {
    uint16_t off;
    uint32_t reset, writable;
};

struct variant {
    const char *name;
    enum family family;
    struct osc_bits osc[N_OSC];
    uint16_t cr, cfgr, pllcfgr, kernel_sel; /* kernel_sel: CCIPR / DCKCFGR2 */
    uint32_t cr_reset, pllcfgr_reset;
    uint8_t ppre1_shift, ppre2_shift;
    const struct plain_reg *plain;
    int n_plain;
};

/* RM0432 §6.4: enable, reset, sleep-enable and configuration registers. */
static const struct plain_reg l4_plain[] = {
    {0x04, 0x40000000, 0xFF00FFFF}, /* ICSCR */
    {0x10, 0x00001000, 0xFFFFFFFF}, /* PLLSAI1CFGR */
    {0x14, 0x00001000, 0xFFFFFFFF}, /* PLLSAI2CFGR */
    {0x18, 0x00000000, 0x000007FF}, /* CIER */
    {0x1C, 0x00000000, 0},          /* CIFR */
    {0x20, 0x00000000, 0},          /* CICR (write 1 to clear flags: none are raised) */
    {0x28, 0x00000000, 0xFFFFFFFF}, /* AHB1RSTR */
    {0x2C, 0x00000000, 0xFFFFFFFF}, /* AHB2RSTR */
    {0x30, 0x00000000, 0xFFFFFFFF}, /* AHB3RSTR */
    {0x38, 0x00000000, 0xFFFFFFFF}, /* APB1RSTR1 */
    {0x3C, 0x00000000, 0xFFFFFFFF}, /* APB1RSTR2 */
    {0x40, 0x00000000, 0xFFFFFFFF}, /* APB2RSTR */
    {0x48, 0x00000100, 0xFFFFFFFF}, /* AHB1ENR: FLASHEN */
    {0x4C, 0x00000000, 0xFFFFFFFF}, /* AHB2ENR */
    {0x50, 0x00000000, 0xFFFFFFFF}, /* AHB3ENR */
    {0x58, 0x00000000, 0xFFFFFFFF}, /* APB1ENR1 */
    {0x5C, 0x00000000, 0xFFFFFFFF}, /* APB1ENR2 */
    {0x60, 0x00000000, 0xFFFFFFFF}, /* APB2ENR */
    {0x68, 0x00011307, 0xFFFFFFFF}, /* AHB1SMENR */
    {0x6C, 0x050F667F, 0xFFFFFFFF}, /* AHB2SMENR */
    {0x70, 0x00000101, 0xFFFFFFFF}, /* AHB3SMENR */
    {0x78, 0xF2FECA3F, 0xFFFFFFFF}, /* APB1SMENR1 */
    {0x7C, 0x00000025, 0xFFFFFFFF}, /* APB1SMENR2 */
    {0x80, 0x0357F801, 0xFFFFFFFF}, /* APB2SMENR */
    {0x9C, 0x00000000, 0xFFFFFFFF}, /* CCIPR2 */
};

/* RM0385 §5.3. */
static const struct plain_reg f7_plain[] = {
    {0x0C, 0x00000000, 0x00FF7F00}, /* CIR */
    {0x10, 0x00000000, 0xFFFFFFFF}, /* AHB1RSTR */
    {0x14, 0x00000000, 0xFFFFFFFF}, /* AHB2RSTR */
    {0x18, 0x00000000, 0xFFFFFFFF}, /* AHB3RSTR */
    {0x20, 0x00000000, 0xFFFFFFFF}, /* APB1RSTR */
    {0x24, 0x00000000, 0xFFFFFFFF}, /* APB2RSTR */
    {0x30, 0x00100000, 0xFFFFFFFF}, /* AHB1ENR: DTCMRAMEN */
    {0x34, 0x00000000, 0xFFFFFFFF}, /* AHB2ENR */
    {0x38, 0x00000000, 0xFFFFFFFF}, /* AHB3ENR */
    {0x40, 0x00000000, 0xFFFFFFFF}, /* APB1ENR */
    {0x44, 0x00000000, 0xFFFFFFFF}, /* APB2ENR */
    {0x50, 0x7EEF97FF, 0xFFFFFFFF}, /* AHB1LPENR */
    {0x54, 0x000000F1, 0xFFFFFFFF}, /* AHB2LPENR */
    {0x58, 0x00000003, 0xFFFFFFFF}, /* AHB3LPENR */
    {0x60, 0xFFFFCBFF, 0xFFFFFFFF}, /* APB1LPENR */
    {0x64, 0x0EF77F33, 0xFFFFFFFF}, /* APB2LPENR */
    {0x80, 0x00000000, 0xFFFFFFFF}, /* SSCGR */
    {0x84, 0x24003000, 0xFFFFFFFF}, /* PLLI2SCFGR */
    {0x88, 0x24003000, 0xFFFFFFFF}, /* PLLSAICFGR */
    {0x8C, 0x00000000, 0xFFFFFFFF}, /* DCKCFGR1 */
};

#define NONE {0xFFFF, 0, 0, NULL, 0}

/* Start-up times: datasheet typical values (DS12023 / DS10916,
 * "oscillator characteristics" and "PLL characteristics"): MSI 6 µs,
 * HSI16 2.5 µs, HSE crystal 2 ms, main PLL lock 40 µs (L4+) or 100 µs
 * (F7), LSI 80 µs, LSE 2 s, HSI48 6 µs. */
static const struct variant l4 = {
    .name = "stm32l4-rcc", .family = L4,
    .osc = {
        [OSC_MSI] = {0x00, 0, 1, "msi_startup_us", 6},
        [OSC_HSI] = {0x00, 8, 10, "hsi_startup_us", 3},
        [OSC_HSE] = {0x00, 16, 17, "hse_startup_us", 2000},
        [OSC_PLL] = {0x00, 24, 25, "pll_lock_us", 40},
        [OSC_PLL2] = {0x00, 26, 27, "pll_lock_us", 40},
        [OSC_PLL3] = {0x00, 28, 29, "pll_lock_us", 40},
        [OSC_LSI] = {0x94, 0, 1, "lsi_startup_us", 80},
        [OSC_LSE] = {0x90, 0, 1, "lse_startup_us", 2000000},
        [OSC_HSI48] = {0x98, 0, 1, "hsi48_startup_us", 6},
    },
    .cr = 0x00, .cfgr = 0x08, .pllcfgr = 0x0C, .kernel_sel = 0x88,
    .cr_reset = 0x00000063, .pllcfgr_reset = 0x00001000,
    .ppre1_shift = 8, .ppre2_shift = 11,
    .plain = l4_plain, .n_plain = sizeof l4_plain / sizeof l4_plain[0],
};

static const struct variant f7 = {
    .name = "stm32f7-rcc", .family = F7,
    .osc = {
        [OSC_MSI] = NONE,
        [OSC_HSI] = {0x00, 0, 1, "hsi_startup_us", 3},
        [OSC_HSE] = {0x00, 16, 17, "hse_startup_us", 2000},
        [OSC_PLL] = {0x00, 24, 25, "pll_lock_us", 100},
        [OSC_PLL2] = {0x00, 26, 27, "pll_lock_us", 100},
        [OSC_PLL3] = {0x00, 28, 29, "pll_lock_us", 100},
        [OSC_LSI] = {0x74, 0, 1, "lsi_startup_us", 40},
        [OSC_LSE] = {0x70, 0, 1, "lse_startup_us", 2000000},
        [OSC_HSI48] = NONE,
    },
    .cr = 0x00, .cfgr = 0x08, .pllcfgr = 0x04, .kernel_sel = 0x90,
    .cr_reset = 0x00000083, .pllcfgr_reset = 0x24003010,
    .ppre1_shift = 10, .ppre2_shift = 13,
    .plain = f7_plain, .n_plain = sizeof f7_plain / sizeof f7_plain[0],
};

#define MAX_PLAIN 32
#define BDCR_L4 0x90
#define CSR_L4 0x94
#define CRRCR_L4 0x98
#define BDCR_F7 0x70
#define CSR_F7 0x74

struct rcc {
    const struct variant *v;
    uint32_t startup_us[N_OSC];
    uint32_t hse_hz;
    uint32_t cr, cfgr_w, pllcfgr, kernel_sel, bdcr, csr, crrcr;
    uint32_t sws;                 /* the source SYSCLK runs from (CFGR.SWS) */
    uint64_t on_at[N_OSC];        /* the cycle each oscillator was turned on, PERIPH_NEVER: off */
    uint32_t instant;             /* bit o: ready as soon as on (running at reset, or bypassed) */
    bool configured;              /* firmware wrote CFGR: the registers set the clocks */
    uint32_t plain[MAX_PLAIN];
};

static const uint32_t msi_hz[12] = {100000, 200000, 400000, 800000, 1000000, 2000000,
                                    4000000, 8000000, 16000000, 24000000, 32000000, 48000000};

static uint32_t *osc_reg(struct rcc *r, uint16_t reg)
{
    const struct variant *v = r->v;
    if (reg == v->cr)
        return &r->cr;
    if (reg == (v->family == L4 ? BDCR_L4 : BDCR_F7))
        return &r->bdcr;
    if (reg == (v->family == L4 ? CSR_L4 : CSR_F7))
        return &r->csr;
    if (v->family == L4 && reg == CRRCR_L4)
        return &r->crrcr;
    return NULL;
}

static uint64_t osc_ready_at(struct periph *p, enum osc_id o)
{
    struct rcc *r = p->state;
    if (r->on_at[o] == PERIPH_NEVER)
        return PERIPH_NEVER;
    if (r->instant & (1u << o))
        return r->on_at[o];
    return r->on_at[o] + periph_cycles_for(r->startup_us[o], 1000000, periph_core_hz(p));
}

static bool osc_ready(struct periph *p, enum osc_id o, uint64_t now)
{
    return now >= osc_ready_at(p, o);
}

/* ---- the clock tree ---- */

static uint32_t msi_now(const struct rcc *r)
{
    /* MSIRGSEL: the range in CR, else the one CSR.MSISRANGE gives after reset. */
    unsigned range = (r->cr & (1u << 3)) ? (r->cr >> 4) & 15 : (r->csr >> 8) & 15;
    return msi_hz[range < 12 ? range : 11];
}

static uint64_t pll_hz(const struct rcc *r)
{
    uint32_t c = r->pllcfgr;
    if (r->v->family == L4) {
        uint64_t in;
        switch (c & 3) {
        case 1: in = msi_now(r); break;
        case 2: in = 16000000; break;
        case 3: in = r->hse_hz; break;
        default: return 0;
        }
        uint32_t m = ((c >> 4) & 15) + 1, n = (c >> 8) & 0x7F, rdiv = 2 * (((c >> 25) & 3) + 1);
        return in * n / m / rdiv;
    }
    uint64_t in = (c & (1u << 22)) ? r->hse_hz : 16000000;
    uint32_t m = c & 0x3F, n = (c >> 6) & 0x1FF, pdiv = 2 * (((c >> 16) & 3) + 1);
    return m ? in * n / m / pdiv : 0;
}

/* The frequency of a CFGR.SW/SWS source value. */
static uint64_t source_hz(const struct rcc *r, uint32_t sw)
{
    if (r->v->family == L4) {
        switch (sw & 3) {
        case 0: return msi_now(r);
        case 1: return 16000000;
        case 2: return r->hse_hz;
        default: return pll_hz(r);
        }
    }
    switch (sw & 3) {
    case 0: return 16000000;
    case 1: return r->hse_hz;
    case 2: return pll_hz(r);
    default: return 16000000; /* not allowed: stays on HSI */
    }
}

static enum osc_id source_osc(const struct rcc *r, uint32_t sw)
{
    if (r->v->family == L4) {
        static const enum osc_id l4_src[4] = {OSC_MSI, OSC_HSI, OSC_HSE, OSC_PLL};
        return l4_src[sw & 3];
    }
    static const enum osc_id f7_src[4] = {OSC_HSI, OSC_HSE, OSC_PLL, OSC_HSI};
    return f7_src[sw & 3];
}

static const char *source_name(const struct rcc *r, uint32_t sw)
{
    static const char *const l4n[4] = {"MSI", "HSI16", "HSE", "PLL"};
    static const char *const f7n[4] = {"HSI", "HSE", "PLL", "HSI"};
    return r->v->family == L4 ? l4n[sw & 3] : f7n[sw & 3];
}

static unsigned ahb_div(uint32_t hpre)
{
    static const unsigned d[8] = {2, 4, 8, 16, 64, 128, 256, 512};
    return hpre & 8 ? d[hpre & 7] : 1;
}

static unsigned apb_div(uint32_t ppre)
{
    return ppre & 4 ? 2u << (ppre & 3) : 1;
}

/* Publishes the clock tree and sets the core clock from `at` on. */
static void publish(struct periph *p, uint64_t at)
{
    struct rcc *r = p->state;
    const struct variant *v = r->v;
    uint64_t sysclk, hclk;
    unsigned d1 = 1, d2 = 1;
    if (r->configured) {
        sysclk = source_hz(r, r->sws);
        hclk = sysclk / ahb_div((r->cfgr_w >> 4) & 15);
        d1 = apb_div((r->cfgr_w >> v->ppre1_shift) & 7);
        d2 = apb_div((r->cfgr_w >> v->ppre2_shift) & 7);
        char why[96];
        snprintf(why, sizeof why, "RCC: SYSCLK from %s, %.6g MHz; HCLK %.6g MHz", source_name(r, r->sws),
                 sysclk / 1e6, hclk / 1e6);
        periph_set_core_clock(p, (uint32_t)hclk, why, at);
    } else {
        sysclk = hclk = p->board->clock_hz;
    }
    uint32_t pclk1 = (uint32_t)(hclk / d1), pclk2 = (uint32_t)(hclk / d2);
    periph_publish_clock(p, "sysclk", (uint32_t)sysclk, at);
    periph_publish_clock(p, "hclk", (uint32_t)hclk, at);
    periph_publish_clock(p, "pclk1", pclk1, at);
    periph_publish_clock(p, "pclk2", pclk2, at);
    periph_publish_clock(p, "timclk1", d1 == 1 ? pclk1 : 2 * pclk1, at);
    periph_publish_clock(p, "timclk2", d2 == 1 ? pclk2 : 2 * pclk2, at);
    uint32_t lse = osc_ready(p, OSC_LSE, at) ? 32768 : 0;
    uint32_t lsi = osc_ready(p, OSC_LSI, at) ? 32000 : 0;
    periph_publish_clock(p, "lse", lse, at);
    periph_publish_clock(p, "lsi", lsi, at);
    /* Kernel clocks: CCIPR (L4+) or DCKCFGR2 (F7) select each one. */
    uint32_t k = r->kernel_sel;
    uint32_t sel_pclk2_usart1[4] = {pclk2, (uint32_t)sysclk, 16000000, lse};
    uint32_t sel_pclk1[4] = {pclk1, (uint32_t)sysclk, 16000000, lse};
    uint32_t lptim[4] = {pclk1, lsi, 16000000, lse};
    periph_publish_clock(p, "usart1clk", sel_pclk2_usart1[k & 3], at);
    periph_publish_clock(p, "usart2clk", sel_pclk1[(k >> 2) & 3], at);
    periph_publish_clock(p, "usart3clk", sel_pclk1[(k >> 4) & 3], at);
    if (v->family == L4) {
        periph_publish_clock(p, "lpuart1clk", sel_pclk1[(k >> 10) & 3], at);
        periph_publish_clock(p, "lptim1clk", lptim[(k >> 18) & 3], at);
    } else {
        periph_publish_clock(p, "lptim1clk", lptim[(k >> 24) & 3], at);
    }
}

/* ---- registers ---- */

static int init(struct periph *p, char *err, size_t errlen)
{
    struct rcc *r = p->state;
    r->v = !strcmp(p->model->name, l4.name) ? &l4 : &f7;
    for (int o = 0; o < N_OSC; o++) {
        const struct osc_bits *b = &r->v->osc[o];
        if (b->reg != 0xFFFF && periph_param_u32(p, b->param, b->default_us, &r->startup_us[o], err, errlen))
            return -1;
    }
    return periph_param_u32(p, "hse_hz", r->v->family == L4 ? 8000000 : 25000000, &r->hse_hz, err, errlen);
}

static void reset(struct periph *p)
{
    struct rcc *r = p->state;
    const struct variant *v = r->v;
    r->cr = v->cr_reset;
    r->cfgr_w = 0;
    r->sws = 0;
    r->pllcfgr = v->pllcfgr_reset;
    r->kernel_sel = 0;
    r->bdcr = 0;
    r->csr = v->family == L4 ? 0x0C000600 : 0x0E000000; /* reset flags; MSISRANGE 4 MHz */
    r->crrcr = 0;
    r->configured = false;
    for (int o = 0; o < N_OSC; o++)
        r->on_at[o] = PERIPH_NEVER;
    /* On at reset: MSI (L4+) or HSI (F7), already running. */
    enum osc_id first = v->family == L4 ? OSC_MSI : OSC_HSI;
    r->on_at[first] = 0;
    r->instant = 1u << first;
    for (int i = 0; i < v->n_plain; i++)
        r->plain[i] = v->plain[i].reset;
    publish(p, 0);
}

/* Brings SWS to SW once the selected source is ready. */
static void sync(struct periph *p, uint64_t now)
{
    struct rcc *r = p->state;
    uint32_t sw = r->cfgr_w & 3;
    if (sw != r->sws) {
        uint64_t ready = osc_ready_at(p, source_osc(r, sw));
        if (ready <= now) {
            r->sws = sw;
            publish(p, ready);
        }
    }
}

static uint32_t with_ready_bits(struct periph *p, uint16_t reg, uint32_t v, uint64_t now)
{
    struct rcc *r = p->state;
    for (int o = 0; o < N_OSC; o++) {
        const struct osc_bits *b = &r->v->osc[o];
        if (b->reg == reg && osc_ready(p, (enum osc_id)o, now))
            v |= 1u << b->rdy;
    }
    return v;
}

static uint32_t read(struct periph *p, uint32_t off, uint64_t now)
{
    struct rcc *r = p->state;
    const struct variant *v = r->v;
    sync(p, now);
    uint32_t *osc = osc_reg(r, (uint16_t)off);
    if (osc)
        return with_ready_bits(p, (uint16_t)off, *osc, now);
    if (off == v->cfgr)
        return (r->cfgr_w & ~0xCu) | (r->sws << 2);
    if (off == v->pllcfgr)
        return r->pllcfgr;
    if (off == v->kernel_sel)
        return r->kernel_sel;
    for (int i = 0; i < v->n_plain; i++)
        if (v->plain[i].off == off)
            return r->plain[i];
    return periph_unmodelled_read(p, off, now);
}

/* ON bits of an oscillator register changed: start or stop them.  The
 * source SYSCLK runs from cannot be stopped (its ON bit stays set). */
static void oscillators(struct periph *p, uint16_t reg, uint32_t before, uint32_t *after, uint64_t now)
{
    struct rcc *r = p->state;
    for (int o = 0; o < N_OSC; o++) {
        const struct osc_bits *b = &r->v->osc[o];
        if (b->reg != reg)
            continue;
        bool was = before >> b->on & 1, is = *after >> b->on & 1;
        if (is && !was) {
            r->on_at[o] = now;
            r->instant &= ~(1u << o);
            if (o == OSC_HSE && (*after & (1u << 18)))
                r->instant |= 1u << o; /* HSEBYP: an external clock, no start-up */
        } else if (!is && was && source_osc(r, r->sws) == (enum osc_id)o) {
            *after |= 1u << b->on;
        } else if (!is && was) {
            r->on_at[o] = PERIPH_NEVER;
        }
    }
}

static void write(struct periph *p, uint32_t off, uint32_t val, uint32_t mask, uint64_t now)
{
    struct rcc *r = p->state;
    const struct variant *v = r->v;
    sync(p, now);
    uint32_t *osc = osc_reg(r, (uint16_t)off);
    if (osc) {
        uint32_t rdy = 0;
        for (int o = 0; o < N_OSC; o++)
            if (v->osc[o].reg == off)
                rdy |= 1u << v->osc[o].rdy;
        uint32_t before = *osc;
        *osc = periph_merge(*osc, val, mask) & ~rdy;
        oscillators(p, (uint16_t)off, before, osc, now);
        sync(p, now);
        publish(p, now); /* LSE, LSI and MSI range feed kernel clocks */
        return;
    }
    if (off == v->cfgr) {
        r->cfgr_w = periph_merge(r->cfgr_w, val, mask) & ~0xCu;
        r->configured = true;
        publish(p, now);
        sync(p, now);
        return;
    }
    if (off == v->pllcfgr) {
        r->pllcfgr = periph_merge(r->pllcfgr, val, mask);
        return;
    }
    if (off == v->kernel_sel) {
        r->kernel_sel = periph_merge(r->kernel_sel, val, mask);
        publish(p, now);
        return;
    }
    for (int i = 0; i < v->n_plain; i++)
        if (v->plain[i].off == off) {
            r->plain[i] = periph_merge(r->plain[i], val, mask & v->plain[i].writable);
            return;
        }
    periph_unmodelled_write(p, off, val, mask, now);
}

static uint64_t next_event(struct periph *p)
{
    struct rcc *r = p->state;
    uint32_t sw = r->cfgr_w & 3;
    return sw != r->sws ? osc_ready_at(p, source_osc(r, sw)) : PERIPH_NEVER;
}

static const char *const params[] = {"msi_startup_us", "hsi_startup_us", "hse_startup_us", "pll_lock_us",
                                     "lsi_startup_us", "lse_startup_us", "hsi48_startup_us", "hse_hz", NULL};

const struct periph_model periph_stm32l4_rcc = {
    .name = "stm32l4-rcc",
    .summary = "STM32L4+ RCC (RM0432 6): oscillators with ready bits, PLL, SW/SWS, bus and kernel clocks published",
    .size = 0x400,
    .state_size = sizeof(struct rcc),
    .params = params,
    .init = init,
    .reset = reset,
    .read = read,
    .write = write,
    .next_event = next_event,
    .event = sync,
};

const struct periph_model periph_stm32f7_rcc = {
    .name = "stm32f7-rcc",
    .summary = "STM32F7 RCC (RM0385 5): oscillators with ready bits, PLL, SW/SWS, bus and kernel clocks published",
    .size = 0x400,
    .state_size = sizeof(struct rcc),
    .params = params,
    .init = init,
    .reset = reset,
    .read = read,
    .write = write,
    .next_event = next_event,
    .event = sync,
};
