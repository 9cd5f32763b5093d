#!/bin/bash
# check-drafts-only.sh SRCDIR BINARY… — proves no code path can direct-post:
# neither the sources nor the built programs contain the direct-post mode,
# endpoints or scope, and the only post_mode they send is MEDIA_UPLOAD.
# (The integration tests add the runtime proof: the emulator records every
# direct-post attempt, and they assert it recorded none.)
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
src=$1; shift
forbidden=('DIRECT_POST' 'DIRECT POST' '/v2/post/publish/video/init' 'creator_info' 'video.publish')
status=0
n=0

check() {
  n=$((n + 1))
  if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; status=1; fi
}

for word in "${forbidden[@]}"; do
  hits=$(grep -rIn --include='*.[ch]' --include='*.ui' -F -- "$word" "$src/app" || true)
  [ -z "$hits" ] && check ok "sources never mention '$word'" || { check fail "sources mention '$word'"; echo "$hits" | sed 's/^/# /'; }
  for bin in "$@"; do
    if grep -aqF -- "$word" "$bin"; then check fail "$(basename "$bin") contains '$word'"; else check ok "$(basename "$bin") does not contain '$word'"; fi
  done
done

modes=$(grep -rhI --include='*.c' -A1 '"post_mode"' "$src/app" | grep -o '"[A-Z_]*"' | sort -u | tr '\n' ' ')
[ "$modes" = '"MEDIA_UPLOAD" ' ] && check ok "the only post_mode sent is MEDIA_UPLOAD" || check fail "post_mode values found: $modes"

inbox=$(grep -rIl --include='*.c' -F '/v2/post/publish/inbox/video/init/' "$src/app" | wc -l)
[ "$inbox" -ge 1 ] && check ok "videos go to the inbox endpoint" || check fail "inbox endpoint not found"

echo "1..$n"
exit $status
