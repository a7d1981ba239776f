/*
 * periph_rp2040_sio.c — the RP2040's single-cycle I/O block at 0xD0000000
 * (RP2040 datasheet §2.3.1), as core 0 sees it with core 1 asleep.
 *
 * CPUID reads 0.  GPIO output and output-enable registers with their SET,
 * CLR and XOR aliases; inputs read 0 (no pin is driven from outside).  The
 * inter-core FIFO reads empty and ready (what core 1 would take is
 * dropped).  The hardware divider gives its results at once (the SDK
 * waits its eight cycles by code timing, which the cycle model counts):
 * DIV_CSR reads READY, DIRTY until the quotient is read; division by zero
 * gives the quotient all ones (unsigned) or ±1 (signed) and the dividend
 * as remainder, as the silicon does.  The 32 spinlocks claim on read
 * (returning a non-zero bit) when free and release on write.  The
 * interpolators are not modelled (the unmodelled mode reports them).
 */
#include "periph.h"

enum {
    CPUID = 0x000, GPIO_IN = 0x004, GPIO_HI_IN = 0x008, GPIO_OUT = 0x010, GPIO_OE = 0x020, GPIO_HI_OUT = 0x030,
    GPIO_HI_OE = 0x040, FIFO_ST = 0x050, FIFO_WR = 0x054, FIFO_RD = 0x058, SPINLOCK_ST = 0x05C,
    DIV_UDIVIDEND = 0x060, DIV_UDIVISOR = 0x064, DIV_SDIVIDEND = 0x068, DIV_SDIVISOR = 0x06C,
    DIV_QUOTIENT = 0x070, DIV_REMAINDER = 0x074, DIV_CSR = 0x078, SPINLOCK0 = 0x100, SPINLOCK31 = 0x17C,
};

struct sio {
    uint32_t gpio_out, gpio_oe, gpio_hi_out, gpio_hi_oe;
    uint32_t dividend, divisor, quotient, remainder;
    bool dirty;
    uint32_t locks;
};

static void reset(struct periph *p)
{
    struct sio *s = p->state;
    *s = (struct sio){0};
}

static void divide(struct sio *s, bool is_signed)
{
    s->dirty = true;
    if (!s->divisor) {
        s->quotient = is_signed ? ((int32_t)s->dividend < 0 ? 1u : 0xFFFFFFFFu) : 0xFFFFFFFFu;
        s->remainder = s->dividend;
    } else if (is_signed) {
        int32_t n = (int32_t)s->dividend, d = (int32_t)s->divisor;
        if (n == INT32_MIN && d == -1) {
            s->quotient = (uint32_t)INT32_MIN;
            s->remainder = 0;
        } else {
            s->quotient = (uint32_t)(n / d);
            s->remainder = (uint32_t)(n % d);
        }
    } else {
        s->quotient = s->dividend / s->divisor;
        s->remainder = s->dividend % s->divisor;
    }
}

static uint32_t read(struct periph *p, uint32_t off, uint64_t now)
{
    struct sio *s = p->state;
    if (off >= SPINLOCK0 && off <= SPINLOCK31) {
        uint32_t bit = 1u << ((off - SPINLOCK0) / 4);
        if (s->locks & bit)
            return 0;
        s->locks |= bit;
        return bit;
    }
    switch (off) {
    case CPUID: return 0;
    case GPIO_IN:
    case GPIO_HI_IN: return 0;
    case GPIO_OUT: return s->gpio_out;
    case GPIO_OE: return s->gpio_oe;
    case GPIO_HI_OUT: return s->gpio_hi_out;
    case GPIO_HI_OE: return s->gpio_hi_oe;
    case FIFO_ST: return 2; /* RDY, not VLD */
    case FIFO_RD: return 0;
    case SPINLOCK_ST: return s->locks;
    case DIV_UDIVIDEND:
    case DIV_SDIVIDEND: return s->dividend;
    case DIV_UDIVISOR:
    case DIV_SDIVISOR: return s->divisor;
    case DIV_QUOTIENT: s->dirty = false; return s->quotient;
    case DIV_REMAINDER: return s->remainder;
    case DIV_CSR: return 1u | (s->dirty ? 2u : 0);
    }
    return periph_unmodelled_read(p, off, now);
}

/* A GPIO register and its SET, CLR and XOR aliases at +4, +8, +12. */
static bool gpio_write(uint32_t *reg, uint32_t base, uint32_t off, uint32_t v)
{
    if (off < base || off > base + 12)
        return false;
    switch (off - base) {
    case 0: *reg = v; break;
    case 4: *reg |= v; break;
    case 8: *reg &= ~v; break;
    case 12: *reg ^= v; break;
    }
    return true;
}

static void write(struct periph *p, uint32_t off, uint32_t v, uint32_t mask, uint64_t now)
{
    struct sio *s = p->state;
    v &= mask;
    if (off >= SPINLOCK0 && off <= SPINLOCK31) {
        s->locks &= ~(1u << ((off - SPINLOCK0) / 4));
        return;
    }
    if (gpio_write(&s->gpio_out, GPIO_OUT, off, v) || gpio_write(&s->gpio_oe, GPIO_OE, off, v) ||
        gpio_write(&s->gpio_hi_out, GPIO_HI_OUT, off, v) || gpio_write(&s->gpio_hi_oe, GPIO_HI_OE, off, v))
        return;
    switch (off) {
    case FIFO_ST: return; /* clears the error flags: none are raised */
    case FIFO_WR: return;
    case DIV_UDIVIDEND: s->dividend = v; divide(s, false); return;
    case DIV_UDIVISOR: s->divisor = v; divide(s, false); return;
    case DIV_SDIVIDEND: s->dividend = v; divide(s, true); return;
    case DIV_SDIVISOR: s->divisor = v; divide(s, true); return;
    case DIV_QUOTIENT: s->quotient = v; s->dirty = true; return;
    case DIV_REMAINDER: s->remainder = v; s->dirty = true; return;
    }
    periph_unmodelled_write(p, off, v, mask, now);
}

const struct periph_model periph_rp2040_sio = {
    .name = "rp2040-sio",
    .summary = "RP2040 SIO (2.3.1): CPUID, GPIO output registers, the hardware divider, spinlocks, an idle "
               "inter-core FIFO",
    .size = 0x1000,
    .state_size = sizeof(struct sio),
    .reset = reset,
    .read = read,
    .write = write,
};
