/*
 * fb.c — the bounds checks behind fb.h.  All arithmetic on positions is done
 * in 64 bits so that offsets near 2^32 cannot wrap past a check.
 */
#include "fb.h"

static bool in_bounds(const struct fb_buf *b, uint64_t pos, uint64_t len)
{
    return pos <= b->size && len <= (uint64_t)b->size - pos;
}

bool fb_table_at(const struct fb_buf *b, uint32_t pos, struct fb_table *t)
{
    if (pos % 4u != 0 || !in_bounds(b, pos, 4))
        return false;
    int64_t vtable = (int64_t)pos - (int32_t)fb_load_u32(b->data + pos);
    if (vtable < 0 || vtable % 2 != 0 || !in_bounds(b, (uint64_t)vtable, 4))
        return false;
    uint16_t vtable_size = fb_load_u16(b->data + vtable);
    uint16_t object_size = fb_load_u16(b->data + vtable + 2);
    if (vtable_size < 4 || vtable_size % 2 != 0 || !in_bounds(b, (uint64_t)vtable, vtable_size))
        return false;
    if (object_size < 4 || !in_bounds(b, pos, object_size))
        return false;
    t->pos = pos;
    t->vtable = (uint32_t)vtable;
    t->vtable_size = vtable_size;
    t->object_size = object_size;
    return true;
}

bool fb_root(const struct fb_buf *b, struct fb_table *t)
{
    if (!in_bounds(b, 0, 8))
        return false;
    uint64_t root = fb_load_u32(b->data);
    if (root > UINT32_MAX)
        return false;
    return fb_table_at(b, (uint32_t)root, t);
}

bool fb_field(const struct fb_buf *b, const struct fb_table *t, unsigned id, unsigned size,
              uint32_t *pos)
{
    unsigned slot = 4u + 2u * id;
    *pos = 0;
    if (slot + 2u > t->vtable_size)
        return true; /* written by an older schema: the field is absent */
    uint16_t offset = fb_load_u16(b->data + t->vtable + slot);
    if (offset == 0)
        return true;
    if (offset < 4u || (uint32_t)offset + size > t->object_size)
        return false;
    uint32_t at = t->pos + offset;
    unsigned align = size >= 8 ? 8 : size;
    if (align > 1 && at % align != 0)
        return false;
    *pos = at;
    return true;
}

bool fb_get_u8(const struct fb_buf *b, const struct fb_table *t, unsigned id, uint8_t def, uint8_t *out)
{
    uint32_t pos;
    *out = def;
    if (!fb_field(b, t, id, 1, &pos))
        return false;
    if (pos)
        *out = b->data[pos];
    return true;
}

bool fb_get_u32(const struct fb_buf *b, const struct fb_table *t, unsigned id, uint32_t def, uint32_t *out)
{
    uint32_t pos;
    *out = def;
    if (!fb_field(b, t, id, 4, &pos))
        return false;
    if (pos)
        *out = fb_load_u32(b->data + pos);
    return true;
}

bool fb_get_i32(const struct fb_buf *b, const struct fb_table *t, unsigned id, int32_t def, int32_t *out)
{
    uint32_t raw;
    bool ok = fb_get_u32(b, t, id, (uint32_t)def, &raw);
    *out = (int32_t)raw;
    return ok;
}

bool fb_get_u64(const struct fb_buf *b, const struct fb_table *t, unsigned id, uint64_t def, uint64_t *out)
{
    uint32_t pos;
    *out = def;
    if (!fb_field(b, t, id, 8, &pos))
        return false;
    if (pos)
        *out = fb_load_u64(b->data + pos);
    return true;
}

bool fb_get_f32(const struct fb_buf *b, const struct fb_table *t, unsigned id, float def, float *out)
{
    uint32_t pos;
    *out = def;
    if (!fb_field(b, t, id, 4, &pos))
        return false;
    if (pos)
        *out = fb_load_f32(b->data + pos);
    return true;
}

/* Follows the uoffset stored at pos; the target must lie inside the buffer. */
static bool follow(const struct fb_buf *b, uint32_t pos, uint32_t *target)
{
    uint64_t to = (uint64_t)pos + fb_load_u32(b->data + pos);
    if (to >= b->size)
        return false;
    *target = (uint32_t)to;
    return true;
}

bool fb_get_table(const struct fb_buf *b, const struct fb_table *t, unsigned id, struct fb_table *out,
                  bool *present)
{
    uint32_t pos, target;
    *present = false;
    if (!fb_field(b, t, id, 4, &pos))
        return false;
    if (!pos)
        return true;
    if (!follow(b, pos, &target) || !fb_table_at(b, target, out))
        return false;
    *present = true;
    return true;
}

static bool vector_at(const struct fb_buf *b, uint32_t at, uint32_t elem_size, struct fb_vec *out)
{
    if (at % 4u != 0 || !in_bounds(b, at, 4))
        return false;
    uint32_t count = fb_load_u32(b->data + at);
    if (!in_bounds(b, (uint64_t)at + 4, (uint64_t)count * elem_size))
        return false;
    out->pos = at + 4;
    out->count = count;
    return true;
}

bool fb_get_vector(const struct fb_buf *b, const struct fb_table *t, unsigned id, uint32_t elem_size,
                   struct fb_vec *out, bool *present)
{
    uint32_t pos, target;
    out->pos = 0;
    out->count = 0;
    *present = false;
    if (!fb_field(b, t, id, 4, &pos))
        return false;
    if (!pos)
        return true;
    if (!follow(b, pos, &target) || !vector_at(b, target, elem_size, out))
        return false;
    *present = true;
    return true;
}

bool fb_get_string(const struct fb_buf *b, const struct fb_table *t, unsigned id, const char **out)
{
    struct fb_vec v;
    bool present;
    *out = NULL;
    if (!fb_get_vector(b, t, id, 1, &v, &present))
        return false;
    if (!present)
        return true;
    /* The terminating NUL must be inside the buffer too. */
    if (!in_bounds(b, (uint64_t)v.pos + v.count, 1) || b->data[v.pos + v.count] != '\0')
        return false;
    *out = (const char *)(b->data + v.pos);
    return true;
}

bool fb_vec_table(const struct fb_buf *b, const struct fb_vec *v, uint32_t i, struct fb_table *out)
{
    uint32_t target;
    if (i >= v->count)
        return false;
    return follow(b, v->pos + 4u * i, &target) && fb_table_at(b, target, out);
}
