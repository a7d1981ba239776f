/*
 * rundata.c — reads runs, layers and functions rows into structs (see
 * rundata.h).  The column lists below follow profiler/db.c's schema
 * version 1; the columns later versions added are read where the file has
 * them and given the value the migration would give where it has not (a
 * report opens a file read-only, never migrating it).
 */
#include "rundata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const rep_mix_names[MIX_COUNT] = {"alu", "mul_dsp", "load", "store", "branch", "fpu", "other"};

#define RUN_COLUMNS                                                                                         \
    "id, run_key, started, tag, board, core, clock_hz, firmware, firmware_sha256, model, model_sha256,"    \
    " input_sha256, kernels, mcusim_version, command_line, host_wall_s, mips, status, diagnostic,"          \
    " exit_code, instructions, cycles, sim_time_s, energy_uj, inference_cycles, inference_instructions,"   \
    " inference_energy_uj, flash_code, flash_rodata, flash_model, flash_data, flash_capacity, ram_static," \
    " ram_arena_planned, ram_arena_used, ram_arena_capacity, ram_stack_peak, ram_stack_capacity, ram_peak," \
    " ram_capacity"

/* What set the clock and the memory timing came with schema version 3;
 * earlier files read '' (the board file's). */
#define RUN_SOURCES_V3 ", clock_source, memory_timing_source"
#define RUN_SOURCES_V1 ", '', ''"

#define LAYER_COLUMNS                                                                                    \
    "seq, layer_index, kind, depth, op, op_code, kernel, output_shape, macs, start_cycle, cycles,"      \
    " instructions, time_s, alu, mul_dsp, load, store, branch, fpu, other, loads_flash, loads_ram,"     \
    " loads_other, stores_flash, stores_ram, stores_other, arena_planned, arena_used, stack_peak,"      \
    " ram_peak, energy_uj"

#define FUNCTION_COLUMNS \
    "name, address, file, line, self_cycles, total_cycles, self_instructions, total_instructions, calls, "
/* Per-function energy came with schema version 2; a version-1 file opened
 * read-only (never migrated) reads as "not estimated". */
#define FUNCTION_ENERGY_V2 "self_energy_uj, total_energy_uj"
#define FUNCTION_ENERGY_V1 "0, 0"

/* The runtime came with schema version 4: before it, every model run ran
 * the own runtime. */
#define RUNTIME_V4 "runtime"
#define RUNTIME_V3 "CASE WHEN kernels <> '' THEN 'mcusim' ELSE '' END"

static int schema_version(sqlite3 *db)
{
    sqlite3_stmt *st;
    int v = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

const char *rep_runtime_column(sqlite3 *db)
{
    return schema_version(db) >= 4 ? RUNTIME_V4 : RUNTIME_V3;
}

/* SELECT of every run column, the clock and memory timing sources and the
 * runtime as this file has them, then tail. */
static int prepare_runs(sqlite3 *db, const char *tail, sqlite3_stmt **st)
{
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT " RUN_COLUMNS "%s, %s FROM runs %s",
             schema_version(db) >= 3 ? RUN_SOURCES_V3 : RUN_SOURCES_V1, rep_runtime_column(db), tail);
    return sqlite3_prepare_v2(db, sql, -1, st, NULL);
}

const char *rep_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int db_fail(sqlite3 *db, char *err, size_t errlen, const char *what)
{
    snprintf(err, errlen, "%s: %s", what, sqlite3_errmsg(db));
    return -1;
}

static void text(sqlite3_stmt *st, int col, char *out, size_t len)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(out, len, "%s", t ? (const char *)t : "");
}

static uint64_t u64(sqlite3_stmt *st, int col)
{
    sqlite3_int64 v = sqlite3_column_int64(st, col);
    return v < 0 ? 0 : (uint64_t)v;
}

