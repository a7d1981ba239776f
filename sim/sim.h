/*
 * sim.h — one simulated Cortex-M microcontroller.
 *
 * A struct sim owns a Unicorn engine, the board's memory, the core
 * peripherals (NVIC, SCB, SysTick, DWT, ITM), semihosting state and the
 * cycle model.  Nothing is global: any number of simulations can live in
 * one process.
 *
 * The simulator knows nothing about layers, databases or reports.  It tells
 * an observer what happened (DESIGN.md, "data flows one way"):
 *   - a basic block completed: its static description and the cycles it
 *     took, dynamic terms included;
 *   - a word was written to an ITM stimulus port (profiling markers), with
 *     the exact cycle and instruction count at the writing instruction;
 *   - an exception was entered or returned from.
 */
#ifndef MCUSIM_SIM_H
#define MCUSIM_SIM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "board.h"
#include "elf_image.h"

/* Instruction classes for the instruction mix and the energy model. */
enum insn_class {
    CLASS_ALU,
    CLASS_MUL,      /* multiplies, multiply-accumulates, SIMD/DSP */
    CLASS_LOAD,
    CLASS_STORE,
    CLASS_BRANCH,
    CLASS_FPU,
    CLASS_OTHER,    /* system, hints, barriers, IT, breakpoints */
    CLASS_COUNT
};
extern const char *const insn_class_names[CLASS_COUNT];

/* How a basic block ends: what the next block's address means. */
enum block_end {
    END_FALLTHROUGH,   /* no branch (split by size or page) */
    END_BRANCH,        /* unconditional direct branch */
    END_COND_BRANCH,   /* conditional branch, CBZ/CBNZ */
    END_CALL,          /* BL/BLX: the next block is a function entry */
    END_RETURN,        /* BX LR, POP {..,PC}, LDR PC,[SP],#4 */
    END_INDIRECT,      /* other writes to PC: tables, computed jumps */
    END_TRAP,          /* SVC, BKPT, UDF: control goes to the simulator */
};

/* A basic block, decoded once (decoder.c) and cached for the whole run. */
struct sim_block {
    uint32_t addr;
    uint32_t size;
    uint32_t n_insns;
    uint32_t cycles;           /* static cycles, falling through, no dynamic terms */
    uint32_t taken_cycles;     /* extra cycles when the final branch is taken */
    uint32_t refill;           /* pipeline refill when a taken branch lands here */
    uint32_t mem_epoch;        /* timing.c: memory timing settled while equal to its epoch */
    uint32_t mem_charge;       /* timing.c: memory cycles per execution while settled */
    uint8_t end;               /* enum block_end */
    uint8_t has_fp;            /* contains floating-point instructions */
    uint8_t self_loop;         /* a lone branch to itself ("b .") */
    uint8_t has_mem_timing;    /* mem_timing is set: caches, flash data reads or alignment to
                                * evaluate when the block starts */
    uint8_t exit_checks;       /* timing_block_exit() adds cycles when the block completes */
    uint8_t sample;            /* observer wants block_start before it runs */
    uint16_t class_count[CLASS_COUNT];
    uint16_t sp_write;         /* 1 + index of the last instruction that writes SP, 0: none */
    uint32_t *insn_addr;       /* n_insns addresses */
    uint8_t *insn_class;       /* n_insns classes */
    uint32_t *prefix_cycles;   /* n_insns+1: static cycles before insn i */
    void *mem_ops;             /* its loads' and stores' memory operands (locate.c) */
    void *mem_timing;          /* run-time memory timing (timing.c), NULL when none */
    void *user;                /* the observer's data for this block */
    struct sim_block *succ[2]; /* the blocks that last followed this one */
};

/* Where a memory instruction's access went, as seen at block start. */
enum access_region {
    ACCESS_NONE,        /* not a memory instruction */
    ACCESS_FLASH_LOAD,
    ACCESS_RAM_LOAD,
    ACCESS_FLASH_STORE, /* faults at run time; counted for completeness */
    ACCESS_RAM_STORE,
    ACCESS_OTHER_LOAD,  /* peripherals, the PPB */
    ACCESS_OTHER_STORE,
};

