/*
 * board.c — reads board files (INI, parsed by inih) into struct board.
 *
 * The parser is table-driven: every accepted key of [board], [timing] and
 * [energy] is one row below, so adding a parameter is adding a row.  Memory
 * regions are sections named [memory.NAME], peripheral instances sections
 * named [peripheral.NAME] (their model checks its own keys, periph.c).  Any
 * unknown section or key, a malformed number or an inconsistent map is an
 * error naming file and line: a typo in a board file must never silently
 * change a measurement.
 */
#include "board.h"
#include "periph.h"

#include <dirent.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#ifndef MCUSIM_SOURCE_BOARDS
#define MCUSIM_SOURCE_BOARDS "boards"
#endif
#ifndef MCUSIM_INSTALLED_BOARDS
#define MCUSIM_INSTALLED_BOARDS "/usr/local/share/mcusim/boards"
#endif

enum value_type { V_STRING, V_U32, V_SIZE, V_BOOL, V_DOUBLE, V_CORE, V_UNMODELLED };

struct key_spec {
    const char *section;
    const char *key;
    enum value_type type;
    size_t offset;   /* into struct board */
    size_t size;     /* for strings */
};

#define B(field) offsetof(struct board, field), sizeof(((struct board *)0)->field)
static const struct key_spec keys[] = {
    {"board", "name", V_STRING, B(name)},
    {"board", "description", V_STRING, B(description)},
    {"board", "core", V_CORE, B(core)},
    {"board", "clock_hz", V_U32, B(clock_hz)},
    {"board", "vtor", V_U32, B(vtor)},
    {"board", "stack", V_SIZE, B(stack_bytes)},
    {"board", "unmodelled", V_UNMODELLED, B(unmodelled)},
    {"timing", "flash_wait_states", V_U32, B(timing.flash_wait_states)},
    {"timing", "flash_line_bytes", V_SIZE, B(timing.flash_line_bytes)},
    {"timing", "icache", V_BOOL, B(timing.icache)},
    {"timing", "icache_bytes", V_SIZE, B(timing.icache_bytes)},
    {"timing", "icache_line_bytes", V_SIZE, B(timing.icache_line_bytes)},
    {"timing", "icache_ways", V_U32, B(timing.icache_ways)},
    {"timing", "icache_miss_cycles", V_U32, B(timing.icache_miss_cycles)},
    {"timing", "dcache", V_BOOL, B(timing.dcache)},
    {"timing", "dcache_bytes", V_SIZE, B(timing.dcache_bytes)},
    {"timing", "dcache_line_bytes", V_SIZE, B(timing.dcache_line_bytes)},
    {"timing", "dcache_ways", V_U32, B(timing.dcache_ways)},
    {"timing", "dcache_miss_cycles", V_U32, B(timing.dcache_miss_cycles)},
    {"timing", "cache_unified", V_BOOL, B(timing.cache_unified)},
    {"timing", "flash_data_reads", V_BOOL, B(timing.flash_data_reads)},
    {"timing", "muls_cycles", V_U32, B(timing.muls_cycles)},
    {"energy", "supply_v", V_DOUBLE, B(energy.supply_v)},
    {"energy", "run_ua_per_mhz", V_DOUBLE, B(energy.run_ua_per_mhz)},
    {"energy", "sleep_ua", V_DOUBLE, B(energy.sleep_ua)},
    {"energy", "flash_read_extra_ua_per_mhz", V_DOUBLE, B(energy.flash_read_extra_ua_per_mhz)},
    {"energy", "mul_extra_ua_per_mhz", V_DOUBLE, B(energy.mul_extra_ua_per_mhz)},
    {"energy", "fpu_extra_ua_per_mhz", V_DOUBLE, B(energy.fpu_extra_ua_per_mhz)},
};
#undef B

struct parse_state {
    struct board *b;
    const char *path;
    char *err;
    size_t errlen;
    int line;               /* line of the first error, 0 when none */
    int cur_line;           /* line being parsed */
    int region_line[BOARD_MAX_REGIONS];
    int key_line[sizeof keys / sizeof keys[0]];  /* where each key was set, 0 if not */
    bool seen_board;
};

/* The line that set section.key, so that a check across keys points at the
 * value to change; line 1 when the key was not given (a default failed). */
