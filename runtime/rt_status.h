/*
 * rt_status.h — how the runtime reports failure: a status code plus one
 * human-readable line in a caller-owned struct rt_error.
 *
 * The runtime is freestanding (no stdio), so messages are built with the
 * small appenders below instead of snprintf.  Library code never exits: it
 * returns a status and leaves the message for the caller to print.
 */
#ifndef RT_STATUS_H
#define RT_STATUS_H

#include <stddef.h>
#include <stdint.h>

enum rt_status {
    RT_OK = 0,
    RT_BAD_MODEL = 1,   /* the model bytes are corrupt or inconsistent */
    RT_UNSUPPORTED = 2, /* valid TFLite, but an op/type/option we do not run */
    RT_NO_MEMORY = 3,   /* the arena is too small */
    RT_BAD_ARG = 4,     /* the caller passed something invalid */
};

/* Room for a message naming several unsupported operators with their
 * layers (rt_model_open). */
#define RT_ERROR_MSG_MAX 320

struct rt_error {
    char msg[RT_ERROR_MSG_MAX]; /* always NUL-terminated */
    size_t len;
};

/* Clears the message.  A NULL error pointer is accepted everywhere. */
void rt_error_clear(struct rt_error *err);
/* Appends text / a decimal number; silently truncates at the capacity. */
void rt_error_add(struct rt_error *err, const char *text);
void rt_error_add_int(struct rt_error *err, int64_t value);
void rt_error_add_uint(struct rt_error *err, uint64_t value);
/* Replaces the message with text and returns status, for one-line returns:
 *   return rt_fail(err, RT_BAD_MODEL, "root table out of range"); */
enum rt_status rt_fail(struct rt_error *err, enum rt_status status, const char *text);
/* Prepends prefix to the current message (used to add "layer 3 (CONV_2D): "). */
void rt_error_prefix(struct rt_error *err, const char *prefix);

const char *rt_status_name(enum rt_status status);

#endif
