/*
 * run_record.h — the record of one profiled run: the run, its layers (or
 * firmware-marked regions) and its functions.  The profiler fills it
 * (collector.h, session.h), the database stores it (db.h) and the reports
 * read the stored rows back (reports/rundata.h).
 *
 * Every number is measured in the simulation except energy, which is an
 * estimate from the board's energy model (energy.h).  Plain data with no
 * tie to the simulator, so that the database library needs none.
 */
#ifndef MCUSIM_RUN_RECORD_H
#define MCUSIM_RUN_RECORD_H

#include <stdint.h>

/* The instruction classes of the mix, in the order of the simulator's
 * enum insn_class (sim.h; collector.c checks that the two agree) and of
 * the layers table's columns alu, mul_dsp, load, store, branch, fpu, other. */
#define PROF_CLASS_COUNT 7

struct prof_layer {
    int index;                 /* operator index; regions without one: -1 */
    int kind;                  /* enum mcusim_region_kind */
    int depth;                 /* nesting among regions (layers inside the inference: 1) */
    char name[64];             /* op name ("CONV_2D") or the region's label */
    char kernel[64];           /* kernel implementation, e.g. "conv_s8_opt" */
    uint32_t op;               /* TFLite builtin operator code */
    int32_t shape[4];          /* output shape */
    int dims;
    uint64_t macs;
    uint64_t start_cycle;      /* since reset */
    uint64_t cycles;
    uint64_t instructions;
    uint64_t classes[PROF_CLASS_COUNT]; /* instruction mix */
    uint64_t flash_loads, ram_loads, other_loads;
    uint64_t flash_stores, ram_stores, other_stores;
    uint32_t arena_planned;    /* arena bytes live during the layer, per the runtime's plan */
    uint32_t arena_used;       /* arena footprint measured when the layer ended */
    uint32_t stack_peak;       /* deepest stack use measured during the layer */
    uint32_t ram_peak;         /* static + arena_used + stack_peak */
    double energy_uj;
};

struct prof_function {
    char name[128];
    char file[256];            /* from DWARF line information, "" when absent */
    int line;
    uint32_t addr;
    uint64_t self_cycles, total_cycles;
    uint64_t self_instructions, total_instructions;
    uint64_t calls;
    /* Estimates (energy.h): self is the function's own cycles and the
     * flash reads, MACs and FPU operations of its own code; total adds
     * everything it called, over its outermost activations. */
    double self_energy_uj, total_energy_uj;
};

struct prof_run {
    /* what ran */
    char board[64];
    char core[32];
    uint32_t clock_hz;         /* the core clock at the end of the run */
    char clock_source[96];     /* what set it: "" the board file, else the firmware's configuration */
    char memory_timing_source[160]; /* "" the board file's wait states and caches, else what firmware set */
    char firmware[512];
    char firmware_sha256[65];
    char model[512];
    char model_sha256[65];
    char input_sha256[65];
    char runtime[16];          /* the inference runtime ("mcusim"), '' for plain firmware */
    char kernels[16];
    char tag[128];
    char version[32];
    char cmdline[2048];
    char started[32];          /* ISO 8601, UTC */
    /* how it went */
    char status[16];           /* ok, fault, limit, error, nofit */
    char diagnostic[1024];
    int exit_code;
    double wall_s;
    double mips;
    /* totals */
    uint64_t instructions;
    uint64_t cycles;
    double sim_time_s;
    double energy_uj;
    uint64_t inference_cycles;       /* the INFERENCE region; 0 when none */
    uint64_t inference_instructions;
    double inference_energy_uj;
    /* flash, bytes */
    uint32_t flash_code, flash_rodata, flash_model, flash_data, flash_capacity;
    /* RAM, bytes */
    uint32_t ram_static;             /* .data + .bss */
    uint32_t ram_arena_planned;      /* the runtime's plan (INFO record) */
    uint32_t ram_arena_used;         /* measured */
    uint32_t ram_arena_capacity;
    uint32_t ram_stack_peak;         /* measured */
    uint32_t ram_stack_capacity;
    uint32_t ram_peak;               /* static + arena used + stack peak */
    uint32_t ram_capacity;
    /* details */
    struct prof_layer *layers;
    int n_layers;
    struct prof_function *functions;
    int n_functions;
};

void prof_run_free(struct prof_run *r);

#endif /* MCUSIM_RUN_RECORD_H */
