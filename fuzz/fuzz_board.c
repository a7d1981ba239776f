/*
 * fuzz_board.c — fuzz target for the board file parser (sim/board.c,
 * inih underneath).
 *
 * board_load() reads a path, so each input is written to an in-memory
 * file (memfd) and loaded through /proc/self/fd/N: the real code path,
 * fopen and inih's line reader included, without touching the disk.
 * Checks: a rejected file gets one line "FILE:LINE: problem" or
 * "FILE: problem"; an accepted one has the invariants the simulator relies
 * on (a flash and a RAM region, no overlaps, 1 KB granularity, a stack
 * smaller than the RAM, cache geometry the timing model can simulate,
 * peripheral instances on word boundaries that overlap nothing, with
 * interrupt lines the NVIC has and at most one console).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "board.h"
#include "fuzz_check.h"

static int memfd = -1;
static char path[64];

/* Peripheral instances: what periph.c relies on when it maps them. */
static void check_peripherals(const struct board *b)
{
    FUZZ_CHECK(b->n_periphs >= 0 && b->n_periphs <= BOARD_MAX_PERIPHS);
    FUZZ_CHECK(b->n_params >= 0 && b->n_params <= BOARD_MAX_PARAMS);
    int consoles = 0;
    for (int i = 0; i < b->n_periphs; i++) {
        const struct board_periph *p = &b->periphs[i];
        FUZZ_CHECK(p->name[0] && memchr(p->name, 0, sizeof p->name));
        FUZZ_CHECK(p->model[0] && memchr(p->model, 0, sizeof p->model));
        FUZZ_CHECK(p->size && !(p->base & 3) && !(p->size & 3));
        FUZZ_CHECK((uint64_t)p->base + p->size <= 0x100000000ull);
        FUZZ_CHECK(p->n_irqs >= 0 && p->n_irqs <= BOARD_PERIPH_MAX_IRQS);
        for (int k = 0; k < p->n_irqs; k++)
            FUZZ_CHECK(p->irq[k] >= -1 && p->irq[k] < 128);
        for (int j = 0; j < i; j++)
            FUZZ_CHECK(p->base >= b->periphs[j].base + (uint64_t)b->periphs[j].size ||
                       b->periphs[j].base >= p->base + (uint64_t)p->size);
        consoles += p->console;
    }
    FUZZ_CHECK(consoles <= 1);
    for (int i = 0; i < b->n_params; i++)
        FUZZ_CHECK(b->params[i].periph < b->n_periphs);
}

static void check_board(const struct board *b)
{
    const struct board_region *flash = board_main_region(b, REGION_FLASH);
    const struct board_region *ram = board_main_region(b, REGION_RAM);
    FUZZ_CHECK(flash && ram);
    FUZZ_CHECK(b->clock_hz > 0);
    FUZZ_CHECK(b->n_regions >= 2 && b->n_regions <= BOARD_MAX_REGIONS);
    FUZZ_CHECK(b->stack_bytes < ram->size);
    FUZZ_CHECK(b->name[0] && memchr(b->name, 0, sizeof b->name));
    for (int i = 0; i < b->n_regions; i++) {
        const struct board_region *r = &b->regions[i];
        FUZZ_CHECK(r->size && !(r->base & 0x3FF) && !(r->size & 0x3FF));
        FUZZ_CHECK((uint64_t)r->base + r->size <= 0x100000000ull);
        FUZZ_CHECK(board_region_of(b, r->base) == r);
        FUZZ_CHECK(board_region_of(b, r->base + r->size - 1) == r);
    }
    const struct board_timing *t = &b->timing;
    FUZZ_CHECK(t->flash_line_bytes && !(t->flash_line_bytes & (t->flash_line_bytes - 1)));
    if (t->icache)
        FUZZ_CHECK(t->icache_line_bytes && t->icache_bytes % t->icache_line_bytes == 0);
    if (t->dcache)
        FUZZ_CHECK(t->dcache_line_bytes && t->dcache_bytes % t->dcache_line_bytes == 0);
    check_peripherals(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (memfd < 0) {
        memfd = memfd_create("fuzz-board", 0);
        FUZZ_CHECK(memfd >= 0);
        snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);
    }
    FUZZ_CHECK(ftruncate(memfd, 0) == 0);
    FUZZ_CHECK(pwrite(memfd, data, size, 0) == (ssize_t)size);

    struct board b;
    char err[BOARD_ERR_LEN] = "";
    if (board_load(path, &b, err, sizeof err)) {
        fuzz_check_message(path, err);
        return 0;
    }
    check_board(&b);
    return 0;
}
