/*
 * profile_output.c — see profile_output.h.
 */
#include "profile_output.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "render.h"
#include "rundata.h"

void profile_print_table(const struct prof_run *run, FILE *f)
{
    /* One renderer for 'profile' and 'report': the run goes into an
     * in-memory database and is read back like any stored run (also with
     * --no-db), so both print the same report from the same rows. */
    char err[1024] = "";
    sqlite3 *db = db_open(":memory:", true, err, sizeof err);
    int64_t id = 0;
    struct rep_run stored;
    if (!db || db_store_run(db, run, &id, err, sizeof err) || rep_load_run(db, id, true, &stored, err, sizeof err)) {
        fprintf(f, "(no report: %s)\n", err);
        if (db)
            db_close(db);
        return;
    }
    db_close(db);
    /* Its id in the scratch database means nothing; the caller says where
     * the run was stored. */
    stored.id = 0;
    rep_render_report(&stored, FMT_TEXT, NULL, f);
    rep_run_free(&stored);
}

int profile_write_json(const struct profile_session *s, int exit_code, const char *path)
{
    const struct prof_run *r = &s->run;
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return -1;
    cJSON_AddNumberToObject(o, "run_id", (double)s->run_id);
    cJSON_AddStringToObject(o, "status", r->status);
    cJSON_AddNumberToObject(o, "exit_code", exit_code);
    if (s->has_result && s->ran.result.status == SIM_EXITED)
        cJSON_AddNumberToObject(o, "firmware_exit_code", s->ran.result.exit_code);
    cJSON_AddStringToObject(o, "diagnostic", r->diagnostic);
    cJSON_AddStringToObject(o, "board", r->board);
    cJSON_AddStringToObject(o, "core", r->core);
    cJSON_AddNumberToObject(o, "clock_hz", r->clock_hz);
    cJSON_AddStringToObject(o, "clock_source", r->clock_source[0] ? r->clock_source : "board");
    cJSON_AddStringToObject(o, "memory_timing_source", r->memory_timing_source[0] ? r->memory_timing_source : "board");
    cJSON_AddStringToObject(o, "firmware", r->firmware);
    cJSON_AddStringToObject(o, "model", r->model);
    cJSON_AddStringToObject(o, "runtime", r->runtime);
    cJSON_AddStringToObject(o, "kernels", r->kernels);
    cJSON_AddStringToObject(o, "tag", r->tag);
    cJSON_AddNumberToObject(o, "instructions", (double)r->instructions);
    cJSON_AddNumberToObject(o, "cycles", (double)r->cycles);
    cJSON_AddNumberToObject(o, "sim_time_s", r->sim_time_s);
    cJSON_AddNumberToObject(o, "wall_s", r->wall_s);
    cJSON_AddNumberToObject(o, "mips", r->mips);
    cJSON_AddNumberToObject(o, "energy_uj", r->energy_uj);
    cJSON_AddNumberToObject(o, "inference_cycles", (double)r->inference_cycles);
    cJSON_AddNumberToObject(o, "inference_instructions", (double)r->inference_instructions);
    cJSON_AddNumberToObject(o, "inference_energy_uj", r->inference_energy_uj);
    cJSON *fl = cJSON_AddObjectToObject(o, "flash");
    cJSON_AddNumberToObject(fl, "code", r->flash_code);
    cJSON_AddNumberToObject(fl, "rodata", r->flash_rodata);
    cJSON_AddNumberToObject(fl, "model", r->flash_model);
    cJSON_AddNumberToObject(fl, "data", r->flash_data);
    cJSON_AddNumberToObject(fl, "capacity", r->flash_capacity);
    cJSON *ram = cJSON_AddObjectToObject(o, "ram");
    cJSON_AddNumberToObject(ram, "static", r->ram_static);
    cJSON_AddNumberToObject(ram, "arena_planned", r->ram_arena_planned);
    cJSON_AddNumberToObject(ram, "arena_used", r->ram_arena_used);
    cJSON_AddNumberToObject(ram, "stack_peak", r->ram_stack_peak);
    cJSON_AddNumberToObject(ram, "peak", r->ram_peak);
    cJSON_AddNumberToObject(ram, "capacity", r->ram_capacity);
    cJSON *layers = cJSON_AddArrayToObject(o, "layers");
    for (int i = 0; i < r->n_layers; i++) {
        const struct prof_layer *L = &r->layers[i];
        cJSON *l = cJSON_CreateObject();
        cJSON_AddNumberToObject(l, "index", L->index);
        cJSON_AddStringToObject(l, "op", L->name);
        cJSON_AddStringToObject(l, "kernel", L->kernel);
        cJSON_AddNumberToObject(l, "macs", (double)L->macs);
        cJSON_AddNumberToObject(l, "cycles", (double)L->cycles);
        cJSON_AddNumberToObject(l, "instructions", (double)L->instructions);
        cJSON_AddNumberToObject(l, "stack_peak", L->stack_peak);
        cJSON_AddNumberToObject(l, "ram_peak", L->ram_peak);
        cJSON_AddNumberToObject(l, "energy_uj", L->energy_uj);
        cJSON_AddItemToArray(layers, l);
    }
    if (s->output_line[0])
        cJSON_AddStringToObject(o, "output", s->output_line + 8);
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    if (!text)
        return -1;
    FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
    int rc = f && fputs(text, f) >= 0 && fputc('\n', f) != EOF ? 0 : -1;
    if (f && f != stdout && fclose(f))
        rc = -1;
    free(text);
    return rc;
}
