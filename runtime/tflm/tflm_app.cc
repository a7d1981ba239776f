/*
 * tflm_app.cc — the TFLM firmware application: runs the model found in
 * the flash slot once with TensorFlow Lite Micro and prints its output,
 * with the same contract as mcusim's own runtime image (runtime/app/main.c)
 * so that the two images are interchangeable for the profiler and tests:
 *
 *   - the model: a struct port_model_slot header at __model_slot_start,
 *     then the .tflite bytes, read in place from flash;
 *   - the arena: all RAM the board leaves between .bss and the stack
 *     (__arena_start .. __arena_end, from the board's linker script);
 *   - command line (semihosting): [--input FILE] [--output FILE]
 *     [--kernels ref|cmsis-nn] (must name the family linked in);
 *     without --input the input is app_args.c's pseudo-random fill;
 *   - stdout: one line "output: v0 v1 ..."; on error one line on stderr,
 *     exit status 2 (bad model, input or arguments) or 6 (the arena does
 *     not fit the board's RAM, with the numbers).
 *
 * Every operator TFLM offers is registered (tflm_ops.h); every operator
 * invoked is a layer for the profiler (mcusim_tflm_profiler.h).  No heap.
 *
 * One departure from TFLM's stock set-up, which changes neither the plan
 * nor arena_used_bytes(): TFLM hands its greedy memory planner all the
 * free arena as scratch, and the planner spreads its five arrays over it,
 * so that planning writes a little everywhere in RAM the model never uses
 * and the profiler's measured arena would be the whole board.  Here the
 * planner gets the scratch the model's buffers need (CompactPlanner), and
 * the measured arena is what TFLM really uses.
 */
#include <cstdint>
#include <cstring>
#include <new>

#include "mcusim_tflm_profiler.h"
#include "tensorflow/lite/micro/arena_allocator/single_arena_buffer_allocator.h"
#include "tensorflow/lite/micro/cortex_m_generic/debug_log_callback.h"
#include "tensorflow/lite/micro/memory_helpers.h"
#include "tensorflow/lite/micro/memory_planner/greedy_memory_planner.h"
#include "tensorflow/lite/micro/compatibility.h"
#include "tensorflow/lite/micro/micro_allocator.h"
#include "tensorflow/lite/micro/micro_arena_constants.h"
#include "tensorflow/lite/micro/micro_interpreter.h"
#include "tensorflow/lite/schema/schema_generated.h"
#include "tflm_ops.h"

// The runtime's C headers (app_args.h) define the schema version too.
#undef TFLITE_SCHEMA_VERSION
extern "C" {
#include "app_args.h"
#include "port.h"

// The C++ constructors' table (sim/ldscript.c).
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);
}

