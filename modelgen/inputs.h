/*
 * inputs.h — deterministic pseudo-random inputs for a synthesized network.
 *
 * Calibration (calibrate.c) and the tests feed networks with these.  They
 * are smooth random fields rather than white noise — a coarse random grid
 * interpolated bilinearly, plus a little fine noise, with a per-input gain
 * and offset — so that, like images, spectrograms or sensor frames, they
 * have structure at several scales and differ from one another in more than
 * noise; otherwise every input would look alike after global pooling.
 *
 * Input `index` of a seed is always the same.  Calibration uses indices
 * 0 .. MG_CALIBRATION_INPUTS-1 (normalization the first
 * MG_NORMALIZATION_INPUTS of them); MG_HELDOUT_INPUT_BASE and up are never
 * seen by calibration, for tests that measure the quantized model honestly.
 */
#ifndef MCUSIM_MG_INPUTS_H
#define MCUSIM_MG_INPUTS_H

#include "graph.h"

#define MG_CALIBRATION_INPUTS 64
#define MG_NORMALIZATION_INPUTS 16
#define MG_HELDOUT_INPUT_BASE 1000

/* Fills `out` (the input tensor's element count) with input `index`.
 * Returns 0, or -1 when out of memory. */
int mg_make_input(const struct mg_graph *g, int index, float *out);

#endif
