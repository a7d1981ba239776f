/*
 * select.h — which stored run a command means.
 *
 * On the command line a run is named by its id, by its tag (the most
 * recently stored run with that tag) or by the word "latest" (the most
 * recently stored run).  "Latest" is by id: ids grow as runs are stored,
 * whereas start times have one-second resolution and merged databases
 * bring older start times in.  A gate's workload selects by any of tag,
 * model, board, runtime and kernels together.
 */
#ifndef MCUSIM_REPORTS_SELECT_H
#define MCUSIM_REPORTS_SELECT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* Resolves "ID", "TAG" or "latest".  A word made of digits is an id when
 * such a run exists and otherwise a tag.  Returns 0, or -1 with a one-line
 * message in err (callers put the database's name before it). */
int rep_select_run(sqlite3 *db, const char *selector, int64_t *id, char *err, size_t errlen);

/* Every run a selector names for removal: an id or "latest" names one run,
 * a tag names every run with that tag.  *ids is malloc'd; returns 0 (with
 * *n >= 1) or -1 with err set. */
int rep_select_runs_all(sqlite3 *db, const char *selector, int64_t **ids, int *n, char *err, size_t errlen);

/* What a gate's workload asks for; NULL or "" fields match anything.
 * model matches the stored path exactly or its trailing path components
 * ("cnn.tflite" matches ".../workloads/cnn.tflite"). */
struct rep_match {
    const char *tag;
    const char *model;
    const char *board;
    const char *kernels;
    const char *runtime;
};

/* The latest run matching m.  Returns 0 (found), 1 (none), -1 (error). */
int rep_select_latest(sqlite3 *db, const struct rep_match *m, int64_t *id, char *err, size_t errlen);

/* "tag 'cnn-ref', board 'pico'": what m asks for, for messages. */
void rep_match_describe(const struct rep_match *m, char *out, size_t len);

#endif