namespace {

constexpr int kMaxArgs = 16;

// What TFLM's log said last, for the one-line error and for telling an
// arena too small ("... missing: N") from other failures.
struct LogState {
  char last[160];
  uint32_t missing;  // bytes the allocator lacked, 0 when it did not run out
};
LogState g_log;

void ParseMissing(const char* s) {
  const char* m = std::strstr(s, "missing: ");
  if (m == nullptr) return;
  uint32_t v = 0;
  for (m += 9; *m >= '0' && *m <= '9'; m++) v = v * 10u + static_cast<uint32_t>(*m - '0');
  if (v > g_log.missing) g_log.missing = v;
}

// TFLM's messages go to stderr as they come, one line each (MicroPrintf
// sends the message, then "\r\n" on its own); the last one is kept.
void LogToStderr(const char* s) {
  size_t n = std::strlen(s);
  while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
  if (n == 0) {
    port_eputs("\n");
    return;
  }
  char line[256];  // DebugLog's own buffer size (cortex_m_generic/debug_log.cc)
  size_t keep = n < sizeof line - 1 ? n : sizeof line - 1;
  std::memcpy(line, s, keep);
  line[keep] = '\0';
  port_eputs(line);
  size_t last = keep < sizeof g_log.last - 1 ? keep : sizeof g_log.last - 1;
  std::memcpy(g_log.last, line, last);
  g_log.last[last] = '\0';
  ParseMissing(line);
}

[[noreturn]] void Fail(int status, const char* what, const char* detail) {
  port_eputs("error: ");
  port_eputs(what);
  if (detail != nullptr && detail[0] != '\0') {
    port_eputs(": ");
    port_eputs(detail);
  }
  port_eputs("\n");
  port_exit(status);
}

// The start-up code (runtime/port/startup.c) is C: run the C++ static
// constructors here, before anything else.
void RunConstructors() {
  for (void (**f)(void) = __init_array_start; f < __init_array_end; f++) (*f)();
}


// The runtime's view of a TFLM tensor, for app_args.c's input fill and
// output text: the type numbering is the .tflite schema's, read from the
// model (TfLiteType numbers differ).
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

void ReadInput(const char* path, struct rt_tensor* input) {
  int fd = port_open(path, PORT_OPEN_READ);
  if (fd < 0) Fail(APP_EXIT_BAD_INPUT, "cannot open input file", path);
  long len = port_flen(fd);
  if (len != static_cast<long>(input->bytes)) {
    port_eputs("error: input file ");
    port_eputs(path);
    port_eputs(" has ");
    port_eputu(len < 0 ? 0u : static_cast<uint32_t>(len));
    port_eputs(" bytes, the model input needs ");
    port_eputu(input->bytes);
    port_eputs("\n");
    port_exit(APP_EXIT_BAD_INPUT);
  }
  int got = port_read(fd, input->data, input->bytes);
  port_close(fd);
  if (got != static_cast<int>(input->bytes)) Fail(APP_EXIT_BAD_INPUT, "cannot read input file", path);
}

void WriteOutput(const char* path, const struct rt_tensor* output) {
  int fd = port_open(path, PORT_OPEN_WRITE);
  if (fd < 0 || port_write(fd, output->data, output->bytes) != 0)
    Fail(APP_EXIT_BAD_INPUT, "cannot write output file", path);
  port_close(fd);
}

void PrintOutput(const struct rt_tensor* output) {
  char value[32];
  port_puts("output:");
  for (uint32_t i = 0; i < rt_tensor_elements(output); i++) {
    app_format_element(output, i, value);
    port_puts(" ");
    port_puts(value);
  }
  port_puts("\n");
}

// Buffers the planner must hold: every tensor without data in the model
// (constants stay in flash), and the scratch buffers kernels request
// (rarely more than two per operator; a model that needs more is planned
// again with the whole arena).
uint32_t g_plan_buffers;

// TFLM's GreedyMemoryPlanner with its scratch cut to g_plan_buffers
// entries.  No members of its own: its size, and so the arena's layout,
// is the stock planner's.
class CompactPlanner : public tflite::GreedyMemoryPlanner {
 public:
  TfLiteStatus Init(unsigned char* scratch_buffer, int scratch_buffer_size) override {
    uint64_t need = static_cast<uint64_t>(g_plan_buffers) * per_buffer_size();
    int size = need < static_cast<uint64_t>(scratch_buffer_size) ? static_cast<int>(need) : scratch_buffer_size;
    return GreedyMemoryPlanner::Init(scratch_buffer, size);
  }

 private:
  TF_LITE_REMOVE_VIRTUAL_DELETE
};

uint32_t PlanBuffers(const tflite::Model* model) {
  uint32_t n = 0;
  const auto* buffers = model->buffers();
  for (uint32_t i = 0; i < model->subgraphs()->size(); i++) {
    const tflite::SubGraph* g = model->subgraphs()->Get(i);
    for (uint32_t t = 0; g->tensors() != nullptr && t < g->tensors()->size(); t++) {
      uint32_t b = g->tensors()->Get(t)->buffer();
      bool constant = buffers != nullptr && b < buffers->size() && buffers->Get(b)->data() != nullptr &&
                      buffers->Get(b)->data()->size() > 0;
      n += constant ? 0 : 1;
    }
    if (g->operators() != nullptr) n += 2 * g->operators()->size();
  }
  return n;
}

// The interpreter over the whole arena, laid out as MicroInterpreter's own
// constructor does (MicroAllocator::Create with a greedy planner in the
// arena's persistent section), with the compact planner.
tflite::MicroInterpreter* NewInterpreter(void* memory, const tflite::Model* model,
                                         const mcusim::TflmOpResolver& resolver, mcusim::TflmProfiler* profiler,
                                         size_t capacity) {
  uint8_t* arena = tflite::AlignPointerUp(__arena_start, tflite::MicroArenaBufferAlignment());
  size_t size = capacity - static_cast<size_t>(arena - __arena_start);
  tflite::SingleArenaBufferAllocator* buffers = tflite::SingleArenaBufferAllocator::Create(arena, size);
  uint8_t* planner_mem = buffers->AllocatePersistentBuffer(sizeof(CompactPlanner), alignof(CompactPlanner));
  if (planner_mem == nullptr) return nullptr;
  tflite::MicroAllocator* allocator = tflite::MicroAllocator::Create(buffers, new (planner_mem) CompactPlanner());
  return new (memory) tflite::MicroInterpreter(model, resolver, allocator, nullptr, profiler);
}

[[noreturn]] void NoFit(mcusim::TflmProfiler& profiler, size_t capacity) {
  // A lower bound: the allocation that failed, on top of everything TFLM
  // had placed by then.
  size_t needed = capacity + g_log.missing;
  profiler.ReportArena(__arena_start, capacity, needed);
  port_eputs("error: model does not fit in RAM: the tensor arena needs at least ");
  port_eputu(static_cast<uint32_t>(needed));
  port_eputs(" bytes, ");
  port_eputu(static_cast<uint32_t>(capacity));
  port_eputs(" are free after the firmware's static data and stack\n");
  port_exit(APP_EXIT_NO_FIT);
}

}  // namespace

