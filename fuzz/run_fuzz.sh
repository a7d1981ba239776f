#!/usr/bin/env bash
# fuzz/run_fuzz.sh — runs one libFuzzer target for a fixed time, from its
# seed corpus, and fails if it finds anything (crash, sanitizer report,
# failed invariant, leak, timeout, out of memory).
#
#   run_fuzz.sh EXE NAME SECONDS ARTIFACT_DIR CORPUS_DIR...
#
# New coverage goes to a scratch directory, never into the repository's
# corpus (a test must not edit the source tree); corpus directories that do
# not exist (the shared models on a bare checkout) are skipped.  The seed
# is fixed so that a run starts the same way everywhere.  A crashing input
# is kept in ARTIFACT_DIR with the command that reproduces it.
set -u
exe=$1 name=$2 seconds=$3 artifacts=$4
shift 4
dirs=()
for d in "$@"; do
  if [ -d "$d" ]; then dirs+=("$d"); else echo "run_fuzz: skipping missing corpus $d"; fi
done
mkdir -p "$artifacts"
work=$(mktemp -d "${TMPDIR:-/tmp}/mcusim-fuzz-$name.XXXXXX")
trap 'rm -rf "$work"' EXIT

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# -timeout: one input taking this long is a finding (a hang); -rss_limit_mb:
# so is using this much memory.  Both far above what a sane input needs.
"$exe" -seed="${FUZZ_SEED:-1}" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-20}" \
  -rss_limit_mb=2048 -max_len="${FUZZ_MAX_LEN:-0}" -print_final_stats=1 \
  -artifact_prefix="$artifacts/$name-" "$work" "${dirs[@]}"
rc=$?
if [ $rc -ne 0 ]; then
  echo "run_fuzz: $name found a problem (exit $rc); inputs kept in $artifacts:"
  ls -l "$artifacts" | grep -- "$name-" || true
  echo "run_fuzz: reproduce with: $exe $artifacts/$name-<file>; once fixed, copy the input"
  echo "run_fuzz: to fuzz/corpus/$name/ (a regression input) and note it in fuzz/corpus/README.md"
fi
exit $rc
