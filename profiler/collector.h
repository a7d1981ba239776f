/*
 * collector.h — the simulator observer that measures a run.
 *
 * It turns the simulator's events into a struct prof_run:
 *   - blocks: counted per block (the instruction mix and memory accesses of
 *     a stretch follow from the counts and each block's static facts) and
 *     attributed to the calling context (a call tree built from BL/BLX and
 *     returns, exceptions included), which gives functions' self and total
 *     cycles and the folded stacks;
 *   - ITM markers: regions (the inference, each layer, user regions) with
 *     exact cycle and instruction counts at the marking instructions;
 *   - memory: stack and arena scanned at each marker (memwatch.h).
 * It keeps memory proportional to blocks, functions and layers, never to
 * the number of instructions executed.
 */
#ifndef MCUSIM_COLLECTOR_H
#define MCUSIM_COLLECTOR_H

#include <stdio.h>

#include "run_record.h"
#include "sim.h"

struct collector;

struct collector_options {
    uint64_t trace_min_cycles;   /* function calls at least this long go to the trace */
    int trace_max_events;        /* cap on recorded calls (0: no call events) */
};

struct collector *collector_create(const struct collector_options *opt);
void collector_destroy(struct collector *c);

/* After the image is loaded, before the run: paints memory, reads symbols
 * (DWARF from elf_path), and returns the observer to install. */
int collector_attach(struct collector *c, struct sim *s, const char *elf_path, struct sim_observer *obs,
                     char *err, size_t errlen);

/* After the run, while the simulation still exists: fills the measured
 * parts of run (totals, layers, functions, RAM); the caller fills
 * identity, flash and status.  The trace and folded stacks can be written
 * afterwards, also once the simulation is gone. */
int collector_finish(struct collector *c, const struct sim_result *res, struct prof_run *run);

/* Where the run is now, for a debugger ('monitor layer'): the regions
 * open (innermost first: the layer, its kernel, MACs and shape, the
 * cycles and instructions since it began) and the function running.
 * cycles/instructions are the run's position (debug.h). */
void collector_describe(const struct collector *c, uint64_t cycles, uint64_t instructions, char *out,
                        size_t len);

/* Chrome trace event JSON (Perfetto, chrome://tracing): regions as slices
 * on a simulated-time axis, long function calls nested under them. */
int collector_write_trace(const struct collector *c, const struct prof_run *run, FILE *f);

/* Folded stacks ("a;b;c cycles" per line) for flamegraph.pl / speedscope. */
int collector_write_folded(const struct collector *c, FILE *f);

#endif
