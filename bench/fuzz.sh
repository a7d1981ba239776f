#!/usr/bin/env bash
# bench/fuzz.sh — fuzzes every parser for longer than the test suite does
# (minutes instead of seconds), keeping what it finds.
#
#   bash bench/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#       SECONDS_PER_TARGET  default 600
#       TARGET              elf tflite board budget (default: all built)
#   env: FUZZ_BUILD   the libFuzzer build directory (default build-fuzz in
#                     the source tree; configured here when missing)
#        FUZZ_JOBS    parallel fuzzing processes per target (default 1)
#
# Unlike the test suite's runs, the corpus grows: new coverage is kept in
# $FUZZ_BUILD/fuzz/work/<target>/ and reused by the next run, so long runs
# build on each other (the repository's corpus/ stays as it is: add an
# input to it only when it is a regression input or an important seed).
# Crashes land in $FUZZ_BUILD/fuzz/findings/<target>-crash-*; each is a
# bug: fix it, then copy the input to fuzz/corpus/<target>/ and describe
# it in fuzz/corpus/README.md.  The shared models (../shared/models) are
# used as extra seeds for tflite when present.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-600}
shift || true
build=${FUZZ_BUILD:-"$here/build-fuzz"}
jobs=${FUZZ_JOBS:-1}

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$here" -Db_sanitize=address,undefined -Db_lundef=false \
    -Dfuzz=enabled -Dfirmware=disabled -Dtests=disabled || exit 2
fi
ninja -C "$build" fuzz/fuzz_elf fuzz/fuzz_tflite fuzz/fuzz_board fuzz/fuzz_budget >/dev/null || exit 2

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for t in elf tflite board budget; do [ -x "$build/fuzz/fuzz_$t" ] && targets+=("$t"); done
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
findings="$build/fuzz/findings"
mkdir -p "$findings"
status=0
for t in "${targets[@]}"; do
  work="$build/fuzz/work/$t"
  mkdir -p "$work"
  extra=()
  [ "$t" = tflite ] && [ -d "$here/../shared/models" ] && extra+=("$here/../shared/models")
  echo "bench/fuzz: $t for $seconds s ($jobs job(s)), corpus $work"
  # -fork keeps fuzzing after a crash (each is saved), so one long run
  # can report several distinct bugs.
  "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
    -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -artifact_prefix="$findings/$t-" -print_final_stats=1 \
    "$work" "$here/fuzz/corpus/$t" "${extra[@]}" > "$build/fuzz/$t.log" 2>&1
  n=$(ls "$findings" | grep -c "^$t-" || true)
  echo "bench/fuzz: $t: $(grep -o 'cov: [0-9]*' "$build/fuzz/$t.log" | tail -1), corpus $(ls "$work" | wc -l) inputs, $n finding(s) in $findings (log $build/fuzz/$t.log)"
  [ "$n" -gt 0 ] && status=1
done
exit $status
