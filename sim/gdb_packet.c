/*
 * gdb_packet.c — see gdb_packet.h.
 *
 * The protocol (GDB manual, "Remote Protocol"): a packet is '$', the
 * data, '#' and two hex digits of the data's sum modulo 256.  Outside a
 * packet, '+' and '-' acknowledge and 0x03 interrupts; anything else is
 * line noise and is skipped.  A '$' inside a packet starts a new one (the
 * debugger gave up on the old one).
 */
#include "gdb_packet.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { IN_IDLE, IN_BODY, IN_SUM_HI, IN_SUM_LO };

static int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void gdb_framer_init(struct gdb_framer *f)
{
    f->state = IN_IDLE;
    f->len = 0;
    f->sum = 0;
    f->overflow = false;
    f->body[0] = '\0';
}

enum gdb_frame gdb_framer_push(struct gdb_framer *f, uint8_t c)
{
    switch (f->state) {
    case IN_IDLE:
        if (c == '$') {
            f->state = IN_BODY;
            f->len = 0;
            f->sum = 0;
            f->overflow = false;
        } else if (c == 0x03) {
            return FRAME_INTERRUPT;
        }
        return FRAME_NONE;
    case IN_BODY:
        if (c == '$') {
            f->len = 0;
            f->sum = 0;
            f->overflow = false;
            return FRAME_NONE;
        }
        if (c == '#') {
            f->state = IN_SUM_HI;
            return FRAME_NONE;
        }
        f->sum = (uint8_t)(f->sum + c);
        if (f->len < GDB_PACKET_MAX)
            f->body[f->len++] = (char)c;
        else
            f->overflow = true;
        return FRAME_NONE;
    case IN_SUM_HI:
        f->sent_hi = c;
        f->state = IN_SUM_LO;
        return FRAME_NONE;
    default: {
        f->state = IN_IDLE;
        f->body[f->len] = '\0';
        int hi = hex_value(f->sent_hi), lo = hex_value(c);
        if (f->overflow)
            return FRAME_OVERSIZED;
        if (hi < 0 || lo < 0 || (uint8_t)(hi << 4 | lo) != f->sum)
            return FRAME_BAD;
        return FRAME_PACKET;
    }
    }
}

/* ---- output ---- */

void gdb_buf_reset(struct gdb_buf *b)
{
    b->len = 0;
    b->failed = false;
}

void gdb_buf_free(struct gdb_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

void gdb_buf_add(struct gdb_buf *b, const void *bytes, size_t n)
{
    if (b->failed)
        return;
    /* A reply never needs more than a full packet, escaped and framed. */
    if (b->len + n > 2 * GDB_PACKET_MAX + 16) {
        b->failed = true;
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *data = realloc(b->data, cap);
        if (!data) {
            b->failed = true;
            return;
        }
        b->data = data;
        b->cap = cap;
    }
    memcpy(b->data + b->len, bytes, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void gdb_buf_str(struct gdb_buf *b, const char *s)
{
    gdb_buf_add(b, s, strlen(s));
}

void gdb_buf_printf(struct gdb_buf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp)
        b->failed = true;
    else
        gdb_buf_add(b, tmp, (size_t)n);
}

void gdb_buf_hex(struct gdb_buf *b, const void *bytes, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    const uint8_t *p = bytes;
    for (size_t i = 0; i < n; i++) {
        char two[2] = {digits[p[i] >> 4], digits[p[i] & 15]};
        gdb_buf_add(b, two, 2);
    }
}

void gdb_packet_frame(struct gdb_buf *out, const char *body, size_t len)
{
    uint8_t sum = 0;
    gdb_buf_add(out, "$", 1);
    for (size_t i = 0; i < len; i++) {
        char c = body[i];
        if (c == '$' || c == '#' || c == '}' || c == '*') {
            char esc[2] = {'}', (char)(c ^ 0x20)};
            gdb_buf_add(out, esc, 2);
            sum = (uint8_t)(sum + '}' + (uint8_t)esc[1]);
        } else {
            gdb_buf_add(out, &c, 1);
            sum = (uint8_t)(sum + (uint8_t)c);
        }
    }
    gdb_buf_printf(out, "#%02x", sum);
}

/* ---- parsing ---- */

int gdb_hex_decode(const char *hex, size_t n_digits, uint8_t *out, size_t max)
{
    if (n_digits % 2 || n_digits / 2 > max)
        return -1;
    for (size_t i = 0; i < n_digits / 2; i++) {
        int hi = hex_value((unsigned char)hex[2 * i]), lo = hex_value((unsigned char)hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return (int)(n_digits / 2);
}

int gdb_parse_hex(const char **p, uint64_t *value)
{
    const char *s = *p;
    uint64_t v = 0;
    int digits = 0;
    int d;
    while ((d = hex_value((unsigned char)*s)) >= 0) {
        if (++digits > 16)
            return -1;
        v = v << 4 | (uint64_t)d;
        s++;
    }
    if (!digits)
        return -1;
    *value = v;
    *p = s;
    return 0;
}

long gdb_unescape(char *bytes, size_t n)
{
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        if (bytes[i] == '}') {
            if (++i == n)
                return -1;
            bytes[out++] = (char)(bytes[i] ^ 0x20);
        } else {
            bytes[out++] = bytes[i];
        }
    }
    return (long)out;
}
