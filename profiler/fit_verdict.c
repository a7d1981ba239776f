/*
 * fit_verdict.c — does a model fit a board (see fit_verdict.h).
 */
#include "fit_verdict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt_kernel.h"
#include "rt_ops.h"
#include "rt_target_sizes.h"
#include "runtime_images.h"

int image_room_read(const struct elf_image *img, const char *reader_symbol, const struct board *b,
                    struct image_room *room, char *err, size_t errlen)
{
    memset(room, 0, sizeof *room);
    struct model_slot slot;
    if (model_slot_find(img, reader_symbol, &slot, err, errlen))
        return -1;
    uint32_t arena_start, arena_end;
    const struct board_region *flash = board_main_region(b, REGION_FLASH);
    const struct board_region *ram = board_main_region(b, REGION_RAM);
    uint64_t ram_end = (uint64_t)ram->base + ram->size;
    if (elf_image_symbol_addr(img, "__arena_start", &arena_start) ||
        elf_image_symbol_addr(img, "__arena_end", &arena_end) || arena_end < arena_start ||
        arena_start < ram->base || arena_end > ram_end || slot.start < flash->base) {
        snprintf(err, errlen, "%.900s: not a runtime image for board '%s' (no arena in its RAM)", img->path,
                 b->name);
        return -1;
    }
    room->flash_capacity = flash->size;
    room->flash_image = slot.start - flash->base;
    room->slot_bytes = slot.end - slot.start;
    room->ram_capacity = ram->size;
    room->ram_static = arena_start - ram->base;
    room->ram_stack = (uint32_t)(ram_end - arena_end);
    uint32_t stack_limit, stack_top;
    bool have_stack = !elf_image_symbol_addr(img, "__stack_limit", &stack_limit) &&
                      !elf_image_symbol_addr(img, "__stack_top", &stack_top) && stack_limit >= arena_end &&
                      stack_top >= stack_limit;
    room->stack_reserved = have_stack ? stack_top - stack_limit : room->ram_stack;
    room->arena_capacity = arena_end - arena_start;
    return 0;
}

int image_room_find(const struct board *b, const char *kernels, struct image_room *room, char *err, size_t errlen)
{
    const struct runtime_image *ri = runtime_image_find(RUNTIME_DEFAULT, kernels);
    if (!ri) {
        char known[64];
        runtime_kernels_text(RUNTIME_DEFAULT, ", ", " or ", known, sizeof known);
        snprintf(err, errlen, "kernel family '%s' is not %s", kernels, known);
        return -1;
    }
    char path[1024];
    struct elf_image img;
    if (runtime_image_path(ri, b->name, path, sizeof path, err, errlen) ||
        elf_image_load(path, &img, err, errlen))
        return -1;
    int rc = image_room_read(&img, ri->reader_symbol, b, room, err, errlen);
    elf_image_free(&img);
    return rc;
}

void fit_verdict_judge(struct fit_verdict *v)
{
    const struct image_room *r = &v->room;
    v->flash_needed = (uint64_t)r->flash_image + MODEL_SLOT_HEADER_BYTES + v->model_bytes;
    v->flash_fits = MODEL_SLOT_HEADER_BYTES + v->model_bytes <= r->slot_bytes;
    v->ram_needed = (uint64_t)r->ram_static + v->arena + r->ram_stack;
    v->ram_fits = v->arena <= r->arena_capacity;
    v->fits = v->flash_fits && v->ram_fits;
}

uint64_t fit_verdict_flash_over(const struct fit_verdict *v)
{
    uint64_t slot_needed = MODEL_SLOT_HEADER_BYTES + v->model_bytes;
    return slot_needed > v->room.slot_bytes ? slot_needed - v->room.slot_bytes : 0;
}

uint64_t fit_verdict_ram_over(const struct fit_verdict *v)
{
    return v->arena > v->room.arena_capacity ? v->arena - v->room.arena_capacity : 0;
}

