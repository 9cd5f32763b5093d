#!/bin/bash
# build-aux/sanitize.sh — the test suites under AddressSanitizer and
# UndefinedBehaviorSanitizer, then a short libFuzzer run of tests/fuzz.
#
#   ./build-aux/sanitize.sh            configure/build _build-sanitize (clang,
#                                      -Db_sanitize=address,undefined,
#                                      -Dfuzzing=true), run every test suite
#                                      (but ui/e2e, see below), fuzz each target
#
# Environment:
#   SANITIZE_BUILD_DIR  build directory               (default _build-sanitize)
#   SANITIZE_GUI        true|false: build the GTK app  (default false)
#   FUZZ_SECONDS        seconds per fuzz target; 0 skips fuzzing (default 30)
#   FUZZ_TARGETS        space-separated subset of the targets (default: all)
#
# Prints "N passed, N failed" at the end and exits non-zero on any failure:
# a failing test, any ASan/UBSan/LSan report (also from a subprocess whose
# exit status a test ignores), a fuzzer crash or broken invariant.
# A fuzzer's reproducer lands in $SANITIZE_BUILD_DIR/fuzz-artifacts/; replay
# it with `$SANITIZE_BUILD_DIR/tests/fuzz/fuzz-<name> <file>`, then add it to
# tests/fuzz/corpus/<name>/ with the fix so the fuzz-corpus suite keeps it.
#
# Needs (Debian 12): clang libclang-rt-14-dev llvm, plus build-aux/dev.sh's list.
# Budget: under 12 minutes on 2 cores (CI).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

cd "$(dirname "$0")/.."
SRC=$PWD
BUILD_DIR=${SANITIZE_BUILD_DIR:-_build-sanitize}
GUI=${SANITIZE_GUI:-false}
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
ALL_TARGETS=(api-envelope api-oauth tokens-json auth-callback chunk-plan content-range log-redact)
read -r -a TARGETS <<< "${FUZZ_TARGETS:-${ALL_TARGETS[*]}}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

passed=0
failed=0
failures=()
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); failures+=("$1"); printf 'FAILED: %s\n' "$1" >&2; }

for tool in clang meson ninja python3; do
  command -v "$tool" >/dev/null || { echo "sanitize.sh needs $tool (apt-get install clang libclang-rt-14-dev llvm)" >&2; exit 1; }
done
if ! grep -q "'fuzzing'" meson_options.txt; then
  echo "meson_options.txt has no 'fuzzing' option: tests/fuzz is not wired into the build yet." >&2
  exit 1
fi

start=$(date +%s)

# ---------------------------------------------------------------- build
# -Db_lundef=false: with -fsanitize the runtime's symbols come at link time.
# -Wno-error=misleading-indentation: clang (not gcc) flags the bare block
#   after an if at app/core/ttd-account.c:281 ("Another instance may have
#   refreshed"); drop this once that block is restructured.
setup_args=(
  -Dgui="$GUI"
  -Dtests=true
  -Dfuzzing=true
  -Db_sanitize=address,undefined
  -Db_lundef=false
  -Dbuildtype=debugoptimized
  -Dc_args=-Wno-error=misleading-indentation
)
log "Configuring $BUILD_DIR (clang, ASan+UBSan, fuzzing)"
if [ -f "$BUILD_DIR/build.ninja" ]; then
  meson setup --reconfigure "$BUILD_DIR" "${setup_args[@]}" >/dev/null
else
  CC=clang meson setup "$BUILD_DIR" "${setup_args[@]}" >/dev/null
fi
log "Building"
ninja -C "$BUILD_DIR"
built=$(date +%s)

# ---------------------------------------------------------------- sanitizer env
REPORT_DIR=$SRC/$BUILD_DIR/sanitizer-reports
rm -rf "$REPORT_DIR"
mkdir -p "$REPORT_DIR"

