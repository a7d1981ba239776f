/*
 * sim.c — runs firmware on Unicorn: memory map, boot, hooks, run loop.
 *
 * Accounting is per basic block.  The block hook fires when a block is
 * about to run; at that moment the previous block has completed, so its
 * cost is settled (static cycles, dynamic terms gathered while it ran, and
 * the refill of a taken branch, which depends on where it went).  Timed
 * events (SysTick, pending interrupts, the wall-clock poll) are checked
 * only when the cycle count passes s->next_event, and interrupts are taken
 * at block boundaries by redirecting the PC before the block runs.
 *
 * Unicorn delivers no exceptions itself: SVC, BKPT, EXC_RETURN branches and
 * faults come back as interrupt hooks or engine errors, and this file turns
 * them into exception entry/return (exceptions.c), semihosting calls
 * (semihost.c) or a fault diagnostic.
 */
#include "sim_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define UNTIL_NEVER 0xFFFFFFFEu      /* never executed: not a Thumb address */
#define PPB_BASE 0xE0000000u
#define PPB_SIZE 0x00100000u

/* Unicorn interrupt numbers (QEMU's EXCP_* for ARM). */
enum { INTR_UDEF = 1, INTR_SWI = 2, INTR_PREFETCH_ABORT = 3, INTR_DATA_ABORT = 4,
       INTR_BKPT = 7, INTR_EXCEPTION_EXIT = 8 };

const char *const insn_class_names[CLASS_COUNT] = {
    "alu", "mul_dsp", "load", "store", "branch", "fpu", "other",
};

double sim_wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

const char *sim_status_name(enum sim_status st)
{
    switch (st) {
    case SIM_RUNNING: return "running";
    case SIM_EXITED: return "ok";
    case SIM_FAULT: return "fault";
    case SIM_LIMIT: return "limit";
    case SIM_ERROR: return "error";
    }
    return "?";
}

const char *sim_fault_name(enum sim_fault_kind k)
{
    switch (k) {
    case FAULT_NONE: return "none";
    case FAULT_READ_UNMAPPED: return "read-unmapped";
    case FAULT_WRITE_UNMAPPED: return "write-unmapped";
    case FAULT_FETCH_UNMAPPED: return "fetch-unmapped";
    case FAULT_WRITE_FLASH: return "write-flash";
    case FAULT_FETCH_NX: return "fetch-non-executable";
    case FAULT_UNDEFINED: return "undefined-instruction";
    case FAULT_INVALID_STATE: return "invalid-state";
    case FAULT_NO_COPROCESSOR: return "no-coprocessor";
    case FAULT_DIVIDE_BY_ZERO: return "divide-by-zero";
    case FAULT_STACK_OVERFLOW: return "stack-overflow";
    case FAULT_LOCKUP: return "lockup";
    case FAULT_HARDFAULT_LOOP: return "hardfault";
    case FAULT_DEADLOCK: return "deadlock";
    case FAULT_BREAKPOINT: return "breakpoint";
    }
    return "?";
}

/* ---- memory ---- */

uint8_t *sim_host_ptr(struct sim *s, uint32_t addr, uint32_t len)
{
    for (int i = 0; i < s->n_mem; i++) {
        struct mem_map *m = &s->mem[i];
        if (m->host && addr - m->base < m->size && len <= m->size - (addr - m->base))
            return m->host + (addr - m->base);
    }
    return NULL;
}

const uint8_t *sim_mem(const struct sim *s, uint32_t addr, uint32_t len)
{
    return sim_host_ptr((struct sim *)s, addr, len);
}

uint8_t *sim_ram_writable(struct sim *s, uint32_t addr, uint32_t len)
{
    const struct board_region *r = board_region_of(&s->board, addr);
    if (!r || r->kind != REGION_RAM)
        return NULL;
    return sim_host_ptr(s, addr, len);
}

int sim_read_string(const struct sim *s, uint32_t addr, char *buf, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        const uint8_t *p = sim_mem(s, addr + (uint32_t)i, 1);
        if (!p) {
            buf[i] = '\0';
            return -1;
        }
        buf[i] = (char)*p;
        if (!*p)
            return 0;
    }
    if (len)
        buf[len - 1] = '\0';
    return 0;
}

static int map_memory(struct sim *s, char *err, size_t errlen)
{
    for (int i = 0; i < s->board.n_regions; i++) {
        const struct board_region *r = &s->board.regions[i];
        struct mem_map *m = &s->mem[s->n_mem++];
        m->base = r->base;
        m->size = r->size;
        m->kind = r->kind;
        uc_err e;
        if (r->kind == REGION_STUB) {
            continue; /* peripheral space: the peripheral bus maps it (periph.c) */
        } else {
            m->host = calloc(1, r->size);
            if (!m->host) {
                snprintf(err, errlen, "%s: out of memory for region '%s'", s->board.path, r->name);
                return -1;
            }
            /* Flash is read-only at run time: a store to it is a fault, as
             * on silicon where flash is written only through its controller. */
            uint32_t prot = r->kind == REGION_FLASH ? (UC_PROT_READ | UC_PROT_EXEC) : UC_PROT_ALL;
            e = uc_mem_map_ptr(s->uc, r->base, r->size, prot, m->host);
        }
        if (e) {
            snprintf(err, errlen, "%s: cannot map region '%s': %s", s->board.path, r->name,
                     uc_strerror(e));
            return -1;
        }
    }
    uc_err e = uc_mmio_map(s->uc, PPB_BASE, PPB_SIZE, scs_read, s, scs_write, s);
    if (e) {
        snprintf(err, errlen, "cannot map the Private Peripheral Bus: %s", uc_strerror(e));
        return -1;
    }
    s->periph = periph_bus_create(s, err, errlen);
    return s->periph ? periph_bus_map(s->periph, err, errlen) : -1;
}

