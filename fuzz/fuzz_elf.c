/*
 * fuzz_elf.c — fuzz target for the firmware ELF reader (sim/elf_image.c).
 *
 * Feeds arbitrary bytes to elf_image_load_mem(), the same path a file
 * given to 'mcusim run' takes after it is read.  Beyond "no crash, no
 * sanitizer report", it checks the reader's promises: a rejected input
 * gets one line naming the file, an accepted one has in-range segments
 * and a symbol table the lookups can walk.  Built with libFuzzer
 * (-Dfuzz=enabled) or with fuzz_main.c, which replays the corpus.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_image.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct elf_image img;
    char err[512] = "";
    if (elf_image_load_mem("fuzz.elf", data, size, &img, err, sizeof err)) {
        fuzz_check_message("fuzz.elf", err);
        return 0;
    }
    FUZZ_CHECK(img.n_segs > 0);
    for (int i = 0; i < img.n_segs; i++) {
        const struct elf_segment *s = &img.segs[i];
        FUZZ_CHECK(s->filesz <= s->memsz);
        FUZZ_CHECK((uint64_t)s->paddr + s->memsz <= 0x100000000ull);
        FUZZ_CHECK(!s->filesz || s->data);
    }
    for (int i = 1; i < img.n_syms; i++)
        FUZZ_CHECK(img.syms[i - 1].addr <= img.syms[i].addr);
    /* The lookups the fault messages and the profiler make. */
    char where[192];
    elf_image_format_addr(&img, img.entry, where, sizeof where);
    for (int i = 0; i < img.n_syms; i++) {
        uint32_t off, addr;
        elf_image_symbol_at(&img, img.syms[i].addr + 1, &off);
        FUZZ_CHECK(elf_image_symbol_addr(&img, img.syms[i].name, &addr) == 0);
    }
    elf_image_free(&img);
    return 0;
}
