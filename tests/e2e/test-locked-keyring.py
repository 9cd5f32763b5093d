#!/usr/bin/python3
# test-locked-keyring.py — the CLI with a locked keyring, as after a desktop
# session locked it (suite "e2e"): under Xvfb, in a private D-Bus session with a
# real gnome-keyring, whose unlock prompt (gcr-prompter) is answered over AT-SPI
# with dogtail like a person would: Cancel, Ctrl+C while it waits, and Unlock.
#
# Run as: xvfb-run -a … run-in-session.sh /usr/bin/python3 test-locked-keyring.py BUILD_ROOT
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
from ttdtest import Emulator, Tap, cli_sign_in, wait_for  # noqa: E402
from e2etest import use_dogtail  # noqa: E402

import dbus  # noqa: E402  (python3-dbus, which dogtail needs too)

# run-in-session.sh creates the login keyring with this password.
KEYRING_PASSWORD = "ttd-test-keyring"

build_root = os.path.abspath(sys.argv[1])
CLI = os.path.join(build_root, "app", "cli", "tiktok-drafts-cli")
tap = Tap()
emulator = Emulator(build_root)
env = dict(os.environ, LC_ALL="C.UTF-8", **emulator.env())

use_dogtail()
from dogtail import tree  # noqa: E402
from dogtail.predicate import GenericPredicate  # noqa: E402


def lock_keyring():
    bus = dbus.SessionBus()
    service = dbus.Interface(bus.get_object("org.freedesktop.secrets", "/org/freedesktop/secrets"),
                             "org.freedesktop.Secret.Service")
    collection = service.ReadAlias("default")
    locked, _prompt = service.Lock([collection])
    return len(locked) == 1


def prompter(timeout=30):
    """The keyring's unlock prompt, once it is on the accessibility bus."""
    def lookup():
        try:
            for app in tree.root.applications():
                if app.name == "gcr-prompter":
                    buttons = app.findChildren(GenericPredicate(roleName="push button"))
                    if any(b.name == "Cancel" and b.showing for b in buttons):
                        return app
        except Exception:  # noqa: BLE001 — the tree changed while walking it
            pass
        return None
    return wait_for(lookup, timeout=timeout, step=0.5)


def button(app, name):
    for node in app.findChildren(GenericPredicate(roleName="push button")):
        if node.name == name and node.showing:
            return node
    return None


def start_info():
    return subprocess.Popen([CLI, "info", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def finish(proc, timeout):
    """(exit status or None when still running after timeout, stdout, stderr)"""
    try:
        out, err = proc.communicate(timeout=timeout)
        return proc.returncode, out, err
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        return None, out, err


def signed_in(out):
    try:
        return json.loads(out).get("signed_in")
    except ValueError:
        return None


try:
    proc, _url, _hops = cli_sign_in(CLI, env, emulator.url)
    tap.ok(proc.returncode == 0, "signed in through the emulator", proc.stderr[-500:])
    status, out, err = finish(start_info(), 30)
    tap.ok(status == 0 and signed_in(out) is True, "info: signed in while the keyring is unlocked", out + err)

    # --- Cancel on the unlock prompt ------------------------------------------
    tap.ok(lock_keyring(), "the keyring is locked")
    proc = start_info()
    prompt = prompter()
    if tap.ok(prompt is not None, "the keyring asks to be unlocked"):
        button(prompt, "Cancel").doActionNamed("click")
    status, out, err = finish(proc, 30)
    tap.ok(status is not None, "after Cancel the CLI finishes (no hang)", err[-500:])
    tap.ok(signed_in(out) is False, "after Cancel: not signed in, and says so", out)
    message = json.loads(out).get("keyring_problem", "") if out.strip().startswith("{") else ""
    tap.ok("keyring" in (message + err) and "unlocked" in (message + err),
           "after Cancel: a sentence saying the keyring must be unlocked", out + err)

    # --- Ctrl+C while the prompt waits -----------------------------------------
    proc = start_info()
    prompt = prompter()
    tap.ok(prompt is not None, "the keyring asks again")
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    status, out, err = finish(proc, 15)
    tap.ok(status == 130, "Ctrl+C while the prompt waits ends the CLI with status 130",
           f"status {status}: {err[-500:]}")
    tap.ok(time.monotonic() - started < 10, "… within seconds")
    tap.ok("Cancelling" in err, "… and says it is cancelling", err[-500:])
    # The keyring may keep asking for the caller that went away: answer it.
    leftover = prompter(timeout=3)
    if leftover is not None:
        button(leftover, "Cancel").doActionNamed("click")
        wait_for(lambda: prompter(timeout=0) is None, timeout=10)

    # --- Unlock ---------------------------------------------------------------
    proc = start_info()
    prompt = prompter()
    if tap.ok(prompt is not None, "the keyring asks a third time"):
        # The prompt also has a hidden "Confirm" field, for new passwords.
        fields = [f for f in prompt.findChildren(GenericPredicate(roleName="password text")) if f.showing]
        if tap.ok(len(fields) == 1, "the prompt has one password field"):
            fields[0].text = KEYRING_PASSWORD
            button(prompt, "Unlock").doActionNamed("click")
    status, out, err = finish(proc, 30)
    tap.ok(status == 0 and signed_in(out) is True, "after Unlock: signed in",
           f"status {status}: {out} {err[-500:]}")
except Exception as error:  # noqa: BLE001 — report, then clean up
    tap.ok(False, "the test ran without an exception", repr(error))
finally:
    emulator.stop()
    tap.done()
