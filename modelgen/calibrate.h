/*
 * calibrate.h — turning randomly initialized layers into a well-conditioned
 * network and measuring its activation ranges.
 *
 * A trained TinyML network has batch normalization folded into its
 * convolutions: every output channel has its own mean and spread, which is
 * what makes per-channel weight scales matter.  Random weights alone give
 * activations that grow, shrink or collapse with depth.  So, layer by layer
 * on the calibration inputs (inputs.h), each weighted layer is normalized as
 * a folded batch norm would be: channel c's pre-activation values get mean
 * beta[c] and standard deviation gamma[c] (drawn by graph.c), by scaling
 * the channel's weights and setting its bias.
 *
 * The ranges are then, for every tensor, the min and max over all
 * MG_CALIBRATION_INPUTS calibration inputs — what the TFLite converter does
 * with its representative dataset — for quantize.c.  They need more inputs
 * than normalization: a range set by a few dozen inputs is exceeded by many
 * new ones, which are then clipped.  The inputs run in batches of
 * MG_NORMALIZATION_INPUTS, layer by layer, so that each layer's weights are
 * read once per batch; the first batch is the normalization pass itself,
 * whose last run of each layer already has the final weights.
 */
#ifndef MCUSIM_MG_CALIBRATE_H
#define MCUSIM_MG_CALIBRATE_H

#include "graph.h"

/* Normalizes g and, with `ranges`, records the ranges over all
 * calibration inputs (a float32 model needs none: then only the
 * normalization pass runs).  Returns 0, or -1 with g->error set. */
int mg_calibrate(struct mg_graph *g, int ranges);

#endif