struct sim_observer {
    void *ctx;
    /* A block finished: `cycles` is what it cost, dynamic terms included;
     * `next` is the address execution continues at.  b->user is the
     * observer's to use. */
    void (*block)(void *ctx, struct sim_block *b, uint32_t cycles, uint32_t next);
    /* A block is about to run and the observer set b->sample: registers are
     * those at the block's start (see sim_classify_accesses). */
    void (*block_start)(void *ctx, struct sim_block *b);
    /* A word written to ITM stimulus port `port`.  cycles/instructions are
     * exact at the writing instruction, which is instruction `index` of block
     * `b` (instructions before it already executed). */
    void (*itm)(void *ctx, unsigned port, uint32_t value, uint64_t cycles,
                uint64_t instructions, const struct sim_block *b, uint32_t index);
    /* Exception entry (number > 0) or return (number < 0: -returning one). */
    void (*exception)(void *ctx, int number, uint64_t cycles);
};

enum sim_status {
    SIM_RUNNING,
    SIM_EXITED,   /* the firmware exited through semihosting */
    SIM_FAULT,    /* the firmware faulted (see struct sim_fault) */
    SIM_LIMIT,    /* an instruction or wall-clock limit stopped it */
    SIM_ERROR,    /* the simulator failed (out of memory, engine error) */
};

enum sim_fault_kind {
    FAULT_NONE,
    FAULT_READ_UNMAPPED,    /* load from an address outside the memory map */
    FAULT_WRITE_UNMAPPED,
    FAULT_FETCH_UNMAPPED,   /* jump to an address with no memory */
    FAULT_WRITE_FLASH,      /* store to flash (read-only at run time) */
    FAULT_FETCH_NX,         /* execution from non-executable memory */
    FAULT_UNDEFINED,        /* undefined or unsupported instruction */
    FAULT_INVALID_STATE,    /* ARM state, bad EXC_RETURN, vector without Thumb bit */
    FAULT_NO_COPROCESSOR,   /* FPU used while disabled in CPACR */
    FAULT_DIVIDE_BY_ZERO,   /* with CCR.DIV_0_TRP set */
    FAULT_STACK_OVERFLOW,   /* SP below the stack's guard region */
    FAULT_LOCKUP,           /* fault while in HardFault or NMI */
    FAULT_HARDFAULT_LOOP,   /* a fault handler that loops forever */
    FAULT_DEADLOCK,         /* WFI/infinite loop with nothing that can wake it */
    FAULT_BREAKPOINT,       /* BKPT other than semihosting, no debugger */
};

enum sim_limit_kind {
    LIMIT_NONE,
    LIMIT_INSTRUCTIONS,
    LIMIT_WALL_CLOCK,
    LIMIT_DEBUGGER,          /* a debugger ended the run (debug.h, RESUME_KILL) */
};

struct sim_fault {
    enum sim_fault_kind kind;
    uint32_t pc;             /* the faulting instruction */
    uint32_t address;        /* the data address, where one applies */
    char symbol[128];        /* pc as symbol+offset */
    char detail[256];        /* one line, e.g. "read of 4 bytes at 0x30000000" */
};

struct sim_result {
    enum sim_status status;
    int exit_code;           /* firmware status when SIM_EXITED */
    enum sim_limit_kind limit;
    struct sim_fault fault;
    uint64_t instructions;
    uint64_t cycles;
    uint64_t sleep_cycles;   /* cycles spent in WFI/WFE */
    double sim_time_s;       /* cycles at the clocks the core ran at */
    uint32_t clock_hz;       /* the core clock at the end (the board's unless firmware set it) */
    char clock_source[96];   /* what set it: "" for the board file, else e.g. "RCC: PLL" */
    char timing_source[160]; /* memory timing: "" for the board file's, else what firmware set */
    double wall_s;           /* host time, without time stopped in a debugger */
    double mips;
    char message[1024];      /* one-line diagnostic for non-exit outcomes */
};

