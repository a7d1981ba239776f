/*
 * periph.c — the peripheral bus of one simulation (see periph.h).
 *
 * Instances come from the board file.  Each peripheral-space region
 * ([memory.X] kind = stub) is one Unicorn MMIO mapping whose accesses are
 * dispatched here to the instance that claims the address, or handled by
 * the board's unmodelled mode; an instance outside such a region gets a
 * mapping of its own.  The time an access happens is the cycle count at
 * the accessing instruction (locate.c finds it inside its basic block),
 * so a polled status flag changes at the exact cycle the model says.
 *
 * Timed events: every instance caches its next_event(); the smallest is
 * folded into the run loop's next event (scs_schedule), and
 * periph_bus_tick() runs the instances that are due.  Interrupt outputs
 * drive NVIC lines with level semantics: several outputs may share a line
 * (it is high while any of them is), a rising edge pends it, and a line
 * still high when its handler returns is pended again.
 *
 * The bus also keeps what clock controllers publish: named clocks for the
 * instances that use them, the core clock (in struct sim, which turns
 * cycles into time) and the memory timing firmware set (applied by sim.c
 * between two blocks).
 */
#include "periph.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

#define MAX_CLOCKS 24
#define MAX_WINDOWS (BOARD_MAX_REGIONS + BOARD_MAX_PERIPHS)

#define PERIPH(sym) extern const struct periph_model sym;
#include "periph_models.def"
#undef PERIPH

static const struct periph_model *const model_table[] = {
#define PERIPH(sym) &sym,
#include "periph_models.def"
#undef PERIPH
};
#define N_MODELS (int)(sizeof model_table / sizeof model_table[0])

/* One Unicorn MMIO mapping. */
struct periph_window {
    struct periph_bus *bus;
    uint32_t base, size;
};

struct named_clock {
    char name[24];
    uint32_t hz;
};

struct periph_bus {
    struct sim *sim;
    struct periph items[BOARD_MAX_PERIPHS];
    int n;
    struct periph *last;               /* the instance the last access hit */
    struct periph_window windows[MAX_WINDOWS];
    int n_windows;
    uint64_t next_event;               /* the smallest of the items' */
    uint16_t line_high[BOARD_MAX_IRQS]; /* outputs holding each NVIC line high */
    struct named_clock clocks[MAX_CLOCKS];
    int n_clocks;
    enum unmodelled_mode mode;
    uint32_t *seen;                    /* log mode: registers reported, open addressing */
    uint32_t seen_mask, seen_count;
    bool rx_ended;
    struct board_timing timing_now;    /* in force */
    struct board_timing timing_next;   /* set by firmware, applied between blocks */
    bool timing_pending;
    bool timing_changed;               /* timing_next differs from timing_now */
    char timing_why[160];
};

/* ---- the model table ---- */

const struct periph_model *periph_model_find(const char *name)
{
    for (int i = 0; i < N_MODELS; i++)
        if (!strcmp(model_table[i]->name, name))
            return model_table[i];
    return NULL;
}

const char *periph_model_names(char *buf, size_t len)
{
    buf[0] = '\0';
    for (int i = 0; i < N_MODELS; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, "%s%s", i ? ", " : "", model_table[i]->name);
    }
    return buf;
}

int periph_models(const struct periph_model *const **out)
{
    *out = model_table;
    return N_MODELS;
}

/* ---- parameters ---- */

static const struct board_param *find_param(const struct periph *p, const char *key)
{
    const struct board *b = p->board;
    int index = (int)(p->spec - b->periphs);
    for (int i = 0; i < b->n_params; i++)
        if (b->params[i].periph == index && !strcmp(b->params[i].key, key))
            return &b->params[i];
    return NULL;
}

const char *periph_param(const struct periph *p, const char *key)
{
    const struct board_param *bp = find_param(p, key);
    return bp ? bp->value : NULL;
}

int periph_param_line(const struct periph *p, const char *key)
{
    const struct board_param *bp = find_param(p, key);
    return bp ? bp->line : p->spec->line;
}

