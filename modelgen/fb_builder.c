/*
 * fb_builder.c — a small writer of FlatBuffers binaries (see fb_builder.h).
 *
 * Positions are counted from the end of the buffer ("size" is how much has
 * been written), because the buffer grows toward lower addresses: an object's
 * final address is (total size - its position).  Alignment is therefore kept
 * relative to the end, and fb_finish() pads the front so that the total is a
 * multiple of the largest alignment used; a file loaded at an address with
 * that alignment then has every object aligned.
 */
#include "fb_builder.h"

#include <stdlib.h>
#include <string.h>

void fb_init(struct fb_builder *b)
{
    memset(b, 0, sizeof *b);
    b->max_align = 1;
}

void fb_free(struct fb_builder *b)
{
    free(b->buf);
    free(b->vtables);
    memset(b, 0, sizeof *b);
}

/* Where position pos (counted from the end) is in memory; the skipped
 * tail (fb_skip_vector) has no memory. */
static uint8_t *at(const struct fb_builder *b, size_t pos)
{
    return b->buf + b->cap - (pos - b->skipped);
}

/* Makes room for `needed` more bytes, moving the data to the end of a larger
 * allocation. */
static int reserve(struct fb_builder *b, size_t needed)
{
    if (b->failed)
        return -1;
    if (b->size + needed > FB_MAX_BYTES) {
        b->failed = 1; /* flatbuffers offsets are 32-bit, signed in places */
        return -1;
    }
    size_t stored = b->size - b->skipped;
    /* Allocate even for 0 bytes: claim() must not do arithmetic on a NULL
     * buffer (undefined behaviour, reported by UBSan). */
    if (b->buf && b->cap - stored >= needed)
        return 0;
    size_t new_cap = b->cap ? b->cap : 1024;
    while (new_cap - stored < needed) {
        if (new_cap > SIZE_MAX / 2 || new_cap >= ((size_t)1 << 31)) {
            b->failed = 1; /* flatbuffers offsets are 32-bit */
            return -1;
        }
        new_cap *= 2;
    }
    uint8_t *nb = malloc(new_cap);
    if (!nb) {
        b->failed = 1;
        return -1;
    }
    if (stored)
        memcpy(nb + new_cap - stored, b->buf + b->cap - stored, stored);
    free(b->buf);
    b->buf = nb;
    b->cap = new_cap;
    return 0;
}

/* Reserves n bytes in front of the data and returns their address. */
static uint8_t *claim(struct fb_builder *b, size_t n)
{
    if (reserve(b, n))
        return NULL;
    b->size += n;
    return at(b, b->size);
}

/* Pads so that after writing `additional` bytes the position is a multiple
 * of `align`. */
static void prep(struct fb_builder *b, size_t align, size_t additional)
{
    if (align > b->max_align)
        b->max_align = align;
    size_t pad = (size_t)(-(b->size + additional)) & (align - 1);
    uint8_t *p = claim(b, pad);
    if (p)
        memset(p, 0, pad);
}

