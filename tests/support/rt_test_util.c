/*
 * rt_test_util.c — see rt_test_util.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt_test_util.h"

/* Peak live activation bytes from shared/models/README.md. */
const struct rt_test_model rt_test_models[] = {
    {"hello_world_int8", 32, false},   {"hello_world_float", 128, true}, {"micro_speech", 5960, false},
    {"person_detect", 55296, false},   {"kws_dscnn", 16000, false},      {"vww_mobilenet", 55296, false},
    {"ic_resnet8", 49152, false},      {"ad_autoencoder", 768, false},
};
const size_t rt_test_model_count = sizeof rt_test_models / sizeof rt_test_models[0];

const char *rt_test_models_dir(void)
{
    static const char *dir = MCUSIM_SHARED_MODELS;
    struct stat st;
    return stat(dir, &st) == 0 && S_ISDIR(st.st_mode) ? dir : NULL;
}

const char *rt_test_model_path(const char *name)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s.tflite", MCUSIM_SHARED_MODELS, name);
    return path;
}

uint8_t *rt_test_read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = aligned_alloc(16, ((size_t)len + 16) & ~(size_t)15);
    if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *size = (size_t)len;
    return buf;
}

bool rt_test_write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, size, f) == size;
    return fclose(f) == 0 && ok;
}

void rt_test_session_start(struct rt_test_session *s, const uint8_t *bytes, size_t size, size_t arena_size)
{
    memset(s, 0, sizeof *s);
    s->bytes = aligned_alloc(16, (size + 16) & ~(size_t)15);
    memcpy(s->bytes, bytes, size);
    s->size = size;
    s->arena_size = arena_size;
    s->arena = aligned_alloc(16, (arena_size + 15) & ~(size_t)15);
    s->status = rt_model_open(&s->model, s->bytes, size, rt_op_supported, &s->err);
    if (s->status == RT_OK)
        s->status = rt_interp_init(&s->interp, &s->model, rt_family_default(), s->arena, arena_size, &s->err);
}

void rt_test_session_free(struct rt_test_session *s)
{
    free(s->bytes);
    free(s->arena);
    memset(s, 0, sizeof *s);
}

bool rt_test_redirect_output(uint8_t *bytes, size_t size, int32_t tensor)
{
    struct rt_model m;
    if (rt_model_open(&m, bytes, size, NULL, NULL) != RT_OK || m.outputs.count < 1)
        return false;
    uint32_t v = (uint32_t)tensor;
    uint8_t le[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    memcpy(bytes + m.outputs.pos, le, 4);
    return true;
}

int rt_test_run_oracle(const char *model_path, const char *input_path, const char *output_path,
                       int32_t output_tensor, bool zero_bias_qdim)
{
    char cmd[4096];
    char extra[64] = "";
    if (output_tensor >= 0)
        snprintf(extra, sizeof extra, " --output-tensor %d", output_tensor);
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' '%s' '%s' '%s'%s%s 2>/dev/null >/dev/null", RT_ORACLE_SCRIPT,
             model_path, input_path, output_path, extra, zero_bias_qdim ? " --zero-bias-qdim" : "");
    int rc = system(cmd);
    return rc == -1 ? -1 : WEXITSTATUS(rc);
}

const char *rt_test_temp_path(const char *suffix, char *buf, size_t len)
{
    static unsigned counter;
    const char *dir = getenv("TMPDIR");
    snprintf(buf, len, "%s/rt_test_%d_%u%s", dir && *dir ? dir : "/tmp", (int)getpid(), counter++, suffix);
    return buf;
}