int periph_param_u32(const struct periph *p, const char *key, uint32_t fallback, uint32_t *out, char *err,
                     size_t errlen)
{
    const char *v = periph_param(p, key);
    *out = fallback;
    if (!v)
        return 0;
    char *end;
    unsigned long long n = strtoull(v, &end, 0);
    if (end == v || *end || *v == '-' || n > 0xFFFFFFFFull) {
        snprintf(err, errlen, "'%s' is not a valid number: '%s'", key, v);
        ((struct periph *)p)->err_line = periph_param_line(p, key);
        return -1;
    }
    *out = (uint32_t)n;
    return 0;
}

static bool model_takes(const struct periph_model *m, const char *key)
{
    for (const char *const *k = m->params; k && *k; k++)
        if (!strcmp(*k, key))
            return true;
    return false;
}

int periph_check(const struct board *b, int index, char *err, size_t errlen)
{
    const struct board_periph *spec = &b->periphs[index];
    const struct periph_model *m = periph_model_find(spec->model);
    for (int i = 0; i < b->n_params; i++) {
        const struct board_param *bp = &b->params[i];
        if (bp->periph != index || model_takes(m, bp->key))
            continue;
        char known[256] = "";
        for (const char *const *k = m->params; k && *k; k++) {
            size_t len = strlen(known);
            snprintf(known + len, sizeof known - len, "%s%s", k == m->params ? "" : ", ", *k);
        }
        snprintf(err, errlen, "%s:%d: unknown key '%s' in [peripheral.%s] (model '%s' takes model, base, size, "
                 "irq, clock, console, aliases%s%s)", b->path, bp->line, bp->key, spec->name, m->name, known[0] ? ", " : "",
                 known);
        return -1;
    }
    if (!m->init)
        return 0;
    struct periph p = {.model = m, .spec = spec, .board = b, .base = spec->base, .size = spec->size};
    p.state = calloc(1, m->state_size ? m->state_size : 1);
    if (!p.state) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    char msg[384] = "";
    int rc = m->init(&p, msg, sizeof msg);
    free(p.state);
    if (rc)
        snprintf(err, errlen, "%s:%d: [peripheral.%s]: %s", b->path, p.err_line ? p.err_line : spec->line,
                 spec->name, msg);
    return rc ? -1 : 0;
}

/* ---- dispatch ---- */

static struct periph *find(struct periph_bus *bus, uint32_t addr)
{
    struct periph *p = bus->last;
    if (p && addr - p->base < p->size)
        return p;
    for (int i = 0; i < bus->n; i++) {
        p = &bus->items[i];
        if (addr - p->base < p->size) {
            bus->last = p;
            return p;
        }
    }
    return NULL;
}

/* The instruction of the running block that made the access, -1 when
 * none can be named. */
static int access_index(struct periph_bus *bus, uint32_t addr, bool write)
{
    struct sim *s = bus->sim;
    return s->cur ? locate_access(s, s->cur, addr, write) : -1;
}

static void refresh_events(struct periph_bus *bus)
{
    uint64_t next = PERIPH_NEVER;
    for (int i = 0; i < bus->n; i++)
        if (bus->items[i].next_event < next)
            next = bus->items[i].next_event;
    bus->next_event = next;
}

/* After an instance's state changed: its next event, and the run loop's. */
static void rescheduled(struct periph *p)
{
    struct periph_bus *bus = p->bus;
    uint64_t before = p->next_event;
    p->next_event = p->model->next_event ? p->model->next_event(p) : PERIPH_NEVER;
    if (p->next_event == before)
        return;
    if (p->next_event < bus->next_event)
        bus->next_event = p->next_event;
    else
        refresh_events(bus);
    scs_schedule(bus->sim);
}

static bool seen_before(struct periph_bus *bus, uint32_t addr)
{
    if (!bus->seen || (bus->seen_count + 1) * 2 > bus->seen_mask + 1) {
        uint32_t mask = bus->seen ? bus->seen_mask * 2 + 1 : 255;
        uint32_t *grown = calloc(mask + 1, sizeof *grown);
        if (!grown)
            return true; /* out of memory: stop reporting rather than fail the run */
        for (uint32_t i = 0; bus->seen && i <= bus->seen_mask; i++) {
            uint32_t a = bus->seen[i];
            if (!a)
                continue;
            uint32_t j = (a * 2654435761u) & mask;
            while (grown[j])
                j = (j + 1) & mask;
            grown[j] = a;
        }
        free(bus->seen);
        bus->seen = grown;
        bus->seen_mask = mask;
    }
    uint32_t key = addr | 1; /* word addresses: bit 0 free to mark a used slot */
    uint32_t j = (key * 2654435761u) & bus->seen_mask;
    while (bus->seen[j]) {
        if (bus->seen[j] == key)
            return true;
        j = (j + 1) & bus->seen_mask;
    }
    bus->seen[j] = key;
    bus->seen_count++;
    return false;
}

