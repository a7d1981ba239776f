#!/usr/bin/env bash
# bench/bad_inputs.sh — tries every kind of bad input on mcusim and writes
# what it says and returns: the table in the README's "Bad input" section,
# between its two marker comments.  Each row is a real run of the program
# just built.
#
#   bash bench/bad_inputs.sh [BUILD_DIR] [OUTPUT.md]
#       BUILD_DIR   default: build (needs the firmware and workloads built)
#       OUTPUT.md   default: README.md (the table between the markers is
#                   replaced); a file without the markers gets the table alone
#
# Run as root for the rows that need it (a full tmpfs, file permissions
# that root would ignore are tested as the user nobody); without root
# those rows say "skipped".  Inputs are made in a scratch directory and
# commands run there, so messages show short relative names.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$here/build}" && pwd) || { echo "no build directory" >&2; exit 2; }
out=${2:-$here/README.md}
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
M="$build/mcusim"
[ -x "$M" ] || { echo "$M: not built" >&2; exit 2; }

work=$(mktemp -d /tmp/mcusim-bad-inputs.XXXXXX)
chmod 0777 "$work"
mounted=""
cleanup() {
  [ -n "$mounted" ] && umount -l "$mounted" 2>/dev/null
  chmod -R u+rwx "$work" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"

rows=()
# row AREA INPUT COMMAND... : runs the command, records stderr and status.
row() {
  local area=$1 input=$2
  shift 2
  local err status
  err=$("$@" 2>&1 >/dev/null)
  status=$?
  add_row "$area" "$input" "$*" "$err" "$status"
}
# add_row AREA INPUT COMMAND STDERR STATUS
add_row() {
  local cmd=${3//$M/mcusim} msg=$4
  cmd=${cmd//$build/BUILD}
  cmd=${cmd//$here/SRC}
  cmd=${cmd#setpriv --reuid=nobody --regid=nogroup --clear-groups }
  msg=${msg//$build/BUILD}
  msg=${msg//$here/SRC}
  msg=${msg//$work\//}
  local lines
  lines=$(printf '%s' "$msg" | grep -c '' || true)
  # Firmware runs add a statistics line after the diagnostic: not part of it.
  local first
  first=$(printf '%s\n' "$msg" | grep -v '^mcusim: [0-9,]* instructions' | head -n 3)
  [ -z "$first" ] && [ "$5" = 0 ] && first="(works: reading needs no write access; output on stdout)"
  first=${first//|/\\|}
  first=${first//$'\n'/<br>}
  rows+=("| $1 | $2 | \`$cmd\` | $first | $5 |")
  [ "$lines" -gt 3 ] && echo "bad_inputs: $2: $lines lines" >&2
  return 0
}
skip_row() {
  rows+=("| $1 | $2 | \`$3\` | (skipped: $4) | |")
}
py() { python3 -c "$@"; }

# ---- inputs ---------------------------------------------------------------
hello="$build/workloads/firmware/hello-nano33ble.elf"
faults="$build/tests/firmware/faults-nano33ble.elf"
robust="$build/tests/firmware/robust-nano33ble.elf"
model="$here/fuzz/corpus/tflite/cnn_tiny.tflite"
cp "$model" good.tflite
: > empty.bin
printf 'hello, I am not a binary\n' > text.txt
py "import random; random.seed(7); open('random.bin','wb').write(bytes(random.randrange(256) for _ in range(4096)))"
head -c 100 "$hello" > truncated.elf
head -c 700 "$model" > truncated.tflite
cp "$hello" phdr.elf
# e_phoff (offset 28) far past the end of the file.
py "import struct; f=open('phdr.elf','r+b'); f.seek(28); f.write(struct.pack('<I', 0x7fffff00))"
cp "$model" wrongid.tflite
py "f=open('wrongid.tflite','r+b'); f.seek(4); f.write(b'XXXX')"
cp "$here/fuzz/corpus/tflite/crash-conv-zero-input-channels.tflite" zero-channels.tflite
cp "$here/fuzz/corpus/tflite/crash-constant-graph-input.tflite" constant-input.tflite
# An operator code no runtime knows (the first opcode table's builtin_code).
py "
import struct
b=bytearray(open('good.tflite','rb').read())
u32=lambda o: struct.unpack_from('<I',b,o)[0]
def field(t, i):
    vt=t-struct.unpack_from('<i',b,t)[0]
    n=struct.unpack_from('<H',b,vt)[0]
    return 0 if 4+2*i+2>n else struct.unpack_from('<H',b,vt+4+2*i)[0]
root=u32(0)
oc=root+field(root,1); oc+=u32(oc)
first=oc+4; t=first+u32(first)
off=field(t,3)
struct.pack_into('<i',b,t+off,150)
off0=field(t,0)
if off0: b[t+off0]=127
open('unknown-op.tflite','wb').write(b)
"
"$M" model build autoencoder:input=4096,hidden=1024 -o big-flash.tflite >/dev/null
"$M" model build cnn:res=160,ch=3,width=2 -o big-ram.tflite >/dev/null
"$M" model build mobilenet:alpha=0.5,res=224,classes=1000 -o big-both.tflite >/dev/null
"$M" model build mobilenet:alpha=0.5,res=160,dtype=float32 -o float-big.tflite >/dev/null
head -c 10 /dev/zero > short-input.bin
mkdir adir

# ---- firmware ELF -----------------------------------------------------------
row "firmware ELF" "missing file" "$M" run missing.elf
row "firmware ELF" "a directory" "$M" run adir
row "firmware ELF" "empty file" "$M" run empty.bin
row "firmware ELF" "text file" "$M" run text.txt
row "firmware ELF" "random bytes" "$M" run random.bin
row "firmware ELF" "truncated ELF (100 bytes)" "$M" run truncated.elf
row "firmware ELF" "program headers past the end" "$M" run phdr.elf
row "firmware ELF" "64-bit host program" "$M" run /bin/true
row "firmware ELF" "segments outside the board's memory" "$M" run "$hello" --board pico
row "firmware ELF" "linked for a board with more RAM (stack outside)" "$M" run "${hello%-nano33ble.elf}-stm32l4r5.elf" --board stm32f746disco
row "firmware ELF" "not a runtime image (--firmware)" "$M" profile good.tflite --no-db --firmware "$hello"

# ---- model ------------------------------------------------------------------
row "model" "missing file" "$M" profile missing.tflite --no-db
row "model" "a directory" "$M" profile adir --no-db
row "model" "empty file" "$M" profile empty.bin --no-db
row "model" "text file" "$M" profile text.txt --no-db
row "model" "random bytes" "$M" profile random.bin --no-db
row "model" "truncated (700 bytes)" "$M" profile truncated.tflite --no-db
row "model" "wrong file identifier" "$M" profile wrongid.tflite --no-db
row "model" "unknown operator" "$M" profile unknown-op.tflite --no-db
row "model" "conv with 0 input channels (fuzzer)" "$M" profile zero-channels.tflite --no-db
row "model" "constant graph input (fuzzer)" "$M" profile constant-input.tflite --no-db
row "model" "same, model info" "$M" model info zero-channels.tflite
row "model" "too big for the flash" "$M" profile big-flash.tflite --no-db -q
row "model" "arena too big for the RAM" "$M" profile big-ram.tflite --no-db -q
row "model" "too big for the flash and the RAM" "$M" profile big-both.tflite --no-db -q
row "model" "float32 operators the runtime lacks, and too big" "$M" profile float-big.tflite --no-db -q
row "model" "input file of the wrong size" "$M" profile good.tflite --no-db -q --input short-input.bin
row "model" "unknown kernel family" "$M" profile good.tflite --no-db --kernels fast
row "model" "unknown runtime" "$M" profile good.tflite --no-db --runtime tflite-micro
row "model" "kernel family of another runtime" "$M" profile good.tflite --no-db --runtime mcusim --kernels cmsis-nn

# ---- variants (fit) ---------------------------------------------------------
row "variants (fit)" "range that runs backwards" "$M" fit 'mobilenet:alpha=1..0.25' --static
row "variants (fit)" "too many variants" "$M" fit 'mobilenet:res=96..4096..1' --static
row "variants (fit)" "unknown spec key" "$M" fit 'mobilenet:depth=1..3' --static
row "variants (fit)" "the same variant twice" "$M" fit 'mobilenet:res=96/96' --static
row "variants (fit)" "board named twice" "$M" fit mobilenet --board pico,pico --static
row "variants (fit)" "malformed budget" "$M" fit mobilenet --max-ram-kb lots --static

# ---- board ------------------------------------------------------------------
board() { printf '%b' "$2" > "$1"; }
base='[board]\nname = b\ncore = cortex-m4\nclock_hz = 64000000\n[memory.flash]\nkind = flash\nbase = 0\nsize = 1M\n[memory.ram]\nkind = ram\nbase = 0x20000000\nsize = 256K\n'
board typo.ini "${base}[timing]\nflash_wait_state = 2\n"
board number.ini '[board]\nname = b\ncore = cortex-m4\nclock_hz = 64MHz\n[memory.flash]\nkind = flash\nbase = 0\nsize = 1M\n[memory.ram]\nkind = ram\nbase = 0x20000000\nsize = 256K\n'
board syntax.ini "${base}this is not ini\n"
board overlap.ini "${base}[memory.sram2]\nkind = ram\nbase = 0x20010000\nsize = 64K\n"
board noram.ini '[board]\nname = b\ncore = cortex-m4\nclock_hz = 64000000\n[memory.flash]\nkind = flash\nbase = 0\nsize = 1M\n'
board core.ini '[board]\nname = b\ncore = cortex-m33\nclock_hz = 64000000\n[memory.flash]\nkind = flash\nbase = 0\nsize = 1M\n[memory.ram]\nkind = ram\nbase = 0x20000000\nsize = 256K\n'
board stack.ini '[board]\nname = b\ncore = cortex-m4\nclock_hz = 64000000\nstack = 512K\n[memory.flash]\nkind = flash\nbase = 0\nsize = 1M\n[memory.ram]\nkind = ram\nbase = 0x20000000\nsize = 256K\n'
board cache.ini "${base}[timing]\nicache = true\nicache_bytes = 1000\nicache_line_bytes = 24\n"
row "board" "unknown board name" "$M" run "$hello" --board nano34
row "board" "missing file" "$M" run "$hello" --board missing.ini
row "board" "empty file" "$M" run "$hello" --board ./empty.bin
row "board" "random bytes" "$M" run "$hello" --board ./random.bin
row "board" "misspelt key" "$M" run "$hello" --board typo.ini
row "board" "malformed number" "$M" run "$hello" --board number.ini
row "board" "not key = value" "$M" run "$hello" --board syntax.ini
row "board" "overlapping regions" "$M" run "$hello" --board overlap.ini
row "board" "no RAM" "$M" run "$hello" --board noram.ini
row "board" "unknown core" "$M" run "$hello" --board core.ini
row "board" "stack larger than the RAM" "$M" run "$hello" --board stack.ini
row "board" "impossible cache geometry" "$M" run "$hello" --board cache.ini

# ---- budget file (mcusim gate) ----------------------------------------------
"$M" profile good.tflite -q --db runs.db --tag cnn >/dev/null 2>&1
printf '[cnn]\nmax_ram_kb = 64\nmax_ram = 3\n' > b-typo.ini
printf '[cnn]\nmax_latency_ms = fast\n' > b-number.ini
printf '[cnn]\nmax_ram_kb = 1\n[cnn]\nmax_ram_kb = 2\n' > b-twice.ini
printf '[cnn]\ntag = cnn\n' > b-nolimit.ini
row "budget file" "missing file" "$M" gate --budget missing.ini --db runs.db
row "budget file" "empty file" "$M" gate --budget empty.bin --db runs.db
row "budget file" "random bytes" "$M" gate --budget random.bin --db runs.db
row "budget file" "unknown key" "$M" gate --budget b-typo.ini --db runs.db
row "budget file" "malformed number" "$M" gate --budget b-number.ini --db runs.db
row "budget file" "workload given twice" "$M" gate --budget b-twice.ini --db runs.db
row "budget file" "workload without a limit" "$M" gate --budget b-nolimit.ini --db runs.db

# ---- run database -----------------------------------------------------------
cp random.bin random.db
"$M" profile good.tflite -q --db trunc.db >/dev/null 2>&1
"$M" profile good.tflite -q --db trunc.db >/dev/null 2>&1
"$M" profile good.tflite -q --db trunc.db >/dev/null 2>&1
truncate -s $(( $(stat -c %s trunc.db) / 2 )) trunc.db
"$M" profile good.tflite -q --db good-runs.db >/dev/null 2>&1
"$M" profile good.tflite -q --db newer.db >/dev/null 2>&1
py "import sqlite3; c=sqlite3.connect('newer.db'); c.execute('PRAGMA user_version = 99'); c.commit()"
py "import sqlite3; c=sqlite3.connect('other.sqlite'); c.execute('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)'); c.commit()"
row "database" "random bytes (profile)" "$M" profile good.tflite -q --db random.db
row "database" "random bytes (report)" "$M" report --db random.db
row "database" "truncated to half (profile)" "$M" profile good.tflite -q --db trunc.db
row "database" "truncated to half (runs)" "$M" runs --db trunc.db
row "database" "newer schema (profile)" "$M" profile good.tflite -q --db newer.db
row "database" "newer schema (report)" "$M" report --db newer.db
row "database" "another program's database" "$M" profile good.tflite -q --db other.sqlite
row "database" "another program's database (runs)" "$M" runs --db other.sqlite
row "database" "missing (report)" "$M" report --db missing.db
row "database" "corrupt input (db merge)" "$M" db merge merged.db good-runs.db trunc.db
row "database" "corrupt file (db check)" "$M" db check trunc.db
row "database" "a directory" "$M" profile good.tflite -q --db adir
nobody=()
if [ "$(id -u)" = 0 ]; then nobody=(setpriv --reuid=nobody --regid=nogroup --clear-groups); fi
mkdir rodir && "$M" profile good.tflite -q --db rodir/runs.db >/dev/null 2>&1
"$M" profile good.tflite -q --db ro.db >/dev/null 2>&1
chmod 0444 ro.db; chmod 0666 rodir/runs.db; chmod 0555 rodir
if "${nobody[@]}" true 2>/dev/null; then
  row "database" "read-only file" "${nobody[@]}" "$M" profile good.tflite -q --db ro.db
  row "database" "read-only file (report)" "${nobody[@]}" "$M" report --db ro.db
  row "database" "read-only directory" "${nobody[@]}" "$M" profile good.tflite -q --db rodir/runs.db
else
  skip_row "database" "read-only file" "mcusim profile good.tflite -q --db ro.db" "cannot run as nobody"
fi
mkdir full
if mount -t tmpfs -o size=256k,mode=0777 tmpfs full 2>/dev/null; then
  mounted="$work/full"
  "$M" profile good.tflite -q --db full/runs.db >/dev/null 2>&1
  (dd if=/dev/zero of=full/filler bs=4k 2>/dev/null; true)
  row "database" "disk full" "$M" profile good.tflite -q --db full/runs.db
  umount -l full; mounted=""
else
  skip_row "database" "disk full" "mcusim profile good.tflite -q --db full/runs.db" "mounting a tmpfs needs root"
fi
"$M" profile good.tflite -q --db limit.db >/dev/null 2>&1
# Exactly the file's size (a multiple of the page size): the next run's
# rows cannot be written without growing it.
limit_kb=$(( $(stat -c %s limit.db) / 1024 ))
err=$(ulimit -f "$limit_kb"; "$M" profile good.tflite -q --db limit.db 2>&1 >/dev/null); st=$?
add_row "database" "file size limit (ulimit -f)" "ulimit -f $limit_kb; $M profile good.tflite -q --db limit.db" "$err" "$st"

# ---- debugger (--gdb) --------------------------------------------------------
row "debugger" "address that is not loopback" "$M" run "$hello" --gdb 0.0.0.0:3333
row "debugger" "port that is not a number" "$M" run "$hello" --gdb localhost:gdb
row "debugger" "--gdb-wait without --gdb" "$M" run "$hello" --gdb-wait

# ---- firmware that misbehaves -----------------------------------------------
row "firmware" "runaway loop, instruction limit" "$M" run "$faults" -n 1000000 -- runaway
row "firmware" "runaway loop, wall-clock limit" "$M" run "$faults" -n 0 --timeout 0.5 -- runaway
row "firmware" "stack overflow (recursion into the guard)" "$M" run "$faults" -- stack-overflow
row "firmware" "stack overflow (12 KB frame over the guard)" "$M" run "$robust" -- big-frame 12000
row "firmware" "stack overflow (frame into static data)" "$M" run "$robust" -- big-frame 250000
row "firmware" "write to flash" "$M" run "$faults" -- write-flash
row "firmware" "write to flash, --exit-status firmware (240 + 3)" "$M" run "$faults" --exit-status firmware -- write-flash
row "firmware" "read of an unmapped peripheral" "$M" run "$robust" -- peripheral-read 0xA0000000
row "firmware" "undefined instruction" "$M" run "$faults" -- undefined
row "firmware" "HardFault handler loops" "$M" run "$faults" --vector-faults -- handler-loops
row "firmware" "fault in the HardFault handler (lockup)" "$M" run "$faults" --vector-faults -- lockup
row "firmware" "deadlock (b . with interrupts off)" "$M" run "$faults" -- deadlock
row "firmware" "model run stopped mid-inference" "$M" profile good.tflite -q --db stop.db -n 20000

# ---- the table --------------------------------------------------------------
begin='<!-- bad-input table: generated by bench/bad_inputs.sh -->'
end='<!-- end of bad-input table -->'
table=$(mktemp)
{
  echo "$begin"
  echo
  echo "Every row is a real run of \`mcusim\` (regenerate with \`bash bench/bad_inputs.sh BUILD_DIR\`;"
  echo "\`BUILD\` and \`SRC\` stand for the build and source directories).  Exit statuses: 0 ok,"
  echo "1 the answer is no (a budget is exceeded, the firmware exited with a non-zero status), 2 bad"
  echo "input, 3 the firmware faulted, 4 a limit was reached, 5 internal error (I/O, database), 6 the"
  echo "model does not fit the board (see [Using mcusim](#using-mcusim)).  Runs that faulted or hit a limit"
  echo "under \`profile\` or \`run --profile\` are stored as failed runs with this diagnostic; bad input"
  echo "stores nothing, and a database that cannot be written is left as it was."
  echo
  echo "| area | bad input | command | what mcusim says (stderr) | exit |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "$end"
} > "$table"
if [ -f "$out" ] && grep -qF "$begin" "$out" && grep -qF "$end" "$out"; then
  # Splice: everything before the begin marker, the table, everything after the end marker.
  awk -v begin="$begin" -v end="$end" -v table="$table" '
    $0 == begin { while ((getline line < table) > 0) print line; skipping = 1; next }
    $0 == end   { skipping = 0; next }
    !skipping   { print }' "$out" > "$out.new" && mv "$out.new" "$out"
else
  cp "$table" "$out"
fi
rm -f "$table"
echo "bad_inputs: wrote $out (${#rows[@]} rows)"
