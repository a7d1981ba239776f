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
            "      --vector-faults        deliver faults to the firmware's fault handlers\n"
            "                             (default: stop at the faulting instruction)\n"
            "  -v, --verbose              on a fault, add registers and the last executed blocks\n"
            "  -p, --profile              measure the run (regions the firmware marks on ITM,\n"
            "                             functions from the ELF symbols) and store it\n"
            "      --db FILE              run database for --profile (default: mcusim.db)\n"
            "      --tag TEXT             label the profiled run\n"
            "      --trace FILE.json      with --profile: Chrome trace of regions and functions\n"
            "      --folded FILE          with --profile: folded stacks (flamegraph.pl, speedscope)\n"
            "  -q, --quiet                no summary on stderr\n"
            "  -h, --help                 this help\n\n"
            "exit status: the firmware's own exit status when it exits; otherwise\n"
            "  2 bad input (unreadable ELF, segment outside the board's memory, bad board)\n"
            "  3 the firmware faulted    4 a limit was reached    5 internal error\n",
            (unsigned long long)RUN_DEFAULT_MAX_INSNS, RUN_DEFAULT_TIMEOUT_S);
}

static int run_profiled(const struct run_request *req, int argc, char **argv, const char *db_path,
                        const char *tag, const char *trace, const char *folded, const char *json_path, bool quiet)
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
    job.db_path = db_path;
    job.tag = tag;
    job.trace_path = trace;
    job.folded_path = folded;
    job.out = stdout;
    job.err = stderr;
    char *cmdline = join_command_line(argc, argv);
    job.cmdline = cmdline;
    struct profile_session session;
    int rc = session_execute(&session, &job);
    free(cmdline);
    if (session.regs_dump[0])
        fprintf(stderr, "%s\n", session.regs_dump);
    if (rc) {
        fprintf(stderr, "mcusim: %s\n", session.error);
        session_close(&session);
        return session.exit_status ? session.exit_status : EXIT_INTERNAL;
    }
    if (!quiet) {
        profile_print_table(&session.run, stderr);
        fprintf(stderr, "stored as run %lld in %s\n", (long long)session.run_id, db_path);
    }
    int status = session.exit_status;
    if (json_path && profile_write_json(&session, json_path))
        status = EXIT_INTERNAL;
    session_close(&session);
    return status;
}

int cmd_run(int argc, char **argv)
{
    struct run_request req;
    run_request_init(&req);
    const char *json_path = NULL, *db_path = "mcusim.db", *tag = NULL, *trace = NULL, *folded = NULL;
    bool quiet = false, profile = false;
    static const struct option opts[] = {
        {"board", required_argument, 0, 'b'},
        {"max-instructions", required_argument, 0, 'n'},
        {"timeout", required_argument, 0, 't'},
        {"json", required_argument, 0, 'j'},
        {"vector-faults", no_argument, 0, 'F'},
        {"verbose", no_argument, 0, 'v'},
        {"quiet", no_argument, 0, 'q'},
        {"profile", no_argument, 0, 'p'},
        {"db", required_argument, 0, 'D'},
        {"tag", required_argument, 0, 'T'},
        {"trace", required_argument, 0, 'R'},
        {"folded", required_argument, 0, 'L'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "b:n:t:vqph", opts, NULL)) != -1) {
        switch (c) {
        case 'b': req.board = optarg; break;
        case 'n':
        case 't':
            if (parse_limit_option("run", c, optarg, &req.max_instructions, &req.timeout_s))
                return EXIT_BAD_INPUT;
            break;
        case 'j': json_path = optarg; break;
        case 'F': req.vector_faults = true; break;
        case 'v': req.verbose = true; break;
        case 'q': quiet = true; break;
        case 'p': profile = true; break;
        case 'D': db_path = optarg; break;
        case 'T': tag = optarg; break;
        case 'R': trace = optarg; break;
        case 'L': folded = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return EXIT_BAD_INPUT;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return EXIT_BAD_INPUT;
    }
    /* getopt moved the options first; what remains is the firmware and,
     * after "--" (which getopt consumed), the firmware's own arguments. */
    req.firmware = argv[optind++];
    req.args = argv + optind;
    req.n_args = argc - optind;
    if (profile)
        return run_profiled(&req, argc, argv, db_path, tag, trace, folded, json_path, quiet);

    struct run_outcome out;
    if (run_firmware(&req, &out)) {
        fprintf(stderr, "mcusim: %s\n", out.error);
        run_outcome_free(&out);
        return out.error_status;
    }
    int rc = run_exit_status(&out.result);
    if (!quiet)
        run_print_summary(&out, stderr);
    if (json_path && run_write_json(&out, json_path)) {
        fprintf(stderr, "mcusim: %s: cannot write JSON: %s\n", json_path, strerror(errno));
        rc = EXIT_INTERNAL;
    }
    run_outcome_free(&out);
    return rc;
}
