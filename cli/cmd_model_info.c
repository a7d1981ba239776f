/* cmd_model_info.c — placeholder while the command is written. */
#include <stdio.h>
#include "commands.h"
int cmd_model_info(int argc, char **argv) { fprintf(stderr, "mcusim: '%s' is not built yet\n", argv[0]); return 5; }
