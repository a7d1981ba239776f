/*
 * model_fit.c — model facts and fit verdicts (see model_fit.h).
 */
#include "model_fit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "port.h"
#include "rt_kernel.h"

/* Planning needs room for the arena; untouched pages of this generous
 * first try cost nothing, and a model that needs more gets exactly what
 * it asked for on the second. */
#define HOST_ARENA_BYTES (64u << 20)

int model_file_read(const char *path, struct model_file *m, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    snprintf(m->path, sizeof m->path, "%s", path);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    struct stat sb;
    if (fstat(fileno(f), &sb) || !S_ISREG(sb.st_mode) || (uint64_t)sb.st_size > MODEL_MAX_BYTES) {
        snprintf(err, errlen, "%s: not a regular file of at most %u MB", path, MODEL_MAX_BYTES >> 20);
        fclose(f);
        return -1;
    }
    /* The runtime reads the flatbuffer in place: keep it aligned as in
     * the firmware's flash slot. */
    size_t len = (size_t)sb.st_size;
    uint8_t *buf = aligned_alloc(16, (len + 16) & ~(size_t)15);
    if (!buf || fread(buf, 1, len, f) != len) {
        snprintf(err, errlen, "%s: cannot read", path);
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    m->bytes = buf;
    m->len = len;
    return 0;
}

void model_file_free(struct model_file *m)
{
    free(m->bytes);
    m->bytes = NULL;
    m->len = 0;
}

static int open_model(const struct model_file *m, const char *family, struct rt_model *model,
                      const struct rt_kernel_family **fam, char *err, size_t errlen)
{
    *fam = rt_family_find(family);
    if (!*fam) {
        snprintf(err, errlen, "%s: kernel family '%s' is not built into this mcusim", m->path, family);
        return -1;
    }
    struct rt_error rerr;
    if (rt_model_open(model, m->bytes, m->len, rt_op_supported, &rerr) != RT_OK) {
        snprintf(err, errlen, "%s: %s", m->path, rerr.msg);
        return -1;
    }
    return 0;
}

int model_plan_open(const struct model_file *m, const char *family, const struct board *b, struct model_plan *p,
                    char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    const struct rt_kernel_family *fam;
    if (open_model(m, family, &p->model, &fam, err, errlen))
        return -1;
    struct rt_error rerr;
    enum rt_status st = RT_NO_MEMORY;
    size_t size = HOST_ARENA_BYTES;
    for (int attempt = 0; attempt < 2 && st == RT_NO_MEMORY; attempt++) {
        free(p->arena);
        p->arena = malloc(size);
        if (!p->arena) {
            snprintf(err, errlen, "%s: out of memory planning an arena of %zu bytes", m->path, size);
            return -1;
        }
        st = rt_interp_plan(&p->interp, &p->model, fam, rt_target_cortex_m(b->core->dsp), p->arena, size, &rerr);
        size = p->interp.arena_needed + 64;
    }
    if (st != RT_OK) {
        snprintf(err, errlen, "%s: %s", m->path, rerr.msg);
        model_plan_close(p);
        return -1;
    }
    return 0;
}

void model_plan_close(struct model_plan *p)
{
    free(p->arena);
    p->arena = NULL;
}

int model_verify(const struct model_file *m, const char *family, char *err, size_t errlen)
{
    struct rt_model model;
    const struct rt_kernel_family *fam;
    if (open_model(m, family, &model, &fam, err, errlen))
        return -1;
    void *arena = malloc(HOST_ARENA_BYTES);
    if (!arena)
        return 0; /* nothing verified here; the firmware still checks */
    struct rt_interp it;
    struct rt_error rerr;
    enum rt_status st = rt_interp_init(&it, &model, fam, arena, HOST_ARENA_BYTES, &rerr);
    free(arena);
    if (st != RT_OK && st != RT_NO_MEMORY) {
        snprintf(err, errlen, "%s: %s", m->path, rerr.msg);
        return -1;
    }
    return 0;
}

void model_slot_header(size_t model_len, uint8_t header[MODEL_SLOT_HEADER_BYTES])
{
    _Static_assert(sizeof(struct port_model_slot) == MODEL_SLOT_HEADER_BYTES, "port.h's slot header");
    struct port_model_slot h = {.magic = PORT_MODEL_SLOT_MAGIC, .size = (uint32_t)model_len};
    memcpy(header, &h, sizeof h); /* little-endian host and target */
}

int model_slot_find(const struct elf_image *img, const char *reader_symbol, struct model_slot *slot, char *err,
                    size_t errlen)
{
    uint32_t lo, hi, reader;
    /* Every image linked with the port's script has a slot; only a
     * runtime reads a model from it (another firmware would run, ignore
     * the model and "succeed"). */
    if (elf_image_symbol_addr(img, "__model_slot_start", &lo) || elf_image_symbol_addr(img, "__model_slot_end", &hi) ||
        hi < lo || elf_image_symbol_addr(img, reader_symbol, &reader)) {
        snprintf(err, errlen, "%.900s: not a runtime image (no model slot, or no model reader)", img->path);
        return -1;
    }
    slot->start = lo;
    slot->end = hi;
    return 0;
}
