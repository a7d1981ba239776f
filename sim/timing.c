/*
 * timing.c — the core-independent half of the cycle model.
 *
 * Assembles a block's static description from its decoded instructions
 * (decoder.h): cycles, prefix sums for exact mid-block DWT CYCCNT reads,
 * class mix, how it ends.  It also models the memory system
 * in front of the core: flash wait states, the instruction cache or
 * prefetch buffer, and data reads from flash (literal pools, weights),
 * through a data cache when the board has one.  The per-core cost of each
 * instruction comes from timing_m0plus.c, timing_m4.c or timing_m7.c.
 *
 * Memory timing that depends on run time (cache state, where a register
 * points) is gathered per block into a struct block_mem, and evaluated
 * once per block execution by timing_block_run(): there is never a
 * per-access memory hook, which would cost most of the simulator's speed.
 */
#include "timing_internal.h"

#include <stdlib.h>
#include <string.h>

static enum block_end classify_end(const struct insn_facts *f)
{
    switch (f->id) {
    case ARM_INS_SVC: case ARM_INS_BKPT: case ARM_INS_UDF:
        return END_TRAP;
    case ARM_INS_BL:
    case ARM_INS_BLX:
        return END_CALL;
    case ARM_INS_B:
        return f->conditional ? END_COND_BRANCH : END_BRANCH;
    case ARM_INS_CBZ: case ARM_INS_CBNZ:
        return END_COND_BRANCH;
    case ARM_INS_BX:
        return (f->regs_read & (1u << 14)) ? END_RETURN : END_INDIRECT;
    case ARM_INS_POP:
        return (f->regs_written & (1u << 15)) ? END_RETURN : END_FALLTHROUGH;
    case ARM_INS_LDM: case ARM_INS_LDR:
        if (!(f->regs_written & (1u << 15)))
            return END_FALLTHROUGH;
        return f->mem.base == 13 ? END_RETURN : END_INDIRECT;
    }
    return f->writes_pc ? END_INDIRECT : END_FALLTHROUGH;
}

void timing_div_operands(const struct insn_facts *f, struct timing_dyn *dyn)
{
    dyn->rn = (uint8_t)(f->rn >= 0 && f->rn <= 14 ? f->rn : 0);
    dyn->rm = (uint8_t)(f->rm >= 0 && f->rm <= 14 ? f->rm : 0);
}

/* ---- caches ---- */

static int cache_init(struct cache *c, uint32_t bytes, uint32_t line, uint32_t ways, uint32_t miss_cycles,
                      uint32_t *epoch)
{
    c->epoch = epoch;
    uint32_t lines = bytes / line;
    c->ways = ways ? ways : 1;
    c->sets = lines / c->ways ? lines / c->ways : 1;
    c->line_shift = (uint32_t)__builtin_ctz(line);
    c->set_mask = (c->sets & (c->sets - 1)) ? UINT32_MAX : c->sets - 1;
    c->miss_cycles = miss_cycles;
    c->tags = calloc((size_t)c->sets * c->ways, sizeof *c->tags);
    c->victim = calloc(c->sets, 1);
    c->last_hit = calloc(c->sets, 1);
    return c->tags && c->victim && c->last_hit ? 0 : -1;
}

static void cache_free(struct cache *c)
{
    free(c->tags);
    free(c->victim);
    free(c->last_hit);
}

/* Looks up every line of [lo, hi] (inclusive), filling the misses;
 * returns how many missed. */
static uint32_t cache_access(struct cache *c, uint32_t lo, uint32_t hi)
{
    uint32_t misses = 0;
    for (uint32_t line = lo >> c->line_shift; line <= hi >> c->line_shift; line++) {
        uint32_t set = c->set_mask != UINT32_MAX ? line & c->set_mask : line % c->sets;
        uint32_t *ways = &c->tags[(size_t)set * c->ways];
        /* The way that hit last in this set is tried first: a speed-up
         * only, the cache's state does not depend on it. */
        bool hit = ways[c->last_hit[set]] == line + 1;
        for (uint32_t w = 0; w < c->ways && !hit; w++) {
            if (ways[w] == line + 1) {
                hit = true;
                c->last_hit[set] = (uint8_t)w;
            }
        }
        if (!hit) {
            ways[c->victim[set]] = line + 1;
            c->victim[set] = (uint8_t)((c->victim[set] + 1) % c->ways);
            c->fills++;
            *c->epoch = *c->epoch + 1 ? *c->epoch + 1 : 1;
            misses++;
        }
    }
    return misses;
}

