/*
 * sim_internal.h — the state of one simulator, shared by the sim/ modules.
 *
 * sim.c runs the engine and owns the hooks; blocks.c caches decoded blocks;
 * decoder.c decodes their instructions and timing*.c computes their costs;
 * scs.c is the Private Peripheral Bus (NVIC, SCB, SysTick, DWT, ITM);
 * exceptions.c does exception entry and return; semihost.c serves
 * BKPT 0xAB; locate.c finds which instruction of a block made a memory
 * access; debug.c is the debugger's interface (debug.h); periph.c is the
 * bus of the board's peripheral models.  The core's description is its
 * row in cores.def.  Nothing here is visible outside sim/.
 */
#ifndef MCUSIM_SIM_INTERNAL_H
#define MCUSIM_SIM_INTERNAL_H

#include <unicorn/unicorn.h>

#include "decoder.h"
#include "sim.h"
#include "timing.h"

#define NUM_EXCEPTIONS (16 + BOARD_MAX_IRQS) /* system exceptions + 128 external IRQs */
#define SEMIHOST_MAX_FILES 32

/* Exception numbers (ARMv7-M ARM B1.5.2). */
enum {
    EXC_RESET = 1, EXC_NMI = 2, EXC_HARDFAULT = 3, EXC_MEMMANAGE = 4, EXC_BUSFAULT = 5,
    EXC_USAGEFAULT = 6, EXC_SVCALL = 11, EXC_DEBUGMON = 12, EXC_PENDSV = 14, EXC_SYSTICK = 15,
};

struct mem_map {
    uint32_t base, size;
    enum region_kind kind;
    uint8_t *host;          /* NULL for stub (MMIO) regions */
};

/* Keys live in the slot, so a probe reads one cache line and dereferences
 * only the block it finds. */
struct block_slot {
    uint32_t addr, size;
    struct sim_block *block;  /* NULL: empty */
};

struct block_cache {
    struct block_slot *slots; /* open addressing on (addr, size) */
    uint32_t mask;
    uint32_t count;
};

/* Per-instruction hook sites for instructions timed by operand values. */
struct dyn_site {
    struct sim *sim;
    struct timing_dyn site;
    uc_hook hook;
    /* s->insns when it was last charged: the count only grows between two
     * executions of the site, so an equal count is the same execution
     * seen twice (a debugger stopped the engine on this instruction). */
    uint64_t charged_at;
};

/* Why the block hook must take its full path (struct sim.slow_path). */
enum { SLOW_TRACE = 1, SLOW_DEBUG = 2 };

struct sim_debug;

struct nvic {
    uint8_t enabled[NUM_EXCEPTIONS];
    uint8_t pending[NUM_EXCEPTIONS];
    uint8_t active[NUM_EXCEPTIONS];
    uint8_t priority[NUM_EXCEPTIONS];
    int n_active;
    int active_stack[NUM_EXCEPTIONS]; /* nesting order */
};

struct systick {
    uint32_t csr;           /* ENABLE, TICKINT, CLKSOURCE; COUNTFLAG kept apart */
    uint32_t reload;
    bool countflag;
    uint64_t start;         /* cycle at which the counter held RELOAD */
    uint64_t last_tick;     /* cycle up to which zeros were accounted */
};

struct scs {
    struct nvic nvic;
    struct systick systick;
    uint32_t vtor, aircr_prigroup, scr, ccr, shcsr;
    uint32_t cfsr, hfsr, mmfar, bfar;
    uint32_t cpacr, fpccr, fpcar;
    uint32_t demcr;
    uint32_t dwt_ctrl;
    uint64_t cyccnt_base;   /* CYCCNT = cycles - base while enabled */
    uint32_t cyccnt_frozen; /* value while disabled */
    uint32_t itm_tcr, itm_ter, itm_tpr;
};

struct semihost {
    FILE *files[SEMIHOST_MAX_FILES];
    bool owned[SEMIHOST_MAX_FILES];
    int last_errno;
    char *cmdline;
    uint32_t features_pos;  /* read position in ":semihosting-features" */
};

struct sim {
    uc_engine *uc;
    struct decoder *decoder;
    struct board board;
    const struct elf_image *img;
    struct sim_options opt;
    struct sim_observer obs;
    bool has_obs;