/* ---- the core clock ---- */

double sim_time_at(const struct sim *s, uint64_t now)
{
    return s->time_before + (double)(now - s->clock_since) / s->clock_hz;
}

void sim_set_clock(struct sim *s, uint32_t hz, const char *why, uint64_t now)
{
    if (now < s->clock_since)
        now = s->clock_since;
    s->time_before = sim_time_at(s, now);
    s->clock_since = now;
    s->clock_hz = hz;
    s->board.clock_hz = hz; /* what sim_board() tells the profiler (time, energy) */
    snprintf(s->clock_source, sizeof s->clock_source, "%s", why);
}

/* Memory timing the firmware set (flash wait states, caches): every cached
 * block is timed again, before the block about to run starts. */
static void apply_memory_timing(struct sim *s)
{
    struct board_timing bt;
    char why[sizeof s->timing_source];
    int set = periph_bus_take_timing(s->periph, &bt, why, sizeof why);
    if (!set)
        return;
    if (set == 2 && (timing_reconfigure(s->timing, &bt) || blocks_retime(s))) {
        snprintf(s->message, sizeof s->message, "out of memory re-timing the blocks for %s", why);
        sim_stop(s, SIM_ERROR);
        return;
    }
    snprintf(s->timing_source, sizeof s->timing_source, "%s", why);
}

/* ---- accounting ---- */

void sim_complete_block(struct sim *s, uint32_t next)
{
    struct sim_block *b = s->cur;
    uint32_t c = b->cycles + s->cur_dyn;
    if (b->exit_checks)
        c += timing_block_exit(s->timing, s->uc, b);
    s->cur = NULL;
    s->cycles += c;
    s->insns += b->n_insns;
    if (s->has_obs)
        s->obs.block(s->obs.ctx, b, c, next);
}

/* Settles a block that was interrupted before instruction `done` (faults). */
void sim_complete_partial(struct sim *s, uint32_t done)
{
    struct sim_block *b = s->cur;
    if (!b)
        return;
    if (done > b->n_insns)
        done = b->n_insns;
    uint32_t c = b->prefix_cycles[done] + s->cur_dyn;
    s->cur = NULL;
    s->cycles += c;
    s->insns += done;
    if (s->has_obs)
        s->obs.block(s->obs.ctx, b, c, b->addr);
}

uint64_t sim_now_at(const struct sim *s, int index)
{
    if (!s->cur)
        return s->cycles;
    return s->cycles + s->cur_dyn + s->cur->prefix_cycles[index > 0 ? index : 0];
}

void sim_stop(struct sim *s, enum sim_status st)
{
    if (s->status == SIM_RUNNING)
        s->status = st;
    uc_emu_stop(s->uc);
}

void sim_set_fault(struct sim *s, enum sim_fault_kind kind, uint32_t pc, uint32_t addr,
                   const char *fmt, ...)
{
    if (s->fault.kind != FAULT_NONE)
        return; /* the first fault is the one that explains the run */
    s->fault.kind = kind;
    s->fault.pc = pc;
    s->fault.address = addr;
    elf_image_format_addr(s->img, pc, s->fault.symbol, sizeof s->fault.symbol);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->fault.detail, sizeof s->fault.detail, fmt, ap);
    va_end(ap);
}

/* A fault at pc: recorded, then delivered to the firmware's handler when
 * asked to, else the run ends. */
static void take_fault(struct sim *s, int exception, uint32_t pc)
{
    if (s->opt.vector_faults && exc_fault(s, exception, pc) == 0)
        return;
    sim_stop(s, SIM_FAULT);
}

static bool fpu_enabled(struct sim *s)
{
    return ((s->scs.cpacr >> 20) & 0xF) == 0xF;
}

static void poll(struct sim *s)
{
    if (s->opt.max_wall_s > 0 && sim_wall_now() - s->wall_start > s->opt.max_wall_s) {
        s->limit = LIMIT_WALL_CLOCK;
        snprintf(s->message, sizeof s->message, "wall-clock limit of %g s reached",
                 s->opt.max_wall_s);
        sim_stop(s, SIM_LIMIT);
    }
    if (s->dbg)
        debug_poll(s);
}

/* Timed events; returns true when the block at addr must not run now
 * (an exception was entered or the run stops). */
static bool events(struct sim *s, uint32_t addr)
{
    apply_memory_timing(s);
    scs_tick(s);
    if (s->poll_due) {
        s->poll_due = false;
        timing_tick(s->timing);
        poll(s);
    }
    if (s->status != SIM_RUNNING)
        return true;
    int exc = exc_pending_to_take(s);
    if (exc > 0) {
        exc_enter(s, exc, addr);
        return true;
    }
    scs_schedule(s);
    return false;
}

