/*
 * verdict_output.c — see verdict_output.h.
 */
#include "verdict_output.h"

#include "fmt.h"
#include "table.h"

const char *verdict_summary(const struct fit_verdict *v)
{
    if (v->fits)
        return v->planned ? "fits" : "would fit by its sizes, but the runtime cannot run it";
    if (!v->flash_fits && !v->ram_fits)
        return "does not fit: flash and RAM";
    return v->flash_fits ? "does not fit: RAM" : "does not fit: flash";
}

static double pct(uint64_t part, uint64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0;
}

static void resource_row(struct table *t, const char *name, const char *at_least, uint64_t needed, uint64_t capacity,
                         uint64_t over, const char *parts)
{
    table_row(t, 0);
    table_cell(t, "%s", name);
    table_cell(t, "%s%s KB", at_least, fmt_kb(needed).s);
    table_cell(t, "%s KB", fmt_kb(capacity).s);
    table_cell(t, "%s", fmt_pct(pct(needed, capacity)).s);
    if (over)
        table_cell(t, "%s KB over", fmt_kb(over).s);
    else
        table_cell(t, "%s KB free", fmt_kb(capacity - needed).s);
    table_cell(t, "%s", parts);
}

void verdict_print_text(const struct fit_verdict *v, const char *board, const char *kernels, FILE *out)
{
    fprintf(out, "verdict on %s (kernels %s): %s\n", board, kernels, verdict_summary(v));
    struct table t;
    table_init(&t, "lrrrrl");
    table_row(&t, 0);
    table_cell(&t, "%s", "");
    table_cell(&t, "needs");
    table_cell(&t, "of");
    table_cell(&t, "%%");
    table_cell(&t, "%s", "");
    table_cell(&t, "made of");
    char parts[256];
    snprintf(parts, sizeof parts, "runtime image %s KB + model %s KB", fmt_kb(v->room.flash_image).s,
             fmt_kb(v->model_bytes + MODEL_SLOT_HEADER_BYTES).s);
    resource_row(&t, "flash", "", v->flash_needed, v->room.flash_capacity, fit_verdict_flash_over(v), parts);
    snprintf(parts, sizeof parts, "static %s KB + arena %s%s KB + stack %s KB", fmt_kb(v->room.ram_static).s,
             v->planned ? "" : "at least ", fmt_kb(v->arena).s, fmt_kb(v->room.ram_stack).s);
    resource_row(&t, "RAM", v->planned ? "" : ">= ", v->ram_needed, v->room.ram_capacity, fit_verdict_ram_over(v),
                 parts);
    table_print_text(&t, out, 2);
    table_free(&t);
    if (!v->planned)
        fprintf(out, "  the runtime cannot run it: %s (the arena is the least its tensors need)\n", v->why);
    fprintf(out, "  latency and energy: not measured (nothing ran; 'mcusim profile' measures a model that fits)\n");
}

cJSON *verdict_json(const struct fit_verdict *v, const char *board, const char *kernels)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "board", board);
    cJSON_AddStringToObject(o, "kernels", kernels);
    cJSON_AddBoolToObject(o, "fits", v->fits);
    cJSON_AddStringToObject(o, "summary", verdict_summary(v));
    cJSON_AddBoolToObject(o, "runnable", v->planned);
    if (!v->planned)
        cJSON_AddStringToObject(o, "why_not_runnable", v->why);
    cJSON *fl = cJSON_AddObjectToObject(o, "flash");
    cJSON_AddBoolToObject(fl, "fits", v->flash_fits);
    cJSON_AddNumberToObject(fl, "needed", (double)v->flash_needed);
    cJSON_AddNumberToObject(fl, "capacity", v->room.flash_capacity);
    cJSON_AddNumberToObject(fl, "over", (double)fit_verdict_flash_over(v));
    cJSON_AddNumberToObject(fl, "image", v->room.flash_image);
    cJSON_AddNumberToObject(fl, "model", (double)(v->model_bytes + MODEL_SLOT_HEADER_BYTES));
    cJSON *ram = cJSON_AddObjectToObject(o, "ram");
    cJSON_AddBoolToObject(ram, "fits", v->ram_fits);
    cJSON_AddNumberToObject(ram, "needed", (double)v->ram_needed);
    cJSON_AddBoolToObject(ram, "needed_is_lower_bound", !v->planned);
    cJSON_AddNumberToObject(ram, "capacity", v->room.ram_capacity);
    cJSON_AddNumberToObject(ram, "over", (double)fit_verdict_ram_over(v));
    cJSON_AddNumberToObject(ram, "static", v->room.ram_static);
    cJSON_AddNumberToObject(ram, "arena", (double)v->arena);
    cJSON_AddNumberToObject(ram, "arena_capacity", v->room.arena_capacity);
    cJSON_AddNumberToObject(ram, "stack", v->room.ram_stack);
    cJSON_AddNullToObject(o, "latency_ms");
    cJSON_AddNullToObject(o, "energy_uj");
    return o;
}
