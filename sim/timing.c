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
#include "timing_track.h"

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
    /* An access's alignment is its address's low two bits: the penalty
     * depends on nothing else. */
    for (uint32_t a = 0; t->core->unaligned && a < 4; a++) {
        t->unaligned_pen[0][a] = (uint8_t)t->core->unaligned(a, 2);
        t->unaligned_pen[1][a] = (uint8_t)t->core->unaligned(a, 4);
    }
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

/* A memory access whose cost is decided when the block runs: a data read
 * from flash (a literal at a fixed address, mem.base < 0, or a load
 * through registers), or a word or halfword access through registers
 * whose alignment is not known before the block runs.  Its base and index
 * are values the tracker knows (timing_track.h) in terms of locations
 * sampled at the block's entry (or, for the checks made at its exit, at
 * its exit). */
enum { CHECK_FLASH = 1, CHECK_ALIGN = 2 };

struct mem_read {
    struct mem_operand mem;    /* the access's; for a literal only bytes is used */
    uint32_t literal;          /* a literal's address */
    uint32_t insn_addr;        /* the accessing instruction */
    struct track_value base, index; /* index: when mem.index >= 0 */
    uint8_t check;             /* CHECK_FLASH | CHECK_ALIGN */
    uint8_t direct;            /* base and index are sampled locations moved by steps */
    uint8_t base_slot, index_slot; /* their places in the values sampled */
};

/* The locations a set of checks samples, read in one batch. */
struct reg_sample {
    uint8_t n;
    uint8_t slot[TRACK_LOCS];  /* location -> index in the values read */
    int ids[TRACK_LOCS];       /* Unicorn ids of the locations to read */
};

struct block_mem {
    uint64_t fetch_fills;      /* ic.fills + 1 when the code was last seen resident */
    uint32_t code_lo, code_hi; /* instruction bytes to fetch through the cache (hi < lo: none) */
    uint16_t n_reads;          /* checks at entry: reads[0 .. n_reads - 1] */
    uint16_t n_exit;           /* alignment checks at exit: reads[n_reads ..] */
    uint8_t fetch_resident_ok; /* the block's lines cannot evict each other */
    uint8_t n_align;           /* checks at entry with CHECK_ALIGN */
    uint8_t align_stable;      /* a repeat of the block keeps its entry alignments */
    uint8_t repeat_ok;         /* last_reads may be reused on a repeat */
    uint8_t n_stores;          /* stores[] the checks' guards refer to */
    uint32_t flash_epoch;      /* epoch in which the flash part was last settled, 0: never */
    uint32_t last_reads;       /* the entry checks' charge at the last evaluation */
    struct reg_sample entry, exit;
    struct store_rec *stores;  /* in the same allocation, after reads[] */
    struct mem_read reads[];
};

/* A load or store that may be unaligned: the single word and halfword
 * accesses ARMv7-M allows at any address (LDR, LDRH, LDRSH, STR, STRH and
 * their unprivileged forms).  Exclusives, doublewords, lists and FP
 * transfers fault when unaligned, bytes never are. */
static bool may_be_unaligned(const struct timing *t, const struct insn_facts *f)
{
    return t->core->unaligned && (f->lsu == LSU_LOAD || (f->lsu == LSU_STORE && !t->core->unaligned_loads_only)) &&
           !f->exclusive && f->mem.bytes >= 2 && f->mem.base >= 0;
}

/* The locations a value needs sampled: its source (unless it is a literal's
 * word) and the sources of the stores its guard compares with. */
static uint64_t value_locs(const struct track_value *v, const struct reg_track *rt)
{
    uint64_t locs = v->loaded && v->src == 15 ? 0 : 1ull << v->src;
    for (int i = 0; i < rt->n_stores; i++)
        if (v->guard & (1ull << i))
            locs |= 1ull << rt->stores[i].src;
    return locs;
}

/* Whether the access's base (and index) are known: with self, each must
 * be its own starting value moved by a step, what the flash-read model
 * follows (an index not even moved). */
static bool computable(const struct mem_operand *m, const struct reg_track *rt, bool self)
{
    if (m->base == 15 || !track_value(rt, m->base) || (self && !track_self(rt, m->base)))
        return false;
    if (m->index < 0)
        return true;
    const struct track_value *x = track_value(rt, m->index);
    if (!x || x->loaded)
        return false;
    return !self || (track_self(rt, m->index) && x->delta == 0);
}

