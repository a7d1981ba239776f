/*
 * periph.h — memory-mapped peripherals behind one interface.
 *
 * A peripheral model (a UART, a timer, a clock controller) is a table of
 * functions — reset, read, write, next event, event — and the size of the
 * state one instance keeps.  Board files create instances by model name,
 * base address and interrupt lines ([peripheral.NAME] sections, see
 * board.h); periph.c maps them, dispatches accesses to them, and asks them
 * when their next event is due, so that the run loop looks at peripherals
 * only when the cycle count passes the earliest such cycle, as it does for
 * SysTick.  No model ever costs anything per instruction, and a board
 * whose firmware touches no peripheral runs exactly as without them.
 *
 * Models are lazy: the state of an instance at any cycle follows from its
 * registers and the cycle at which they were last written (a counter's
 * value, whether a byte is still shifting out), and is computed when
 * firmware reads a register.  next_event() names only the cycles at which
 * an interrupt line may change.
 *
 * Access to peripheral space that no model claims follows the board's
 * `unmodelled` mode: stub (reads as zero, writes are ignored), log (the
 * same, and each register touched is reported once, with the instruction
 * that touched it) or fault (the run stops there).
 *
 * Adding a model: one file (periph_<family>.c) defining a const struct
 * periph_model, one row in periph_models.def, one line in meson.build;
 * then a [peripheral.NAME] section in a board file.
 */
#ifndef MCUSIM_PERIPH_H
#define MCUSIM_PERIPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "board.h"

#define PERIPH_NEVER UINT64_MAX

struct periph;
struct periph_bus;

struct periph_model {
    const char *name;          /* as board files name it: "cmsdk-uart" */
    const char *summary;       /* one line: what it models, after which manual */
    uint32_t size;             /* bytes of register space from the base */
    size_t state_size;         /* per-instance state, zeroed at creation */
    const char *const *irqs;   /* its interrupt outputs, in the order a board's
                                * `irq =` lists their lines; NULL: none */
    const char *const *params; /* the other keys its board section may set,
                                * NULL-terminated; NULL: none */
    /* Checks the instance's parameters and sets up what does not change at
     * reset; -1 with one line in err.  Optional. */
    int (*init)(struct periph *p, char *err, size_t errlen);
    /* Registers to their reset values.  Called before every run. */
    void (*reset)(struct periph *p);
    /* A 32-bit register at a word-aligned offset, as the instruction that
     * reads it at cycle `now` sees it.  Narrower reads take their bytes
     * from it. */
    uint32_t (*read)(struct periph *p, uint32_t offset, uint64_t now);
    /* A write to the word at `offset`: `value` holds the written bytes in
     * their lanes and `mask` says which lanes were written (0xFFFFFFFF for
     * a word store). */
    void (*write)(struct periph *p, uint32_t offset, uint32_t value, uint32_t mask, uint64_t now);
    /* A register's value without the side effects of reading it, for the
     * read-modify-write of RP2040 atomic aliases.  Optional. */
    uint32_t (*peek)(struct periph *p, uint32_t offset);
    /* The next cycle at which an interrupt line of the instance may
     * change, or PERIPH_NEVER.  Optional. */
    uint64_t (*next_event)(struct periph *p);
    /* Events due at or before `now`: bring the state up to date and set the
     * interrupt lines.  Optional. */
    void (*event)(struct periph *p, uint64_t now);
    /* Some clock changed (the core's, or one a clock controller publishes):
     * counters re-derive their rates from `now` on.  Optional. */
    void (*clocks_changed)(struct periph *p, uint64_t now);
};

/* One instance.  Models read the fields; periph.c owns them. */
struct periph {
    const struct periph_model *model;
    const struct board_periph *spec;   /* its section of the board file */
    const struct board *board;
    struct periph_bus *bus;            /* NULL while a board file is checked */
    uint32_t base, size;
    bool irq_level[BOARD_PERIPH_MAX_IRQS];
    uint64_t next_event;               /* cached model->next_event() */
    void *state;                       /* model->state_size bytes */
    int err_line;                      /* board line of a bad parameter (init) */
};

/* The model table (periph_models.def) and lookup by name. */
const struct periph_model *periph_model_find(const char *name);
/* Every model's name, ", "-separated into buf, for error messages. */
const char *periph_model_names(char *buf, size_t len);
/* The model table, for listing; returns the number of models. */
int periph_models(const struct periph_model *const **out);

/* Checks a board file's peripheral instance: a known model, keys it
 * accepts, values its init() accepts.  -1 with "FILE:LINE: problem". */
int periph_check(const struct board *b, int index, char *err, size_t errlen);

/* ---- what models may call ---- */

/* A parameter of the instance's board section, or NULL; and as a number
 * (-1 with one line in err when it is not one). */
const char *periph_param(const struct periph *p, const char *key);
int periph_param_u32(const struct periph *p, const char *key, uint32_t fallback, uint32_t *out, char *err,
                     size_t errlen);
/* The board line of a parameter (of the section when absent), for errors. */
int periph_param_line(const struct periph *p, const char *key);

/* Sets interrupt output `line` (its index in model->irqs) high or low.
 * A rising edge pends the NVIC line; a line still high when its handler
 * returns is pended again (a level-sensitive interrupt). */