struct timing *timing_create(const struct board *b)
{
    struct timing *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->core = b->core->timing;
    t->bt = b->timing;
    const struct board_region *flash = board_main_region(b, REGION_FLASH);
    t->flash_base = flash->base;
    t->flash_size = flash->size;
    const struct board_timing *bt = &t->bt;
    if (bt->icache && bt->icache_bytes && bt->icache_line_bytes &&
        cache_init(&t->ic, bt->icache_bytes, bt->icache_line_bytes, bt->icache_ways,
                   bt->icache_miss_cycles ? bt->icache_miss_cycles : bt->flash_wait_states, &t->own_epoch)) {
        timing_destroy(t);
        return NULL;
    }
    if (bt->dcache && bt->dcache_bytes && bt->dcache_line_bytes && !bt->cache_unified &&
        cache_init(&t->dc, bt->dcache_bytes, bt->dcache_line_bytes, bt->dcache_ways,
                   bt->dcache_miss_cycles ? bt->dcache_miss_cycles : bt->flash_wait_states, &t->own_epoch)) {
        timing_destroy(t);
        return NULL;
    }
    t->unified = bt->cache_unified && t->ic.tags;
    t->flash_line_shift = (uint32_t)__builtin_ctz(bt->flash_line_bytes ? bt->flash_line_bytes : 16);
    t->own_epoch = 1;
    t->epoch = &t->own_epoch;
    return t;
}

int timing_reconfigure(struct timing *t, const struct board_timing *bt)
{
    struct cache ic = {0}, dc = {0};
    if (bt->icache && bt->icache_bytes && bt->icache_line_bytes &&
        cache_init(&ic, bt->icache_bytes, bt->icache_line_bytes, bt->icache_ways,
                   bt->icache_miss_cycles ? bt->icache_miss_cycles : bt->flash_wait_states, t->epoch)) {
        cache_free(&ic);
        return -1;
    }
    if (bt->dcache && bt->dcache_bytes && bt->dcache_line_bytes && !bt->cache_unified &&
        cache_init(&dc, bt->dcache_bytes, bt->dcache_line_bytes, bt->dcache_ways,
                   bt->dcache_miss_cycles ? bt->dcache_miss_cycles : bt->flash_wait_states, t->epoch)) {
        cache_free(&ic);
        cache_free(&dc);
        return -1;
    }
    /* The caches start empty, as after the invalidation that enabling or
     * reconfiguring them takes on silicon. */
    cache_free(&t->ic);
    cache_free(&t->dc);
    t->ic = ic;
    t->dc = dc;
    t->bt = *bt;
    t->unified = bt->cache_unified && t->ic.tags;
    t->flash_line_shift = (uint32_t)__builtin_ctz(bt->flash_line_bytes ? bt->flash_line_bytes : 16);
    timing_tick(t);
    return 0;
}

void timing_destroy(struct timing *t)
{
    if (!t)
        return;
    cache_free(&t->ic);
    cache_free(&t->dc);
    free(t);
}

/* ---- memory timing decided per block, evaluated per execution ---- */

/* A data read from flash: a literal at a fixed address (mem.base < 0),
 * or a load through registers whose base has moved by base_delta since
 * the block started (pointer walks by write-back or ADD/SUB #imm). */
struct mem_read {
    struct mem_operand mem;    /* the load's; for a literal only bytes is used */
    uint32_t literal;          /* a literal's address */
    int32_t base_delta;        /* base now = its value at block entry + base_delta */
};

struct block_mem {
    uint64_t fetch_fills;      /* ic.fills + 1 when the code was last seen resident */
    uint32_t code_lo, code_hi; /* instruction bytes to fetch through the cache (hi < lo: none) */
    uint16_t n_reads;
    uint8_t n_regs;
    uint8_t fetch_resident_ok; /* the block's lines cannot evict each other */
    int reg_ids[15];           /* Unicorn ids of the registers to read */
    uint8_t reg_of[15];        /* register number -> slot in the values read */
    struct mem_read reads[];
};

/* LDRD/STRD through a register as the flash-read model has always seen
 * them, kept so that cycle counts stay what they were: the read is charged
 * at the base address (the offset is dropped) and write-back moves the
 * base by +8, whatever the offset.  docs/cycle-model.md ("Flash data
 * reads") lists this among the approximations. */