symbolizer=$(command -v llvm-symbolizer || command -v llvm-symbolizer-14 || true)
[ -n "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH="$symbolizer"

# fast_unwind_on_malloc=0: full allocation stacks through libraries built
#   without frame pointers, which lsan.supp's library frames must match.
# log_path: every report is also a file, so one from a subprocess (the CLI
#   run by the integration tests) fails the run even if its test ignores
#   the exit status.
asan_common=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1
export ASAN_OPTIONS="$asan_common:log_path=$REPORT_DIR/asan"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$REPORT_DIR/ubsan"
# Library-internal leaks only (GLib, libsecret, ...); never our own code.
export LSAN_OPTIONS="suppressions=$SRC/tests/fuzz/lsan.supp:print_suppressions=0"
# GSlice's magazines would hide slice allocations from ASan.
export G_SLICE=always-malloc
# GIO's libproxy module (C++) throws and catches exceptions internally; in a
# C program whose ASan runtime initialised before libstdc++ was loaded,
# ASan's __cxa_throw interceptor has no real function and aborts
# ("CHECK failed: asan_interceptors.cpp ... real___cxa_throw"), killing
# test-auth-flow and every CLI run. Proxy lookup is GIO's and libproxy's
# code, not ours: use GIO's built-in direct resolver under the sanitizers.
export GIO_USE_PROXY_RESOLVER=dummy

# ---------------------------------------------------------------- test suites
# Every suite but ui and e2e. Those drive the GTK app under Xvfb with
# dogtail/AT-SPI: GTK 4, Mesa/llvmpipe and fontconfig allocate caches for
# the process lifetime that LSan reports as leaks by the hundred, and
# suppressing them wholesale (leak:libgtk-4, leak:libfontconfig) would hide
# leaks in app/ui too. They run un-instrumented in build-aux/dev.sh test.
log "Running the test suites under ASan+UBSan (all but ui, e2e)"
# Instrumented code runs 2-5x slower: on two cores test-media-checks (real GStreamer probes)
# needs more than its 30 s, so every timeout is tripled here.
tests_rc=0
meson test -C "$BUILD_DIR" --no-rebuild --print-errorlogs --num-processes "$(nproc)" --timeout-multiplier 3 \
  --no-suite ui --no-suite e2e || tests_rc=$?

# Count the individual tests from meson's log.
if [ -f "$BUILD_DIR/meson-logs/testlog.json" ]; then
  read -r t_pass t_fail < <(python3 - "$BUILD_DIR/meson-logs/testlog.json" <<'EOF'
import json, sys
ok = bad = 0
for line in open(sys.argv[1]):
    if not line.strip():
        continue
    result = json.loads(line)["result"]
    if result in ("OK", "SKIP", "EXPECTEDFAIL"):
        ok += 1
    else:
        bad += 1
        print("FAILED: test %s (%s)" % (json.loads(line)["name"], result), file=sys.stderr)
print(ok, bad)
EOF
)
  passed=$((passed + t_pass))
  failed=$((failed + t_fail))
  [ "$t_fail" -gt 0 ] && failures+=("$t_fail test(s)")
fi
[ "$tests_rc" -ne 0 ] && [ "${t_fail:-0}" -eq 0 ] && fail "meson test exited $tests_rc"

# A report counts unless it is LeakSanitizer's own tracer crashing: a
# process that a test SIGKILLs while LSan's exit-time tracer walks its
# threads makes the tracer fault ("Tracer caught signal 11" ... "has
# encountered a fatal error"). Such a report names no leak, no access and no
# undefined behaviour; it is printed as a warning, never hidden, and a report
# that also holds a real finding still fails the run.
findings=0
for report in "$REPORT_DIR"/*; do
  [ -e "$report" ] || continue
  printf '\n----- %s\n' "$report" >&2
  cat "$report" >&2
  if grep -q 'Tracer caught signal' "$report" &&
     ! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer: detected)|runtime error:|SUMMARY:' "$report"; then
    printf 'warning: %s is LeakSanitizer'"'"'s own tracer crash, not a finding\n' "$report" >&2
  else
    findings=$((findings + 1))
  fi
done
if [ "$findings" -gt 0 ]; then
  fail "sanitizer reports in $REPORT_DIR"
else
  pass
fi
tested=$(date +%s)

# ---------------------------------------------------------------- fuzzing
# Full allocation stacks, so that the json-glib suppression can match (slower, still enough runs).
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0:strict_string_checks=1:check_initialization_order=1
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
if [ "$FUZZ_SECONDS" -gt 0 ]; then
  mkdir -p "$BUILD_DIR/fuzz-artifacts"
  for name in "${TARGETS[@]}"; do
    exe=$BUILD_DIR/tests/fuzz/fuzz-$name
    seeds=$SRC/tests/fuzz/corpus/$name
    # New inputs go to the build dir, never into the source tree.
    work=$BUILD_DIR/fuzz-corpus/$name
    mkdir -p "$work"
    dict_args=()
    case $name in
      api-envelope|api-oauth|tokens-json) dict_args=(-dict="$SRC/tests/fuzz/json.dict") ;;
      auth-callback|log-redact)           dict_args=(-dict="$SRC/tests/fuzz/$name.dict") ;;
    esac
    log "Fuzzing $name for ${FUZZ_SECONDS}s"
    # -max_len: inputs beyond the 1 MiB answer cap and nested deep enough
    # to overflow a recursive parser's stack (issue 15).
    rc=0
    timeout --kill-after=10 $((FUZZ_SECONDS + 120)) \
      "$exe" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -max_len=1200000 \
        -print_final_stats=1 -artifact_prefix="$BUILD_DIR/fuzz-artifacts/$name-" \
        "${dict_args[@]}" "$work" "$seeds" \
        > "$BUILD_DIR/fuzz-$name.log" 2>&1 || rc=$?
    if [ "$rc" -eq 0 ]; then
      grep -E '^stat::number_of_executed_units' "$BUILD_DIR/fuzz-$name.log" >&2 || true
      pass
    else
      tail -n 60 "$BUILD_DIR/fuzz-$name.log" >&2
      fail "fuzz-$name (exit $rc; log $BUILD_DIR/fuzz-$name.log, reproducer in $BUILD_DIR/fuzz-artifacts/)"
    fi
  done
fi
end=$(date +%s)

# ---------------------------------------------------------------- summary
printf '\nbuild %ss, tests %ss, fuzzing %ss, total %ss\n' \
  $((built - start)) $((tested - built)) $((end - tested)) $((end - start))
for f in "${failures[@]+"${failures[@]}"}"; do
  printf '  failed: %s\n' "$f"
done
printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
