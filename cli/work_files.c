/*
 * work_files.c — see work_files.h.
 */
#include "work_files.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "procpool.h"

int mkdir_p(const char *path, char *err, size_t errlen)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || !*p) {
            char saved = *p;
            *p = '\0';
            if (mkdir(buf, 0755) && errno != EEXIST) {
                snprintf(err, errlen, "%s: cannot create the directory: %s", buf, strerror(errno));
                return -1;
            }
            *p = saved;
            if (!saved)
                break;
        }
    }
    return 0;
}

int path_absolute(const char *path, char *out, size_t len)
{
    char cwd[PATH_MAX];
    int n;
    if (path[0] == '/' || !getcwd(cwd, sizeof cwd))
        n = snprintf(out, len, "%s", path);
    else
        n = snprintf(out, len, "%s/%s", cwd, path);
    return n >= 0 && (size_t)n < len ? 0 : -1;
}

void name_tame(const char *in, char *out, size_t len)
{
    size_t i = 0;
    for (; in[i] && i + 1 < len; i++) {
        char c = in[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                  c == '-' || c == '.';
        out[i] = ok ? c : '_';
    }
    out[i] = '\0';
}

void log_last_line(const char *path, char *out, size_t len)
{
    out[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char buf[4096];
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        fseek(f, size > (long)sizeof buf - 1 ? size - (long)sizeof buf + 1 : 0, SEEK_SET);
    }
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    char *line = strrchr(buf, '\n');
    line = line ? line + 1 : buf;
    if (!strncmp(line, "mcusim: ", 8))
        line += 8;
    size_t k = strlen(line);
    if (k >= len)
        k = len - 1;
    memcpy(out, line, k);
    out[k] = '\0';
}

/* ---- the model cache ---- */

struct build_job {
    struct model_build *model;
    char stamp[PATH_MAX + 512];
    char stamp_path[PATH_MAX + 16];
    char log[PATH_MAX + 16];
    char *argv[9];
};

static void build_done(void *p, size_t index, const struct pool_result *r)
{
    struct build_job *jobs = p;
    jobs[index].model->status = r->term_signal ? 128 + r->term_signal : r->exit_status;
}

static void stamp_of(const struct model_build *m, uint64_t seed, const char *self_sha, char *out, size_t len)
{
    snprintf(out, len, "%s seed=%llu mcusim=%s\n", m->spec, (unsigned long long)seed, self_sha);
}

int model_cache_build(struct model_build *models, int n, uint64_t seed, const char *self_sha, int workers,
                      void (*progress)(void *ctx, int to_build), void *ctx, char *err, size_t errlen)
{
    struct build_job *jobs = calloc((size_t)n + 1, sizeof *jobs);
    struct pool_job *pool = calloc((size_t)n + 1, sizeof *pool);
    char seed_text[24];
    snprintf(seed_text, sizeof seed_text, "%llu", (unsigned long long)seed);
    int rc = 0, n_jobs = 0;
    if (!jobs || !pool) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
        goto out;
    }
    for (int i = 0; i < n; i++) {
        struct model_build *m = &models[i];
        struct build_job *j = &jobs[n_jobs];
        m->status = 0;
        m->why[0] = '\0';
        snprintf(j->stamp_path, sizeof j->stamp_path, "%s.spec", m->path);
        stamp_of(m, seed, self_sha, j->stamp, sizeof j->stamp);
        char have[sizeof j->stamp] = "";
        FILE *f = fopen(j->stamp_path, "r");
        if (f) {
            if (!fgets(have, sizeof have, f))
                have[0] = '\0';
            fclose(f);
        }
        struct stat sb;
        if (!strcmp(have, j->stamp) && !stat(m->path, &sb))
            continue;
        unlink(j->stamp_path);
        snprintf(j->log, sizeof j->log, "%s.build.log", m->path);
        j->model = m;
        j->argv[0] = "/proc/self/exe";
        j->argv[1] = "model";
        j->argv[2] = "build";
        j->argv[3] = (char *)m->spec;
        j->argv[4] = "--seed";
        j->argv[5] = seed_text;
        j->argv[6] = "-o";
        j->argv[7] = (char *)m->path;
        j->argv[8] = NULL;
        pool[n_jobs] = (struct pool_job){.argv = j->argv, .log_path = j->log};
        n_jobs++;
    }
    if (progress)
        progress(ctx, n_jobs);
    if (!n_jobs)
        goto out;
    struct pool_options po = {.workers = workers, .done = build_done, .ctx = jobs};
    int prc = pool_run(pool, (size_t)n_jobs, &po, err, errlen);
    if (prc < 0) {
        rc = -1;
        goto out;
    }
    if (prc > 0) {
        snprintf(err, errlen, "interrupted by signal %d while synthesizing models", prc);
        rc = 128 + prc;
        goto out;
    }
    for (int k = 0; k < n_jobs; k++) {
        struct build_job *j = &jobs[k];
        if (j->model->status) {
            log_last_line(j->log, j->model->why, sizeof j->model->why);
            if (!strncmp(j->model->why, "model build: ", 13))
                memmove(j->model->why, j->model->why + 13, strlen(j->model->why + 13) + 1);
            if (!j->model->why[0])
                snprintf(j->model->why, sizeof j->model->why, "cannot synthesize it");
            rc = 1;
            continue;
        }
        FILE *f = fopen(j->stamp_path, "w");
        if (!f || fputs(j->stamp, f) < 0 || fclose(f)) {
            snprintf(err, errlen, "%s: cannot write: %s", j->stamp_path, strerror(errno));
            rc = -1;
            goto out;
        }
        unlink(j->log);
    }
out:
    free(jobs);
    free(pool);
    return rc;
}