// The model reader, with C linkage so that mcusim can tell this image
// from a firmware that would ignore the model: profiler/runtime_images.c
// names it as the runtime's reader symbol.
extern "C" const uint8_t* tflm_model_find(uint32_t* size) {
  const auto* slot = reinterpret_cast<const struct port_model_slot*>(__model_slot_start);
  uintptr_t room = reinterpret_cast<uintptr_t>(__model_slot_end) - reinterpret_cast<uintptr_t>(__model_slot_start);
  if (room < sizeof *slot || slot->magic != PORT_MODEL_SLOT_MAGIC) Fail(APP_EXIT_BAD_INPUT, "no model in the flash slot", nullptr);
  if (slot->size > room - sizeof *slot)
    Fail(APP_EXIT_BAD_INPUT, "model size in the flash slot header exceeds the slot", nullptr);
  *size = slot->size;
  return reinterpret_cast<const uint8_t*>(slot + 1);
}

int main() {
  RunConstructors();
  RegisterDebugLogCallback(LogToStderr);

  static char arg_buf[512];
  char* argv[kMaxArgs];
  int argc = port_args(arg_buf, sizeof arg_buf, argv, kMaxArgs);
  struct app_options opts;
  const char* problem = nullptr;
  if (app_parse_args(argc, argv, 0, &opts, &problem) != 0) Fail(APP_EXIT_BAD_INPUT, problem, nullptr);
  if (opts.kernels != nullptr && std::strcmp(opts.kernels, mcusim::TflmProfiler::KernelFamily()) != 0)
    Fail(APP_EXIT_BAD_INPUT, "kernel family not linked in this firmware", opts.kernels);

  uint32_t model_size = 0;
  const uint8_t* model_bytes = tflm_model_find(&model_size);
  const tflite::Model* model = tflite::GetModel(model_bytes);
  if (model->version() != TFLITE_SCHEMA_VERSION || model->subgraphs() == nullptr || model->subgraphs()->size() == 0)
    Fail(APP_EXIT_BAD_INPUT, "bad model", "not a TFLite schema version 3 model with a subgraph");

  // Static storage, constructed in place: nothing is ever destroyed (no
  // atexit table), and the objects count as static RAM, not stack.
  alignas(mcusim::TflmOpResolver) static uint8_t resolver_mem[sizeof(mcusim::TflmOpResolver)];
  alignas(mcusim::TflmProfiler) static uint8_t profiler_mem[sizeof(mcusim::TflmProfiler)];
  alignas(tflite::MicroInterpreter) static uint8_t interpreter_mem[sizeof(tflite::MicroInterpreter)];
  auto& resolver = *new (resolver_mem) mcusim::TflmOpResolver();
  if (mcusim::RegisterAllOps(resolver) != kTfLiteOk) Fail(APP_EXIT_BAD_INPUT, "cannot register the operators", nullptr);

  auto& profiler = *new (profiler_mem) mcusim::TflmProfiler(model);
  size_t capacity = static_cast<size_t>(__arena_end - __arena_start);
  g_plan_buffers = PlanBuffers(model);
  tflite::MicroInterpreter* interpreter = NewInterpreter(interpreter_mem, model, resolver, &profiler, capacity);
  TfLiteStatus allocated = interpreter != nullptr ? interpreter->AllocateTensors() : kTfLiteError;
  if (allocated != kTfLiteOk && g_log.missing == 0 && std::strstr(g_log.last, "Too many buffers") != nullptr) {
    g_plan_buffers = UINT32_MAX;
    interpreter = NewInterpreter(interpreter_mem, model, resolver, &profiler, capacity);
    allocated = interpreter != nullptr ? interpreter->AllocateTensors() : kTfLiteError;
  }
  if (allocated != kTfLiteOk) {
    if (interpreter == nullptr || g_log.missing > 0) NoFit(profiler, capacity);
    Fail(APP_EXIT_BAD_INPUT, "bad model", g_log.last);
  }
  profiler.ReportModel(model_bytes, model_size);
  profiler.ReportArena(__arena_start, capacity, interpreter->arena_used_bytes());

  if (interpreter->inputs_size() < 1 || interpreter->outputs_size() < 1)
    Fail(APP_EXIT_BAD_INPUT, "bad model", "no input or no output tensor");
  struct rt_tensor input = TensorView(model, interpreter->input(0), false);
  if (opts.input != nullptr)
    ReadInput(opts.input, &input);
  else
    app_fill_pseudo_random(&input, APP_RANDOM_SEED);

  profiler.BeginInference();
  TfLiteStatus status = interpreter->Invoke();
  profiler.EndInference();
  if (status != kTfLiteOk) Fail(APP_EXIT_BAD_INPUT, "inference failed", g_log.last);

  struct rt_tensor output = TensorView(model, interpreter->output(0), true);
  PrintOutput(&output);
  if (opts.output != nullptr) WriteOutput(opts.output, &output);
  port_exit(APP_EXIT_OK);
}
