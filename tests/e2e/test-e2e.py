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
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2etest import App  # noqa: E402
from ttdtest import Emulator, Tap, make_video, sha256_file, wait_for  # noqa: E402

build_root = os.path.abspath(sys.argv[1])
tap = Tap()
emulator = Emulator(build_root, "--processing-ms", "300")
workdir = tempfile.mkdtemp(prefix="ttd-e2e-")
video_a = make_video(os.path.join(workdir, "Beach day.mp4"), 3 * 1024 * 1024, seed=1)
video_b = make_video(os.path.join(workdir, "Skate park.mp4"), 1536 * 1024 + 7, seed=2)
app = App(build_root, emulator, [video_a, video_b])

try:
    if tap.ok(app.find() is not None, "the app appears on the accessibility bus"):
        tap.ok(any("2 items are waiting" in text for text in app.labels()),
               "the files given on the command line wait for sign-in")
        if app.sign_in(tap, emulator):
            tap.ok(app.click_when_enabled("Send to Drafts"), "“Send to Drafts” is there and enabled")

            def inbox_count():
                return sum(1 for text in app.labels() if text.startswith("In your TikTok inbox"))

            done = wait_for(lambda: inbox_count() >= 2, timeout=180, step=1.0)
            tap.ok(done, "both videos show “In your TikTok inbox”", f"labels: {app.labels()}")

            state = emulator.state()
            drafts = [d for d in state["drafts"] if d.get("status") == "SEND_TO_USER_INBOX"]
            tap.eq(len(drafts), 2, "the emulator has two drafts in the inbox")
            tap.eq(sorted(d.get("sha256") for d in drafts),
                   sorted([sha256_file(video_a), sha256_file(video_b)]),
                   "the drafts are exactly the two files (SHA-256)")
            tap.eq(len(state.get("direct_post_attempts", [])), 0, "nothing tried to post directly")

            send_after = app.button("Send to Drafts")
            tap.ok(send_after is not None and not send_after.sensitive,
                   "“Send to Drafts” is off once everything is sent")
except Exception as error:  # noqa: BLE001 — report, then clean up
    tap.ok(False, "the test ran without an exception", repr(error))
finally:
    app.stop(os.path.join(build_root, "tests", "e2e", "e2e-final.png"))
    emulator.stop()
    if tap.failed:
        tap.diag("app log:\n" + app.tail())
    tap.done()
