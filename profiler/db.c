/*
 * db.c — the run database (see db.h).  The schema, version 4:
 *
 * runs       one row per profiled run
 *   id                integer key
 *   run_key           sha256 of firmware, model and input hashes, board,
 *                     kernels and (when not mcusim) runtime: equal keys are
 *                     the same measurement (sweeps skip them, merges do not
 *                     duplicate them)
 *   started           start time, ISO 8601 UTC
 *   tag               free text given with --tag
 *   board, core, clock_hz
 *   firmware, firmware_sha256, model, model_sha256, input_sha256
 *   kernels           kernel family (ref, opt), '' for plain firmware
 *   runtime           the inference runtime (mcusim), '' for plain
 *                     firmware                                  (version 4)
 *   mcusim_version, command_line
 *   host_wall_s, mips host time and simulation speed
 *   status            ok | fault | limit | error | nofit
 *   diagnostic        one line explaining any status but ok
 *   exit_code         mcusim's exit status for the run
 *   instructions, cycles, sim_time_s, energy_uj          whole run
 *   inference_cycles, inference_instructions, inference_energy_uj
 *                     the firmware's INFERENCE region (0 when none)
 *   flash_code, flash_rodata, flash_model, flash_data, flash_capacity
 *                     bytes: code, read-only data, the model, .data
 *                     initializers, and the board's flash
 *   ram_static        .data + .bss
 *   ram_arena_planned the runtime's arena plan
 *   ram_arena_used    arena footprint measured in simulated memory
 *   ram_arena_capacity, ram_stack_peak (measured), ram_stack_capacity
 *   ram_peak          ram_static + ram_arena_used + ram_stack_peak
 *   ram_capacity      the board's main RAM
 *   clock_source      what set clock_hz: '' the board file, else the
 *                     firmware's clock configuration ("RCC: PLL")  (version 3)
 *   memory_timing_source  '' the board file's wait states and caches,
 *                     else what the firmware set ("FLASH ACR: ...")   (version 3)
 * layers     one row per region the firmware marked (layers, the
 *            inference, user regions), in order of appearance
 *   run_id, seq, layer_index (operator index, NULL for other regions),
 *   kind (layer | inference | region), depth, op, op_code, kernel,
 *   output_shape ("1x48x48x16"), macs, start_cycle, cycles, instructions,
 *   time_s, alu, mul_dsp, load, store, branch, fpu, other (instruction mix),
 *   loads_flash, loads_ram, loads_other, stores_flash, stores_ram,
 *   stores_other, arena_planned, arena_used, stack_peak, ram_peak, energy_uj
 * functions  one row per function that ran
 *   run_id, name, address, file, line, self_cycles, total_cycles,
 *   self_instructions, total_instructions, calls,
 *   self_energy_uj, total_energy_uj                 (version 2)
 *
 * Energy columns are estimates from the board's energy model.
 */
#include "db.h"

#include <errno.h>
#include <sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mcusim_records.h"

#define BUSY_TIMEOUT_MS 60000
#define BUSY_RETRIES 200

