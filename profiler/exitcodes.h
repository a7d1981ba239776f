/*
 * exitcodes.h — the exit statuses of the mcusim program, documented in the
 * README's one table.  They are also the outcome of a run as the profiler
 * stores it (runs.exit_code), so the library and the program share them.
 * A firmware that exits normally passes its own status through;
 * mcusim's own outcomes use the values below, chosen above the range small
 * firmware statuses usually take.
 */
#ifndef MCUSIM_EXITCODES_H
#define MCUSIM_EXITCODES_H

enum mcusim_exit {
    EXIT_OK_STATUS = 0,
    EXIT_BUDGET_EXCEEDED = 1, /* gate: a budget does not hold */
    EXIT_BAD_INPUT = 2,       /* unreadable/invalid file or arguments */
    EXIT_FAULT = 3,           /* the firmware faulted (HardFault, lockup, bad access) */
    EXIT_LIMIT = 4,           /* instruction or wall-clock limit reached */
    EXIT_INTERNAL = 5,        /* mcusim itself failed (I/O, database) */
    EXIT_NO_FIT = 6,          /* the model does not fit the board */
};

#endif
