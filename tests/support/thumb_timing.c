/*
 * thumb_timing.c — see thumb_timing.h.
 */
#include "thumb_timing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decoder.h"
#include "sim.h"

struct thumb_timer {
    struct board board;
    struct decoder *decoder;
    struct timing *timing;
};

struct thumb_timer *thumb_timer_open(const char *core, const struct board_timing *bt)
{
    const struct core_desc *desc = core_find(core);
    struct thumb_timer *t = desc ? calloc(1, sizeof *t) : NULL;
    if (!t)
        return NULL;
    struct board *b = &t->board;
    snprintf(b->name, sizeof b->name, "thumb-timing");
    b->core = desc;
    b->clock_hz = 1000000;
    b->regions[0] = (struct board_region){.name = "flash", .kind = REGION_FLASH, .base = 0, .size = 1u << 20};
    b->regions[1] = (struct board_region){.name = "ram", .kind = REGION_RAM, .base = THUMB_RAM, .size = 1u << 18};
    b->n_regions = 2;
    b->timing.flash_line_bytes = 16;
    if (bt)
        b->timing = *bt;
    t->decoder = decoder_open(desc);
    t->timing = timing_create(b);
    if (!t->decoder || !t->timing) {
        thumb_timer_close(t);
        return NULL;
    }
    return t;
}

void thumb_timer_close(struct thumb_timer *t)
{
    if (!t)
        return;
    decoder_close(t->decoder);
    timing_destroy(t->timing);
    free(t);
}

int thumb_time(struct thumb_timer *t, uint32_t addr, const uint16_t *hw, size_t n, struct timed_block *out)
{
    uint8_t code[2 * 2 * THUMB_MAX_INSNS];
    struct insn_facts facts[THUMB_MAX_INSNS];
    if (n > sizeof code / 2)
        return -1;
    for (size_t i = 0; i < n; i++) {
        code[2 * i] = (uint8_t)hw[i];
        code[2 * i + 1] = (uint8_t)(hw[i] >> 8);
    }
    uint32_t size = (uint32_t)(2 * n);
    size_t n_insns = decoder_block(t->decoder, code, size, addr, facts, THUMB_MAX_INSNS);
    size_t decoded = 0;
    for (size_t i = 0; i < n_insns; i++)
        decoded += facts[i].size;
    if (!n_insns || decoded != size)
        return -1;

    struct sim_block b = {.addr = addr, .size = size};
    memset(out, 0, sizeof *out);
    int n_dyn = timing_block(t->timing, facts, n_insns, &b, out->dyn, THUMB_MAX_DYN);
    if (n_dyn >= 0) {
        out->n_insns = (int)n_insns;
        for (size_t i = 0; i < n_insns; i++)
            out->ids[i] = facts[i].id;
        memcpy(out->prefix, b.prefix_cycles, (n_insns + 1) * sizeof *out->prefix);
        out->cycles = b.cycles;
        out->taken = b.taken_cycles;
        out->refill = b.refill;
        out->end = b.end;
        out->n_dyn = n_dyn;
    }
    timing_block_free(&b);
    free(b.insn_addr);
    free(b.insn_class);
    free(b.prefix_cycles);
    return n_dyn >= 0 ? 0 : -1;
}

uint32_t thumb_dyn_cost(const struct thumb_timer *t, const struct timing_dyn *site, uint32_t rn, uint32_t rm)
{
    return timing_dyn_cost(t->timing, site, rn, rm);
}

uint32_t thumb_exception_entry(const struct thumb_timer *t, bool fp_context)
{
    return timing_exception_entry(t->timing, fp_context);
}

uint32_t thumb_exception_return(const struct thumb_timer *t, bool fp_context)
{
    return timing_exception_return(t->timing, fp_context);
}