    struct mem_map mem[BOARD_MAX_REGIONS];
    int n_mem;
    uc_hook hooks[6];
    uint8_t slow_path;      /* SLOW_*: every block goes through the full block hook */

    /* Execution accounting.  `cycles` and `insns` cover completed blocks;
     * the running block's share is added when it completes. */
    uint64_t cycles;
    uint64_t insns;
    uint64_t sleep_cycles;
    struct sim_block *cur;  /* block executing now, NULL between blocks */
    uint32_t cur_dyn;       /* dynamic cycles of `cur` so far */
    int cur_last_access;    /* index of the last located access in `cur` */
    uint64_t next_event;    /* cycle of the next timed event (SysTick, poll) */
    uint64_t insn_limit;    /* --max-instructions, UINT64_MAX when none */
    uint64_t next_poll;     /* cycle of the next wall-clock poll */
    bool poll_due;
    bool any_pending;       /* some exception is pending (maybe masked) */
    uint32_t stack_limit;   /* __stack_limit of the image, 0 if unknown */
    bool reset_sp_off_ram;  /* the vector table's initial SP is not in the board's RAM */
    uint32_t bad_access_addr; /* last faulting access, for the diagnostic */
    int bad_access_size;
    int stop_index;         /* instruction of `cur` the run stopped at, or -1 */

    struct block_cache blocks;
    struct timing *timing;
    uint32_t mem_epoch;        /* memory-timing epoch (timing_bind_epoch): blocks whose
                                * mem_epoch equals it cost just their mem_charge */
    struct dyn_site **dyn;
    int n_dyn, cap_dyn;

    struct scs scs;
    struct semihost sh;
    struct periph_bus *periph;

    /* The core clock: the board's until firmware configures its clock
     * controller (periph_set_core_clock); time is integrated over it. */
    uint32_t clock_hz;
    uint32_t board_clock_hz;  /* the board file's */
    uint64_t clock_since;     /* cycle the clock last changed at */
    double time_before;       /* seconds simulated before clock_since */
    char clock_source[96];    /* "" while the board's */
    char timing_source[160];  /* "" while the board's memory timing applies */

    enum sim_status status;
    int exit_code;
    enum sim_limit_kind limit;
    struct sim_fault fault;
    char message[1024];
    double wall_start;

    uint32_t *trace;        /* ring of the last block addresses */
    int trace_pos, trace_len;

    struct sim_debug *dbg;  /* the attached debugger's state, NULL: none */
};

/* blocks.c */
int blocks_init(struct block_cache *c);
void blocks_free(struct block_cache *c);
/* Whether a decoded block holds any byte of [addr, addr + len). */
bool blocks_overlap(const struct block_cache *c, uint32_t addr, uint32_t len);
/* The cached block at (addr, size), decoded on first sight.  *restart is
 * set when new per-instruction hooks were added for it: the caller must
 * re-enter the block so that its translation includes them. */
struct sim_block *blocks_lookup(struct sim *s, uint32_t addr, uint32_t size, bool *restart);
/* Times every cached block again (the memory timing changed); -1 when
 * out of memory. */
int blocks_retime(struct sim *s);

/* scs.c */
void scs_reset(struct sim *s);
uint64_t scs_read(uc_engine *uc, uint64_t offset, unsigned size, void *user);
void scs_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value, void *user);
void scs_schedule(struct sim *s);          /* recompute s->next_event */
void scs_tick(struct sim *s);              /* timed events due at s->cycles */
uint64_t scs_next_wakeup(struct sim *s);   /* next cycle an interrupt can pend, or UINT64_MAX */
uint32_t scs_cpuid(const struct sim *s);

/* exceptions.c */
void exc_set_pending(struct sim *s, int num);
int exc_pending_to_take(struct sim *s);    /* exception number, or 0 */
int exc_enter(struct sim *s, int num, uint32_t return_addr);
int exc_return(struct sim *s, uint32_t exc_return);
int exc_current_priority(struct sim *s);
/* An exception is pending that would preempt if PRIMASK were clear: what
 * wakes WFI (ARMv7-M ARM B1.5.19), taken or not. */
