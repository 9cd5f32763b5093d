#!/usr/bin/python3
# test-insecure-api.py — the app refuses plain http to another machine as
# its TikTok API address (issue 15, #1): it sends neither the code and the
# client secret when signing in nor the bearer token at start-up, and says
# in one sentence what to correct.
#
# Runs in a network namespace with only loopback (in-private-network.sh),
# so 192.0.2.1 (TEST-NET-1) cannot be reached even if the check were gone.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2etest import App  # noqa: E402
from ttdtest import Emulator, Tap, browser_follow, wait_for  # noqa: E402

INSECURE = "http://192.0.2.1:9"
SENTENCE = f"The TikTok API address “{INSECURE}” must use https."

build_root = os.path.abspath(sys.argv[1])
tap = Tap()
emulator = Emulator(build_root)
# Not demo mode: its sign-in lives in memory, and the third run needs the
# one the second stored in the keyring.
keyring_env = {"TIKTOK_DRAFTS_DEMO": "0"}
insecure_env = {**keyring_env, "TIKTOK_DRAFTS_API_BASE": INSECURE}
app = None


def shows_sentence():
    return any(SENTENCE in text for text in app.labels())


try:
    # 1. Signing in: the code exchange (client secret) is refused.
    app = App(build_root, emulator, [], insecure_env)
    if tap.ok(app.find() is not None, "the app appears on the accessibility bus"):
        sign_in = wait_for(lambda: app.button("Sign in with TikTok"), timeout=30, step=0.5)
        if tap.ok(sign_in is not None, "the window offers “Sign in with TikTok”"):
            sign_in.doActionNamed("click")
            prefix = emulator.url + "/v2/auth/authorize/"
            link = wait_for(lambda: next((t for t in app.labels() if t.startswith(prefix)), None),
                            timeout=30, step=0.5)
            if tap.ok(link is not None, "the window shows the authorize link"):
                browser_follow(link)
                tap.ok(wait_for(shows_sentence, timeout=30, step=0.5),
                       "signing in shows the one-sentence configuration problem", app.labels())
    app.stop(os.path.join(build_root, "tests", "e2e", "insecure-api-sign-in.png"))

    # 2. Signed in against the emulator (loopback http is allowed) ...
    app = App(build_root, emulator, [], keyring_env)
    if tap.ok(app.find() is not None, "the app comes back with the emulator's address"):
        app.sign_in(tap, emulator)
    app.stop()

    # 3. ... then started with the insecure address: no bearer token sent.
    app = App(build_root, emulator, [], insecure_env)
    if tap.ok(app.find() is not None, "the app starts signed in with the insecure address"):
        tap.ok(wait_for(shows_sentence, timeout=30, step=0.5),
               "at start-up the window shows the configuration problem", app.labels())
    app.stop(os.path.join(build_root, "tests", "e2e", "insecure-api-start.png"))
    app = None
except Exception as error:  # noqa: BLE001 — report, then clean up
    tap.ok(False, "the test ran without an exception", repr(error))
finally:
    if app is not None:
        app.stop()
    emulator.stop()
    if tap.failed and app is not None:
        tap.diag("app log:\n" + app.tail())
    tap.done()
