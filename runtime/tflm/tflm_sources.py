#!/usr/bin/env python3
"""tflm_sources.py — the source lists of a TensorFlow Lite Micro build, as
TFLM's own Makefile selects them, for runtime/tflm/meson.build.

TFLM's Makefile (tensorflow/lite/micro/tools/make/Makefile) cannot run here:
it downloads its dependencies.  This script mirrors its selection instead:

  framework   MICROLITE_CC_SRCS: tensorflow/lite/micro/*.cc, arena_allocator/,
              memory_planner/, tflite_bridge/ and the shared TFLite files
              (sources.inc's TFL_CC_SRCS), without tests, benchmarks and
              array.cc; then specialized for the target folder
              (specialize_files.py: a file of the same name in, e.g.,
              tensorflow/lite/micro/cortex_m_generic/ replaces the generic one).
  kernels     MICROLITE_CC_KERNEL_SRCS and the signal library's kernels
              (sources.inc), the reference kernels.
  common      the kernels that have no CMSIS-NN twin in kernels/cmsis_nn/.
  ref-twins   the reference kernels that kernels/cmsis_nn/ replaces.
  cmsis-twins their replacements, kernels/cmsis_nn/<same name>.
  cmsis-nn    CMSIS-NN's Source/**/*.c without the float16/float32 files
              (ext_libs/cmsis_nn.inc with ARM_NN_ENABLE_F16/F32 = 0).
  host-rounding   framework and kernel files (reference kernels, no target
                  folder) whose code depends on TFLITE_SINGLE_ROUNDING;
  host-shared     the others: the same objects in both roundings.

so that 'common' + 'ref-twins' is what OPTIMIZED_KERNEL_DIR unset builds and
'common' + 'cmsis-twins' + 'cmsis-nn' what OPTIMIZED_KERNEL_DIR=cmsis_nn does.

Left out, with reasons:
  - the signal library's RFFT and IRFFT kernels and the kissfft wrappers
    (additional_kernels.inc): kissfft is not part of the pinned source tree;
  - test-support files that the Makefile archives too but no application
    links (fake_micro_context, mock_micro_graph, test_helpers,
    test_helper_custom_ops).

A file depends on the rounding when it, or a header it includes from the
TFLM tree (transitively), names TFLITE_SINGLE_ROUNDING or one of the inline
requantization helpers whose body depends on it; common.h, where they are
defined and which nearly every file includes, is not counted, as its
out-of-line MultiplyByQuantizedMultiplier lives in common.cc.  The test is
wider than needed (a file may include such a header without using it),
never narrower.

usage: tflm_sources.py SRC_ROOT LIST [--target DIR]
  SRC_ROOT  folder holding tflite-micro/ and cmsis-nn/ (../shared/third_party)
  LIST      framework | common | ref-twins | cmsis-twins | cmsis-nn |
            host-rounding | host-shared
  --target  target folder under tensorflow/lite/micro/ (e.g. cortex_m_generic)
Prints one absolute path per line, sorted.
"""
import glob
import os
import re
import sys

FFT_KERNELS = re.compile(r"(^|/)(i?rfft(_float|_int16|_int32)?\.cc|kiss_fft_[a-z0-9]+\.cc)$")
TEST_SUPPORT = {"fake_micro_context.cc", "mock_micro_graph.cc", "test_helpers.cc",
                "test_helper_custom_ops.cc"}


def make_lists(sources_inc):
    """Variables of sources.inc written as explicit lists: name -> [path]."""
    lists, name = {}, None
    for raw in open(sources_inc, encoding="utf-8"):
        line = raw.rstrip("\n")
        m = re.match(r"^([A-Z_]+)\s*:?=\s*\\?\s*$", line)
        if m:
            name = m.group(1)
            lists[name] = []
            continue
        if name is None:
            continue
        item = line.strip().rstrip("\\").strip()
        if item.startswith("$(TENSORFLOW_ROOT)") and "$(wildcard" not in item:
            lists[name].append(item[len("$(TENSORFLOW_ROOT)"):])
        if not line.endswith("\\"):
            name = None
    return lists