/* The check of f's address with what rt knows; its locations join *locs. */
static struct mem_read make_check(const struct insn_facts *f, const struct reg_track *rt, uint8_t check,
                                  uint64_t *locs)
{
    struct mem_read r = {.mem = f->mem, .insn_addr = f->addr, .check = check};
    r.base = *track_value(rt, f->mem.base);
    *locs |= value_locs(&r.base, rt);
    if (f->mem.index >= 0) {
        r.index = *track_value(rt, f->mem.index);
        *locs |= value_locs(&r.index, rt);
    }
    return r;
}

/* Adds the checks at block entry f needs, if any, to reads[]: a data read
 * from flash (literals have fixed addresses; loads through registers are
 * tracked only when the board asks for it, flash_data_reads) and an
 * alignment check. */
static void note_reads(const struct timing *t, const struct insn_facts *f, const struct reg_track *rt,
                       bool align, struct mem_read *reads, uint16_t *n, uint64_t *locs)
{
    const struct mem_operand *m = &f->mem;
    uint8_t check = align ? CHECK_ALIGN : 0;
    if (f->is_load && m->base >= 0 && f->id != ARM_INS_POP && f->id != ARM_INS_VPOP) {
        if (m->base == 15) {
            /* TBB/TBH tables sit right after the branch: fetched with the code */
            uint32_t lit = mem_address(m, mem_pc_value(f->addr), 0);
            if (f->lsu != LSU_TABLE && timing_in_flash(t, lit))
                reads[(*n)++] = (struct mem_read){
                    .mem = {.base = -1, .index = -1, .bytes = m->bytes}, .literal = lit,
                    .insn_addr = f->addr, .check = CHECK_FLASH,
                };
            return;
        }
        if (t->bt.flash_data_reads && m->base != 13 && computable(m, rt, true))
            check |= CHECK_FLASH;
    }
    if (check)
        reads[(*n)++] = make_check(f, rt, check, locs);
}

/* An alignment check of facts[i] made with the registers at the block's
 * exit: possible when every later instruction (and facts[i] itself, by
 * write-back) moves its base and index only by known steps. */