/* A lone "b ." that nothing can interrupt never ends. */
static void check_dead_loop(struct sim *s, uint32_t addr)
{
    if (s->scs.nvic.n_active > 0 && exc_current_priority(s) < 0) {
        char where[128];
        elf_image_format_addr(s->img, addr, where, sizeof where);
        if (s->fault.kind == FAULT_NONE)
            sim_set_fault(s, FAULT_HARDFAULT_LOOP, addr, 0, "fault handler loops forever");
        else
            snprintf(s->message, sizeof s->message,
                     "%s at %s: %s; the fault handler then looped forever at %s",
                     sim_fault_name(s->fault.kind), s->fault.symbol, s->fault.detail, where);
        sim_stop(s, SIM_FAULT);
        return;
    }
    bool systick_live = (s->scs.systick.csr & 3) == 3;
    bool periph_live = periph_bus_next_wakeup(s->periph) != UINT64_MAX;
    if (!systick_live && !periph_live && !exc_pending_to_take(s)) {
        sim_set_fault(s, FAULT_DEADLOCK, addr, 0,
                      "infinite loop with no interrupt enabled that could leave it");
        sim_stop(s, SIM_FAULT);
    }
}

/* Where the main stack starts: __stack_top, else the end of the main RAM. */
static uint32_t stack_top(const struct sim *s)
{
    const struct board_region *ram = board_main_region(&s->board, REGION_RAM);
    uint32_t top = ram->base + ram->size;
    uint32_t top_sym;
    if (!elf_image_symbol_addr(s->img, "__stack_top", &top_sym))
        top = top_sym;
    return top;
}

/* After a block that moved SP: MSP below __stack_limit is a stack overflow
 * whether or not anything touched the guard yet.  A frame larger than the
 * 1 KB guard jumps over it: its first stores land in the RAM below (the
 * arena, static data), unnoticed, and the guard would catch the overflow
 * only later, if at all, at a shallower address.  Checked once per such
 * block, before the next one runs; MSP only, the stack the limit bounds. */
static bool stack_overflowed(struct sim *s, const struct sim_block *prev)
{
    uint32_t msp;
    uc_reg_read(s->uc, UC_ARM_REG_MSP, &msp);
    if (msp >= s->stack_limit)
        return false;
    uint32_t top = stack_top(s);
    uint32_t pc = prev->insn_addr && prev->sp_write <= prev->n_insns ? prev->insn_addr[prev->sp_write - 1]
                                                                      : prev->addr;
    sim_set_fault(s, FAULT_STACK_OVERFLOW, pc, msp,
                  "stack overflow: SP moved to 0x%08x, %u bytes below the stack top (stack is %u bytes)", msp,
                  top - msp, top - s->stack_limit);
    sim_stop(s, SIM_FAULT);
    return true;
}

/* The block at (addr, size): most blocks are followed by one of the two
 * that followed them last time (loops, calls and returns to one caller),
 * so the successor cache spares the hash probe. */
static inline struct sim_block *next_block(struct sim *s, struct sim_block *prev, uint32_t addr, uint32_t size,
                                           bool *restart)
{
    if (prev) {
        struct sim_block *c = prev->succ[0];
        if (c && c->addr == addr && c->size == size)
            return c;
        c = prev->succ[1];
        if (c && c->addr == addr && c->size == size) {
            prev->succ[1] = prev->succ[0];
            prev->succ[0] = c;
            return c;
        }
    }
    struct sim_block *b = blocks_lookup(s, addr, size, restart);
    if (prev && b && !*restart) {
        prev->succ[1] = prev->succ[0];
        prev->succ[0] = b;
    }
    return b;
}

/* Whether the branch that ends prev was taken, with addr where execution
 * went on.  An unconditional B is always taken, also to the very next
 * instruction (the pico-sdk's divider pause is four such branches); for
 * the others only a jump away from the fall-through address tells. */
static inline bool branch_taken(const struct sim_block *prev, uint32_t addr)
{
    if (prev->end == END_BRANCH)
        return true;
    return prev->end != END_FALLTHROUGH && prev->end != END_TRAP && addr != prev->addr + prev->size;
}

