/*
 * tflm_ref_run.cc — TFLM with its reference kernels on the host: the
 * project's bit-exact output oracle.  Runs a .tflite model once and prints
 * "output: v0 v1 ..." exactly as the firmware images do (tflm_app.cc,
 * runtime/app/main.c), so that tests compare the five runtimes byte for
 * byte.  Built twice: tflm-ref-run (TFLM's default, double rounding) and
 * tflm-ref-run-single (-DTFLITE_SINGLE_ROUNDING=1).
 *
 *   tflm-ref-run MODEL.tflite [--input FILE] [--output FILE] [--arena BYTES]
 *
 * Without --input the input is app_args.c's pseudo-random fill, the same
 * bytes the firmware uses.  --arena sets the arena (default 16 MiB).
 * Exit statuses as the firmware: 0, 2 (bad model, input or arguments),
 * 6 (the arena is too small).
 */
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "tensorflow/lite/micro/micro_interpreter.h"
#include "tensorflow/lite/schema/schema_generated.h"
#include "tflm_ops.h"

// The runtime's C headers (app_args.h) define the schema version too.
#undef TFLITE_SCHEMA_VERSION
extern "C" {
#include "app_args.h"
}

namespace {

const char* g_prog = "tflm-ref-run";

int Fail(int status, const char* what, const char* detail) {
  std::fprintf(stderr, "%s: %s%s%s\n", g_prog, what, detail ? ": " : "", detail ? detail : "");
  return status;
}

bool ReadFile(const char* path, std::vector<uint8_t>* out) {
  FILE* f = std::fopen(path, "rb");
  if (f == nullptr) return false;
  bool ok = std::fseek(f, 0, SEEK_END) == 0;
  long len = ok ? std::ftell(f) : -1;
  ok = ok && len >= 0 && std::fseek(f, 0, SEEK_SET) == 0;
  if (ok) {
    out->resize(static_cast<size_t>(len));
    ok = std::fread(out->data(), 1, out->size(), f) == out->size();
  }
  std::fclose(f);
  return ok;
}

struct rt_tensor TensorView(const tflite::Model* model, const TfLiteTensor* t, bool output) {
  struct rt_tensor v;
  std::memset(&v, 0, sizeof v);
  v.data = static_cast<uint8_t*>(t->data.data);
  v.bytes = static_cast<uint32_t>(t->bytes);
  const tflite::SubGraph* g = model->subgraphs()->Get(0);
  int32_t index = output ? g->outputs()->Get(0) : g->inputs()->Get(0);
  v.type = static_cast<uint8_t>(g->tensors()->Get(index)->type());
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  const char* slash = std::strrchr(argv[0], '/');
  g_prog = slash ? slash + 1 : argv[0];
  size_t arena_size = 16u << 20;
  // --arena is host-only: strip it before the shared parser sees argv.
  for (int i = 1; i + 1 < argc; i++) {
    if (!std::strcmp(argv[i], "--arena")) {
      arena_size = std::strtoul(argv[i + 1], nullptr, 0);
      std::memmove(&argv[i], &argv[i + 2], sizeof(char*) * static_cast<size_t>(argc - i - 1));
      argc -= 2;
      break;
    }
  }
  struct app_options opts;
  const char* problem = nullptr;
  if (app_parse_args(argc, argv, 1, &opts, &problem) != 0) return Fail(APP_EXIT_BAD_INPUT, problem, nullptr);
  if (opts.kernels != nullptr && std::strcmp(opts.kernels, "ref") != 0)
    return Fail(APP_EXIT_BAD_INPUT, "only TFLM's reference kernels run on the host", opts.kernels);

  // The model is read in place: 16-byte alignment, as a flash image has.
  std::vector<uint8_t> file;
  if (!ReadFile(opts.model, &file)) return Fail(APP_EXIT_BAD_INPUT, "cannot read model", opts.model);
  std::vector<uint64_t> model_buf((file.size() + 7) / 8 + 1);
  std::memcpy(model_buf.data(), file.data(), file.size());
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(model_buf.data()), file.size());
  if (file.size() < 8 || !tflite::VerifyModelBuffer(verifier))
    return Fail(APP_EXIT_BAD_INPUT, "not a valid .tflite model", opts.model);
  const tflite::Model* model = tflite::GetModel(model_buf.data());
  if (model->version() != TFLITE_SCHEMA_VERSION || model->subgraphs() == nullptr || model->subgraphs()->size() == 0)
    return Fail(APP_EXIT_BAD_INPUT, "bad model", "not a TFLite schema version 3 model with a subgraph");

  static mcusim::TflmOpResolver resolver;
  if (mcusim::RegisterAllOps(resolver) != kTfLiteOk)
    return Fail(APP_EXIT_BAD_INPUT, "cannot register the operators", nullptr);
  std::vector<uint8_t> arena(arena_size + 16);
  tflite::MicroInterpreter interpreter(model, resolver, arena.data(), arena_size);
  if (interpreter.AllocateTensors() != kTfLiteOk)
    return Fail(APP_EXIT_BAD_INPUT, "cannot allocate the tensors", "see TFLM's message above");
  if (interpreter.inputs_size() < 1 || interpreter.outputs_size() < 1)
    return Fail(APP_EXIT_BAD_INPUT, "bad model", "no input or no output tensor");

  struct rt_tensor input = TensorView(model, interpreter.input(0), false);
  if (opts.input != nullptr) {
    std::vector<uint8_t> bytes;
    if (!ReadFile(opts.input, &bytes)) return Fail(APP_EXIT_BAD_INPUT, "cannot read input file", opts.input);
    if (bytes.size() != input.bytes) {
      char msg[160];
      std::snprintf(msg, sizeof msg, "input file %s has %zu bytes, the model input needs %u", opts.input,
                    bytes.size(), input.bytes);
      return Fail(APP_EXIT_BAD_INPUT, msg, nullptr);
    }
    std::memcpy(input.data, bytes.data(), bytes.size());
  } else {
    app_fill_pseudo_random(&input, APP_RANDOM_SEED);
  }
  if (interpreter.Invoke() != kTfLiteOk) return Fail(APP_EXIT_BAD_INPUT, "inference failed", nullptr);

  struct rt_tensor output = TensorView(model, interpreter.output(0), true);
  char value[32];
  std::fputs("output:", stdout);
  for (uint32_t i = 0; i < rt_tensor_elements(&output); i++) {
    app_format_element(&output, i, value);
    std::printf(" %s", value);
  }
  std::fputs("\n", stdout);
  if (opts.output != nullptr) {
    FILE* f = std::fopen(opts.output, "wb");
    bool ok = f != nullptr && std::fwrite(output.data, 1, output.bytes, f) == output.bytes;
    if (f != nullptr && std::fclose(f) != 0) ok = false;
    if (!ok) return Fail(APP_EXIT_BAD_INPUT, "cannot write output file", opts.output);
  }
  return APP_EXIT_OK;
}
