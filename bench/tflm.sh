#!/bin/sh
# bench/tflm.sh — TensorFlow Lite Micro against mcusim's own runtime: runs
# every model of the shared set on a simulated board with TFLM's reference
# kernels, TFLM with CMSIS-NN, and the own runtime's ref and opt kernels,
# and prints a markdown table of one inference's cycles (the INFERENCE
# region), arena and flash bytes per runtime.
#
# It is a benchmark, not a test: it asserts nothing about speed, but it
# stops when the runtimes' outputs differ (the numbers would be moot).  The
# own runtime is compared with TFLM when both round the same way (the
# default build).
#
# All four through `mcusim profile` (--runtime tflm --kernels ref|cmsis-nn,
# --runtime mcusim --kernels ref|opt), as users run them.
#
# usage: bench/tflm.sh [BUILD_DIR] [MODELS_DIR] [BOARDS] > table.md
#   BUILD_DIR   meson build directory with mcusim, the runtime images and
#               the TFLM images (default: build)
#   MODELS_DIR  the shared model set (default: ../shared/models next to the
#               source tree)
#   BOARDS      space-separated, default "nano33ble stm32l4r5"
# Needs python3.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
models=${2:-$here/../shared/models}
boards=${3:-nano33ble stm32l4r5}
mcusim=$build/mcusim
tflm=$build/runtime/tflm
[ -x "$mcusim" ] || { echo "bench/tflm.sh: no mcusim in $build (build first)" >&2; exit 2; }
[ -f "$tflm/tflm-nano33ble-ref.elf" ] || { echo "bench/tflm.sh: no TFLM images in $tflm (configure with TFLM sources)" >&2; exit 2; }
[ -d "$models" ] || { echo "bench/tflm.sh: no model directory $models" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
    echo "bench/tflm.sh: $1 failed:" >&2
    cat "$work/err" >&2
    exit 1
}

for board in $boards; do
for m in "$models"/*.tflite; do
    name=$(basename "$m" .tflite)
    for rk in mcusim/ref mcusim/opt tflm/ref tflm/cmsis-nn; do
        r=${rk%/*} k=${rk#*/}
        kind=$( [ "$r" = mcusim ] && echo "own-$k" || echo "tflm-$k" )
        "$mcusim" profile "$m" --board "$board" --runtime "$r" --kernels "$k" --no-db -q \
            --json "$work/$board.$name.$kind.json" --output "$work/$board.$name.$kind.out" >/dev/null 2>"$work/err" ||
            fail "$name on $board with $rk"
    done
    for k in tflm-cmsis-nn own-ref own-opt; do
        cmp -s "$work/$board.$name.tflm-ref.out" "$work/$board.$name.$k.out" ||
            { echo "bench/tflm.sh: $name on $board: $k output differs from TFLM-ref's" >&2; exit 1; }
    done
done
done

python3 - "$work" "$models" $boards <<'EOF'
import json, os, sys
work, models, boards = sys.argv[1], sys.argv[2], sys.argv[3:]
names = sorted(f[:-7] for f in os.listdir(models) if f.endswith(".tflite"))
kinds = [("tflm-ref", "TFLM ref"), ("tflm-cmsis-nn", "TFLM CMSIS-NN"), ("own-ref", "mcusim ref"), ("own-opt", "mcusim opt")]
def load(board, name, kind):
    with open(os.path.join(work, "%s.%s.%s.json" % (board, name, kind))) as f:
        return json.load(f)
def flash(r):
    fl = r["flash"]
    return fl["code"] + fl["rodata"] + fl["data"]
print("One inference per model and board: cycles of the INFERENCE region; arena = planned bytes "
      "(TFLM's arena_used_bytes(), the own runtime's plan); flash = the image without the model.")
print()
print("| model | board | MACs | " + " | ".join(k[1] + " cycles" for k in kinds) +
      " | opt / CMSIS-NN | arena TFLM / mcusim opt | flash TFLM CMSIS-NN / mcusim opt |")
print("|---|---|---:|" + "---:|" * len(kinds) + "---:|---:|---:|")
for n in names:
    for b in boards:
        r = {k: load(b, n, k) for k, _ in kinds}
        macs = sum(l["macs"] for l in r["own-opt"]["layers"] if l["index"] >= 0)
        cyc = [r[k]["inference_cycles"] for k, _ in kinds]
        print("| %s | %s | %s | %s | %.2f | %s / %s | %s / %s |" % (
            n, b, format(macs, ","), " | ".join(format(c, ",") for c in cyc), cyc[3] / cyc[1],
            format(r["tflm-cmsis-nn"]["ram"]["arena_planned"], ","), format(r["own-opt"]["ram"]["arena_planned"], ","),
            format(flash(r["tflm-cmsis-nn"]), ","), format(flash(r["own-opt"]), ",")))
EOF