static const char *const schema_v1[] = {
    "CREATE TABLE runs ("
    " id INTEGER PRIMARY KEY,"
    " run_key TEXT NOT NULL,"
    " started TEXT NOT NULL,"
    " tag TEXT NOT NULL DEFAULT '',"
    " board TEXT NOT NULL, core TEXT NOT NULL, clock_hz INTEGER NOT NULL,"
    " firmware TEXT NOT NULL, firmware_sha256 TEXT NOT NULL,"
    " model TEXT NOT NULL DEFAULT '', model_sha256 TEXT NOT NULL DEFAULT '',"
    " input_sha256 TEXT NOT NULL DEFAULT '',"
    " kernels TEXT NOT NULL DEFAULT '',"
    " mcusim_version TEXT NOT NULL, command_line TEXT NOT NULL,"
    " host_wall_s REAL NOT NULL, mips REAL NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN ('ok','fault','limit','error','nofit')),"
    " diagnostic TEXT NOT NULL DEFAULT '', exit_code INTEGER NOT NULL,"
    " instructions INTEGER NOT NULL, cycles INTEGER NOT NULL, sim_time_s REAL NOT NULL,"
    " energy_uj REAL NOT NULL,"
    " inference_cycles INTEGER NOT NULL, inference_instructions INTEGER NOT NULL,"
    " inference_energy_uj REAL NOT NULL,"
    " flash_code INTEGER NOT NULL, flash_rodata INTEGER NOT NULL, flash_model INTEGER NOT NULL,"
    " flash_data INTEGER NOT NULL, flash_capacity INTEGER NOT NULL,"
    " ram_static INTEGER NOT NULL, ram_arena_planned INTEGER NOT NULL, ram_arena_used INTEGER NOT NULL,"
    " ram_arena_capacity INTEGER NOT NULL, ram_stack_peak INTEGER NOT NULL,"
    " ram_stack_capacity INTEGER NOT NULL, ram_peak INTEGER NOT NULL, ram_capacity INTEGER NOT NULL)",
    "CREATE INDEX runs_by_key ON runs(run_key)",
    "CREATE INDEX runs_by_tag ON runs(tag)",
    "CREATE TABLE layers ("
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL, layer_index INTEGER, kind TEXT NOT NULL, depth INTEGER NOT NULL,"
    " op TEXT NOT NULL, op_code INTEGER NOT NULL, kernel TEXT NOT NULL, output_shape TEXT NOT NULL,"
    " macs INTEGER NOT NULL, start_cycle INTEGER NOT NULL, cycles INTEGER NOT NULL,"
    " instructions INTEGER NOT NULL, time_s REAL NOT NULL,"
    " alu INTEGER NOT NULL, mul_dsp INTEGER NOT NULL, load INTEGER NOT NULL, store INTEGER NOT NULL,"
    " branch INTEGER NOT NULL, fpu INTEGER NOT NULL, other INTEGER NOT NULL,"
    " loads_flash INTEGER NOT NULL, loads_ram INTEGER NOT NULL, loads_other INTEGER NOT NULL,"
    " stores_flash INTEGER NOT NULL, stores_ram INTEGER NOT NULL, stores_other INTEGER NOT NULL,"
    " arena_planned INTEGER NOT NULL, arena_used INTEGER NOT NULL, stack_peak INTEGER NOT NULL,"
    " ram_peak INTEGER NOT NULL, energy_uj REAL NOT NULL,"
    " PRIMARY KEY (run_id, seq))",
    "CREATE TABLE functions ("
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " name TEXT NOT NULL, address INTEGER NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL,"
    " self_cycles INTEGER NOT NULL, total_cycles INTEGER NOT NULL,"
    " self_instructions INTEGER NOT NULL, total_instructions INTEGER NOT NULL, calls INTEGER NOT NULL,"
    " PRIMARY KEY (run_id, address))",
    NULL,
};

/* Version 2: energy per function.  Rows stored before it read 0 (not
 * estimated), as runs on boards without an energy model do. */
static const char *const schema_v2[] = {
    "ALTER TABLE functions ADD COLUMN self_energy_uj REAL NOT NULL DEFAULT 0",
    "ALTER TABLE functions ADD COLUMN total_energy_uj REAL NOT NULL DEFAULT 0",
    NULL,
};

/* Version 3: firmware that configures its clock and flash timing is
 * followed (sim/periph.h); the run says what set them.  Earlier rows read
 * '' (the board file's). */
static const char *const schema_v3[] = {
    "ALTER TABLE runs ADD COLUMN clock_source TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE runs ADD COLUMN memory_timing_source TEXT NOT NULL DEFAULT ''",
    NULL,
};

/* Version 4: the runtime of each run.  Every run stored before it that
 * ran a model ran mcusim's own runtime, the only one there was. */
static const char *const schema_v4[] = {
    "ALTER TABLE runs ADD COLUMN runtime TEXT NOT NULL DEFAULT ''",
    "UPDATE runs SET runtime = 'mcusim' WHERE kernels <> ''",
    NULL,
};

/* migrations[v] brings a version-v database to version v+1. */
static const char *const *const migrations[] = {schema_v1, schema_v2, schema_v3, schema_v4};

static int fail(sqlite3 *db, const char *path, char *err, size_t errlen, const char *what)
{
    int saved_errno = errno;
    int code = db ? sqlite3_extended_errcode(db) & 0xFF : SQLITE_ERROR;
    char why[384];
    /* The operating system's reason, when there is one: "disk I/O error"
     * alone does not tell a full disk from a file size limit.  SQLite does
     * not always record it (a failed WAL append leaves it 0); errno right
     * after the failed call still holds it, and is used when it is one of
     * the reasons a write fails (not a stale ENOENT from a probe). */
    int sys = db ? sqlite3_system_errno(db) : 0;
    if (!sys && (saved_errno == EFBIG || saved_errno == ENOSPC || saved_errno == EDQUOT || saved_errno == EROFS ||
                 saved_errno == EACCES || saved_errno == EPERM || saved_errno == EIO))
        sys = saved_errno;
    if (sys && (code == SQLITE_IOERR || code == SQLITE_FULL || code == SQLITE_CANTOPEN))
        snprintf(why, sizeof why, "%s (%s)", db ? sqlite3_errmsg(db) : "cannot open", strerror(sys));
    else
        snprintf(why, sizeof why, "%s", db ? sqlite3_errmsg(db) : "cannot open");
    if (sys == ENOSPC || sys == EDQUOT)
        code = SQLITE_FULL; /* an I/O error that is a full disk, said so */
    switch (code) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        snprintf(err, errlen, "%s: not an mcusim database, or corrupt (%s)", path, why);
        break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
        snprintf(err, errlen, "%s: cannot write the database: %s", path, why);
        break;
    case SQLITE_FULL:
        snprintf(err, errlen, "%s: disk full while %s (%s)", path, what, why);
        break;
    default:
        snprintf(err, errlen, "%s: %s: %s", path, what, why);
    }
    return -1;
}

