#!/bin/bash
# build-aux/dev.sh — the two commands of the README's Quick start.
#
#   ./build-aux/dev.sh run [FILES…]   install what is missing, build, start the app
#                                     (demo mode against the bundled TikTok emulator
#                                     when no TikTok app credentials are configured)
#   ./build-aux/dev.sh test           install what is missing, build, run every test suite
#   ./build-aux/dev.sh build          install what is missing and build
#   ./build-aux/dev.sh deps           only install what is missing
#
# Works on a fresh Debian 12 machine as root or with sudo.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-_build}

# Everything the build, the app and every test suite need, from Debian 12.
PACKAGES=(
  # build
  meson ninja-build pkg-config gcc binutils gettext
  libglib2.0-dev libglib2.0-bin libsoup-3.0-dev libjson-glib-dev libsecret-1-dev
  libgtk-4-dev libadwaita-1-dev libgdk-pixbuf-2.0-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  # run
  glib-networking ca-certificates gnome-keyring libsecret-tools dbus dbus-daemon
  libgtk-4-media-gstreamer gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  webp-pixbuf-loader
  # tests: display, accessibility, keyring tools, photo host, validators
  xvfb xauth x11-utils imagemagick at-spi2-core python3 python3-dogtail python3-gi python3-dbus gcr
  desktop-file-utils appstream python3-jsonschema flatpak-builder nginx-light curl fuse3
  python3-botocore
  # sanitizers and fuzzing (build-aux/sanitize.sh)
  clang libclang-rt-14-dev llvm
  # benchmarks (build-aux/bench.sh)
  time libx11-dev libxdamage-dev dbus-bin
)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "Installing packages needs root: run this as root or install sudo." >&2
    exit 1
  fi
}

ensure_deps() {
  local missing=() pkg
  for pkg in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  # node and npm, for the MCP SDK test (which npm installs from the npm registry, and which is
  # skipped without it): Debian's, unless the commands are there already (NodeSource's nodejs
  # brings npm and conflicts with Debian's npm).
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  if [ ${#missing[@]} -eq 0 ]; then
    return
  fi
  log "Installing ${#missing[@]} missing packages: ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  # nginx-light starts a system service on install; the tests run their own.
  if command -v systemctl >/dev/null && systemctl is-active --quiet nginx 2>/dev/null; then
    as_root systemctl stop nginx || true
  fi
}

build() {
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    log "Configuring $BUILD_DIR"
    meson setup "$BUILD_DIR" -Dtests=true -Dgui=true
  fi
  log "Building"
  meson compile -C "$BUILD_DIR"
}

# Prints "N passed, N failed" from meson's log, for humans and CI alike.
summarize() {
  python3 - "$BUILD_DIR/meson-logs/testlog.json" <<'PY'
import json, sys
passed = failed = skipped = 0
try:
    for line in open(sys.argv[1]):
        result = json.loads(line)["result"]
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
except OSError:
    pass
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
PY
}

run_tests() {
  log "Running every test suite"
  local status=0
  meson test -C "$BUILD_DIR" --print-errorlogs --num-processes 2 "$@" || status=$?
  summarize
  return $status
}

configured_client_key() {
  if [ -n "${TIKTOK_DRAFTS_CLIENT_KEY:-}" ]; then
    echo "$TIKTOK_DRAFTS_CLIENT_KEY"
    return
  fi
  # What Preferences saved (the schema is compiled in the build directory).
  GSETTINGS_SCHEMA_DIR="$BUILD_DIR/data" gsettings get org.cofndrly.TikTokDrafts client-key 2>/dev/null \
    | sed -e "s/^'//" -e "s/'$//"
}

run_app() {
  local app="$BUILD_DIR/app/ui/tiktok-drafts" emulator_pid="" url_file
  export GSETTINGS_SCHEMA_DIR="$PWD/$BUILD_DIR/data"

  if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "No display found: run this inside a desktop session (or under xvfb-run)." >&2
    exit 1
  fi

  if [ -z "$(configured_client_key)" ]; then
    log "No TikTok app credentials configured: starting DEMO MODE against the bundled TikTok emulator"
    url_file=$(mktemp)
    "$BUILD_DIR/tests/emulator/tiktok-drafts-emulator" --port 0 --choose-account --url-file "$url_file" >/dev/null &
    emulator_pid=$!
    trap 'kill $emulator_pid 2>/dev/null || true; rm -f "$url_file"' EXIT
    for _ in $(seq 100); do [ -s "$url_file" ] && break; sleep 0.1; done
    local url
    url=$(cat "$url_file")
    log "Emulator at $url — nothing you send leaves this computer"
    export TIKTOK_DRAFTS_DEMO=1
    export TIKTOK_DRAFTS_CLIENT_KEY=demo-client-key TIKTOK_DRAFTS_CLIENT_SECRET=demo-client-secret
    export TIKTOK_DRAFTS_API_BASE="$url" TIKTOK_DRAFTS_AUTH_URL="$url/v2/auth/authorize/"
  fi

  log "Starting TikTok Drafts"
  if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
    # Outside a desktop session (a bare X server, say): give the app a bus.
    dbus-run-session -- "$app" "$@"
  else
    "$app" "$@"
  fi
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
  run)   ensure_deps; build; run_app "$@" ;;
  test)  ensure_deps; build; run_tests "$@" ;;
  build) ensure_deps; build ;;
  deps)  ensure_deps ;;
  *)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
