/*
 * tflm_test_util.c — see tflm_test_util.h.
 */
#include "tflm_test_util.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "app_args.h"
#include "rt_test_util.h"

const struct tflm_case tflm_cases[] = {
    {"hello_world_int8", false, NULL},
    {"hello_world_float", false, NULL},
    {"micro_speech", false, NULL},
    {"person_detect", false, NULL},
    {"person_detect", false, "person_detect_person"},
    {"person_detect", false, "person_detect_no_person"},
    {"kws_dscnn", false, NULL},
    {"vww_mobilenet", false, NULL},
    {"ic_resnet8", false, NULL},
    {"ad_autoencoder", false, NULL},
    {"ad_autoencoder", false, "ad_normal_id_01_00000000_frames0-4"},
    {"cnn", true, NULL},
    {"cnn_half", true, NULL},
    {"dscnn", true, NULL},
    {"autoencoder", true, NULL},
    {"mobilenet", true, NULL},
    {"resnet", true, NULL},
};
const size_t tflm_case_count = sizeof tflm_cases / sizeof tflm_cases[0];

const char *tflm_case_label(const struct tflm_case *c)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "%s%s%s", c->model, c->sample ? "/" : "", c->sample ? c->sample : "");
    return buf;
}

const char *tflm_case_model_path(const struct tflm_case *c, char *buf, size_t len)
{
    if (c->workload) {
        snprintf(buf, len, "%s/workloads/%s.tflite", MCUSIM_BUILD_DIR, c->model);
        return buf;
    }
    if (!rt_test_models_dir())
        return NULL;
    snprintf(buf, len, "%s", rt_test_model_path(c->model));
    return buf;
}

bool tflm_case_write_input(const struct tflm_case *c, const char *model_path, const char *path)
{
    if (c->sample) {
        char sample[1024];
        snprintf(sample, sizeof sample, "%s/samples/%s.in.bin", rt_test_models_dir(), c->sample);
        size_t n;
        uint8_t *bytes = rt_test_read_file(sample, &n);
        bool ok = bytes && rt_test_write_file(path, bytes, n);
        free(bytes);
        return ok;
    }
    size_t size;
    uint8_t *bytes = rt_test_read_file(model_path, &size);
    if (!bytes)
        return false;
    struct rt_test_session s;
    rt_test_session_start(&s, bytes, size, 64u << 20);
    free(bytes);
    bool ok = s.status == RT_OK;
    if (ok) {
        struct rt_tensor *in = rt_interp_input(&s.interp, 0);
        app_fill_pseudo_random(in, APP_RANDOM_SEED);
        ok = rt_test_write_file(path, in->data, in->bytes);
    }
    rt_test_session_free(&s);
    return ok;
}

int tflm_run(const char *cmd)
{
    char full[8192];
    snprintf(full, sizeof full, "%s 2>&1", cmd);
    FILE *p = popen(full, "r");
    if (!p)
        return -1;
    char *log = NULL;
    size_t len = 0, cap = 0;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0) {
        if (len + n + 1 > cap) {
            cap = (len + n + 1) * 2;
            log = realloc(log, cap);
        }
        memcpy(log + len, chunk, n);
        len += n;
    }
    int rc = pclose(p);
    int status = rc == -1 ? -1 : WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
    if (status != 0)
        cr_log_error("%s (exit %d):\n%.*s", cmd, status, (int)len, log ? log : "");
    free(log);
    return status;
}

uint8_t *tflm_read(const char *path, size_t *size)
{
    return rt_test_read_file(path, size);
}

const char *tflm_env(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}
