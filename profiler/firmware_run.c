/*
 * firmware_run.c — see firmware_run.h.
 */
#include "firmware_run.h"

#include <errno.h>
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
    case SIM_EXITED: return r->exit_code ? EXIT_ANSWER_NO : EXIT_OK_STATUS;
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

/* The --uart-in and --uart-out files ("-": standard input or output). */
static int open_uart_files(const struct run_request *req, FILE **in, FILE **out, char *err, size_t errlen)
{
    *in = *out = NULL;
    if (req->uart_in) {
        *in = strcmp(req->uart_in, "-") ? fopen(req->uart_in, "rb") : stdin;
        if (!*in) {
            snprintf(err, errlen, "%s: cannot open the --uart-in file: %s", req->uart_in, strerror(errno));
            return -1;
        }
    }
    if (req->uart_out) {
        *out = strcmp(req->uart_out, "-") ? fopen(req->uart_out, "wb") : stdout;
        if (!*out) {
            snprintf(err, errlen, "%s: cannot open the --uart-out file: %s", req->uart_out, strerror(errno));
            if (*in && *in != stdin)
                fclose(*in);
            return -1;
        }
    }
    return 0;
}

static void close_uart_files(FILE *in, FILE *out)
{
    if (in && in != stdin)
        fclose(in);
    if (out && out != stdout)
        fclose(out);
    else if (out)
        fflush(out);
}

static int run_with_files(const struct run_request *req, struct run_outcome *out, FILE *uart_in, FILE *uart_out);

int run_firmware(const struct run_request *req, struct run_outcome *out)
{
    memset(out, 0, sizeof *out);
    char err[1024] = "";
    int mode = req->unmodelled ? board_unmodelled_parse(req->unmodelled) : 0;
    if (mode < 0) {
        snprintf(err, sizeof err, "--unmodelled is stub, log or fault, not '%s'", req->unmodelled);
        return setup_error(out, EXIT_BAD_INPUT, err);
    }
    FILE *uart_in, *uart_out;
    if (open_uart_files(req, &uart_in, &uart_out, err, sizeof err))
        return setup_error(out, EXIT_BAD_INPUT, err);
    int rc = run_with_files(req, out, uart_in, uart_out);
    close_uart_files(uart_in, uart_out);
    return rc;
}

static int run_with_files(const struct run_request *req, struct run_outcome *out, FILE *uart_in, FILE *uart_out)
{
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
        .uart_in = uart_in,
        .uart_out = uart_out,
        .unmodelled_set = req->unmodelled != NULL,
        .unmodelled = req->unmodelled ? (enum unmodelled_mode)board_unmodelled_parse(req->unmodelled) : UNMODELLED_STUB,
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
    if (req->debugger && sim_debug_attach(s, req->debugger, req->debugger_wait, err, sizeof err)) {
        sim_destroy(s);
        return setup_error(out, EXIT_INTERNAL, err);
    }
    struct gdb_server *gdb = NULL;
    if (req->gdb && !(gdb = gdb_server_open(s, req->gdb, err, sizeof err))) {
        sim_destroy(s);
        return setup_error(out, EXIT_BAD_INPUT, err);
    }
    sim_run(s, &out->result);
    gdb_server_close(gdb);
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