/* Every case: new blocks, events, limits, faults, observers' samples. */
static void on_block_full(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    struct sim *s = user;
    uint32_t addr = (uint32_t)address;
    if (s->dbg && debug_block_begin(s, addr, size))
        return;
    bool restart = false;
    struct sim_block *prev = s->cur;
    struct sim_block *b = next_block(s, prev, addr, size, &restart);
    if (__builtin_expect(!b, 0)) {
        snprintf(s->message, sizeof s->message, "out of memory decoding the block at 0x%08x", addr);
        sim_stop(s, SIM_ERROR);
        return;
    }
    if (prev) {
        uint32_t c = prev->cycles + s->cur_dyn;
        if (prev->exit_checks)
            c += timing_block_exit(s->timing, uc, prev);
        if (branch_taken(prev, addr))
            c += prev->taken_cycles + b->refill;
        /* sim_complete_block(), inlined on the hot path. */
        s->cur = NULL;
        s->cycles += c;
        s->insns += prev->n_insns;
        if (s->has_obs)
            s->obs.block(s->obs.ctx, prev, c, addr);
        if (__builtin_expect(b == prev && b->self_loop, 0))
            check_dead_loop(s, addr);
        if (__builtin_expect(prev->sp_write != 0, 0) && s->stack_limit && s->status == SIM_RUNNING &&
            stack_overflowed(s, prev))
            return;
    }
    if (restart) {
        uint32_t pc = addr | 1;
        uc_reg_write(uc, UC_ARM_REG_PC, &pc);
        return;
    }
    if (__builtin_expect(s->cycles >= s->next_event, 0) && events(s, addr))
        return;
    if (__builtin_expect(s->insns + b->n_insns > s->insn_limit, 0)) {
        s->limit = LIMIT_INSTRUCTIONS;
        snprintf(s->message, sizeof s->message, "instruction limit of %llu reached",
                 (unsigned long long)s->opt.max_instructions);
        sim_stop(s, SIM_LIMIT);
        return;
    }
    if (__builtin_expect(b->has_fp && !fpu_enabled(s), 0)) {
        /* Silicon traps FP instructions until CPACR grants CP10/CP11;
         * Unicorn would run them, so the check is made here. */
        sim_set_fault(s, FAULT_NO_COPROCESSOR, addr, 0,
                      "floating-point instruction with the FPU disabled (CPACR)");
        take_fault(s, EXC_USAGEFAULT, addr);
        return;
    }
    if (__builtin_expect(b->sample, 0) && s->has_obs && s->obs.block_start)
        s->obs.block_start(s->obs.ctx, b);
    s->cur = b;
    s->cur_dyn = 0;
    s->cur_last_access = -1;
    if (s->trace) {
        s->trace[s->trace_pos] = addr;
        s->trace_pos = (s->trace_pos + 1) % s->opt.trace_depth;
        if (s->trace_len < s->opt.trace_depth)
            s->trace_len++;
    }
    if (b->mem_epoch != s->mem_epoch && b->has_mem_timing)
        s->cur_dyn += timing_block_run(s->timing, uc, b, b == prev);
    else
        s->cur_dyn += b->mem_charge;
    if (s->dbg)
        debug_block_started(s);
}

/* The hot path, taken for nearly every block: the block is the one that
 * followed the previous block last time, nothing is due, nothing is
 * rare about either block.  Anything else goes to on_block_full(). */
static void on_block(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    struct sim *s = user;
    uint32_t addr = (uint32_t)address;
    struct sim_block *prev = s->cur, *b;
    if (__builtin_expect(!prev || !(b = prev->succ[0]) || b->addr != addr || b->size != size ||
                             (prev->sp_write | b->has_fp | b->sample | b->self_loop) || s->slow_path,
                         0)) {
        on_block_full(uc, address, size, user);
        return;
    }
    uint32_t c = prev->cycles + s->cur_dyn;
    if (prev->exit_checks)
        c += timing_block_exit(s->timing, uc, prev);
    if (branch_taken(prev, addr))
        c += prev->taken_cycles + b->refill;
    uint64_t cycles = s->cycles + c, insns = s->insns + prev->n_insns;
    if (__builtin_expect(cycles >= s->next_event || insns + b->n_insns > s->insn_limit, 0)) {
        on_block_full(uc, address, size, user);
        return;
    }
    s->cycles = cycles;
    s->insns = insns;
    s->cur = b;
    s->cur_dyn = 0;
    s->cur_last_access = -1;
    if (s->has_obs)
        s->obs.block(s->obs.ctx, prev, c, addr);
    if (b->mem_epoch != s->mem_epoch && b->has_mem_timing)
        s->cur_dyn = timing_block_run(s->timing, uc, b, b == prev);
    else
        s->cur_dyn = b->mem_charge;
}

static void on_block_empty(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    (void)uc;
    (void)address;
    (void)size;
    (void)user;
}

static uint32_t read_pc(struct sim *s)
{
    uint32_t pc;
    uc_reg_read(s->uc, UC_ARM_REG_PC, &pc);
    return pc;
}

static void on_interrupt(uc_engine *uc, uint32_t intno, void *user)
{
    struct sim *s = user;
    uint32_t pc = read_pc(s);
    (void)uc;
    if ((intno == INTR_PREFETCH_ABORT || intno == INTR_EXCEPTION_EXIT) && pc >= 0xFFFFFF00u) {
        /* A branch to an EXC_RETURN value: the return is ours to do. */
        if (s->cur)
            sim_complete_block(s, pc | 1);
        exc_return(s, pc | 1);
        return;
    }
    switch (intno) {
    case INTR_SWI:
        if (s->cur)
            sim_complete_block(s, pc);
        exc_set_pending(s, EXC_SVCALL);
        if (exc_pending_to_take(s) == EXC_SVCALL) {
            exc_enter(s, EXC_SVCALL, pc);
        } else {
            /* SVC at or above its own priority escalates (ARMv7-M B1.5.4). */
            s->scs.nvic.pending[EXC_SVCALL] = 0;
            sim_set_fault(s, FAULT_INVALID_STATE, pc - 2, 0, "SVC executed where it cannot be taken");
            take_fault(s, EXC_HARDFAULT, pc - 2);
        }
        return;
    case INTR_BKPT: {
        const uint8_t *insn = sim_host_ptr(s, pc, 2);
        if (insn && insn[0] == 0xAB && insn[1] == 0xBE) {
            semihost_call(s);
            if (s->status == SIM_RUNNING) {
                uint32_t next = (pc + 2) | 1;
                uc_reg_write(s->uc, UC_ARM_REG_PC, &next);
            } else if (s->cur) {
                sim_complete_block(s, pc + 2);
            }
            return;
        }
        if (s->dbg && debug_trap(s, pc))
            return;
        if (s->cur)
            sim_complete_partial(s, s->cur->n_insns - 1);
        sim_set_fault(s, FAULT_BREAKPOINT, pc, 0, "breakpoint (BKPT 0x%02x) with no debugger attached",
                      insn ? insn[0] : 0);
        take_fault(s, EXC_HARDFAULT, pc);
        return;
    }
    case INTR_PREFETCH_ABORT:
        if (s->cur)
            sim_complete_block(s, pc);
        sim_set_fault(s, FAULT_FETCH_UNMAPPED, pc, pc, "instruction fetch from 0x%08x: no memory there", pc);
        take_fault(s, EXC_HARDFAULT, pc);
        return;
    default:
        if (s->cur)
            sim_complete_partial(s, 0);
        sim_set_fault(s, FAULT_UNDEFINED, pc, 0, "unexpected processor exception %u", intno);
        take_fault(s, EXC_HARDFAULT, pc);
        return;
    }
}