static int line_of(const struct parse_state *st, const char *section, const char *key)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strcmp(keys[i].section, section) && !strcmp(keys[i].key, key))
            return st->key_line[i] ? st->key_line[i] : 1;
    return 1;
}

/* Parses "123", "0x1F000", "256K", "1M" (K = 1024). */
static int parse_u64(const char *s, bool allow_suffix, uint64_t *out)
{
    char *end;
    errno = 0;
    if (*s == '-' || *s == '\0')
        return -1;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s)
        return -1;
    if (allow_suffix && (*end == 'K' || *end == 'k')) {
        v *= 1024ull;
        end++;
    } else if (allow_suffix && (*end == 'M' || *end == 'm')) {
        v *= 1024ull * 1024ull;
        end++;
    }
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end != '\0')
        return -1;
    *out = v;
    return 0;
}

__attribute__((format(printf, 3, 4)))
static int fail(struct parse_state *st, int lineno, const char *fmt, ...)
{
    if (!st->line) {
        char msg[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        snprintf(st->err, st->errlen, "%s:%d: %s", st->path, lineno, msg);
        st->line = lineno;
    }
    return 0;
}

static int set_key(struct parse_state *st, const struct key_spec *k, const char *value, int lineno)
{
    char *field = (char *)st->b + k->offset;
    uint64_t v;
    switch (k->type) {
    case V_STRING:
        if (strlen(value) >= k->size)
            return fail(st, lineno, "value of '%s' is too long", k->key);
        strcpy(field, value);
        return 1;
    case V_U32:
    case V_SIZE:
        if (parse_u64(value, k->type == V_SIZE, &v) || v > 0xFFFFFFFFull)
            return fail(st, lineno, "'%s' is not a valid number: '%s'", k->key, value);
        *(uint32_t *)field = (uint32_t)v;
        if (k->offset == offsetof(struct board, vtor))
            st->b->vtor_set = true;
        return 1;
    case V_BOOL:
        if (!strcasecmp(value, "true") || !strcasecmp(value, "yes") || !strcmp(value, "1"))
            *(bool *)field = true;
        else if (!strcasecmp(value, "false") || !strcasecmp(value, "no") || !strcmp(value, "0"))
            *(bool *)field = false;
        else
            return fail(st, lineno, "'%s' must be true or false, not '%s'", k->key, value);
        return 1;
    case V_DOUBLE: {
        char *end;
        errno = 0;
        double d = strtod(value, &end);
        if (errno || end == value || *end != '\0' || d < 0)
            return fail(st, lineno, "'%s' is not a valid non-negative number: '%s'", k->key, value);
        *(double *)field = d;
        if (!strcmp(k->section, "energy"))
            st->b->energy.present = true;
        return 1;
    }
    case V_UNMODELLED: {
        int m = board_unmodelled_parse(value);
        if (m < 0)
            return fail(st, lineno, "'%s' is stub, log or fault, not '%s'", k->key, value);
        *(enum unmodelled_mode *)field = (enum unmodelled_mode)m;
        return 1;
    }
    case V_CORE: {
        const struct core_desc *core = core_find(value);
        if (!core)
            return fail(st, lineno, "unknown core '%s' (known: %s)", value, core_known_names());
        *(const struct core_desc **)field = core;
        return 1;
    }
    }
    return 0;
}

static struct board_region *region_for(struct parse_state *st, const char *name, int lineno)
{
    struct board *b = st->b;
    for (int i = 0; i < b->n_regions; i++)
        if (!strcmp(b->regions[i].name, name))
            return &b->regions[i];
    if (b->n_regions == BOARD_MAX_REGIONS) {
        fail(st, lineno, "too many memory regions (at most %d)", BOARD_MAX_REGIONS);
        return NULL;
    }
    if (strlen(name) >= sizeof b->regions[0].name) {
        fail(st, lineno, "memory region name '%s' is too long", name);
        return NULL;
    }
    struct board_region *r = &b->regions[b->n_regions];
    memset(r, 0, sizeof *r);
    strcpy(r->name, name);
    r->kind = (enum region_kind)-1;
    r->size = 0;
    st->region_line[b->n_regions] = lineno;
    b->n_regions++;
    return r;
}

static struct board_periph *periph_for(struct parse_state *st, const char *name, int lineno)
{
    struct board *b = st->b;
    for (int i = 0; i < b->n_periphs; i++)
        if (!strcmp(b->periphs[i].name, name))
            return &b->periphs[i];
    if (b->n_periphs == BOARD_MAX_PERIPHS) {
        fail(st, lineno, "too many peripherals (at most %d)", BOARD_MAX_PERIPHS);
        return NULL;
    }
    if (!*name || strlen(name) >= sizeof b->periphs[0].name) {
        fail(st, lineno, "peripheral name '%s' is empty or too long", name);
        return NULL;
    }
    struct board_periph *p = &b->periphs[b->n_periphs++];
    memset(p, 0, sizeof *p);
    strcpy(p->name, name);
    for (int i = 0; i < BOARD_PERIPH_MAX_IRQS; i++)
        p->irq[i] = -1;
    p->line = lineno;
    return p;
}

/* "irq = 0, 1, 12": the NVIC lines of the model's outputs in its order;
 * "-" leaves an output unconnected. */
static int parse_irqs(struct parse_state *st, struct board_periph *p, const char *value, int lineno)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", value);
    p->n_irqs = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
        if (p->n_irqs == BOARD_PERIPH_MAX_IRQS)
            return fail(st, lineno, "at most %d interrupt lines per peripheral", BOARD_PERIPH_MAX_IRQS);
        uint64_t v;
        if (!strcmp(tok, "-")) {
            p->irq[p->n_irqs++] = -1;
            continue;
        }
        if (parse_u64(tok, false, &v) || v >= BOARD_MAX_IRQS)
            return fail(st, lineno, "'irq' needs interrupt numbers 0-%d (or -), not '%s'", BOARD_MAX_IRQS - 1, tok);
        p->irq[p->n_irqs++] = (int)v;
    }
    p->irq_line = lineno;
    return 1;
}

