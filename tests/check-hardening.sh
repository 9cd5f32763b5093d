#!/bin/bash
# check-hardening.sh FORTIFY BINARY… — proves the shipped programs are built hardened:
# position-independent, full RELRO (relocations read-only after start-up, BIND_NOW),
# a non-executable stack, stack protector, and, when FORTIFY is "yes" (an optimised
# build without sanitizers), glibc's checked string functions.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
fortify=$1; shift
status=0
n=0

check() {
  n=$((n + 1))
  if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; status=1; fi
}

if ! command -v readelf >/dev/null; then
  echo "Bail out! readelf not found: apt-get install binutils"
  exit 1
fi

for bin in "$@"; do
  name=$(basename "$bin")
  header=$(readelf -h "$bin")
  dynamic=$(readelf -d "$bin")
  segments=$(readelf -lW "$bin")
  symbols=$(readelf --dyn-syms -W "$bin")

  grep -q 'Type:[[:space:]]*DYN' <<<"$header" \
    && check ok "$name is position-independent (PIE)" || check fail "$name is not PIE"
  grep -q 'GNU_RELRO' <<<"$segments" \
    && check ok "$name has a RELRO segment" || check fail "$name has no RELRO segment"
  if grep -q '(BIND_NOW)' <<<"$dynamic" || grep -Eq '\(FLAGS_1\).*\bNOW\b' <<<"$dynamic"; then
    check ok "$name binds every symbol at start-up (BIND_NOW: full RELRO)"
  else
    check fail "$name resolves symbols lazily (no BIND_NOW)"
  fi
  if grep -E 'GNU_STACK' <<<"$segments" | grep -q 'RWE'; then
    check fail "$name has an executable stack"
  else
    check ok "$name has a non-executable stack"
  fi
  grep -q '__stack_chk_fail' <<<"$symbols" \
    && check ok "$name is built with the stack protector" || check fail "$name has no stack protector"
  if [ "$fortify" = yes ]; then
    grep -Eq '__[a-z_]+_chk(@|[[:space:]])' <<<"$(grep -v __stack_chk <<<"$symbols")" \
      && check ok "$name uses glibc's checked functions (_FORTIFY_SOURCE)" \
      || check fail "$name is not built with _FORTIFY_SOURCE"
  fi
done

echo "1..$n"
exit $status
