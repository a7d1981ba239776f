/*
 * mcusim_tflm_profiler.h — per-layer profiling of any TensorFlow Lite Micro
 * application under mcusim: a tflite::MicroProfilerInterface that marks
 * every operator TFLM invokes with mcusim's region records (the contract in
 * runtime/port/mcusim.h), so that `mcusim run FIRMWARE.elf --profile` shows
 * one row per layer with cycles, instructions, instruction mix, RAM and
 * energy, as for mcusim's own runtime.
 *
 * Drop this header and mcusim_tflm_profiler.cc into your application, with
 * runtime/port/ (mcusim.h, mcusim_records.h) on the include path, and build
 * them with your own toolchain and TFLM flags:
 *
 *   const tflite::Model *model = tflite::GetModel(g_model);
 *   static mcusim::TflmProfiler profiler(model);
 *   tflite::MicroInterpreter interpreter(model, resolver, arena, kArenaSize,
 *                                        nullptr, &profiler);
 *   interpreter.AllocateTensors();
 *   profiler.ReportArena(arena, kArenaSize, interpreter.arena_used_bytes());
 *   profiler.BeginInference();
 *   interpreter.Invoke();
 *   profiler.EndInference();
 *
 * The markers are writes to ITM stimulus ports 1-3, skipped when no
 * debugger enabled the ITM, so the same image runs on a board without a
 * probe.  (ARMv6-M has no ITM: there a marker is semihosting call 0x100,
 * which needs a debugger or mcusim, as mcusim.h explains.)
 *
 * Each top-level event of an inference is a layer: its index is the
 * operator's position in subgraph 0, op code, output shape and MACs come
 * from the model, the name is the tag TFLM passes (the op name).  Events
 * nested inside a layer (the operators of an IF or WHILE body, say) become
 * named regions below it.  The kernel name is "tflm_ref" for TFLM's
 * reference kernels; in a build with -DCMSIS_NN (TFLM's
 * OPTIMIZED_KERNEL_DIR=cmsis_nn) it is, for int8 layers, the CMSIS-NN
 * function TFLM's kernel reaches (the wrappers' choice, mirrored from
 * CMSIS-NN's sources: arm_convolve_1x1_s8_fast, arm_depthwise_conv_3x3_s8,
 * ...).
 *
 * No heap, no stdio: the records are in the object itself.  BeginInference
 * describes every layer (a walk of the flatbuffer) before the INFERENCE
 * region starts, so that the per-layer work inside it is a copy, as in
 * mcusim's own runtime: about 36 bytes of static RAM per operator, for up
 * to MCUSIM_TFLM_MAX_LAYERS operators (default 128; more are described as
 * they run).
 */
#ifndef MCUSIM_TFLM_PROFILER_H
#define MCUSIM_TFLM_PROFILER_H

#include <cstddef>
#include <cstdint>

#include "mcusim_records.h"
#include "tensorflow/lite/micro/micro_profiler_interface.h"
#include "tensorflow/lite/schema/schema_generated.h"

#ifndef MCUSIM_TFLM_MAX_LAYERS
#define MCUSIM_TFLM_MAX_LAYERS 128
#endif

namespace mcusim {

class TflmProfiler : public tflite::MicroProfilerInterface {
 public:
  // Deepest nesting of events kept; deeper events are not marked.
  static constexpr int kMaxDepth = 8;

  explicit TflmProfiler(const tflite::Model* model);

  // Information records for the profiler's RAM and flash accounting:
  // the tensor arena (base, capacity, TFLM's arena_used_bytes()) and the
  // model (address, size in bytes).  Call after AllocateTensors().
  void ReportArena(const void* arena, size_t capacity, size_t used_bytes);
  void ReportModel(const void* model_data, size_t model_bytes);

  // Around MicroInterpreter::Invoke(): one INFERENCE region.  Also
  // restarts the operator count.
  void BeginInference();
  void EndInference();

  uint32_t BeginEvent(const char* tag) override;
  void EndEvent(uint32_t event_handle) override;

  // The family the image was built with: "cmsis-nn" or "ref".
  static const char* KernelFamily();

 private:
  // What a layer's record holds beyond its name, precomputed.
  struct Layer {
    uint32_t op, out_dims, macs_lo, macs_hi;
    int32_t out_shape[4];
    const char* kernel;
  };

  void DescribeLayer(uint32_t index, Layer* l) const;
  void FillLayer(uint32_t index, const char* tag, struct mcusim_region* r) const;

  const tflite::Model* model_;
  uint32_t num_operators_;
  uint32_t described_;  // layers_[0 .. described_) are valid
  uint32_t next_operator_;
  int depth_;
  uint32_t arena_used_;
  struct mcusim_region inference_;
  struct mcusim_region events_[kMaxDepth];
  Layer layers_[MCUSIM_TFLM_MAX_LAYERS];
};

}  // namespace mcusim

#endif  // MCUSIM_TFLM_PROFILER_H
