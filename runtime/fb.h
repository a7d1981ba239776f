/*
 * fb.h — bounds-checked reading of a flatbuffer in place.
 *
 * The .tflite model lives in flash on the MCU, so nothing is copied: these
 * functions take byte positions inside one buffer and check every offset,
 * vtable and vector against the buffer's size before anything is read.
 * A malformed or hostile buffer makes them return false; they never read
 * outside [data, data + size).
 *
 * Flatbuffer layout, in brief: a table starts with a signed 32-bit offset
 * to its vtable (vtable = table - soffset).  The vtable holds its own size,
 * the table's inline size, then one 16-bit offset per field (0 = absent).
 * Offsets to sub-objects (tables, vectors, strings) are unsigned 32-bit and
 * relative to where they are stored, so they only point forward: a chain of
 * them cannot loop.  Vectors are a 32-bit count followed by the elements;
 * strings are byte vectors with a NUL after the last byte.  All little-endian.
 */
#ifndef RT_FB_H
#define RT_FB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fb_buf {
    const uint8_t *data;
    uint32_t size;
};

/* A validated table: its position, vtable position and sizes. */
struct fb_table {
    uint32_t pos;
    uint32_t vtable;
    uint16_t vtable_size;
    uint16_t object_size;
};

/* A validated vector: position of element 0 and the element count. */
struct fb_vec {
    uint32_t pos;
    uint32_t count;
};

/* Little-endian loads at any alignment (the caller has checked bounds). */
static inline uint16_t fb_load_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t fb_load_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t fb_load_u64(const uint8_t *p)
{
    return (uint64_t)fb_load_u32(p) | ((uint64_t)fb_load_u32(p + 4) << 32);
}

static inline float fb_load_f32(const uint8_t *p)
{
    uint32_t bits = fb_load_u32(p);
    float f;
    __builtin_memcpy(&f, &bits, sizeof f);
    return f;
}

/* Checks the table header at pos and fills *t. */
bool fb_table_at(const struct fb_buf *b, uint32_t pos, struct fb_table *t);

/* The root table (the uoffset at byte 0). */
bool fb_root(const struct fb_buf *b, struct fb_table *t);

/* Position of field `id` holding `size` bytes, or 0 when the field is
 * absent.  Returns false when the vtable entry points outside the table or
 * the field is misaligned. */
bool fb_field(const struct fb_buf *b, const struct fb_table *t, unsigned id, unsigned size,
              uint32_t *pos);

/* Scalar fields with the schema's default when absent.  These return false
 * only for a corrupt field; *out then keeps the default. */
bool fb_get_u8(const struct fb_buf *b, const struct fb_table *t, unsigned id, uint8_t def, uint8_t *out);
bool fb_get_i32(const struct fb_buf *b, const struct fb_table *t, unsigned id, int32_t def, int32_t *out);
bool fb_get_u32(const struct fb_buf *b, const struct fb_table *t, unsigned id, uint32_t def, uint32_t *out);
bool fb_get_u64(const struct fb_buf *b, const struct fb_table *t, unsigned id, uint64_t def, uint64_t *out);
bool fb_get_f32(const struct fb_buf *b, const struct fb_table *t, unsigned id, float def, float *out);

/* Sub-object fields.  *present tells whether the field was there; an absent
 * table/vector is not an error (vector count 0). */
bool fb_get_table(const struct fb_buf *b, const struct fb_table *t, unsigned id, struct fb_table *out,
                  bool *present);
bool fb_get_vector(const struct fb_buf *b, const struct fb_table *t, unsigned id, uint32_t elem_size,
                   struct fb_vec *out, bool *present);
/* A string field: *out points at its NUL-terminated bytes inside the buffer,
 * or is NULL when absent. */
bool fb_get_string(const struct fb_buf *b, const struct fb_table *t, unsigned id, const char **out);

/* Element i of a vector of tables. */
bool fb_vec_table(const struct fb_buf *b, const struct fb_vec *v, uint32_t i, struct fb_table *out);
/* Element i of a vector of 32-bit integers (caller checks i < count). */
static inline int32_t fb_vec_i32(const struct fb_buf *b, const struct fb_vec *v, uint32_t i)
{
    return (int32_t)fb_load_u32(b->data + v->pos + 4u * i);
}

#endif