struct sim_options {
    uint64_t max_instructions;   /* 0: unlimited */
    double max_wall_s;           /* 0: unlimited; time stopped in a debugger does not count */
    const char *cmdline;         /* semihosting command line, argv[0] first */
    /* Host files the firmware opens by a fixed name (":input" and the
     * like), so that the firmware's own work does not depend on where the
     * files are: same inputs, same cycles, on every machine. */
    const char *const *file_alias; /* name, path, name, path, ..., NULL */
    FILE *out;                   /* firmware stdout (default stdout) */
    FILE *err;                   /* firmware stderr (default stderr) */
    FILE *in;                    /* firmware stdin (default: empty) */
    FILE *uart_in;               /* bytes the console UART receives (NULL: none) */
    FILE *uart_out;              /* a copy of every byte a UART transmits (NULL: none) */
    FILE *log;                   /* unmodelled-peripheral reports (default stderr) */
    bool unmodelled_set;         /* unmodelled overrides the board's mode */
    enum unmodelled_mode unmodelled;
    bool vector_faults;          /* enter the firmware's fault handlers */
    bool bare;                   /* no block hook: the engine's own speed, for
                                  * `mcusim bench` (no cycles, no instruction
                                  * count, no SysTick, no profiling) */
    bool empty_hook;             /* with bare: an empty block hook, to measure
                                  * what any block hook costs in Unicorn */
    int trace_depth;             /* last executed block addresses kept for -v */
};

struct sim;

/* Creates a simulator for a board; returns NULL with err set. */
struct sim *sim_create(const struct board *board, const struct sim_options *opt,
                       char *err, size_t errlen);
void sim_destroy(struct sim *s);

/* Loads a firmware image: every loadable segment must lie in the board's
 * flash or RAM.  The image stays referenced (symbols) and must outlive s. */
int sim_load_elf(struct sim *s, const struct elf_image *img, char *err, size_t errlen);

/* Writes bytes into simulated memory as a programmer would (flash too). */
int sim_load_bytes(struct sim *s, uint32_t addr, const void *bytes, uint32_t len,
                   char *err, size_t errlen);

void sim_set_observer(struct sim *s, const struct sim_observer *obs);

/* Resets the core (SP and PC from the vector table) and runs until the
 * firmware exits, faults or hits a limit. */
int sim_run(struct sim *s, struct sim_result *res);

/* Direct access to simulated memory, for the observer and tests.  Returns
 * a pointer to len readable bytes at addr, or NULL if not all mapped. */
const uint8_t *sim_mem(const struct sim *s, uint32_t addr, uint32_t len);
/* The same for RAM that an observer may write (painting unused memory). */
uint8_t *sim_ram_writable(struct sim *s, uint32_t addr, uint32_t len);
int sim_read_string(const struct sim *s, uint32_t addr, char *buf, size_t len);

/* The board as simulated: its clock_hz is the core clock now, which is
 * the board file's until firmware configures its clock controller. */
const struct board *sim_board(const struct sim *s);
const struct elf_image *sim_image(const struct sim *s);
uint64_t sim_cycles(const struct sim *s);        /* completed blocks, exceptions */
uint64_t sim_instructions(const struct sim *s);

/* Register r (0-15) now.  Inside observer callbacks it is the value the
 * current instruction sees. */
uint32_t sim_reg(struct sim *s, int r);

/* For each instruction of b (about to run, registers at its start), where
 * its memory access goes: out[i] is an enum access_region.  Addresses are
 * computed from the registers, following base-register write-back through
 * the block; an address that depends on a value loaded or computed inside
 * the block counts as RAM.  Returns 0. */
int sim_classify_accesses(struct sim *s, struct sim_block *b, uint8_t *out);

/* The core's registers for diagnostics (r0-r15, xpsr, msp, psp). */
void sim_registers(struct sim *s, uint32_t regs[16], uint32_t *xpsr, uint32_t *msp, uint32_t *psp);

/* The last executed block addresses, oldest first; returns the count. */
int sim_trace(const struct sim *s, uint32_t *addrs, int max);

const char *sim_status_name(enum sim_status st);
const char *sim_fault_name(enum sim_fault_kind k);

#endif /* MCUSIM_SIM_H */
