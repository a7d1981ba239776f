/*
 * cmd_profile.c — 'mcusim profile': one inference of a .tflite model on a
 * simulated board, measured per layer and stored in the run database.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "exitcodes.h"
#include "profile_output.h"
#include "run_support.h"
#include "session.h"

static void usage(FILE *out)
{
    char runtimes[64];
    runtime_names_text("|", "|", runtimes, sizeof runtimes);
    fprintf(out,
            "usage: mcusim profile MODEL.tflite [options]\n\n"
            "Runs one inference of an int8 .tflite model with an inference runtime's firmware\n"
            "(mcusim's own by default) on a simulated board and reports cycles, instructions,\n"
            "time, RAM, flash and estimated energy per layer.  The run is stored, with its\n"
            "runtime and kernels, in the database for reports, comparisons and gates.  The\n"
            "firmware prints the output tensor ('output: ...').\n\n"
            "options:\n"
            "  -b, --board NAME|FILE     board (default: nano33ble; see 'mcusim boards')\n"
            "  -r, --runtime NAME        inference runtime: %s (default: %s)\n"
            "  -k, --kernels NAME        kernel family of the runtime (default: its first):\n",
            runtimes, RUNTIME_DEFAULT);
    const struct runtime_image *ri;
    for (size_t i = 0; (ri = runtime_image_at(i)); i++) {
        if (i > 0 && !strcmp(runtime_image_at(i - 1)->runtime, ri->runtime))
            continue;
        char kernels[64];
        runtime_kernels_text(ri->runtime, "|", "|", kernels, sizeof kernels);
        fprintf(out, "                              %s: %s\n", ri->runtime, kernels);
    }
    fprintf(out,
            "  -i, --input FILE          raw bytes of the input tensor (default: fixed pseudo-random data)\n"
            "  -o, --output FILE         write the raw bytes of the output tensor\n"
            "      --db FILE             run database (default: mcusim.db)\n"
            "      --no-db               do not store the run\n"
            "      --tag TEXT            label the run (reports and gates select by tag)\n"
            "      --json PATH           write the run summary and layers as JSON ('-': stdout)\n"
            "      --trace FILE.json     Chrome trace of layers and functions (Perfetto, chrome://tracing)\n"
            "      --folded FILE         folded stacks for flamegraph.pl and speedscope\n"
            "      --firmware FILE.elf   use this runtime image instead of the built one\n"
            GDB_OPTIONS_HELP
            "  -n, --max-instructions N  stop after N instructions\n"
            "  -t, --timeout SECONDS     stop after this much host time\n"
            "  -q, --quiet               no per-layer table\n"
            "  -v, --verbose             registers and last blocks on a fault\n"
            "  -h, --help                this help\n\n"
            "exit status: 0 ok, 2 bad input (model, input, board), 3 firmware fault,\n"
            "  4 limit reached, 5 internal error, 6 the model does not fit the board\n");
}

char *join_command_line(int argc, char **argv)
{
    size_t len = 8;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *s = malloc(len);
    if (!s)
        return NULL;
    strcpy(s, "mcusim");
    for (int i = 0; i < argc; i++) {
        strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

int cmd_profile(int argc, char **argv)
{
    struct profile_job job;
    profile_job_init(&job);
    job.db_path = "mcusim.db";
    const char *json_path = NULL;
    bool quiet = false;
    struct gdb_cli_options gdb_cli = {0};
    static const struct option opts[] = {
        {"board", required_argument, 0, 'b'},
        {"runtime", required_argument, 0, 'r'},
        {"kernels", required_argument, 0, 'k'},
        {"input", required_argument, 0, 'i'},
        {"output", required_argument, 0, 'o'},
        {"db", required_argument, 0, 'D'},
        {"no-db", no_argument, 0, 'N'},
        {"tag", required_argument, 0, 'T'},
        {"json", required_argument, 0, 'j'},
        {"trace", required_argument, 0, 'R'},
        {"folded", required_argument, 0, 'F'},
        {"firmware", required_argument, 0, 'W'},
        {"max-instructions", required_argument, 0, 'n'},
        {"timeout", required_argument, 0, 't'},
        {"gdb", required_argument, 0, OPT_GDB},
        {"gdb-wait", no_argument, 0, OPT_GDB_WAIT},
        {"gdb-allow-remote", no_argument, 0, OPT_GDB_ALLOW_REMOTE},
        {"quiet", no_argument, 0, 'q'},
        {"verbose", no_argument, 0, 'v'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "b:r:k:i:o:n:t:qvh", opts, NULL)) != -1) {
        switch (c) {
        case 'b': job.board = optarg; break;
        case 'r': job.runtime = optarg; break;
        case 'k': job.kernels = optarg; break;
        case 'i': job.input = optarg; break;
        case 'o': job.output = optarg; break;
        case 'D': job.db_path = optarg; break;
        case 'N': job.db_path = NULL; break;
        case 'T': job.tag = optarg; break;
        case 'j': json_path = optarg; break;
        case 'R': job.trace_path = optarg; break;
        case 'F': job.folded_path = optarg; break;
        case 'W': job.firmware = optarg; break;
        case 'n':
        case 't':
            if (parse_limit_option("profile", c, optarg, &job.max_instructions, &job.timeout_s))
                return EXIT_BAD_INPUT;
            break;
        case OPT_GDB:
        case OPT_GDB_WAIT:
        case OPT_GDB_ALLOW_REMOTE: gdb_cli_option(&gdb_cli, c, optarg); break;
        case 'q': quiet = true; break;
        case 'v': job.verbose = true; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return EXIT_BAD_INPUT;
        }
    }
    /* The runtime and its kernel families (runtime_images.h), checked once
     * every option is read. */
    char why[512];
    if (!runtime_image_resolve(job.runtime, job.kernels, why, sizeof why)) {
        fprintf(stderr, "mcusim profile: %s\n", why);
        return EXIT_BAD_INPUT;
    }
    if (optind != argc - 1) {
        usage(stderr);
        return EXIT_BAD_INPUT;
    }
    struct gdb_server_options gdb;
    int has_gdb = gdb_cli_finish("profile", &gdb_cli, &gdb);
    if (has_gdb < 0)
        return EXIT_BAD_INPUT;
    job.gdb = has_gdb ? &gdb : NULL;
    job.model = argv[optind];
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
    if (!quiet)
        profile_print_table(&session.run, stdout);
    /* A run that did not succeed says so on stderr, table or not, in one
     * line naming the model (the table goes to stdout, often a file). */
    if (strcmp(session.run.status, "ok"))
        fprintf(stderr, "mcusim: %s: %s: %s\n", job.model, session.run.status, session.run.diagnostic);
    if (session.run_id && !quiet)
        printf("stored as run %lld in %s\n", (long long)session.run_id, job.db_path);
    int status = session.exit_status;
    if (json_path && profile_write_json(&session, status, json_path)) {
        fprintf(stderr, "mcusim: %s: cannot write JSON\n", json_path);
        status = EXIT_INTERNAL;
    }
    session_close(&session);
    return status;
}
