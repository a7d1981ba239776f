/*
 * functions.h — the firmware's functions by address, with the source file
 * and line of each from DWARF line information (elfutils libdw) when the
 * image carries it.  The profiler attributes cycles to these.
 */
#ifndef MCUSIM_FUNCTIONS_H
#define MCUSIM_FUNCTIONS_H

#include <stdint.h>

#include "elf_image.h"

struct function_info {
    uint32_t lo, hi;        /* [lo, hi): hi = lo + size, or the next function */
    char *name;             /* malloc'd */
    char *file;             /* malloc'd, "" when unknown */
    int line;
};

struct function_table {
    struct function_info *fn;
    int n;
};

/* Builds the table from img's symbols; DWARF from the file at path. */
int function_table_build(struct function_table *t, const struct elf_image *img, const char *path);
void function_table_free(struct function_table *t);

/* Index of the function containing addr, or -1. */
int function_table_find(const struct function_table *t, uint32_t addr);

#endif
