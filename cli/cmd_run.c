/*
 * cmd_run.c — 'mcusim run': runs a firmware ELF on a simulated board.
 *
 * The firmware's console goes to stdout/stderr unchanged; mcusim's own
 * summary goes to stderr (and, with --json, to a file), so the program's
 * output can be compared byte for byte with another emulator's.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "exitcodes.h"
#include "profile_output.h"
#include "run_support.h"
#include "session.h"
#include "sim.h"

/* Which status 'run' exits with (see exitcodes.h). */
enum exit_mode {
    EXIT_MODE_MCUSIM,    /* mcusim's own outcome, 0-6 */
    EXIT_MODE_FIRMWARE,  /* the firmware's status; mcusim's own outcomes at 240 + status */
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mcusim run FIRMWARE.elf [options] [-- ARGS...]\n\n"
            "Runs a Cortex-M firmware image on a simulated board and reports instructions,\n"
            "cycles and simulated time.  ARGS become the firmware's command line\n"
            "(semihosting SYS_GET_CMDLINE; argv[0] is the firmware's path).\n\n"
            "options:\n"
            "  -b, --board NAME|FILE      board to simulate (default: nano33ble; see 'mcusim boards')\n"
            "  -n, --max-instructions N   stop after N instructions (default: %llu, 0 = no limit)\n"
            "  -t, --timeout SECONDS      stop after this much host time (default: %.0f, 0 = none)\n"
            "      --json PATH            write the summary as JSON ('-' for stdout)\n"
            "      --exit-status WHOSE    mcusim (default): exit with mcusim's outcome, below;\n"
            "                             firmware: with the firmware's own status when it\n"
            "                             exits (as QEMU does), mcusim's outcomes at 242-246\n"
            "      --vector-faults        deliver faults to the firmware's fault handlers\n"
            "                             (default: stop at the faulting instruction)\n"
            "      --unmodelled MODE      peripheral registers no model serves: stub (read as\n"
            "                             zero, writes ignored), log (the same, and report each\n"
            "                             one touched, once, with the instruction) or fault\n"
            "                             (stop there); default: the board file's\n"
            "      --uart-in FILE         bytes the console UART receives ('-': standard input)\n"
            "      --uart-out FILE        also write every byte the UARTs transmit to FILE\n"
            "  -v, --verbose              on a fault, add registers and the last executed blocks\n"
            "  -p, --profile              measure the run (regions the firmware marks on ITM,\n"
            "                             functions from the ELF symbols) and store it\n"
            "      --db FILE              run database for --profile (default: mcusim.db)\n"
            "      --tag TEXT             label the profiled run\n"
            "      --trace FILE.json      with --profile: Chrome trace of regions and functions\n"
            "      --folded FILE          with --profile: folded stacks (flamegraph.pl, speedscope)\n"
            GDB_OPTIONS_HELP
            "  -q, --quiet                no summary on stderr; a run that does not end with\n"
            "                             the firmware's status 0 still says why in one line\n"
            "  -h, --help                 this help\n\n"
            "exit status (--exit-status mcusim, the default):\n"
            "  0 the firmware exited with status 0\n"
            "  1 the firmware exited with another status (printed on stderr; in --json:\n"
            "    firmware_exit_code)\n"
            "  2 bad input (unreadable ELF, segment outside the board's memory, bad board,\n"
            "    bad option)\n"
            "  3 the firmware faulted    4 a limit was reached    5 internal error\n"
            "with --exit-status firmware: the firmware's own status (0-255) when it exits;\n"
            "  otherwise 240 + the status above: 242 bad input, 243 fault, 244 limit,\n"
            "  245 internal error\n",
            (unsigned long long)RUN_DEFAULT_MAX_INSNS, RUN_DEFAULT_TIMEOUT_S);
}

/* What 'run' exits with for mcusim's outcome `status` of a run that ended
 * with `res` (NULL when no simulation ran). */
