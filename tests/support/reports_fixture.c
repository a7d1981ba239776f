/*
 * reports_fixture.c — the report tests' fixture and helpers (see
 * reports_fixture.h).
 *
 * The database is made in a Criterion PRE_ALL report hook, which runs in
 * the runner process before any test; its directory reaches the tests
 * (which run in child processes) through the environment.  POST_ALL
 * removes it unless MCUSIM_KEEP_FIXTURE is set.
 */
#include "reports_fixture.h"

#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <criterion/logging.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "simtest.h"

#define FIXTURE_ENV "MCUSIM_REPORTS_FIXTURE"
#define FIXTURE_ERROR_ENV "MCUSIM_REPORTS_FIXTURE_ERROR"

/* One fixture step: a command and the exit status it must end with. */
struct step {
    const char *cmd;
    int status;
};

static int build_fixture(char *dir, size_t len, char *why, size_t whylen)
{
    snprintf(dir, len, "/tmp/mcusim-reports-XXXXXX");
    if (!mkdtemp(dir)) {
        snprintf(why, whylen, "cannot make a temporary directory");
        return -1;
    }
    const char *b = build_root();
    char m[1024], w[1024];
    snprintf(m, sizeof m, "'%s/mcusim'", b);
    snprintf(w, sizeof w, "%s/workloads", b);
    char cmds[12][4096];
    /* The order makes the run ids of enum fixture_run. */
    const struct step steps[] = {
        {cmds[0], 0}, {cmds[1], 0}, {cmds[2], 0}, {cmds[3], 0}, {cmds[4], 0}, {cmds[5], 0},
        {cmds[6], 6}, {cmds[7], 0}, {cmds[8], 6}, {cmds[9], 0}, {cmds[10], 0}, {cmds[11], 0},
    };
    snprintf(cmds[0], sizeof cmds[0], "%s profile %s/cnn.tflite --db runs.db --tag cnn-ref -q", m, w);
    snprintf(cmds[1], sizeof cmds[1], "%s profile %s/cnn_half.tflite --db runs.db --tag cnn-half -q", m, w);
    snprintf(cmds[2], sizeof cmds[2], "%s profile %s/cnn.tflite --board stm32f746disco --db runs.db --tag cnn-f7 -q",
             m, w);
    snprintf(cmds[3], sizeof cmds[3], "%s profile %s/cnn.tflite --board pico --db runs.db --tag cnn-pico -q", m, w);
    snprintf(cmds[4], sizeof cmds[4], "%s profile %s/dscnn.tflite --db runs.db --tag dscnn -q", m, w);
    snprintf(cmds[5], sizeof cmds[5], "%s model build cnn:res=128 -o big_ram.tflite", m);
    snprintf(cmds[6], sizeof cmds[6], "%s profile big_ram.tflite --db runs.db --tag big-ram -q", m);
    snprintf(cmds[7], sizeof cmds[7], "%s model build autoencoder:hidden=1024 -o big_flash.tflite", m);
    snprintf(cmds[8], sizeof cmds[8], "%s profile big_flash.tflite --db runs.db --tag big-flash -q", m);
    snprintf(cmds[9], sizeof cmds[9], "%s profile %s/cnn.tflite --db runs.db --tag cnn-ref -q", m, w);
    snprintf(cmds[10], sizeof cmds[10], "%s profile %s/cnn_half.tflite --db base.db --tag cnn-ref -q", m, w);
    snprintf(cmds[11], sizeof cmds[11], "%s profile %s/cnn.tflite --kernels opt --db runs.db --tag cnn-opt -q", m,
             w);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        char full[8192];
        snprintf(full, sizeof full, "cd '%s' && %s >>fixture.log 2>&1", dir, steps[i].cmd);
        char *out = NULL;
        int rc = run_command_capture(full, &out);
        free(out);
        if (rc != steps[i].status) {
            snprintf(why, whylen, "fixture step failed with status %d: %s (see %s/fixture.log)", rc, steps[i].cmd,
                     dir);
            return -1;
        }
    }
    return 0;
}

ReportHook(PRE_ALL)(struct criterion_test_set *tests)
{
    (void)tests;
    char dir[256], why[3000] = "";
    if (build_fixture(dir, sizeof dir, why, sizeof why))
        setenv(FIXTURE_ERROR_ENV, why, 1);
    else
        setenv(FIXTURE_ENV, dir, 1);
}

