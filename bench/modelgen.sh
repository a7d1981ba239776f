#!/bin/sh
# bench/modelgen.sh — how long 'mcusim model build' takes on models as large
# as real ones: MobileNetV1 1.0/224 with 1000 classes (the paper's 569 M
# MACs), int8 and float32, and a few smaller ones.  Prints a Markdown
# table: spec, MACs, parameters, file size, and the best CPU and wall time
# of REPEAT builds (other load only ever makes a build slower).
#
# usage: bench/modelgen.sh [BUILD_DIR [BASELINE_MCUSIM]]
#   BUILD_DIR        where mcusim was built (default: build)
#   BASELINE_MCUSIM  another mcusim binary (an older build) to time on the
#                    same specs, side by side; specs it refuses show its
#                    message instead of a time
# environment:
#   REPEAT=N         builds per spec, the fastest kept (default 3)
#   MAX_SECONDS=X    exit 1 when MobileNetV1 1.0/224 int8 takes more than X
#                    seconds of CPU (e.g. 10)
set -eu

build=${1:-build}
mcusim="$build/mcusim"
baseline=${2:-}
repeat=${REPEAT:-3}
[ -x "$mcusim" ] || { echo "modelgen.sh: $mcusim: not built" >&2; exit 2; }
[ -z "$baseline" ] || [ -x "$baseline" ] || { echo "modelgen.sh: $baseline: not a program" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mcusim-modelgen.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

full=mobilenet:alpha=1,res=224,classes=1000
specs="$full $full,dtype=float32 mobilenet:alpha=1,res=192 mobilenet:alpha=0.5,res=160,classes=100
mobilenet resnet dscnn"

# best PROGRAM SPEC: "cpu wall" seconds of the fastest of REPEAT builds (by
# CPU), or the program's message when it refuses the spec.
best() {
    prog=$1 spec=$2 b_cpu="" b_wall=""
    i=0
    while [ $i -lt "$repeat" ]; do
        if ! /usr/bin/time -f "%U %S %e" -o "$tmp/time" "$prog" model build "$spec" \
                -o "$tmp/m.tflite" >"$tmp/out" 2>"$tmp/err"; then
            sed 's/^mcusim model build: //' "$tmp/err" | head -1
            return
        fi
        set -- $(cat "$tmp/time")
        cpu=$(echo "$1 $2" | awk '{printf "%.2f", $1 + $2}')
        if [ -z "$b_cpu" ] || awk "BEGIN{exit !($cpu < $b_cpu)}"; then
            b_cpu=$cpu b_wall=$3
        fi
        i=$((i + 1))
    done
    echo "$b_cpu $b_wall"
}

if [ -n "$baseline" ]; then
    echo "| spec | MACs | params | file | CPU s | wall s | baseline CPU s |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
else
    echo "| spec | MACs | params | file | CPU s | wall s |"
    echo "|---|---:|---:|---:|---:|---:|"
fi
status=0
for spec in $specs; do
    line=$("$mcusim" model build "$spec" --size)
    macs=$(echo "$line" | sed -n 's/.* MACs (\([^)]*\)).*/\1/p')
    params=$(echo "$line" | sed -n 's/.* params (\([^)]*\)).*/\1/p')
    file=$(echo "$line" | sed -n 's/.* bytes (\([^)]*B\)),.*/\1/p')
    set -- $(best "$mcusim" "$spec")
    row="| \`$spec\` | $macs | $params | $file | $1 | $2 |"
    if [ -n "$baseline" ]; then
        row="$row $(best "$baseline" "$spec" | awk '{print (NF == 2 && $1 ~ /^[0-9.]+$/) ? $1 : $0}') |"
    fi
    echo "$row"
    if [ "$spec" = "$full" ] && [ -n "${MAX_SECONDS:-}" ] &&
        awk "BEGIN{exit !($1 > $MAX_SECONDS)}"; then
        echo "modelgen.sh: $spec took $1 s of CPU, more than $MAX_SECONDS" >&2
        status=1
    fi
done
exit $status