/* An access no model serves: nothing, a report, or a fault. */
static void unmodelled(struct periph_bus *bus, struct periph *p, uint32_t addr, unsigned size, bool write,
                       uint32_t value)
{
    struct sim *s = bus->sim;
    if (bus->mode == UNMODELLED_STUB)
        return;
    if (bus->mode == UNMODELLED_LOG && seen_before(bus, addr & ~3u))
        return;
    int idx = access_index(bus, addr, write);
    uint32_t pc = idx >= 0 ? s->cur->insn_addr[idx] : (s->cur ? s->cur->addr : 0);
    char where[128], inside[96] = "";
    elf_image_format_addr(s->img, pc, where, sizeof where);
    if (p)
        snprintf(inside, sizeof inside, " (%s, a %s, offset 0x%x)", p->spec->name, p->model->name, addr - p->base);
    if (bus->mode == UNMODELLED_LOG) {
        if (write)
            fprintf(s->opt.log, "mcusim: unmodelled peripheral register 0x%08x%s: write of %u bytes (0x%0*x) at %s\n",
                    addr, inside, size, (int)size * 2, value, where);
        else
            fprintf(s->opt.log, "mcusim: unmodelled peripheral register 0x%08x%s: read of %u bytes (reads 0) at %s\n",
                    addr, inside, size, where);
        return;
    }
    sim_set_fault(s, write ? FAULT_WRITE_UNMAPPED : FAULT_READ_UNMAPPED, pc, addr,
                  "%s of %u bytes at 0x%08x%s: no model of this peripheral register (unmodelled = fault)",
                  write ? "write" : "read", size, addr, inside);
    s->stop_index = idx;
    sim_stop(s, SIM_FAULT);
}

static uint64_t access_now(struct periph_bus *bus, uint32_t addr, bool write)
{
    return sim_now_at(bus->sim, access_index(bus, addr, write));
}

static uint64_t window_read(uc_engine *uc, uint64_t offset, unsigned size, void *user)
{
    struct periph_window *w = user;
    struct periph_bus *bus = w->bus;
    uint32_t addr = w->base + (uint32_t)offset;
    (void)uc;
    struct periph *p = find(bus, addr);
    if (!p) {
        unmodelled(bus, NULL, addr, size, false, 0);
        return 0;
    }
    uint32_t off = addr - p->base;
    if (p->spec->rp2040_aliases)
        off &= 0xFFF; /* the aliases read as the register */
    uint32_t word = p->model->read(p, off & ~3u, access_now(bus, addr, false));
    rescheduled(p);
    word >>= 8 * (off & 3);
    return size >= 4 ? word : word & ((1u << (8 * size)) - 1);
}

static void window_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value, void *user)
{
    struct periph_window *w = user;
    struct periph_bus *bus = w->bus;
    uint32_t addr = w->base + (uint32_t)offset;
    (void)uc;
    struct periph *p = find(bus, addr);
    if (!p) {
        unmodelled(bus, NULL, addr, size, true, (uint32_t)value);
        return;
    }
    uint32_t off = addr - p->base;
    unsigned shift = 8 * (off & 3);
    uint32_t mask = size >= 4 ? 0xFFFFFFFFu : ((1u << (8 * size)) - 1) << shift;
    uint32_t v = (uint32_t)value << shift;
    uint64_t now = access_now(bus, addr, true);
    if (p->spec->rp2040_aliases && off >= 0x1000) {
        /* RP2040 datasheet §2.1.2: +0x1000 XOR, +0x2000 SET, +0x3000 CLR
         * the written bits of the register, atomically. */
        unsigned alias = off >> 12;
        off &= 0xFFF;
        uint32_t old = p->model->peek ? p->model->peek(p, off & ~3u) : 0;
        v &= mask;
        v = alias == 1 ? old ^ v : alias == 2 ? old | v : old & ~v;
        mask = 0xFFFFFFFFu;
    }
    p->model->write(p, off & ~3u, v, mask, now);
    rescheduled(p);
}

