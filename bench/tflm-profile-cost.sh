#!/bin/sh
# bench/tflm-profile-cost.sh — what profiling costs on the host, TFLM's
# images against the own runtime's: for each model, the same image (the
# model placed in its flash slot) runs with `mcusim run` (cycle model only)
# and with `mcusim run --profile` (layers, functions, RAM, database), best
# of N runs each, and the table shows the host time of both and their
# ratio, per runtime.  The per-layer profiler of TFLM
# (runtime/tflm/mcusim_tflm_profiler.cc) should cost no more, relative to
# the bare run, than the own runtime's markers do.
#
# usage: bench/tflm-profile-cost.sh [BUILD_DIR] [MODELS_DIR] [RUNS] > table.md
# Needs python3.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
models=${2:-$here/../shared/models}
runs=${3:-3}
[ -x "$build/mcusim" ] || { echo "bench/tflm-profile-cost.sh: no mcusim in $build" >&2; exit 2; }
[ -f "$build/runtime/tflm/tflm-nano33ble-cmsis-nn.elf" ] ||
    { echo "bench/tflm-profile-cost.sh: no TFLM images in $build/runtime/tflm" >&2; exit 2; }

python3 - "$here" "$build" "$models" "$runs" <<'EOF'
import os, subprocess, sys, tempfile, time
here, build, models, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
mcusim = os.path.join(build, "mcusim")
images = [("mcusim opt", os.path.join(build, "runtime/firmware/runtime-nano33ble-opt.elf"), ["--kernels", "opt"]),
          ("mcusim ref", os.path.join(build, "runtime/firmware/runtime-nano33ble-ref.elf"), ["--kernels", "ref"]),
          ("TFLM CMSIS-NN", os.path.join(build, "runtime/tflm/tflm-nano33ble-cmsis-nn.elf"), []),
          ("TFLM ref", os.path.join(build, "runtime/tflm/tflm-nano33ble-ref.elf"), [])]
names = ["person_detect", "kws_dscnn", "ic_resnet8", "ad_autoencoder"]
work = tempfile.mkdtemp()
def best(cmd):
    t = None
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        d = time.perf_counter() - start
        t = d if t is None else min(t, d)
    return t
print("Host seconds for one run on the simulated nano33ble, best of %d: `mcusim run` (cycle model) and "
      "`mcusim run --profile` (layers, functions, RAM, database)." % runs)
print()
print("| model | runtime | run s | run --profile s | profile / run |")
print("|---|---|---:|---:|---:|")
for n in names:
    model = os.path.join(models, n + ".tflite")
    if not os.path.exists(model):
        continue
    for label, image, args in images:
        elf = os.path.join(work, "fw.elf")
        subprocess.run(["python3", os.path.join(here, "runtime/port/place_model.py"), image, model, "-o", elf], check=True)
        bare = best([mcusim, "run", elf, "-q", "--"] + args)
        db = os.path.join(work, "runs.db")
        prof = best([mcusim, "run", elf, "--profile", "--db", db, "-q", "--"] + args)
        print("| %s | %s | %.3f | %.3f | %.2fx |" % (n, label, bare, prof, prof / bare))
EOF
