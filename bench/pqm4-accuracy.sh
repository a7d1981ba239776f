#!/bin/sh
# bench/pqm4-accuracy.sh — the README's accuracy table: pqm4's ML-KEM and
# ML-DSA operations (workloads/pqm4/) run on the simulated stm32l4r5-20mhz,
# against the cycles pqm4 measured on a NUCLEO-L4R5ZI at 20 MHz
# (../shared/third_party/pqm4/benchmarks.csv).  Prints a markdown table:
# operation, mcusim cycles (mean), hardware cycles (mean), error, and the
# hashing share of both.  tests/test_pqm4.c asserts the same numbers.
#
# usage: bench/pqm4-accuracy.sh [BUILD_DIR] > table.md
#   BUILD_DIR   meson build directory with mcusim and the pqm4 images
#               (default: build)
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
mcusim=$build/mcusim
images=$build/workloads/pqm4
csv=$here/../shared/third_party/pqm4/benchmarks.csv
[ -x "$mcusim" ] || { echo "bench/pqm4-accuracy.sh: no mcusim in $build (build first)" >&2; exit 2; }
[ -d "$images" ] || { echo "bench/pqm4-accuracy.sh: no pqm4 images in $images (pqm4 not found at configure time?)" >&2; exit 2; }
[ -f "$csv" ] || { echo "bench/pqm4-accuracy.sh: no $csv" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench/pqm4-accuracy.sh: needs python3" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for impl in ml-kem-512-m4fspeed ml-kem-768-m4fspeed ml-kem-1024-m4fspeed ml-kem-768-m4fstack \
            ml-dsa-44-m4f ml-dsa-65-m4f; do
    for harness in speed hashing; do
        echo "bench/pqm4-accuracy.sh: $impl $harness" >&2
        "$mcusim" run -q --board stm32l4r5-20mhz "$images/pqm4-$impl-$harness.elf" > "$work/$impl-$harness.out" || {
            echo "bench/pqm4-accuracy.sh: $impl-$harness did not run to completion" >&2; exit 1; }
    done
done

python3 - "$work" "$csv" <<'EOF'
import csv, sys
work, path = sys.argv[1], sys.argv[2]
speed, share = {}, {}
section = None
for row in csv.reader(open(path)):
    if row and row[0].endswith('Evaluation'):
        section = row[0]
    if len(row) > 4 and row[0].startswith('ml-'):
        key = (row[0].split(' ')[0], row[1])
        if section == 'Speed Evaluation':
            speed[key] = [float(row[2]), float(row[5]), float(row[8])]
        elif section == 'Hashing Evaluation':
            share[key] = [float(row[2]), float(row[3]), float(row[4])]

def tallies(name):
    lines = open(f'{work}/{name}.out').read().split('\n')
    t = {}
    for i, line in enumerate(lines[:-1]):
        if line.endswith('cycles:'):
            t.setdefault(line[:-1], []).append(int(lines[i + 1]))
    return t

impls = [('ml-kem-512', 'm4fspeed'), ('ml-kem-768', 'm4fspeed'), ('ml-kem-1024', 'm4fspeed'),
         ('ml-kem-768', 'm4fstack'), ('ml-dsa-44', 'm4f'), ('ml-dsa-65', 'm4f')]
print('| operation | mcusim cycles | hardware cycles | error | hashing share, mcusim | hashing share, hardware |')
print('| --- | ---: | ---: | ---: | ---: | ---: |')
worst = 0
for scheme, impl in impls:
    sp, hs = tallies(f'{scheme}-{impl}-speed'), tallies(f'{scheme}-{impl}-hashing')
    kem = scheme.startswith('ml-kem')
    ops = [('keypair', 0), ('encaps', 1), ('decaps', 2)] if kem else [('keypair', 0), ('verify', 2)]
    for op, col in ops:
        runs = sp[op + ' cycles']
        mean = sum(runs) / len(runs)
        hw = speed[(scheme, impl)][col]
        err = 100 * (mean - hw) / hw
        worst = max(worst, abs(err))
        pct = 100 * sum(hs[op + ' hash cycles']) / sum(hs[op + ' cycles'])
        print(f'| {scheme} {impl} {op} | {mean:,.0f} | {hw:,.0f} | {err:+.2f} % | {pct:.1f} % | '
              f'{share[(scheme, impl)][col]:.1f} % |')
print()
print(f'Largest error: {worst:.2f} % (target 1 %); means of the runs of each image '
      f'(speed harness) against pqm4\'s means.')
EOF