uint32_t periph_unmodelled_read(struct periph *p, uint32_t offset, uint64_t now)
{
    (void)now;
    unmodelled(p->bus, p, p->base + offset, 4, false, 0);
    return 0;
}

void periph_unmodelled_write(struct periph *p, uint32_t offset, uint32_t value, uint32_t mask, uint64_t now)
{
    (void)now;
    (void)mask;
    unmodelled(p->bus, p, p->base + offset, 4, true, value);
}

/* ---- interrupts ---- */

void periph_irq(struct periph *p, int line, bool level)
{
    if (line < 0 || line >= BOARD_PERIPH_MAX_IRQS || p->irq_level[line] == level)
        return;
    p->irq_level[line] = level;
    int n = line < p->spec->n_irqs ? p->spec->irq[line] : -1;
    if (n < 0 || !p->bus)
        return;
    struct periph_bus *bus = p->bus;
    if (level && bus->line_high[n]++ == 0)
        exc_set_pending(bus->sim, 16 + n);
    else if (!level && bus->line_high[n])
        bus->line_high[n]--;
}

void periph_bus_irq_returned(struct periph_bus *bus, int irq)
{
    if (bus && irq >= 0 && irq < BOARD_MAX_IRQS && bus->line_high[irq])
        exc_set_pending(bus->sim, 16 + irq);
}

/* ---- clocks and memory timing ---- */

uint32_t periph_core_hz(const struct periph *p)
{
    return p->bus ? p->bus->sim->clock_hz : p->board->clock_hz;
}

uint32_t periph_named_clock(const struct periph *p, const char *name, uint32_t fallback)
{
    if (p->bus)
        for (int i = 0; i < p->bus->n_clocks; i++)
            if (!strcmp(p->bus->clocks[i].name, name))
                return p->bus->clocks[i].hz;
    return fallback;
}

uint32_t periph_clock_hz(const struct periph *p)
{
    if (p->bus && p->spec->clock[0])
        for (int i = 0; i < p->bus->n_clocks; i++)
            if (!strcmp(p->bus->clocks[i].name, p->spec->clock))
                return p->bus->clocks[i].hz; /* 0: that clock is stopped */
    return periph_core_hz(p);
}

static void clocks_changed(struct periph_bus *bus, uint64_t now)
{
    for (int i = 0; i < bus->n; i++) {
        struct periph *q = &bus->items[i];
        if (q->model->clocks_changed) {
            q->model->clocks_changed(q, now);
            q->next_event = q->model->next_event ? q->model->next_event(q) : PERIPH_NEVER;
        }
    }
    refresh_events(bus);
    scs_schedule(bus->sim);
}

void periph_publish_clock(struct periph *p, const char *name, uint32_t hz, uint64_t now)
{
    struct periph_bus *bus = p->bus;
    if (!bus)
        return;
    struct named_clock *c = NULL;
    for (int i = 0; i < bus->n_clocks; i++)
        if (!strcmp(bus->clocks[i].name, name))
            c = &bus->clocks[i];
    if (!c) {
        if (bus->n_clocks == MAX_CLOCKS)
            return;
        c = &bus->clocks[bus->n_clocks++];
        snprintf(c->name, sizeof c->name, "%s", name);
        c->hz = 0;
    }
    if (c->hz == hz)
        return;
    c->hz = hz;
    clocks_changed(bus, now);
}

void periph_set_core_clock(struct periph *p, uint32_t hz, const char *why, uint64_t now)
{
    struct periph_bus *bus = p->bus;
    if (!bus || !hz)
        return;
    bool changed = hz != bus->sim->clock_hz;
    sim_set_clock(bus->sim, hz, why, now);
    if (changed)
        clocks_changed(bus, now);
}

static bool timing_equal(const struct board_timing *a, const struct board_timing *b)
{
    return a->flash_wait_states == b->flash_wait_states && a->flash_line_bytes == b->flash_line_bytes &&
           a->icache == b->icache && a->icache_bytes == b->icache_bytes &&
           a->icache_line_bytes == b->icache_line_bytes && a->icache_ways == b->icache_ways &&
           a->icache_miss_cycles == b->icache_miss_cycles && a->dcache == b->dcache &&
           a->dcache_bytes == b->dcache_bytes && a->dcache_line_bytes == b->dcache_line_bytes &&
           a->dcache_ways == b->dcache_ways && a->dcache_miss_cycles == b->dcache_miss_cycles &&
           a->cache_unified == b->cache_unified && a->flash_data_reads == b->flash_data_reads &&
           a->muls_cycles == b->muls_cycles;
}

