#!/usr/bin/env bash
# .ci/sanitize.sh — the sanitizer half of CI: a second build with
# clang, AddressSanitizer and UndefinedBehaviorSanitizer, in which
#   - the whole test suite runs again (any sanitizer report fails a test),
#   - each fuzz target (ELF reader, .tflite reader and runtime, board file
#     parser, budget file parser) runs for FUZZ_SECONDS from its corpus
#     (meson test suite 'fuzz'); a finding fails CI and is kept in
#     $build/fuzz/artifacts/.
#
#   bash .ci/sanitize.sh            after 'bash quickstart.sh test' (or alone)
#   env: MCUSIM_ASAN_BUILD_DIR  build directory (default: build-asan)
#        MCUSIM_FUZZ_SECONDS    seconds per fuzz target (default 20)
#
# Needs clang and libclang-rt-14-dev (quickstart.sh installs them).  The
# firmware is cross-compiled here as in the normal build (arm-none-eabi-gcc,
# not sanitized): the tests run it on the sanitized simulator.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${MCUSIM_ASAN_BUILD_DIR:-"$here/build-asan"}
seconds=${MCUSIM_FUZZ_SECONDS:-20}

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$here" -Db_sanitize=address,undefined -Db_lundef=false \
    -Dfuzz=enabled -Dfuzz_seconds="$seconds"
else
  meson configure "$build" -Dfuzz_seconds="$seconds"
fi

# Any sanitizer report is fatal, at build time too (the build runs mcusim to
# synthesize the workload models).  Leaks: checked by the fuzzers, where a
# parser leaking per input is a bug; not in the test suite, whose programs
# (tests and the mcusim CLI) free nothing on exit by design.
asan=abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$here/.ci/lsan.supp:print_suppressions=0}
ASAN_OPTIONS=${ASAN_OPTIONS:-$asan:detect_leaks=0} ninja -C "$build"
# Both suites run even when the first fails, so one CI run reports all.
status=0
ASAN_OPTIONS=${ASAN_OPTIONS:-$asan:detect_leaks=0} meson test -C "$build" --no-suite fuzz --no-suite accuracy --print-errorlogs || status=1
# The fuzz suite last, two fuzzers at a time on a 2-core machine.
ASAN_OPTIONS=${ASAN_OPTIONS:-$asan:detect_leaks=1} meson test -C "$build" --suite fuzz --print-errorlogs || status=1
exit $status
