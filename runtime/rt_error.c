/*
 * rt_error.c — builds the one-line error messages of struct rt_error
 * without stdio, so that the same code runs freestanding on the firmware.
 */
#include <string.h>

#include "rt_status.h"

void rt_error_clear(struct rt_error *err)
{
    if (!err)
        return;
    err->msg[0] = '\0';
    err->len = 0;
}

void rt_error_add(struct rt_error *err, const char *text)
{
    if (!err || !text)
        return;
    if (err->len >= RT_ERROR_MSG_MAX)
        err->len = RT_ERROR_MSG_MAX - 1;
    while (*text && err->len + 1 < RT_ERROR_MSG_MAX)
        err->msg[err->len++] = *text++;
    err->msg[err->len] = '\0';
}

void rt_error_add_uint(struct rt_error *err, uint64_t value)
{
    char digits[24];
    size_t n = sizeof digits - 1;
    digits[n] = '\0';
    do {
        digits[--n] = (char)('0' + value % 10u);
        value /= 10u;
    } while (value && n > 0);
    rt_error_add(err, digits + n);
}

void rt_error_add_int(struct rt_error *err, int64_t value)
{
    if (value < 0) {
        rt_error_add(err, "-");
        /* Negate in unsigned arithmetic so INT64_MIN does not overflow. */
        rt_error_add_uint(err, (uint64_t)0 - (uint64_t)value);
    } else {
        rt_error_add_uint(err, (uint64_t)value);
    }
}

enum rt_status rt_fail(struct rt_error *err, enum rt_status status, const char *text)
{
    rt_error_clear(err);
    rt_error_add(err, text);
    return status;
}

void rt_error_prefix(struct rt_error *err, const char *prefix)
{
    if (!err || !prefix)
        return;
    struct rt_error old = *err;
    rt_error_clear(err);
    rt_error_add(err, prefix);
    rt_error_add(err, old.msg);
}

const char *rt_status_name(enum rt_status status)
{
    switch (status) {
    case RT_OK: return "ok";
    case RT_BAD_MODEL: return "bad model";
    case RT_UNSUPPORTED: return "unsupported";
    case RT_NO_MEMORY: return "arena too small";
    case RT_BAD_ARG: return "bad argument";
    }
    return "unknown status";
}
