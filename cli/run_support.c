/*
 * run_support.c — see run_support.h.
 */
#include "run_support.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"

void run_request_init(struct run_request *req)
{
    memset(req, 0, sizeof *req);
    req->board = "nano33ble";
    req->max_instructions = RUN_DEFAULT_MAX_INSNS;
    req->timeout_s = RUN_DEFAULT_TIMEOUT_S;
}

int parse_count(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    double d = strtod(s, &end); /* accepts 1e9 as well as 1000000000 */
    if (errno || end == s || *end || d < 0 || d > 1.8e19)
        return -1;
    *out = (uint64_t)d;
    return 0;
}

int parse_seconds(const char *s, double *out)
{
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    if (errno || end == s || *end || d < 0)
        return -1;
    *out = d;
    return 0;
}

int parse_limit_option(const char *cmd, int opt, const char *value, uint64_t *max_instructions, double *timeout_s)
{
    if (opt == 'n' && parse_count(value, max_instructions)) {
        fprintf(stderr, "mcusim %s: --max-instructions needs a number, not '%s'\n", cmd, value);
        return -1;
    }
    if (opt == 't' && parse_seconds(value, timeout_s)) {
        fprintf(stderr, "mcusim %s: --timeout needs a number of seconds, not '%s'\n", cmd, value);
        return -1;
    }
    return 0;
}

/* The semihosting command line: argv[0] then the arguments, space separated. */
static char *join_cmdline(const char *argv0, char **args, int n)
{
    size_t len = strlen(argv0) + 1;
    for (int i = 0; i < n; i++)
        len += strlen(args[i]) + 1;
    char *s = malloc(len);
    if (!s)
        return NULL;
    strcpy(s, argv0);
    for (int i = 0; i < n; i++) {
        strcat(s, " ");
        strcat(s, args[i]);
    }
    return s;
}

int run_exit_status(const struct sim_result *r)
{
    switch (r->status) {
    case SIM_EXITED: return r->exit_code;
    case SIM_FAULT: return EXIT_FAULT;
    case SIM_LIMIT: return EXIT_LIMIT;
    default: return EXIT_INTERNAL;
    }
}

static void dump_state(struct sim *s, const struct elf_image *img, char *buf, size_t len)
{
    uint32_t r[16], xpsr, msp, psp;
    sim_registers(s, r, &xpsr, &msp, &psp);
    size_t n = (size_t)snprintf(buf, len,
        "registers: r0=%08x r1=%08x r2=%08x r3=%08x r4=%08x r5=%08x r6=%08x r7=%08x\n"
        "           r8=%08x r9=%08x r10=%08x r11=%08x r12=%08x sp=%08x lr=%08x pc=%08x\n"
        "           xpsr=%08x msp=%08x psp=%08x\nlast blocks:",
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13],
        r[14], r[15], xpsr, msp, psp);
    uint32_t trace[16];
    int nt = sim_trace(s, trace, 16);
    for (int i = 0; i < nt && n < len; i++) {
        char sym[128];
        elf_image_format_addr(img, trace[i], sym, sizeof sym);
        n += (size_t)snprintf(buf + n, len - n, " %s", sym);
    }
}

static int setup_error(struct run_outcome *out, int status, const char *msg)
{
    snprintf(out->error, sizeof out->error, "%s", msg);
    out->error_status = status;
    return -1;
}

int run_firmware(const struct run_request *req, struct run_outcome *out)
{
    memset(out, 0, sizeof *out);
    char err[1024] = "";
    if (board_find(req->board, &out->board, err, sizeof err))
        return setup_error(out, EXIT_BAD_INPUT, err);
    if (elf_image_load(req->firmware, &out->image, err, sizeof err))
        return setup_error(out, EXIT_BAD_INPUT, err);
    out->image_loaded = true;
    /* argv[0] is the image's file name, not its path: the firmware parses
     * its command line, and where the file lives must not change cycles. */
    const char *slash = strrchr(req->firmware, '/');
    char *cmdline = join_cmdline(slash ? slash + 1 : req->firmware, req->args, req->n_args);
    if (!cmdline)
        return setup_error(out, EXIT_INTERNAL, "out of memory");
    struct sim_options opt = {
        .max_instructions = req->max_instructions,
        .max_wall_s = req->timeout_s,
        .cmdline = cmdline,
        .file_alias = req->file_alias,
        .out = req->out,
        .err = req->err,
        .vector_faults = req->vector_faults,
        .bare = req->bare,
        .empty_hook = req->empty_hook,
        .trace_depth = req->verbose ? 16 : 0,
    };
    struct sim *s = sim_create(&out->board, &opt, err, sizeof err);
    free(cmdline);
    if (!s)
        return setup_error(out, EXIT_INTERNAL, err);
    if (sim_load_elf(s, &out->image, err, sizeof err) ||
        (req->prepare && req->prepare(req->prepare_ctx, s, err, sizeof err))) {
        sim_destroy(s);
        return setup_error(out, EXIT_BAD_INPUT, err);
    }
    if (req->observer)
        sim_set_observer(s, req->observer);
    sim_run(s, &out->result);
    if (req->finish)
        req->finish(req->prepare_ctx, s, &out->result);
    if (req->verbose && out->result.status != SIM_EXITED)
        dump_state(s, &out->image, out->regs_dump, sizeof out->regs_dump);
    sim_destroy(s);
    if (out->result.status == SIM_ERROR && !out->result.message[0])
        snprintf(out->result.message, sizeof out->result.message, "simulation failed");
    return 0;
}

