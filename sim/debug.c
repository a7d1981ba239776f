/*
 * debug.c — stopping, stepping and inspecting the firmware for a debugger
 * (debug.h) without changing anything the simulation measures.
 *
 * The cycle model and the observer account per basic block, as Unicorn
 * translates blocks when nothing interrupts them: a block's costs are
 * settled when the next block starts, its memory timing is evaluated once
 * when it starts, interrupts are taken between blocks.  A debugger that
 * stops inside a block must not change any of that, so a stop never ends
 * the block it falls in:
 *
 *   - Stops are taken only before an instruction executes: from a code
 *     hook on that instruction (a breakpoint, the next instruction of a
 *     step, any instruction while a watchpoint exists: one whose load or
 *     store, computed from the registers, reaches a watched range stops
 *     before it, which is what GDB expects on Arm) or from the block
 *     hook before the block's first one (an interrupt request, a step off
 *     the end of a block; Unicorn then leaves the previous block's PC, so
 *     the block's address is written back).  Unicorn stops cleanly there
 *     and nowhere else:
 *     from a memory hook it leaves the PC of the last hooked instruction
 *     behind and would run instructions twice on resuming, so a watched
 *     access that was not foreseen (inside an IT block) only notes the hit
 *     and the next instruction stops; inside an
 *     IT block it defers the stop past the block, with the same effect, so
 *     no stop is asked for there (an IT block steps as one instruction).
 *   - The stopped block stays the running block (s->cur) with its first k
 *     instructions done.  When the firmware resumes, Unicorn translates a
 *     new block at the stop address; its block hook is recognised here as
 *     the rest of the stopped block (debug_block_begin) and skipped, so the
 *     stopped block is completed once, with its own costs, when the block
 *     after it starts, exactly as without the stop.  A rest that Unicorn
 *     ends early is continued by the next translation; one that runs past
 *     the block's end (a block cut only by Unicorn's size limit) is split
 *     there with a one-shot hook, so the next block starts where it did.
 *   - Hooks that charge cycles per instruction (divides, IT-block
 *     conditionals: blocks.c) fire again when the engine resumes on their
 *     instruction; they charge once per execution.
 *   - The Ctrl-C and new-connection polls ride on the wall-clock poll the
 *     run loop makes anyway at fixed simulated cycles, and the stop they
 *     ask for is taken at the next block start.
 *
 * Breakpoints are per-address code hooks; watchpoints are memory hooks on
 * the watched ranges plus one code hook on every instruction, installed
 * only while a watchpoint exists.  The debugger's sets are applied when
 * the firmware resumes, so removing and re-inserting the same points
 * around every stop (as GDB does) costs nothing.
 */
#include "debug.h"

#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

#define MAX_WATCHPOINTS 16
#define MAX_WATCH_LEN 64u
/* The widest single access Unicorn reports (LDRD, VLDR of a D register):
 * a watch hook starts this far below the range so that an access that
 * begins before the range and reaches into it is seen. */
#define MAX_ACCESS_BYTES 8u

/* Why the engine was stopped.  The last three are the simulator's own:
 * the debugger never sees them. */
enum why {
    WHY_START,
    WHY_INTERRUPT,
    WHY_BREAKPOINT,
    WHY_TRAP,
    WHY_STEP,
    WHY_WATCH,
    WHY_STEP_BEGIN,   /* at a block start, to step its first instruction */
    WHY_SPLIT,        /* at the end of a stopped block that Unicorn continued past */
};

struct watch {
    uint32_t addr, len;
    enum sim_watch_kind kind;
};

struct sim_debug {
    struct sim *sim;
    struct sim_debugger cb;
    bool stop_at_start;

    /* The debugger's breakpoints, and the code hooks in place. */
    uint32_t *bp;
    int n_bp, cap_bp;
    uint32_t *bp_hooked;
    uc_hook *bp_hook;
    int n_bp_hooked, cap_bp_hooked;

    /* The debugger's watchpoints, and those the memory hooks watch. */
    struct watch wp[MAX_WATCHPOINTS];
    int n_wp;
    struct watch wp_hooked[MAX_WATCHPOINTS];
    uc_hook wp_hook[MAX_WATCHPOINTS];
    int n_wp_hooked;
    uc_hook insn_hook;         /* every instruction, while watching */

    /* Which instructions of it_block are inside an IT block (decoded when
     * a stop falls in that block). */
    const struct sim_block *it_block;
    uint8_t *it_flags;