static int on_peripheral_key(struct parse_state *st, const char *name, const char *key, const char *value,
                             int lineno)
{
    struct board *b = st->b;
    struct board_periph *p = periph_for(st, name, lineno);
    uint64_t v;
    if (!p)
        return 0;
    if (!strcmp(key, "model")) {
        if (strlen(value) >= sizeof p->model)
            return fail(st, lineno, "value of 'model' is too long");
        strcpy(p->model, value);
    } else if (!strcmp(key, "base") || !strcmp(key, "size")) {
        if (parse_u64(value, true, &v) || v > 0xFFFFFFFFull)
            return fail(st, lineno, "'%s' is not a valid number: '%s'", key, value);
        if (!strcmp(key, "base")) {
            p->base = (uint32_t)v;
            p->base_line = lineno;
        } else {
            p->size = (uint32_t)v;
        }
    } else if (!strcmp(key, "irq")) {
        return parse_irqs(st, p, value, lineno);
    } else if (!strcmp(key, "clock")) {
        if (strlen(value) >= sizeof p->clock)
            return fail(st, lineno, "value of 'clock' is too long");
        strcpy(p->clock, value);
    } else if (!strcmp(key, "aliases")) {
        if (strcmp(value, "rp2040") && strcmp(value, "none"))
            return fail(st, lineno, "'aliases' is rp2040 (XOR, SET and CLR views of every register) or none, not '%s'",
                        value);
        p->rp2040_aliases = !strcmp(value, "rp2040");
    } else if (!strcmp(key, "console")) {
        if (!strcasecmp(value, "true") || !strcasecmp(value, "yes") || !strcmp(value, "1"))
            p->console = true;
        else if (!strcasecmp(value, "false") || !strcasecmp(value, "no") || !strcmp(value, "0"))
            p->console = false;
        else
            return fail(st, lineno, "'console' must be true or false, not '%s'", value);
    } else {
        /* The model's own keys: checked against it once the file is read. */
        if (b->n_params == BOARD_MAX_PARAMS)
            return fail(st, lineno, "too many peripheral parameters (at most %d)", BOARD_MAX_PARAMS);
        struct board_param *bp = &b->params[b->n_params];
        if (strlen(key) >= sizeof bp->key || strlen(value) >= sizeof bp->value)
            return fail(st, lineno, "key or value too long: '%s'", key);
        strcpy(bp->key, key);
        strcpy(bp->value, value);
        bp->periph = (uint16_t)(p - b->periphs);
        bp->line = lineno;
        b->n_params++;
    }
    return 1;
}