void periph_set_memory_timing(struct periph *p, const struct board_timing *t, const char *why)
{
    struct periph_bus *bus = p->bus;
    if (!bus)
        return;
    /* Setting what is already in force changes nothing (caches keep their
     * lines) but is still the firmware's choice, and reported so. */
    bus->timing_changed = bus->timing_changed || !timing_equal(t, periph_memory_timing(p));
    bus->timing_next = *t;
    bus->timing_pending = true;
    snprintf(bus->timing_why, sizeof bus->timing_why, "%s", why);
    bus->sim->next_event = 0; /* applied at the next block boundary (events() in sim.c) */
}

const struct board_timing *periph_memory_timing(const struct periph *p)
{
    if (!p->bus)
        return &p->board->timing;
    return p->bus->timing_pending ? &p->bus->timing_next : &p->bus->timing_now;
}

int periph_bus_take_timing(struct periph_bus *bus, struct board_timing *t, char *why, size_t whylen)
{
    if (!bus || !bus->timing_pending)
        return 0;
    bus->timing_pending = false;
    bus->timing_now = bus->timing_next;
    *t = bus->timing_now;
    snprintf(why, whylen, "%s", bus->timing_why);
    int changed = bus->timing_changed ? 2 : 1;
    bus->timing_changed = false;
    return changed;
}

/* ---- DMA ---- */

int periph_mem_read(struct periph *p, uint32_t addr, void *buf, uint32_t len)
{
    if (!p->bus)
        return -1;
    const uint8_t *src = sim_mem(p->bus->sim, addr, len);
    if (!src)
        return -1;
    memcpy(buf, src, len);
    return 0;
}

int periph_mem_write(struct periph *p, uint32_t addr, const void *buf, uint32_t len)
{
    if (!p->bus)
        return -1;
    uint8_t *dst = sim_ram_writable(p->bus->sim, addr, len);
    if (!dst)
        return -1;
    memcpy(dst, buf, len);
    return 0;
}

/* ---- the console ---- */

void periph_console_tx(struct periph *p, uint8_t byte)
{
    if (!p->bus)
        return;
    struct sim *s = p->bus->sim;
    fputc(byte, s->opt.out);
    if (s->opt.uart_out)
        fputc(byte, s->opt.uart_out);
}

int periph_console_rx(struct periph *p)
{
    if (!p->bus || !p->spec->console || p->bus->rx_ended)
        return -1;
    FILE *in = p->bus->sim->opt.uart_in;
    int c = in ? fgetc(in) : EOF;
    if (c == EOF) {
        p->bus->rx_ended = true;
        return -1;
    }
    return c;
}

/* ---- life cycle ---- */

struct periph_bus *periph_bus_create(struct sim *s, char *err, size_t errlen)
{
    struct periph_bus *bus = calloc(1, sizeof *bus);
    if (!bus) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    bus->sim = s;
    bus->mode = s->opt.unmodelled_set ? s->opt.unmodelled : s->board.unmodelled;
    const struct board *b = &s->board;
    for (int i = 0; i < b->n_periphs; i++) {
        const struct board_periph *spec = &b->periphs[i];
        struct periph *p = &bus->items[bus->n++];
        p->model = periph_model_find(spec->model);
        p->spec = spec;
        p->board = b;
        p->base = spec->base;
        p->size = spec->size;
        p->state = calloc(1, p->model->state_size ? p->model->state_size : 1);
        if (!p->state) {
            snprintf(err, errlen, "out of memory");
            periph_bus_destroy(bus);
            return NULL;
        }
        char msg[384] = "";
        if (p->model->init && p->model->init(p, msg, sizeof msg)) {
            snprintf(err, errlen, "%s:%d: [peripheral.%s]: %s", b->path, p->err_line ? p->err_line : spec->line,
                     spec->name, msg);
            periph_bus_destroy(bus);
            return NULL;
        }
        p->bus = bus;
    }
    return bus;
}

