/*
 * tflm_support.cc — the C and C++ run-time pieces a TFLM image needs on a
 * board without an operating system, instead of newlib's and libstdc++'s,
 * which drag in malloc, stdio, signals and file system calls:
 *   - operator delete: TFLM's classes have virtual destructors, whose
 *     deleting variants name it; nothing is ever allocated on a heap here,
 *     so it is never called;
 *   - __cxa_pure_virtual: a call through a pure virtual function is a bug,
 *     ended with a message and exit status 5 (internal error);
 *   - __assert_func: TFLM's default build keeps its (and flatbuffers')
 *     assertions; a failed one prints where and ends with status 5;
 *   - _sbrk: newlib's malloc is linked (by vsnprintf's buffer code) but
 *     must not take memory: the RAM after .bss is the tensor arena.  It
 *     answers "no memory".
 */
#include <cerrno>
#include <cstddef>
#include <cstdint>

extern "C" {
#include "port.h"
}

void operator delete(void*) noexcept {}
void operator delete(void*, std::size_t) noexcept {}

extern "C" void __cxa_pure_virtual() {
  port_eputs("error: pure virtual function called\n");
  port_exit(5);
}

extern "C" void* _sbrk(ptrdiff_t) {
  errno = ENOMEM;
  return reinterpret_cast<void*>(-1);
}

extern "C" void __assert_func(const char* file, int line, const char* func, const char* expr) {
  port_eputs("error: assertion failed: ");
  port_eputs(expr != nullptr ? expr : "?");
  port_eputs(" (");
  port_eputs(file != nullptr ? file : "?");
  port_eputs(":");
  port_eputu(static_cast<uint32_t>(line));
  if (func != nullptr) {
    port_eputs(", ");
    port_eputs(func);
  }
  port_eputs(")\n");
  port_exit(5);
}