static bool note_exit_check(const struct insn_facts *facts, size_t i, size_t n, struct mem_read *r,
                            uint64_t *locs)
{
    const struct insn_facts *f = &facts[i];
    const struct mem_operand *m = &f->mem;
    struct reg_track rt;
    track_init(&rt);
    for (size_t k = i; k < n; k++)
        track_after(&rt, &facts[k]);
    if (!track_self(&rt, m->base) || (m->index >= 0 && !track_self(&rt, m->index)))
        return false;
    *r = (struct mem_read){.mem = *m, .insn_addr = f->addr, .check = CHECK_ALIGN};
    r->base = (struct track_value){.src = (uint8_t)m->base, .delta = -rt.v[m->base].delta};
    *locs |= 1ull << m->base;
    if (m->index >= 0) {
        r->index = (struct track_value){.src = (uint8_t)m->index, .delta = -rt.v[m->index].delta};
        *locs |= 1ull << m->index;
    }
    return true;
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

/* Reads the locations of a sample set. */
static void read_sample(uc_engine *uc, const struct reg_sample *rs, uint32_t *vals)
{
    if (!rs->n)
        return;
    void *ptrs[TRACK_LOCS];
    for (int i = 0; i < rs->n; i++)
        ptrs[i] = &vals[i];
    uc_reg_read_batch(uc, (int *)rs->ids, ptrs, rs->n);
}

/* A tracked value from the sampled locations.  False when it is a word
 * that a store of the block writes before it is loaded. */
static bool value_now(uc_engine *uc, const struct block_mem *m, const struct track_value *v,
                      const struct reg_sample *rs, const uint32_t *vals, uint32_t *out)
{
    if (!v->loaded) {
        *out = vals[rs->slot[v->src]] + (uint32_t)v->delta;
        return true;
    }
    uint32_t at = (v->src == 15 ? 0 : vals[rs->slot[v->src]]) + (uint32_t)v->off;
    for (int i = 0; i < m->n_stores; i++) {
        const struct store_rec *st = &m->stores[i];
        uint32_t lo = vals[rs->slot[st->src]] + (uint32_t)st->lo;
        if ((v->guard & (1ull << i)) && (lo - at < 4u || at - lo < st->bytes))
            return false;
    }
    uint32_t word = 0;
    if (uc_mem_read(uc, at, &word, 4) != UC_ERR_OK)
        return false;
    *out = word + (uint32_t)v->delta;
    return true;
}

/* The address of a direct check: no loaded word, no store to compare. */
static inline uint32_t direct_address(const struct mem_read *r, const uint32_t *vals)
{
    uint32_t base = vals[r->base_slot] + (uint32_t)r->base.delta;
    uint32_t index = vals[r->index_slot] + (uint32_t)r->index.delta;
    return mem_address(&r->mem, base, index);
}

/* The unaligned penalty of an access of bytes (2 or 4) at addr. */
static inline uint32_t unaligned_cycles(const struct timing *t, uint32_t addr, uint32_t bytes)
{
    return t->unaligned_pen[bytes == 4][addr & 3];
}

/* The address of a check from the sampled locations; false when it
 * cannot be known (see value_now): the check is then not made. */
static inline bool check_address(uc_engine *uc, const struct block_mem *m, const struct mem_read *r,
                          const struct reg_sample *rs, const uint32_t *vals, uint32_t *addr)
{
    uint32_t base, index = 0;
    if (!value_now(uc, m, &r->base, rs, vals, &base) ||
        (r->mem.index >= 0 && !value_now(uc, m, &r->index, rs, vals, &index)))
        return false;
    *addr = mem_address(&r->mem, base, index);
    return true;
}

/* Samples the registers and charges the block's flash data reads and
 * unaligned accesses checked at entry; *flash_cycles gets the part due
 * to flash. */
static __attribute__((noinline)) uint32_t sample_reads(struct timing *t, uc_engine *uc,
                                                       const struct block_mem *m, bool *reads_flash,
                                                       uint32_t *flash_cycles)
{
    uint32_t vals[TRACK_LOCS];
    read_sample(uc, &m->entry, vals);
    uint32_t c = 0, align = 0;
    bool in_flash = false;
    for (int i = 0; i < m->n_reads; i++) {
        const struct mem_read *r = &m->reads[i];
        if (r->mem.base < 0) {
            c += flash_read_cycles(t, r->literal, r->mem.bytes);
            continue;
        }
        uint32_t addr;
        if (r->direct)
            addr = direct_address(r, vals);
        else if (!check_address(uc, m, r, &m->entry, vals, &addr))
            continue;
        if (r->check & CHECK_FLASH) {
            c += flash_read_cycles(t, addr, r->mem.bytes);
            in_flash |= timing_in_flash(t, addr); /* literals have fixed addresses */
        }
        if (r->check & CHECK_ALIGN)
            align += unaligned_cycles(t, addr, r->mem.bytes);
    }
    *reads_flash = in_flash;
    *flash_cycles = c;
    return c + align;
}

uint32_t timing_block_exit(struct timing *t, uc_engine *uc, const struct sim_block *b)
{
    const struct block_mem *m = b->mem_timing;
    uint32_t vals[TRACK_LOCS];
    read_sample(uc, &m->exit, vals);
    uint32_t c = 0;
    for (int i = m->n_reads; i < m->n_reads + m->n_exit; i++) {
        const struct mem_read *r = &m->reads[i];
        uint32_t addr;
        if (r->direct)
            addr = direct_address(r, vals);
        else if (!check_address(uc, m, r, &m->exit, vals, &addr))
            continue;
        c += unaligned_cycles(t, addr, r->mem.bytes);
    }
    return c;
}

bool timing_block_checks(const struct sim_block *b, uint32_t insn_addr)
{
    const struct block_mem *m = b->mem_timing;
    if (!m)
        return false;
    for (int i = 0; i < m->n_reads + m->n_exit; i++)
        if (m->reads[i].insn_addr == insn_addr && (m->reads[i].check & CHECK_ALIGN))
            return true;
    return false;
}

uint32_t timing_block_run(struct timing *t, uc_engine *uc, struct sim_block *b, bool repeat)
{
    struct block_mem *m = b->mem_timing;
    uint32_t c = 0;
    /* The code's residency changes only with instruction-cache fills. */
    if (m->code_hi >= m->code_lo && m->fetch_fills != t->ic.fills + 1) {
        c += cache_access(&t->ic, m->code_lo, m->code_hi) * t->ic.miss_cycles;
        if (m->fetch_resident_ok)
            m->fetch_fills = t->ic.fills + 1;
    }
    if (!m->n_reads)
        goto settle;
    /* A loop's block running again after itself, every register its
     * alignment checks read moved by a multiple of 4 since: the same
     * alignments, and while the flash part is settled the same charge. */
    if (repeat && m->repeat_ok && m->flash_epoch == *t->epoch)
        return c + m->last_reads;
    bool reads_flash = false;
    uint32_t rc = 0;
    m->last_reads = sample_reads(t, uc, m, &reads_flash, &rc);
    c += m->last_reads;
    /* Settled until the epoch changes (a fill of either cache, or
     * timing_tick()): every line is resident now and hits leave a
     * round-robin cache unchanged, and the register loads read RAM only
     * (the block costs nothing more) or uncached flash (it costs the wait
     * states sampled now, mem_charge).  Register loads that read flash
     * through a data cache are evaluated at every execution, exactly.
     * Blocks with alignment checks are evaluated at every execution too,
     * but for their loops' repeats. */
    bool resident = m->fetch_resident_ok || m->code_hi < m->code_lo;
    bool cached = t->dc.tags || t->unified;
    bool flash_settled = resident && (cached ? !reads_flash && rc == 0 : true);
    m->flash_epoch = flash_settled ? *t->epoch : 0;
    m->repeat_ok = m->align_stable;
    if (m->n_align || !flash_settled)
        return c;
    /* Uncached flash reads cost the same while the sampled addresses
     * stay in flash: settled with that charge.  Through a cache, only
     * hits (literals) settle: a miss has started a new epoch. */
    b->mem_epoch = *t->epoch;
    b->mem_charge = cached ? 0 : rc;
    return c;
settle:
    if (m->fetch_resident_ok || m->code_hi < m->code_lo) {
        b->mem_epoch = *t->epoch;
        b->mem_charge = 0;
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

/* The unaligned penalty of an access whose address's low bits are known
 * when the block is decoded: SP-relative (SP is always word-aligned on
 * ARMv7-M) or a PC-relative literal.  -1 when they are not known. */
static int static_unaligned(const struct timing *t, const struct insn_facts *f)
{
    const struct mem_operand *m = &f->mem;
    if (m->index >= 0)
        return -1;
    if (m->base == 15)
        return (int)t->core->unaligned(mem_address(m, mem_pc_value(f->addr), 0), m->bytes);
    if (m->base == 13)
        return (int)t->core->unaligned(mem_address(m, 0, 0), m->bytes);
    return -1;
}

/* Whether f is an aligned access through a copy of SP moved by a known
 * step (ADD Rd, SP, #imm; a frame pointer): SP is word-aligned, so its
 * alignment is known from the code.  Only an aligned one is settled here:
 * a penalty stays with the run-time check, which charges it where the
 * block's cycle-counter reads expect it. */
static bool stack_aligned(const struct timing *t, const struct insn_facts *f, const struct reg_track *rt)
{
    const struct track_value *v = track_value(rt, f->mem.base);
    if (f->mem.index >= 0 || !v || v->loaded || v->src != 13)
        return false;
    return t->core->unaligned(mem_address(&f->mem, (uint32_t)v->delta, 0), f->mem.bytes) == 0;
}

/* Makes f a DYN_ALIGN site: its own, or the DYN_EXECUTED site the cost
 * table gave it (an IT-conditional access costing more than 1), which
 * then adds its extra cycles too. */
static void add_align_site(const struct insn_facts *f, struct timing_dyn *dyn, int *n_dyn, int max_dyn)
{
    struct timing_dyn *d = NULL;
    for (int k = 0; k < *n_dyn && !d; k++)
        if (dyn[k].addr == f->addr)
            d = &dyn[k];
    if (!d) {
        if (*n_dyn >= max_dyn)
            return;
        d = &dyn[(*n_dyn)++];
        *d = (struct timing_dyn){.addr = f->addr};
    }
    d->kind = DYN_ALIGN;
    d->mem = f->mem;
}

/* The locations of a set of checks, in one batch. */
static void sample_set(struct reg_sample *rs, uint64_t locs)
{
    rs->n = 0;
    for (int loc = 0; loc < TRACK_LOCS; loc++) {
        if (locs & (1ull << loc)) {
            rs->slot[loc] = rs->n;
            rs->ids[rs->n++] = loc < 15 ? core_reg_uc_ids[loc] : UC_ARM_REG_S0 + (loc - TRACK_S0);
        }
    }
}

/* Marks a check direct when its base and index are sampled locations
 * moved by steps (the common case), with their places in the sample. */
static void settle_slots(struct mem_read *r, const struct reg_sample *rs)
{
    if (r->mem.base < 0 || r->base.loaded || (r->mem.index >= 0 && r->index.loaded))
        return;
    r->base_slot = rs->slot[r->base.src];
    /* No index: slot 0 with delta 0, which mem_address ignores. */
    r->index_slot = r->mem.index >= 0 ? rs->slot[r->index.src] : 0;
    r->direct = 1;
}

/* Whether a repeat of the block keeps the alignment of an entry check:
 * its value is a location's own starting value moved by a step, and the
 * block moves that location by a multiple of 4 (scaled for an index). */
static bool repeat_keeps(const struct track_value *v, const struct reg_track *end, unsigned shift)
{
    if (v->loaded || !end->known[v->src])
        return false;
    const struct track_value *e = &end->v[v->src];
    return !e->loaded && e->src == v->src && ((uint32_t)e->delta << shift) % 4 == 0;
}

/* Builds the block's run-time memory timing; NULL (and 0) when the block
 * needs none.  Costs known from the code alone (literals from uncached
 * flash, unaligned SP-relative accesses) are added to *static_cycles and
 * the prefix sums instead.  Each word or halfword access through
 * registers is checked for alignment with the registers at the block's
 * entry when its address follows from them, else at the block's exit when
 * it follows from those, else (an IT block may skip it, or its base is
 * lost) by a dynamic site.  Returns -1 when out of memory. */
static int build_block_mem(struct timing *t, struct sim_block *b, const struct insn_facts *facts,
                           size_t n, uint32_t *static_cycles, uint32_t *prefix_extra,
                           struct timing_dyn *dyn, int *n_dyn, int max_dyn)
{
    struct mem_read *reads = malloc((n ? n : 1) * sizeof *reads);
    struct mem_read *exits = malloc((n ? n : 1) * sizeof *exits);
    struct reg_track *rt = malloc(sizeof *rt);
    if (!reads || !exits || !rt) {
        free(reads);
        free(exits);
        free(rt);
        return -1;
    }
    track_init(rt);
    uint16_t n_reads = 0, n_exit = 0;
    uint64_t locs = 0, exit_locs = 0;
    uint8_t n_align = 0;
    bool cached_data = t->dc.tags || t->unified;
    for (size_t i = 0; i < n; i++) {
        const struct insn_facts *f = &facts[i];
        uint32_t extra = 0;
        bool align = false;
        if (may_be_unaligned(t, f)) {
            int known = static_unaligned(t, f);
            if (known >= 0 && (known == 0 || !f->in_it))
                extra += (uint32_t)known;
            else if (f->in_it)
                add_align_site(f, dyn, n_dyn, max_dyn); /* charged only if it executes */
            else if (stack_aligned(t, f, rt))
                ; /* nothing to check at run time */
            else if (computable(&f->mem, rt, false) && n_align < UINT8_MAX)
                align = true;
            else if (note_exit_check(facts, i, n, &exits[n_exit], &exit_locs))
                n_exit++;
            else
                add_align_site(f, dyn, n_dyn, max_dyn);
        }
        uint16_t before = n_reads;
        note_reads(t, f, rt, align, reads, &n_reads, &locs);
        n_align += align;
        /* Literal loads from uncached flash cost their wait states every
         * time: charged statically, so mid-block CYCCNT reads see them. */
        if (n_reads > before && reads[before].mem.base < 0 && !cached_data) {
            uint32_t lit = reads[before].literal;
            uint32_t line = t->bt.flash_line_bytes;
            extra += ((lit + reads[before].mem.bytes - 1) / line - lit / line + 1) * t->bt.flash_wait_states;
            n_reads = before;
        }
        if (extra) {
            *static_cycles += extra;
            for (size_t k = i + 1; k <= n; k++)
                prefix_extra[k] += extra;
        }
        track_after(rt, f);
    }
    bool fetch = t->ic.tags && n && timing_in_flash(t, b->addr);
    b->exit_checks = n_exit > 0;
    struct block_mem *m = NULL;
    if (fetch || n_reads || n_exit)
        m = calloc(1, sizeof *m + (n_reads + n_exit) * sizeof *reads + rt->n_stores * sizeof *rt->stores);
    if (m) {
        m->code_lo = 1;
        m->code_hi = 0;
        if (fetch) {
            m->code_lo = b->addr;
            m->code_hi = b->addr + b->size - 1;
            uint32_t lines = (m->code_hi >> t->ic.line_shift) - (m->code_lo >> t->ic.line_shift) + 1;
            m->fetch_resident_ok = lines <= t->ic.sets;
        }
        memcpy(m->reads, reads, n_reads * sizeof *reads);
        memcpy(m->reads + n_reads, exits, n_exit * sizeof *exits);
        m->n_reads = n_reads;
        m->n_exit = n_exit;
        m->n_align = n_align;
        m->stores = (struct store_rec *)(m->reads + n_reads + n_exit);
        m->n_stores = rt->n_stores;
        memcpy(m->stores, rt->stores, rt->n_stores * sizeof *rt->stores);
        /* Blocks whose entry checks are all flash reads are settled by
         * epoch (timing_block_run); with alignment checks at entry a block
         * is evaluated at every execution, but when it runs again right
         * after itself and keeps every checked alignment the charge is
         * the same. */
        m->align_stable = 1;
        for (int i = 0; i < n_reads; i++) {
            const struct mem_read *r = &reads[i];
            if ((r->check & CHECK_ALIGN) &&
                (!repeat_keeps(&r->base, rt, 0) || (r->mem.index >= 0 && !repeat_keeps(&r->index, rt, r->mem.shift))))
                m->align_stable = 0;
        }
        sample_set(&m->entry, locs);
        sample_set(&m->exit, exit_locs);
        for (int i = 0; i < n_reads + n_exit; i++)
            settle_slots(&m->reads[i], i < n_reads ? &m->entry : &m->exit);
    }
    free(reads);
    free(exits);
    free(rt);
    if ((fetch || n_reads || n_exit) && !m)
        return -1;
    b->mem_timing = m;
    b->has_mem_timing = fetch || n_reads;
    b->mem_epoch = 0;
    return 0;
}

/* Runs of 32-bit instructions at addresses = 2 (mod 4), fetched from
 * flash: a run of unaligned_wide_run or more (one more when every one is a
 * single store) costs one cycle, charged after the run.  A run is cut at
 * the block's end. */
static void charge_unaligned_wide_runs(const struct timing *t, const struct insn_facts *facts, size_t n,
                                       struct sim_block *b, uint32_t *total)
{
    unsigned min = t->core->unaligned_wide_run;
    if (!min || !n || !timing_in_flash(t, b->addr))
        return;
    unsigned run = 0;
    bool stores = true;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && facts[i].size == 4 && (facts[i].addr & 2)) {
            run++;
            stores &= facts[i].lsu == LSU_STORE;
            continue;
        }
        if (run >= min + (stores ? 1u : 0u)) {
            (*total)++;
            for (size_t k = i; k <= n; k++)
                b->prefix_cycles[k]++;
        }
        run = 0;
        stores = true;
    }
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
    charge_unaligned_wide_runs(t, facts, n, b, &total);
    if (build_block_mem(t, b, facts, n, &total, b->prefix_cycles, dyn, &n_dyn, max_dyn))
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
    if (site->kind == DYN_ALIGN)
        return site->extra + t->core->unaligned(mem_address(&site->mem, rn_value, rm_value), site->mem.bytes);
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
