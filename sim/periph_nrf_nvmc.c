/*
 * periph_nrf_nvmc.c — the nRF52840's non-volatile memory controller at
 * 0x4001E000 (Product Specification v1.7, "NVMC"), as far as running code
 * sees it: READY and READYNEXT read 1 (no flash operation is ever under
 * way: mcusim's flash is written only by loading the image), CONFIG keeps
 * its write/erase enable, and ICACHECNF turns the instruction cache on
 * the ICODE bus on and off.  The cache's geometry and miss cost are the
 * board file's [timing] icache; the board file describes the part with
 * the cache as start-up code leaves it, so the simulation keeps the board
 * file's setting until firmware writes ICACHECNF, and follows CACHEEN from
 * then on (off: every fetch from flash pays its wait states).  IHIT and
 * IMISS (the profiling counters) read 0.
 */
#include "periph.h"

enum { READY = 0x400, READYNEXT = 0x408, CONFIG = 0x504, ERASEPAGE = 0x508, ERASEALL = 0x50C,
       ERASEUICR = 0x514, ERASEPAGEPARTIAL = 0x518, ERASEPAGEPARTIALCFG = 0x51C, ICACHECNF = 0x540,
       IHIT = 0x548, IMISS = 0x54C };

struct nvmc {
    uint32_t config, icachecnf, partial_cfg;
};

static void reset(struct periph *p)
{
    struct nvmc *n = p->state;
    *n = (struct nvmc){.partial_cfg = 0x0A};
}

static uint32_t read(struct periph *p, uint32_t off, uint64_t now)
{
    struct nvmc *n = p->state;
    switch (off) {
    case READY:
    case READYNEXT: return 1;
    case CONFIG: return n->config;
    case ERASEPAGEPARTIALCFG: return n->partial_cfg;
    case ICACHECNF: return n->icachecnf;
    case IHIT:
    case IMISS: return 0;
    }
    return periph_unmodelled_read(p, off, now);
}

static void write(struct periph *p, uint32_t off, uint32_t v, uint32_t mask, uint64_t now)
{
    struct nvmc *n = p->state;
    switch (off) {
    case CONFIG: n->config = periph_merge(n->config, v, mask) & 3; return;
    case ERASEPAGEPARTIALCFG: n->partial_cfg = periph_merge(n->partial_cfg, v, mask) & 0x7F; return;
    case ICACHECNF: {
        n->icachecnf = periph_merge(n->icachecnf, v, mask) & 0x101;
        struct board_timing t = *periph_memory_timing(p);
        bool on = n->icachecnf & 1;
        if (!p->board->timing.icache_bytes) {
            periph_unmodelled_write(p, off, v, mask, now); /* the board describes no cache to turn on */
            return;
        }
        t.icache = on;
        periph_set_memory_timing(p, &t, on ? "NVMC ICACHECNF: instruction cache on"
                                           : "NVMC ICACHECNF: instruction cache off");
        return;
    }
    case IHIT:
    case IMISS: return;
    }
    /* Erasing or writing flash would change the image under the run: not
     * modelled, and said so in log and fault modes. */
    periph_unmodelled_write(p, off, v, mask, now);
}

const struct periph_model periph_nrf_nvmc = {
    .name = "nrf52-nvmc",
    .summary = "nRF52840 NVMC: always ready; ICACHECNF switches the board's instruction cache (the cycle model follows)",
    .size = 0x1000,
    .state_size = sizeof(struct nvmc),
    .reset = reset,
    .read = read,
    .write = write,
};