def framework(tflm, lists, target):
    micro = "tensorflow/lite/micro"
    files = []
    for pattern in ("*.cc", "arena_allocator/*.cc", "memory_planner/*.cc", "tflite_bridge/*.cc"):
        files += [os.path.relpath(p, tflm) for p in glob.glob(os.path.join(tflm, micro, pattern))]
    for top, dirs, names in os.walk(os.path.join(tflm, "tensorflow")):
        rel = os.path.relpath(top, tflm)
        if rel in (micro, "tensorflow/lite/experimental"):
            dirs[:] = []
            continue
        dirs[:] = [d for d in dirs if os.path.join(rel, d) not in (micro, "tensorflow/lite/experimental")]
        files += [os.path.join(rel, n) for n in names if n.endswith((".cc", ".c"))]
    tests = set(lists.get("MICROLITE_TEST_SRCS", []))
    files = [f for f in files if f not in tests and not f.endswith("_test.cc")
             and not f.endswith("benchmark.cc") and f != "tensorflow/lite/array.cc"
             and os.path.basename(f) not in TEST_SUPPORT]
    if target:
        tdir = os.path.join(micro, target)
        if not os.path.isdir(os.path.join(tflm, tdir)):
            sys.exit("tflm_sources.py: no target folder " + tdir)
        special = set(os.listdir(os.path.join(tflm, tdir)))
        files = [os.path.join(tdir, os.path.basename(f)) if os.path.basename(f) in special else f
                 for f in files]
    return [os.path.join(tflm, f) for f in files]


def kernels(tflm, lists):
    files = lists["MICROLITE_CC_KERNEL_SRCS"] + lists.get("MICROLITE_CC_SIGNAL_KERNEL_SRCS", [])
    return [f for f in files if not FFT_KERNELS.search(f)]


ROUNDING = re.compile(r"TFLITE_SINGLE_ROUNDING|MultiplyByQuantizedMultiplier(SmallerThanOneExp|GreaterThanOne)"
                      r"|DepthwiseConvRound")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def code_lines(path):
    """The file's lines without // comments."""
    with open(path, encoding="utf-8", errors="replace") as f:
        return [line.split("//", 1)[0] for line in f]


def depends_on_rounding(tflm, path, memo):
    """Whether path or a header it includes from the TFLM tree names the rounding."""
    if path in memo:
        return memo[path]
    memo[path] = False  # include cycles end here
    lines = code_lines(path)
    found = (not path.endswith("kernels/internal/common.h")) and any(ROUNDING.search(l) for l in lines)
    for line in lines:
        m = INCLUDE.match(line)
        if found or not m:
            continue
        header = os.path.join(tflm, m.group(1))
        if os.path.isfile(header) and depends_on_rounding(tflm, header, memo):
            found = True
    memo[path] = found
    return found


def main(argv):
    if len(argv) not in (3, 5) or (len(argv) == 5 and argv[3] != "--target"):
        sys.exit("usage: tflm_sources.py SRC_ROOT framework|common|ref-twins|cmsis-twins|cmsis-nn|host-rounding|"
                 "host-shared [--target DIR]")
    root, which = argv[1], argv[2]
    target = argv[4] if len(argv) == 5 else None
    tflm = os.path.join(root, "tflite-micro")
    cmsis_dir = "tensorflow/lite/micro/kernels/cmsis_nn"
    lists = make_lists(os.path.join(tflm, "tensorflow/lite/micro/tools/make/sources.inc"))
    twins = set(os.listdir(os.path.join(tflm, cmsis_dir)))
    ref = kernels(tflm, lists)
    if which == "framework":
        out = framework(tflm, lists, target)
    elif which == "common":
        out = [os.path.join(tflm, f) for f in ref if os.path.basename(f) not in twins]
    elif which == "ref-twins":
        out = [os.path.join(tflm, f) for f in ref if os.path.basename(f) in twins]
    elif which == "cmsis-twins":
        out = [os.path.join(tflm, cmsis_dir, os.path.basename(f)) for f in ref if os.path.basename(f) in twins]
    elif which in ("host-rounding", "host-shared"):
        memo = {}
        host = framework(tflm, lists, None) + [os.path.join(tflm, f) for f in ref]
        want = which == "host-rounding"
        out = [p for p in host if depends_on_rounding(tflm, p, memo) == want]
    elif which == "cmsis-nn":
        out = [p for p in glob.glob(os.path.join(root, "cmsis-nn", "Source", "**", "*.c"), recursive=True)
               if not p.endswith(("_f16.c", "_f32.c", "arm_nntables_flt.c"))]
    else:
        sys.exit("tflm_sources.py: unknown list '%s'" % which)
    missing = [p for p in out if not os.path.isfile(p)]
    if missing:
        sys.exit("tflm_sources.py: listed but missing: " + missing[0])
    print("\n".join(sorted(os.path.normpath(p) for p in out)))


if __name__ == "__main__":
    main(sys.argv)
