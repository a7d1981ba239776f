/*
 * fb_builder.h — a small writer of FlatBuffers binaries.
 *
 * modelgen uses it to write .tflite files; it knows nothing of TFLite.  It
 * builds the buffer back to front, as FlatBuffers builders do: every object
 * is finished before anything that refers to it, so references always point
 * forward in the final file and are plain unsigned offsets.
 *
 * What it writes:
 *   - scalars little-endian, aligned to their size;
 *   - strings: uint32 length, bytes, a NUL;
 *   - vectors: uint32 length, then the elements, the elements aligned to the
 *     alignment asked for (TFLite wants 16 for buffer data);
 *   - tables: an int32 offset to a vtable, then the fields; vtables that are
 *     byte-identical are written once and shared;
 *   - fields equal to their schema default are left out, as FlatBuffers
 *     builders do by default; readers must treat a missing field as default.
 *
 * Usage: create children (strings, vectors, tables) first, then start the
 * parent table, add its fields, end it.  A table may not be started while
 * another is open.  Errors (out of memory, misuse) are sticky: every call
 * after one is a no-op and fb_finish() reports failure.
 */
#ifndef MCUSIM_FB_BUILDER_H
#define MCUSIM_FB_BUILDER_H

#include <stddef.h>
#include <stdint.h>

/* A reference to an object already in the buffer: its distance, in bytes,
 * from the end of the buffer.  0 means "none". */
typedef uint32_t fb_ref;

#define FB_MAX_FIELDS 64
/* The largest buffer: offsets are 32-bit, and signed where they point to
 * vtables. */
#define FB_MAX_BYTES 0x7fffffffu

struct fb_builder {
    uint8_t *buf;    /* data occupies buf[cap - size .. cap) */
    size_t cap;
    size_t size;
    size_t max_align; /* the largest alignment asked for so far */
    int failed;
    /* The table being built, if any. */
    int in_table;
    size_t table_start;
    int num_fields;
    uint32_t field_pos[FB_MAX_FIELDS]; /* 0 = absent, else position (from end) */
    size_t skipped;   /* bytes at the end counted but not stored (fb_skip_vector) */
    /* Vtables written so far, for sharing identical ones. */
    uint32_t *vtables;
    size_t num_vtables, cap_vtables;
};

void fb_init(struct fb_builder *b);
void fb_free(struct fb_builder *b);

fb_ref fb_create_string(struct fb_builder *b, const char *s);
/* A vector of count elements of elem_size bytes (1, 2, 4 or 8) given in host
 * order; they are stored little-endian.  align >= elem_size, power of two. */
fb_ref fb_create_vector(struct fb_builder *b, const void *elems, size_t count, size_t elem_size,
                        size_t align);
/* A vector laid out exactly as fb_create_vector would lay it out, but
 * counted, not stored: for measuring how large a buffer will be without
 * holding its bulk.  Only before anything but skipped vectors is written;
 * fb_finish's *out_len is then the full size, and *out holds only the
 * bytes in front of the skipped ones. */
fb_ref fb_skip_vector(struct fb_builder *b, size_t count, size_t elem_size, size_t align);
/* A vector of references to tables or strings. */
fb_ref fb_create_ref_vector(struct fb_builder *b, const fb_ref *refs, size_t count);

void fb_start_table(struct fb_builder *b, int num_fields);
/* Scalar fields: written only when value != default_value. */
void fb_add_u8(struct fb_builder *b, int field, uint8_t value, uint8_t default_value);
void fb_add_i32(struct fb_builder *b, int field, int32_t value, int32_t default_value);
void fb_add_u32(struct fb_builder *b, int field, uint32_t value, uint32_t default_value);
void fb_add_f32(struct fb_builder *b, int field, float value, float default_value);
/* An offset field; ref 0 means absent. */
void fb_add_ref(struct fb_builder *b, int field, fb_ref ref);
fb_ref fb_end_table(struct fb_builder *b);

/* Writes the root offset and the 4-byte file identifier (may be NULL) in
 * front.  On success *out points into the builder's memory (valid until
 * fb_free) and the function returns 0; on any earlier failure it returns -1. */
int fb_finish(struct fb_builder *b, fb_ref root, const char *identifier, const uint8_t **out,
              size_t *out_len);

#endif
