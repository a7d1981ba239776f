/*
 * memwatch.c — see memwatch.h.
 */
#include "memwatch.h"

#include <string.h>

static inline uint32_t paint_word(uint32_t addr)
{
    uint32_t x = addr * 0x9E3779B1u;
    x ^= x >> 15;
    return x ^ 0xA5C3F00Du;
}

static void paint(struct sim *s, uint32_t lo, uint32_t hi)
{
    lo = (lo + 3) & ~3u;
    hi &= ~3u;
    if (hi <= lo)
        return;
    uint8_t *p = sim_ram_writable(s, lo, hi - lo);
    if (!p)
        return;
    for (uint32_t a = lo; a < hi; a += 4) {
        uint32_t w = paint_word(a);
        memcpy(p + (a - lo), &w, 4);
    }
}

static bool word_untouched(const uint8_t *p, uint32_t addr)
{
    uint32_t w = paint_word(addr);
    return memcmp(p, &w, 4) == 0;
}

enum { CHUNK_BYTES = 64 };

static bool chunk_untouched(const uint8_t *p, uint32_t addr)
{
    uint32_t diff = 0;
    for (uint32_t k = 0; k < CHUNK_BYTES; k += 4) {
        uint32_t w;
        memcpy(&w, p + k, 4);
        diff |= w ^ paint_word(addr + k);
    }
    return diff == 0;
}

int memwatch_init(struct memwatch *m, struct sim *s)
{
    memset(m, 0, sizeof *m);
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
    paint(s, m->stack_lo, m->stack_hi);
    if (m->arena_hi > m->arena_lo)
        paint(s, m->arena_lo, m->arena_hi);
    return 0;
}

uint32_t memwatch_stack_low(const struct memwatch *m, struct sim *s)
{
    uint32_t lo = (m->stack_lo + 3) & ~3u;
    const uint8_t *p = sim_mem(s, lo, m->stack_hi - lo);
    if (!p)
        return m->stack_hi;
    for (uint32_t a = lo; a + 4 <= m->stack_hi; a += 4) {
        if (!word_untouched(p + (a - lo), a)) {
            uint32_t w = paint_word(a);
            const uint8_t *pw = (const uint8_t *)&w;
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
        paint(s, m->stack_lo, below);
}

uint32_t memwatch_arena_used(const struct memwatch *m, struct sim *s)
{
    if (m->arena_hi <= m->arena_lo)
        return 0;
    uint32_t lo = (m->arena_lo + 3) & ~3u;
    uint32_t hi = m->arena_hi & ~3u;
    const uint8_t *p = sim_mem(s, lo, hi - lo);
    if (!p)
        return 0;
    /* The largest run of untouched words.  This runs at every layer end
     * over the whole arena (megabytes on some boards), so whole chunks are
     * first checked branch-free: most of them are all paint or all data. */
    uint32_t best_lo = hi, best_len = 0, run_lo = 0, run_len = 0;
    for (uint32_t a = lo; a < hi; a += 4) {
        if (!((a - lo) % CHUNK_BYTES) && hi - a >= CHUNK_BYTES && chunk_untouched(p + (a - lo), a)) {
            if (!run_len)
                run_lo = a;
            run_len += CHUNK_BYTES;
            if (run_len > best_len) {
                best_len = run_len;
                best_lo = run_lo;
            }
            a += CHUNK_BYTES - 4;
            continue;
        }
        if (word_untouched(p + (a - lo), a)) {
            if (!run_len)
                run_lo = a;
            run_len += 4;
            if (run_len > best_len) {
                best_len = run_len;
                best_lo = run_lo;
            }
        } else {
            run_len = 0;
        }
    }
    if (!best_len)
        return m->arena_hi - m->arena_lo;
    /* Byte resolution at the gap's edges: bytes of the neighbouring words
     * that still hold the paint belong to the gap. */
    uint32_t gap_lo = best_lo, gap_hi = best_lo + best_len;
    if (gap_lo > lo) {
        uint32_t w = paint_word(gap_lo - 4);
        const uint8_t *pw = (const uint8_t *)&w;
        for (int k = 3; k >= 0 && p[gap_lo - 4 - lo + (uint32_t)k] == pw[k]; k--)
            gap_lo--;
    }
    if (gap_hi < hi) {
        uint32_t w = paint_word(gap_hi);
        const uint8_t *pw = (const uint8_t *)&w;
        for (uint32_t k = 0; k < 4 && p[gap_hi - lo + k] == pw[k]; k++)
            gap_hi++;
    }
    return (m->arena_hi - m->arena_lo) - (gap_hi - gap_lo);
}
