#!/usr/bin/env python3
# po/check-potfiles.py — fail when po/POTFILES.in is incomplete, stale or unsorted.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-potfiles.py SOURCE_ROOT
#
# A file "has translatable strings" when it is
#   - C source under app/ that calls _(), N_(), C_(), NC_(), Q_(), ngettext(),
#     g_dngettext() or g_dpgettext2() (comments and string literals are ignored),
#   - a GtkBuilder .ui file under app/ with translatable="yes",
#   - a desktop file, AppStream metainfo or GSettings schema (always translatable).
# Every such file must be listed in po/POTFILES.in, every listed file must exist,
# and the list must be sorted (LC_ALL=C order). po/POTFILES.skip, if present,
# lists files that are deliberately left out.
import os
import re
import sys

KEYWORD_RE = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|Q_|ngettext|g_dngettext|g_dpgettext2)\s*\(')
C_COMMENT_OR_STRING_RE = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)


def c_has_strings(text):
    # Blank comments and literals so "_(" in a comment or string does not count;
    # keep the quotes so _("…") still reads as a call.
    code = C_COMMENT_OR_STRING_RE.sub(lambda m: '""' if m.group(0).startswith('"') else ' ', text)
    return KEYWORD_RE.search(code) is not None


def wanted_files(root):
    found = set()
    for top in ('app',):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith('.'))
            for name in filenames:
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                try:
                    with open(path, encoding='utf-8') as f:
                        text = f.read()
                except (UnicodeDecodeError, OSError):
                    continue
                if name.endswith('.c') and c_has_strings(text):
                    found.add(rel)
                elif name.endswith('.ui') and 'translatable="yes"' in text:
                    found.add(rel)
    for dirpath in (root, os.path.join(root, 'data')):
        for name in sorted(os.listdir(dirpath)):
            if (name.endswith('.desktop') or name.endswith('.desktop.in')
                    or name.endswith('.metainfo.xml.in') or name.endswith('.metainfo.xml')
                    or name.endswith('.appdata.xml.in') or name.endswith('.gschema.xml')):
                found.add(os.path.relpath(os.path.join(dirpath, name), root))
    return found


def read_list(path):
    entries = []
    if not os.path.exists(path):
        return entries
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                entries.append(line)
    return entries


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: check-potfiles.py SOURCE_ROOT')
    root = sys.argv[1]
    listed = read_list(os.path.join(root, 'po', 'POTFILES.in'))
    skipped = set(read_list(os.path.join(root, 'po', 'POTFILES.skip')))
    problems = []

    for rel in sorted(wanted_files(root) - set(listed) - skipped):
        problems.append('%s has translatable strings but is missing from po/POTFILES.in' % rel)
    for rel in listed:
        if not os.path.isfile(os.path.join(root, rel)):
            problems.append('%s is listed in po/POTFILES.in but does not exist' % rel)
    dupes = sorted({rel for rel in listed if listed.count(rel) > 1})
    for rel in dupes:
        problems.append('%s is listed more than once in po/POTFILES.in' % rel)
    if listed != sorted(listed):
        problems.append('po/POTFILES.in is not sorted (use LC_ALL=C sort)')

    for p in problems:
        print('FAIL: ' + p)
    if problems:
        return 1
    print('po/POTFILES.in lists all %d files with translatable strings' % len(listed))
    return 0


if __name__ == '__main__':
    sys.exit(main())