/* Debian's inih is built without INI_HANDLER_LINENO, so lines are counted
 * by the reader that feeds it. */
struct line_reader {
    FILE *f;
    struct parse_state *st;
};

static char *read_line(char *buf, int size, void *stream)
{
    struct line_reader *r = stream;
    char *line = fgets(buf, size, r->f);
    if (line)
        r->st->cur_line++;
    return line;
}

static int on_key(void *user, const char *section, const char *key, const char *value)
{
    struct parse_state *st = user;
    int lineno = st->cur_line;
    if (st->line)
        return 0;
    if (!strncmp(section, "memory.", 7)) {
        struct board_region *r = region_for(st, section + 7, lineno);
        uint64_t v;
        if (!r)
            return 0;
        if (!strcmp(key, "kind")) {
            if (!strcmp(value, "flash"))
                r->kind = REGION_FLASH;
            else if (!strcmp(value, "ram"))
                r->kind = REGION_RAM;
            else if (!strcmp(value, "stub"))
                r->kind = REGION_STUB;
            else
                return fail(st, lineno, "unknown memory kind '%s' (known: flash, ram, stub)", value);
        } else if (!strcmp(key, "base") || !strcmp(key, "size")) {
            if (parse_u64(value, true, &v) || v > 0xFFFFFFFFull)
                return fail(st, lineno, "'%s' is not a valid number: '%s'", key, value);
            if (!strcmp(key, "base"))
                r->base = (uint32_t)v;
            else
                r->size = (uint32_t)v;
        } else {
            return fail(st, lineno, "unknown key '%s' in [%s]", key, section);
        }
        return 1;
    }
    if (!strncmp(section, "peripheral.", 11))
        return on_peripheral_key(st, section + 11, key, value, lineno);
    if (!strcmp(section, "board"))
        st->seen_board = true;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strcmp(section, keys[i].section) && !strcmp(key, keys[i].key)) {
            st->key_line[i] = lineno;
            return set_key(st, &keys[i], value, lineno);
        }
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strcmp(section, keys[i].section))
            return fail(st, lineno, "unknown key '%s' in [%s]", key, section);
    return fail(st, lineno, "unknown section [%s]", section);
}

/* A cache the timing model can simulate: power-of-two lines, whole sets. */
static bool cache_geometry_ok(uint32_t bytes, uint32_t line, uint32_t ways)
{
    if (!ways)
        ways = 1;
    return bytes && line && !(line & (line - 1)) && ways <= 255 &&
           bytes % ((uint64_t)line * ways) == 0;
}

static int validate_peripherals(struct parse_state *st)
{
    struct board *b = st->b;
    int consoles = 0;
    for (int i = 0; i < b->n_periphs; i++) {
        struct board_periph *p = &b->periphs[i];
        char names[1024];
        if (!p->model[0])
            return fail(st, p->line, "[peripheral.%s] has no model (known: %s)", p->name,
                        periph_model_names(names, sizeof names));
        const struct periph_model *m = periph_model_find(p->model);
        if (!m)
            return fail(st, p->line, "[peripheral.%s]: unknown model '%s' (known: %s)", p->name, p->model,
                        periph_model_names(names, sizeof names));
        if (!p->base_line)
            return fail(st, p->line, "[peripheral.%s] has no base address", p->name);
        if (!p->size)
            p->size = p->rp2040_aliases ? 4 * m->size : m->size;
        int n_out = 0;
        while (m->irqs && m->irqs[n_out])
            n_out++;
        if (p->n_irqs > n_out)
            return fail(st, p->irq_line, "[peripheral.%s]: model '%s' has %d interrupt output%s, not %d", p->name,
                        m->name, n_out, n_out == 1 ? "" : "s", p->n_irqs);
        if ((p->base & 3) || !p->size || (p->size & 3))
            return fail(st, p->base_line, "[peripheral.%s] must start and end on a word boundary", p->name);
        if ((uint64_t)p->base + p->size > 0xE0000000ull && p->base < 0xE0100000u)
            return fail(st, p->base_line, "[peripheral.%s] overlaps the Private Peripheral Bus (0xE0000000)",
                        p->name);
        if ((uint64_t)p->base + p->size > 0x100000000ull)
            return fail(st, p->base_line, "[peripheral.%s] extends past 4 GB", p->name);
        for (int j = 0; j < b->n_regions; j++) {
            const struct board_region *r = &b->regions[j];
            bool inside = p->base >= r->base && (uint64_t)p->base + p->size <= (uint64_t)r->base + r->size;
            bool overlaps = p->base < r->base + (uint64_t)r->size && r->base < p->base + (uint64_t)p->size;
            if (overlaps && (r->kind != REGION_STUB || !inside))
                return fail(st, p->base_line, "[peripheral.%s] overlaps memory region '%s'", p->name, r->name);
        }
        for (int j = 0; j < i; j++) {
            const struct board_periph *o = &b->periphs[j];
            if (p->base < o->base + (uint64_t)o->size && o->base < p->base + (uint64_t)p->size)
                return fail(st, p->base_line, "[peripheral.%s] overlaps [peripheral.%s]", p->name, o->name);
        }
        if (p->console && ++consoles > 1)
            return fail(st, p->line, "[peripheral.%s]: only one peripheral can be the console", p->name);
        if (periph_check(b, i, st->err, st->errlen)) {
            st->line = 1; /* periph_check wrote "FILE:LINE: problem" */
            return 0;
        }
    }
    return 1;
}

