/*
 * periph_regs.c — plain registers as data: a peripheral that is only
 * registers holding values (identification blocks, configuration words,
 * controllers firmware writes and never waits on) needs no code, only
 * lines in its board section:
 *
 *   [peripheral.ficr]
 *   model = regs
 *   base = 0x10000000
 *   size = 0x1000
 *   reg = 0x100 0x00052840 0      ; offset, reset value, writable bits (default all)
 *
 * A register reads its reset value until firmware writes its writable
 * bits; the others keep theirs.  Offsets no `reg` line names are
 * unmodelled (the board's unmodelled mode), unless `fill` gives the value
 * every other word reads (e.g. 0xFFFFFFFF for erased flash configuration).
 */
#include "periph.h"

#include <stdlib.h>
#include <string.h>

#define MAX_REGS 64

struct reg {
    uint32_t offset, reset, writable, value;
};

struct regs {
    struct reg r[MAX_REGS];
    int n;
    bool has_fill;
    uint32_t fill;
};

static int parse_word(const char **s, uint32_t *out)
{
    char *end;
    while (**s == ' ' || **s == '\t')
        (*s)++;
    if (!**s || **s == '-')
        return -1;
    unsigned long long v = strtoull(*s, &end, 0);
    if (end == *s || v > 0xFFFFFFFFull || (*end && *end != ' ' && *end != '\t'))
        return -1;
    *s = end;
    *out = (uint32_t)v;
    return 0;
}

static int init(struct periph *p, char *err, size_t errlen)
{
    struct regs *g = p->state;
    const struct board *b = p->board;
    int index = (int)(p->spec - b->periphs);
    g->n = 0;
    if (periph_param(p, "fill")) {
        g->has_fill = true;
        if (periph_param_u32(p, "fill", 0, &g->fill, err, errlen))
            return -1;
    }
    for (int i = 0; i < b->n_params; i++) {
        const struct board_param *bp = &b->params[i];
        if (bp->periph != index || strcmp(bp->key, "reg"))
            continue;
        p->err_line = bp->line;
        if (g->n == MAX_REGS) {
            snprintf(err, errlen, "at most %d registers", MAX_REGS);
            return -1;
        }
        struct reg *r = &g->r[g->n];
        const char *s = bp->value;
        r->writable = 0xFFFFFFFFu;
        if (parse_word(&s, &r->offset) || parse_word(&s, &r->reset) ||
            (*s && parse_word(&s, &r->writable)) || *s) {
            snprintf(err, errlen, "'reg' is OFFSET RESET [WRITABLE_MASK], not '%s'", bp->value);
            return -1;
        }
        if ((r->offset & 3) || r->offset >= p->size) {
            snprintf(err, errlen, "register offset 0x%x is not a word inside the peripheral's 0x%x bytes", r->offset,
                     p->size);
            return -1;
        }
        for (int j = 0; j < g->n; j++)
            if (g->r[j].offset == r->offset) {
                snprintf(err, errlen, "register offset 0x%x given twice", r->offset);
                return -1;
            }
        g->n++;
    }
    p->err_line = 0;
    return 0;
}

static struct reg *find(struct regs *g, uint32_t off)
{
    for (int i = 0; i < g->n; i++)
        if (g->r[i].offset == off)
            return &g->r[i];
    return NULL;
}

static void reset(struct periph *p)
{
    struct regs *g = p->state;
    for (int i = 0; i < g->n; i++)
        g->r[i].value = g->r[i].reset;
}

static uint32_t peek(struct periph *p, uint32_t off)
{
    struct regs *g = p->state;
    struct reg *r = find(g, off);
    return r ? r->value : g->has_fill ? g->fill : 0;
}

static uint32_t read(struct periph *p, uint32_t off, uint64_t now)
{
    struct regs *g = p->state;
    struct reg *r = find(g, off);
    if (r)
        return r->value;
    return g->has_fill ? g->fill : periph_unmodelled_read(p, off, now);
}

static void write(struct periph *p, uint32_t off, uint32_t v, uint32_t mask, uint64_t now)
{
    struct regs *g = p->state;
    struct reg *r = find(g, off);
    if (r)
        r->value = periph_merge(r->value, v, mask & r->writable);
    else if (!g->has_fill)
        periph_unmodelled_write(p, off, v, mask, now);
}

const struct periph_model periph_regs = {
    .name = "regs",
    .summary = "plain registers from the board file: reg = OFFSET RESET [WRITABLE_MASK], fill = value of the rest",
    .size = 0x1000,
    .state_size = sizeof(struct regs),
    .params = (const char *const[]){"reg", "fill", NULL},
    .init = init,
    .reset = reset,
    .peek = peek,
    .read = read,
    .write = write,
};