static void read_run_row(sqlite3_stmt *st, struct rep_run *r)
{
    int c = 0;
    r->id = sqlite3_column_int64(st, c++);
    text(st, c++, r->run_key, sizeof r->run_key);
    text(st, c++, r->started, sizeof r->started);
    text(st, c++, r->tag, sizeof r->tag);
    text(st, c++, r->board, sizeof r->board);
    text(st, c++, r->core, sizeof r->core);
    r->clock_hz = (uint32_t)sqlite3_column_int64(st, c++);
    text(st, c++, r->firmware, sizeof r->firmware);
    text(st, c++, r->firmware_sha256, sizeof r->firmware_sha256);
    text(st, c++, r->model, sizeof r->model);
    text(st, c++, r->model_sha256, sizeof r->model_sha256);
    text(st, c++, r->input_sha256, sizeof r->input_sha256);
    text(st, c++, r->kernels, sizeof r->kernels);
    text(st, c++, r->version, sizeof r->version);
    text(st, c++, r->command_line, sizeof r->command_line);
    r->host_wall_s = sqlite3_column_double(st, c++);
    r->mips = sqlite3_column_double(st, c++);
    text(st, c++, r->status, sizeof r->status);
    text(st, c++, r->diagnostic, sizeof r->diagnostic);
    r->exit_code = sqlite3_column_int(st, c++);
    r->instructions = u64(st, c++);
    r->cycles = u64(st, c++);
    r->sim_time_s = sqlite3_column_double(st, c++);
    r->energy_uj = sqlite3_column_double(st, c++);
    r->inference_cycles = u64(st, c++);
    r->inference_instructions = u64(st, c++);
    r->inference_energy_uj = sqlite3_column_double(st, c++);
    r->flash_code = u64(st, c++);
    r->flash_rodata = u64(st, c++);
    r->flash_model = u64(st, c++);
    r->flash_data = u64(st, c++);
    r->flash_capacity = u64(st, c++);
    r->ram_static = u64(st, c++);
    r->ram_arena_planned = u64(st, c++);
    r->ram_arena_used = u64(st, c++);
    r->ram_arena_capacity = u64(st, c++);
    r->ram_stack_peak = u64(st, c++);
    r->ram_stack_capacity = u64(st, c++);
    r->ram_peak = u64(st, c++);
    r->ram_capacity = u64(st, c++);
    text(st, c++, r->clock_source, sizeof r->clock_source);
    text(st, c++, r->memory_timing_source, sizeof r->memory_timing_source);
    text(st, c++, r->runtime, sizeof r->runtime);
}

static void read_layer_row(sqlite3_stmt *st, struct rep_layer *L)
{
    int c = 0;
    L->seq = sqlite3_column_int(st, c++);
    L->index = sqlite3_column_type(st, c) == SQLITE_NULL ? -1 : sqlite3_column_int(st, c);
    c++;
    text(st, c++, L->kind, sizeof L->kind);
    L->depth = sqlite3_column_int(st, c++);
    text(st, c++, L->op, sizeof L->op);
    L->op_code = sqlite3_column_int(st, c++);
    text(st, c++, L->kernel, sizeof L->kernel);
    text(st, c++, L->shape, sizeof L->shape);
    L->macs = u64(st, c++);
    L->start_cycle = u64(st, c++);
    L->cycles = u64(st, c++);
    L->instructions = u64(st, c++);
    L->time_s = sqlite3_column_double(st, c++);
    for (int k = 0; k < MIX_COUNT; k++)
        L->mix[k] = u64(st, c++);
    L->loads_flash = u64(st, c++);
    L->loads_ram = u64(st, c++);
    L->loads_other = u64(st, c++);
    L->stores_flash = u64(st, c++);
    L->stores_ram = u64(st, c++);
    L->stores_other = u64(st, c++);
    L->arena_planned = u64(st, c++);
    L->arena_used = u64(st, c++);
    L->stack_peak = u64(st, c++);
    L->ram_peak = u64(st, c++);
    L->energy_uj = sqlite3_column_double(st, c++);
}

static void read_function_row(sqlite3_stmt *st, struct rep_function *f)
{
    int c = 0;
    text(st, c++, f->name, sizeof f->name);
    f->address = (uint32_t)sqlite3_column_int64(st, c++);
    text(st, c++, f->file, sizeof f->file);
    f->line = sqlite3_column_int(st, c++);
    f->self_cycles = u64(st, c++);
    f->total_cycles = u64(st, c++);
    f->self_instructions = u64(st, c++);
    f->total_instructions = u64(st, c++);
    f->calls = u64(st, c++);
    f->self_energy_uj = sqlite3_column_double(st, c++);
    f->total_energy_uj = sqlite3_column_double(st, c++);
}

