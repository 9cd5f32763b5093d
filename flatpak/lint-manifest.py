#!/usr/bin/python3
# lint-manifest.py — offline re-implementation of the Flathub manifest rules we could trip
# Copyright 2026 The TikTok Drafts authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# flatpak-builder-lint needs network (Docker image or Flatpak) so it can't run in our
# offline CI. This script re-checks, with the standard library only, the subset of its
# manifest rules that apply to us, using the same rule names (flatpak_builder_lint/checks/
# appid.py, toplevel.py, finish_args.py, modules.py), plus a few project policies whose
# names start with "project-".
#
# Usage:
#   lint-manifest.py MANIFEST.json [MANIFEST.json …]   one line per problem, exit 1 on errors
#   lint-manifest.py --self-test                       prove every rule fires on a bad manifest

import copy
import json
import os
import re
import sys

ERROR = 'error'
WARNING = 'warning'

WILDCARD_TALK_NAMES = {
    'org.freedesktop.*': 'finish-args-wildcard-freedesktop-talk-name',
    'org.gnome.*': 'finish-args-wildcard-gnome-talk-name',
    'org.kde.*': 'finish-args-wildcard-kde-talk-name',
}


class Report:
    def __init__(self):
        self.problems = []  # (severity, rule, message)

    def error(self, rule, message):
        self.problems.append((ERROR, rule, message))

    def warning(self, rule, message):
        self.problems.append((WARNING, rule, message))

    def rules(self, severity=None):
        return {r for s, r, _ in self.problems if severity is None or s == severity}

    def has_errors(self):
        return any(s == ERROR for s, _, _ in self.problems)


def is_devel(appid):
    return isinstance(appid, str) and appid.endswith('.Devel')


def parse_finish_args(args):
    """Group --key=value finish-args into {key: [values]} like flatpak-builder-lint does."""
    fa = {}
    for arg in args:
        key, _, value = arg.partition('=')
        fa.setdefault(key.removeprefix('--'), []).append(value)
    return fa


def check_appid(manifest, filename, report):
    appid = manifest.get('id', manifest.get('app-id'))
    if not appid or not isinstance(appid, str):
        report.error('appid-not-defined', 'the manifest has no "id"')
        return
    if filename is not None:
        base = os.path.splitext(os.path.basename(filename))[0]
        if base != appid:
            report.error('appid-filename-mismatch',
                         'id "%s" but the file is named "%s"' % (appid, os.path.basename(filename)))
    if len(appid.split('.')) < 3:
        report.error('appid-less-than-3-components',
                     'id "%s" needs at least 3 dot-separated components' % appid)
    if appid.split('.')[-1] == 'desktop':
        report.error('appid-ends-with-lowercase-desktop', 'id "%s" ends with .desktop' % appid)


def check_toplevel(manifest, report):
    appid = manifest.get('id', manifest.get('app-id'))
    command = manifest.get('command')
    if not command:
        report.error('toplevel-no-command', 'no "command" to run')
    elif command.startswith('/'):
        report.error('toplevel-command-is-path', 'command "%s" is a path; use a name in /app/bin'
                     % command)

    allowed = ('stable', 'beta', None)
    if manifest.get('branch') not in allowed or manifest.get('default-branch') not in allowed:
        report.error('toplevel-unnecessary-branch',
                     'remove the top-level "branch"/"default-branch"; Flathub sets it')

    cleanup = manifest.get('cleanup') or []
    if '/lib/debug' in cleanup:
        report.error('toplevel-cleanup-debug', 'cleanup removes /lib/debug (the debug extension)')

    if not manifest.get('modules'):
        report.error('toplevel-no-modules', 'no "modules"')

    # Project policy: a numbered runtime, never a floating one. Only the .Devel manifest may
    # follow GNOME's nightly "master" runtime.
    version = str(manifest.get('runtime-version', ''))
    if not re.fullmatch(r'\d+(\.\d+)*', version) and not (is_devel(appid) and version == 'master'):
        report.error('project-runtime-version-not-numeric',
                     'runtime-version "%s" must be a number such as "50"' % version)


