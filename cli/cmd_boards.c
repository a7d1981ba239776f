/*
 * cmd_boards.c — 'mcusim boards': lists the boards, checks a board file,
 * writes a board's linker script for building firmware, lists a board's
 * peripherals or every peripheral model.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "commands.h"
#include "exitcodes.h"
#include "ldscript.h"
#include "periph.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mcusim boards                      list the known boards\n"
            "       mcusim boards --check FILE|NAME    validate one board file\n"
            "       mcusim boards --ldscript FILE|NAME [-o OUT.ld]\n"
            "                                          write the board's linker script\n"
            "       mcusim boards --peripherals FILE|NAME\n"
            "                                          the board's peripheral models, addresses,\n"
            "                                          interrupts and clocks\n"
            "       mcusim boards --models             every peripheral model a board file can name\n\n"
            "Boards are INI files in %s (override with $MCUSIM_BOARDS).\n",
            board_dir());
}

static void format_size(uint32_t bytes, char *buf, size_t len)
{
    if (bytes % (1024 * 1024) == 0)
        snprintf(buf, len, "%u MB", bytes / (1024 * 1024));
    else
        snprintf(buf, len, "%u KB", bytes / 1024);
}

static void print_peripherals(const struct board *b)
{
    printf("%s: peripheral space not modelled below: %s\n", b->name, board_unmodelled_name(b->unmodelled));
    printf("%-12s %-16s %-23s %-14s %s\n", "NAME", "MODEL", "ADDRESS", "IRQ", "CLOCK");
    for (int i = 0; i < b->n_periphs; i++) {
        const struct board_periph *p = &b->periphs[i];
        char range[32], irqs[32] = "";
        snprintf(range, sizeof range, "0x%08x-0x%08x", p->base, p->base + p->size - 1);
        for (int k = 0; k < p->n_irqs; k++) {
            size_t len = strlen(irqs);
            if (p->irq[k] < 0)
                snprintf(irqs + len, sizeof irqs - len, "%s-", k ? "," : "");
            else
                snprintf(irqs + len, sizeof irqs - len, "%s%d", k ? "," : "", p->irq[k]);
        }
        printf("%-12s %-16s %-23s %-14s %s%s\n", p->name, p->model, range, irqs[0] ? irqs : "-",
               p->clock[0] ? p->clock : "core", p->console ? " (console)" : "");
    }
}

static void print_models(void)
{
    const struct periph_model *const *models;
    int n = periph_models(&models);
    for (int i = 0; i < n; i++)
        printf("%-16s %s\n", models[i]->name, models[i]->summary);
}

int cmd_boards(int argc, char **argv)
{
    const char *check = NULL, *ldscript = NULL, *output = NULL, *periphs = NULL;
    bool models = false;
    static const struct option opts[] = {
        {"check", required_argument, 0, 'c'},
        {"ldscript", required_argument, 0, 'l'},
        {"peripherals", required_argument, 0, 'p'},
        {"models", no_argument, 0, 'm'},
        {"output", required_argument, 0, 'o'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': check = optarg; break;
        case 'l': ldscript = optarg; break;
        case 'p': periphs = optarg; break;
        case 'm': models = true; break;
        case 'o': output = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return EXIT_BAD_INPUT;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "mcusim boards: unexpected argument '%s'\n", argv[optind]);
        return EXIT_BAD_INPUT;
    }
    char err[BOARD_ERR_LEN];
    struct board b;
    if (models) {
        print_models();
        return 0;
    }
    if (periphs) {
        if (board_find(periphs, &b, err, sizeof err)) {
            fprintf(stderr, "mcusim: %s\n", err);
            return EXIT_BAD_INPUT;
        }
        print_peripherals(&b);
        return 0;
    }
    if (check || ldscript) {
        if (board_find(check ? check : ldscript, &b, err, sizeof err)) {
            fprintf(stderr, "mcusim: %s\n", err);
            return EXIT_BAD_INPUT;
        }
        if (check) {
            printf("%s: ok (%s, %s, %u Hz)\n", b.path, b.name, core_name(b.core), b.clock_hz);
            return 0;
        }
        FILE *out = output ? fopen(output, "w") : stdout;
        if (!out) {
            perror(output);
            return EXIT_INTERNAL;
        }
        int rc = ldscript_write(&b, out);
        if (output && fclose(out))
            rc = -1;
        return rc ? EXIT_INTERNAL : 0;
    }
    struct board *list;
    int n = board_list(&list, err, sizeof err);
    if (n < 0) {
        fprintf(stderr, "mcusim: %s\n", err);
        return EXIT_BAD_INPUT;
    }
    printf("%-16s %-14s %5s %9s %9s  %s\n", "BOARD", "CORE", "FPU", "CLOCK", "FLASH/RAM", "DESCRIPTION");
    for (int i = 0; i < n; i++) {
        char fl[32], ram[32], mem[64];
        format_size(board_main_region(&list[i], REGION_FLASH)->size, fl, sizeof fl);
        format_size(board_main_region(&list[i], REGION_RAM)->size, ram, sizeof ram);
        snprintf(mem, sizeof mem, "%s/%s", fl, ram);
        printf("%-16s %-14s %5s %5u MHz %13s  %s\n", list[i].name, core_name(list[i].core),
               list[i].core->fpu ? "yes" : "no", list[i].clock_hz / 1000000, mem, list[i].description);
    }
    free(list);
    return 0;
}