static struct mem_operand doubleword_as_modelled(const struct insn_facts *f)
{
    struct mem_operand m = f->mem;
    if (f->id == ARM_INS_LDRD || f->id == ARM_INS_STRD) {
        m.post_indexed = m.writeback; /* with the offset 0, at the base either way */
        m.disp = m.writeback ? 8 : 0;
    }
    return m;
}

/* What a block's instructions did to each register so far: known[r] when
 * r still equals its value at block entry plus delta[r]. */
struct reg_track {
    bool known[16];
    int32_t delta[16];
};

static void track_init(struct reg_track *rt)
{
    for (int r = 0; r < 16; r++) {
        rt->known[r] = r != 15;
        rt->delta[r] = 0;
    }
}

/* Updates the register knowledge after instruction f. */
static void track_after(struct reg_track *rt, const struct insn_facts *f)
{
    uint16_t written = f->regs_written;
    struct mem_operand m = doubleword_as_modelled(f);
    int base = m.base;
    /* Pointer walks: writeback by a load/store with an immediate offset. */
    if (f->lsu != LSU_NONE && m.writeback && base >= 0 && base < 15 && m.index < 0) {
        rt->delta[base] += mem_writeback_step(&m);
        written &= (uint16_t)~(1u << base);
    }
    /* ADD/SUB Rd, Rd, #imm keeps Rd known. */
    if ((f->id == ARM_INS_ADD || f->id == ARM_INS_SUB) && !f->in_it && f->has_imm && f->rd >= 0 &&
        f->rd == f->rn && f->rd < 15 && rt->known[f->rd]) {
        uint32_t imm = (uint32_t)f->imm;
        rt->delta[f->rd] += (int32_t)(f->id == ARM_INS_ADD ? imm : 0u - imm);
        written &= (uint16_t)~(1u << f->rd);
    }
    for (int r = 0; r < 16; r++)
        if (written & (1u << r))
            rt->known[r] = false;
}

/* Adds the data reads from flash that f makes, if any, to m.  Literal
 * loads have fixed addresses; loads through registers are tracked only
 * when the board asks for it (flash_data_reads). */
static void note_reads(const struct timing *t, const struct insn_facts *f, const struct reg_track *rt,
                       struct mem_read *reads, uint16_t *n, uint16_t *regs)
{
    const struct mem_operand *m = &f->mem;
    if (!f->is_load || m->base < 0 || f->id == ARM_INS_POP || f->id == ARM_INS_VPOP)
        return;
    struct mem_read r = {.mem = doubleword_as_modelled(f)};
    if (m->base == 15) {
        if (f->lsu == LSU_TABLE)
            return; /* TBB/TBH tables sit right after the branch: fetched with the code */
        uint32_t lit = mem_address(m, mem_pc_value(f->addr), 0);
        if (!timing_in_flash(t, lit))
            return;
        r.mem.base = -1;
        r.literal = lit;
    } else {
        if (!t->bt.flash_data_reads || m->base == 13 || !rt->known[m->base])
            return;
        if (m->index >= 0 && (m->index >= 15 || !rt->known[m->index] || rt->delta[m->index] != 0))
            return;
        r.base_delta = rt->delta[m->base];
        *regs |= (uint16_t)(1u << m->base);
        if (m->index >= 0)
            *regs |= (uint16_t)(1u << m->index);
    }
    reads[(*n)++] = r;
}

/* Extra cycles of the data reads that must be decided per execution. */
static uint32_t flash_read_cycles(struct timing *t, uint32_t addr, uint32_t bytes)
{
    if (!timing_in_flash(t, addr) || !bytes)
        return 0;
    if (t->dc.tags)
        return cache_access(&t->dc, addr, addr + bytes - 1) * t->dc.miss_cycles;
    if (t->unified)
        return cache_access(&t->ic, addr, addr + bytes - 1) * t->ic.miss_cycles;
    uint32_t sh = t->flash_line_shift;
    return (((addr + bytes - 1) >> sh) - (addr >> sh) + 1) * t->bt.flash_wait_states;
}

