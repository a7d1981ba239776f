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

void run_print_outcome(const char *firmware, const struct sim_result *r, FILE *f)
{
    switch (r->status) {
    case SIM_EXITED:
        if (r->exit_code)
            fprintf(f, "mcusim: %s: firmware exited with status %d%s%s\n", firmware, r->exit_code,
                    r->message[0] ? ": " : "", r->message);
        else
            fprintf(f, "mcusim: %s exited with status 0%s%s\n", firmware, r->message[0] ? ": " : "", r->message);
        break;
    case SIM_FAULT:
        fprintf(f, "mcusim: %s: fault: %s\n", firmware, r->message);
        break;
    case SIM_LIMIT:
        fprintf(f, "mcusim: %s: stopped: %s\n", firmware, r->message);
        break;
    default:
        fprintf(f, "mcusim: %s: error: %s\n", firmware, r->message);
        break;
    }
}

void run_print_summary(const struct run_outcome *out, bool quiet, FILE *f)
{
    const struct sim_result *r = &out->result;
    if (!quiet || r->status != SIM_EXITED || r->exit_code)
        run_print_outcome(out->image.path, r, f);
    if (!quiet) {
        char insns[32], cycles[32];
        human_count(r->instructions, insns, sizeof insns);
        human_count(r->cycles, cycles, sizeof cycles);
        uint32_t hz = r->clock_hz ? r->clock_hz : out->board.clock_hz;
        fprintf(f, "mcusim: %s instructions, %s cycles, %.6f s simulated at %.0f MHz (%s); "
                   "%.3f s host, %.1f MIPS\n",
                insns, cycles, r->sim_time_s, hz / 1e6, out->board.name, r->wall_s, r->mips);
        /* The board file describes the part as start-up code leaves it;
         * firmware that configures it itself is followed, and said so. */
        if (r->clock_source[0])
            fprintf(f, "mcusim: clock set by the firmware (%s), %.6g MHz at the end; the board file says %.6g MHz\n",
                    r->clock_source, hz / 1e6, out->board.clock_hz / 1e6);
        if (r->timing_source[0])
            fprintf(f, "mcusim: memory timing set by the firmware: %s\n", r->timing_source);
    }
    if (out->regs_dump[0])
        fprintf(f, "%s\n", out->regs_dump);
}

int run_write_json(const struct run_outcome *out, int exit_code, const char *path)
{
    const struct sim_result *r = &out->result;
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return -1;
    cJSON_AddStringToObject(o, "status", sim_status_name(r->status));
    cJSON_AddNumberToObject(o, "exit_code", exit_code);
    cJSON_AddStringToObject(o, "firmware", out->image.path);
    cJSON_AddStringToObject(o, "board", out->board.name);
    cJSON_AddStringToObject(o, "core", core_name(out->board.core));
    cJSON_AddNumberToObject(o, "clock_hz", r->clock_hz ? r->clock_hz : out->board.clock_hz);
    cJSON_AddStringToObject(o, "clock_source", r->clock_source[0] ? r->clock_source : "board");
    cJSON_AddStringToObject(o, "memory_timing_source", r->timing_source[0] ? r->timing_source : "board");
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
        cJSON_AddStringToObject(o, "limit", r->limit == LIMIT_WALL_CLOCK ? "wall_clock"
                                            : r->limit == LIMIT_DEBUGGER ? "debugger"
                                                                         : "instructions");
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

void gdb_cli_option(struct gdb_cli_options *g, int opt, const char *value)
{
    if (opt == OPT_GDB)
        g->address = value;
    else if (opt == OPT_GDB_WAIT)
        g->wait = true;
    else if (opt == OPT_GDB_ALLOW_REMOTE)
        g->allow_remote = true;
}

int gdb_cli_finish(const char *cmd, const struct gdb_cli_options *g, struct gdb_server_options *out)
{
    memset(out, 0, sizeof *out);
    if (!g->address) {
        if (g->wait || g->allow_remote) {
            fprintf(stderr, "mcusim %s: %s needs --gdb [HOST:]PORT\n", cmd,
                    g->wait ? "--gdb-wait" : "--gdb-allow-remote");
            return -1;
        }
        return 0;
    }
    char host[256], err[512];
    int port;
    if (gdb_parse_address(g->address, host, sizeof host, &port, err, sizeof err)) {
        fprintf(stderr, "mcusim %s: %s\n", cmd, err);
        return -1;
    }
    out->address = g->address;
    out->wait = g->wait;
    out->allow_remote = g->allow_remote;
    out->log = stderr;
    return 1;
}