def check_finish_args(manifest, report):
    appid = manifest.get('id', manifest.get('app-id'))
    args = manifest.get('finish-args')
    if args is None:
        report.error('finish-args-not-defined', 'no "finish-args"')
        return
    fa = parse_finish_args(args)
    sockets = set(fa.get('socket', []))
    shares = set(fa.get('share', []))

    if 'x11' in sockets and 'fallback-x11' in sockets:
        report.error('finish-args-contains-both-x11-and-fallback',
                     'use only --socket=fallback-x11')
    if 'x11' in sockets and 'wayland' in sockets:
        report.error('finish-args-contains-both-x11-and-wayland',
                     'use --socket=fallback-x11 together with --socket=wayland')
    if ('x11' in sockets or 'fallback-x11' in sockets) and 'ipc' not in shares:
        report.error('finish-args-x11-without-ipc', 'X11 needs --share=ipc')
    if 'fallback-x11' in sockets and 'wayland' not in sockets:
        report.error('finish-args-fallback-x11-without-wayland',
                     '--socket=fallback-x11 without --socket=wayland means no display on Wayland')
    if 'session-bus' in sockets or 'system-bus' in sockets:
        report.error('finish-args-arbitrary-dbus-access',
                     'full session or system bus access; use --talk-name for what you need')

    for fs in fa.get('filesystem', []):
        m = re.fullmatch(r'(home|host|~/?)(:rw|:create|:ro)?', fs)
        if m:
            where = 'host' if fs.startswith('host') else 'home'
            ro = '-ro' if fs.endswith(':ro') else ''
            report.error('finish-args-%s%s-filesystem-access' % (where, ro),
                         '--filesystem=%s; files come in through portals' % fs)
        else:
            # Project policy (gnome-style.md 4.5): drops and "Browse" use portals.
            report.warning('project-filesystem-access',
                           '--filesystem=%s; is a portal not enough?' % fs)

    for name in fa.get('talk-name', []):
        if name in WILDCARD_TALK_NAMES:
            report.error(WILDCARD_TALK_NAMES[name], '--talk-name=%s is a wildcard' % name)
        if name in ('org.freedesktop.Flatpak', 'org.freedesktop.Flatpak.*'):
            report.error('finish-args-flatpak-spawn-access',
                         '--talk-name=%s allows escaping the sandbox' % name)
        elif name.startswith('org.freedesktop.Flatpak.'):
            report.error('finish-args-flatpak-talk-name', '--talk-name=%s' % name)
        if name == 'org.freedesktop.Secrets':
            report.error('finish-args-incorrect-secret-service-talk-name',
                         'the Secret Service bus name is lower case: org.freedesktop.secrets')
        if name.startswith('org.freedesktop.portal.'):
            report.error('finish-args-portal-talk-name',
                         '--talk-name=%s; portals are always reachable' % name)
        if name == 'org.freedesktop.DBus' or name.startswith('org.freedesktop.DBus.'):
            report.error('finish-args-freedesktop-dbus-talk-name', '--talk-name=%s' % name)
        if appid and (name == appid or name.startswith(appid + '.')):
            report.error('finish-args-unnecessary-appid-talk-name',
                         '--talk-name=%s; the app can always talk to its own names' % name)

    for name in fa.get('system-talk-name', []):
        if name in WILDCARD_TALK_NAMES:
            report.error(WILDCARD_TALK_NAMES[name].replace('-talk-name', '-system-talk-name'),
                         '--system-talk-name=%s is a wildcard' % name)

    for name in fa.get('own-name', []):
        if appid and (name == appid or name.startswith(appid + '.')):
            continue
        if name.startswith('org.mpris.MediaPlayer2.'):
            continue
        if name.endswith('.*'):
            report.error('finish-args-own-name-wildcard-%s' % name[:-2],
                         '--own-name=%s is a wildcard' % name)
        else:
            report.error('finish-args-own-name-%s' % name, '--own-name=%s' % name)