    /* A watched access happened, or is about to (watch_before: the stop
     * is before the accessing instruction); the stop reports it. */
    bool watch_hit;
    bool watch_before;
    uint32_t hit_addr;
    enum sim_watch_kind hit_kind;
    /* Resumed on an instruction a watchpoint stopped before: it does not
     * stop again (the one that is watch_skip_count-th of the run);
     * in_skipped while it executes, so that its accesses are not hits. */
    bool watch_skip, in_skipped;
    uint64_t watch_skip_count;

    /* A stop asked for at the next block start. */
    bool stop_next_block;
    enum why next_why;

    /* uc_emu_stop() was called for a stop at instruction min_index of
     * s->cur; at_block_start: from the block hook, before the block's
     * first instruction. */
    bool stopping;
    bool at_block_start;
    enum why why;
    uint32_t min_index;

    /* One-shot hooks: the instruction after a step, the end of a block. */
    uc_hook step_hook, split_hook;
    bool has_step_hook, has_split_hook;
    uint32_t step_addr, split_addr;

    /* Stopped inside s->cur before instruction cont_index: the next block
     * hook at cont_addr is its rest. */
    bool cont;
    uint32_t cont_addr, cont_index;
    /* Resumed on a breakpoint: it does not stop the instruction it stopped
     * (the one that is skip_count-th of the run, at skip_addr). */
    bool skip;
    uint32_t skip_addr;
    uint64_t skip_count;
    bool killed;
};

/* ---- small helpers ---- */

static uint32_t read_pc(struct sim *s)
{
    uint32_t pc = 0;
    uc_reg_read(s->uc, UC_ARM_REG_PC, &pc);
    return pc;
}

/* The index of the instruction at addr in b, from `from`; b->n_insns when
 * it is not one of b's. */
static uint32_t insn_index(const struct sim_block *b, uint32_t addr, uint32_t from)
{
    for (uint32_t i = from; i < b->n_insns; i++)
        if (b->insn_addr[i] == addr)
            return i;
    return b->n_insns;
}

/* Whether instruction `index` of b is inside an IT block (not the IT
 * instruction itself), where the engine cannot stop. */
static bool inside_it(struct sim *s, const struct sim_block *b, uint32_t index)
{
    struct sim_debug *d = s->dbg;
    if (index >= b->n_insns)
        return false;
    if (d->it_block != b) {
        struct insn_facts *facts = malloc(b->n_insns * sizeof *facts);
        uint8_t *flags = calloc(b->n_insns, 1);
        const uint8_t *code = sim_mem(s, b->addr, b->size);
        if (!facts || !flags || !code) {
            free(facts);
            free(flags);
            return false;
        }
        size_t n = decoder_block(s->decoder, code, b->size, b->addr, facts, b->n_insns);
        for (size_t i = 0; i < n; i++)
            flags[i] = facts[i].in_it;
        free(facts);
        free(d->it_flags);
        d->it_flags = flags;
        d->it_block = b;
    }
    return d->it_flags[index];
}

static void update_slow(struct sim *s)
{
    struct sim_debug *d = s->dbg;
    if (d->stop_next_block || d->cont || d->stopping)
        s->slow_path |= SLOW_DEBUG;
    else
        s->slow_path &= (uint8_t)~SLOW_DEBUG;
}

/* Unicorn compiles a code hook into the blocks it translates after the
 * hook exists: drop the translations that hold addr. */
static void retranslate(struct sim *s, uint32_t addr)
{
    uc_ctl_remove_cache(s->uc, addr, addr + 4);
}

/* The same for all code (uc_ctl_flush_tlb would too, but takes seconds). */
static void retranslate_all(struct sim *s)
{
    for (int i = 0; i < s->board.n_regions; i++) {
        const struct board_region *r = &s->board.regions[i];
        if (r->kind == REGION_FLASH || r->kind == REGION_RAM)
            uc_ctl_remove_cache(s->uc, r->base, (uint64_t)r->base + r->size);
    }
}

static int add_code_hook(struct sim *s, uc_hook *h, void *cb, uint32_t addr)
{
    if (uc_hook_add(s->uc, h, UC_HOOK_CODE, cb, s, addr, addr))
        return -1;
    retranslate(s, addr);
    return 0;
}

static void del_code_hook(struct sim *s, uc_hook h, uint32_t addr)
{
    uc_hook_del(s->uc, h);
    retranslate(s, addr);
}

/* Stops the engine before the instruction at addr of the running block;
 * inside an IT block, where it cannot, at the next block start (a watch
 * hit: at the next instruction the engine can stop before). */
