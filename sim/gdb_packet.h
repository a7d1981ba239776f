/*
 * gdb_packet.h — the framing of GDB's remote serial protocol: packets
 * "$data#cs", their acknowledgements, the interrupt byte, and the
 * encodings inside packets (hex, binary escapes).
 *
 * The framer takes the byte stream from the debugger one byte at a time
 * and says when a whole packet has arrived, was corrupt or too long, or
 * when the debugger asked for an interrupt (0x03).  Nothing here does I/O
 * or knows what a packet means (gdbstub.c); every input, however
 * malformed, ends in one of these outcomes (a fuzz target).
 */
#ifndef MCUSIM_GDB_PACKET_H
#define MCUSIM_GDB_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest packet body accepted, as announced in qSupported
 * (PacketSize); the reply buffer holds that much too. */
#define GDB_PACKET_MAX 16384

enum gdb_frame {
    FRAME_NONE,        /* more bytes needed */
    FRAME_PACKET,      /* f->body[0..f->len) is a packet's data (still escaped), NUL-terminated */
    FRAME_BAD,         /* checksum mismatch or bad checksum digits: ask for it again */
    FRAME_OVERSIZED,   /* longer than GDB_PACKET_MAX: dropped */
    FRAME_INTERRUPT,   /* 0x03 outside a packet */
};

struct gdb_framer {
    int state;
    uint8_t sum;       /* running checksum of the body */
    uint8_t sent_hi;   /* first checksum digit */
    bool overflow;
    size_t len;
    char body[GDB_PACKET_MAX + 1];
};

void gdb_framer_init(struct gdb_framer *f);
enum gdb_frame gdb_framer_push(struct gdb_framer *f, uint8_t c);

/* A growable output buffer (the reply being built). */
struct gdb_buf {
    char *data;
    size_t len, cap;
    bool failed;       /* out of memory or over the limit: the reply becomes an error */
};

void gdb_buf_reset(struct gdb_buf *b);
void gdb_buf_free(struct gdb_buf *b);
void gdb_buf_add(struct gdb_buf *b, const void *bytes, size_t n);
void gdb_buf_str(struct gdb_buf *b, const char *s);
void gdb_buf_printf(struct gdb_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gdb_buf_hex(struct gdb_buf *b, const void *bytes, size_t n);

/* Frames body as "$...#cs" into out, escaping '$', '#', '}' and '*'. */
void gdb_packet_frame(struct gdb_buf *out, const char *body, size_t len);

/* Hex digits to bytes: returns the bytes written, -1 on an odd count or a
 * non-hex digit. */
int gdb_hex_decode(const char *hex, size_t n_digits, uint8_t *out, size_t max);

/* Parses a hex number at *p (at least one digit, at most 16), advancing
 * *p past it; -1 when there is none or it overflows 64 bits. */
int gdb_parse_hex(const char **p, uint64_t *value);

/* Undoes the binary escapes ("}" then byte ^ 0x20) of n bytes in place;
 * returns the new length, -1 when an escape is cut off. */
long gdb_unescape(char *bytes, size_t n);

#endif /* MCUSIM_GDB_PACKET_H */
