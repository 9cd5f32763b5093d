#!/usr/bin/python3
# test-e2e.py — the GTK app end to end (suite "e2e"): under Xvfb, in a private D-Bus
# session with a real gnome-keyring, against the TikTok emulator, driven over AT-SPI
# with dogtail like a person would: sign in, send two videos, check the drafts.
#
# Run as: xvfb-run -a … run-in-session.sh /usr/bin/python3 test-e2e.py BUILD_ROOT
# (/usr/bin/python3: Debian's python3-dogtail lives there, not in a pyenv.)
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))

from ttdtest import Emulator, Tap, browser_follow, make_video, sha256_file, wait_for  # noqa: E402

build_root = os.path.abspath(sys.argv[1])
app_exe = os.path.join(build_root, "app", "ui", "tiktok-drafts")
shots_dir = os.path.join(build_root, "tests", "e2e")

tap = Tap()
emulator = Emulator(build_root, "--processing-ms", "300")
workdir = tempfile.mkdtemp(prefix="ttd-e2e-")
video_a = make_video(os.path.join(workdir, "Beach day.mp4"), 3 * 1024 * 1024, seed=1)
video_b = make_video(os.path.join(workdir, "Skate park.mp4"), 1536 * 1024 + 7, seed=2)

env = dict(os.environ)
# AT-SPI must work here, so none of the unit tests' switches that turn it off.
for name in ("NO_AT_BRIDGE", "GTK_A11Y", "GSETTINGS_BACKEND"):
    env.pop(name, None)
env.update(emulator.env())
env.update({
    "TIKTOK_DRAFTS_DEMO": "1",
    "GSETTINGS_SCHEMA_DIR": os.path.join(build_root, "data"),
    "GSETTINGS_BACKEND": "memory",
    "GSK_RENDERER": "cairo",
    "GDK_DEBUG": "vulkan-disable",
    # See tests/ui/meson.build: keeps the document portal (and its FUSE mount) away.
    "ADW_DISABLE_PORTAL": "1",
    "LC_ALL": "C.UTF-8",
})
app_log = open(os.path.join(workdir, "app.log"), "w+")
app = subprocess.Popen([app_exe, video_a, video_b], env=env, stdout=app_log, stderr=subprocess.STDOUT)

# dogtail refuses to run unless the desktop's accessibility switch is on; this session's
# settings live in run-in-session.sh's private, throw-away directories.
os.environ.pop("GSETTINGS_BACKEND", None)
subprocess.run(["gsettings", "set", "org.gnome.desktop.interface", "toolkit-accessibility", "true"],
               check=False)
from dogtail import config as dogtail_config  # noqa: E402
from dogtail import tree  # noqa: E402
from dogtail.predicate import GenericPredicate  # noqa: E402

dogtail_config.searchCutoffCount = 3
dogtail_config.defaultDelay = 0.2


def find_app():
    try:
        return tree.root.application("tiktok-drafts")
    except Exception:  # noqa: BLE001 — not on the bus yet
        return None


def labels(node):
    try:
        return [n.name or "" for n in node.findChildren(GenericPredicate(roleName="label"),
                                                          showingOnly=False)]
    except Exception:  # noqa: BLE001 — the tree changed while walking it
        return []


def button(node, name):
    try:
        return node.child(name=name, roleName="push button", retry=False)
    except Exception:  # noqa: BLE001
        return None


def finish():
    try:
        subprocess.run(["import", "-window", "root", os.path.join(shots_dir, "e2e-final.png")],
                       timeout=30, check=False)
    except Exception as error:  # noqa: BLE001
        tap.diag(f"no screenshot: {error}")
    app.terminate()
    try:
        app.wait(10)
    except subprocess.TimeoutExpired:
        app.kill()
    emulator.stop()
    # Something in the session may have started the document portal; its FUSE mount
    # would stop run-in-session.sh from deleting the session's runtime directory.
    runtime_dir = os.environ.get("XDG_RUNTIME_DIR")
    if runtime_dir and os.path.ismount(os.path.join(runtime_dir, "doc")):
        subprocess.run(["fusermount", "-u", "-z", os.path.join(runtime_dir, "doc")], check=False)
    if tap.failed:
        app_log.seek(0)
        tap.diag("app log:\n" + app_log.read()[-4000:])
    tap.done()


try:
    ttd = wait_for(find_app, timeout=60, step=0.5)
    if not tap.ok(ttd is not None, "the app appears on the accessibility bus"):
        finish()

    sign_in = wait_for(lambda: button(ttd, "Sign in with TikTok"), timeout=30, step=0.5)
    if not tap.ok(sign_in is not None, "the window offers “Sign in with TikTok”"):
        finish()
    tap.ok(any("2 items are waiting" in text for text in labels(ttd)),
           "the files given on the command line wait for sign-in")
    sign_in.doActionNamed("click")

    # No browser can open here; the window shows the link, as it would for a person.
    prefix = emulator.url + "/v2/auth/authorize/"
    authorize_url = wait_for(lambda: next((t for t in labels(ttd) if t.startswith(prefix)), None),
                             timeout=30, step=0.5)
    if not tap.ok(authorize_url is not None, "the window shows the authorize link"):
        finish()

    hops = browser_follow(authorize_url)
    tap.ok(len(hops) >= 2 and hops[-1][1] == 200,
           "following the link like a browser reaches the app's loopback listener",
           [(url.split("?")[0], status) for url, status, _, _ in hops])

    def names(node):
        try:
            return [(n.roleName, n.name or "", n.sensitive)
                    for n in node.findChildren(lambda x: True, showingOnly=False)]
        except Exception:  # noqa: BLE001
            return []

    signed_in = wait_for(lambda: any(name == "Demo Creator" for _, name, _ in names(ttd)),
                         timeout=60, step=0.5)
    tap.ok(signed_in, "the header shows the account's display name",
           [n for n in names(ttd) if n[0] in ("push button", "toggle button", "label")])

    send = wait_for(lambda: (lambda b: b if b is not None and b.sensitive else None)(
        button(ttd, "Send to Drafts")), timeout=30, step=0.5)
    if not tap.ok(send is not None, "“Send to Drafts” is there and enabled"):
        finish()
    send.doActionNamed("click")

    def inbox_count():
        return sum(1 for text in labels(ttd) if text.startswith("In your TikTok inbox"))

    done = wait_for(lambda: inbox_count() >= 2, timeout=180, step=1.0)
    tap.ok(done, "both videos show “In your TikTok inbox”", f"labels: {labels(ttd)}")

    state = emulator.state()
    drafts = [d for d in state["drafts"] if d.get("status") == "SEND_TO_USER_INBOX"]
    tap.eq(len(drafts), 2, "the emulator has two drafts in the inbox")
    tap.eq(sorted(d.get("sha256") for d in drafts),
           sorted([sha256_file(video_a), sha256_file(video_b)]),
           "the drafts are exactly the two files (SHA-256)")
    tap.eq(len(state.get("direct_post_attempts", [])), 0, "nothing tried to post directly")

    send_after = button(ttd, "Send to Drafts")
    tap.ok(send_after is not None and not send_after.sensitive,
           "“Send to Drafts” is off once everything is sent")
except Exception as error:  # noqa: BLE001 — report, then clean up
    tap.ok(False, "the test ran without an exception", repr(error))

finish()
