/*
 * cmd_model.c — 'mcusim model build|info': the model verbs.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "exitcodes.h"

int cmd_model(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "build"))
        return cmd_model_build(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "info"))
        return cmd_model_info(argc - 1, argv + 1);
    FILE *out = (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) ? stdout : stderr;
    fprintf(out, "usage: mcusim model build SPEC -o FILE.tflite   synthesize an int8 model\n"
                 "       mcusim model info FILE.tflite            layers, shapes, MACs, arena\n");
    return out == stdout ? 0 : EXIT_BAD_INPUT;
}
