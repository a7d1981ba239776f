/*
 * profiling.c — see profiling.h.
 */
#include "profiling.h"

#include <errno.h>
#include <inttypes.h>
#include <sha2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "collector.h"
#include "db.h"
#include "exitcodes.h"
#include "render.h"
#include "rundata.h"
#include "rt_interp.h"
#include "rt_model.h"
#include "run_support.h"

#ifndef MCUSIM_BUILD_FIRMWARE_DIR
#define MCUSIM_BUILD_FIRMWARE_DIR ""
#endif
#ifndef MCUSIM_INSTALLED_FIRMWARE_DIR
#define MCUSIM_INSTALLED_FIRMWARE_DIR "/usr/local/libexec/mcusim"
#endif

#define MODEL_SLOT_HEADER 16
#define MAX_MODEL_BYTES (64u * 1024u * 1024u)

void profile_job_init(struct profile_job *job)
{
    memset(job, 0, sizeof *job);
    job->board = "nano33ble";
    job->kernels = "ref";
    job->max_instructions = RUN_DEFAULT_MAX_INSNS;
    job->timeout_s = RUN_DEFAULT_TIMEOUT_S;
}

int runtime_firmware_path(const char *board_name, const char *kernels, char *path, size_t len)
{
    const char *dirs[] = {getenv("MCUSIM_FIRMWARE"), MCUSIM_BUILD_FIRMWARE_DIR, MCUSIM_INSTALLED_FIRMWARE_DIR};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        if (!dirs[i] || !dirs[i][0])
            continue;
        snprintf(path, len, "%s/runtime-%s-%s.elf", dirs[i], board_name, kernels);
        struct stat sb;
        if (!stat(path, &sb))
            return 0;
    }
    return -1;
}

static uint8_t *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    struct stat sb;
    if (fstat(fileno(f), &sb) || !S_ISREG(sb.st_mode) || (uint64_t)sb.st_size > MAX_MODEL_BYTES) {
        snprintf(err, errlen, "%s: not a regular file of at most %u MB", path, MAX_MODEL_BYTES >> 20);
        fclose(f);
        return NULL;
    }
    uint8_t *buf = malloc(sb.st_size ? (size_t)sb.st_size : 1);
    if (!buf || fread(buf, 1, (size_t)sb.st_size, f) != (size_t)sb.st_size) {
        snprintf(err, errlen, "%s: cannot read", path);
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = (size_t)sb.st_size;
    return buf;
}

