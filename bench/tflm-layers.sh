#!/bin/sh
# bench/tflm-layers.sh — per layer, mcusim's opt kernels against TFLM with
# CMSIS-NN on one simulated board: for each model, both runs through
# `mcusim profile` and a markdown table of every layer (op, both kernels,
# MACs, cycles and cycles per MAC of each, the faster), then the layer
# kinds (op and the CMSIS-NN function) summed, where opt is slower marked.
# Made for docs/kernels.md.
#
# usage: bench/tflm-layers.sh [BUILD_DIR] [MODELS_DIR] [BOARD] [MODEL...] > layers.md
#   defaults: build, ../shared/models, nano33ble, person_detect ic_resnet8
# Needs python3.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
models=${2:-$here/../shared/models}
board=${3:-nano33ble}
[ $# -gt 3 ] && shift 3 || set --
names=${*:-person_detect ic_resnet8}
mcusim=$build/mcusim
[ -x "$mcusim" ] || { echo "bench/tflm-layers.sh: no mcusim in $build (build first)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in $names; do
    for rk in mcusim/opt tflm/cmsis-nn; do
        "$mcusim" profile "$models/$n.tflite" --board "$board" --runtime "${rk%/*}" --kernels "${rk#*/}" --no-db -q \
            --json "$work/$n.${rk%/*}.json" >/dev/null 2>"$work/err" ||
            { echo "bench/tflm-layers.sh: $n with $rk failed:" >&2; cat "$work/err" >&2; exit 1; }
    done
done

python3 - "$work" "$board" $names <<'EOF'
import json, os, sys
work, board, names = sys.argv[1], sys.argv[2], sys.argv[3:]
def layers(n, rt):
    with open(os.path.join(work, "%s.%s.json" % (n, rt))) as f:
        return [l for l in json.load(f)["layers"] if l["index"] >= 0]
def cpm(c, m):
    return "%.2f" % (c / m) if m else "-"
for n in names:
    own, cm = layers(n, "mcusim"), layers(n, "tflm")
    assert len(own) == len(cm) and all(a["op"] == b["op"] for a, b in zip(own, cm)), n
    print("#### %s on %s: mcusim opt against TFLM CMSIS-NN, per layer" % (n, board))
    print()
    print("| # | op | opt kernel | CMSIS-NN kernel | MACs | opt cycles | CMSIS-NN cycles | opt c/MAC | CMSIS-NN c/MAC | faster |")
    print("|---:|---|---|---|---:|---:|---:|---:|---:|---|")
    kinds = {}
    for a, b in zip(own, cm):
        faster = "opt" if a["cycles"] < b["cycles"] else "CMSIS-NN" if b["cycles"] < a["cycles"] else "="
        print("| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            a["index"], a["op"], a["kernel"], b["kernel"], format(a["macs"], ","), format(a["cycles"], ","),
            format(b["cycles"], ","), cpm(a["cycles"], a["macs"]), cpm(b["cycles"], b["macs"]), faster))
        k = kinds.setdefault((a["op"], b["kernel"]), [0, 0, 0, 0])
        k[0] += 1; k[1] += a["macs"]; k[2] += a["cycles"]; k[3] += b["cycles"]
    print()
    print("By layer kind (op, CMSIS-NN function):")
    print()
    print("| op | CMSIS-NN kernel | layers | MACs | opt cycles | CMSIS-NN cycles | opt c/MAC | CMSIS-NN c/MAC | faster |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for (op, kern), (cnt, macs, oc, cc) in sorted(kinds.items(), key=lambda kv: -kv[1][3]):
        faster = "opt" if oc < cc else "CMSIS-NN" if cc < oc else "="
        print("| %s | %s | %d | %s | %s | %s | %s | %s | %s |" % (op, kern, cnt, format(macs, ","), format(oc, ","),
              format(cc, ","), cpm(oc, macs), cpm(cc, macs), faster))
    print()
EOF
