#!/bin/sh
# bench/hwcounts.sh — the README's Cortex-M7 and Cortex-M0+ accuracy table:
# the sequences of workloads/microbench/hwcounts.tsv, whose cycles were
# measured on hardware and published, run in the hwcounts firmware on the
# simulated stm32f746disco and pico.  Prints a markdown table: core,
# sequence, hardware cycles per iteration, mcusim's, source.
# tests/test_cycles.c (cycles_hw) asserts the same numbers.
#
# usage: bench/hwcounts.sh [BUILD_DIR] > table.md
#   BUILD_DIR   meson build directory with mcusim and the hwcounts firmware
#               (default: build)
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
mcusim=$build/mcusim
table=$here/workloads/microbench/hwcounts.tsv
[ -x "$mcusim" ] || { echo "bench/hwcounts.sh: no mcusim in $build (build first)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench/hwcounts.sh: needs python3" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for board in stm32f746disco pico; do
    elf=$build/workloads/microbench/hwcounts-$board.elf
    [ -f "$elf" ] || { echo "bench/hwcounts.sh: no $elf (no arm-none-eabi-gcc at configure time?)" >&2; exit 2; }
    "$mcusim" run -q --board "$board" "$elf" > "$work/$board.out" || {
        echo "bench/hwcounts.sh: $elf did not run to completion" >&2; exit 1; }
done

python3 - "$work" "$table" <<'PY'
import sys
work, table = sys.argv[1], sys.argv[2]
core = {'stm32f746disco': 'Cortex-M7', 'pico': 'Cortex-M0+'}
names = {'jnk0le-m7': 'jnk0le/random `doc/cortex_m7.md` (STM32H743)',
         'jnk0le-m0': 'jnk0le/random `doc/cortex_m0.md` (Cortex-M0)',
         'pico-sdk': 'pico-sdk (RP2040)'}
runs = {}
for board in core:
    runs[board] = dict(line.split() for line in open(f'{work}/{board}.out') if len(line.split()) == 2)
print('| core | sequence (in a loop) | hardware | from | mcusim | source |')
print('| --- | --- | ---: | --- | ---: | --- |')
worst = 0
for line in open(table):
    if line.startswith('#') or not line.strip():
        continue
    board, name, hw, parts, sequence, source = line.rstrip('\n').split('\t')
    diff = int(runs[board][name + '_1001']) - int(runs[board][name + '_1'])
    mine = diff / 1000
    worst = max(worst, abs(mine - int(hw)))
    print(f'| {core[board]} | {sequence} | {hw} | {parts} | {mine:g} | {names[source.split(":")[0]]} |')
print()
print('Cycles per iteration of the loop around each sequence: on the Cortex-M7 '
      "jnk0le's template (4 cycles of its own), on the Cortex-M0+ `subs; bne` (3). "
      f'Largest difference {worst:g} cycles.  "from": how the hardware count adds up '
      "(loop + sequence).  Only the template's 20 cycles and the pico-sdk's counts are printed as numbers "
      'in their sources; the other Cortex-M7 counts are the sums that the measured rules quoted in '
      'hwcounts.tsv give for the sequence (e.g. "takes ceil(regnum/2) cycles").')
PY
