/*
 * functions.c — see functions.h.
 */
#include "functions.h"

#include <elfutils/libdw.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int by_lo(const void *a, const void *b)
{
    const struct function_info *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static void add_lines(struct function_table *t, const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return;
    Dwarf *dw = dwarf_begin(fd, DWARF_C_READ);
    if (dw) {
        for (int i = 0; i < t->n; i++) {
            Dwarf_Die cu;
            if (!dwarf_addrdie(dw, t->fn[i].lo, &cu))
                continue;
            Dwarf_Line *line = dwarf_getsrc_die(&cu, t->fn[i].lo);
            if (!line)
                continue;
            const char *src = dwarf_linesrc(line, NULL, NULL);
            int lineno = 0;
            dwarf_lineno(line, &lineno);
            if (src) {
                free(t->fn[i].file);
                t->fn[i].file = strdup(src);
                t->fn[i].line = lineno;
            }
        }
        dwarf_end(dw);
    }
    close(fd);
}

int function_table_build(struct function_table *t, const struct elf_image *img, const char *path)
{
    memset(t, 0, sizeof *t);
    t->fn = calloc(img->n_syms ? (size_t)img->n_syms : 1, sizeof *t->fn);
    if (!t->fn)
        return -1;
    for (int i = 0; i < img->n_syms; i++) {
        const struct elf_symbol *s = &img->syms[i];
        if (!s->is_func)
            continue;
        if (t->n && t->fn[t->n - 1].lo == s->addr)
            continue; /* aliases: keep the first name */
        struct function_info *f = &t->fn[t->n++];
        f->lo = s->addr;
        f->hi = s->size ? s->addr + s->size : 0;
        f->name = strdup(s->name);
        f->file = strdup("");
        if (!f->name || !f->file)
            return -1;
    }
    qsort(t->fn, (size_t)t->n, sizeof *t->fn, by_lo);
    for (int i = 0; i < t->n; i++)
        if (!t->fn[i].hi)
            t->fn[i].hi = i + 1 < t->n ? t->fn[i + 1].lo : t->fn[i].lo + 4;
    if (path)
        add_lines(t, path);
    return 0;
}

void function_table_free(struct function_table *t)
{
    for (int i = 0; i < t->n; i++) {
        free(t->fn[i].name);
        free(t->fn[i].file);
    }
    free(t->fn);
    t->fn = NULL;
    t->n = 0;
}

int function_table_find(const struct function_table *t, uint32_t addr)
{
    int lo = 0, hi = t->n - 1, best = -1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (t->fn[mid].lo <= addr) {
            best = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    if (best >= 0 && addr < t->fn[best].hi)
        return best;
    return -1;
}