void periph_irq(struct periph *p, int line, bool level);

/* The core's clock now (the board's until firmware configures it). */
uint32_t periph_core_hz(const struct periph *p);
/* A clock a controller published by name (fallback when none did). */
uint32_t periph_named_clock(const struct periph *p, const char *name, uint32_t fallback);
/* The instance's input clock: the clock its `clock =` key names, as a
 * clock controller publishes it (0 while that clock is stopped), else
 * the core's. */
uint32_t periph_clock_hz(const struct periph *p);
/* For clock controllers: publishes a named clock (e.g. "pclk1"); the
 * instances that use it are told at `now`. */
void periph_publish_clock(struct periph *p, const char *name, uint32_t hz, uint64_t now);
/* For clock controllers: the core now runs at hz from cycle `now`; `why`
 * says which register set it ("RCC: PLL"), for reports. */
void periph_set_core_clock(struct periph *p, uint32_t hz, const char *why, uint64_t now);
/* For flash and cache controllers: the memory timing the firmware set
 * (wait states, caches), applied from the next basic block on. */
void periph_set_memory_timing(struct periph *p, const struct board_timing *t, const char *why);
/* The memory timing in force (the board's until firmware sets it). */
const struct board_timing *periph_memory_timing(const struct periph *p);

/* For UARTs: a byte the firmware transmitted (to the console and the
 * --uart-out file); the next byte the console UART receives (--uart-in),
 * or -1 when there is none (not the console, no input, end of input). */
void periph_console_tx(struct periph *p, uint8_t byte);
int periph_console_rx(struct periph *p);

/* For DMA: copies between simulated memory and the model; -1 when the
 * range is not all RAM or flash (reads) or RAM (writes). */
int periph_mem_read(struct periph *p, uint32_t addr, void *buf, uint32_t len);
int periph_mem_write(struct periph *p, uint32_t addr, const void *buf, uint32_t len);

/* A register the model does not implement: handled by the unmodelled
 * mode as if no model were there (read returns 0). */
uint32_t periph_unmodelled_read(struct periph *p, uint32_t offset, uint64_t now);
void periph_unmodelled_write(struct periph *p, uint32_t offset, uint32_t value, uint32_t mask, uint64_t now);

/* A word written through a byte-lane mask. */
static inline uint32_t periph_merge(uint32_t old, uint32_t value, uint32_t mask)
{
    return (old & ~mask) | (value & mask);
}

/* ---- time ---- */

/* A count of ticks of a clock that runs at `num / den` ticks per core
 * cycle (both as given to periph_counter_rate), started and stopped by
 * firmware.  Its value at any cycle is computed, never stepped. */
struct periph_counter {
    bool running;
    uint64_t origin;   /* the cycle at which `base` ticks had been counted */
    uint64_t base;
    uint64_t num, den; /* ticks per cycle = num / den */
};

/* Ticks per cycle for a clock of hz_num / hz_den Hz on a core at core_hz. */
static inline void periph_counter_rate(struct periph_counter *c, uint64_t hz_num, uint64_t hz_den, uint64_t core_hz)
{
    c->num = hz_num ? hz_num : 1;
    c->den = (hz_den ? hz_den : 1) * (core_hz ? core_hz : 1);
}

static inline uint64_t periph_counter_ticks(const struct periph_counter *c, uint64_t now)
{
    if (!c->running || now <= c->origin)
        return c->base;
    return c->base + (uint64_t)((unsigned __int128)(now - c->origin) * c->num / c->den);
}

/* The first cycle at which the count reaches `ticks` (PERIPH_NEVER when
 * stopped short of it). */
static inline uint64_t periph_counter_cycle_at(const struct periph_counter *c, uint64_t ticks)
{
    if (ticks <= c->base)
        return c->origin;
    if (!c->running)
        return PERIPH_NEVER;
    unsigned __int128 d = ((unsigned __int128)(ticks - c->base) * c->den + c->num - 1) / c->num;
    return d > PERIPH_NEVER - c->origin ? PERIPH_NEVER : c->origin + (uint64_t)d;
}

static inline void periph_counter_start(struct periph_counter *c, uint64_t now, uint64_t ticks)
{
    c->base = ticks;
    c->origin = now;
    c->running = true;
}

static inline void periph_counter_stop(struct periph_counter *c, uint64_t now)
{
    c->base = periph_counter_ticks(c, now);
    c->origin = now;
    c->running = false;
}

/* Keeps the count and changes the rate from `now` on. */
static inline void periph_counter_rebase(struct periph_counter *c, uint64_t now, uint64_t hz_num, uint64_t hz_den,
                                         uint64_t core_hz)
{
    if (now > c->origin) {
        c->base = periph_counter_ticks(c, now);
        c->origin = now;
    }
    periph_counter_rate(c, hz_num, hz_den, core_hz);
}

/* Core cycles that `clocks` cycles of a clock at clock_hz take, rounded up. */
static inline uint64_t periph_cycles_for(uint64_t clocks, uint64_t clock_hz, uint64_t core_hz)
{
    if (!clock_hz)
        return PERIPH_NEVER;
    return (uint64_t)(((unsigned __int128)clocks * core_hz + clock_hz - 1) / clock_hz);
}

#endif /* MCUSIM_PERIPH_H */
