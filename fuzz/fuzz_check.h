/*
 * fuzz_check.h — the checks every fuzz target makes besides "no crash":
 * an invariant that must hold (FUZZ_CHECK aborts, so libFuzzer records the
 * input as a crash) and the shape of an error message (one line, naming
 * the file, saying something).  Header-only: each target is one program.
 */
#ifndef MCUSIM_FUZZ_CHECK_H
#define MCUSIM_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond)                                                                  \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                      \
        }                                                                                 \
    } while (0)

/* A rejection message: names the file first, has a problem after it, and
 * is a single line (no newline a terminal or a log would split on). */
static inline void fuzz_check_message(const char *name, const char *msg)
{
    size_t n = strlen(name);
    if (strncmp(msg, name, n) != 0 || msg[n] != ':' || strlen(msg) < n + 3 || strchr(msg, '\n')) {
        fprintf(stderr, "fuzz: bad error message for %s: '%s'\n", name, msg);
        abort();
    }
}

#endif /* MCUSIM_FUZZ_CHECK_H */
