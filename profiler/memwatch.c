/*
 * memwatch.c — see memwatch.h.
 */
#include "memwatch.h"

#include <string.h>

/* The paint expected at addr (word aligned), and the table from there on. */
static inline const uint32_t *paint_at(const struct memwatch *m, uint32_t addr)
{
    return &m->paint[(addr % MEMWATCH_PERIOD) / 4];
}

static void paint(const struct memwatch *m, struct sim *s, uint32_t lo, uint32_t hi)
{
    lo = (lo + 3) & ~3u;
    hi &= ~3u;
    if (hi <= lo)
        return;
    uint8_t *p = sim_ram_writable(s, lo, hi - lo);
    if (!p)
        return;
    for (uint32_t a = lo; a < hi;) {
        uint32_t n = hi - a < MEMWATCH_PERIOD ? hi - a : MEMWATCH_PERIOD;
        memcpy(p + (a - lo), paint_at(m, a), n);
        a += n;
    }
}

static bool word_untouched(const struct memwatch *m, const uint8_t *p, uint32_t addr)
{
    return memcmp(p, paint_at(m, addr), 4) == 0;
}

/* Whether n bytes (a multiple of 4, at most one period) still hold the paint. */
static bool span_untouched(const struct memwatch *m, const uint8_t *p, uint32_t addr, uint32_t n)
{
    return memcmp(p, paint_at(m, addr), n) == 0;
}

enum { CHUNK_BYTES = 64 };

int memwatch_init(struct memwatch *m, struct sim *s)
{
    memset(m, 0, sizeof *m);
    /* Any well-mixed words do; the table's two halves are the same period. */
    for (uint32_t i = 0; i < MEMWATCH_PERIOD / 4; i++) {
        uint32_t x = (i + 1) * 0x9E3779B1u;
        x ^= x >> 15;
        x *= 0x85EBCA6Bu;
        x ^= x >> 13;
        m->paint[i] = m->paint[i + MEMWATCH_PERIOD / 4] = x ^ 0xA5C3F00Du;
    }
    const struct elf_image *img = sim_image(s);
    const struct board *b = sim_board(s);
    const struct board_region *ram = board_main_region(b, REGION_RAM);
    uint32_t lo, hi;
    if (!elf_image_symbol_addr(img, "__stack_limit", &lo) && !elf_image_symbol_addr(img, "__stack_top", &hi)) {
        m->stack_lo = lo;
        m->stack_hi = hi;
    } else {
        m->stack_hi = ram->base + ram->size;
        m->stack_lo = m->stack_hi - b->stack_bytes;
    }
    if (!elf_image_symbol_addr(img, "__arena_start", &lo) && !elf_image_symbol_addr(img, "__arena_end", &hi) &&
        hi > lo) {
        m->arena_lo = lo;
        m->arena_hi = hi;
    }
    if (!sim_ram_writable(s, m->stack_lo, m->stack_hi - m->stack_lo))
        return -1;
    paint(m, s, m->stack_lo, m->stack_hi);
    if (m->arena_hi > m->arena_lo)
        paint(m, s, m->arena_lo, m->arena_hi);
    return 0;
}

uint32_t memwatch_stack_low(const struct memwatch *m, struct sim *s)
{
    uint32_t lo = (m->stack_lo + 3) & ~3u;
    uint32_t hi = m->stack_hi & ~3u;
    const uint8_t *p = sim_mem(s, lo, m->stack_hi - lo);
    if (!p || hi <= lo)
        return m->stack_hi;
    for (uint32_t a = lo; a < hi; a += 4) {
        /* Skip whole chunks of paint first: the stack's untouched bottom is
         * usually most of it. */
        while (!((a - lo) % CHUNK_BYTES) && hi - a >= CHUNK_BYTES && span_untouched(m, p + (a - lo), a, CHUNK_BYTES))
            a += CHUNK_BYTES;
        if (a >= hi)
            break;
        if (!word_untouched(m, p + (a - lo), a)) {
            const uint8_t *pw = (const uint8_t *)paint_at(m, a);
            for (uint32_t k = 0; k < 4; k++)
                if (p[a - lo + k] != pw[k])
                    return a + k;
            return a;
        }
    }
    return m->stack_hi;
}

void memwatch_repaint_stack(const struct memwatch *m, struct sim *s, uint32_t below)
{
    if (below > m->stack_hi)
        below = m->stack_hi;
    if (below > m->stack_lo)
        paint(m, s, m->stack_lo, below);
}

/* The longest run of untouched words, tracked across calls of note(). */
struct run_finder {
    uint32_t best_lo, best_len;
    uint32_t run_lo, run_len;
};

static inline void note_untouched(struct run_finder *r, uint32_t addr, uint32_t n)
{
    if (!r->run_len)
        r->run_lo = addr;
    r->run_len += n;
    if (r->run_len > r->best_len) {
        r->best_len = r->run_len;
        r->best_lo = r->run_lo;
    }
}

uint32_t memwatch_arena_used(const struct memwatch *m, struct sim *s)
{
    if (m->arena_hi <= m->arena_lo)
        return 0;
    uint32_t lo = (m->arena_lo + 3) & ~3u;
    uint32_t hi = m->arena_hi & ~3u;
    const uint8_t *p = sim_mem(s, lo, hi - lo);
    if (!p || hi <= lo)
        return 0;
    /* This runs at every layer end over the whole arena (megabytes on some
     * boards), so it narrows down: a block of one paint period compared at
     * once, then 64-byte chunks, then words, only where something changed. */
    struct run_finder r = {hi, 0, 0, 0};
    for (uint32_t block = lo; block < hi; block += MEMWATCH_PERIOD) {
        uint32_t block_end = hi - block < MEMWATCH_PERIOD ? hi : block + MEMWATCH_PERIOD;
        if (span_untouched(m, p + (block - lo), block, block_end - block)) {
            note_untouched(&r, block, block_end - block);
            continue;
        }
        for (uint32_t chunk = block; chunk < block_end; chunk += CHUNK_BYTES) {
            uint32_t chunk_end = block_end - chunk < CHUNK_BYTES ? block_end : chunk + CHUNK_BYTES;
            if (span_untouched(m, p + (chunk - lo), chunk, chunk_end - chunk)) {
                note_untouched(&r, chunk, chunk_end - chunk);
                continue;
            }
            for (uint32_t a = chunk; a < chunk_end; a += 4) {
                if (word_untouched(m, p + (a - lo), a))
                    note_untouched(&r, a, 4);
                else
                    r.run_len = 0;
            }
        }
    }
    if (!r.best_len)
        return m->arena_hi - m->arena_lo;
    /* Byte resolution at the gap's edges: bytes of the neighbouring words
     * that still hold the paint belong to the gap. */
    uint32_t gap_lo = r.best_lo, gap_hi = r.best_lo + r.best_len;
    if (gap_lo > lo) {
        const uint8_t *pw = (const uint8_t *)paint_at(m, gap_lo - 4);
        for (int k = 3; k >= 0 && p[gap_lo - 4 - lo + (uint32_t)k] == pw[k]; k--)
            gap_lo--;
    }
    if (gap_hi < hi) {
        const uint8_t *pw = (const uint8_t *)paint_at(m, gap_hi);
        for (uint32_t k = 0; k < 4 && p[gap_hi - lo + k] == pw[k]; k++)
            gap_hi++;
    }
    return (m->arena_hi - m->arena_lo) - (gap_hi - gap_lo);
}
