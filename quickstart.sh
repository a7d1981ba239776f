#!/usr/bin/env bash
# quickstart.sh — the README's two commands.
#
#   bash quickstart.sh demo   install what is missing, build, and profile the
#                             project's default workload on the default board
#   bash quickstart.sh test   install what is missing, build, run all tests;
#                             then the same suite and the fuzz targets in a
#                             second build with ASan and UBSan (.ci/sanitize.sh;
#                             MCUSIM_SANITIZE=0 skips it)
#
# Debian 12 (bookworm), as root or with sudo.  Safe to run again: installed
# packages are skipped, the build directory is reused.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${MCUSIM_BUILD_DIR:-"$here/build"}

packages=(
  meson ninja-build pkg-config gcc g++
  libunicorn-dev libcapstone-dev libsqlite3-dev libcriterion-dev
  libelf-dev libdw-dev libinih-dev libcjson-dev libmd-dev
  gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib
  qemu-system-arm python3-pyarmnn libarmnn-cpuref-backend22
  chromium libclang-rt-14-dev clang parallel python3 zlib1g-dev
  gdb-multiarch
)

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "quickstart: installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
  fi
}

build_all() {
  if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" "$here"
  fi
  ninja -C "$build"
}

case "${1:-}" in
  demo)
    install_missing
    build_all
    cd "$here"
    echo
    echo "quickstart: profiling the default workload (workloads/cnn) on nano33ble"
    "$build/mcusim" profile "$build/workloads/cnn.tflite" --board nano33ble --db "$here/mcusim.db" --tag quickstart
    ;;
  test)
    install_missing
    build_all
    # Both halves run even when the first fails, so one run reports all.
    status=0
    meson test -C "$build" --print-errorlogs || status=1
    if [ "${MCUSIM_SANITIZE:-1}" != 0 ]; then
      echo
      echo "quickstart: the test suite and the fuzz targets under ASan and UBSan"
      bash "$here/.ci/sanitize.sh" || status=1
    fi
    exit $status
    ;;
  *)
    echo "usage: bash quickstart.sh demo|test" >&2
    exit 2
    ;;
esac
