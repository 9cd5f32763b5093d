#!/bin/bash
# run-in-session.sh — runs a command the way a signed-in desktop would:
# a private D-Bus session bus, a real gnome-keyring (secrets component,
# unlocked) and private XDG directories, all thrown away afterwards.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

if [ "${TTD_IN_SESSION:-}" != 1 ]; then
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/ttd-session.XXXXXX")
  # The document portal may have mounted a FUSE file system in the runtime
  # directory; unmount it before deleting.
  trap 'fusermount -u -z "$tmp/run/doc" 2>/dev/null || true; rm -rf "$tmp"' EXIT
  mkdir -p "$tmp/home" "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/state" "$tmp/run"
  chmod 700 "$tmp/run"
  export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
         XDG_CACHE_HOME="$tmp/cache" XDG_STATE_HOME="$tmp/state" XDG_RUNTIME_DIR="$tmp/run"
  export TTD_IN_SESSION=1 TTD_SESSION_DIR="$tmp"
  unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
  # Not exec: the trap must clean up after the session ends. The bus and the
  # services it starts write to stderr (AT-SPI's registry greets on stdout,
  # which may be the command's TAP stream); the command gets stdout on fd 3.
  dbus-run-session -- "$0" "$@" 3>&1 >&2
  exit $?
fi

exec 1>&3 3>&-

# Inside the session: start the keyring daemon with a fresh, unlocked
# "login" keyring so libsecret's default collection exists.
eval "$(printf '%s' 'ttd-test-keyring' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
export GNOME_KEYRING_CONTROL
exec "$@"
