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
# usage: bench/tflm.sh [BUILD_DIR] [MODELS_DIR] [BOARD] > table.md
#   BUILD_DIR   meson build directory with mcusim, the runtime images and
#               the TFLM images (default: build)
#   MODELS_DIR  the shared model set (default: ../shared/models next to the
#               source tree)
#   BOARD       default nano33ble
# Needs python3.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
models=${2:-$here/../shared/models}
board=${3:-nano33ble}
mcusim=$build/mcusim
tflm=$build/runtime/tflm
[ -x "$mcusim" ] || { echo "bench/tflm.sh: no mcusim in $build (build first)" >&2; exit 2; }
[ -f "$tflm/tflm-$board-ref.elf" ] || { echo "bench/tflm.sh: no TFLM images in $tflm (configure with TFLM sources)" >&2; exit 2; }
[ -d "$models" ] || { echo "bench/tflm.sh: no model directory $models" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
    echo "bench/tflm.sh: $1 failed:" >&2
    cat "$work/err" >&2
    exit 1
}

for m in "$models"/*.tflite; do
    name=$(basename "$m" .tflite)
    for k in ref opt; do
        "$mcusim" profile "$m" --board "$board" --kernels "$k" --no-db -q --json "$work/$name.own-$k.json" \
            --output "$work/$name.own-$k.out" >/dev/null 2>"$work/err" || fail "$name with mcusim $k"
    done
    for k in ref cmsis-nn; do
        python3 "$here/runtime/port/place_model.py" "$tflm/tflm-$board-$k.elf" "$m" -o "$work/fw.elf" 2>"$work/err" ||
            fail "placing $name"
        "$mcusim" run "$work/fw.elf" --board "$board" --profile --db "$work/runs.db" -q --json "$work/$name.tflm-$k.json" \
            -- --output "$work/$name.tflm-$k.out" >/dev/null 2>"$work/err" || fail "$name with TFLM $k"
    done
    for k in tflm-cmsis-nn own-ref own-opt; do
        cmp -s "$work/$name.tflm-ref.out" "$work/$name.$k.out" ||
            { echo "bench/tflm.sh: $name: $k output differs from TFLM-ref's" >&2; exit 1; }
    done
done

python3 - "$work" "$board" "$models" <<'EOF'
import json, os, sys
work, board, models = sys.argv[1], sys.argv[2], sys.argv[3]
names = sorted(f[:-7] for f in os.listdir(models) if f.endswith(".tflite"))
kinds = [("tflm-ref", "TFLM ref"), ("tflm-cmsis-nn", "TFLM CMSIS-NN"), ("own-ref", "mcusim ref"), ("own-opt", "mcusim opt")]
def load(name, kind):
    with open(os.path.join(work, "%s.%s.json" % (name, kind))) as f:
        return json.load(f)
def flash(r):
    fl = r["flash"]
    return fl["code"] + fl["rodata"] + fl["data"]
print("One inference on the simulated `%s`: cycles of the INFERENCE region; arena = planned bytes; "
      "flash = the image without the model." % board)
print()
print("| model | MACs | " + " | ".join(k[1] + " cycles" for k in kinds) + " | opt / CMSIS-NN | arena TFLM / mcusim | flash TFLM CMSIS-NN / mcusim opt |")
print("|---|---:|" + "---:|" * len(kinds) + "---:|---:|---:|")
for n in names:
    r = {k: load(n, k) for k, _ in kinds}
    macs = sum(l["macs"] for l in r["own-opt"]["layers"])
    cyc = [r[k]["inference_cycles"] for k, _ in kinds]
    print("| %s | %s | %s | %.2f | %s / %s | %s / %s |" % (
        n, format(macs, ","), " | ".join(format(c, ",") for c in cyc), cyc[3] / cyc[1],
        format(r["tflm-cmsis-nn"]["ram"]["arena_planned"], ","), format(r["own-opt"]["ram"]["arena_planned"], ","),
        format(flash(r["tflm-cmsis-nn"]), ","), format(flash(r["own-opt"]), ",")))
EOF
