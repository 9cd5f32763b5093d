#!/bin/sh
# po/check-po.sh — msgfmt --check every translation in po/LINGUAS; fail on any
# fuzzy or untranslated message, and on a LINGUAS entry without a .po file.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-po.sh PO_DIR [SOURCE_ROOT]
#
# With SOURCE_ROOT, each .po is first merged (msgmerge, in a temporary directory) with a
# template extracted afresh from the files in POTFILES.in, so a string added to the code
# but not yet translated fails here too, not only a stale .po file's own holes.
set -u
po_dir=${1:?usage: check-po.sh PO_DIR [SOURCE_ROOT]}
src_root=${2:-}
for tool in msgfmt msgmerge xgettext; do
  command -v $tool >/dev/null || { echo "FAIL: $tool not found; apt-get install gettext" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -n "$src_root" ]; then
  # The same keywords as meson's i18n.gettext(preset: 'glib').
  if ! (cd "$src_root" && xgettext --from-code=UTF-8 --add-comments \
          --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
          --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
          --files-from=po/POTFILES.in -o "$tmp/fresh.pot") >"$tmp/xgettext.log" 2>&1; then
    echo "FAIL: xgettext could not extract the strings:"
    cat "$tmp/xgettext.log"
    exit 1
  fi
fi

status=0
count=0
for lang in $(sed -e 's/#.*//' "$po_dir/LINGUAS"); do
  count=$((count + 1))
  po="$po_dir/$lang.po"
  if [ ! -f "$po" ]; then
    echo "FAIL: $lang is in LINGUAS but $po does not exist"
    status=1
    continue
  fi
  checked="$po"
  if [ -n "$src_root" ]; then
    checked="$tmp/$lang.po"
    if ! msgmerge --quiet --no-fuzzy-matching -o "$checked" "$po" "$tmp/fresh.pot" 2>"$tmp/msgmerge.log"; then
      echo "FAIL: $lang.po: msgmerge failed:"
      cat "$tmp/msgmerge.log"
      status=1
      continue
    fi
  fi
  # --check: format strings, header, plural forms, desktop/Keywords-safe newlines.
  if ! stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$checked" 2>&1); then
    echo "FAIL: $lang.po: msgfmt --check failed:"
    echo "$stats"
    status=1
    continue
  fi
  echo "$lang.po: $stats"
  case "$stats" in
    *fuzzy*|*untranslated*)
      echo "FAIL: $lang.po has fuzzy or untranslated messages${src_root:+ against the current sources}:"
      { msgattrib --untranslated --no-wrap "$checked"; msgattrib --only-fuzzy --no-wrap "$checked"; } 2>/dev/null |
        grep '^msgid "[^"]' | head -20
      echo "(run 'meson compile -C BUILDDIR tiktok-drafts-update-po', then translate them)"
      status=1 ;;
  esac
  # A Plural-Forms header is required; msgfmt only warns about some mismatches.
  if ! grep -q '^"Plural-Forms: nplurals=[0-9]*; plural=' "$po"; then
    echo "FAIL: $lang.po has no Plural-Forms header"
    status=1
  fi
done

if [ "$count" -eq 0 ]; then
  echo "FAIL: $po_dir/LINGUAS lists no languages"
  status=1
fi
exit $status