def check_source(appid, module_name, source, report):
    prefix = 'module-%s-source' % module_name
    stype = source.get('type')

    if stype in ('archive', 'file'):
        if source.get('sha1'):
            report.error(prefix + '-sha1-deprecated', 'use sha256 instead of sha1')
        if source.get('md5'):
            report.error(prefix + '-md5-deprecated', 'use sha256 instead of md5')
        if not source.get('sha256') and not source.get('sha512') and source.get('url'):
            report.error(prefix + '-no-checksum', 'downloaded %s without sha256' % stype)

    if stype == 'git':
        branch = source.get('branch')
        tag = source.get('tag')
        commit = source.get('commit')
        if branch:
            report.error(prefix + '-git-branch',
                         'git source follows branch "%s"; pin a tag and a commit' % branch)
        elif not tag and not commit:
            report.error(prefix + '-git-no-commit-or-tag', 'git source has no tag or commit')
        elif tag and not commit:
            report.error(prefix + '-git-no-commit-with-tag',
                         'git source has tag "%s" but no commit' % tag)
        if commit is not None:
            if not re.fullmatch(r'[0-9a-f]{40}', str(commit)):
                report.error('project-' + prefix + '-git-bad-commit',
                             'commit "%s" is not 40 lower-case hex digits' % commit)
            elif set(commit) == {'0'}:
                report.warning('project-' + prefix + '-git-placeholder-commit',
                               'commit is a placeholder; fill in the tag\'s commit at release')
        if source.get('path'):
            report.error(prefix + '-git-local-path', 'git source uses a local path')
        url = source.get('url')
        if not url:
            report.error(prefix + '-git-no-url', 'git source has no url')
        elif not url.startswith(('https:', 'http:')):
            report.error(prefix + '-git-url-not-http', 'git url "%s" is not http(s)' % url)

    if stype == 'dir' and not is_devel(appid):
        report.error(prefix + '-dir-not-allowed',
                     '"dir" sources are only for the .Devel manifest; release builds need '
                     'git (tag + commit) or archive (sha256)')


def check_module(appid, module, report):
    if isinstance(module, str):
        return  # an include of another manifest file; not followed here
    name = module.get('name', '(unnamed)')
    for source in module.get('sources') or []:
        if isinstance(source, dict):
            check_source(appid, name, source, report)
    for sub in module.get('modules') or []:
        check_module(appid, sub, report)


def lint(manifest, filename=None):
    report = Report()
    if not isinstance(manifest, dict):
        report.error('manifest-invalid-json', 'the manifest is not a JSON object')
        return report
    check_appid(manifest, filename, report)
    check_toplevel(manifest, report)
    check_finish_args(manifest, report)
    appid = manifest.get('id', manifest.get('app-id'))
    for module in manifest.get('modules') or []:
        check_module(appid, module, report)
    return report


def lint_file(path):
    if not path.endswith('.json'):
        report = Report()
        report.error('project-manifest-not-json', 'only JSON manifests are supported')
        return report
    try:
        with open(path, encoding='utf-8') as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        report = Report()
        report.error('manifest-invalid-json', str(e))
        return report
    return lint(manifest, path)


# ------------------------------------------------------------------------- self-test

GOOD = {
    'id': 'org.example.Good',
    'runtime': 'org.gnome.Platform',
    'runtime-version': '50',
    'sdk': 'org.gnome.Sdk',
    'command': 'good',
    'finish-args': ['--share=network', '--share=ipc', '--socket=wayland',
                    '--socket=fallback-x11', '--device=dri'],
    'cleanup': ['/include', '/lib/pkgconfig', '*.a', '*.la', '/share/man'],
    'modules': [{
        'name': 'good',
        'buildsystem': 'meson',
        'sources': [{'type': 'git', 'url': 'https://example.org/good.git', 'tag': '1.0',
                     'commit': '0123456789abcdef0123456789abcdef01234567'}],
    }],
}


def _finish(*args):
    return lambda m: m.__setitem__('finish-args', list(args))


def _source(**src):
    return lambda m: m['modules'][0].__setitem__('sources', [src])


