/*
 * ldscript.h — writes the GNU ld linker script for a board.
 *
 * Firmware images are linked against a script derived from the board file
 * (its main flash and RAM, its stack size), so a board needs no hand-written
 * script.  Layout, in flash: vector table, code, read-only data, .data
 * initializers, then the model slot up to the end of flash; in RAM: .data,
 * .bss, the tensor arena, a 1 KB stack guard, the stack at the top.
 */
#ifndef MCUSIM_LDSCRIPT_H
#define MCUSIM_LDSCRIPT_H

#include <stdio.h>

#include "board.h"

int ldscript_write(const struct board *b, FILE *out);

#endif