static int validate(struct parse_state *st)
{
    struct board *b = st->b;
    if (!st->seen_board || !b->name[0])
        return fail(st, 1, "missing [board] name");
    if (!b->core)
        return fail(st, 1, "missing [board] core");
    if (!b->clock_hz)
        return fail(st, line_of(st, "board", "clock_hz"), "missing or zero [board] clock_hz");
    for (int i = 0; i < b->n_regions; i++) {
        struct board_region *r = &b->regions[i];
        int line = st->region_line[i];
        if (r->kind == (enum region_kind)-1)
            return fail(st, line, "memory region '%s' has no kind", r->name);
        if (!r->size)
            return fail(st, line, "memory region '%s' has no size", r->name);
        if ((r->base & 0x3FF) || (r->size & 0x3FF))
            return fail(st, line, "memory region '%s' must start and end on a 1 KB boundary", r->name);
        if ((uint64_t)r->base + r->size > 0x100000000ull)
            return fail(st, line, "memory region '%s' extends past 4 GB", r->name);
        if ((uint64_t)r->base + r->size > 0xE0000000ull && r->base < 0xE0100000u)
            return fail(st, line, "memory region '%s' overlaps the Private Peripheral Bus (0xE0000000)",
                        r->name);
        for (int j = 0; j < i; j++) {
            struct board_region *o = &b->regions[j];
            if (r->base < o->base + (uint64_t)o->size && o->base < r->base + (uint64_t)r->size)
                return fail(st, line, "memory region '%s' overlaps '%s'", r->name, o->name);
        }
    }
    if (!board_main_region(b, REGION_FLASH))
        return fail(st, 1, "no memory region of kind flash");
    if (!board_main_region(b, REGION_RAM))
        return fail(st, 1, "no memory region of kind ram");
    if (!b->vtor_set)
        b->vtor = board_main_region(b, REGION_FLASH)->base;
    if (!b->stack_bytes)
        b->stack_bytes = 8 * 1024;
    if (b->stack_bytes >= board_main_region(b, REGION_RAM)->size)
        return fail(st, line_of(st, "board", "stack"), "[board] stack is larger than the RAM");
    if (!b->timing.muls_cycles)
        b->timing.muls_cycles = 1;
    if (!b->timing.flash_line_bytes)
        b->timing.flash_line_bytes = 16;
    if (b->timing.flash_line_bytes & (b->timing.flash_line_bytes - 1))
        return fail(st, line_of(st, "timing", "flash_line_bytes"),
                    "[timing] flash_line_bytes must be a power of two");
    if (b->timing.icache && !cache_geometry_ok(b->timing.icache_bytes, b->timing.icache_line_bytes,
                                               b->timing.icache_ways))
        return fail(st, line_of(st, "timing", "icache"), "[timing] icache needs icache_bytes and icache_line_bytes (a power of two) "
                           "and icache_bytes a multiple of icache_line_bytes * icache_ways (at most 255)");
    if (b->timing.dcache && !cache_geometry_ok(b->timing.dcache_bytes, b->timing.dcache_line_bytes,
                                               b->timing.dcache_ways))
        return fail(st, line_of(st, "timing", "dcache"), "[timing] dcache needs dcache_bytes and dcache_line_bytes (a power of two) "
                           "and dcache_bytes a multiple of dcache_line_bytes * dcache_ways (at most 255)");
    if (b->timing.cache_unified && !b->timing.icache)
        return fail(st, line_of(st, "timing", "cache_unified"), "[timing] cache_unified needs an icache");
    return validate_peripherals(st);
}