def _set(key, value):
    return lambda m: m.__setitem__(key, value)


def _delete(key):
    return lambda m: m.pop(key)


FILENAME = 'org.example.Good.json'
BASE_FA = ['--share=ipc', '--socket=wayland', '--socket=fallback-x11']

# (rule that must fire, mutation of GOOD, file name)
CASES = [
    ('appid-filename-mismatch', lambda m: None, 'org.example.Other.json'),
    ('appid-less-than-3-components', _set('id', 'example.Good'), 'example.Good.json'),
    ('toplevel-no-command', _delete('command'), FILENAME),
    ('toplevel-no-modules', _set('modules', []), FILENAME),
    ('toplevel-unnecessary-branch', _set('branch', 'master'), FILENAME),
    ('toplevel-unnecessary-branch', _set('default-branch', '1.0'), FILENAME),
    ('toplevel-cleanup-debug', _set('cleanup', ['/include', '/lib/debug']), FILENAME),
    ('project-runtime-version-not-numeric', _set('runtime-version', 'master'), FILENAME),
    ('project-runtime-version-not-numeric', _set('runtime-version', 'latest'), FILENAME),
    ('finish-args-not-defined', _delete('finish-args'), FILENAME),
    ('finish-args-contains-both-x11-and-wayland',
     _finish('--share=ipc', '--socket=wayland', '--socket=x11'), FILENAME),
    ('finish-args-contains-both-x11-and-fallback',
     _finish('--share=ipc', '--socket=wayland', '--socket=x11', '--socket=fallback-x11'),
     FILENAME),
    ('finish-args-fallback-x11-without-wayland',
     _finish('--share=ipc', '--socket=fallback-x11'), FILENAME),
    ('finish-args-x11-without-ipc', _finish('--socket=wayland', '--socket=fallback-x11'),
     FILENAME),
    ('finish-args-x11-without-ipc', _finish('--socket=x11'), FILENAME),
    ('finish-args-arbitrary-dbus-access', _finish(*BASE_FA, '--socket=session-bus'), FILENAME),
    ('finish-args-arbitrary-dbus-access', _finish(*BASE_FA, '--socket=system-bus'), FILENAME),
    ('finish-args-wildcard-freedesktop-talk-name',
     _finish(*BASE_FA, '--talk-name=org.freedesktop.*'), FILENAME),
    ('finish-args-wildcard-gnome-talk-name', _finish(*BASE_FA, '--talk-name=org.gnome.*'),
     FILENAME),
    ('finish-args-wildcard-kde-talk-name', _finish(*BASE_FA, '--talk-name=org.kde.*'), FILENAME),
    ('finish-args-wildcard-freedesktop-system-talk-name',
     _finish(*BASE_FA, '--system-talk-name=org.freedesktop.*'), FILENAME),
    ('finish-args-own-name-wildcard-org.other',
     _finish(*BASE_FA, '--own-name=org.other.*'), FILENAME),
    ('finish-args-flatpak-talk-name',
     _finish(*BASE_FA, '--talk-name=org.freedesktop.Flatpak.Development'), FILENAME),
    ('finish-args-flatpak-spawn-access',
     _finish(*BASE_FA, '--talk-name=org.freedesktop.Flatpak'), FILENAME),
    ('finish-args-incorrect-secret-service-talk-name',
     _finish(*BASE_FA, '--talk-name=org.freedesktop.Secrets'), FILENAME),
    ('finish-args-host-filesystem-access', _finish(*BASE_FA, '--filesystem=host'), FILENAME),
    ('finish-args-home-filesystem-access', _finish(*BASE_FA, '--filesystem=home'), FILENAME),
    ('finish-args-home-ro-filesystem-access', _finish(*BASE_FA, '--filesystem=home:ro'),
     FILENAME),
    ('finish-args-host-filesystem-access', _finish(*BASE_FA, '--filesystem=host:rw'), FILENAME),
    ('module-good-source-git-no-commit-with-tag',
     _source(type='git', url='https://example.org/good.git', tag='1.0'), FILENAME),
    ('module-good-source-git-no-commit-or-tag',
     _source(type='git', url='https://example.org/good.git'), FILENAME),
    ('module-good-source-git-branch',
     _source(type='git', url='https://example.org/good.git', branch='main'), FILENAME),
    ('module-good-source-git-branch',
     _source(type='git', url='https://example.org/good.git', branch='main',
             commit='0123456789abcdef0123456789abcdef01234567'), FILENAME),
    ('module-good-source-sha1-deprecated',
     _source(type='archive', url='https://example.org/good.tar.xz', sha1='0' * 40), FILENAME),
    ('module-good-source-md5-deprecated',
     _source(type='file', url='https://example.org/good.bin', md5='0' * 32), FILENAME),
    ('module-good-source-dir-not-allowed', _source(type='dir', path='..'), FILENAME),
    ('project-module-good-source-git-bad-commit',
     _source(type='git', url='https://example.org/good.git', tag='1.0', commit='v1.0'),
     FILENAME),
]


