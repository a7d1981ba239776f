/*
 * elf_image.h — a firmware ELF file read into memory: loadable segments,
 * symbols and section sizes.
 *
 * Parsing is done with elfutils' libelf and knows nothing about boards; the
 * simulator places the segments into a board's memory map (sim_load_elf).
 * Every malformed input ends in an error message naming the file and the
 * problem, never in a crash: this is a fuzzing target.
 */
#ifndef MCUSIM_ELF_IMAGE_H
#define MCUSIM_ELF_IMAGE_H

#include <stddef.h>
#include <stdint.h>

struct elf_segment {
    uint32_t paddr;        /* load (physical) address: where the bytes go */
    uint32_t vaddr;        /* run-time address */
    uint32_t filesz;
    uint32_t memsz;        /* memsz > filesz: the rest is zero (.bss) */
    uint32_t flags;        /* PF_X | PF_W | PF_R */
    uint8_t *data;         /* filesz bytes */
};

struct elf_symbol {
    uint32_t addr;         /* Thumb bit cleared */
    uint32_t size;
    uint8_t is_func;
    uint8_t is_label;      /* untyped global from the linker script */
    char *name;
};

/* Section sizes by role, for the flash and RAM breakdown. */
struct elf_sizes {
    uint32_t code;         /* executable sections */
    uint32_t rodata;       /* read-only data */
    uint32_t data;         /* initialized data: occupies flash and RAM */
    uint32_t bss;          /* zero-initialized data: RAM only */
};

struct elf_image {
    char path[512];
    uint32_t entry;
    struct elf_segment *segs;
    int n_segs;
    struct elf_symbol *syms;   /* sorted by address */
    int n_syms;
    struct elf_sizes sizes;
};

/* Reads path.  Returns 0, or -1 with "PATH: problem" in err. */
int elf_image_load(const char *path, struct elf_image *img, char *err, size_t errlen);

/* Same, from bytes in memory (fuzzing, tests); name is used in messages. */
int elf_image_load_mem(const char *name, const void *bytes, size_t len,
                       struct elf_image *img, char *err, size_t errlen);

void elf_image_free(struct elf_image *img);

/* The symbol containing addr, or the nearest function symbol below it;
 * NULL when none.  *offset receives addr - symbol address. */
const struct elf_symbol *elf_image_symbol_at(const struct elf_image *img, uint32_t addr,
                                             uint32_t *offset);

/* The address of a symbol by name; returns 0 when found. */
int elf_image_symbol_addr(const struct elf_image *img, const char *name, uint32_t *addr);

/* Writes "name+0xOFF" (or "0xADDR" without a symbol) into buf. */
void elf_image_format_addr(const struct elf_image *img, uint32_t addr, char *buf, size_t len);

#endif /* MCUSIM_ELF_IMAGE_H */