static int exit_with(enum exit_mode mode, int status, const struct sim_result *res)
{
    if (mode == EXIT_MODE_MCUSIM)
        return status;
    /* Only an outcome the firmware decided (its exit, 0 or 1 above) passes
     * its status through; anything of mcusim's own moves out of its way. */
    if (res && res->status == SIM_EXITED && status <= EXIT_ANSWER_NO)
        return res->exit_code & 0xff;
    return status ? EXIT_FIRMWARE_MODE_BASE + status : 0;
}

struct run_options {
    const char *json_path, *db_path, *tag, *trace, *folded;
    bool quiet;
    enum exit_mode exit_mode;
    const struct gdb_server_options *gdb;
};

/* 'monitor layer' in a run that is not measured. */
static void monitor_layer_unmeasured(void *ctx, struct sim *s, const char *args, char *out, size_t len)
{
    (void)ctx;
    (void)s;
    (void)args;
    snprintf(out, len, "layers are known when the run is measured: 'mcusim run --profile' or 'mcusim profile'\n");
}

static int run_profiled(const struct run_request *req, int argc, char **argv, const struct run_options *o)
{
    struct profile_job job;
    profile_job_init(&job);
    job.firmware = req->firmware;
    job.board = req->board;
    job.args = req->args;
    job.n_args = req->n_args;
    job.max_instructions = req->max_instructions;
    job.timeout_s = req->timeout_s;
    job.verbose = req->verbose;
    job.vector_faults = req->vector_faults;
    job.unmodelled = req->unmodelled;
    job.uart_in = req->uart_in;
    job.uart_out = req->uart_out;
    job.db_path = o->db_path;
    job.tag = o->tag;
    job.trace_path = o->trace;
    job.folded_path = o->folded;
    job.gdb = o->gdb;
    job.out = stdout;
    job.err = stderr;
    char *cmdline = join_command_line(argc, argv);
    job.cmdline = cmdline;
    struct profile_session session;
    int rc = session_execute(&session, &job);
    free(cmdline);
    if (session.regs_dump[0])
        fprintf(stderr, "%s\n", session.regs_dump);
    const struct sim_result *res = session.has_result ? &session.ran.result : NULL;
    if (rc) {
        fprintf(stderr, "mcusim: %s\n", session.error);
        int status = exit_with(o->exit_mode, session.exit_status ? session.exit_status : EXIT_INTERNAL, res);
        session_close(&session);
        return status;
    }
    if (!o->quiet) {
        profile_print_table(&session.run, stderr);
        fprintf(stderr, "stored as run %lld in %s\n", (long long)session.run_id, o->db_path);
    }
    /* A run that did not succeed says so in one line, table or not. */
    if (res && (res->status != SIM_EXITED || res->exit_code))
        run_print_outcome(req->firmware, res, stderr);
    else if (strcmp(session.run.status, "ok"))
        fprintf(stderr, "mcusim: %s: %s: %s\n", req->firmware, session.run.status, session.run.diagnostic);
    int status = exit_with(o->exit_mode, session.exit_status, res);
    if (o->json_path && profile_write_json(&session, status, o->json_path))
        status = exit_with(o->exit_mode, EXIT_INTERNAL, NULL);
    session_close(&session);
    return status;
}