def self_test():
    failures = 0

    report = lint(copy.deepcopy(GOOD), FILENAME)
    if report.problems:
        print('FAIL: the good manifest is not clean: %s' % sorted(report.rules()))
        failures += 1
    else:
        print('ok: the good manifest is clean')

    devel = copy.deepcopy(GOOD)
    devel['id'] = 'org.example.Good.Devel'
    devel['runtime-version'] = 'master'
    devel['modules'][0]['sources'] = [{'type': 'dir', 'path': '..'}]
    report = lint(devel, 'org.example.Good.Devel.json')
    if report.problems:
        print('FAIL: a .Devel manifest with a dir source and "master" is not clean: %s'
              % sorted(report.rules()))
        failures += 1
    else:
        print('ok: a .Devel manifest may use a dir source and the master runtime')

    for rule, mutate, filename in CASES:
        manifest = copy.deepcopy(GOOD)
        mutate(manifest)
        report = lint(manifest, filename)
        if rule in report.rules(ERROR):
            print('ok: %s' % rule)
        else:
            print('FAIL: %s did not fire (got %s)' % (rule, sorted(report.rules()) or 'nothing'))
            failures += 1

    # A rule in the documented list that has no case here is a silent hole.
    tested = {rule for rule, _, _ in CASES}
    required = {
        'appid-filename-mismatch', 'appid-less-than-3-components', 'toplevel-no-command',
        'toplevel-no-modules', 'toplevel-unnecessary-branch', 'toplevel-cleanup-debug',
        'finish-args-contains-both-x11-and-wayland', 'finish-args-fallback-x11-without-wayland',
        'finish-args-x11-without-ipc', 'finish-args-arbitrary-dbus-access',
        'finish-args-wildcard-freedesktop-talk-name', 'finish-args-wildcard-gnome-talk-name',
        'finish-args-flatpak-talk-name', 'finish-args-incorrect-secret-service-talk-name',
        'finish-args-host-filesystem-access', 'finish-args-home-filesystem-access',
        'module-good-source-git-no-commit-with-tag', 'module-good-source-git-branch',
        'module-good-source-sha1-deprecated', 'module-good-source-md5-deprecated',
        'module-good-source-dir-not-allowed', 'project-runtime-version-not-numeric',
    }
    for rule in sorted(required - tested):
        print('FAIL: no self-test case for %s' % rule)
        failures += 1

    print('%d case(s), %d failure(s)' % (len(CASES) + 2, failures))
    return 1 if failures else 0


def main(argv):
    if len(argv) == 2 and argv[1] == '--self-test':
        return self_test()
    if len(argv) < 2 or argv[1].startswith('-'):
        print('usage: %s MANIFEST.json [MANIFEST.json …] | --self-test' % argv[0],
              file=sys.stderr)
        return 2
    status = 0
    for path in argv[1:]:
        report = lint_file(path)
        for severity, rule, message in report.problems:
            print('%s: %s: %s: %s' % (path, severity, rule, message))
        if report.has_errors():
            status = 1
        else:
            print('%s: ok (%d warning(s))' % (path, len(report.problems)))
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv))