static bool any_op(int32_t op, uint8_t input_type)
{
    (void)op;
    (void)input_type;
    return true;
}

/* The least arena any runtime needs for a model it may not be able to
 * run: the firmware's tensor and node tables, and the most activation
 * bytes live at once (whatever the placement, they cannot overlap).  The
 * firmware's plan adds operator parameters and scratch, and may leave
 * gaps; it is never less. */
static int arena_lower_bound(const struct rt_model *model, uint64_t *bound, struct rt_error *err)
{
    uint32_t nt = rt_model_num_tensors(model), nn = rt_model_num_ops(model);
    struct live {
        uint32_t bytes;
        int32_t first, last;  /* -1: never in the arena */
        int32_t root;         /* the tensor whose bytes it shares (RESHAPE), or itself */
        bool constant;
    } *t = calloc(nt ? nt : 1, sizeof *t);
    if (!t)
        return rt_fail(err, RT_NO_MEMORY, "out of memory");
    enum rt_status st = RT_OK;
    for (uint32_t i = 0; i < nt && st == RT_OK; i++) {
        struct rt_tensor tensor;
        st = rt_model_tensor(model, i, &tensor, err);
        t[i] = (struct live){tensor.bytes, -1, -1, (int32_t)i, tensor.is_constant};
        if (st == RT_OK && tensor.is_variable && !tensor.is_constant)
            t[i].first = t[i].last = 0;
    }
    for (uint32_t k = 0; k < rt_model_num_inputs(model) && st == RT_OK; k++) {
        int32_t in = rt_model_input(model, k);
        if (in >= 0 && (uint32_t)in < nt && !t[in].constant)
            t[in].first = t[in].last = 0;
    }
    for (uint32_t i = 0; i < nn && st == RT_OK; i++) {
        struct rt_op_info info;
        if ((st = rt_model_op(model, i, &info, err)) != RT_OK)
            break;
        for (uint32_t k = 0; k < info.inputs.count; k++) {
            int32_t in = rt_op_input(model, &info, k);
            if (in >= 0 && (uint32_t)in < nt && !t[in].constant && t[t[in].root].first >= 0)
                t[t[in].root].last = (int32_t)i;
        }
        const struct rt_op_def *def = rt_op_def_find(info.op);
        for (uint32_t k = 0; k < info.outputs.count; k++) {
            int32_t out = rt_op_output(model, &info, k);
            if (out < 0 || (uint32_t)out >= nt || t[out].constant)
                continue;
            int32_t in = info.inputs.count ? rt_op_input(model, &info, 0) : -1;
            /* As the runtime: an aliasing op's output shares its input's bytes. */
            if (k == 0 && def && def->output_aliases_input && in >= 0 && (uint32_t)in < nt && !t[in].constant &&
                t[in].bytes == t[out].bytes && t[t[in].root].first >= 0) {
                t[out].root = t[in].root;
                t[t[out].root].last = (int32_t)i;
                continue;
            }
            t[out].first = t[out].last = (int32_t)i;
        }
    }
    for (uint32_t k = 0; k < rt_model_num_outputs(model) && st == RT_OK; k++) {
        int32_t out = rt_model_output(model, k);
        if (out >= 0 && (uint32_t)out < nt && t[t[out].root].first >= 0)
            t[t[out].root].last = nn ? (int32_t)nn - 1 : 0;
    }
    uint64_t peak = 0;
    for (uint32_t i = 0; i < (nn ? nn : 1) && st == RT_OK; i++) {
        uint64_t live = 0;
        for (uint32_t k = 0; k < nt; k++)
            if (t[k].root == (int32_t)k && t[k].first >= 0 && t[k].first <= (int32_t)i && (int32_t)i <= t[k].last)
                live += t[k].bytes;
        if (live > peak)
            peak = live;
    }
    free(t);
    *bound = peak + (uint64_t)RT_TARGET_SIZEOF_TENSOR * nt + (uint64_t)RT_TARGET_SIZEOF_NODE * nn;
    return st;
}

