/*
 * tflm_oracle.c — see tflm_oracle.h.
 */
#include "tflm_oracle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

const char *tflm_oracle_path(void)
{
    const char *vars[] = {"MCUSIM_TFLM_ORACLE", "TFLM_REF_RUN"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *p = getenv(vars[i]);
        if (p && *p && access(p, X_OK) == 0)
            return p;
    }
    return NULL;
}

static int write_all(const char *path, const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f))
        ok = 0;
    return ok ? 0 : -1;
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *buf = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) &&
            fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        }
        *len = (size_t)n;
    }
    fclose(f);
    return buf;
}

int tflm_oracle_run(const char *model_path, const uint8_t *input, size_t input_len, uint8_t **out,
                    size_t *out_len, char *message, size_t message_len)
{
    const char *oracle = tflm_oracle_path();
    char in_path[256], out_path[256], err_path[256], cmd[1024];
    const char *dir = getenv("TMPDIR");
    static unsigned counter;
    snprintf(in_path, sizeof in_path, "%s/tflm_oracle_%d_%u.in", dir && *dir ? dir : "/tmp", (int)getpid(), counter);
    snprintf(out_path, sizeof out_path, "%s/tflm_oracle_%d_%u.out", dir && *dir ? dir : "/tmp", (int)getpid(), counter);
    snprintf(err_path, sizeof err_path, "%s/tflm_oracle_%d_%u.err", dir && *dir ? dir : "/tmp", (int)getpid(), counter++);
    *out = NULL;
    *out_len = 0;
    if (message_len)
        message[0] = 0;
    if (!oracle || write_all(in_path, input, input_len))
        return -1;
    snprintf(cmd, sizeof cmd, "'%s' '%s' --input '%s' --output '%s' >/dev/null 2>'%s'", oracle, model_path,
             in_path, out_path, err_path);
    int rc = system(cmd);
    rc = rc == -1 ? -1 : WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    if (rc == 0)
        *out = read_all(out_path, out_len);
    size_t n;
    char *text = (char *)read_all(err_path, &n);
    if (text && message_len) {
        text[n] = 0;
        text[strcspn(text, "\n")] = 0;
        snprintf(message, message_len, "%s", text);
    }
    free(text);
    remove(in_path);
    remove(out_path);
    remove(err_path);
    return rc == 0 && !*out ? -1 : rc;
}
