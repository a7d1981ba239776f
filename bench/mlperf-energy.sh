#!/bin/sh
# bench/mlperf-energy.sh — mcusim's energy estimate against energy measured
# on hardware: the four MLPerf Tiny models profiled on the simulated
# stm32l4r5 (120 MHz, opt kernels) at the 1.8 V supply MLPerf Tiny's
# EnergyRunner used, against the average power the MLPerf Tiny v1.0
# submissions measured on the NUCLEO-L4R5ZI (median µJ per inference times
# median inferences per second).  Prints the markdown table of the README's
# "Energy against hardware" section and docs/energy.md.
#
# Power, not energy, is compared: the submissions ran other runtimes
# (microTVM + CMSIS-NN on Zephyr; X-CUBE-AI), so their inference times
# differ from mcusim's runtime; power over a busy inference depends on the
# chip and its clock, not on which code keeps it busy (to first order).
#
# usage: bench/mlperf-energy.sh [BUILD_DIR] [MODELS_DIR] > table.md
#   BUILD_DIR   meson build directory with mcusim and the runtime images
#               (default: build)
#   MODELS_DIR  the shared model set (default: ../shared/models next to the
#               source tree)
# Needs python3.  The measured numbers are quoted below with the file each
# comes from (github.com/mlcommons/tiny_results_v1.0); nothing is fetched.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
models=${2:-$here/../shared/models}
mcusim=$build/mcusim
[ -x "$mcusim" ] || { echo "bench/mlperf-energy.sh: no mcusim in $build (build first)" >&2; exit 2; }
[ -d "$models" ] || { echo "bench/mlperf-energy.sh: no model directory $models" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench/mlperf-energy.sh: needs python3" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The board at the EnergyRunner's supply: "emon voltage ... m-voltage-mv[1800]"
# in every energy/log.txt below.  Only the supply differs from boards/.
sed 's/^supply_v = .*/supply_v = 1.8/' "$here/boards/stm32l4r5.ini" >"$work/stm32l4r5-1v8.ini"
grep -q '^supply_v = 1.8$' "$work/stm32l4r5-1v8.ini" ||
    { echo "bench/mlperf-energy.sh: boards/stm32l4r5.ini has no supply_v line" >&2; exit 1; }

for name in kws_dscnn vww_mobilenet ic_resnet8 ad_autoencoder; do
    [ -f "$models/$name.tflite" ] || { echo "bench/mlperf-energy.sh: no $models/$name.tflite" >&2; exit 2; }
    if ! "$mcusim" profile "$models/$name.tflite" --board "$work/stm32l4r5-1v8.ini" --kernels opt --no-db -q \
            --json "$work/$name.json" >/dev/null 2>"$work/err"; then
        echo "bench/mlperf-energy.sh: $name failed:" >&2
        cat "$work/err" >&2
        exit 1
    fi
done

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
# MLPerf Tiny v1.0, closed division, NUCLEO-L4R5ZI, 120 MHz, EnergyRunner
# with the LPM01A at 1.8 V: (median uJ/inference, median inferences/s) from
# results/<...>/<task>/energy/results.txt.
base = "tiny_results_v1.0/closed"
published = {
    "OctoML (microTVM + CMSIS-NN, Zephyr 2.7)": (
        base + "/OctoML/results/microtvm_cmsis_nn/NUCLEO_L4R5ZI/<task>/energy/results.txt", {
            "kws": (5230.273, 9.997), "vww": (15531.354, 3.347),
            "ic": (20236.298, 2.566), "ad": (443.184, 116.207)}),
    "STMicroelectronics (X-CUBE-AI 7.3, bare metal)": (
        base + "/STMicroelectronics/results/NUCLEO_L4R5ZI/<task>/energy/results.txt", {
            "kws": (3371.738, 13.314), "vww": (10066.628, 4.427),
            "ic": (10681.623, 4.409), "ad": (322.977, 132.077)}),
}
tasks = [("kws", "kws_dscnn"), ("vww", "vww_mobilenet"), ("ic", "ic_resnet8"), ("ad", "ad_autoencoder")]
V = 1.8
sim = {}
for task, model in tasks:
    j = json.load(open(f"{work}/{model}.json"))
    s = j["inference_cycles"] / j["clock_hz"]
    sim[task] = (j["inference_energy_uj"], s)

print("| model | mcusim ms | mcusim µJ (est.) | mcusim mW | mcusim mA | submission | measured µJ/inf | inf/s | measured mW | measured mA | mcusim / measured |")
print("| :-- | --: | --: | --: | --: | :-- | --: | --: | --: | --: | --: |")
for task, model in tasks:
    uj, s = sim[task]
    mw = uj / s / 1000
    for who, (path, rows) in published.items():
        e, ips = rows[task]
        pmw = e * ips / 1000
        print(f"| {model} | {s*1000:,.1f} | {uj:,.1f} | {mw:.2f} | {mw/V:.2f} | {who.split(' (')[0]} | {e:,.1f} | {ips:.3f} "
              f"| {pmw:.2f} | {pmw/V:.2f} | {mw/pmw:.2f} ({(mw/pmw-1)*100:+.0f}%) |")
print()
print("Sources: " + "; ".join(f"{who}: `{path}`" for who, (path, _) in published.items()) +
      ", `<task>` one of kws, vww, ic, ad; supply from each `energy/log.txt` (`m-voltage-mv[1800]`).")
PY