static void now_iso8601(char *buf, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

struct prepare_ctx {
    struct collector *collector;
    struct prof_run *run;
    int finish_rc;
    struct sim_observer obs;
    const uint8_t *model;
    size_t model_len;
    uint32_t slot;
    const char *elf_path;
};

static int prepare(void *p, struct sim *s, char *err, size_t errlen)
{
    struct prepare_ctx *ctx = p;
    if (ctx->model) {
        uint8_t header[MODEL_SLOT_HEADER] = {'M', 'D', 'L', '1'};
        uint32_t n = (uint32_t)ctx->model_len;
        memcpy(header + 4, &n, 4);
        if (sim_load_bytes(s, ctx->slot, header, sizeof header, err, errlen) ||
            sim_load_bytes(s, ctx->slot + MODEL_SLOT_HEADER, ctx->model, n, err, errlen))
            return -1;
    }
    if (!ctx->collector)
        return 0;
    return collector_attach(ctx->collector, s, ctx->elf_path, &ctx->obs, err, errlen);
}

static void finish(void *p, struct sim *s, const struct sim_result *res)
{
    struct prepare_ctx *ctx = p;
    (void)s;
    if (ctx->collector) {
        ctx->finish_rc = collector_finish(ctx->collector, res, ctx->run);
    } else {
        ctx->run->instructions = res->instructions;
        ctx->run->cycles = res->cycles;
        ctx->run->sim_time_s = res->sim_time_s;
    }
}

/* Last non-empty line of text, without "error: ". */
static void last_line(const char *text, char *out, size_t len)
{
    out[0] = '\0';
    if (!text)
        return;
    const char *end = text + strlen(text);
    while (end > text && (end[-1] == '\n' || end[-1] == '\r'))
        end--;
    const char *start = end;
    while (start > text && start[-1] != '\n')
        start--;
    if (!strncmp(start, "error: ", 7))
        start += 7;
    snprintf(out, len, "%.*s", (int)(end - start), start);
}

static void find_output_line(const char *text, char *out, size_t len)
{
    out[0] = '\0';
    const char *p = text ? strstr(text, "output: ") : NULL;
    if (!p)
        return;
    const char *e = strchr(p, '\n');
    snprintf(out, len, "%.*s", e ? (int)(e - p) : (int)strlen(p), p);
}

static void fill_identity(const struct profile_job *job, const struct board *b, const char *fw,
                          struct prof_run *run)
{
    snprintf(run->board, sizeof run->board, "%s", b->name);
    snprintf(run->core, sizeof run->core, "%s%s", core_name(b->core), b->has_fpu ? "f" : "");
    run->clock_hz = b->clock_hz;
    snprintf(run->firmware, sizeof run->firmware, "%.500s", fw);
    if (!SHA256File(fw, run->firmware_sha256))
        run->firmware_sha256[0] = '\0';
    if (job->model) {
        snprintf(run->model, sizeof run->model, "%s", job->model);
        if (!SHA256File(job->model, run->model_sha256))
            run->model_sha256[0] = '\0';
        snprintf(run->kernels, sizeof run->kernels, "%s", job->kernels);
    }
    if (job->input && !SHA256File(job->input, run->input_sha256))
        run->input_sha256[0] = '\0';
    snprintf(run->tag, sizeof run->tag, "%s", job->tag ? job->tag : "");
    snprintf(run->version, sizeof run->version, "%s", MCUSIM_VERSION);
    snprintf(run->cmdline, sizeof run->cmdline, "%s", job->cmdline ? job->cmdline : "");
    now_iso8601(run->started, sizeof run->started);
}

static void fill_flash(const struct elf_image *img, const struct board *b, size_t model_len, struct prof_run *run)
{
    run->flash_code = img->sizes.code;
    run->flash_rodata = img->sizes.rodata;
    run->flash_data = img->sizes.data;
    run->flash_model = (uint32_t)model_len;
    run->flash_capacity = board_main_region(b, REGION_FLASH)->size;
    run->ram_static = img->sizes.data + img->sizes.bss;
    run->ram_capacity = board_main_region(b, REGION_RAM)->size;
}

static int store(const struct profile_job *job, struct profile_outcome *out)
{
    if (!job->db_path)
        return 0;
    char err[1024] = "";
    sqlite3 *db = db_open(job->db_path, true, err, sizeof err);
    if (!db || db_store_run(db, &out->run, &out->run_id, err, sizeof err)) {
        snprintf(out->error, sizeof out->error, "%s", err);
        if (db)
            db_close(db);
        return -1;
    }
    db_close(db);
    return 0;
}

static int write_file(const char *path, int (*fn)(const struct collector *, const struct prof_run *, FILE *),
                      const struct collector *c, const struct prof_run *run, char *err, size_t errlen)
{
    FILE *f = fopen(path, "w");
    int rc = f ? fn(c, run, f) : -1;
    if (f && fclose(f))
        rc = -1;
    if (rc)
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    return rc;
}

static int folded_adapter(const struct collector *c, const struct prof_run *run, FILE *f)
{
    (void)run;
    return collector_write_folded(c, f);
}

/* The firmware verifies and prepares the model with the runtime's own code
 * (runtime/); the same code runs here first, so that a corrupt or
 * unsupported model is one line naming the file and exit 2 rather than a
 * failed run from inside the simulation.  A model too big for this
 * generous host arena is left to the firmware, which records it as a run
 * that does not fit, with the numbers. */
#define CHECK_ARENA_BYTES (64u << 20)
static int check_model(const char *path, const uint8_t *bytes, size_t len, const char *kernels, char *err,
                       size_t errlen)
{
    struct rt_model m;
    struct rt_error rerr;
    if (rt_model_open(&m, bytes, len, rt_op_supported, &rerr) != RT_OK) {
        snprintf(err, errlen, "%s: %s", path, rerr.msg);
        return -1;
    }
    const struct rt_kernel_family *family = rt_family_find(kernels);
    void *arena = malloc(CHECK_ARENA_BYTES); /* untouched pages cost nothing */
    if (!arena)
        return 0;
    struct rt_interp it;
    enum rt_status st = rt_interp_init(&it, &m, family, arena, CHECK_ARENA_BYTES, &rerr);
    free(arena);
    if (st != RT_OK && st != RT_NO_MEMORY) {
        snprintf(err, errlen, "%s: %s", path, rerr.msg);
        return -1;
    }
    return 0;
}

/* The firmware knows the input and output files by their aliases
 * (":input"); its messages name the files the user gave. */
static void unalias(char *text, size_t len, const char *const *aliases, int n_alias)
{
    for (int i = 0; i + 1 < n_alias; i += 2) {
        char *at = strstr(text, aliases[i]);
        if (!at)
            continue;
        char rest[1024];
        snprintf(rest, sizeof rest, "%s", at + strlen(aliases[i]));
        snprintf(at, len - (size_t)(at - text), "%s%s", aliases[i + 1], rest);
    }
}

int profile_execute(const struct profile_job *job, struct profile_outcome *out)
{
    memset(out, 0, sizeof *out);
    char err[1024] = "";
    struct board board;
    if (board_find(job->board, &board, err, sizeof err)) {
        snprintf(out->error, sizeof out->error, "%s", err);
        out->exit_status = EXIT_BAD_INPUT;
        return -1;
    }
    char fw[1024];
    if (job->firmware) {
        snprintf(fw, sizeof fw, "%s", job->firmware);
    } else if (runtime_firmware_path(board.name, job->kernels, fw, sizeof fw)) {
        snprintf(out->error, sizeof out->error,
                 "no runtime firmware for board '%s' with kernels '%s' (the build makes runtime-<board>-"
                 "<kernels>.elf for every board in boards/; set MCUSIM_FIRMWARE to its directory, or pass "
                 "--firmware)",
                 board.name, job->kernels);
        out->exit_status = EXIT_BAD_INPUT;
        return -1;
    }

    struct prepare_ctx ctx = {.elf_path = fw};
    uint8_t *model = NULL;
    if (job->model) {
        model = read_file(job->model, &ctx.model_len, err, sizeof err);
        if (!model) {
            snprintf(out->error, sizeof out->error, "%s", err);
            out->exit_status = EXIT_BAD_INPUT;
            return -1;
        }
        ctx.model = model;
        if (check_model(job->model, model, ctx.model_len, job->kernels, err, sizeof err)) {
            snprintf(out->error, sizeof out->error, "%s", err);
            out->exit_status = EXIT_BAD_INPUT;
            free(model);
            return -1;
        }
    }
    struct elf_image img;
    if (elf_image_load(fw, &img, err, sizeof err)) {
        snprintf(out->error, sizeof out->error, "%s", err);
        out->exit_status = EXIT_BAD_INPUT;
        free(model);
        return -1;
    }
    struct prof_run *run = &out->run;
    fill_identity(job, &board, fw, run);
    fill_flash(&img, &board, ctx.model_len, run);

    if (model) {
        uint32_t lo, hi;
        uint32_t reader;
        /* Every image linked with the port's script has a slot; only the
         * runtime reads a model from it (another firmware would run, ignore
         * the model and "succeed"). */
        if (elf_image_symbol_addr(&img, "__model_slot_start", &lo) ||
            elf_image_symbol_addr(&img, "__model_slot_end", &hi) || hi < lo ||
            elf_image_symbol_addr(&img, "rt_model_open", &reader)) {
            snprintf(out->error, sizeof out->error, "%.900s: not a runtime image (no model slot, or no model reader)", fw);
            out->exit_status = EXIT_BAD_INPUT;
            elf_image_free(&img);
            free(model);
            return -1;
        }
        ctx.slot = lo;
        if (ctx.model_len + MODEL_SLOT_HEADER > (uint64_t)(hi - lo)) {
            /* Recorded as a run that does not fit, so gates fail with the
             * numbers instead of erroring out. */
            uint32_t used = lo - board_main_region(&board, REGION_FLASH)->base;
            snprintf(run->status, sizeof run->status, "nofit");
            snprintf(run->diagnostic, sizeof run->diagnostic,
                     "%s does not fit in flash: the model needs %zu bytes, %u are free after the runtime's "
                     "%u bytes (board '%s' has %u)",
                     job->model, ctx.model_len + MODEL_SLOT_HEADER, hi - lo, used, board.name,
                     run->flash_capacity);
            run->exit_code = out->exit_status = EXIT_NO_FIT;
            elf_image_free(&img);
            free(model);
            return store(job, out) ? -1 : 0;
        }
    }
    elf_image_free(&img);

    struct collector_options copt = {.trace_min_cycles = 2000, .trace_max_events = job->trace_path ? 200000 : 0};
    ctx.collector = job->mode == PROFILE_FULL ? collector_create(&copt) : NULL;
    if (job->mode == PROFILE_FULL && !ctx.collector) {
        free(model);
        snprintf(out->error, sizeof out->error, "out of memory");
        out->exit_status = EXIT_INTERNAL;
        return -1;
    }

    /* Firmware arguments: the runtime's options, then the caller's. */
    char *args[64];
    int n = 0;
    /* Input and output go by fixed names (":input", ":output") that the
     * simulator maps to the files: their paths must not change the cycles. */
    const char *aliases[5] = {NULL};
    int n_alias = 0;
    if (job->model) {
        args[n++] = "--kernels";
        args[n++] = (char *)job->kernels;
        if (job->input) {
            args[n++] = "--input";
            args[n++] = ":input";
            aliases[n_alias++] = ":input";
            aliases[n_alias++] = job->input;
        }
        if (job->output) {
            args[n++] = "--output";
            args[n++] = ":output";
            aliases[n_alias++] = ":output";
            aliases[n_alias++] = job->output;
        }
    }
    for (int i = 0; i < job->n_args && n < 64; i++)
        args[n++] = job->args[i];

    char *fw_out = NULL, *fw_err = NULL;
    size_t fw_out_len = 0, fw_err_len = 0;
    FILE *out_f = open_memstream(&fw_out, &fw_out_len);
    FILE *err_f = open_memstream(&fw_err, &fw_err_len);
    struct run_request req;
    run_request_init(&req);
    req.firmware = fw;
    req.board = job->board;
    req.args = args;
    req.n_args = n;
    req.file_alias = aliases;
    req.max_instructions = job->max_instructions;
    req.timeout_s = job->timeout_s;
    req.verbose = job->verbose;
    req.vector_faults = job->vector_faults;
    req.observer = ctx.collector ? &ctx.obs : NULL;
    req.bare = job->mode == PROFILE_ENGINE || job->mode == PROFILE_EMPTY_HOOK;
    req.empty_hook = job->mode == PROFILE_EMPTY_HOOK;
    req.prepare = prepare;
    req.finish = finish;
    req.prepare_ctx = &ctx;
    ctx.run = run;
    req.out = out_f;
    req.err = err_f;
    struct run_outcome ro;
    int rc = run_firmware(&req, &ro);
    fclose(out_f);
    fclose(err_f);
    FILE *echo_out = job->out ? job->out : stdout, *echo_err = job->err ? job->err : stderr;
    if (fw_out)
        fputs(fw_out, echo_out);
    /* When the runtime image exits with an error, its error line becomes the
     * run's diagnostic, which the caller prints once, with the model's name. */
    bool fw_err_is_diagnostic = job->model && !rc && ro.result.status == SIM_EXITED && ro.result.exit_code;
    if (fw_err && !fw_err_is_diagnostic)
        fputs(fw_err, echo_err);
    free(model);
    if (rc) {
        snprintf(out->error, sizeof out->error, "%s", ro.error);
        out->exit_status = ro.error_status;
        run_outcome_free(&ro);
        collector_destroy(ctx.collector);
        free(fw_out);
        free(fw_err);
        return -1;
    }

    const struct sim_result *res = &ro.result;
    run->wall_s = res->wall_s;
    run->mips = res->mips;
    find_output_line(fw_out, out->output_line, sizeof out->output_line);

    int status = run_exit_status(res);
    switch (res->status) {
    case SIM_EXITED:
        if (res->exit_code == 0) {
            snprintf(run->status, sizeof run->status, "ok");
        } else if (job->model && res->exit_code == EXIT_NO_FIT) {
            snprintf(run->status, sizeof run->status, "nofit");
            last_line(fw_err, run->diagnostic, sizeof run->diagnostic);
        } else {
            snprintf(run->status, sizeof run->status, "error");
            last_line(fw_err, run->diagnostic, sizeof run->diagnostic);
            unalias(run->diagnostic, sizeof run->diagnostic, aliases, n_alias);
            if (!run->diagnostic[0])
                snprintf(run->diagnostic, sizeof run->diagnostic, "firmware exited with status %d",
                         res->exit_code);
        }
        break;
    case SIM_FAULT:
        snprintf(run->status, sizeof run->status, "fault");
        snprintf(run->diagnostic, sizeof run->diagnostic, "%s", res->message);
        break;
    case SIM_LIMIT:
        snprintf(run->status, sizeof run->status, "limit");
        snprintf(run->diagnostic, sizeof run->diagnostic, "%s", res->message);
        break;
    default:
        snprintf(run->status, sizeof run->status, "error");
        snprintf(run->diagnostic, sizeof run->diagnostic, "%s", res->message);
        status = EXIT_INTERNAL;
        break;
    }
    if (ctx.finish_rc && res->status == SIM_EXITED && res->exit_code == 0) {
        snprintf(run->status, sizeof run->status, "error");
        snprintf(run->diagnostic, sizeof run->diagnostic, "out of memory while profiling");
        status = EXIT_INTERNAL;
    }
    run->exit_code = out->exit_status = status;
    if (job->verbose && ro.regs_dump[0])
        fprintf(echo_err, "%s\n", ro.regs_dump);
    run_outcome_free(&ro);
    free(fw_out);
    free(fw_err);

    int failed = 0;
    if (job->trace_path &&
        write_file(job->trace_path, collector_write_trace, ctx.collector, run, out->error, sizeof out->error))
        failed = 1;
    if (!failed && job->folded_path &&
        write_file(job->folded_path, folded_adapter, ctx.collector, run, out->error, sizeof out->error))
        failed = 1;
    collector_destroy(ctx.collector);
    if (store(job, out) || failed) {
        out->exit_status = EXIT_INTERNAL;
        return -1;
    }
    return 0;
}

void profile_outcome_free(struct profile_outcome *out)
{
    prof_run_free(&out->run);
}

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

int profile_write_json(const struct profile_outcome *out, const char *path)
{
    const struct prof_run *r = &out->run;
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return -1;
    cJSON_AddNumberToObject(o, "run_id", (double)out->run_id);
    cJSON_AddStringToObject(o, "status", r->status);
    cJSON_AddNumberToObject(o, "exit_code", out->exit_status);
    cJSON_AddStringToObject(o, "diagnostic", r->diagnostic);
    cJSON_AddStringToObject(o, "board", r->board);
    cJSON_AddStringToObject(o, "core", r->core);
    cJSON_AddNumberToObject(o, "clock_hz", r->clock_hz);
    cJSON_AddStringToObject(o, "firmware", r->firmware);
    cJSON_AddStringToObject(o, "model", r->model);
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
    if (out->output_line[0])
        cJSON_AddStringToObject(o, "output", out->output_line + 8);
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
