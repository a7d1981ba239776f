/*
 * mcusim_tflm_profiler.cc — see mcusim_tflm_profiler.h.
 *
 * Layer records are filled from the model's flatbuffer (TFLM's own tables
 * are private to the interpreter): op code, output shape and MACs with the
 * same definitions mcusim's runtime uses (runtime/ops/), so that layers of
 * the two runtimes compare index by index.
 */
#include "mcusim_tflm_profiler.h"

#include <cstring>

#include "mcusim.h"
#include "tensorflow/lite/schema/schema_utils.h"

namespace mcusim {

namespace {

const tflite::SubGraph* MainSubgraph(const tflite::Model* model) {
  if (model == nullptr || model->subgraphs() == nullptr || model->subgraphs()->size() == 0) {
    return nullptr;
  }
  return model->subgraphs()->Get(0);
}

const tflite::Tensor* TensorAt(const tflite::SubGraph* g, const flatbuffers::Vector<int32_t>* list,
                               uint32_t i) {
  if (list == nullptr || i >= list->size() || g->tensors() == nullptr) return nullptr;
  int32_t t = list->Get(i);
  if (t < 0 || static_cast<uint32_t>(t) >= g->tensors()->size()) return nullptr;
  return g->tensors()->Get(t);
}

int32_t Dim(const tflite::Tensor* t, uint32_t i) {
  if (t == nullptr || t->shape() == nullptr || i >= t->shape()->size()) return 0;
  return t->shape()->Get(i);
}

uint32_t Rank(const tflite::Tensor* t) {
  return t != nullptr && t->shape() != nullptr ? t->shape()->size() : 0;
}

uint64_t Elements(const tflite::Tensor* t) {
  if (t == nullptr || t->shape() == nullptr) return 0;
  uint64_t n = 1;
  for (uint32_t i = 0; i < t->shape()->size(); i++) {
    int32_t d = t->shape()->Get(i);
    n *= d > 0 ? static_cast<uint64_t>(d) : 0;
  }
  return n;
}

// Shape into 4 entries; higher ranks fold their leading dimensions (as
// runtime/rt_interp.c does).
void FillShape(const tflite::Tensor* t, struct mcusim_region* r) {
  uint32_t n = Rank(t);
  uint32_t lead = n > 4 ? n - 3 : 0;
  int32_t folded = 1;
  for (uint32_t d = 0; d < lead; d++) folded *= Dim(t, d);
  uint32_t k = 0;
  if (lead) r->out_shape[k++] = folded;
  for (uint32_t d = lead; d < n; d++) r->out_shape[k++] = Dim(t, d);
  r->out_dims = k;
  while (k < 4) r->out_shape[k++] = 0;
}

uint64_t Macs(tflite::BuiltinOperator op, const tflite::Operator* o, const tflite::Tensor* in,
              const tflite::Tensor* filter, const tflite::Tensor* out) {
  switch (op) {
    case tflite::BuiltinOperator_CONV_2D:
      return Elements(out) * Dim(filter, 1) * Dim(filter, 2) * Dim(filter, 3);
    case tflite::BuiltinOperator_DEPTHWISE_CONV_2D:
      return Elements(out) * Dim(filter, 1) * Dim(filter, 2);
    case tflite::BuiltinOperator_FULLY_CONNECTED:
      return Elements(out) * Dim(filter, 1);
    case tflite::BuiltinOperator_AVERAGE_POOL_2D:
    case tflite::BuiltinOperator_MAX_POOL_2D: {
      const tflite::Pool2DOptions* p = o->builtin_options_as_Pool2DOptions();
      return p != nullptr ? Elements(out) * p->filter_height() * p->filter_width() : 0;
    }
    case tflite::BuiltinOperator_ADD:
    case tflite::BuiltinOperator_MUL:
      return Elements(out);
    case tflite::BuiltinOperator_SOFTMAX:
    case tflite::BuiltinOperator_LOGISTIC:
    case tflite::BuiltinOperator_TANH:
    case tflite::BuiltinOperator_QUANTIZE:
    case tflite::BuiltinOperator_DEQUANTIZE:
    case tflite::BuiltinOperator_MEAN:
      return Elements(in);
    default:
      return 0;
  }
}

#if defined(CMSIS_NN)
// Padding on one side as TFLM computes it (tensorflow/lite/kernels/padding.h).
int32_t SamePadding(tflite::Padding padding, int32_t stride, int32_t dilation, int32_t in, int32_t filter,
                    int32_t out) {
  if (padding != tflite::Padding_SAME) return 0;
  int64_t effective = static_cast<int64_t>(filter - 1) * dilation + 1;
  int64_t total = static_cast<int64_t>(out - 1) * stride + effective - in;
  return total > 0 ? static_cast<int32_t>(total / 2) : 0;
}

bool PerChannel(const tflite::Tensor* filter) {
  return filter != nullptr && filter->quantization() != nullptr && filter->quantization()->scale() != nullptr &&
         filter->quantization()->scale()->size() > 1;
}

// The CMSIS-NN function that TFLM's cmsis_nn kernel calls for an int8 layer
// with int8 weights: arm_convolve_wrapper_s8, arm_depthwise_conv_wrapper_s8
// (the choice for cores without MVE) and kernels/cmsis_nn/fully_connected.cc,
// mirrored from the pinned sources.
const char* CmsisNnKernel(tflite::BuiltinOperator op, const tflite::Operator* o, const tflite::Tensor* in,
                          const tflite::Tensor* filter, const tflite::Tensor* out) {
  switch (op) {
    case tflite::BuiltinOperator_CONV_2D: {
      const tflite::Conv2DOptions* p = o->builtin_options_as_Conv2DOptions();
      if (p == nullptr || filter == nullptr || filter->type() != tflite::TensorType_INT8) break;
      int32_t pad_h = SamePadding(p->padding(), p->stride_h(), p->dilation_h_factor(), Dim(in, 1), Dim(filter, 1),
                                  Dim(out, 1));
      int32_t pad_w = SamePadding(p->padding(), p->stride_w(), p->dilation_w_factor(), Dim(in, 2), Dim(filter, 2),
                                  Dim(out, 2));
      bool same_channels = Dim(in, 3) == Dim(filter, 3);
      if (pad_h == 0 && pad_w == 0 && Dim(filter, 1) == 1 && Dim(filter, 2) == 1 && p->dilation_h_factor() == 1 &&
          p->dilation_w_factor() == 1 && same_channels) {
        return p->stride_h() == 1 && p->stride_w() == 1 ? "arm_convolve_1x1_s8_fast" : "arm_convolve_1x1_s8";
      }
      if (Dim(in, 1) == 1 && p->dilation_w_factor() == 1 && Dim(filter, 1) == 1 &&
          (p->stride_w() * Dim(in, 3)) % 4 == 0 && same_channels) {
        return "arm_convolve_1_x_n_s8";
      }
      return "arm_convolve_s8";
    }
    case tflite::BuiltinOperator_DEPTHWISE_CONV_2D: {
      const tflite::DepthwiseConv2DOptions* p = o->builtin_options_as_DepthwiseConv2DOptions();
      if (p == nullptr || filter == nullptr || filter->type() != tflite::TensorType_INT8) break;
      int32_t pad_h = SamePadding(p->padding(), p->stride_h(), p->dilation_h_factor(), Dim(in, 1), Dim(filter, 1),
                                  Dim(out, 1));
      int32_t pad_w = SamePadding(p->padding(), p->stride_w(), p->dilation_w_factor(), Dim(in, 2), Dim(filter, 2),
                                  Dim(out, 2));
      bool mult_one = Dim(in, 3) == Dim(out, 3);
      if (mult_one && Dim(in, 0) == 1 && p->dilation_h_factor() == 1 && p->dilation_w_factor() == 1) {
        return Dim(filter, 1) == 3 && Dim(filter, 2) == 3 && pad_h <= 1 && pad_w <= 1 ? "arm_depthwise_conv_3x3_s8"
                                                                                     : "arm_depthwise_conv_s8_opt";
      }
      return "arm_depthwise_conv_s8";
    }
    case tflite::BuiltinOperator_FULLY_CONNECTED:
      if (filter == nullptr || filter->type() != tflite::TensorType_INT8) break;
      if (Rank(out) > 2 && Dim(filter, 1) % 4 == 0) return "arm_convolve_1x1_s8_fast";
      return PerChannel(filter) ? "arm_fully_connected_per_channel_s8" : "arm_fully_connected_s8";
    case tflite::BuiltinOperator_ADD: return "arm_elementwise_add_s8";
    case tflite::BuiltinOperator_MUL: return "arm_elementwise_mul_s8";
    case tflite::BuiltinOperator_AVERAGE_POOL_2D: return "arm_avgpool_s8";
    case tflite::BuiltinOperator_MAX_POOL_2D: return "arm_max_pool_s8";
    case tflite::BuiltinOperator_SOFTMAX:
      return out != nullptr && out->type() == tflite::TensorType_INT16 ? "arm_softmax_s8_s16" : "arm_softmax_s8";
    case tflite::BuiltinOperator_PAD:
    case tflite::BuiltinOperator_PADV2: return "arm_pad_s8";
    case tflite::BuiltinOperator_TRANSPOSE: return "arm_transpose_s8";
    case tflite::BuiltinOperator_MAXIMUM: return "arm_maximum_s8";
    case tflite::BuiltinOperator_MINIMUM: return "arm_minimum_s8";
    case tflite::BuiltinOperator_BATCH_MATMUL: return "arm_batch_matmul_s8";
    case tflite::BuiltinOperator_TRANSPOSE_CONV: return "arm_transpose_conv_wrapper_s8";
    case tflite::BuiltinOperator_SVDF: return "arm_svdf_s8";
    case tflite::BuiltinOperator_UNIDIRECTIONAL_SEQUENCE_LSTM: return "arm_lstm_unidirectional_s8";
    default: break;
  }
  return "tflm_ref";
}
#endif

}  // namespace

TflmProfiler::TflmProfiler(const tflite::Model* model)
    : model_(model), num_operators_(0), described_(0), next_operator_(0), depth_(0), arena_used_(0) {
  const tflite::SubGraph* g = MainSubgraph(model);
  if (g != nullptr && g->operators() != nullptr) num_operators_ = g->operators()->size();
  std::memset(&inference_, 0, sizeof inference_);
  std::memset(events_, 0, sizeof events_);
}

const char* TflmProfiler::KernelFamily() {
#if defined(CMSIS_NN)
  return "cmsis-nn";
#else
  return "ref";
#endif
}

void TflmProfiler::ReportArena(const void* arena, size_t capacity, size_t used_bytes) {
  arena_used_ = static_cast<uint32_t>(used_bytes);
  // The simulator reads the record during the marker write.
  struct mcusim_info info = {MCUSIM_INFO_MAGIC, MCUSIM_INFO_ARENA, static_cast<uint32_t>(reinterpret_cast<uintptr_t>(arena)),
          static_cast<uint32_t>(used_bytes), static_cast<uint32_t>(capacity)};
  mcusim_info(&info);
}

void TflmProfiler::ReportModel(const void* model_data, size_t model_bytes) {
  struct mcusim_info info = {MCUSIM_INFO_MAGIC, MCUSIM_INFO_MODEL, static_cast<uint32_t>(reinterpret_cast<uintptr_t>(model_data)),
          static_cast<uint32_t>(model_bytes), num_operators_};
  mcusim_info(&info);
}

void TflmProfiler::DescribeLayer(uint32_t index, Layer* l) const {
  std::memset(l, 0, sizeof *l);
  l->kernel = "tflm_ref";
  const tflite::SubGraph* g = MainSubgraph(model_);
  if (g == nullptr || g->operators() == nullptr || index >= g->operators()->size()) return;
  const tflite::Operator* o = g->operators()->Get(index);
  if (model_->operator_codes() == nullptr || o->opcode_index() >= model_->operator_codes()->size()) return;
  tflite::BuiltinOperator op = tflite::GetBuiltinCode(model_->operator_codes()->Get(o->opcode_index()));
  l->op = static_cast<uint32_t>(op);
  const tflite::Tensor* in = TensorAt(g, o->inputs(), 0);
  const tflite::Tensor* filter = TensorAt(g, o->inputs(), 1);
  const tflite::Tensor* out = TensorAt(g, o->outputs(), 0);
  uint64_t macs = Macs(op, o, in, filter, out);
  l->macs_lo = static_cast<uint32_t>(macs);
  l->macs_hi = static_cast<uint32_t>(macs >> 32);
  struct mcusim_region shape;
  FillShape(out, &shape);
  l->out_dims = shape.out_dims;
  std::memcpy(l->out_shape, shape.out_shape, sizeof l->out_shape);
#if defined(CMSIS_NN)
  if (in != nullptr && in->type() == tflite::TensorType_INT8) l->kernel = CmsisNnKernel(op, o, in, filter, out);
#endif
}

void TflmProfiler::FillLayer(uint32_t index, const char* tag, struct mcusim_region* r) const {
  Layer fresh;
  const Layer* l = &layers_[index < described_ ? index : 0];
  if (index >= described_) {
    DescribeLayer(index, &fresh);
    l = &fresh;
  }
  std::memset(r, 0, sizeof *r);
  r->magic = MCUSIM_REGION_MAGIC;
  r->kind = MCUSIM_REGION_LAYER;
  r->name = tag != nullptr ? tag : "UNKNOWN";
  r->index = index;
  r->op = l->op;
  r->macs_lo = l->macs_lo;
  r->macs_hi = l->macs_hi;
  r->out_dims = l->out_dims;
  std::memcpy(r->out_shape, l->out_shape, sizeof r->out_shape);
  r->arena_bytes = arena_used_;
  r->kernel = l->kernel;
}

void TflmProfiler::BeginInference() {
  next_operator_ = 0;
  depth_ = 0;
  std::memset(&inference_, 0, sizeof inference_);
  inference_.magic = MCUSIM_REGION_MAGIC;
  inference_.kind = MCUSIM_REGION_INFERENCE;
  inference_.name = "inference";
  inference_.kernel = KernelFamily();
  inference_.arena_bytes = arena_used_;
  // Every layer described now, outside the measured region.
  uint64_t macs = 0;
  for (uint32_t i = 0; i < num_operators_; i++) {
    Layer l;
    DescribeLayer(i, &l);
    if (i < MCUSIM_TFLM_MAX_LAYERS) layers_[i] = l;
    macs += (static_cast<uint64_t>(l.macs_hi) << 32) | l.macs_lo;
  }
  described_ = num_operators_ < MCUSIM_TFLM_MAX_LAYERS ? num_operators_ : MCUSIM_TFLM_MAX_LAYERS;
  inference_.macs_lo = static_cast<uint32_t>(macs);
  inference_.macs_hi = static_cast<uint32_t>(macs >> 32);
  const tflite::SubGraph* g = MainSubgraph(model_);
  if (g != nullptr) FillShape(TensorAt(g, g->outputs(), 0), &inference_);
  mcusim_region_begin(&inference_);
}

void TflmProfiler::EndInference() { mcusim_region_end(&inference_); }

uint32_t TflmProfiler::BeginEvent(const char* tag) {
  uint32_t handle = static_cast<uint32_t>(depth_);
  if (depth_ < kMaxDepth) {
    struct mcusim_region* r = &events_[depth_];
    if (depth_ == 0) {
      // Operators of subgraph 0 run in order; a count that wraps keeps the
      // index right when Invoke() runs without BeginInference().
      uint32_t index = num_operators_ ? next_operator_ % num_operators_ : next_operator_;
      next_operator_++;
      FillLayer(index, tag, r);
    } else {
      std::memset(r, 0, sizeof *r);
      r->magic = MCUSIM_REGION_MAGIC;
      r->kind = MCUSIM_REGION_USER;
      r->name = tag != nullptr ? tag : "event";
    }
    mcusim_region_begin(r);
  }
  depth_++;
  return handle;
}

void TflmProfiler::EndEvent(uint32_t event_handle) {
  if (event_handle < static_cast<uint32_t>(kMaxDepth)) mcusim_region_end(&events_[event_handle]);
  depth_ = static_cast<int>(event_handle);
}

}  // namespace mcusim