static int map_window(struct periph_bus *bus, uint32_t base, uint32_t size, char *err, size_t errlen)
{
    struct periph_window *w = &bus->windows[bus->n_windows++];
    w->bus = bus;
    w->base = base;
    w->size = size;
    uc_err e = uc_mmio_map(bus->sim->uc, base, size, window_read, w, window_write, w);
    if (e) {
        snprintf(err, errlen, "%s: cannot map peripheral space at 0x%08x: %s", bus->sim->board.path, base,
                 uc_strerror(e));
        return -1;
    }
    return 0;
}

int periph_bus_map(struct periph_bus *bus, char *err, size_t errlen)
{
    const struct board *b = &bus->sim->board;
    for (int i = 0; i < b->n_regions; i++)
        if (b->regions[i].kind == REGION_STUB && map_window(bus, b->regions[i].base, b->regions[i].size, err, errlen))
            return -1;
    /* Instances outside peripheral space get pages of their own (Unicorn
     * maps whole 1 KB pages; the rest of the page is unmodelled space). */
    for (int i = 0; i < bus->n; i++) {
        struct periph *p = &bus->items[i];
        if (board_region_of(b, p->base))
            continue;
        uint32_t lo = p->base & ~0x3FFu, hi = (p->base + p->size + 0x3FFu) & ~0x3FFu;
        bool mapped = false;
        for (int j = 0; j < bus->n_windows && !mapped; j++)
            mapped = lo < bus->windows[j].base + bus->windows[j].size && bus->windows[j].base < hi;
        if (mapped) {
            snprintf(err, errlen, "%s:%d: [peripheral.%s] shares a 1 KB page with another peripheral outside "
                     "peripheral space: declare a [memory.X] kind = stub region around both", b->path,
                     p->spec->line, p->spec->name);
            return -1;
        }
        if (map_window(bus, lo, hi - lo, err, errlen))
            return -1;
    }
    return 0;
}

void periph_bus_reset(struct periph_bus *bus)
{
    if (!bus)
        return;
    memset(bus->line_high, 0, sizeof bus->line_high);
    bus->n_clocks = 0;
    bus->timing_now = bus->sim->board.timing;
    bus->timing_pending = false;
    bus->timing_changed = false;
    for (int i = 0; i < bus->n; i++) {
        struct periph *p = &bus->items[i];
        memset(p->irq_level, 0, sizeof p->irq_level);
        if (p->model->reset)
            p->model->reset(p);
    }
    /* Instances reset before a clock controller published their clock
     * take its rate now. */
    for (int i = 0; i < bus->n; i++) {
        struct periph *p = &bus->items[i];
        if (p->model->clocks_changed)
            p->model->clocks_changed(p, 0);
        p->next_event = p->model->next_event ? p->model->next_event(p) : PERIPH_NEVER;
    }
    refresh_events(bus);
}

void periph_bus_destroy(struct periph_bus *bus)
{
    if (!bus)
        return;
    for (int i = 0; i < bus->n; i++)
        free(bus->items[i].state);
    free(bus->seen);
    free(bus);
}

/* ---- time ---- */

uint64_t periph_bus_next_event(const struct periph_bus *bus)
{
    return bus ? bus->next_event : PERIPH_NEVER;
}

void periph_bus_tick(struct periph_bus *bus, uint64_t now)
{
    if (!bus || bus->next_event > now)
        return;
    for (int i = 0; i < bus->n; i++) {
        struct periph *p = &bus->items[i];
        if (p->next_event > now)
            continue;
        if (p->model->event)
            p->model->event(p, now);
        p->next_event = p->model->next_event ? p->model->next_event(p) : PERIPH_NEVER;
        /* A model that cannot move its event past now would spin the loop. */
        if (p->next_event <= now)
            p->next_event = now + 1;
    }
    refresh_events(bus);
}

uint64_t periph_bus_next_wakeup(const struct periph_bus *bus)
{
    if (!bus)
        return PERIPH_NEVER;
    const struct nvic *nvic = &bus->sim->scs.nvic;
    uint64_t next = PERIPH_NEVER;
    for (int i = 0; i < bus->n; i++) {
        const struct periph *p = &bus->items[i];
        bool can_interrupt = false;
        for (int l = 0; l < p->spec->n_irqs && !can_interrupt; l++)
            can_interrupt = p->spec->irq[l] >= 0 && nvic->enabled[16 + p->spec->irq[l]];
        if (can_interrupt && p->next_event < next)
            next = p->next_event;
    }
    return next;
}