/* Memory that faults: remember what was touched; the run loop explains it
 * once the engine has stopped. */
static bool on_bad_access(uc_engine *uc, uc_mem_type type, uint64_t address, int size,
                          int64_t value, void *user)
{
    struct sim *s = user;
    (void)uc;
    (void)type;
    (void)value;
    s->bad_access_addr = (uint32_t)address;
    s->bad_access_size = size;
    return false;
}

/* Explains an engine error: finds the faulting instruction and reports. */
static void handle_engine_error(struct sim *s, uc_err e)
{
    uint32_t pc = read_pc(s);
    uint32_t addr = s->bad_access_addr;
    int idx;
    switch (e) {
    case UC_ERR_READ_UNMAPPED:
    case UC_ERR_WRITE_UNMAPPED:
    case UC_ERR_WRITE_PROT:
    case UC_ERR_READ_PROT: {
        bool write = e == UC_ERR_WRITE_UNMAPPED || e == UC_ERR_WRITE_PROT;
        idx = s->cur ? locate_access(s, s->cur, addr, write) : -1;
        if (idx >= 0)
            pc = s->cur->insn_addr[idx];
        sim_complete_partial(s, idx >= 0 ? (uint32_t)idx : 0);
        const struct board_region *r = board_region_of(&s->board, addr);
        bool guard = s->stack_limit && addr < s->stack_limit && addr + 4096 >= s->stack_limit;
        if (e == UC_ERR_WRITE_PROT && r && r->kind == REGION_FLASH)
            sim_set_fault(s, FAULT_WRITE_FLASH, pc, addr,
                          "write of %d bytes to flash at 0x%08x (flash is read-only at run time)",
                          s->bad_access_size, addr);
        else if (guard)
            sim_set_fault(s, FAULT_STACK_OVERFLOW, pc, addr, "stack overflow: access at 0x%08x", addr);
        else
            sim_set_fault(s, write ? FAULT_WRITE_UNMAPPED : FAULT_READ_UNMAPPED, pc, addr,
                          "%s of %d bytes at 0x%08x: no memory or peripheral there%s",
                          write ? "write" : "read", s->bad_access_size, addr,
                          s->reset_sp_off_ram ? " (the image's initial stack pointer lies outside the RAM of this "
                                                "board: was it linked for another board?)"
                                              : "");
        take_fault(s, EXC_HARDFAULT, pc);
        return;
    }
    case UC_ERR_FETCH_UNMAPPED:
    case UC_ERR_FETCH_PROT:
        if (e == UC_ERR_FETCH_UNMAPPED && addr >= 0xFFFFFF00u && (s->scs.nvic.n_active > 0)) {
            /* ARMv6-M cores report a branch to EXC_RETURN as a fetch fault. */
            if (s->cur)
                sim_complete_block(s, addr | 1);
            exc_return(s, addr | 1);
            return;
        }
        sim_complete_partial(s, s->cur ? s->cur->n_insns : 0);
        sim_set_fault(s, e == UC_ERR_FETCH_PROT ? FAULT_FETCH_NX : FAULT_FETCH_UNMAPPED, addr ? addr : pc,
                      addr ? addr : pc, "instruction fetch from 0x%08x: %s", addr ? addr : pc,
                      e == UC_ERR_FETCH_PROT ? "memory is not executable" : "no memory there");
        take_fault(s, EXC_HARDFAULT, addr ? addr : pc);
        return;
    case UC_ERR_INSN_INVALID:
        if (s->cur && pc - s->cur->addr < s->cur->size) {
            pc = s->cur->insn_addr[s->cur->n_insns ? s->cur->n_insns - 1 : 0];
            sim_complete_partial(s, s->cur->n_insns ? s->cur->n_insns - 1 : 0);
        }
        sim_set_fault(s, FAULT_UNDEFINED, pc, 0, "undefined or unsupported instruction on %s",
                      core_name(s->board.core));
        take_fault(s, EXC_USAGEFAULT, pc);
        return;
    case UC_ERR_EXCEPTION:
        sim_complete_partial(s, 0);
        sim_set_fault(s, FAULT_INVALID_STATE, pc, 0,
                      "invalid state (branch to an ARM-state address: bit 0 of the target clear?)");
        take_fault(s, EXC_USAGEFAULT, pc);
        return;
    default:
        snprintf(s->message, sizeof s->message, "engine error at 0x%08x: %s", pc, uc_strerror(e));
        s->status = SIM_ERROR;
        return;
    }
}

