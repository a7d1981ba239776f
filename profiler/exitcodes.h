/*
 * exitcodes.h — the exit statuses of the mcusim program, documented in the
 * README's one table.  They are also the outcome of a run as the profiler
 * stores it (runs.exit_code), so the library and the program share them.
 *
 * Every command uses 0-6 below.  'run' reports mcusim's own outcome by
 * default (a firmware that exits with a non-zero status is 1: the run
 * happened and the answer is no); 'run --exit-status firmware' passes the
 * firmware's own status through instead, as QEMU does, and moves mcusim's
 * own outcomes 2-6 out of the firmware's usual range, to
 * EXIT_FIRMWARE_MODE_BASE + the status (242-246).
 */
#ifndef MCUSIM_EXITCODES_H
#define MCUSIM_EXITCODES_H

enum mcusim_exit {
    EXIT_OK_STATUS = 0,
    EXIT_ANSWER_NO = 1,       /* the command ran and the answer is no: a budget does not hold (gate),
                                 runs failed (sweep), the firmware exited with a non-zero status (run) */
    EXIT_BAD_INPUT = 2,       /* unreadable/invalid file or arguments */
    EXIT_FAULT = 3,           /* the firmware faulted (HardFault, lockup, bad access) */
    EXIT_LIMIT = 4,           /* instruction or wall-clock limit reached */
    EXIT_INTERNAL = 5,        /* mcusim itself failed (I/O, database) */
    EXIT_NO_FIT = 6,          /* the model does not fit the board */
};

#define EXIT_FIRMWARE_MODE_BASE 240

#endif
