# e2etest.py — driving the real app window over AT-SPI (dogtail), shared by
# the e2e tests that are written on it.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))

from ttdtest import browser_follow, wait_for  # noqa: E402


def app_env(build_root, emulator, extra_env=None):
    """The environment the app runs in: the emulator's, demo mode, GSettings
    in memory, cairo, and AT-SPI on (the session's NO_AT_BRIDGE removed)."""
    env = dict(os.environ)
    for name in ("NO_AT_BRIDGE", "GTK_A11Y", "GSETTINGS_BACKEND"):
        env.pop(name, None)
    env.update(emulator.env())
    env.update({
        "TIKTOK_DRAFTS_DEMO": "1",
        "GSETTINGS_SCHEMA_DIR": os.path.join(build_root, "data"),
        "GSETTINGS_BACKEND": "memory",
        "GSK_RENDERER": "cairo",
        "GDK_DEBUG": "vulkan-disable",
        "ADW_DISABLE_PORTAL": "1",
        "LC_ALL": "C.UTF-8",
    })
    env.update(extra_env or {})
    return env


def use_dogtail():
    """Turns the session's accessibility on and sets dogtail up; call before
    importing dogtail.tree."""
    os.environ.pop("GSETTINGS_BACKEND", None)
    subprocess.run(["gsettings", "set", "org.gnome.desktop.interface", "toolkit-accessibility",
                    "true"], check=False)
    from dogtail.config import config
    config.searchCutoffCount = 3
    config.defaultDelay = 0.2
    # dogtail narrates every action on stdout, which is the TAP stream,
    # and into a log file announced there.
    config.logDebugToStdOut = False
    config.logDebugToFile = False


def labels(node):
    from dogtail.predicate import GenericPredicate
    try:
        return [n.name or "" for n in node.findChildren(GenericPredicate(roleName="label"),
                                                        showingOnly=False)]
    except Exception:  # noqa: BLE001 — the tree changed while walking it
        return []


def names(node):
    try:
        return [(n.roleName, n.name or "", n.sensitive)
                for n in node.findChildren(lambda x: True, showingOnly=False)]
    except Exception:  # noqa: BLE001
        return []


def button(node, name):
    try:
        return node.child(name=name, roleName="push button", retry=False)
    except Exception:  # noqa: BLE001
        return None


class App:
    """The app under Xvfb with the emulator's environment, and its window."""

    def __init__(self, build_root, emulator, args, extra_env=None):
        self.build_root = build_root
        self.log = tempfile.NamedTemporaryFile("w+", prefix="app-", suffix=".log", delete=False)
        self.proc = subprocess.Popen([os.path.join(build_root, "app", "ui", "tiktok-drafts"), *args],
                                     env=app_env(build_root, emulator, extra_env),
                                     stdout=self.log, stderr=subprocess.STDOUT)
        use_dogtail()
        self.node = None

    def find(self, timeout=60):
        from dogtail import tree

        def lookup():
            try:
                return tree.root.application("tiktok-drafts")
            except Exception:  # noqa: BLE001 — not on the bus yet
                return None
        self.node = wait_for(lookup, timeout=timeout, step=0.5)
        return self.node

    def labels(self):
        return labels(self.node)

    def names(self):
        return names(self.node)

    def button(self, name):
        return button(self.node, name)

    def sign_in(self, tap, emulator):
        """Clicks “Sign in with TikTok” and follows the shown link like a browser."""
        sign_in = wait_for(lambda: self.button("Sign in with TikTok"), timeout=30, step=0.5)
        if not tap.ok(sign_in is not None, "the window offers “Sign in with TikTok”"):
            return False
        sign_in.doActionNamed("click")
        prefix = emulator.url + "/v2/auth/authorize/"
        link = wait_for(lambda: next((t for t in self.labels() if t.startswith(prefix)), None),
                        timeout=30, step=0.5)
        if not tap.ok(link is not None, "the window shows the authorize link"):
            return False
        browser_follow(link)
        state = emulator.state()
        return tap.ok(wait_for(lambda: any(n == state["display_name"] for _, n, _ in self.names()),
                               timeout=60, step=0.5),
                      "the header shows the account's display name")

    def click_when_enabled(self, name, timeout=30):
        found = wait_for(lambda: (lambda b: b if b is not None and b.sensitive else None)(
            self.button(name)), timeout=timeout, step=0.5)
        if found is not None:
            found.doActionNamed("click")
        return found is not None

    def send_slideshow(self, tap, emulator, n_photos):
        """Clicks “Send to Drafts”, waits for “In your TikTok inbox” and checks
        the emulator's one photo draft reached the inbox with @n_photos JPEGs
        without metadata. Returns the draft's photo_images."""
        tap.ok(self.click_when_enabled("Send to Drafts"), "“Send to Drafts” is enabled and clicked")
        done = wait_for(lambda: any(t.startswith("In your TikTok inbox") for t in self.labels()),
                        timeout=180, step=1.0)
        tap.ok(done, "the slideshow shows “In your TikTok inbox”", self.labels())

        drafts = [d for d in emulator.state()["drafts"] if d.get("kind") == "photo"]
        tap.eq(len(drafts), 1, "the emulator has one photo draft")
        images = drafts[0].get("photo_images", []) if drafts else []
        tap.eq(drafts and drafts[0].get("status"), "SEND_TO_USER_INBOX", "it reached the inbox")
        tap.eq(len(images), n_photos, f"with {n_photos} photos, in order")
        tap.ok(all(i.get("format") == "jpeg" and not i.get("has_exif") for i in images),
               "all pulled as JPEG without metadata", images)
        return images

    def stop(self, screenshot=None):
        if screenshot:
            subprocess.run(["import", "-window", "root", screenshot], timeout=30, check=False)
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        runtime_dir = os.environ.get("XDG_RUNTIME_DIR")
        if runtime_dir and os.path.ismount(os.path.join(runtime_dir, "doc")):
            subprocess.run(["fusermount", "-u", "-z", os.path.join(runtime_dir, "doc")], check=False)

    def tail(self):
        self.log.seek(0)
        return self.log.read()[-4000:]
