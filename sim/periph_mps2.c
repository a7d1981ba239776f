/*
 * periph_mps2.c — the MPS2 FPGA's system control and I/O block (FPGAIO),
 * as the AN385/AN386 FPGA images have it (Arm AN386 §3.8 "FPGA system
 * control and I/O"; the same block QEMU's mps2 machines map at
 * 0x40028000).
 *
 * LED0 0x00 (two user LEDs), BUTTON 0x08 (reads 0: nobody presses them),
 * CLK1HZ 0x10 and CLK100HZ 0x14 (counters of simulated time since reset,
 * writable), COUNTER 0x18 (incremented each time PSCNTR reaches zero),
 * PRESCALE 0x1C (PSCNTR's reload), PSCNTR 0x20 (counts down at the
 * prescale clock, the board's 25 MHz unless `prescale_hz` says
 * otherwise), MISC 0x4C (read as written).
 */
#include "periph.h"

enum { LED0 = 0x00, BUTTON = 0x08, CLK1HZ = 0x10, CLK100HZ = 0x14, COUNTER = 0x18, PRESCALE = 0x1C, PSCNTR = 0x20,
       MISC = 0x4C };

struct fpgaio {
    uint32_t prescale_hz;
    uint32_t led0, misc, prescale;
    struct periph_counter hz1, hz100, ps; /* 1 Hz, 100 Hz, prescale clock ticks */
    uint32_t pscntr, counter;              /* as they were when `ps` was last restarted */
};

static void rates(struct periph *p, uint64_t now)
{
    struct fpgaio *f = p->state;
    uint64_t core = periph_core_hz(p);
    periph_counter_rebase(&f->hz1, now, 1, 1, core);
    periph_counter_rebase(&f->hz100, now, 100, 1, core);
    periph_counter_rebase(&f->ps, now, f->prescale_hz ? f->prescale_hz : core, 1, core);
}

static int init(struct periph *p, char *err, size_t errlen)
{
    struct fpgaio *f = p->state;
    return periph_param_u32(p, "prescale_hz", 0, &f->prescale_hz, err, errlen);
}

/* PSCNTR and COUNTER at `now`: PSCNTR counts down to zero, then reloads
 * PRESCALE one tick later, and COUNTER counts the reloads (PRESCALE 0:
 * PSCNTR stays at zero and COUNTER counts every tick). */
static void prescaled(const struct fpgaio *f, uint64_t now, uint32_t *pscntr, uint32_t *counter)
{
    uint64_t t = periph_counter_ticks(&f->ps, now) - f->ps.base;
    if (t < f->pscntr) {
        *pscntr = f->pscntr - (uint32_t)t;
        *counter = f->counter;
    } else if (f->prescale == 0) {
        *pscntr = 0;
        *counter = f->counter + (uint32_t)(t - f->pscntr);
    } else {
        uint64_t y = t - f->pscntr + f->prescale;
        *pscntr = f->prescale - (uint32_t)(y % ((uint64_t)f->prescale + 1));
        *counter = f->counter + (uint32_t)(y / ((uint64_t)f->prescale + 1));
    }
}

static void resync(struct fpgaio *f, uint64_t now)
{
    prescaled(f, now, &f->pscntr, &f->counter);
    periph_counter_start(&f->ps, now, periph_counter_ticks(&f->ps, now));
}

static void reset(struct periph *p)
{
    struct fpgaio *f = p->state;
    uint32_t hz = f->prescale_hz;
    *f = (struct fpgaio){.prescale_hz = hz};
    rates(p, 0);
    periph_counter_start(&f->hz1, 0, 0);
    periph_counter_start(&f->hz100, 0, 0);
    periph_counter_start(&f->ps, 0, 0);
}

static uint32_t read(struct periph *p, uint32_t off, uint64_t now)
{
    struct fpgaio *f = p->state;
    uint32_t pscntr, counter;
    switch (off) {
    case LED0: return f->led0;
    case BUTTON: return 0;
    case CLK1HZ: return (uint32_t)periph_counter_ticks(&f->hz1, now);
    case CLK100HZ: return (uint32_t)periph_counter_ticks(&f->hz100, now);
    case COUNTER: prescaled(f, now, &pscntr, &counter); return counter;
    case PRESCALE: return f->prescale;
    case PSCNTR: prescaled(f, now, &pscntr, &counter); return pscntr;
    case MISC: return f->misc;
    }
    return periph_unmodelled_read(p, off, now);
}

static void write(struct periph *p, uint32_t off, uint32_t v, uint32_t mask, uint64_t now)
{
    struct fpgaio *f = p->state;
    switch (off) {
    case LED0: f->led0 = periph_merge(f->led0, v, mask) & 3; return;
    case CLK1HZ: periph_counter_start(&f->hz1, now, periph_merge((uint32_t)periph_counter_ticks(&f->hz1, now), v, mask)); return;
    case CLK100HZ:
        periph_counter_start(&f->hz100, now, periph_merge((uint32_t)periph_counter_ticks(&f->hz100, now), v, mask));
        return;
    case COUNTER: resync(f, now); f->counter = periph_merge(f->counter, v, mask); return;
    case PRESCALE: resync(f, now); f->prescale = periph_merge(f->prescale, v, mask); return;
    case PSCNTR: resync(f, now); f->pscntr = periph_merge(f->pscntr, v, mask); return;
    case MISC: f->misc = periph_merge(f->misc, v, mask); return;
    }
    periph_unmodelled_write(p, off, v, mask, now);
}

static void clocks_changed(struct periph *p, uint64_t now)
{
    struct fpgaio *f = p->state;
    resync(f, now);
    rates(p, now);
}

const struct periph_model periph_mps2_fpgaio = {
    .name = "mps2-fpgaio",
    .summary = "MPS2 FPGA system control and I/O (AN386 3.8): LEDs, buttons, 1 Hz/100 Hz counters, prescaled counter",
    .size = 0x1000,
    .state_size = sizeof(struct fpgaio),
    .params = (const char *const[]){"prescale_hz", NULL},
    .init = init,
    .reset = reset,
    .read = read,
    .write = write,
    .clocks_changed = clocks_changed,
};