/* sqlite3_exec that waits out SQLITE_BUSY beyond the busy handler. */
static int exec_retry(sqlite3 *db, const char *sql)
{
    for (int i = 0;; i++) {
        int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
        if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || i >= BUSY_RETRIES)
            return rc;
        usleep(20000 + (useconds_t)(rand() % 20000));
    }
}

static int user_version(sqlite3 *db, int *v)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    *v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

static int migrate(sqlite3 *db, const char *path, char *err, size_t errlen)
{
    if (exec_retry(db, "BEGIN IMMEDIATE") != SQLITE_OK)
        return fail(db, path, err, errlen, "locking it for the schema");
    int v;
    if (user_version(db, &v)) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return fail(db, path, err, errlen, "reading its schema version");
    }
    for (; v < DB_SCHEMA_VERSION; v++) {
        for (const char *const *sql = migrations[v]; *sql; sql++) {
            if (sqlite3_exec(db, *sql, NULL, NULL, NULL) != SQLITE_OK) {
                fail(db, path, err, errlen, "creating its tables");
                sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
                return -1;
            }
        }
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if (sqlite3_exec(db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return fail(db, path, err, errlen, "setting its schema version");
        }
    }
    if (exec_retry(db, "COMMIT") != SQLITE_OK) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return fail(db, path, err, errlen, "committing its schema");
    }
    return 0;
}

/* Version 0 with tables in it is another program's database: adding ours
 * (or switching it to WAL) would change a file that is not ours to change.
 * A concurrent mcusim commits version and tables together, so both are
 * read in one statement (one snapshot): read apart, the version could come
 * from before its commit and the tables from after.  *v gets the version
 * of that snapshot. */
static int foreign(sqlite3 *db, const char *path, int *v, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int tables = -1;
    if (sqlite3_prepare_v2(db,
                           "SELECT (SELECT user_version FROM pragma_user_version), "
                           "(SELECT count(*) FROM sqlite_master)",
                           -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) {
            *v = sqlite3_column_int(st, 0);
            tables = sqlite3_column_int(st, 1);
        }
        sqlite3_finalize(st);
    }
    if (tables < 0)
        return fail(db, path, err, errlen, "reading it");
    if (*v == 0 && tables > 0) {
        snprintf(err, errlen, "%s: not an mcusim database (it holds %d tables or indexes of another program; "
                              "give --db a new file)", path, tables);
        return -1;
    }
    return 0;
}

sqlite3 *db_open(const char *path, bool writable, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    int flags = writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
    if (!writable && access(path, R_OK)) {
        snprintf(err, errlen, "%s: no such database (profile something first, or give --db)", path);
        return NULL;
    }
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        fail(db, path, err, errlen, "opening it");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(db, 1);
    int v;
    if (user_version(db, &v)) {
        /* Writable: sqlite may be creating the file here (a full disk shows up now). */
        fail(db, path, err, errlen, writable ? "opening it" : "reading it");
        sqlite3_close(db);
        return NULL;
    }
    if (writable && v == 0 && foreign(db, path, &v, err, errlen)) {
        sqlite3_close(db);
        return NULL;
    }
    if (v > DB_SCHEMA_VERSION) {
        snprintf(err, errlen, "%s: written by a newer mcusim (schema version %d; this mcusim knows up to %d)",
                 path, v, DB_SCHEMA_VERSION);
        sqlite3_close(db);
        return NULL;
    }
    if (writable) {
        if (exec_retry(db, "PRAGMA journal_mode = WAL") != SQLITE_OK ||
            exec_retry(db, "PRAGMA foreign_keys = ON") != SQLITE_OK || (v < DB_SCHEMA_VERSION && migrate(db, path, err, errlen))) {
            if (!err[0])
                fail(db, path, err, errlen, "preparing it");
            sqlite3_close(db);
            return NULL;
        }
    } else {
        /* Check that it is an mcusim database at all. */
        sqlite3_stmt *st;
        if (v < 1 || sqlite3_prepare_v2(db, "SELECT count(*) FROM runs", -1, &st, NULL) != SQLITE_OK) {
            if (v < 1)
                snprintf(err, errlen, "%s: not an mcusim database (no runs table)", path);
            else
                fail(db, path, err, errlen, "reading it");
            sqlite3_close(db);
            return NULL;
        }
        sqlite3_finalize(st);
    }
    return db;
}

