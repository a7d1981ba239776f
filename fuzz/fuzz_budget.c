/*
 * fuzz_budget.c — fuzz target for the CI budget file parser of
 * 'mcusim gate' (reports/budget.c, inih underneath).
 *
 * budget_load() reads a path, so each input is written to an in-memory
 * file (memfd) and loaded through /proc/self/fd/N, the code path a real
 * file takes.  Checks: a rejected file gets one line naming the file; an
 * accepted one has at least one workload, each with a name, something to
 * select its runs by and at least one finite, non-negative limit.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "budget.h"
#include "fuzz_check.h"

static int memfd = -1;
static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (memfd < 0) {
        memfd = memfd_create("fuzz-budget", 0);
        FUZZ_CHECK(memfd >= 0);
        snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);
    }
    FUZZ_CHECK(ftruncate(memfd, 0) == 0);
    FUZZ_CHECK(pwrite(memfd, data, size, 0) == (ssize_t)size);

    struct budget b;
    char err[1024] = "";
    if (budget_load(path, &b, err, sizeof err)) {
        fuzz_check_message(path, err);
        FUZZ_CHECK(b.w == NULL && b.n == 0);
        return 0;
    }
    FUZZ_CHECK(b.n > 0 && b.w);
    for (int i = 0; i < b.n; i++) {
        const struct budget_workload *w = &b.w[i];
        FUZZ_CHECK(w->name[0] && memchr(w->name, 0, sizeof w->name));
        FUZZ_CHECK(w->tag[0] || w->model[0]);
        bool any = false;
        for (int m = 0; m < BM_COUNT; m++) {
            if (!w->limit[m].set)
                continue;
            any = true;
            FUZZ_CHECK(isfinite(w->limit[m].value) && w->limit[m].value >= 0);
        }
        FUZZ_CHECK(any);
    }
    budget_free(&b);
    return 0;
}