/* WFI/WFE stopped the engine: sleep until something can be taken. */
static void sleep_until_event(struct sim *s)
{
    uint32_t pc = read_pc(s);
    if (s->cur)
        sim_complete_block(s, pc);
    for (;;) {
        int exc = exc_pending_to_take(s);
        if (exc > 0) {
            exc_enter(s, exc, pc);
            return;
        }
        if (exc_pending_wakes(s))
            return; /* masked by PRIMASK: the core wakes and runs on */
        uint64_t wake = scs_next_wakeup(s);
        if (wake == UINT64_MAX) {
            /* Nothing can wake the core: on WFE an event may be latched, so
             * continue as silicon would; on WFI the program is stuck. */
            const uint8_t *p = sim_host_ptr(s, pc - 2, 2);
            if (p && p[0] == 0x20 && p[1] == 0xBF)
                return;
            sim_set_fault(s, FAULT_DEADLOCK, pc - 2, 0, "WFI with no interrupt enabled that could wake the core");
            sim_stop(s, SIM_FAULT);
            return;
        }
        if (wake > s->cycles) {
            s->sleep_cycles += wake - s->cycles;
            s->cycles = wake;
        }
        scs_tick(s);
        poll(s);
        if (s->status != SIM_RUNNING)
            return;
    }
}

/* ---- life cycle ---- */

struct sim *sim_create(const struct board *board, const struct sim_options *opt, char *err, size_t errlen)
{
    struct sim *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->board = *board;
    s->opt = *opt;
    if (!s->opt.out)
        s->opt.out = stdout;
    if (!s->opt.err)
        s->opt.err = stderr;
    if (!s->opt.in)
        s->opt.in = stdin;
    if (!s->opt.log)
        s->opt.log = stderr;
    s->clock_hz = board->clock_hz;
    s->board_clock_hz = board->clock_hz;

    uc_err e = uc_open(UC_ARCH_ARM, UC_MODE_THUMB, &s->uc);
    if (e) {
        snprintf(err, errlen, "cannot start the CPU engine: %s", uc_strerror(e));
        free(s);
        return NULL;
    }
    /* UC_MODE_MCLASS would silently give a Cortex-M33; the model is set
     * explicitly right after opening (Unicorn 2). */
    e = uc_ctl_set_cpu_model(s->uc, board->core->unicorn_model);
    if (e || !(s->decoder = decoder_open(board->core))) {
        snprintf(err, errlen, "cannot configure the %s core", core_name(board->core));
        uc_close(s->uc);
        free(s);
        return NULL;
    }
    s->timing = timing_create(board);
    if (s->timing)
        timing_bind_epoch(s->timing, &s->mem_epoch);
    if (!s->timing || blocks_init(&s->blocks) || semihost_init(s) || map_memory(s, err, errlen)) {
        if (!err[0])
            snprintf(err, errlen, "out of memory");
        sim_destroy(s);
        return NULL;
    }
    if (s->opt.trace_depth > 0) {
        s->trace = calloc(s->opt.trace_depth, sizeof *s->trace);
        if (!s->trace) {
            snprintf(err, errlen, "out of memory");
            sim_destroy(s);
            return NULL;
        }
        s->slow_path |= SLOW_TRACE;
    }
    if ((!s->opt.bare && uc_hook_add(s->uc, &s->hooks[0], UC_HOOK_BLOCK, (void *)on_block, s, 1, 0)) ||
        (s->opt.bare && s->opt.empty_hook &&
         uc_hook_add(s->uc, &s->hooks[0], UC_HOOK_BLOCK, (void *)on_block_empty, s, 1, 0)) ||
        uc_hook_add(s->uc, &s->hooks[1], UC_HOOK_INTR, (void *)on_interrupt, s, 1, 0) ||
        uc_hook_add(s->uc, &s->hooks[2], UC_HOOK_MEM_INVALID, (void *)on_bad_access, s, 1, 0)) {
        snprintf(err, errlen, "cannot install the simulator's hooks");
        sim_destroy(s);
        return NULL;
    }
    return s;
}

void sim_destroy(struct sim *s)
{
    if (!s)
        return;
    debug_free(s);
    if (s->uc)
        uc_close(s->uc);
    decoder_close(s->decoder);
    blocks_free(&s->blocks);
    timing_destroy(s->timing);
    periph_bus_destroy(s->periph);
    semihost_free(s);
    for (int i = 0; i < s->n_dyn; i++)
        free(s->dyn[i]);
    free(s->dyn);
    for (int i = 0; i < s->n_mem; i++)
        free(s->mem[i].host);
    free(s->trace);
    free(s);
}

static int load_range(struct sim *s, uint32_t addr, const void *bytes, uint32_t len, uint32_t memsz,
                      const char *what, char *err, size_t errlen)
{
    if (!memsz)
        return 0;
    const struct board_region *r = board_region_of(&s->board, addr);
    if (!r || r->kind == REGION_STUB || memsz > r->size - (addr - r->base)) {
        snprintf(err, errlen,
                 "%s: %s at 0x%08x..0x%08x lies outside the flash and RAM of board '%s'",
                 s->img ? s->img->path : "image", what, addr, addr + memsz - 1, s->board.name);
        return -1;
    }
    uint8_t *p = sim_host_ptr(s, addr, memsz);
    if (len)
        memcpy(p, bytes, len);
    memset(p + len, 0, memsz - len);
    return 0;
}

