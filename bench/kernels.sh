#!/bin/sh
# bench/kernels.sh — the `ref` against `opt` kernel benchmark: runs
# every int8 model of the shared set with both kernel families on the
# simulated nano33ble, and the four MLPerf Tiny models on the simulated
# stm32l4r5, and prints the markdown tables of docs/kernels.md:
#
#   1. per model on nano33ble: cycles per inference (ref, opt), speed-up,
#      arena bytes and flash bytes of each family;
#   2. per model and layer type: cycles per MAC, ref -> opt;
#   3. stm32l4r5 against the MLPerf Tiny v1.0 results of the same chip;
#   4. per layer of each MLPerf model on stm32l4r5: kernel, MACs, cycles,
#      cycles per MAC, share of the inference.
#
# It is a benchmark, not a test: it asserts nothing about speed, but it does
# stop if a family's output differs from ref's (the numbers would be moot).
#
# usage: bench/kernels.sh [BUILD_DIR] [MODELS_DIR] > table.md
#   BUILD_DIR   meson build directory with mcusim and the runtime images
#               (default: build)
#   MODELS_DIR  the shared model set (default: ../shared/models next to the
#               source tree)
# Needs python3 (the tables are formatted from 'mcusim profile --json').
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
models=${2:-$here/../shared/models}
mcusim=$build/mcusim
[ -x "$mcusim" ] || { echo "bench/kernels.sh: no mcusim in $build (build first)" >&2; exit 2; }
[ -d "$models" ] || { echo "bench/kernels.sh: no model directory $models" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench/kernels.sh: needs python3" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One profile run: model board kernels -> $work/<model>.<board>.<kernels>.{json,out}
run() {
    name=$(basename "$1" .tflite)
    if ! "$mcusim" profile "$1" --board "$2" --kernels "$3" --no-db -q \
            --json "$work/$name.$2.$3.json" --output "$work/$name.$2.$3.out" >/dev/null 2>"$work/err"; then
        echo "bench/kernels.sh: $name on $2 with $3 failed:" >&2
        cat "$work/err" >&2
        exit 1
    fi
}

int8_models=""
for m in "$models"/*.tflite; do
    case $(basename "$m") in
        *float*) continue ;;  # float32 models: no int8 kernels to compare
    esac
    int8_models="$int8_models $m"
    for k in ref opt; do run "$m" nano33ble "$k"; done
    name=$(basename "$m" .tflite)
    cmp -s "$work/$name.nano33ble.ref.out" "$work/$name.nano33ble.opt.out" ||
        { echo "bench/kernels.sh: $name: opt output differs from ref on nano33ble" >&2; exit 1; }
done
for name in kws_dscnn vww_mobilenet ic_resnet8 ad_autoencoder; do
    [ -f "$models/$name.tflite" ] || continue
    for k in ref opt; do run "$models/$name.tflite" stm32l4r5 "$k"; done
    cmp -s "$work/$name.stm32l4r5.ref.out" "$work/$name.stm32l4r5.opt.out" ||
        { echo "bench/kernels.sh: $name: opt output differs from ref on stm32l4r5" >&2; exit 1; }
done

# What the numbers were made with.
fw=$build/runtime/firmware
{
    "$mcusim" --version 2>/dev/null | head -n1 || echo "mcusim (no --version)"
    for f in "$fw"/runtime-nano33ble-ref.elf "$fw"/runtime-nano33ble-opt.elf \
             "$fw"/runtime-stm32l4r5-ref.elf "$fw"/runtime-stm32l4r5-opt.elf \
             "$here"/sim/timing.c "$here"/sim/timing_m4.c "$here"/boards/nano33ble.ini "$here"/boards/stm32l4r5.ini; do
        [ -f "$f" ] && echo "$(sha256sum "$f" | cut -c1-16)  $(basename "$f")"
    done
} > "$work/provenance"

python3 - "$work" $int8_models <<'EOF'
import json, os, sys

work, paths = sys.argv[1], sys.argv[2:]
names = [os.path.basename(p)[:-len(".tflite")] for p in paths]

def load(name, board, kernels):
    with open(os.path.join(work, "%s.%s.%s.json" % (name, board, kernels))) as f:
        return json.load(f)

def flash(run):
    f = run["flash"]
    return f["code"] + f["rodata"] + f["data"] + f["model"]

def layers(run):
    return [l for l in run["layers"] if l["index"] >= 0]

def n(x):
    return "{:,}".format(x)

print("Simulated board nano33ble (Cortex-M4F @ 64 MHz, flash 2 wait states, no data cache).")
print("Cycles are those of one inference (the INFERENCE region), not of start-up and parsing.")
print()
print("| model | MACs | ref cycles | opt cycles | speed-up | ref cycles/MAC | opt cycles/MAC "
      "| arena ref | arena opt | flash ref | flash opt |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for name in names:
    r, o = load(name, "nano33ble", "ref"), load(name, "nano33ble", "opt")
    macs = sum(l["macs"] for l in layers(r))
    print("| %s | %s | %s | %s | %.2fx | %.2f | %.2f | %s | %s | %s | %s |" % (
        name, n(macs), n(r["inference_cycles"]), n(o["inference_cycles"]),
        r["inference_cycles"] / o["inference_cycles"],
        r["inference_cycles"] / max(1, macs), o["inference_cycles"] / max(1, macs),
        n(r["ram"]["arena_planned"]), n(o["ram"]["arena_planned"]), n(flash(r)), n(flash(o))))
print()
print("Flash = code + read-only data + initialised data of the image + the model (weights stay in flash);")
print("the opt image links ref too (every op's fallback). Arena = activations, kernel scratch and the")
print("runtime's tables, as planned by the runtime.")
print()

# Cycles per MAC by layer type (a 1x1 convolution is its own type: it has its own kernel).
def layer_type(l, opt_layer):
    if l["op"] == "CONV_2D" and opt_layer["kernel"].startswith("conv_1x1"):
        return "CONV_2D 1x1"
    return l["op"]

types = ["CONV_2D", "CONV_2D 1x1", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "ADD", "AVERAGE_POOL_2D"]
print("Cycles per MAC by layer type on nano33ble, ref -> opt (ADD and pooling: per output element; "
      "- : no such layer):")
print()
print("| model | " + " | ".join(types) + " | other (cycles, ref -> opt) |")
print("|---|" + "---:|" * (len(types) + 1))
for name in names:
    r, o = load(name, "nano33ble", "ref"), load(name, "nano33ble", "opt")
    acc = {}
    other = [0, 0]
    for lr, lo in zip(layers(r), layers(o)):
        t = layer_type(lr, lo)
        if t not in types or lr["macs"] == 0:
            other[0] += lr["cycles"]
            other[1] += lo["cycles"]
            continue
        a = acc.setdefault(t, [0, 0, 0])
        a[0] += lr["macs"]
        a[1] += lr["cycles"]
        a[2] += lo["cycles"]
    cells = []
    for t in types:
        if t in acc:
            m, cr, co = acc[t]
            cells.append("%.1f -> %.2f" % (cr / m, co / m))
        else:
            cells.append("-")
    print("| %s | %s | %s -> %s |" % (name, " | ".join(cells), n(other[0]), n(other[1])))
print()

mlperf = {  # MLPerf Tiny v1.0, STM32L4R5ZI @ 120 MHz (latency ms; cycles = ms * 120e3)
    "kws_dscnn": ("keyword spotting", 71.7),
    "vww_mobilenet": ("visual wake words", 208.6),
    "ic_resnet8": ("image classification", 173.2),
    "ad_autoencoder": ("anomaly detection", 5.6),
}
have = [m for m in mlperf if os.path.exists(os.path.join(work, "%s.stm32l4r5.opt.json" % m))]
if have:
    print("Simulated board stm32l4r5 (Cortex-M4F @ 120 MHz, flash 5 wait states behind the ART "
          "accelerator's caches) against MLPerf Tiny v1.0 on the real chip:")
    print()
    print("| model | task | ref cycles | opt cycles | opt ms | MLPerf v1.0 cycles | MLPerf ms | opt / MLPerf |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name in have:
        r, o = load(name, "stm32l4r5", "ref"), load(name, "stm32l4r5", "opt")
        task, ms = mlperf[name]
        ref_cycles = ms * 120e3
        print("| %s | %s | %s | %s | %.1f | %s | %.1f | %.2f |" % (
            name, task, n(r["inference_cycles"]), n(o["inference_cycles"]),
            o["inference_cycles"] / 120e3, n(int(round(ref_cycles))), ms, o["inference_cycles"] / ref_cycles))
    print()
    for name in have:
        o = load(name, "stm32l4r5", "opt")
        total = o["inference_cycles"]
        print("<details><summary>%s on stm32l4r5, opt, per layer</summary>" % name)
        print()
        print("| # | op | kernel | MACs | cycles | cycles/MAC | share |")
        print("|---:|---|---|---:|---:|---:|---:|")
        for l in layers(o):
            print("| %d | %s | %s | %s | %s | %s | %.1f%% |" % (
                l["index"], l["op"], l["kernel"], n(l["macs"]), n(l["cycles"]),
                "%.2f" % (l["cycles"] / l["macs"]) if l["macs"] else "-", 100.0 * l["cycles"] / total))
        print()
        print("</details>")
        print()

print("Made with:")
print()
print("```")
with open(os.path.join(work, "provenance")) as f:
    print(f.read().rstrip())
print("```")
EOF