int board_load(const char *path, struct board *b, char *err, size_t errlen)
{
    struct parse_state st = {.b = b, .path = path, .err = err, .errlen = errlen};
    memset(b, 0, sizeof *b);
    snprintf(b->path, sizeof b->path, "%s", path);

    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open board file: %s", path, strerror(errno));
        return -1;
    }
    struct line_reader reader = {.f = f, .st = &st};
    int rc = ini_parse_stream(read_line, &reader, on_key, &st);
    fclose(f);
    if (st.line)
        return -1;
    if (rc > 0) {
        snprintf(err, errlen, "%s:%d: syntax error (expected 'key = value' or '[section]')", path, rc);
        return -1;
    }
    if (rc < 0) {
        snprintf(err, errlen, "%s: cannot read board file", path);
        return -1;
    }
    validate(&st);
    return st.line ? -1 : 0;
}

const char *board_dir(void)
{
    const char *env = getenv("MCUSIM_BOARDS");
    struct stat sb;
    if (env && *env)
        return env;
    if (!stat(MCUSIM_SOURCE_BOARDS, &sb) && S_ISDIR(sb.st_mode))
        return MCUSIM_SOURCE_BOARDS;
    return MCUSIM_INSTALLED_BOARDS;
}

static bool looks_like_path(const char *s)
{
    size_t n = strlen(s);
    return strchr(s, '/') || (n > 4 && !strcmp(s + n - 4, ".ini"));
}

int board_find(const char *name_or_path, struct board *b, char *err, size_t errlen)
{
    if (looks_like_path(name_or_path))
        return board_load(name_or_path, b, err, errlen);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.ini", board_dir(), name_or_path);
    struct stat sb;
    if (stat(path, &sb)) {
        snprintf(err, errlen, "%s: unknown board (no %s; 'mcusim boards' lists the known ones)",
                 name_or_path, path);
        return -1;
    }
    return board_load(path, b, err, errlen);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct board *)a)->name, ((const struct board *)b)->name);
}

int board_list(struct board **out, char *err, size_t errlen)
{
    const char *dir = board_dir();
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "%s: cannot open board directory: %s", dir, strerror(errno));
        return -1;
    }
    struct board *list = NULL;
    int n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".ini"))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            struct board *grown = realloc(list, cap * sizeof *list);
            if (!grown) {
                free(list);
                closedir(d);
                snprintf(err, errlen, "out of memory");
                return -1;
            }
            list = grown;
        }
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (board_load(path, &list[n], err, errlen)) {
            free(list);
            closedir(d);
            return -1;
        }
        n++;
    }
    closedir(d);
    qsort(list, n, sizeof *list, by_name);
    *out = list;
    return n;
}

const struct board_region *board_region_of(const struct board *b, uint32_t addr)
{
    for (int i = 0; i < b->n_regions; i++)
        if (addr >= b->regions[i].base && addr - b->regions[i].base < b->regions[i].size)
            return &b->regions[i];
    return NULL;
}

const char *board_unmodelled_name(enum unmodelled_mode m)
{
    switch (m) {
    case UNMODELLED_STUB: return "stub";
    case UNMODELLED_LOG: return "log";
    case UNMODELLED_FAULT: return "fault";
    }
    return "?";
}

int board_unmodelled_parse(const char *name)
{
    for (int m = UNMODELLED_STUB; m <= UNMODELLED_FAULT; m++)
        if (!strcmp(name, board_unmodelled_name((enum unmodelled_mode)m)))
            return m;
    return -1;
}

const struct board_region *board_main_region(const struct board *b, enum region_kind kind)
{
    /* The first region of a kind is the main one: the linker script places
     * code in the main flash and data, arena and stack in the main RAM. */
    for (int i = 0; i < b->n_regions; i++)
        if (b->regions[i].kind == kind)
            return &b->regions[i];
    return NULL;
}
