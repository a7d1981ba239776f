/*
 * main.c — the mcusim program: dispatches to one subcommand per verb.
 *
 * Every subcommand lives in cmd_<verb>.c and parses its own options; this
 * file only knows the table below and prints the overview for --help.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "exitcodes.h"

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"run", cmd_run, "run a firmware ELF on a simulated board"},
    {"profile", cmd_profile, "profile one inference of a .tflite model, per layer"},
    {"bench", cmd_bench, "measure simulation speed against the engine and QEMU"},
    {"boards", cmd_boards, "list the boards mcusim knows"},
    {"ops", cmd_ops, "the operators the runtime runs, per type and kernel family"},
    {"model", cmd_model, "build a synthetic .tflite model, or describe one"},
    {"fit", cmd_fit, "which model variants fit a board, and the largest within budgets"},
    {"sweep", cmd_sweep, "profile every combination a manifest names, in parallel"},
    {"db", cmd_db, "merge and check run databases"},
    {"report", cmd_report, "per-layer report of a stored run (text, md, html, csv, json)"},
    {"compare", cmd_compare, "compare stored runs side by side: kernels, models, boards"},
    {"gate", cmd_gate, "check stored runs against RAM, flash, latency and energy budgets"},
    {"runs", cmd_runs, "list stored runs, or remove some ('runs rm')"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: mcusim <command> [options]\n\n"
                 "A cycle-accurate Cortex-M simulator and TinyML profiler.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'mcusim <command> --help' describes a command's options.\n");
}

int main(int argc, char **argv)
{
    /* Past a file size limit (ulimit -f, as some CI runners set), a write
     * should fail with EFBIG and be reported like a full disk, not kill
     * the process with SIGXFSZ half way through storing a run. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2) {
        usage(stderr);
        return EXIT_BAD_INPUT;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("mcusim %s\n", MCUSIM_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "mcusim: unknown command '%s' (see 'mcusim --help')\n", argv[1]);
    return EXIT_BAD_INPUT;
}
