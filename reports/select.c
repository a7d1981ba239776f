/*
 * select.c — resolving run selectors and workload matches (see select.h).
 */
#include "select.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rundata.h"

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* First column of the first row as an id: 0 found, 1 none, -1 error. */
static int query_id(sqlite3 *db, const char *sql, const char *arg, int64_t *id, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "reading it: %s", sqlite3_errmsg(db));
        return -1;
    }
    if (arg)
        sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    int found = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
    if (found)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        snprintf(err, errlen, "reading it: %s", sqlite3_errmsg(db));
        return -1;
    }
    return found ? 0 : 1;
}

int rep_select_run(sqlite3 *db, const char *selector, int64_t *id, char *err, size_t errlen)
{
    int rc;
    if (!strcmp(selector, "latest")) {
        rc = query_id(db, "SELECT max(id) FROM runs", NULL, id, err, errlen);
        if (rc == 1)
            snprintf(err, errlen, "no runs yet (profile something first)");
        return rc ? -1 : 0;
    }
    if (all_digits(selector)) {
        rc = query_id(db, "SELECT id FROM runs WHERE id = CAST(?1 AS INTEGER)", selector, id, err, errlen);
        if (rc <= 0)
            return rc;
    }
    rc = query_id(db, "SELECT max(id) FROM runs WHERE tag = ?1", selector, id, err, errlen);
    if (rc == 1)
        snprintf(err, errlen, "no run with %s '%s' (see 'mcusim runs')",
                 all_digits(selector) ? "id or tag" : "tag", selector);
    return rc ? -1 : 0;
}

int rep_select_runs_all(sqlite3 *db, const char *selector, int64_t **ids, int *n, char *err, size_t errlen)
{
    *ids = NULL;
    *n = 0;
    int64_t one;
    bool by_tag = strcmp(selector, "latest") != 0;
    if (all_digits(selector)) {
        int rc = query_id(db, "SELECT id FROM runs WHERE id = CAST(?1 AS INTEGER)", selector, &one, err, errlen);
        if (rc < 0)
            return -1;
        by_tag = rc == 1;
    }
    if (!by_tag) {
        if (rep_select_run(db, selector, &one, err, errlen))
            return -1;
        *ids = malloc(sizeof **ids);
        if (!*ids) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        (*ids)[0] = one;
        *n = 1;
        return 0;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT id FROM runs WHERE tag = ?1 ORDER BY id", -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "reading it: %s", sqlite3_errmsg(db));
        return -1;
    }
    sqlite3_bind_text(st, 1, selector, -1, SQLITE_TRANSIENT);
    int cap = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 8;
            int64_t *grown = realloc(*ids, (size_t)cap * sizeof **ids);
            if (!grown) {
                rc = SQLITE_NOMEM;
                break;
            }
            *ids = grown;
        }
        (*ids)[(*n)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE || !*n) {
        if (rc != SQLITE_DONE)
            snprintf(err, errlen, "reading it: %s", sqlite3_errstr(rc));
        else
            snprintf(err, errlen, "no run with %s '%s' (see 'mcusim runs')",
                     all_digits(selector) ? "id or tag" : "tag", selector);
        free(*ids);
        *ids = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

static bool given(const char *s)
{
    return s && *s;
}

int rep_select_latest(sqlite3 *db, const struct rep_match *m, int64_t *id, char *err, size_t errlen)
{
    /* Unset fields bind NULL and match everything. */
    char sql[640];
    snprintf(sql, sizeof sql,
             "SELECT max(id) FROM runs WHERE (?1 IS NULL OR tag = ?1)"
             " AND (?2 IS NULL OR model = ?2 OR (length(model) > length(?2)"
             "      AND substr(model, -length(?2) - 1) = '/' || ?2))"
             " AND (?3 IS NULL OR board = ?3) AND (?4 IS NULL OR kernels = ?4)"
             " AND (?5 IS NULL OR (%s) = ?5)",
             rep_runtime_column(db));
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "reading it: %s", sqlite3_errmsg(db));
        return -1;
    }
    const char *fields[] = {m->tag, m->model, m->board, m->kernels, m->runtime};
    for (int i = 0; i < 5; i++) {
        if (given(fields[i]))
            sqlite3_bind_text(st, i + 1, fields[i], -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(st, i + 1);
    }
    int rc = sqlite3_step(st);
    int found = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
    if (found)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        snprintf(err, errlen, "reading it: %s", sqlite3_errmsg(db));
        return -1;
    }
    return found ? 0 : 1;
}

void rep_match_describe(const struct rep_match *m, char *out, size_t len)
{
    const char *names[] = {"tag", "model", "board", "runtime", "kernels"};
    const char *fields[] = {m->tag, m->model, m->board, m->runtime, m->kernels};
    out[0] = '\0';
    for (int i = 0; i < 5; i++) {
        if (!given(fields[i]))
            continue;
        size_t used = strlen(out);
        snprintf(out + used, len - used, "%s%s '%s'", used ? ", " : "", names[i], fields[i]);
    }
    if (!out[0])
        snprintf(out, len, "any run");
}
