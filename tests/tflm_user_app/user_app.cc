/*
 * user_app.cc — a TFLM application as a user writes one, with nothing of
 * mcusim's build: its own vector table and start-up, a model compiled in
 * as a C array (g_model, from model_data.cc), a static tensor arena, a
 * resolver with just the model's operators, and mcusim's per-layer
 * profiler (runtime/tflm/mcusim_tflm_profiler.h) handed to the
 * interpreter.  It prints the output through semihosting and exits with
 * status 0 (2 when TFLM fails).
 *
 * test_tflm_user_app.c compiles it with its own command line (TFLM's
 * cortex_m_generic flags), links it with the board's linker script and
 * runs it with `mcusim run --profile`.  The input is all zero bytes.
 */
#include <cstdint>
#include <cstring>

#include "mcusim.h"
#include "mcusim_tflm_profiler.h"
#include "tensorflow/lite/micro/micro_interpreter.h"
#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"
#include "tensorflow/lite/schema/schema_generated.h"

extern const unsigned char g_model[];

namespace {

constexpr size_t kArenaSize = 64 * 1024;
alignas(16) uint8_t g_arena[kArenaSize];

void PutInt(int v) {
  char buf[16];
  int n = 0;
  unsigned u = v < 0 ? 0u - static_cast<unsigned>(v) : static_cast<unsigned>(v);
  do {
    buf[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u);
  char out[18];
  int k = 0;
  out[k++] = ' ';
  if (v < 0) out[k++] = '-';
  while (n) out[k++] = buf[--n];
  out[k] = '\0';
  mcusim_puts(out);
}

}  // namespace

int main() {
  const tflite::Model* model = tflite::GetModel(g_model);
  static tflite::MicroMutableOpResolver<5> resolver;
  resolver.AddConv2D();
  resolver.AddMaxPool2D();
  resolver.AddReshape();
  resolver.AddFullyConnected();
  resolver.AddSoftmax();

  static mcusim::TflmProfiler profiler(model);
  static tflite::MicroInterpreter interpreter(model, resolver, g_arena, kArenaSize, nullptr, &profiler);
  if (interpreter.AllocateTensors() != kTfLiteOk) mcusim_exit(2);
  profiler.ReportArena(g_arena, kArenaSize, interpreter.arena_used_bytes());

  TfLiteTensor* input = interpreter.input(0);
  std::memset(input->data.int8, 0, input->bytes);
  profiler.BeginInference();
  TfLiteStatus status = interpreter.Invoke();
  profiler.EndInference();
  if (status != kTfLiteOk) mcusim_exit(2);

  TfLiteTensor* output = interpreter.output(0);
  mcusim_puts("output:");
  for (size_t i = 0; i < output->bytes; i++) PutInt(output->data.int8[i]);
  mcusim_puts("\n");
  mcusim_exit(0);
}

// ---- start-up and the C library's hooks, as a bare-metal project has them ----

extern "C" {
extern uint8_t __data_load[], __data_start[], __data_end[], __bss_start__[], __bss_end__[], __stack_top[];
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);

[[noreturn]] void Reset_Handler(void) {
#if defined(__ARM_FP)
  *reinterpret_cast<volatile uint32_t*>(0xE000ED88u) |= 0xFu << 20;  // CPACR: the FPU on
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
  std::memcpy(__data_start, __data_load, static_cast<size_t>(__data_end - __data_start));
  std::memset(__bss_start__, 0, static_cast<size_t>(__bss_end__ - __bss_start__));
  for (void (**f)(void) = __init_array_start; f < __init_array_end; f++) (*f)();
  main();
  mcusim_exit(0);
}

void Fault_Handler(void) {
  for (;;) {
  }
}

__attribute__((section(".vectors"), used)) void (*const g_vectors[16])(void) = {
    reinterpret_cast<void (*)(void)>(__stack_top), Reset_Handler, Fault_Handler, Fault_Handler, Fault_Handler,
    Fault_Handler, Fault_Handler, nullptr, nullptr, nullptr, nullptr, Fault_Handler, Fault_Handler, nullptr,
    Fault_Handler, Fault_Handler};

int __cxa_atexit(void (*)(void*), void*, void*) { return 0; }
void __cxa_pure_virtual(void) { mcusim_exit(5); }
void __assert_func(const char*, int, const char*, const char*) { mcusim_exit(5); }
}

void* __dso_handle = nullptr;
void operator delete(void*) noexcept {}
void operator delete(void*, std::size_t) noexcept {}
