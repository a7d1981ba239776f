/*
 * work_files.h — the files of a command that works in a directory of its
 * own ('sweep' and 'fit'): directories, paths, tame file names, the last
 * line of a job's log, and models synthesized once and reused.
 *
 * Synthesized models are cached: WORK/models/NAME.tflite comes with
 * NAME.tflite.spec, a stamp of the spec, the seed and the mcusim binary
 * that made it.  modelgen is deterministic, so the same three give the
 * same bytes, and a resumed sweep or search recognizes its runs by the
 * model's hash.  The stamp is removed before a build and written after
 * it: a build that stops half way leaves no stamp vouching for the wrong
 * bytes.
 */
#ifndef MCUSIM_CLI_WORK_FILES_H
#define MCUSIM_CLI_WORK_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Creates path and its parents.  Returns 0, or -1 with err set. */
int mkdir_p(const char *path, char *err, size_t errlen);

/* An absolute path without resolving links (the file may not exist yet);
 * -1 when it does not fit in len. */
int path_absolute(const char *path, char *out, size_t len);

/* in with every character other than letters, digits, '_', '-' and '.'
 * made '_': a name safe in file names. */
void name_tame(const char *in, char *out, size_t len);

/* The last non-empty line of a log file, without a leading "mcusim: ". */
void log_last_line(const char *path, char *out, size_t len);

/* One model to synthesize: spec into path. */
struct model_build {
    const char *spec;
    const char *path;
    int line;             /* for the caller's messages (a manifest line), or 0 */
    int status;           /* out: the build's exit status (0: built or reused) */
    char why[512];        /* out: its last line when it failed */
};

/* Synthesizes the models whose stamp does not match (spec, seed,
 * self_sha), in at most `workers` processes of this binary ('mcusim model
 * build'); logs go next to the models.  Returns 0 when every model is
 * there (statuses 0), 1 when a build failed (its status and why are set),
 * the signal number + 128 when interrupted, or -1 with err set when a
 * process could not be started or a stamp written.  progress, when not
 * NULL, is called once with how many models will be built. */
int model_cache_build(struct model_build *models, int n, uint64_t seed, const char *self_sha, int workers,
                      void (*progress)(void *ctx, int to_build), void *ctx, char *err, size_t errlen);

#endif