void run_outcome_free(struct run_outcome *out)
{
    if (out->image_loaded)
        elf_image_free(&out->image);
    out->image_loaded = false;
}

static void human_count(uint64_t v, char *buf, size_t len)
{
    /* 12345678 -> "12,345,678" */
    char digits[32];
    snprintf(digits, sizeof digits, "%" PRIu64, v);
    size_t n = strlen(digits), o = 0;
    for (size_t i = 0; i < n && o + 2 < len; i++) {
        if (i && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

void run_print_summary(const struct run_outcome *out, FILE *f)
{
    const struct sim_result *r = &out->result;
    char insns[32], cycles[32];
    human_count(r->instructions, insns, sizeof insns);
    human_count(r->cycles, cycles, sizeof cycles);
    switch (r->status) {
    case SIM_EXITED:
        fprintf(f, "mcusim: %s exited with status %d%s%s\n", out->image.path, r->exit_code,
                r->message[0] ? ": " : "", r->message);
        break;
    case SIM_FAULT:
        fprintf(f, "mcusim: %s: fault: %s\n", out->image.path, r->message);
        break;
    case SIM_LIMIT:
        fprintf(f, "mcusim: %s: stopped: %s\n", out->image.path, r->message);
        break;
    default:
        fprintf(f, "mcusim: %s: error: %s\n", out->image.path, r->message);
        break;
    }
    fprintf(f, "mcusim: %s instructions, %s cycles, %.6f s simulated at %.0f MHz (%s); "
               "%.3f s host, %.1f MIPS\n",
            insns, cycles, r->sim_time_s, out->board.clock_hz / 1e6, out->board.name, r->wall_s, r->mips);
    if (out->regs_dump[0])
        fprintf(f, "%s\n", out->regs_dump);
}

int run_write_json(const struct run_outcome *out, const char *path)
{
    const struct sim_result *r = &out->result;
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return -1;
    cJSON_AddStringToObject(o, "status", sim_status_name(r->status));
    cJSON_AddNumberToObject(o, "exit_code", run_exit_status(r));
    cJSON_AddStringToObject(o, "firmware", out->image.path);
    cJSON_AddStringToObject(o, "board", out->board.name);
    cJSON_AddStringToObject(o, "core", core_name(out->board.core));
    cJSON_AddNumberToObject(o, "clock_hz", out->board.clock_hz);
    cJSON_AddNumberToObject(o, "instructions", (double)r->instructions);
    cJSON_AddNumberToObject(o, "cycles", (double)r->cycles);
    cJSON_AddNumberToObject(o, "sleep_cycles", (double)r->sleep_cycles);
    cJSON_AddNumberToObject(o, "sim_time_s", r->sim_time_s);
    cJSON_AddNumberToObject(o, "wall_s", r->wall_s);
    cJSON_AddNumberToObject(o, "mips", r->mips);
    if (r->status == SIM_EXITED)
        cJSON_AddNumberToObject(o, "firmware_exit_code", r->exit_code);
    if (r->message[0])
        cJSON_AddStringToObject(o, "message", r->message);
    if (r->status == SIM_LIMIT)
        cJSON_AddStringToObject(o, "limit", r->limit == LIMIT_WALL_CLOCK ? "wall_clock" : "instructions");
    if (r->status == SIM_FAULT) {
        cJSON *fo = cJSON_AddObjectToObject(o, "fault");
        char pc[16], addr[16];
        snprintf(pc, sizeof pc, "0x%08x", r->fault.pc);
        snprintf(addr, sizeof addr, "0x%08x", r->fault.address);
        cJSON_AddStringToObject(fo, "kind", sim_fault_name(r->fault.kind));
        cJSON_AddStringToObject(fo, "pc", pc);
        cJSON_AddStringToObject(fo, "symbol", r->fault.symbol);
        cJSON_AddStringToObject(fo, "address", addr);
        cJSON_AddStringToObject(fo, "detail", r->fault.detail);
    }
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    if (!text)
        return -1;
    FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
    int rc = -1;
    if (f) {
        rc = fputs(text, f) < 0 || fputc('\n', f) == EOF ? -1 : 0;
        if (f != stdout && fclose(f))
            rc = -1;
    }
    free(text);
    return rc;
}