void db_close(sqlite3 *db)
{
    sqlite3_close(db);
}

void db_run_key(const struct prof_run *run, char out[65])
{
    /* The own runtime's keys are those of the schema before runtimes were
     * stored, so that sweeps resume and merges de-duplicate across it. */
    char buf[1024];
    int n = snprintf(buf, sizeof buf, "%s|%s|%s|%s|%s", run->firmware_sha256, run->model_sha256, run->input_sha256,
                     run->board, run->kernels);
    if (run->runtime[0] && strcmp(run->runtime, "mcusim") && n > 0 && (size_t)n < sizeof buf)
        snprintf(buf + n, sizeof buf - (size_t)n, "|%s", run->runtime);
    SHA256Data((const uint8_t *)buf, strlen(buf), out);
}

static const char *kind_name(int kind)
{
    switch (kind) {
    case MCUSIM_REGION_LAYER: return "layer";
    case MCUSIM_REGION_INFERENCE: return "inference";
    default: return "region";
    }
}

#define BIND_TEXT(st, i, v) sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT)

static int insert_run(sqlite3 *db, const struct prof_run *r, int64_t *id)
{
    static const char *sql =
        "INSERT INTO runs (run_key, started, tag, board, core, clock_hz, firmware, firmware_sha256, model,"
        " model_sha256, input_sha256, kernels, mcusim_version, command_line, host_wall_s, mips, status,"
        " diagnostic, exit_code, instructions, cycles, sim_time_s, energy_uj, inference_cycles,"
        " inference_instructions, inference_energy_uj, flash_code, flash_rodata, flash_model, flash_data,"
        " flash_capacity, ram_static, ram_arena_planned, ram_arena_used, ram_arena_capacity, ram_stack_peak,"
        " ram_stack_capacity, ram_peak, ram_capacity, clock_source, memory_timing_source, runtime)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    char key[65];
    db_run_key(r, key);
    int i = 1;
    BIND_TEXT(st, i++, key);
    BIND_TEXT(st, i++, r->started);
    BIND_TEXT(st, i++, r->tag);
    BIND_TEXT(st, i++, r->board);
    BIND_TEXT(st, i++, r->core);
    sqlite3_bind_int64(st, i++, r->clock_hz);
    BIND_TEXT(st, i++, r->firmware);
    BIND_TEXT(st, i++, r->firmware_sha256);
    BIND_TEXT(st, i++, r->model);
    BIND_TEXT(st, i++, r->model_sha256);
    BIND_TEXT(st, i++, r->input_sha256);
    BIND_TEXT(st, i++, r->kernels);
    BIND_TEXT(st, i++, r->version);
    BIND_TEXT(st, i++, r->cmdline);
    sqlite3_bind_double(st, i++, r->wall_s);
    sqlite3_bind_double(st, i++, r->mips);
    BIND_TEXT(st, i++, r->status);
    BIND_TEXT(st, i++, r->diagnostic);
    sqlite3_bind_int(st, i++, r->exit_code);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)r->instructions);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)r->cycles);
    sqlite3_bind_double(st, i++, r->sim_time_s);
    sqlite3_bind_double(st, i++, r->energy_uj);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)r->inference_cycles);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)r->inference_instructions);
    sqlite3_bind_double(st, i++, r->inference_energy_uj);
    sqlite3_bind_int64(st, i++, r->flash_code);
    sqlite3_bind_int64(st, i++, r->flash_rodata);
    sqlite3_bind_int64(st, i++, r->flash_model);
    sqlite3_bind_int64(st, i++, r->flash_data);
    sqlite3_bind_int64(st, i++, r->flash_capacity);
    sqlite3_bind_int64(st, i++, r->ram_static);
    sqlite3_bind_int64(st, i++, r->ram_arena_planned);
    sqlite3_bind_int64(st, i++, r->ram_arena_used);
    sqlite3_bind_int64(st, i++, r->ram_arena_capacity);
    sqlite3_bind_int64(st, i++, r->ram_stack_peak);
    sqlite3_bind_int64(st, i++, r->ram_stack_capacity);
    sqlite3_bind_int64(st, i++, r->ram_peak);
    sqlite3_bind_int64(st, i++, r->ram_capacity);
    BIND_TEXT(st, i++, r->clock_source);
    BIND_TEXT(st, i++, r->memory_timing_source);
    BIND_TEXT(st, i++, r->runtime);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return -1;
    *id = sqlite3_last_insert_rowid(db);
    return 0;
}

