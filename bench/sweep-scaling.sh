#!/bin/sh
# sweep-scaling.sh — how much faster 'mcusim sweep' gets with two workers:
# times the same sweep with -j1 and with -j2 (each into a fresh database,
# models synthesized beforehand and not timed) and prints the speedup.
# The target is at least 1.8x on two cores (MIN_SPEEDUP); `mcusim bench`
# measures the same in its sweep-scaling line.
#
# usage: bench/sweep-scaling.sh [BUILD_DIR [MANIFEST]]
#   BUILD_DIR  where mcusim was built (default: build)
#   MANIFEST   the sweep to time (default: 16 runs of the project's own
#              models, a few seconds each way)
# environment:
#   REPEAT=N       time each setting N times and keep the fastest (default 3):
#                  other load on the machine only ever makes a sweep slower
#   MIN_SPEEDUP=X  exit 1 when the speedup is below X (e.g. 1.8)
set -eu

build=${1:-build}
mcusim="$build/mcusim"
repeat=${REPEAT:-3}
[ -x "$mcusim" ] || { echo "sweep-scaling.sh: $mcusim: not built" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mcusim-scaling.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ $# -ge 2 ]; then
    manifest=$2
else
    # The longest runs first, so that the last ones to start are short and
    # neither worker idles long at the end.
    manifest="$tmp/scaling.ini"
    cat > "$manifest" <<'INI'
[sweep]
tag = scaling
boards = nano33ble, stm32f746disco
kernels = ref, opt
[models]
resnet = resnet
cnn = cnn
dscnn = dscnn
cnn_half = cnn:width=0.5
INI
fi

# Synthesize the models once (a dry run does, and runs nothing).
if ! "$mcusim" sweep "$manifest" --dry-run --db "$tmp/none.db" --work-dir "$tmp/work" > "$tmp/out" 2>&1; then
    echo "sweep-scaling.sh: cannot prepare the sweep:" >&2
    cat "$tmp/out" >&2
    exit 2
fi

now() { date +%s.%N; }

# CPU seconds (user + system) of this shell's finished children so far.
# `times` must run in this shell, not in a $(...) subshell.
cpu_file() { awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); t += a[1] * 60 + a[2] } print t }' "$1"; }

# "WALL CPU": seconds one sweep takes with $1 workers (the fastest of
# $repeat) and the CPU seconds that run used.
time_sweep() {
    best=""
    i=0
    while [ "$i" -lt "$repeat" ]; do
        rm -f "$tmp/j.db" "$tmp/j.db-wal" "$tmp/j.db-shm"
        times > "$tmp/times0"
        start=$(now)
        rc=0
        "$mcusim" sweep "$manifest" -j "$1" -q --db "$tmp/j.db" --work-dir "$tmp/work" > "$tmp/out" 2>&1 || rc=$?
        end=$(now)
        times > "$tmp/times1"
        c0=$(cpu_file "$tmp/times0")
        c1=$(cpu_file "$tmp/times1")
        if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
            echo "sweep-scaling.sh: the sweep with -j$1 failed (exit $rc):" >&2
            cat "$tmp/out" >&2
            exit 2
        fi
        best=$(awk -v s="$start" -v e="$end" -v c="$(awk -v a="$c0" -v b="$c1" 'BEGIN { print b - a }')" -v b="$best" \
            'BEGIN { t = e - s; split(b, o, " "); if (b == "" || t < o[1]) print t, c; else print b }')
        i=$((i + 1))
    done
    echo "$best"
}

runs=$("$mcusim" sweep "$manifest" --dry-run --db "$tmp/none.db" --work-dir "$tmp/work" | grep -c '^run ')
r1=$(time_sweep 1)
r2=$(time_sweep 2)
cpus=$(nproc)
# "CPUs used" is CPU time over wall time: below 2 at -j2 means the machine
# did not have two idle cores to give (other load), whatever mcusim does.
echo "$r1 $r2" | awk -v n="$runs" -v cpus="$cpus" -v min="${MIN_SPEEDUP:-0}" '{
    t1 = $1; c1 = $2; t2 = $3; c2 = $4; s = t1 / t2
    printf "sweep of %d runs on %d CPUs: -j1 %.2f s (%.2f runs/s, %.2f CPUs used), -j2 %.2f s (%.2f runs/s, %.2f CPUs used): speedup %.2fx\n",
           n, cpus, t1, n / t1, c1 / t1, t2, n / t2, c2 / t2, s
    if (s < min) { printf "below the required %.2fx\n", min; exit 1 }
}'