/* Any access to the guard below the main stack is a stack overflow: the
 * run stops there with the depth the stack reached. */
static uint64_t guard_read(uc_engine *uc, uint64_t offset, unsigned size, void *user);
static void guard_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value, void *user);

static void guard_hit(struct sim *s, uint32_t addr, bool write)
{
    int idx = s->cur ? locate_access(s, s->cur, addr, write) : -1;
    uint32_t pc = idx >= 0 ? s->cur->insn_addr[idx] : (s->cur ? s->cur->addr : 0);
    uint32_t top = stack_top(s);
    sim_set_fault(s, FAULT_STACK_OVERFLOW, pc, addr,
                  "stack overflow: %s at 0x%08x, %u bytes below the stack top (stack is %u bytes)",
                  write ? "write" : "read", addr, top - addr, top - s->stack_limit);
    s->stop_index = idx;
    sim_stop(s, SIM_FAULT);
}

static uint64_t guard_read(uc_engine *uc, uint64_t offset, unsigned size, void *user)
{
    struct sim *s = user;
    (void)uc;
    (void)size;
    guard_hit(s, s->stack_limit - STACK_GUARD_BYTES + (uint32_t)offset, false);
    return 0;
}

static void guard_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value, void *user)
{
    struct sim *s = user;
    (void)uc;
    (void)size;
    (void)value;
    guard_hit(s, s->stack_limit - STACK_GUARD_BYTES + (uint32_t)offset, true);
}

/* Remaps the main RAM as [base, guard) + guard (MMIO) + [limit, end), the
 * two RAM parts still backed by the same host buffer. */
static int map_stack_guard(struct sim *s, uint32_t limit, char *err, size_t errlen)
{
    uint32_t guard = limit - STACK_GUARD_BYTES;
    struct mem_map *m = NULL;
    for (int i = 0; i < s->n_mem; i++)
        if (s->mem[i].kind == REGION_RAM && guard - s->mem[i].base < s->mem[i].size &&
            limit - s->mem[i].base <= s->mem[i].size)
            m = &s->mem[i];
    if (!m || (guard & 0x3FF) || guard <= m->base)
        return 0; /* no room for a guard: run without one */
    if (uc_mem_unmap(s->uc, m->base, m->size) ||
        uc_mem_map_ptr(s->uc, m->base, guard - m->base, UC_PROT_ALL, m->host) ||
        uc_mmio_map(s->uc, guard, STACK_GUARD_BYTES, guard_read, s, guard_write, s) ||
        (m->base + m->size > limit &&
         uc_mem_map_ptr(s->uc, limit, m->base + m->size - limit, UC_PROT_ALL, m->host + (limit - m->base)))) {
        snprintf(err, errlen, "cannot map the stack guard at 0x%08x", guard);
        return -1;
    }
    s->stack_limit = limit;
    return 0;
}

int sim_load_elf(struct sim *s, const struct elf_image *img, char *err, size_t errlen)
{
    s->img = img;
    for (int i = 0; i < img->n_segs; i++) {
        const struct elf_segment *seg = &img->segs[i];
        char what[64];
        snprintf(what, sizeof what, "segment %d", i);
        /* Bytes go where they are loaded (paddr): initialized data sits in
         * flash until the start-up code copies it to RAM. */
        if (load_range(s, seg->paddr, seg->data, seg->filesz, seg->filesz, what, err, errlen))
            return -1;
        if (seg->memsz > seg->filesz &&
            load_range(s, seg->vaddr + seg->filesz, NULL, 0, seg->memsz - seg->filesz, what, err, errlen))
            return -1;
    }
    uint32_t limit;
    if (!elf_image_symbol_addr(img, "__stack_limit", &limit))
        return map_stack_guard(s, limit, err, errlen);
    return 0;
}

int sim_load_bytes(struct sim *s, uint32_t addr, const void *bytes, uint32_t len, char *err, size_t errlen)
{
    return load_range(s, addr, bytes, len, len, "data", err, errlen);
}

void sim_set_observer(struct sim *s, const struct sim_observer *obs)
{
    if (obs)
        s->obs = *obs;
    else
        memset(&s->obs, 0, sizeof s->obs);
    s->has_obs = obs && obs->block;
}