/* Samples the registers and charges the block's flash data reads. */
static __attribute__((noinline)) uint32_t sample_reads(struct timing *t, uc_engine *uc,
                                                       const struct block_mem *m, bool *reads_flash)
{
    uint32_t vals[15];
    if (m->n_regs) {
        void *ptrs[15];
        for (int i = 0; i < m->n_regs; i++)
            ptrs[i] = &vals[i];
        uc_reg_read_batch(uc, (int *)m->reg_ids, ptrs, m->n_regs);
    }
    uint32_t c = 0;
    bool in_flash = false;
    for (int i = 0; i < m->n_reads; i++) {
        const struct mem_read *r = &m->reads[i];
        if (r->mem.base < 0) {
            c += flash_read_cycles(t, r->literal, r->mem.bytes);
            continue;
        }
        uint32_t base = vals[m->reg_of[r->mem.base]] + (uint32_t)r->base_delta;
        uint32_t index = r->mem.index >= 0 ? vals[m->reg_of[r->mem.index]] : 0;
        uint32_t addr = mem_address(&r->mem, base, index);
        c += flash_read_cycles(t, addr, r->mem.bytes);
        in_flash |= timing_in_flash(t, addr); /* literals have fixed addresses */
    }
    *reads_flash = in_flash;
    return c;
}

uint32_t timing_block_run(struct timing *t, uc_engine *uc, struct sim_block *b)
{
    struct block_mem *m = b->mem_timing;
    uint32_t c = 0;
    /* The code's residency changes only with instruction-cache fills. */
    if (m->code_hi >= m->code_lo && m->fetch_fills != t->ic.fills + 1) {
        c += cache_access(&t->ic, m->code_lo, m->code_hi) * t->ic.miss_cycles;
        if (m->fetch_resident_ok)
            m->fetch_fills = t->ic.fills + 1;
    }
    bool reads_flash = false;
    uint32_t rc = 0;
    if (m->n_reads) {
        rc = sample_reads(t, uc, m, &reads_flash);
        c += rc;
    }
    /* Settled until the epoch changes (a fill of either cache, or
     * timing_tick()): every line is resident now and hits leave a
     * round-robin cache unchanged, and the register loads read RAM only
     * (the block costs nothing more) or uncached flash (it costs the wait
     * states sampled now, mem_charge).  Register loads that read flash
     * through a data cache are evaluated at every execution, exactly. */
    bool resident = m->fetch_resident_ok || m->code_hi < m->code_lo;
    bool cached = t->dc.tags || t->unified;
    if (resident && (cached ? !reads_flash && rc == 0 : true)) {
        /* Uncached flash reads cost the same while the sampled addresses
         * stay in flash: settled with that charge.  Through a cache, only
         * hits (literals) settle: a miss has started a new epoch. */
        b->mem_epoch = *t->epoch;
        b->mem_charge = cached ? 0 : rc;
    }
    return c;
}

unsigned timing_div_early_termination(bool is_signed, uint32_t rn, uint32_t rm)
{
    uint32_t n = rn, d = rm;
    if (is_signed) {
        n = (int32_t)rn < 0 ? 0u - rn : rn;
        d = (int32_t)rm < 0 ? 0u - rm : rm;
    }
    if (d == 0 || n < d)
        return 2;
    unsigned qbits = (unsigned)(__builtin_clz(d) - __builtin_clz(n)) + 1;
    unsigned c = 1 + (qbits + 2) / 3;
    return c < 2 ? 2 : c > 12 ? 12 : c;
}

void timing_tick(struct timing *t)
{
    *t->epoch = *t->epoch + 1 ? *t->epoch + 1 : 1;
}

void timing_bind_epoch(struct timing *t, uint32_t *epoch)
{
    *epoch = *t->epoch;
    t->epoch = epoch;
    if (t->ic.tags)
        t->ic.epoch = epoch;
    if (t->dc.tags)
        t->dc.epoch = epoch;
}

void timing_block_free(struct sim_block *b)
{
    free(b->mem_timing);
    b->mem_timing = NULL;
}

/* Builds the block's run-time memory timing; NULL (and 0) when the block
 * needs none.  Returns -1 when out of memory. */