static void request_stop(struct sim *s, enum why why, uint32_t addr)
{
    struct sim_debug *d = s->dbg;
    if (d->stopping || !s->cur)
        return;
    uint32_t index = insn_index(s->cur, addr, 0);
    if (inside_it(s, s->cur, index)) {
        if (why != WHY_WATCH && !d->stop_next_block) {
            d->stop_next_block = true;
            d->next_why = why;
            update_slow(s);
        }
        return;
    }
    d->stopping = true;
    d->at_block_start = false;
    d->why = why;
    d->min_index = index;
    update_slow(s);
    uc_emu_stop(s->uc);
}

/* ---- hooks ---- */

static void on_breakpoint(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
    struct sim *s = user;
    struct sim_debug *d = s->dbg;
    (void)uc;
    (void)size;
    if (d->skip && (uint32_t)addr == d->skip_addr && s->cur &&
        s->insns + insn_index(s->cur, (uint32_t)addr, 0) == d->skip_count) {
        d->skip = false;
        return;
    }
    request_stop(s, WHY_BREAKPOINT, (uint32_t)addr);
}

static void on_step(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
    (void)uc;
    (void)size;
    request_stop(user, WHY_STEP, (uint32_t)addr);
}

static void on_split(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
    (void)uc;
    (void)size;
    request_stop(user, WHY_SPLIT, (uint32_t)addr);
}

/* The watchpoint an access of bytes at addr hits, or NULL; *hit is the
 * first watched byte it touches. */
static const struct watch *watched(const struct sim_debug *d, uint32_t addr, uint32_t bytes, bool write,
                                   uint32_t *hit)
{
    uint64_t lo = addr, hi = (uint64_t)addr + (bytes ? bytes : 1);
    for (int i = 0; i < d->n_wp_hooked; i++) {
        const struct watch *w = &d->wp_hooked[i];
        bool kind_ok = w->kind == WATCH_ACCESS || (w->kind == WATCH_WRITE) == write;
        if (!kind_ok || hi <= w->addr || lo >= (uint64_t)w->addr + w->len)
            continue;
        *hit = lo > w->addr ? (uint32_t)lo : w->addr;
        return w;
    }
    return NULL;
}

