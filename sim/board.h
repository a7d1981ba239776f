/*
 * board.h — board descriptions: core, clock, memory map, timing and energy.
 *
 * A board is data: one INI file in boards/ (see boards/README.md for every
 * key).  This module parses and validates such a file with inih and finds a
 * board by name; nothing else in mcusim hard-codes a memory map, and the
 * core a board names is a row of the core table (cores.h).
 */
#ifndef MCUSIM_BOARD_H
#define MCUSIM_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cores.h"

#define BOARD_MAX_REGIONS 16
#define BOARD_ERR_LEN 512
#define BOARD_MAX_PERIPHS 48
#define BOARD_MAX_PARAMS 320
#define BOARD_PERIPH_MAX_IRQS 4
#define BOARD_MAX_IRQS 128      /* external interrupt lines the NVIC model has */

/* Bytes below the main stack that no firmware may touch: the linker
 * script places them under __stack_limit (ldscript.c) and the simulator
 * faults any access to them as a stack overflow (sim.c). */
#define STACK_GUARD_BYTES 1024u

enum region_kind {
    REGION_FLASH, /* read-only, executable; writes fault */
    REGION_RAM,   /* read/write/execute, zero wait states */
    REGION_STUB,  /* peripheral space: peripheral models, the rest
                   * handled by the board's unmodelled mode */
};

/* What an access to peripheral space that no model claims does. */
enum unmodelled_mode {
    UNMODELLED_STUB,   /* reads as zero, writes are ignored */
    UNMODELLED_LOG,    /* the same, and each register touched is reported once */
    UNMODELLED_FAULT,  /* the run stops with a fault naming the access */
};

struct board_region {
    char name[32];
    enum region_kind kind;
    uint32_t base;
    uint32_t size;
};

/* Memory timing (flash wait states, caches): read by the cycle model.
 * docs/cycle-model.md says how each key is used; every board file gives
 * the source of its numbers. */
struct board_timing {
    uint32_t flash_wait_states;   /* extra cycles per flash access that misses */
    uint32_t flash_line_bytes;    /* bytes fetched per flash access (prefetch width) */
    bool icache;                  /* instruction cache present and enabled */
    uint32_t icache_bytes;        /* cache capacity */
    uint32_t icache_line_bytes;   /* cache line size */
    uint32_t icache_ways;         /* associativity */
    uint32_t icache_miss_cycles;  /* cycles per instruction cache miss (0: flash_wait_states) */
    bool dcache;                  /* data reads from flash cached too (e.g. ART) */
    uint32_t dcache_bytes;
    uint32_t dcache_line_bytes;
    uint32_t dcache_ways;
    uint32_t dcache_miss_cycles;  /* cycles per data cache miss (0: flash_wait_states) */
    bool cache_unified;           /* one cache for instructions and data (RP2040 XIP) */
    bool flash_data_reads;        /* charge loads through registers that point into flash */
    uint32_t muls_cycles;         /* Cortex-M0+ MULS: 1 (fast) or 32 (small) */
};

/* Energy model: an estimate, derived from datasheet run currents. */
struct board_energy {
    double supply_v;              /* supply voltage */
    double run_ua_per_mhz;        /* base run current from flash, per MHz */
    double sleep_ua;              /* current while waiting for an interrupt */
    /* Extra current, in µA/MHz, that one such event per cycle would add;
     * zero means "included in the base current" (see profiler/energy.h). */
    double flash_read_extra_ua_per_mhz;
    double mul_extra_ua_per_mhz;
    double fpu_extra_ua_per_mhz;
    bool present;
};

/* A peripheral instance: a [peripheral.NAME] section (periph.h). */
struct board_periph {
    char name[24];
    char model[24];              /* a model of periph_models.def */
    uint32_t base;
    uint32_t size;               /* 0 in the file: the model's */
    int irq[BOARD_PERIPH_MAX_IRQS]; /* NVIC lines of the model's outputs, -1: none */
    int n_irqs;
    char clock[24];              /* input clock a controller publishes; "": the core's */
    bool console;                /* receives the --uart-in bytes */
    bool rp2040_aliases;         /* aliases = rp2040: XOR/SET/CLR views at +0x1000/0x2000/0x3000 */
    int line;                    /* the section's first key */
    int base_line, irq_line;
};

/* Any other key of a [peripheral.NAME] section: the model's to read. */
struct board_param {
    char key[24];
    char value[56];
    uint16_t periph;             /* index into board.periphs */
    int line;
};

struct board {
    char name[64];
    char description[160];
    char path[512];              /* file it was read from */
    const struct core_desc *core; /* its row in cores.def */
    uint32_t clock_hz;
    uint32_t vtor;               /* boot vector table address */
    bool vtor_set;
    uint32_t stack_bytes;        /* main stack reserved by the linker script */
    struct board_region regions[BOARD_MAX_REGIONS];
    int n_regions;
    struct board_timing timing;
    struct board_energy energy;
    enum unmodelled_mode unmodelled; /* [board] unmodelled = stub | log | fault */
    struct board_periph periphs[BOARD_MAX_PERIPHS];
    int n_periphs;
    struct board_param params[BOARD_MAX_PARAMS];
    int n_params;
};

/* Reads and validates a board file.  On error returns -1 and writes one
 * line "FILE:LINE: problem" into err. */
int board_load(const char *path, struct board *b, char *err, size_t errlen);

/* Finds a board by name (searched in the board directories) or by path (an
 * argument containing '/' or ending in ".ini"), then loads it. */
int board_find(const char *name_or_path, struct board *b, char *err, size_t errlen);

/* The directory searched for boards by name: $MCUSIM_BOARDS, else the
 * source tree's boards/ compiled in, else the installed data directory. */
const char *board_dir(void);

/* Lists every board file in board_dir(), sorted by name.  Returns the count,
 * or -1 with err set.  *out is malloc'd; free with free(). */
int board_list(struct board **out, char *err, size_t errlen);

const struct board_region *board_region_of(const struct board *b, uint32_t addr);
/* "stub", "log", "fault"; and back (-1 when unknown). */
const char *board_unmodelled_name(enum unmodelled_mode m);
int board_unmodelled_parse(const char *name);
const struct board_region *board_main_region(const struct board *b, enum region_kind kind);

#endif /* MCUSIM_BOARD_H */