bool exc_pending_wakes(struct sim *s);
int exc_fault(struct sim *s, int num, uint32_t pc);

/* semihost.c */
int semihost_init(struct sim *s);
void semihost_free(struct sim *s);
void semihost_call(struct sim *s);          /* at a BKPT 0xAB */

/* periph.c (the model side is periph.h) */
struct periph_bus *periph_bus_create(struct sim *s, char *err, size_t errlen);
int periph_bus_map(struct periph_bus *bus, char *err, size_t errlen);
void periph_bus_destroy(struct periph_bus *bus);
void periph_bus_reset(struct periph_bus *bus);
uint64_t periph_bus_next_event(const struct periph_bus *bus);
void periph_bus_tick(struct periph_bus *bus, uint64_t now);
/* The next cycle a peripheral event may raise an interrupt the NVIC has
 * enabled, or UINT64_MAX: what can wake a sleeping core. */
uint64_t periph_bus_next_wakeup(const struct periph_bus *bus);
/* Handler of external interrupt irq returned: pends it again while high. */
void periph_bus_irq_returned(struct periph_bus *bus, int irq);
/* Memory timing firmware set since the last call: 0 none; 1 set to what
 * was in force; 2 changed.  *t and why: what and who. */
int periph_bus_take_timing(struct periph_bus *bus, struct board_timing *t, char *why, size_t whylen);

/* locate.c */
/* Keeps the memory operands of a block's decoded instructions; -1 when out
 * of memory. */
int locate_block(struct sim_block *b, const struct insn_facts *facts, size_t n);
/* The index of the instruction of running block b that accessed addr, or
 * -1 when the block has no load or store. */
int locate_access(struct sim *s, struct sim_block *b, uint32_t addr, bool write);
void locate_free(struct sim_block *b);
/* Where instruction `index` of b, about to execute with the registers as
 * they are now, loads or stores: its lowest address and bytes.  False
 * when it is neither a load nor a store. */
bool locate_insn_access(struct sim *s, const struct sim_block *b, uint32_t index, uint32_t *addr, uint32_t *bytes,
                        bool *write);

/* debug.c: the debugger's hooks in the run loop, called only when s->dbg
 * is set.  debug_block_begin() comes first in the full block hook: true
 * when the block is the rest of one the debugger stopped inside (the hook
 * is then done); debug_block_started() last, once a block has begun;
 * debug_engine_returned() after uc_emu_start(): true when the engine
 * stopped for the debugger (served; run on), false for the run loop's own
 * reasons. */
bool debug_block_begin(struct sim *s, uint32_t addr, uint32_t size);
void debug_block_started(struct sim *s);
bool debug_engine_returned(struct sim *s);
void debug_poll(struct sim *s);
bool debug_trap(struct sim *s, uint32_t pc);   /* a BKPT other than semihosting */
void debug_run_started(struct sim *s);
void debug_run_ended(struct sim *s);
void debug_free(struct sim *s);

/* sim.c */
/* The cycle count when instruction `index` of the running block starts
 * (DWT CYCCNT as that instruction sees it); index < 0: the block's start. */
uint64_t sim_now_at(const struct sim *s, int index);
void sim_stop(struct sim *s, enum sim_status st);
/* Settles the running block as interrupted before instruction `done`. */
void sim_complete_partial(struct sim *s, uint32_t done);
/* SP and PC from the vector table, the core's mode registers and the core
 * peripherals reset.  Returns 0, or -1 with err. */
int sim_reset_core(struct sim *s, char *err, size_t errlen);
void sim_set_fault(struct sim *s, enum sim_fault_kind kind, uint32_t pc, uint32_t addr,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
uint8_t *sim_host_ptr(struct sim *s, uint32_t addr, uint32_t len);
/* The core runs at hz from cycle `now` on, as `why` configured it. */
void sim_set_clock(struct sim *s, uint32_t hz, const char *why, uint64_t now);
/* Simulated seconds at cycle `now`, over every clock the core ran at. */
double sim_time_at(const struct sim *s, uint64_t now);
void sim_complete_block(struct sim *s, uint32_t next);
double sim_wall_now(void);

#endif /* MCUSIM_SIM_INTERNAL_H */