static int insert_layers(sqlite3 *db, int64_t id, const struct prof_run *r)
{
    static const char *sql =
        "INSERT INTO layers (run_id, seq, layer_index, kind, depth, op, op_code, kernel, output_shape, macs,"
        " start_cycle, cycles, instructions, time_s, alu, mul_dsp, load, store, branch, fpu, other,"
        " loads_flash, loads_ram, loads_other, stores_flash, stores_ram, stores_other, arena_planned,"
        " arena_used, stack_peak, ram_peak, energy_uj)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    for (int k = 0; k < r->n_layers; k++) {
        const struct prof_layer *L = &r->layers[k];
        char shape[64] = "";
        for (int d = 0; d < L->dims; d++)
            snprintf(shape + strlen(shape), sizeof shape - strlen(shape), d ? "x%d" : "%d", L->shape[d]);
        int i = 1;
        sqlite3_bind_int64(st, i++, id);
        sqlite3_bind_int(st, i++, k);
        if (L->index >= 0)
            sqlite3_bind_int(st, i++, L->index);
        else
            sqlite3_bind_null(st, i++);
        BIND_TEXT(st, i++, kind_name(L->kind));
        sqlite3_bind_int(st, i++, L->depth);
        BIND_TEXT(st, i++, L->name);
        sqlite3_bind_int64(st, i++, L->op);
        BIND_TEXT(st, i++, L->kernel);
        BIND_TEXT(st, i++, shape);
        sqlite3_bind_int64(st, i++, (sqlite3_int64)L->macs);
        sqlite3_bind_int64(st, i++, (sqlite3_int64)L->start_cycle);
        sqlite3_bind_int64(st, i++, (sqlite3_int64)L->cycles);
        sqlite3_bind_int64(st, i++, (sqlite3_int64)L->instructions);
        sqlite3_bind_double(st, i++, r->clock_hz ? (double)L->cycles / r->clock_hz : 0);
        for (int c = 0; c < PROF_CLASS_COUNT; c++)
            sqlite3_bind_int64(st, i++, (sqlite3_int64)L->classes[c]);
        sqlite3_bind_int64(st, i++, (sqlite3_int64)L->flash_loads);
        sqlite3_bind_int64(st, i++, (sqlite3_int64)L->ram_loads);
        sqlite3_bind_int64(st, i++, (sqlite3_int64)L->other_loads);
        sqlite3_bind_int64(st, i++, (sqlite3_int64)L->flash_stores);
        sqlite3_bind_int64(st, i++, (sqlite3_int64)L->ram_stores);
        sqlite3_bind_int64(st, i++, (sqlite3_int64)L->other_stores);
        sqlite3_bind_int64(st, i++, L->arena_planned);
        sqlite3_bind_int64(st, i++, L->arena_used);
        sqlite3_bind_int64(st, i++, L->stack_peak);
        sqlite3_bind_int64(st, i++, L->ram_peak);
        sqlite3_bind_double(st, i++, L->energy_uj);
        if (sqlite3_step(st) != SQLITE_DONE) {
            sqlite3_finalize(st);
            return -1;
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return 0;
}

static int insert_functions(sqlite3 *db, int64_t id, const struct prof_run *r)
{
    static const char *sql =
        "INSERT INTO functions (run_id, name, address, file, line, self_cycles, total_cycles,"
        " self_instructions, total_instructions, calls, self_energy_uj, total_energy_uj)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    for (int k = 0; k < r->n_functions; k++) {
        const struct prof_function *f = &r->functions[k];
        int i = 1;
        sqlite3_bind_int64(st, i++, id);
        BIND_TEXT(st, i++, f->name);
        sqlite3_bind_int64(st, i++, f->addr);
        BIND_TEXT(st, i++, f->file);
        sqlite3_bind_int(st, i++, f->line);
        sqlite3_bind_int64(st, i++, (sqlite3_int64)f->self_cycles);
        sqlite3_bind_int64(st, i++, (sqlite3_int64)f->total_cycles);
        sqlite3_bind_int64(st, i++, (sqlite3_int64)f->self_instructions);
        sqlite3_bind_int64(st, i++, (sqlite3_int64)f->total_instructions);
        sqlite3_bind_int64(st, i++, (sqlite3_int64)f->calls);
        sqlite3_bind_double(st, i++, f->self_energy_uj);
        sqlite3_bind_double(st, i++, f->total_energy_uj);
        if (sqlite3_step(st) != SQLITE_DONE) {
            sqlite3_finalize(st);
            return -1;
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return 0;
}

int db_store_run(sqlite3 *db, const struct prof_run *run, int64_t *id, char *err, size_t errlen)
{
    const char *path = sqlite3_db_filename(db, "main");
    if (!path || !*path)
        path = "database";
    for (int attempt = 0;; attempt++) {
        if (exec_retry(db, "BEGIN IMMEDIATE") != SQLITE_OK)
            return fail(db, path, err, errlen, "locking it to store the run");
        if (!insert_run(db, run, id) && !insert_layers(db, *id, run) && !insert_functions(db, *id, run) &&
            sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
            return 0;
        /* The reason is read before ROLLBACK, which replaces it (with
         * "not an error", or "no transaction is active" when SQLite has
         * already rolled back on an I/O error). */
        int code = sqlite3_errcode(db);
        bool retry = (code == SQLITE_BUSY || code == SQLITE_LOCKED) && attempt < BUSY_RETRIES;
        if (!retry)
            fail(db, path, err, errlen, "storing the run");
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        if (retry) {
            usleep(20000);
            continue;
        }
        return -1;
    }
}

int db_remove_runs(sqlite3 *db, const int64_t *ids, int n, char *err, size_t errlen)
{
    const char *path = sqlite3_db_filename(db, "main");
    static const char *const sql[] = {"DELETE FROM functions WHERE run_id = ?", "DELETE FROM layers WHERE run_id = ?",
                                      "DELETE FROM runs WHERE id = ?"};
    if (exec_retry(db, "BEGIN IMMEDIATE") != SQLITE_OK)
        return fail(db, path, err, errlen, "locking it to remove runs");
    int removed = 0;
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < 3; k++) {
            sqlite3_stmt *st;
            int rc = sqlite3_prepare_v2(db, sql[k], -1, &st, NULL);
            if (rc == SQLITE_OK) {
                sqlite3_bind_int64(st, 1, ids[i]);
                rc = sqlite3_step(st);
                sqlite3_finalize(st);
            }
            if (rc != SQLITE_DONE && rc != SQLITE_OK) {
                fail(db, path, err, errlen, "removing runs");
                sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
                return -1;
            }
            if (k == 2)
                removed += sqlite3_changes(db);
        }
    }
    if (exec_retry(db, "COMMIT") != SQLITE_OK) {
        fail(db, path, err, errlen, "removing runs");
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return removed;
}

int db_run_key_statuses(sqlite3 *db, const char *key, unsigned *statuses, char *err, size_t errlen)
{
    static const char *const names[] = {"ok", "fault", "limit", "error", "nofit"};
    const char *path = sqlite3_db_filename(db, "main");
    sqlite3_stmt *st;
    *statuses = 0;
    if (sqlite3_prepare_v2(db, "SELECT DISTINCT status FROM runs WHERE run_key = ?", -1, &st, NULL) != SQLITE_OK)
        return fail(db, path, err, errlen, "reading it");
    BIND_TEXT(st, 1, key);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        for (unsigned i = 0; s && i < sizeof names / sizeof names[0]; i++)
            if (!strcmp(s, names[i]))
                *statuses |= 1u << i;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return fail(db, path, err, errlen, "reading it");
    return 0;
}

int db_run_key_latest(sqlite3 *db, const char *key, int64_t *id, char *err, size_t errlen)
{
    const char *path = sqlite3_db_filename(db, "main");
    sqlite3_stmt *st;
    *id = 0;
    if (sqlite3_prepare_v2(db, "SELECT id FROM runs WHERE run_key = ? ORDER BY status = 'ok' DESC, id DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(db, path, err, errlen, "reading it");
    BIND_TEXT(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(db, path, err, errlen, "reading it");
    return 0;
}

int db_check(const char *path, char *err, size_t errlen)
{
    sqlite3 *db = db_open(path, false, err, errlen);
    if (!db)
        return -1;
    /* quick_check reads every page: a truncated or scribbled file fails
     * here, before anything is written anywhere. */
    sqlite3_stmt *st;
    int rc = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) == SQLITE_OK) {
        int step = sqlite3_step(st);
        const char *res = step == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
        if (res && !strcmp(res, "ok"))
            rc = 0;
        else if (res)
            snprintf(err, errlen, "%s: not an mcusim database, or corrupt (%s)", path, res);
        sqlite3_finalize(st);
    }
    if (rc && !err[0])
        fail(db, path, err, errlen, "checking it");
    db_close(db);
    return rc;
}

/* The columns of a table that both databases have, in the order of db's
 * schema, without `skip` (the key that is renumbered): "a","b",... in
 * *list (malloc'd) and their number in *n.  Copying by name keeps merges
 * working when a later schema adds columns with defaults. */
static int common_columns(sqlite3 *db, sqlite3 *src, const char *table, const char *skip, char **list, int *n)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT name FROM pragma_table_info('%s') WHERE name = ?", table);
    sqlite3_stmt *have;
    if (sqlite3_prepare_v2(src, sql, -1, &have, NULL) != SQLITE_OK)
        return -1;
    snprintf(sql, sizeof sql, "SELECT name FROM pragma_table_info('%s') ORDER BY cid", table);
    sqlite3_stmt *cols;
    if (sqlite3_prepare_v2(db, sql, -1, &cols, NULL) != SQLITE_OK) {
        sqlite3_finalize(have);
        return -1;
    }
    size_t cap = 256, len = 0;
    char *out = malloc(cap);
    *n = 0;
    int rc = out ? 0 : -1;
    while (!rc && sqlite3_step(cols) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(cols, 0);
        if (!name || !strcmp(name, skip))
            continue;
        sqlite3_reset(have);
        BIND_TEXT(have, 1, name);
        if (sqlite3_step(have) != SQLITE_ROW)
            continue;
        size_t need = len + strlen(name) + 4;
        if (need >= cap) {
            char *grown = realloc(out, cap = need * 2);
            if (!grown) {
                rc = -1;
                break;
            }
            out = grown;
        }
        len += (size_t)sprintf(out + len, "%s\"%s\"", *n ? "," : "", name);
        (*n)++;
    }
    sqlite3_finalize(cols);
    sqlite3_finalize(have);
    if (rc || !*n) {
        free(out);
        return -1;
    }
    *list = out;
    return 0;
}

/* "?,?,?" for n values (malloc'd). */
static char *placeholders(int n)
{
    char *s = malloc((size_t)n * 2 + 1);
    if (!s)
        return NULL;
    for (int i = 0; i < n; i++) {
        s[2 * i] = '?';
        s[2 * i + 1] = ',';
    }
    s[n ? 2 * n - 1 : 0] = '\0';
    return s;
}

/* One child table (layers, functions) of a copied run: rows of old_id in
 * src become rows of new_id in db. */
struct child_copy {
    sqlite3_stmt *select; /* <columns> FROM src.<table> WHERE run_id = ? */
    sqlite3_stmt *insert; /* (run_id, <columns>) VALUES (?, ...) */
    int n;
};

static int child_prepare(sqlite3 *db, sqlite3 *src, const char *table, struct child_copy *c, bool *src_failed)
{
    char *cols = NULL, *ph = NULL, *sql = NULL;
    int rc = -1;
    *src_failed = true;
    if (common_columns(db, src, table, "run_id", &cols, &c->n) || !(ph = placeholders(c->n)) ||
        !(sql = malloc(strlen(cols) * 2 + 256)))
        goto out;
    sprintf(sql, "SELECT %s FROM \"%s\" WHERE run_id = ?", cols, table);
    if (sqlite3_prepare_v2(src, sql, -1, &c->select, NULL) != SQLITE_OK)
        goto out;
    *src_failed = false;
    sprintf(sql, "INSERT INTO \"%s\" (run_id,%s) VALUES (?,%s)", table, cols, ph);
    if (sqlite3_prepare_v2(db, sql, -1, &c->insert, NULL) != SQLITE_OK)
        goto out;
    rc = 0;
out:
    free(cols);
    free(ph);
    free(sql);
    return rc;
}

/* Copies the child rows; *src_failed tells which side an error is on. */
static int child_copy_rows(struct child_copy *c, sqlite3_int64 old_id, sqlite3_int64 new_id, bool *src_failed)
{
    sqlite3_reset(c->select);
    sqlite3_bind_int64(c->select, 1, old_id);
    int rc;
    while ((rc = sqlite3_step(c->select)) == SQLITE_ROW) {
        sqlite3_reset(c->insert);
        sqlite3_bind_int64(c->insert, 1, new_id);
        for (int i = 0; i < c->n; i++)
            sqlite3_bind_value(c->insert, i + 2, sqlite3_column_value(c->select, i));
        if (sqlite3_step(c->insert) != SQLITE_DONE) {
            *src_failed = false;
            return -1;
        }
    }
    *src_failed = rc != SQLITE_DONE;
    return rc == SQLITE_DONE ? 0 : -1;
}

int db_merge(sqlite3 *db, const char *from_path, struct db_merge_counts *counts, char *err, size_t errlen)
{
    const char *path = sqlite3_db_filename(db, "main");
    if (!path || !*path)
        path = "database";
    counts->copied = counts->skipped = 0;
    sqlite3 *src = db_open(from_path, false, err, errlen);
    if (!src)
        return -1;

    /* In the caller's transaction when there is one (several files merged
     * all or nothing), else in a transaction of our own; either way a
     * failure rolls back everything this call wrote. */
    bool own_tx = sqlite3_get_autocommit(db);
    if (exec_retry(db, own_tx ? "BEGIN IMMEDIATE" : "SAVEPOINT db_merge") != SQLITE_OK) {
        fail(db, path, err, errlen, "locking it for the merge");
        db_close(src);
        return -1;
    }

    sqlite3_stmt *sel = NULL, *dup = NULL, *ins = NULL, *own_runtime = NULL;
    struct child_copy layers = {0}, functions = {0};
    /* A file from before version 4 names no runtime: its model runs ran
     * the own runtime, as its migration would say. */
    int src_version = 0;
    bool src_before_runtimes = !user_version(src, &src_version) && src_version < 4;
    char *cols = NULL, *ph = NULL, *sql = NULL;
    int ncols;
    bool src_failed = true;
    struct db_merge_counts c = {0};
    if (common_columns(db, src, "runs", "id", &cols, &ncols) || !(ph = placeholders(ncols)) ||
        !(sql = malloc(strlen(cols) * 2 + 256)))
        goto failed;
    /* The identity columns first (0..2), then every common column (3..). */
    sprintf(sql, "SELECT id, run_key, started, %s FROM runs ORDER BY id", cols);
    if (sqlite3_prepare_v2(src, sql, -1, &sel, NULL) != SQLITE_OK)
        goto failed;
    src_failed = false;
    sprintf(sql, "INSERT INTO runs (%s) VALUES (%s)", cols, ph);
    if (sqlite3_prepare_v2(db, sql, -1, &ins, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT 1 FROM runs WHERE run_key = ?1 AND (started = ?2 OR status = 'ok') LIMIT 1",
                           -1, &dup, NULL) != SQLITE_OK)
        goto failed;
    if (child_prepare(db, src, "layers", &layers, &src_failed) ||
        child_prepare(db, src, "functions", &functions, &src_failed))
        goto failed;
    if (src_before_runtimes &&
        sqlite3_prepare_v2(db, "UPDATE runs SET runtime = 'mcusim' WHERE id = ? AND kernels <> ''", -1,
                           &own_runtime, NULL) != SQLITE_OK)
        goto failed;

    int rc;
    while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
        /* A duplicate: the same measurement with the same start time (this
         * very run, merged before), or the measurement already done and ok
         * (counting runs copied earlier in this merge). */
        sqlite3_reset(dup);
        sqlite3_bind_value(dup, 1, sqlite3_column_value(sel, 1));
        sqlite3_bind_value(dup, 2, sqlite3_column_value(sel, 2));
        int d = sqlite3_step(dup);
        if (d == SQLITE_ROW) {
            c.skipped++;
            continue;
        }
        src_failed = false;
        if (d != SQLITE_DONE)
            goto failed;
        sqlite3_reset(ins);
        for (int i = 0; i < ncols; i++)
            sqlite3_bind_value(ins, i + 1, sqlite3_column_value(sel, i + 3));
        if (sqlite3_step(ins) != SQLITE_DONE)
            goto failed;
        sqlite3_int64 old_id = sqlite3_column_int64(sel, 0), new_id = sqlite3_last_insert_rowid(db);
        if (own_runtime) {
            sqlite3_reset(own_runtime);
            sqlite3_bind_int64(own_runtime, 1, new_id);
            if (sqlite3_step(own_runtime) != SQLITE_DONE)
                goto failed;
        }
        if (child_copy_rows(&layers, old_id, new_id, &src_failed) ||
            child_copy_rows(&functions, old_id, new_id, &src_failed))
            goto failed;
        c.copied++;
    }
    if (rc != SQLITE_DONE) {
        src_failed = true;
        goto failed;
    }
    src_failed = false;
    if (exec_retry(db, own_tx ? "COMMIT" : "RELEASE db_merge") != SQLITE_OK)
        goto failed;
    *counts = c;
    rc = 0;
    goto done;
failed:
    if (src_failed)
        fail(src, from_path, err, errlen, "reading it");
    else
        fail(db, path, err, errlen, "merging into it");
    if (own_tx) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    } else {
        sqlite3_exec(db, "ROLLBACK TO db_merge", NULL, NULL, NULL);
        sqlite3_exec(db, "RELEASE db_merge", NULL, NULL, NULL);
    }
    rc = -1;
done:
    sqlite3_finalize(sel);
    sqlite3_finalize(dup);
    sqlite3_finalize(ins);
    sqlite3_finalize(own_runtime);
    sqlite3_finalize(layers.select);
    sqlite3_finalize(layers.insert);
    sqlite3_finalize(functions.select);
    sqlite3_finalize(functions.insert);
    free(cols);
    free(ph);
    free(sql);
    db_close(src);
    return rc;
}