ReportHook(POST_ALL)(struct criterion_global_stats *stats)
{
    (void)stats;
    const char *dir = getenv(FIXTURE_ENV);
    if (!dir || getenv("MCUSIM_KEEP_FIXTURE") || strncmp(dir, "/tmp/mcusim-reports-", 20))
        return;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

const char *fixture_dir(void)
{
    const char *dir = getenv(FIXTURE_ENV);
    if (!dir) {
        const char *why = getenv(FIXTURE_ERROR_ENV);
        cr_assert_fail("no fixture database: %s", why ? why : "the PRE_ALL hook did not run");
    }
    return dir;
}

const char *fixture_path(const char *name)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", fixture_dir(), name);
    return path;
}

char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 2) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    cr_assert_eq(fputs(text, f) >= 0, 1);
    cr_assert_eq(fclose(f), 0);
}

int shell(char **out, char **err, const char *cmd)
{
    char errpath[1024];
    snprintf(errpath, sizeof errpath, "%s/stderr-XXXXXX", fixture_dir());
    int fd = mkstemp(errpath);
    cr_assert_geq(fd, 0, "mkstemp");
    close(fd);
    size_t len = strlen(cmd) + 2 * strlen(errpath) + 64;
    char *full = malloc(len);
    snprintf(full, len, "cd '%s' && ( %s ) 2>'%s'", fixture_dir(), cmd, errpath);
    char *o = NULL;
    int rc = run_command_capture(full, &o);
    free(full);
    char *e = slurp(errpath, NULL);
    unlink(errpath);
    if (out)
        *out = o ? o : strdup("");
    else
        free(o);
    if (err)
        *err = e ? e : strdup("");
    else
        free(e);
    return rc;
}

int mcusim(char **out, char **err, const char *fmt, ...)
{
    char args[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    char cmd[5120];
    snprintf(cmd, sizeof cmd, "'%s/mcusim' %s", build_root(), args);
    return shell(out, err, cmd);
}

char *mask_host_lines(const char *text)
{
    size_t len = strlen(text);
    char *out = malloc(len + 1);
    char *o = out;
    const char *p = text;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p + 1) : strlen(p);
        if (!strncmp(p, "host: ", 6)) {
            o += sprintf(o, "host: ...\n");
        } else if (!strncmp(p, "<sub>host: ", 11)) {
            o += sprintf(o, "<sub>host: ...</sub><br>\n");
        } else {
            memcpy(o, p, n);
            o += n;
        }
        p += n;
    }
    *o = '\0';
    return out;
}

void check_golden(const char *name, const char *text)
{
    char *masked = mask_host_lines(text);
    char golden[1024];
    snprintf(golden, sizeof golden, "%s/tests/golden/%s", source_root(), name);
    if (getenv("MCUSIM_UPDATE_GOLDEN") && !strcmp(getenv("MCUSIM_UPDATE_GOLDEN"), "1")) {
        write_text(golden, masked);
        fprintf(stderr, "rewrote %s\n", golden);
        free(masked);
        return;
    }
    char *want = slurp(golden, NULL);
    cr_assert_not_null(want, "%s: missing golden file (make it with MCUSIM_UPDATE_GOLDEN=1)", golden);
    if (strcmp(want, masked)) {
        const char *actual = fixture_path(name);
        char actual_copy[1024];
        snprintf(actual_copy, sizeof actual_copy, "%s.actual", actual);
        write_text(actual_copy, masked);
        char cmd[3000], *diff = NULL;
        snprintf(cmd, sizeof cmd, "diff -u '%s' '%s'", golden, actual_copy);
        run_command_capture(cmd, &diff);
        cr_assert_fail("%s differs from the golden file (if the change is deliberate, rerun with "
                "MCUSIM_UPDATE_GOLDEN=1 and review the diff):\n%s",
                name, diff ? diff : "(no diff)");
        free(diff);
    }
    free(want);
    free(masked);
}

const char *kb_text(long long bytes)
{
    static char out[64];
    char plain[64];
    snprintf(plain, sizeof plain, "%.1f", bytes / 1024.0);
    char *dot = strchr(plain, '.');
    int digits = (int)(dot - plain), o = 0;
    for (int i = 0; i < digits; i++) {
        out[o++] = plain[i];
        if ((digits - i - 1) % 3 == 0 && i != digits - 1)
            out[o++] = ',';
    }
    snprintf(out + o, sizeof out - (size_t)o, "%s", dot);
    return out;
}

int count_of(const char *haystack, const char *needle)
{
    int n = 0;
    for (const char *p = haystack; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}