static int build_block_mem(struct timing *t, struct sim_block *b, const struct insn_facts *facts,
                           size_t n, uint32_t *static_cycles, uint32_t *prefix_extra)
{
    struct mem_read *reads = malloc((n ? n : 1) * sizeof *reads);
    if (!reads)
        return -1;
    struct reg_track rt;
    track_init(&rt);
    uint16_t n_reads = 0, regs = 0;
    bool cached_data = t->dc.tags || t->unified;
    for (size_t i = 0; i < n; i++) {
        const struct insn_facts *f = &facts[i];
        uint16_t before = n_reads;
        note_reads(t, f, &rt, reads, &n_reads, &regs);
        /* Literal loads from uncached flash cost their wait states every
         * time: charged statically, so mid-block CYCCNT reads see them. */
        if (n_reads > before && reads[before].mem.base < 0 && !cached_data) {
            uint32_t lit = reads[before].literal;
            uint32_t line = t->bt.flash_line_bytes;
            uint32_t ws = ((lit + reads[before].mem.bytes - 1) / line - lit / line + 1) * t->bt.flash_wait_states;
            *static_cycles += ws;
            for (size_t k = i + 1; k <= n; k++)
                prefix_extra[k] += ws;
            n_reads = before;
        }
        track_after(&rt, f);
    }
    bool fetch = t->ic.tags && n && timing_in_flash(t, b->addr);
    if (!fetch && !n_reads) {
        free(reads);
        b->mem_timing = NULL;
        b->has_mem_timing = 0;
        return 0;
    }
    struct block_mem *m = calloc(1, sizeof *m + n_reads * sizeof *reads);
    if (!m) {
        free(reads);
        return -1;
    }
    m->code_lo = 1;
    m->code_hi = 0;
    if (fetch) {
        m->code_lo = b->addr;
        m->code_hi = b->addr + b->size - 1;
        uint32_t lines = (m->code_hi >> t->ic.line_shift) - (m->code_lo >> t->ic.line_shift) + 1;
        m->fetch_resident_ok = lines <= t->ic.sets;
    }
    memcpy(m->reads, reads, n_reads * sizeof *reads);
    b->has_mem_timing = 1;
    b->mem_epoch = 0;
    m->n_reads = n_reads;
    for (int r = 0; r < 15; r++) {
        if (regs & (1u << r)) {
            m->reg_of[r] = m->n_regs;
            m->reg_ids[m->n_regs++] = core_reg_uc_ids[r];
        }
    }
    free(reads);
    b->mem_timing = m;
    return 0;
}

int timing_block(struct timing *t, struct insn_facts *facts, size_t n, struct sim_block *b,
                 struct timing_dyn *dyn, int max_dyn)
{
    b->n_insns = (uint32_t)n;
    b->insn_addr = malloc((n ? n : 1) * sizeof *b->insn_addr);
    b->insn_class = malloc(n ? n : 1);
    b->prefix_cycles = calloc(n + 1, sizeof *b->prefix_cycles);
    if (!b->insn_addr || !b->insn_class || !b->prefix_cycles)
        return -1;
    memset(b->class_count, 0, sizeof b->class_count);
    b->has_fp = 0;

    int n_dyn = 0;
    uint32_t total = 0;
    for (size_t i = 0; i < n; i++) {
        struct insn_facts *f = &facts[i];
        struct timing_dyn d = {.kind = DYN_NONE};
        unsigned c = t->core->cost(t, f, i ? &facts[i - 1] : NULL, &d);
        if (d.kind != DYN_NONE && n_dyn < max_dyn) {
            d.addr = f->addr;
            dyn[n_dyn++] = d;
        }
        b->insn_addr[i] = f->addr;
        b->insn_class[i] = f->cls;
        b->class_count[f->cls]++;
        if (f->fp_touch)
            b->has_fp = 1;
        b->prefix_cycles[i] = total;
        total += c;
    }
    b->prefix_cycles[n] = total;
    if (build_block_mem(t, b, facts, n, &total, b->prefix_cycles))
        return -1;
    b->cycles = total;
    b->end = n ? classify_end(&facts[n - 1]) : END_FALLTHROUGH;
    b->taken_cycles = n && t->core->taken ? t->core->taken(t, &facts[n - 1]) : 0;
    b->refill = n ? t->core->refill(t, &facts[0]) : 0;

    /* Flash without an instruction cache: the prefetch buffer streams
     * sequential lines, so only the first line after a jump waits (added
     * to the refill of a taken branch). */
    if (n && timing_in_flash(t, b->addr) && !t->ic.tags)
        b->refill += t->bt.flash_wait_states;
    return n_dyn;
}

uint32_t timing_dyn_cost(const struct timing *t, const struct timing_dyn *site, uint32_t rn_value,
                         uint32_t rm_value)
{
    if (site->kind == DYN_EXECUTED)
        return site->extra;
    unsigned c = t->core->div_cycles(t, site->kind == DYN_SDIV, rn_value, rm_value);
    return c > site->extra ? c - site->extra : 0;
}

uint32_t timing_exception_entry(const struct timing *t, bool fp_context)
{
    return fp_context ? t->core->exc_entry_fp : t->core->exc_entry;
}

uint32_t timing_exception_return(const struct timing *t, bool fp_context)
{
    return fp_context ? t->core->exc_return_fp : t->core->exc_return;
}
