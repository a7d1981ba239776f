/*
 * rundata.h — one stored run read back from the database into structs:
 * the runs row, its layers (and other marked regions) and its functions,
 * column for column as profiler/db.c documents them (schema version 4;
 * older files read as their migration would make them).
 *
 * The reports read these structs only, never the profiler's own
 * struct prof_run, so that a report can be made from a database file on a
 * machine that never ran the simulation.
 */
#ifndef MCUSIM_REPORTS_RUNDATA_H
#define MCUSIM_REPORTS_RUNDATA_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Instruction classes as the layers table stores them. */
enum rep_mix { MIX_ALU, MIX_MUL_DSP, MIX_LOAD, MIX_STORE, MIX_BRANCH, MIX_FPU, MIX_OTHER, MIX_COUNT };
extern const char *const rep_mix_names[MIX_COUNT];

struct rep_layer {
    int seq;
    int index;                 /* operator index; -1 for regions without one */
    char kind[16];             /* layer | inference | region */
    int depth;
    char op[64];
    int op_code;
    char kernel[64];
    char shape[64];            /* "1x32x32x16" */
    uint64_t macs, start_cycle, cycles, instructions;
    double time_s;
    uint64_t mix[MIX_COUNT];
    uint64_t loads_flash, loads_ram, loads_other, stores_flash, stores_ram, stores_other;
    uint64_t arena_planned, arena_used, stack_peak, ram_peak;
    double energy_uj;          /* estimate */
};

struct rep_function {
    char name[128];
    uint32_t address;
    char file[256];
    int line;
    uint64_t self_cycles, total_cycles, self_instructions, total_instructions, calls;
    double self_energy_uj, total_energy_uj; /* estimates; 0: not estimated */
};

struct rep_run {
    int64_t id;
    char run_key[65];
    char started[32];
    char tag[128];
    char board[64];
    char core[32];
    uint32_t clock_hz;
    char clock_source[96];          /* "" the board file's (schema 3) */
    char memory_timing_source[160]; /* "" the board file's (schema 3) */
    char firmware[512];
    char firmware_sha256[65];
    char model[512];
    char model_sha256[65];
    char input_sha256[65];
    char kernels[16];
    char runtime[16];          /* "mcusim"; '' for plain firmware */
    char version[32];
    char command_line[2048];
    double host_wall_s, mips;
    char status[16];           /* ok | fault | limit | error | nofit */
    char diagnostic[1024];
    int exit_code;
    uint64_t instructions, cycles;
    double sim_time_s, energy_uj;
    uint64_t inference_cycles, inference_instructions;
    double inference_energy_uj;
    uint64_t flash_code, flash_rodata, flash_model, flash_data, flash_capacity;
    uint64_t ram_static, ram_arena_planned, ram_arena_used, ram_arena_capacity;
    uint64_t ram_stack_peak, ram_stack_capacity, ram_peak, ram_capacity;
    /* Details, loaded on request (NULL / 0 otherwise). */
    struct rep_layer *layers;
    int n_layers;
    struct rep_function *functions;  /* by self cycles, largest first */
    int n_functions;
};

/* Loads run id (with its layers and functions when details).  Returns 0,
 * or -1 with the problem in err (no such run, unreadable); callers put the
 * database's name before it, as they know the name the user gave. */
int rep_load_run(sqlite3 *db, int64_t id, bool details, struct rep_run *run, char *err, size_t errlen);
void rep_run_free(struct rep_run *run);

/* Every run, oldest first, without details (*runs is malloc'd). */
int rep_list_runs(sqlite3 *db, struct rep_run **runs, int *n, char *err, size_t errlen);
void rep_runs_free(struct rep_run *runs, int n);

/* The SQL expression of a run's runtime in this file: the runtime column,
 * or in a file from before schema version 4 (opened read-only, not
 * migrated) what its migration would store. */
const char *rep_runtime_column(sqlite3 *db);

/* "mcusim/ref": a run's runtime and kernels, "" for plain firmware. */
void rep_flavor(const struct rep_run *r, char *out, size_t len);

/* The file name of a path ("workloads/cnn.tflite" -> "cnn.tflite"). */
const char *rep_basename(const char *path);

#endif
