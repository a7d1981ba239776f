/*
 * db.h — the run database: SQLite, written only by the profiler.
 *
 * One file holds any number of runs (default ./mcusim.db).  The schema is
 * created and migrated here (db.c documents every table and column, and
 * README "Database schema" repeats it); PRAGMA user_version is the schema
 * version, and a file from a newer mcusim is refused rather than misread.
 * Writers use WAL and a busy timeout, retry when the database is busy, and
 * write each run in one transaction: parallel processes can share a file,
 * and a run that fails half way is either absent or recorded as failed,
 * never half written.  Earlier runs are never modified.
 */
#ifndef MCUSIM_DB_H
#define MCUSIM_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "run_record.h"

#define DB_SCHEMA_VERSION 4

/* Opens (creating and migrating when writable) the database at path.
 * Returns NULL with "PATH: problem" in err: unreadable, not a database,
 * corrupt, or from a newer mcusim. */
sqlite3 *db_open(const char *path, bool writable, char *err, size_t errlen);
void db_close(sqlite3 *db);

/* Stores a run with its layers and functions in one transaction; the new
 * run id goes to *id.  Returns 0, or -1 with err set (nothing stored). */
int db_store_run(sqlite3 *db, const struct prof_run *run, int64_t *id, char *err, size_t errlen);

/* Copies the runs of another mcusim database file, with their layers and
 * functions, into db (new ids).  A run is skipped, not duplicated, when db
 * already holds a run with the same run key and start time (the same run,
 * merged before) or an ok run with the same key (the measurement is done),
 * counting runs copied earlier in the same merge.  Runs in the caller's
 * transaction when there is one, so that several files merge all or
 * nothing, else in its own; on failure nothing this call wrote remains.
 * Returns 0 with the counts, or -1 with "PATH: problem" in err naming the
 * file at fault (unreadable, not an mcusim database, corrupt, newer). */
struct db_merge_counts {
    int copied, skipped;
};
int db_merge(sqlite3 *db, const char *from_path, struct db_merge_counts *counts, char *err, size_t errlen);

/* Checks, without writing, that path is an mcusim database this mcusim can
 * read and that every page is intact (PRAGMA quick_check).  Returns 0, or
 * -1 with "PATH: problem" in err. */
int db_check(const char *path, char *err, size_t errlen);

/* Removes runs with their layers and functions, all or none ('mcusim runs
 * rm').  Returns how many existed and were removed, or -1 with err set. */
int db_remove_runs(sqlite3 *db, const int64_t *ids, int n, char *err, size_t errlen);

/* The identity of a run for de-duplication: firmware, model, input,
 * board, kernels and a runtime other than mcusim (sha256 hex of their
 * concatenation). */
void db_run_key(const struct prof_run *run, char out[65]);

/* Which statuses the runs stored with this key have, as a set of
 * DB_STATUS_* bits (0: no run).  Sweeps decide from it what to skip. */
enum {
    DB_STATUS_OK = 1u << 0,
    DB_STATUS_FAULT = 1u << 1,
    DB_STATUS_LIMIT = 1u << 2,
    DB_STATUS_ERROR = 1u << 3,
    DB_STATUS_NOFIT = 1u << 4,
};
int db_run_key_statuses(sqlite3 *db, const char *key, unsigned *statuses, char *err, size_t errlen);

/* The run that answers for a key: the newest ok run, else the newest of
 * any status; *id 0 when there is none.  Returns 0, or -1 with err set. */
int db_run_key_latest(sqlite3 *db, const char *key, int64_t *id, char *err, size_t errlen);

#endif /* MCUSIM_DB_H */
