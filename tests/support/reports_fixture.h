/*
 * reports_fixture.h — the fixture of the report tests: a database
 * filled by profiling the project's workloads with the built mcusim
 * (made once per test program, before any test, in a fresh directory),
 * running mcusim on it with stdout and stderr captured, golden files
 * (tests/golden/) compared with host facts masked, and small file helpers.
 *
 * Goldens are rewritten instead of compared when MCUSIM_UPDATE_GOLDEN=1:
 * after a deliberate change of the timing model, the firmware or a
 * format, regenerate them and review the diff.
 */
#ifndef MCUSIM_TESTS_REPORTS_FIXTURE_H
#define MCUSIM_TESTS_REPORTS_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

/* Runs ids in the fixture database, in the order they are profiled. */
enum fixture_run {
    RUN_CNN_REF = 1,      /* cnn, nano33ble, ref, tag cnn-ref */
    RUN_CNN_HALF,         /* cnn_half, tag cnn-half */
    RUN_CNN_F7,           /* cnn on stm32f746disco, tag cnn-f7 (no energy model) */
    RUN_CNN_PICO,         /* cnn on pico, tag cnn-pico (no layers: no ITM on M0+) */
    RUN_DSCNN,            /* dscnn, tag dscnn */
    RUN_BIG_RAM,          /* cnn:res=128, tag big-ram: does not fit in RAM (nofit) */
    RUN_BIG_FLASH,        /* autoencoder:hidden=1024, tag big-flash: does not fit in flash */
    RUN_CNN_REF_AGAIN,    /* cnn again, tag cnn-ref: the tag's latest run */
    RUN_CNN_OPT,          /* cnn with opt kernels, tag cnn-opt */
};

/* The fixture directory (holds runs.db, base.db: cnn_half profiled with
 * tag cnn-ref, for regressions); fails the test when the fixture could
 * not be made. */
const char *fixture_dir(void);

/* Runs "mcusim ARGS" in the fixture directory (relative --db paths then
 * name files there).  Captures stdout and stderr (malloc'd, NUL
 * terminated) and returns the exit status (-1 when it could not run). */
__attribute__((format(printf, 3, 4))) int mcusim(char **out, char **err, const char *fmt, ...);

/* Runs a shell command in the fixture directory; same captures. */
int shell(char **out, char **err, const char *cmd);

/* Lines beginning "host: " (text) or "<sub>host: " (md) reduced to their
 * prefix, so that golden files hold no host-dependent fact. */
char *mask_host_lines(const char *text);

/* Compares text (masked) with tests/golden/NAME, failing the test with a
 * unified diff; rewrites the golden file under MCUSIM_UPDATE_GOLDEN=1. */
void check_golden(const char *name, const char *text);

/* A file's contents (malloc'd) or NULL; writes a file (fails the test). */
char *slurp(const char *path, size_t *len);
void write_text(const char *path, const char *text);

/* "<fixture>/NAME" in a static buffer. */
const char *fixture_path(const char *name);

/* bytes as the reports write KB: one decimal, thousands grouped
 * ("7,525.2"), in a static buffer (one at a time). */
const char *kb_text(long long bytes);

/* Occurrences of needle in haystack. */
int count_of(const char *haystack, const char *needle);

#endif
