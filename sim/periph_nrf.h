/*
 * periph_nrf.h — the register shape nRF5 peripherals share (nRF52840
 * Product Specification v1.7, "Peripheral interface"): tasks at
 * 0x000-0x0FC (writing 1 triggers one), events at 0x100-0x17C (set by the
 * peripheral, cleared by firmware writing 0), SHORTS at 0x200, INTEN,
 * INTENSET and INTENCLR at 0x300-0x308, where bit i enables the interrupt
 * of the event at 0x100 + 4i.  The interrupt line is high while any
 * enabled event is set.
 */
#ifndef MCUSIM_PERIPH_NRF_H
#define MCUSIM_PERIPH_NRF_H

#include "periph.h"

enum { NRF_EVENTS = 0x100, NRF_EVENTS_END = 0x17C, NRF_SHORTS = 0x200, NRF_INTEN = 0x300, NRF_INTENSET = 0x304,
       NRF_INTENCLR = 0x308 };

struct nrf_events {
    uint32_t set;     /* bit i: the event at 0x100 + 4i */
    uint32_t inten;
};

#define NRF_EVENT_BIT(offset) (1u << (((offset) - NRF_EVENTS) / 4))

/* Reads of the events and interrupt-enable registers; false when `off`
 * is none of them. */
static inline bool nrf_events_read(const struct nrf_events *e, uint32_t off, uint32_t *out)
{
    if (off >= NRF_EVENTS && off <= NRF_EVENTS_END) {
        *out = (e->set & NRF_EVENT_BIT(off)) ? 1 : 0;
        return true;
    }
    if (off == NRF_INTEN || off == NRF_INTENSET || off == NRF_INTENCLR) {
        *out = e->inten;
        return true;
    }
    return false;
}

static inline bool nrf_events_write(struct nrf_events *e, uint32_t off, uint32_t v, uint32_t mask)
{
    if (off >= NRF_EVENTS && off <= NRF_EVENTS_END) {
        if (mask & 0xFF) {
            if (v & mask)
                e->set |= NRF_EVENT_BIT(off);
            else
                e->set &= ~NRF_EVENT_BIT(off);
        }
        return true;
    }
    switch (off) {
    case NRF_INTEN: e->inten = periph_merge(e->inten, v, mask); return true;
    case NRF_INTENSET: e->inten |= v & mask; return true;
    case NRF_INTENCLR: e->inten &= ~(v & mask); return true;
    }
    return false;
}

static inline bool nrf_irq_level(const struct nrf_events *e)
{
    return (e->set & e->inten) != 0;
}

/* A task register written with 1 (bit 0 of its first byte). */
static inline bool nrf_task(uint32_t v, uint32_t mask)
{
    return (mask & 1) && (v & 1);
}

#endif
