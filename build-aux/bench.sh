#!/bin/bash
# build-aux/bench.sh — TikTok Drafts against reference tools, side by side on this machine.
#
#   ./build-aux/bench.sh           full run: ~8 minutes on 2 cores (the first run also
#                                  generates ~4 GB of inputs, kept in _bench/cache)
#   ./build-aux/bench.sh --smoke   the same code with tiny sizes, < 2 minutes; CI runs it
#
# Options: --parts LIST   any of upload,memory,photos,startup,stall (default: all)
#          --no-gui       build without the GTK app; skips start-up and stall
#
# Builds a release build in _bench/ (BENCH_DIR), then runs tests/bench/bench.py in a
# private D-Bus session with an unlocked keyring (tests/run-in-session.sh) against the
# TikTok emulator; it starts its own Xvfb. Prints one table (ours | reference | ratio |
# target | pass/MISS) and the raw figures (medians of several runs), and writes them to
# _bench/results.json. Exit status: 0 when everything ran — a missed target is reported,
# not an error — 1 when something could not be built or run, 2 on usage errors.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

cd "$(dirname "$0")/.."
BENCH_DIR=${BENCH_DIR:-_bench}
CACHE_DIR=${TTD_BENCH_CACHE:-$BENCH_DIR/cache}

smoke=()
parts=upload,memory,photos,startup,stall
gui=true
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=(--smoke) ;;
    --parts) parts=${2:?--parts needs a list}; shift ;;
    --parts=*) parts=${1#--parts=} ;;
    --no-gui) gui=false ;;
    -h|--help) sed -n '2,/^# SPDX/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$gui" = false ]; then
  parts=$(echo "$parts" | tr ',' '\n' | grep -vx -e startup -e stall | paste -sd, -)
fi

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# What the benchmark runs besides the build (Debian packages in parentheses).
missing=()
for tool in curl:curl /usr/bin/time:time convert:imagemagick Xvfb:xvfb \
            secret-tool:libsecret-tools gnome-keyring-daemon:gnome-keyring \
            dbus-run-session:dbus-daemon dbus-update-activation-environment:dbus-bin \
            python3:python3 meson:meson ninja:ninja-build; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench.sh: missing tools; install them with: apt-get install ${missing[*]}" >&2
  exit 1
fi

if [ -f "$BENCH_DIR/build.ninja" ]; then
  meson configure "$BENCH_DIR" -Dbuildtype=release -Dtests=true -Dgui=$gui -Dstall_monitor=$gui >/dev/null
else
  log "Configuring a release build in $BENCH_DIR"
  meson setup "$BENCH_DIR" -Dbuildtype=release -Dtests=true -Dgui=$gui -Dstall_monitor=$gui >/dev/null
fi
log "Building $BENCH_DIR"
ninja -C "$BENCH_DIR" >/dev/null || { ninja -C "$BENCH_DIR" | tail -40; exit 1; }

needed=("$BENCH_DIR/tests/bench/ttd-bench-photos")
[ "$gui" = true ] && needed+=("$BENCH_DIR/tests/bench/ttd-bench-minimal" "$BENCH_DIR/tests/bench/ttd-bench-first-frame")
for program in "${needed[@]}"; do
  if [ ! -x "$program" ]; then
    echo "bench.sh: $program was not built: tests/meson.build needs subdir('bench')" >&2
    exit 1
  fi
done

log "Running the benchmark (${smoke[*]:-full}; parts: $parts)"
mkdir -p "$CACHE_DIR"
exec tests/run-in-session.sh python3 tests/bench/bench.py --build "$BENCH_DIR" --cache "$CACHE_DIR" \
  --parts "$parts" --json "$BENCH_DIR/results${smoke:+-smoke}.json" "${smoke[@]}"
