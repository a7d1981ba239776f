/*
 * app_args.c — option parsing, pseudo-random input and value formatting
 * shared by the firmware application and the host driver (app_args.h).
 */
#include <string.h>

#include "app_args.h"

int app_parse_args(int argc, char **argv, int want_model, struct app_options *opts, const char **error)
{
    memset(opts, 0, sizeof *opts);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (!strcmp(a, "--input"))
            slot = &opts->input;
        else if (!strcmp(a, "--output"))
            slot = &opts->output;
        else if (!strcmp(a, "--kernels"))
            slot = &opts->kernels;
        if (slot) {
            if (i + 1 >= argc) {
                *error = "option needs a value (--input FILE, --output FILE, --kernels ref|opt)";
                return -1;
            }
            *slot = argv[++i];
        } else if (a[0] == '-' || !want_model || opts->model) {
            *error = "unknown argument (usage: [MODEL] [--input FILE] [--output FILE] [--kernels ref|opt])";
            return -1;
        } else {
            opts->model = a;
        }
    }
    if (want_model && !opts->model) {
        *error = "no model given";
        return -1;
    }
    return 0;
}

static uint32_t xorshift32(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

void app_fill_pseudo_random(struct rt_tensor *t, uint32_t seed)
{
    uint32_t state = seed ? seed : 1u;
    if (t->type == TFLITE_TYPE_FLOAT32) {
        float *f = (float *)(void *)t->data;
        for (uint32_t i = 0; i < t->bytes / 4u; i++)
            f[i] = (float)(xorshift32(&state) >> 8) * (1.0f / 16777216.0f); /* 24 bits: exact */
        return;
    }
    for (uint32_t i = 0; i < t->bytes; i++)
        t->data[i] = (uint8_t)(xorshift32(&state) >> 24);
}

static size_t format_uint(uint64_t v, char *buf)
{
    char tmp[24];
    size_t n = 0, len = 0;
    do {
        tmp[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v);
    while (n)
        buf[len++] = tmp[--n];
    buf[len] = '\0';
    return len;
}

static size_t format_int(int64_t v, char *buf)
{
    if (v < 0) {
        buf[0] = '-';
        return 1 + format_uint((uint64_t)0 - (uint64_t)v, buf + 1);
    }
    return format_uint((uint64_t)v, buf);
}

/* Fixed-point text with 9 decimals: enough to tell float32 values apart
 * in the ranges models produce, and identical on every machine. */
static size_t format_float(float f, char *buf)
{
    size_t len = 0;
    if (f != f) {
        memcpy(buf, "nan", 4);
        return 3;
    }
    double d = f;
    if (d < 0) {
        buf[len++] = '-';
        d = -d;
    }
    if (d > 3.5e38) { /* above FLT_MAX: infinity */
        memcpy(buf + len, "inf", 4);
        return len + 3;
    }
    /* d * 1e9 must fit 64 bits (converting a larger double is undefined,
     * and differs between the host and Cortex-M): from 1e10 up, scientific
     * notation, the mantissa with the same 9 decimals. */
    int exponent = 0;
    if (d >= 1e10)
        while (d >= 10.0) {
            d /= 10.0;
            exponent++;
        }
    uint64_t scaled = (uint64_t)(d * 1e9 + 0.5);
    len += format_uint(scaled / 1000000000u, buf + len);
    buf[len++] = '.';
    uint64_t frac = scaled % 1000000000u;
    for (uint64_t div = 100000000u; div; div /= 10u)
        buf[len++] = (char)('0' + (frac / div) % 10u);
    if (exponent) {
        buf[len++] = 'e';
        buf[len++] = '+';
        len += format_uint((uint64_t)exponent, buf + len);
    }
    buf[len] = '\0';
    return len;
}

size_t app_format_element(const struct rt_tensor *t, uint32_t i, char *buf)
{
    const uint8_t *p = t->data;
    switch (t->type) {
    case TFLITE_TYPE_INT8: return format_int((int8_t)p[i], buf);
    case TFLITE_TYPE_UINT8: return format_uint(p[i], buf);
    case TFLITE_TYPE_INT16: {
        int16_t v;
        memcpy(&v, p + 2u * i, sizeof v);
        return format_int(v, buf);
    }
    case TFLITE_TYPE_INT32: {
        int32_t v;
        memcpy(&v, p + 4u * i, sizeof v);
        return format_int(v, buf);
    }
    case TFLITE_TYPE_FLOAT32: {
        float v;
        memcpy(&v, p + 4u * i, sizeof v);
        return format_float(v, buf);
    }
    default:
        memcpy(buf, "?", 2);
        return 1;
    }
}
