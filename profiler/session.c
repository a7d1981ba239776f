/*
 * session.c — the steps of a profiled run (see session.h).
 */
#include "session.h"

#include <errno.h>
#include <sha2.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "exitcodes.h"

void profile_job_init(struct profile_job *job)
{
    memset(job, 0, sizeof *job);
    job->board = "nano33ble";
    job->runtime = RUNTIME_DEFAULT;
    job->max_instructions = RUN_DEFAULT_MAX_INSNS;
    job->timeout_s = RUN_DEFAULT_TIMEOUT_S;
}

__attribute__((format(printf, 3, 4))) static int fail(struct profile_session *s, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->error, sizeof s->error, fmt, ap);
    va_end(ap);
    s->exit_status = status;
    return -1;
}

/* ---- open: what runs ---- */

static void now_iso8601(char *buf, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void fill_identity(struct profile_session *s)
{
    const struct profile_job *job = s->job;
    struct prof_run *run = &s->run;
    snprintf(run->board, sizeof run->board, "%s", s->board.name);
    snprintf(run->core, sizeof run->core, "%s%s", core_name(s->board.core), s->board.core->fpu ? "f" : "");
    run->clock_hz = s->board.clock_hz;
    snprintf(run->firmware, sizeof run->firmware, "%.500s", s->firmware);
    if (!SHA256File(s->firmware, run->firmware_sha256))
        run->firmware_sha256[0] = '\0';
    if (job->model) {
        snprintf(run->model, sizeof run->model, "%s", job->model);
        if (!SHA256File(job->model, run->model_sha256))
            run->model_sha256[0] = '\0';
        snprintf(run->runtime, sizeof run->runtime, "%s", s->image->runtime);
        snprintf(run->kernels, sizeof run->kernels, "%s", s->image->kernels);
    }
    if (job->input && !SHA256File(job->input, run->input_sha256))
        run->input_sha256[0] = '\0';
    snprintf(run->tag, sizeof run->tag, "%s", job->tag ? job->tag : "");
    snprintf(run->version, sizeof run->version, "%s", MCUSIM_VERSION);
    snprintf(run->cmdline, sizeof run->cmdline, "%s", job->cmdline ? job->cmdline : "");
    now_iso8601(run->started, sizeof run->started);
}

static void fill_flash(struct profile_session *s, const struct elf_image *img)
{
    struct prof_run *run = &s->run;
    run->flash_code = img->sizes.code;
    run->flash_rodata = img->sizes.rodata;
    run->flash_data = img->sizes.data;
    run->flash_model = (uint32_t)s->model.len;
    run->flash_capacity = board_main_region(&s->board, REGION_FLASH)->size;
    run->ram_static = img->sizes.data + img->sizes.bss;
    run->ram_capacity = board_main_region(&s->board, REGION_RAM)->size;
}

int session_open(struct profile_session *s, const struct profile_job *job)
{
    memset(s, 0, sizeof *s);
    s->job = job;
    char err[1024] = "";
    if (board_find(job->board, &s->board, err, sizeof err))
        return fail(s, EXIT_BAD_INPUT, "%s", err);
    if (job->model) {
        if (!(s->image = runtime_image_resolve(job->runtime, job->kernels, err, sizeof err)))
            return fail(s, EXIT_BAD_INPUT, "%s", err);
    }
    if (job->firmware)
        snprintf(s->firmware, sizeof s->firmware, "%s", job->firmware);
    else if (!s->image)
        return fail(s, EXIT_BAD_INPUT, "nothing to run: no firmware and no model");
    else if (runtime_image_path(s->image, s->board.name, s->firmware, sizeof s->firmware, err, sizeof err))
        return fail(s, EXIT_BAD_INPUT, "%s", err);
    if (job->model && model_file_read(job->model, &s->model, err, sizeof err))
        return fail(s, EXIT_BAD_INPUT, "%s", err);
    struct elf_image img;
    if (elf_image_load(s->firmware, &img, err, sizeof err))
        return fail(s, EXIT_BAD_INPUT, "%s", err);
    fill_identity(s);
    fill_flash(s, &img);
    int rc = job->model ? model_slot_find(&img, s->image->reader_symbol, &s->slot, err, sizeof err) : 0;
    if (!rc && job->model)
        rc = image_room_read(&img, s->image->reader_symbol, &s->board, &s->room, err, sizeof err);
    elf_image_free(&img);
    if (rc)
        return fail(s, EXIT_BAD_INPUT, "%s", err);
    return 0;
}

/* ---- check: the model, and whether it fits ---- */

int session_check(struct profile_session *s)
{
    const struct profile_job *job = s->job;
    if (!job->model)
        return 0;
    char err[1024] = "";
    struct fit_verdict *v = &s->verdict;
    if (!s->image->host_family) {
        /* No host build of this runtime: the flash verdict only, the
         * firmware judges RAM itself. */
        memset(v, 0, sizeof *v);
        v->room = s->room;
        v->model_bytes = s->model.len;
        fit_verdict_judge(v);
        v->ram_fits = true;
        v->fits = v->flash_fits;
    } else {
        /* The firmware verifies, prepares and plans the model with the
         * runtime's own code; the same code runs here first, for the
         * board's core, so that a corrupt or unsupported model is one line
         * naming the file and exit 2 rather than a failed run from inside
         * the simulation, and a model too large is known before anything
         * runs, in flash and RAM at once. */
        if (fit_verdict_make(&s->model, s->image->host_family, &s->board, &s->room, v, err, sizeof err))
            return fail(s, EXIT_BAD_INPUT, "%s", err);
        s->has_verdict = true;
        s->run.ram_arena_planned = (uint32_t)(v->arena < UINT32_MAX ? v->arena : UINT32_MAX);
        s->run.ram_arena_capacity = s->room.arena_capacity;
        s->run.ram_stack_capacity = s->room.stack_reserved;
        if (v->fits && !v->planned)
            return fail(s, EXIT_BAD_INPUT, "%s: %s", job->model, v->why);
    }
    if (!v->fits) {
        /* A result, not an error: stored, so that gates fail with the
         * numbers instead of erroring out. */
        snprintf(s->run.status, sizeof s->run.status, "nofit");
        fit_verdict_text(v, job->model, s->board.name, s->run.diagnostic, sizeof s->run.diagnostic);
        s->run.exit_code = s->exit_status = EXIT_NO_FIT;
        s->done = true;
    }
    return 0;
}

/* ---- run: simulate and measure ---- */

static int prepare(void *p, struct sim *sim, char *err, size_t errlen)
{
    struct profile_session *s = p;
    if (s->model.bytes) {
        uint8_t header[MODEL_SLOT_HEADER_BYTES];
        model_slot_header(s->model.len, header);
        if (sim_load_bytes(sim, s->slot.start, header, sizeof header, err, errlen) ||
            sim_load_bytes(sim, s->slot.start + MODEL_SLOT_HEADER_BYTES, s->model.bytes, (uint32_t)s->model.len,
                           err, errlen))
            return -1;
    }
    if (!s->collector)
        return 0;
    return collector_attach(s->collector, sim, s->firmware, &s->observer, err, errlen);
}

static void finish(void *p, struct sim *sim, const struct sim_result *res)
{
    struct profile_session *s = p;
    (void)sim;
    if (s->collector) {
        s->finish_rc = collector_finish(s->collector, res, &s->run);
    } else {
        s->run.instructions = res->instructions;
        s->run.cycles = res->cycles;
        s->run.sim_time_s = res->sim_time_s;
    }
}

/* 'monitor layer': where the measured run is. */
static void monitor_layer(void *ctx, struct sim *sim, const char *args, char *out, size_t len)
{
    (void)args;
    struct sim_debug_position pos;
    sim_debug_position(sim, &pos);
    collector_describe(ctx, pos.cycles, pos.instructions, out, len);
}

/* The firmware's stdout both kept (for its "output:" line) and printed as
 * it comes, for a debugging session. */
struct tee {
    FILE *a, *b;
};

static ssize_t tee_write(void *cookie, const char *buf, size_t n)
{
    struct tee *t = cookie;
    if (fwrite(buf, 1, n, t->a) != n)
        return -1;
    fwrite(buf, 1, n, t->b);
    fflush(t->b);
    return (ssize_t)n;
}

static int tee_close(void *cookie)
{
    free(cookie);
    return 0;
}

static FILE *tee_open(FILE *a, FILE *b)
{
    struct tee *t = malloc(sizeof *t);
    if (!t)
        return NULL;
    t->a = a;
    t->b = b;
    FILE *f = fopencookie(t, "w", (cookie_io_functions_t){.write = tee_write, .close = tee_close});
    if (!f)
        free(t);
    else
        setvbuf(f, NULL, _IONBF, 0);
    return f;
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

int session_run(struct profile_session *s)
{
    const struct profile_job *job = s->job;
    struct collector_options copt = {.trace_min_cycles = 2000, .trace_max_events = job->trace_path ? 200000 : 0};
    if (job->mode == PROFILE_FULL && !(s->collector = collector_create(&copt)))
        return fail(s, EXIT_INTERNAL, "out of memory");

    /* Firmware arguments: the runtime's options, then the caller's.  Input
     * and output go by fixed names (":input", ":output") that the
     * simulator maps to the files: their paths must not change the cycles. */
    char *args[64];
    int n = 0;
    if (job->model) {
        args[n++] = "--kernels";
        args[n++] = (char *)s->image->kernels;
        if (job->input) {
            args[n++] = "--input";
            args[n++] = ":input";
            s->aliases[s->n_aliases++] = ":input";
            s->aliases[s->n_aliases++] = job->input;
        }
        if (job->output) {
            args[n++] = "--output";
            args[n++] = ":output";
            s->aliases[s->n_aliases++] = ":output";
            s->aliases[s->n_aliases++] = job->output;
        }
    }
    for (int i = 0; i < job->n_args && n < 64; i++)
        args[n++] = job->args[i];

    char *fw_out = NULL;
    size_t fw_out_len = 0, fw_err_len = 0;
    FILE *out_f = open_memstream(&fw_out, &fw_out_len);
    FILE *err_f = open_memstream(&s->console_err, &fw_err_len);
    if (!out_f || !err_f) {
        if (out_f)
            fclose(out_f);
        if (err_f)
            fclose(err_f);
        free(fw_out);
        return fail(s, EXIT_INTERNAL, "out of memory");
    }
    /* A debugging session shows the console as it comes. */
    FILE *live_out = job->gdb && job->out ? tee_open(out_f, job->out) : NULL;
    struct gdb_server_options gdb;
    struct gdbstub_monitor layer = {
        .name = "layer",
        .help = "the layer (or region) running now and its cycles so far",
        .run = monitor_layer,
        .ctx = s->collector,
    };
    if (job->gdb) {
        gdb = *job->gdb;
        if (s->collector) {
            gdb.monitors = &layer;
            gdb.n_monitors = 1;
        }
    }
    struct run_request req;
    run_request_init(&req);
    req.gdb = job->gdb ? &gdb : NULL;
    req.firmware = s->firmware;
    req.board = job->board;
    req.args = args;
    req.n_args = n;
    req.file_alias = s->aliases;
    req.max_instructions = job->max_instructions;
    req.timeout_s = job->timeout_s;
    req.verbose = job->verbose;
    req.vector_faults = job->vector_faults;
    req.observer = s->collector ? &s->observer : NULL;
    req.debugger = job->debugger;
    req.debugger_wait = job->debugger_wait;
    req.bare = job->mode == PROFILE_ENGINE || job->mode == PROFILE_EMPTY_HOOK;
    req.empty_hook = job->mode == PROFILE_EMPTY_HOOK;
    req.prepare = prepare;
    req.finish = finish;
    req.prepare_ctx = s;
    req.out = live_out ? live_out : out_f;
    req.err = err_f;
    req.unmodelled = job->unmodelled;
    req.uart_in = job->uart_in;
    req.uart_out = job->uart_out;
    int rc = run_firmware(&req, &s->ran);
    if (live_out)
        fclose(live_out);
    fclose(out_f);
    fclose(err_f);
    if (fw_out && job->out && !live_out)
        fputs(fw_out, job->out);
    /* When the runtime image exits with an error, its error line becomes the
     * run's diagnostic, which the caller prints once, with the model's name. */
    bool console_is_diagnostic = job->model && !rc && s->ran.result.status == SIM_EXITED && s->ran.result.exit_code;
    if (s->console_err && job->err && !console_is_diagnostic)
        fputs(s->console_err, job->err);
    if (!rc)
        find_output_line(fw_out, s->output_line, sizeof s->output_line);
    free(fw_out);
    if (rc)
        return fail(s, s->ran.error_status, "%s", s->ran.error);
    s->has_result = true;
    return 0;
}

/* ---- collect: status, diagnostic, files ---- */

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

static int write_file(struct profile_session *s, const char *path,
                      int (*fn)(const struct collector *, const struct prof_run *, FILE *))
{
    FILE *f = fopen(path, "w");
    int rc = f ? fn(s->collector, &s->run, f) : -1;
    if (f && fclose(f))
        rc = -1;
    return rc ? fail(s, EXIT_INTERNAL, "%s: cannot write: %s", path, strerror(errno)) : 0;
}

static int folded_adapter(const struct collector *c, const struct prof_run *run, FILE *f)
{
    (void)run;
    return collector_write_folded(c, f);
}

int session_collect(struct profile_session *s)
{
    const struct profile_job *job = s->job;
    const struct sim_result *res = &s->ran.result;
    struct prof_run *run = &s->run;
    run->wall_s = res->wall_s;
    run->mips = res->mips;
    if (res->clock_hz)
        run->clock_hz = res->clock_hz;
    snprintf(run->clock_source, sizeof run->clock_source, "%s", res->clock_source);
    snprintf(run->memory_timing_source, sizeof run->memory_timing_source, "%s", res->timing_source);

    int status = run_exit_status(res);
    /* The runtime image speaks mcusim's own statuses for what it refuses:
     * 2 bad input (the model, the input file) and 6 does not fit
     * (runtime/app/main.c). */
    if (job->model && res->status == SIM_EXITED && (res->exit_code == EXIT_BAD_INPUT || res->exit_code == EXIT_NO_FIT))
        status = res->exit_code;
    switch (res->status) {
    case SIM_EXITED:
        if (res->exit_code == 0) {
            snprintf(run->status, sizeof run->status, "ok");
        } else if (job->model && res->exit_code == EXIT_NO_FIT) {
            snprintf(run->status, sizeof run->status, "nofit");
            last_line(s->console_err, run->diagnostic, sizeof run->diagnostic);
        } else {
            snprintf(run->status, sizeof run->status, "error");
            last_line(s->console_err, run->diagnostic, sizeof run->diagnostic);
            unalias(run->diagnostic, sizeof run->diagnostic, s->aliases, s->n_aliases);
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
    if (s->finish_rc && res->status == SIM_EXITED && res->exit_code == 0) {
        snprintf(run->status, sizeof run->status, "error");
        snprintf(run->diagnostic, sizeof run->diagnostic, "out of memory while profiling");
        status = EXIT_INTERNAL;
    }
    run->exit_code = s->exit_status = status;
    snprintf(s->regs_dump, sizeof s->regs_dump, "%s", s->ran.regs_dump);

    if (job->trace_path && write_file(s, job->trace_path, collector_write_trace))
        return -1;
    if (job->folded_path && write_file(s, job->folded_path, folded_adapter))
        return -1;
    return 0;
}

/* ---- store ---- */

int session_store(struct profile_session *s)
{
    if (!s->job->db_path)
        return 0;
    char err[1024] = "";
    sqlite3 *db = db_open(s->job->db_path, true, err, sizeof err);
    if (!db || db_store_run(db, &s->run, &s->run_id, err, sizeof err)) {
        if (db)
            db_close(db);
        return fail(s, EXIT_INTERNAL, "%s", err);
    }
    db_close(db);
    return 0;
}

void session_close(struct profile_session *s)
{
    model_file_free(&s->model);
    collector_destroy(s->collector);
    s->collector = NULL;
    run_outcome_free(&s->ran);
    free(s->console_err);
    s->console_err = NULL;
    prof_run_free(&s->run);
}

int session_execute(struct profile_session *s, const struct profile_job *job)
{
    if (session_open(s, job) || session_check(s))
        return -1;
    if (s->done)
        return session_store(s);
    if (session_run(s))
        return -1;
    /* A trace that cannot be written fails the command, but the run it
     * measured is stored all the same (and a database error, if there is
     * one too, is the one reported). */
    int collected = session_collect(s);
    if (session_store(s) || collected)
        return -1;
    return 0;
}