int sim_reset_core(struct sim *s, char *err, size_t errlen)
{
    scs_reset(s);
    /* A reset puts the clock tree and the memory timing back as the board
     * file describes them; the time simulated so far stays. */
    s->time_before = sim_time_at(s, s->cycles);
    s->clock_since = s->cycles;
    s->board.clock_hz = s->board_clock_hz;
    s->clock_hz = s->board.clock_hz;
    s->clock_source[0] = '\0';
    if (s->timing_source[0]) {
        if (timing_reconfigure(s->timing, &s->board.timing) || blocks_retime(s)) {
            snprintf(err, errlen, "out of memory re-timing the blocks for the board's memory timing");
            return -1;
        }
        s->timing_source[0] = '\0';
    }
    periph_bus_reset(s->periph);
    const uint8_t *vt = sim_host_ptr(s, s->board.vtor, 8);
    if (!vt) {
        snprintf(err, errlen, "no vector table at 0x%08x (board '%s' boots from there)", s->board.vtor,
                 s->board.name);
        return -1;
    }
    uint32_t sp = vt[0] | vt[1] << 8 | vt[2] << 16 | (uint32_t)vt[3] << 24;
    uint32_t pc = vt[4] | vt[5] << 8 | vt[6] << 16 | (uint32_t)vt[7] << 24;
    if (!(pc & 1)) {
        snprintf(err, errlen, "reset vector 0x%08x at 0x%08x has bit 0 clear: not a Thumb address", pc,
                 s->board.vtor + 4);
        return -1;
    }
    /* An initial SP outside RAM is legal (start-up code may set SP
     * itself) but is the usual sign of an image linked for another board;
     * the fault it leads to says so. */
    const struct board_region *sp_region = board_region_of(&s->board, sp - 1);
    s->reset_sp_off_ram = !sp_region || sp_region->kind != REGION_RAM;
    uint32_t control = 0, zero = 0;
    uc_reg_write(s->uc, UC_ARM_REG_CONTROL, &control);
    uc_reg_write(s->uc, UC_ARM_REG_IPSR, &zero);
    uc_reg_write(s->uc, UC_ARM_REG_MSP, &sp);
    uc_reg_write(s->uc, UC_ARM_REG_PC, &pc);
    uint32_t lr = 0xFFFFFFFFu;
    uc_reg_write(s->uc, UC_ARM_REG_LR, &lr);
    return 0;
}

int sim_run(struct sim *s, struct sim_result *res)
{
    memset(res, 0, sizeof *res);
    s->status = SIM_RUNNING;
    s->stop_index = -1;
    s->insn_limit = s->opt.max_instructions ? s->opt.max_instructions : UINT64_MAX;
    s->wall_start = sim_wall_now();
    if (sim_reset_core(s, res->message, sizeof res->message)) {
        res->status = SIM_ERROR;
        return -1;
    }
    scs_schedule(s);
    if (s->dbg)
        debug_run_started(s);
    while (s->status == SIM_RUNNING) {
        uint32_t pc = read_pc(s) | 1;
        s->bad_access_addr = 0;
        uc_err e = uc_emu_start(s->uc, pc, UNTIL_NEVER, 0, 0);
        if (s->status != SIM_RUNNING)
            break;
        if (e != UC_ERR_OK)
            handle_engine_error(s, e);
        else if (!s->dbg || !debug_engine_returned(s))
            sleep_until_event(s);
    }
    if (s->cur && s->status == SIM_FAULT && s->stop_index >= 0)
        sim_complete_partial(s, (uint32_t)s->stop_index);
    else if (s->cur)
        sim_complete_block(s, read_pc(s));
    if (s->status == SIM_FAULT && !s->message[0])
        snprintf(s->message, sizeof s->message, "%s at %s: %s", sim_fault_name(s->fault.kind),
                 s->fault.symbol, s->fault.detail);
    if (s->dbg)
        debug_run_ended(s);

    res->status = s->status;
    res->exit_code = s->exit_code;
    res->limit = s->limit;
    res->fault = s->fault;
    res->instructions = s->insns;
    res->cycles = s->cycles;
    res->sleep_cycles = s->sleep_cycles;
    res->sim_time_s = sim_time_at(s, s->cycles);
    res->clock_hz = s->clock_hz;
    snprintf(res->clock_source, sizeof res->clock_source, "%s", s->clock_source);
    snprintf(res->timing_source, sizeof res->timing_source, "%s", s->timing_source);
    res->wall_s = sim_wall_now() - s->wall_start;
    res->mips = res->wall_s > 0 ? s->insns / res->wall_s / 1e6 : 0;
    snprintf(res->message, sizeof res->message, "%s", s->message);
    return 0;
}

const struct board *sim_board(const struct sim *s)
{
    return &s->board;
}

const struct elf_image *sim_image(const struct sim *s)
{
    return s->img;
}

uint64_t sim_cycles(const struct sim *s)
{
    return s->cycles;
}

uint64_t sim_instructions(const struct sim *s)
{
    return s->insns;
}

uint32_t sim_reg(struct sim *s, int r)
{
    uint32_t v = 0;
    if (r >= 0 && r < 16)
        uc_reg_read(s->uc, core_reg_uc_ids[r], &v);
    return v;
}

void sim_registers(struct sim *s, uint32_t regs[16], uint32_t *xpsr, uint32_t *msp, uint32_t *psp)
{
    for (int i = 0; i < 16; i++)
        uc_reg_read(s->uc, core_reg_uc_ids[i], &regs[i]);
    uc_reg_read(s->uc, UC_ARM_REG_XPSR, xpsr);
    uc_reg_read(s->uc, UC_ARM_REG_MSP, msp);
    uc_reg_read(s->uc, UC_ARM_REG_PSP, psp);
}

int sim_trace(const struct sim *s, uint32_t *addrs, int max)
{
    int n = s->trace_len < max ? s->trace_len : max;
    int depth = s->opt.trace_depth;
    for (int i = 0; i < n; i++)
        addrs[i] = s->trace[(s->trace_pos - n + i + depth) % depth];
    return n;
}