/* Runs a query bound to one run id and appends each row through read(). */
static int read_rows(sqlite3 *db, const char *sql, int64_t id, size_t size, void **items, int *n,
                     void (*read)(sqlite3_stmt *, void *), char *err, size_t errlen)
{
    sqlite3_stmt *st;
    *items = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, err, errlen, "reading it");
    sqlite3_bind_int64(st, 1, id);
    int cap = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            void *grown = realloc(*items, (size_t)cap * size);
            if (!grown) {
                sqlite3_finalize(st);
                snprintf(err, errlen, "out of memory reading run %lld", (long long)id);
                return -1;
            }
            *items = grown;
        }
        char *slot = (char *)*items + (size_t)*n * size;
        memset(slot, 0, size);
        read(st, slot);
        (*n)++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, err, errlen, "reading it");
    return 0;
}

static void read_layer_any(sqlite3_stmt *st, void *p) { read_layer_row(st, p); }
static void read_function_any(sqlite3_stmt *st, void *p) { read_function_row(st, p); }

int rep_load_run(sqlite3 *db, int64_t id, bool details, struct rep_run *run, char *err, size_t errlen)
{
    memset(run, 0, sizeof *run);
    sqlite3_stmt *st;
    if (prepare_runs(db, "WHERE id = ?", &st) != SQLITE_OK)
        return db_fail(db, err, errlen, "reading it");
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_run_row(st, run);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE) {
        snprintf(err, errlen, "no run %lld", (long long)id);
        return -1;
    }
    if (rc != SQLITE_ROW)
        return db_fail(db, err, errlen, "reading it");
    if (!details)
        return 0;
    void *items;
    if (read_rows(db, "SELECT " LAYER_COLUMNS " FROM layers WHERE run_id = ? ORDER BY seq", id,
                  sizeof(struct rep_layer), &items, &run->n_layers, read_layer_any, err, errlen))
        return -1;
    run->layers = items;
    /* Ties broken by address so that the order never depends on SQLite's
     * choice of plan: reports must be the same on every machine. */
    if (read_rows(db,
                  schema_version(db) >= 2
                      ? "SELECT " FUNCTION_COLUMNS FUNCTION_ENERGY_V2 " FROM functions WHERE run_id = ?"
                        " ORDER BY self_cycles DESC, address"
                      : "SELECT " FUNCTION_COLUMNS FUNCTION_ENERGY_V1 " FROM functions WHERE run_id = ?"
                        " ORDER BY self_cycles DESC, address",
                  id, sizeof(struct rep_function), &items, &run->n_functions, read_function_any, err, errlen)) {
        rep_run_free(run);
        return -1;
    }
    run->functions = items;
    return 0;
}

void rep_run_free(struct rep_run *run)
{
    free(run->layers);
    free(run->functions);
    run->layers = NULL;
    run->functions = NULL;
    run->n_layers = run->n_functions = 0;
}

int rep_list_runs(sqlite3 *db, struct rep_run **runs, int *n, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    *runs = NULL;
    *n = 0;
    if (prepare_runs(db, "ORDER BY id", &st) != SQLITE_OK)
        return db_fail(db, err, errlen, "reading it");
    int cap = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            struct rep_run *grown = realloc(*runs, (size_t)cap * sizeof **runs);
            if (!grown) {
                sqlite3_finalize(st);
                rep_runs_free(*runs, *n);
                *runs = NULL;
                *n = 0;
                snprintf(err, errlen, "out of memory listing runs");
                return -1;
            }
            *runs = grown;
        }
        memset(&(*runs)[*n], 0, sizeof **runs);
        read_run_row(st, &(*runs)[(*n)++]);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        rep_runs_free(*runs, *n);
        *runs = NULL;
        *n = 0;
        return db_fail(db, err, errlen, "reading it");
    }
    return 0;
}

void rep_runs_free(struct rep_run *runs, int n)
{
    for (int i = 0; i < n; i++)
        rep_run_free(&runs[i]);
    free(runs);
}

void rep_flavor(const struct rep_run *r, char *out, size_t len)
{
    if (r->runtime[0])
        snprintf(out, len, "%s/%s", r->runtime, r->kernels);
    else
        snprintf(out, len, "%s", r->kernels);
}