/* The index of the instruction at addr in b (sorted), b->n_insns if none. */
static uint32_t insn_search(const struct sim_block *b, uint32_t addr)
{
    uint32_t lo = 0, hi = b->n_insns;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (b->insn_addr[mid] < addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < b->n_insns && b->insn_addr[lo] == addr ? lo : b->n_insns;
}

/* Every instruction while watching: one about to make a watched access
 * stops before it; after an access that was not foreseen, the next one
 * stops. */
static void on_insn_watching(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    struct sim *s = user;
    struct sim_debug *d = s->dbg;
    uint32_t addr = (uint32_t)address;
    const struct sim_block *b = s->cur;
    (void)uc;
    (void)size;
    d->in_skipped = false;
    if (d->watch_hit) {
        request_stop(s, WHY_WATCH, addr);
        return;
    }
    if (!b)
        return;
    uint32_t index = insn_search(b, addr), bytes, at, hit;
    bool write;
    if (index == b->n_insns)
        return;
    if (d->watch_skip && s->insns + index == d->watch_skip_count) {
        d->in_skipped = true;
        return;
    }
    if (!locate_insn_access(s, b, index, &at, &bytes, &write))
        return;
    const struct watch *w = watched(d, at, bytes, write, &hit);
    if (!w || inside_it(s, b, index))
        return;
    d->watch_hit = true;
    d->watch_before = true;
    d->hit_addr = hit;
    d->hit_kind = w->kind;
    request_stop(s, WHY_WATCH, addr);
}

static void on_watched_access(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value,
                              void *user)
{
    struct sim *s = user;
    struct sim_debug *d = s->dbg;
    (void)uc;
    (void)value;
    uint32_t hit;
    if (d->watch_hit || d->in_skipped)
        return;
    const struct watch *w = watched(d, (uint32_t)address, (uint32_t)(size > 0 ? size : 1), type == UC_MEM_WRITE, &hit);
    if (!w)
        return;
    d->watch_hit = true;
    d->watch_before = false;
    d->hit_addr = hit;
    d->hit_kind = w->kind;
    /* The next instruction stops (on_insn_watching); when the access was
     * a block's last, the next block's start does. */
    d->stop_next_block = true;
    d->next_why = WHY_WATCH;
    update_slow(s);
}

/* ---- applying the debugger's points when the firmware resumes ---- */

static bool wanted_breakpoint(const struct sim_debug *d, uint32_t addr)
{
    for (int i = 0; i < d->n_bp; i++)
        if (d->bp[i] == addr)
            return true;
    return false;
}

static void sync_breakpoints(struct sim *s)
{
    struct sim_debug *d = s->dbg;
    for (int i = 0; i < d->n_bp_hooked;) {
        if (wanted_breakpoint(d, d->bp_hooked[i])) {
            i++;
            continue;
        }
        del_code_hook(s, d->bp_hook[i], d->bp_hooked[i]);
        d->n_bp_hooked--;
        d->bp_hooked[i] = d->bp_hooked[d->n_bp_hooked];
        d->bp_hook[i] = d->bp_hook[d->n_bp_hooked];
    }
    for (int i = 0; i < d->n_bp; i++) {
        bool hooked = false;
        for (int j = 0; j < d->n_bp_hooked && !hooked; j++)
            hooked = d->bp_hooked[j] == d->bp[i];
        if (hooked || d->n_bp_hooked == d->cap_bp_hooked)
            continue;
        if (add_code_hook(s, &d->bp_hook[d->n_bp_hooked], (void *)on_breakpoint, d->bp[i]) == 0)
            d->bp_hooked[d->n_bp_hooked++] = d->bp[i];
    }
}

static void sync_watchpoints(struct sim *s)
{
    struct sim_debug *d = s->dbg;
    if (d->n_wp == d->n_wp_hooked && !memcmp(d->wp, d->wp_hooked, sizeof d->wp[0] * (size_t)d->n_wp))
        return;
    bool was_watching = d->n_wp_hooked > 0;
    for (int i = 0; i < d->n_wp_hooked; i++)
        uc_hook_del(s->uc, d->wp_hook[i]);
    d->n_wp_hooked = 0;
    for (int i = 0; i < d->n_wp; i++) {
        const struct watch *w = &d->wp[i];
        int type = w->kind == WATCH_WRITE ? UC_HOOK_MEM_WRITE
                   : w->kind == WATCH_READ ? UC_HOOK_MEM_READ
                                           : UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE;
        uint32_t lo = w->addr > MAX_ACCESS_BYTES ? w->addr - (MAX_ACCESS_BYTES - 1) : 0;
        if (uc_hook_add(s->uc, &d->wp_hook[d->n_wp_hooked], type, (void *)on_watched_access, s, lo,
                        (uint64_t)w->addr + w->len - 1))
            continue;
        d->wp_hooked[d->n_wp_hooked++] = *w;
    }
    bool watching = d->n_wp_hooked > 0;
    if (watching && !was_watching)
        uc_hook_add(s->uc, &d->insn_hook, UC_HOOK_CODE, (void *)on_insn_watching, s, 1, 0);
    else if (!watching && was_watching)
        uc_hook_del(s->uc, d->insn_hook);
    /* A code hook reaches only blocks translated after it exists (memory
     * hooks reach all); without it, blocks run at full speed again. */
    if (watching != was_watching)
        retranslate_all(s);
}

static void remove_one_shot_hooks(struct sim *s)
{
    struct sim_debug *d = s->dbg;
    if (d->has_step_hook) {
        del_code_hook(s, d->step_hook, d->step_addr);
        d->has_step_hook = false;
    }
    if (d->has_split_hook) {
        del_code_hook(s, d->split_hook, d->split_addr);
        d->has_split_hook = false;
    }
}

/* Steps one instruction from where the firmware stopped. */
static void arm_step(struct sim *s)
{
    struct sim_debug *d = s->dbg;
    d->stop_next_block = true;
    if (!d->cont) {
        /* No block has begun (the start, a reset): let the first one begin
         * and step from there. */
        d->next_why = WHY_STEP_BEGIN;
        return;
    }
    d->next_why = WHY_STEP; /* the instruction ends its block: the next block's start stops */
    const struct sim_block *b = s->cur;
    uint32_t next = d->cont_index + 1;
    while (next < b->n_insns && inside_it(s, b, next))
        next++;
    if (next < b->n_insns && add_code_hook(s, &d->step_hook, (void *)on_step, b->insn_addr[next]) == 0) {
        d->has_step_hook = true;
        d->step_addr = b->insn_addr[next];
    }
}

/* ---- serving a stop ---- */

static enum sim_resume call_debugger(struct sim *s, const struct sim_stop *stop)
{
    struct sim_debug *d = s->dbg;
    double t0 = sim_wall_now();
    enum sim_resume r = d->cb.stopped(d->cb.ctx, s, stop);
    /* Time stopped is the debugger's, not the run's. */
    s->wall_start += sim_wall_now() - t0;
    return r;
}

static void apply(struct sim *s, enum sim_resume r)
{
    struct sim_debug *d = s->dbg;
    uint32_t pc = read_pc(s);
    if (d->cont && pc != d->cont_addr) {
        /* The debugger moved the PC: the stopped block ends where it was. */
        sim_complete_partial(s, d->cont_index);
        d->cont = false;
    }
    if (r == RESUME_DETACH)
        sim_debug_clear_points(s);
    sync_breakpoints(s);
    sync_watchpoints(s);
    switch (r) {
    case RESUME_KILL:
        if (d->cont)
            sim_complete_partial(s, d->cont_index);
        d->cont = false;
        d->killed = true;
        s->limit = LIMIT_DEBUGGER;
        snprintf(s->message, sizeof s->message, "stopped by the debugger");
        if (s->status == SIM_RUNNING)
            s->status = SIM_LIMIT;
        break;
    case RESUME_STEP:
        arm_step(s);
        break;
    case RESUME_CONTINUE:
    case RESUME_DETACH:
        break;
    }
    /* Resuming on a breakpoint, or on an access a watchpoint stopped
     * before, executes that instruction. */
    d->skip = r != RESUME_KILL && wanted_breakpoint(d, pc & ~1u);
    d->skip_addr = pc & ~1u;
    d->skip_count = s->insns + (d->cont ? d->cont_index : 0);
    d->watch_skip = d->watch_before && r != RESUME_KILL;
    d->watch_skip_count = d->skip_count;
    d->watch_before = false;
    update_slow(s);
}

static void serve(struct sim *s, enum why why, bool at_insn, uint32_t index)
{
    struct sim_debug *d = s->dbg;
    uint32_t pc = read_pc(s);
    remove_one_shot_hooks(s);
    d->stop_next_block = false;
    d->cont = at_insn;
    d->cont_addr = pc;
    d->cont_index = index;
    if (why == WHY_STEP_BEGIN) {
        arm_step(s);
        update_slow(s);
        return;
    }
    if (d->watch_hit)
        why = WHY_WATCH;
    else
        d->watch_before = false;
    d->skip = false;
    d->watch_skip = false;
    struct sim_stop stop = {.pc = pc};
    switch (why) {
    case WHY_START: stop.kind = STOP_START; break;
    case WHY_INTERRUPT: stop.kind = STOP_INTERRUPT; break;
    case WHY_BREAKPOINT: stop.kind = STOP_BREAKPOINT; break;
    case WHY_TRAP:
        stop.kind = STOP_BREAKPOINT;
        stop.trap = true;
        break;
    case WHY_WATCH:
        stop.kind = STOP_WATCHPOINT;
        stop.watch_addr = d->hit_addr;
        stop.watch_kind = d->hit_kind;
        break;
    default: stop.kind = STOP_STEP; break;
    }
    d->watch_hit = false;
    update_slow(s);
    apply(s, call_debugger(s, &stop));
}

/* ---- the run loop's hooks (sim_internal.h) ---- */

bool debug_block_begin(struct sim *s, uint32_t addr, uint32_t size)
{
    struct sim_debug *d = s->dbg;
    if (d->stopping) {
        /* The engine ran on after a stop was asked for (a fault the
         * firmware handles): take it here. */
        d->stopping = false;
        d->stop_next_block = true;
        d->next_why = d->why;
        update_slow(s);
    }
    if (!d->cont)
        return false;
    struct sim_block *b = s->cur;
    if (!b || addr != d->cont_addr) {
        /* Not the rest of the stopped block (nothing else can run first):
         * settle what ran of it and go on as usual. */
        if (b)
            sim_complete_partial(s, d->cont_index);
        d->cont = false;
        update_slow(s);
        return false;
    }
    uint64_t end = (uint64_t)b->addr + b->size, tb_end = (uint64_t)addr + size;
    if (tb_end < end) {
        /* Unicorn ended this part early: the next part continues too. */
        d->cont_addr = (uint32_t)tb_end;
        d->cont_index = insn_index(b, d->cont_addr, d->cont_index);
        return true;
    }
    if (tb_end > end && !(d->has_split_hook && d->split_addr == (uint32_t)end)) {
        /* The rest runs past the block's end, where the block after it
         * began: stop there, and translate this part again with the hook. */
        if (d->has_split_hook)
            del_code_hook(s, d->split_hook, d->split_addr);
        d->has_split_hook = add_code_hook(s, &d->split_hook, (void *)on_split, (uint32_t)end) == 0;
        d->split_addr = (uint32_t)end;
        uc_ctl_remove_cache(s->uc, addr, (uint32_t)tb_end);
        uint32_t pc = addr | 1;
        uc_reg_write(s->uc, UC_ARM_REG_PC, &pc);
        return true;
    }
    d->cont = false;
    update_slow(s);
    return true;
}

void debug_block_started(struct sim *s)
{
    struct sim_debug *d = s->dbg;
    if (!d->stop_next_block || d->stopping || !s->cur)
        return;
    d->stop_next_block = false;
    d->stopping = true;
    d->at_block_start = true;
    d->why = d->next_why;
    d->min_index = 0;
    update_slow(s);
    uc_emu_stop(s->uc);
}

/* The block ended with WFI or WFE at pc: the run loop must sleep first. */
static bool slept(struct sim *s, uint32_t pc)
{
    const struct sim_block *b = s->cur;
    if (!b || !b->n_insns || pc != b->addr + b->size)
        return false;
    const uint8_t *p = sim_mem(s, b->insn_addr[b->n_insns - 1], 2);
    return p && p[1] == 0xBF && (p[0] == 0x30 || p[0] == 0x20);
}

bool debug_engine_returned(struct sim *s)
{
    struct sim_debug *d = s->dbg;
    if (!d->stopping)
        return false;
    d->stopping = false;
    struct sim_block *b = s->cur;
    if (d->at_block_start && b) {
        /* Nothing of the block ran; the engine's PC may be the previous
         * block's. */
        uint32_t start = b->addr | 1;
        uc_reg_write(s->uc, UC_ARM_REG_PC, &start);
    }
    uint32_t pc = read_pc(s);
    if (d->why == WHY_SPLIT) {
        /* The stopped block has run to its end: the next block hook
         * settles it, as it would have. */
        remove_one_shot_hooks(s);
        update_slow(s);
        return true;
    }
    uint32_t k = b ? insn_index(b, pc, d->min_index) : 0;
    if (!b || k == b->n_insns) {
        /* The stop landed past the block (an IT block ran to its end):
         * the next block's start stops instead. */
        d->stop_next_block = true;
        d->next_why = d->why;
        update_slow(s);
        return !slept(s, pc);
    }
    serve(s, d->why, true, k);
    return true;
}

void debug_poll(struct sim *s)
{
    struct sim_debug *d = s->dbg;
    enum sim_stop_kind kind = STOP_INTERRUPT;
    if (!d->cb.poll || !d->cb.poll(d->cb.ctx, s, &kind) || d->stop_next_block)
        return;
    d->stop_next_block = true;
    d->next_why = kind == STOP_START ? WHY_START : WHY_INTERRUPT;
    update_slow(s);
}

bool debug_trap(struct sim *s, uint32_t pc)
{
    struct sim_debug *d = s->dbg;
    if (!s->cur || d->stopping || (d->cb.present && !d->cb.present(d->cb.ctx)))
        return false;
    request_stop(s, WHY_TRAP, pc);
    return true;
}

void debug_run_started(struct sim *s)
{
    struct sim_debug *d = s->dbg;
    if (!d->stop_at_start)
        return;
    serve(s, WHY_START, false, 0);
}

void debug_run_ended(struct sim *s)
{
    struct sim_debug *d = s->dbg;
    if (d->killed)
        return;
    remove_one_shot_hooks(s);
    struct sim_stop stop = {.pc = read_pc(s), .message = s->message};
    switch (s->status) {
    case SIM_EXITED:
        stop.kind = STOP_EXITED;
        stop.exit_code = s->exit_code;
        break;
    case SIM_FAULT:
        stop.kind = STOP_FAULT;
        stop.fault = s->fault.kind;
        if (s->fault.kind != FAULT_NONE) {
            /* The engine's PC may be its block's: show the instruction. */
            stop.pc = s->fault.pc;
            uint32_t pc = stop.pc | 1;
            uc_reg_write(s->uc, UC_ARM_REG_PC, &pc);
        }
        break;
    case SIM_LIMIT:
        stop.kind = STOP_LIMIT;
        break;
    default:
        stop.kind = STOP_FAULT;
        stop.fault = FAULT_NONE;
        break;
    }
    call_debugger(s, &stop);
}

void debug_free(struct sim *s)
{
    struct sim_debug *d = s->dbg;
    if (!d)
        return;
    free(d->it_flags);
    free(d->bp);
    free(d->bp_hooked);
    free(d->bp_hook);
    free(d);
    s->dbg = NULL;
}

/* ---- debug.h ---- */

int sim_debug_attach(struct sim *s, const struct sim_debugger *dbg, bool stop_at_start, char *err, size_t errlen)
{
    if (s->opt.bare) {
        snprintf(err, errlen, "a debugger needs the simulator's block hook (not with the engine-only modes)");
        return -1;
    }
    if (s->dbg) {
        snprintf(err, errlen, "a debugger is attached already");
        return -1;
    }
    struct sim_debug *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    d->sim = s;
    d->cb = *dbg;
    d->stop_at_start = stop_at_start;
    s->dbg = d;
    return 0;
}

int sim_debug_breakpoint(struct sim *s, uint32_t addr, bool insert)
{
    struct sim_debug *d = s->dbg;
    addr &= ~1u;
    for (int i = 0; i < d->n_bp; i++) {
        if (d->bp[i] != addr)
            continue;
        if (!insert)
            d->bp[i] = d->bp[--d->n_bp];
        return 0;
    }
    if (!insert)
        return 0;
    if (d->n_bp == d->cap_bp) {
        int cap = d->cap_bp ? d->cap_bp * 2 : 16;
        uint32_t *bp = realloc(d->bp, (size_t)cap * sizeof *bp);
        if (!bp)
            return -1;
        d->bp = bp;
        uint32_t *hooked = realloc(d->bp_hooked, (size_t)cap * sizeof *hooked);
        if (!hooked)
            return -1;
        d->bp_hooked = hooked;
        uc_hook *hooks = realloc(d->bp_hook, (size_t)cap * sizeof *hooks);
        if (!hooks)
            return -1;
        d->bp_hook = hooks;
        d->cap_bp = d->cap_bp_hooked = cap;
    }
    d->bp[d->n_bp++] = addr;
    return 0;
}

int sim_debug_watchpoint(struct sim *s, enum sim_watch_kind kind, uint32_t addr, uint32_t len, bool insert)
{
    struct sim_debug *d = s->dbg;
    if (len == 0 || len > MAX_WATCH_LEN || (uint64_t)addr + len > 0x100000000ull)
        return -1;
    struct watch w = {.addr = addr, .len = len, .kind = kind};
    for (int i = 0; i < d->n_wp; i++) {
        if (memcmp(&d->wp[i], &w, sizeof w))
            continue;
        if (!insert) {
            memmove(&d->wp[i], &d->wp[i + 1], sizeof w * (size_t)(d->n_wp - i - 1));
            d->n_wp--;
        }
        return 0;
    }
    if (!insert)
        return 0;
    if (d->n_wp == MAX_WATCHPOINTS)
        return -1;
    d->wp[d->n_wp++] = w;
    return 0;
}

void sim_debug_clear_points(struct sim *s)
{
    s->dbg->n_bp = 0;
    s->dbg->n_wp = 0;
}

bool sim_debug_has_reg(const struct sim *s, enum sim_reg r)
{
    const struct core_desc *core = s->board.core;
    if (r < 0 || r >= SIM_REG_COUNT)
        return false;
    if (r == SIM_REG_BASEPRI || r == SIM_REG_FAULTMASK)
        return core->arch != CORE_ARCH_V6M;
    if (r >= SIM_REG_FPSCR)
        return core->fpu;
    return true;
}

static int uc_id_of(enum sim_reg r)
{
    if (r <= SIM_REG_PC)
        return core_reg_uc_ids[r];
    switch (r) {
    case SIM_REG_XPSR: return UC_ARM_REG_XPSR;
    case SIM_REG_MSP: return UC_ARM_REG_MSP;
    case SIM_REG_PSP: return UC_ARM_REG_PSP;
    case SIM_REG_PRIMASK: return UC_ARM_REG_PRIMASK;
    case SIM_REG_BASEPRI: return UC_ARM_REG_BASEPRI;
    case SIM_REG_FAULTMASK: return UC_ARM_REG_FAULTMASK;
    case SIM_REG_CONTROL: return UC_ARM_REG_CONTROL;
    case SIM_REG_FPSCR: return UC_ARM_REG_FPSCR;
    default: return UC_ARM_REG_D0 + (int)(r - SIM_REG_D0);
    }
}

int sim_debug_read_reg(struct sim *s, enum sim_reg r, uint64_t *value)
{
    *value = 0;
    if (!sim_debug_has_reg(s, r))
        return -1;
    if (r >= SIM_REG_D0)
        return uc_reg_read(s->uc, uc_id_of(r), value) ? -1 : 0;
    uint32_t v = 0;
    if (uc_reg_read(s->uc, uc_id_of(r), &v))
        return -1;
    if (r == SIM_REG_PC)
        v &= ~1u;
    *value = v;
    return 0;
}

int sim_debug_write_reg(struct sim *s, enum sim_reg r, uint64_t value)
{
    if (!sim_debug_has_reg(s, r))
        return -1;
    if (r >= SIM_REG_D0)
        return uc_reg_write(s->uc, uc_id_of(r), &value) ? -1 : 0;
    uint32_t v = (uint32_t)value;
    int id = uc_id_of(r);
    if (r == SIM_REG_PC) {
        v |= 1; /* Thumb state */
    } else if (r == SIM_REG_XPSR) {
        /* The exception number and execution state are the simulator's. */
        id = UC_ARM_REG_APSR_NZCVQG;
        v &= 0xF80F0000u;
    }
    return uc_reg_write(s->uc, id, &v) ? -1 : 0;
}

/* The host bytes behind [addr, addr + len) that the debugger may touch:
 * flash and RAM; *run is how many are contiguous from addr. */
static uint8_t *debug_bytes(struct sim *s, uint32_t addr, uint32_t len, uint32_t *run)
{
    const struct board_region *r = board_region_of(&s->board, addr);
    if (!r || (r->kind != REGION_FLASH && r->kind != REGION_RAM))
        return NULL;
    uint32_t left = r->size - (addr - r->base);
    *run = len < left ? len : left;
    return sim_host_ptr(s, addr, *run);
}

uint32_t sim_debug_read_mem(struct sim *s, uint32_t addr, void *buf, uint32_t len)
{
    uint32_t done = 0;
    while (done < len) {
        uint32_t run;
        const uint8_t *p = debug_bytes(s, addr + done, len - done, &run);
        if (!p || !run)
            break;
        memcpy((uint8_t *)buf + done, p, run);
        done += run;
    }
    return done;
}

uint32_t sim_debug_write_mem(struct sim *s, uint32_t addr, const void *buf, uint32_t len)
{
    if (blocks_overlap(&s->blocks, addr, len))
        return 0;
    uint32_t done = 0;
    while (done < len) {
        uint32_t run;
        uint8_t *p = debug_bytes(s, addr + done, len - done, &run);
        if (!p || !run)
            break;
        memcpy(p, (const uint8_t *)buf + done, run);
        done += run;
    }
    if (done)
        uc_ctl_remove_cache(s->uc, addr, addr + done);
    return done;
}

void sim_debug_position(struct sim *s, struct sim_debug_position *p)
{
    struct sim_debug *d = s->dbg;
    bool inside = d && d->cont && s->cur;
    p->cycles = sim_now_at(s, inside ? (int)d->cont_index : -1);
    p->instructions = s->insns + (inside ? d->cont_index : 0);
    p->sleep_cycles = s->sleep_cycles;
    p->clock_hz = s->clock_hz;
    p->sim_time_s = sim_time_at(s, p->cycles);
}

int sim_debug_reset(struct sim *s, char *err, size_t errlen)
{
    struct sim_debug *d = s->dbg;
    if (s->status != SIM_RUNNING) {
        snprintf(err, errlen, "the run has ended (%s)", sim_status_name(s->status));
        return -1;
    }
    if (s->cur)
        sim_complete_partial(s, d && d->cont ? d->cont_index : 0);
    if (d) {
        d->cont = false;
        d->stop_next_block = false;
        d->watch_hit = false;
        update_slow(s);
    }
    if (sim_reset_core(s, err, errlen))
        return -1;
    uint32_t zero = 0;
    uc_reg_write(s->uc, UC_ARM_REG_PRIMASK, &zero);
    if (s->board.core->arch != CORE_ARCH_V6M) {
        uc_reg_write(s->uc, UC_ARM_REG_BASEPRI, &zero);
        uc_reg_write(s->uc, UC_ARM_REG_FAULTMASK, &zero);
    }
    uc_reg_write(s->uc, UC_ARM_REG_APSR_NZCVQG, &zero);
    s->any_pending = false;
    scs_schedule(s);
    return 0;
}

int sim_fault_signal(enum sim_fault_kind k)
{
    /* GDB's signal numbers (gdb/signals.def), not the host's. */
    enum { SIGINT_ = 2, SIGILL_ = 4, SIGTRAP_ = 5, SIGABRT_ = 6, SIGFPE_ = 8, SIGBUS_ = 10, SIGSEGV_ = 11 };
    switch (k) {
    case FAULT_READ_UNMAPPED:
    case FAULT_WRITE_UNMAPPED:
    case FAULT_FETCH_UNMAPPED:
    case FAULT_WRITE_FLASH:
    case FAULT_FETCH_NX:
    case FAULT_STACK_OVERFLOW:
        return SIGSEGV_;
    case FAULT_UNDEFINED:
    case FAULT_INVALID_STATE:
    case FAULT_NO_COPROCESSOR:
        return SIGILL_;
    case FAULT_DIVIDE_BY_ZERO:
        return SIGFPE_;
    case FAULT_LOCKUP:
    case FAULT_HARDFAULT_LOOP:
        return SIGBUS_;
    case FAULT_BREAKPOINT:
        return SIGTRAP_;
    case FAULT_DEADLOCK:
    case FAULT_NONE:
        return SIGABRT_;
    }
    (void)SIGINT_;
    return SIGABRT_;
}