static uint64_t count_params(const struct rt_model *model)
{
    uint64_t n = 0;
    for (uint32_t i = 0; i < rt_model_num_tensors(model); i++) {
        struct rt_tensor t;
        struct rt_error err;
        if (rt_model_tensor(model, i, &t, &err) == RT_OK && t.is_constant)
            n += rt_tensor_elements(&t);
    }
    return n;
}

int fit_arena_lower_bound(const struct model_file *m, uint64_t *bytes, char *err, size_t errlen)
{
    struct rt_model model;
    struct rt_error rerr;
    if (rt_model_open(&model, m->bytes, m->len, any_op, &rerr) != RT_OK ||
        arena_lower_bound(&model, bytes, &rerr) != RT_OK) {
        snprintf(err, errlen, "%s: %s", m->path, rerr.msg);
        return -1;
    }
    return 0;
}

int fit_verdict_make(const struct model_file *m, const char *family, const struct board *b,
                     const struct image_room *room, struct fit_verdict *v, char *err, size_t errlen)
{
    memset(v, 0, sizeof *v);
    v->room = *room;
    v->model_bytes = m->len;
    struct model_plan plan;
    char why[1024];
    if (model_plan_open(m, family, b, &plan, why, sizeof why) == 0) {
        v->planned = true;
        v->layers = plan.interp.num_nodes;
        v->macs = plan.interp.total_macs;
        v->arena = plan.interp.target_arena_needed;
        v->params = count_params(&plan.model);
        model_plan_close(&plan);
        fit_verdict_judge(v);
        return 0;
    }
    if (!rt_family_find(family)) {
        snprintf(err, errlen, "%s", why);
        return -1;
    }
    /* The runtime cannot run it.  If the file is a model all the same,
     * its sizes still say whether it could ever fit. */
    struct rt_model model;
    struct rt_error rerr;
    if (rt_model_open(&model, m->bytes, m->len, any_op, &rerr) != RT_OK ||
        arena_lower_bound(&model, &v->arena, &rerr) != RT_OK) {
        snprintf(err, errlen, "%s", why);
        return -1;
    }
    /* why is "PATH: problem"; the verdict names the model itself. */
    size_t path_len = strlen(m->path);
    const char *problem = !strncmp(why, m->path, path_len) && !strncmp(why + path_len, ": ", 2) ? why + path_len + 2
                                                                                                : why;
    snprintf(v->why, sizeof v->why, "%.500s", problem);
    v->layers = rt_model_num_ops(&model);
    v->params = count_params(&model);
    fit_verdict_judge(v);
    return 0;
}

void fit_verdict_text(const struct fit_verdict *v, const char *model, const char *board_name, char *out,
                      size_t len)
{
    size_t used = (size_t)snprintf(out, len, "%s does not fit %s:", model, board_name);
    if (used < len && !v->flash_fits)
        used += (size_t)snprintf(out + used, len - used,
                                 " flash needs %llu bytes of %u (%llu over: image %u + model %llu)",
                                 (unsigned long long)v->flash_needed, v->room.flash_capacity,
                                 (unsigned long long)fit_verdict_flash_over(v), v->room.flash_image,
                                 (unsigned long long)(v->model_bytes + MODEL_SLOT_HEADER_BYTES));
    if (used < len && !v->ram_fits)
        used += (size_t)snprintf(out + used, len - used,
                                 "%s RAM needs %s%llu bytes of %u (%llu over: static %u + arena %llu + stack %u)",
                                 v->flash_fits ? "" : ",", v->planned ? "" : "at least ",
                                 (unsigned long long)v->ram_needed, v->room.ram_capacity,
                                 (unsigned long long)fit_verdict_ram_over(v), v->room.ram_static,
                                 (unsigned long long)v->arena, v->room.ram_stack);
    if (used < len && !v->planned)
        snprintf(out + used, len - used, "; and the runtime cannot run it: %s", v->why);
}
