/*
 * tflm_ops.h — the operator registration of the project's TFLM images and
 * host oracle: every operator TFLM's MicroMutableOpResolver offers (what
 * the removed AllOpsResolver registered), so that any model TFLM can run
 * runs without a per-model op list.
 *
 * Two are left out: the signal library's RFFT and IRFFT, which need
 * kissfft, not part of the pinned source tree (see tflm_sources.py).
 */
#ifndef MCUSIM_TFLM_OPS_H
#define MCUSIM_TFLM_OPS_H

#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"

namespace mcusim {

// Room for every registration below (the resolver's template argument).
constexpr unsigned int kTflmOpCount = 120;
using TflmOpResolver = tflite::MicroMutableOpResolver<kTflmOpCount>;

// Registers every operator; kTfLiteError when one could not be added.
TfLiteStatus RegisterAllOps(TflmOpResolver& resolver);

}  // namespace mcusim

#endif  // MCUSIM_TFLM_OPS_H