int cmd_run(int argc, char **argv)
{
    struct run_request req;
    run_request_init(&req);
    struct run_options o = {.db_path = "mcusim.db", .exit_mode = EXIT_MODE_MCUSIM};
    bool profile = false, bad = false, bad_usage = false;
    struct gdb_cli_options gdb_cli = {0};
    static const struct option opts[] = {
        {"board", required_argument, 0, 'b'},
        {"max-instructions", required_argument, 0, 'n'},
        {"timeout", required_argument, 0, 't'},
        {"json", required_argument, 0, 'j'},
        {"exit-status", required_argument, 0, 'E'},
        {"vector-faults", no_argument, 0, 'F'},
        {"unmodelled", required_argument, 0, 'U'},
        {"uart-in", required_argument, 0, 'I'},
        {"uart-out", required_argument, 0, 'O'},
        {"verbose", no_argument, 0, 'v'},
        {"quiet", no_argument, 0, 'q'},
        {"profile", no_argument, 0, 'p'},
        {"db", required_argument, 0, 'D'},
        {"tag", required_argument, 0, 'T'},
        {"trace", required_argument, 0, 'R'},
        {"folded", required_argument, 0, 'L'},
        {"gdb", required_argument, 0, OPT_GDB},
        {"gdb-wait", no_argument, 0, OPT_GDB_WAIT},
        {"gdb-allow-remote", no_argument, 0, OPT_GDB_ALLOW_REMOTE},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    /* Every option is read before a bad one is reported, so that its exit
     * status follows --exit-status wherever that stands. */
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "b:n:t:vqph", opts, NULL)) != -1) {
        switch (c) {
        case 'b': req.board = optarg; break;
        case 'n':
        case 't':
            if (parse_limit_option("run", c, optarg, &req.max_instructions, &req.timeout_s))
                bad = true;
            break;
        case 'j': o.json_path = optarg; break;
        case 'E':
            if (!strcmp(optarg, "mcusim")) {
                o.exit_mode = EXIT_MODE_MCUSIM;
            } else if (!strcmp(optarg, "firmware")) {
                o.exit_mode = EXIT_MODE_FIRMWARE;
            } else {
                fprintf(stderr, "mcusim run: --exit-status is mcusim or firmware, not '%s'\n", optarg);
                return EXIT_BAD_INPUT;
            }
            break;
        case 'F': req.vector_faults = true; break;
        case 'U':
            if (board_unmodelled_parse(optarg) < 0) {
                fprintf(stderr, "mcusim run: --unmodelled is stub, log or fault, not '%s'\n", optarg);
                bad = true;
            }
            req.unmodelled = optarg;
            break;
        case 'I': req.uart_in = optarg; break;
        case 'O': req.uart_out = optarg; break;
        case 'v': req.verbose = true; break;
        case 'q': o.quiet = true; break;
        case 'p': profile = true; break;
        case 'D': o.db_path = optarg; break;
        case 'T': o.tag = optarg; break;
        case 'R': o.trace = optarg; break;
        case 'L': o.folded = optarg; break;
        case OPT_GDB:
        case OPT_GDB_WAIT:
        case OPT_GDB_ALLOW_REMOTE: gdb_cli_option(&gdb_cli, c, optarg); break;
        case 'h': usage(stdout); return 0;
        default: bad = bad_usage = true; break; /* getopt said which */
        }
    }
    if (bad || optind >= argc) {
        if (bad_usage || !bad)
            usage(stderr);
        return exit_with(o.exit_mode, EXIT_BAD_INPUT, NULL);
    }
    struct gdb_server_options gdb;
    int has_gdb = gdb_cli_finish("run", &gdb_cli, &gdb);
    if (has_gdb < 0)
        return exit_with(o.exit_mode, EXIT_BAD_INPUT, NULL);
    o.gdb = has_gdb ? &gdb : NULL;
    /* getopt moved the options first; what remains is the firmware and,
     * after "--" (which getopt consumed), the firmware's own arguments. */
    req.firmware = argv[optind++];
    req.args = argv + optind;
    req.n_args = argc - optind;
    if (profile)
        return run_profiled(&req, argc, argv, &o);
    static const struct gdbstub_monitor layer = {
        .name = "layer",
        .help = "the layer running now (when the run is measured)",
        .run = monitor_layer_unmeasured,
    };
    if (o.gdb) {
        gdb.monitors = &layer;
        gdb.n_monitors = 1;
        req.gdb = &gdb;
    }

    struct run_outcome out;
    if (run_firmware(&req, &out)) {
        fprintf(stderr, "mcusim: %s\n", out.error);
        run_outcome_free(&out);
        return exit_with(o.exit_mode, out.error_status, NULL);
    }
    int status = exit_with(o.exit_mode, run_exit_status(&out.result), &out.result);
    run_print_summary(&out, o.quiet, stderr);
    if (o.json_path && run_write_json(&out, status, o.json_path)) {
        fprintf(stderr, "mcusim: %s: cannot write JSON: %s\n", o.json_path, strerror(errno));
        status = exit_with(o.exit_mode, EXIT_INTERNAL, NULL);
    }
    run_outcome_free(&out);
    return status;
}