static void put_le(uint8_t *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void push_le(struct fb_builder *b, uint64_t v, size_t n)
{
    prep(b, n, 0);
    uint8_t *p = claim(b, n);
    if (p)
        put_le(p, v, n);
}

/* Pushes a uoffset to `ref`: the distance from the offset's own position. */
static void push_ref(struct fb_builder *b, fb_ref ref)
{
    prep(b, 4, 0);
    if (b->failed)
        return;
    push_le(b, (uint32_t)(b->size + 4 - ref), 4);
}

static int misuse_if(struct fb_builder *b, int condition)
{
    if (condition)
        b->failed = 1;
    return condition || b->failed;
}

fb_ref fb_create_string(struct fb_builder *b, const char *s)
{
    if (misuse_if(b, b->in_table))
        return 0;
    size_t len = strlen(s);
    prep(b, 4, len + 1);
    uint8_t *p = claim(b, len + 1);
    if (!p)
        return 0;
    memcpy(p, s, len);
    p[len] = 0;
    push_le(b, len, 4);
    return b->failed ? 0 : (fb_ref)b->size;
}

fb_ref fb_create_vector(struct fb_builder *b, const void *elems, size_t count, size_t elem_size,
                        size_t align)
{
    if (misuse_if(b, b->in_table || (elem_size != 1 && elem_size != 2 && elem_size != 4 &&
                                     elem_size != 8) ||
                         align < elem_size || (align & (align - 1))))
        return 0;
    if (misuse_if(b, count > UINT32_MAX / elem_size))
        return 0;
    size_t bytes = count * elem_size;
    prep(b, 4, bytes);
    prep(b, align, bytes);
    uint8_t *p = claim(b, bytes);
    if (!p)
        return 0;
    const uint8_t *src = elems;
    for (size_t i = 0; i < count; i++) {
        uint64_t v = 0;
        switch (elem_size) {
        case 1: v = src[i]; break;
        case 2: { uint16_t x; memcpy(&x, src + 2 * i, 2); v = x; break; }
        case 4: { uint32_t x; memcpy(&x, src + 4 * i, 4); v = x; break; }
        default: memcpy(&v, src + 8 * i, 8); break;
        }
        put_le(p + i * elem_size, v, elem_size);
    }
    push_le(b, count, 4);
    return b->failed ? 0 : (fb_ref)b->size;
}

/* Pads as prep() does, without memory. */
static void skip_padding(struct fb_builder *b, size_t align, size_t additional)
{
    if (align > b->max_align)
        b->max_align = align;
    b->size += (size_t)(-(b->size + additional)) & (align - 1);
}

fb_ref fb_skip_vector(struct fb_builder *b, size_t count, size_t elem_size, size_t align)
{
    if (misuse_if(b, b->in_table || b->size != b->skipped ||
                         (elem_size != 1 && elem_size != 2 && elem_size != 4 && elem_size != 8) ||
                         align < elem_size || (align & (align - 1))))
        return 0;
    if (misuse_if(b, count > UINT32_MAX / elem_size))
        return 0;
    /* fb_create_vector's steps, counted. */
    size_t bytes = count * elem_size;
    skip_padding(b, 4, bytes);
    skip_padding(b, align, bytes);
    b->size += bytes;
    skip_padding(b, 4, 0);
    b->size += 4;
    if (misuse_if(b, b->size > FB_MAX_BYTES))
        return 0;
    b->skipped = b->size;
    return (fb_ref)b->size;
}

fb_ref fb_create_ref_vector(struct fb_builder *b, const fb_ref *refs, size_t count)
{
    if (misuse_if(b, b->in_table || count > UINT32_MAX / 4))
        return 0;
    prep(b, 4, 4 * count);
    for (size_t i = count; i-- > 0;)
        push_ref(b, refs[i]);
    push_le(b, count, 4);
    return b->failed ? 0 : (fb_ref)b->size;
}

void fb_start_table(struct fb_builder *b, int num_fields)
{
    if (misuse_if(b, b->in_table || num_fields < 0 || num_fields > FB_MAX_FIELDS))
        return;
    b->in_table = 1;
    b->table_start = b->size;
    b->num_fields = num_fields;
    memset(b->field_pos, 0, sizeof b->field_pos);
}

static int field_ok(struct fb_builder *b, int field)
{
    return !misuse_if(b, !b->in_table || field < 0 || field >= b->num_fields ||
                             b->field_pos[field] != 0);
}

static void add_scalar(struct fb_builder *b, int field, uint64_t v, size_t n)
{
    if (!field_ok(b, field))
        return;
    push_le(b, v, n);
    b->field_pos[field] = (uint32_t)b->size;
}

void fb_add_u8(struct fb_builder *b, int field, uint8_t value, uint8_t default_value)
{
    if (value != default_value)
        add_scalar(b, field, value, 1);
}

void fb_add_i32(struct fb_builder *b, int field, int32_t value, int32_t default_value)
{
    if (value != default_value)
        add_scalar(b, field, (uint32_t)value, 4);
}

void fb_add_u32(struct fb_builder *b, int field, uint32_t value, uint32_t default_value)
{
    if (value != default_value)
        add_scalar(b, field, value, 4);
}

void fb_add_f32(struct fb_builder *b, int field, float value, float default_value)
{
    uint32_t bits, default_bits;
    memcpy(&bits, &value, 4);
    memcpy(&default_bits, &default_value, 4);
    if (bits != default_bits)
        add_scalar(b, field, bits, 4);
}

void fb_add_ref(struct fb_builder *b, int field, fb_ref ref)
{
    if (ref == 0 || !field_ok(b, field))
        return;
    push_ref(b, ref);
    b->field_pos[field] = (uint32_t)b->size;
}

/* Looks for a vtable already written with exactly these bytes. */
static uint32_t find_vtable(const struct fb_builder *b, const uint8_t *vt, size_t vt_len)
{
    for (size_t i = 0; i < b->num_vtables; i++) {
        const uint8_t *old = at(b, b->vtables[i]);
        if ((size_t)(old[0] | old[1] << 8) == vt_len && !memcmp(old, vt, vt_len))
            return b->vtables[i];
    }
    return 0;
}

static void remember_vtable(struct fb_builder *b, uint32_t pos)
{
    if (b->num_vtables == b->cap_vtables) {
        size_t n = b->cap_vtables ? 2 * b->cap_vtables : 16;
        uint32_t *nv = realloc(b->vtables, n * sizeof *nv);
        if (!nv) {
            b->failed = 1;
            return;
        }
        b->vtables = nv;
        b->cap_vtables = n;
    }
    b->vtables[b->num_vtables++] = pos;
}

fb_ref fb_end_table(struct fb_builder *b)
{
    if (misuse_if(b, !b->in_table))
        return 0;
    push_le(b, 0, 4); /* the vtable offset, filled in below */
    size_t table_pos = b->size;
    int used = 0;
    for (int i = 0; i < b->num_fields; i++)
        if (b->field_pos[i])
            used = i + 1;
    size_t object_size = table_pos - b->table_start;
    if (misuse_if(b, object_size > 0xFFFF))
        return 0;
    uint8_t vt[4 + 2 * FB_MAX_FIELDS];
    size_t vt_len = 4 + 2 * (size_t)used;
    put_le(vt, vt_len, 2);
    put_le(vt + 2, object_size, 2);
    for (int i = 0; i < used; i++)
        put_le(vt + 4 + 2 * i, b->field_pos[i] ? table_pos - b->field_pos[i] : 0, 2);

    uint32_t vt_pos = find_vtable(b, vt, vt_len);
    if (!vt_pos) {
        uint8_t *p = claim(b, vt_len); /* table_pos is 4-aligned, vt_len even */
        if (!p)
            return 0;
        memcpy(p, vt, vt_len);
        vt_pos = (uint32_t)b->size;
        remember_vtable(b, vt_pos);
    }
    /* vtable address = table address - soffset; positions grow downward. */
    int32_t soffset = (int32_t)((int64_t)vt_pos - (int64_t)table_pos);
    put_le(at(b, table_pos), (uint32_t)soffset, 4);
    b->in_table = 0;
    return b->failed ? 0 : (fb_ref)table_pos;
}

int fb_finish(struct fb_builder *b, fb_ref root, const char *identifier, const uint8_t **out,
              size_t *out_len)
{
    if (misuse_if(b, b->in_table || root == 0))
        return -1;
    prep(b, b->max_align > 4 ? b->max_align : 4, 4 + (identifier ? 4 : 0));
    if (identifier) {
        uint8_t *p = claim(b, 4);
        if (p)
            memcpy(p, identifier, 4);
    }
    push_ref(b, root);
    if (b->failed)
        return -1;
    *out = at(b, b->size);
    *out_len = b->size;
    return 0;
}
