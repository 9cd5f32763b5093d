#!/usr/bin/python3
# test-waiting-e2e.py — the app waits for TikTok (suite "e2e"): the CLI fills the
# creator's TikTok inbox to TikTok's cap of five pending drafts, then a video sent from
# the app's window is held back. The row says when the next try is and what to do, the
# app keeps trying by itself, and once the drafts are acted on (the emulator's
# act-on-drafts, as the creator would in the TikTok app) the video arrives without
# anybody pressing anything, exactly once. A screenshot of the waiting row is kept as
# tests/e2e/waiting-row.png. TIKTOK_DRAFTS_RETRY_SECONDS makes TikTok's minutes seconds.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2etest import App  # noqa: E402
from ttdtest import Emulator, Tap, cli_sign_in, make_video, sha256_file, wait_for  # noqa: E402

build_root = os.path.abspath(sys.argv[1])
cli = os.path.join(build_root, "app", "cli", "tiktok-drafts-cli")
shots_dir = os.path.join(build_root, "tests", "e2e")
tap = Tap()
work = tempfile.mkdtemp(prefix="ttd-e2e-waiting-")
emulator = Emulator(build_root, "--processing-ms", "300")
cli_env = dict(os.environ, **emulator.env(), LC_ALL="C.UTF-8")
queue_path = os.path.join(os.environ["XDG_DATA_HOME"], "tiktok-drafts", "queue.json")
WAITING = "Waiting for TikTok — next try at "


def in_inbox(sha):
    return sum(1 for d in emulator.state()["drafts"]
               if d.get("sha256") == sha and d.get("status") == "SEND_TO_USER_INBOX")


def queued(path):
    try:
        with open(queue_path) as handle:
            return next((i for i in json.load(handle).get("items", []) if i.get("paths") == [path]), None)
    except (OSError, ValueError):
        return None


# The CLI (with its own sign-in) fills the inbox: TikTok allows five drafts waiting.
proc, _, _ = cli_sign_in(cli, cli_env, emulator.url)
tap.eq(proc.returncode, 0, "the CLI signs in")
for i in range(5):
    filler = make_video(os.path.join(work, f"earlier-{i}.mp4"), 1000 * 1000 + i, seed=300 + i)
    proc = subprocess.run([cli, "upload", "--video", filler], capture_output=True, text=True, env=cli_env,
                          timeout=120)
    tap.eq(proc.returncode, 0, f"earlier video {i + 1} is in the inbox")
tap.eq(emulator.state()["pending_drafts"], 5, "five drafts wait in the creator's TikTok app")

video = make_video(os.path.join(work, "Sixth clip.mp4"), 3 * 1000 * 1000 + 7, seed=42)
sha = sha256_file(video)
app = App(build_root, emulator, [video], {"TIKTOK_DRAFTS_RETRY_SECONDS": "3", "G_MESSAGES_DEBUG": "ttd-core"})


def waiting_label():
    return next((t for t in app.labels() if t.startswith(WAITING)), None)


try:
    if tap.ok(app.find() is not None, "the app appears on the accessibility bus") and \
       app.sign_in(tap, emulator):
        inits = emulator.state()["counts"]["video_inits"]
        tap.ok(app.click_when_enabled("Send to Drafts"), "“Send to Drafts” is enabled and clicked")

        label = wait_for(waiting_label, timeout=60, step=0.5)
        tap.ok(label is not None, "the row says “Waiting for TikTok — next try at HH:MM”", app.labels())
        tap.ok(label is not None and "TikTok app" in label and "post or delete" in label,
               "…and what the creator can do: act on drafts in the TikTok app", label)
        when = label[len(WAITING):len(WAITING) + 5] if label else ""
        tap.ok(len(when) == 5 and when[2] == ":" and when.replace(":", "").isdigit(),
               "…at a time of day (HH:MM)", when)
        item = queued(video)
        tap.ok(item is not None and item.get("state") == "queued" and item.get("wait_reason") == "pending-cap" and
               item.get("next_try_at", 0) > 0, "the queue file keeps it queued with its next try", item)
        retry = app.button("Retry")
        tap.ok(not any(t.startswith("In your TikTok inbox") for t in app.labels()) and
               (retry is None or not retry.showing), "it has not failed: no Retry, nothing delivered",
               app.labels())

        # It tries again by itself (each try asks TikTok once) and still waits.
        retried = wait_for(lambda: emulator.state()["counts"]["video_inits"] >= inits + 2, timeout=60, step=0.5)
        tap.ok(retried, "the app tries again by itself", emulator.state()["counts"])
        tap.ok(wait_for(waiting_label, timeout=20, step=0.5) is not None,
               "…and the row still says when the next try is", app.labels())
        subprocess.run(["import", "-window", "root", os.path.join(shots_dir, "waiting-row.png")],
                       timeout=30, check=False)
        tap.eq(in_inbox(sha), 0, "while the inbox is full, the video is not delivered")

        # The creator posts or deletes the drafts in the TikTok app.
        emulator.act_on_drafts()
        done = wait_for(lambda: any(t.startswith("In your TikTok inbox") for t in app.labels()),
                        timeout=180, step=1.0)
        tap.ok(done, "after acting on the drafts, the video arrives without pressing anything", app.labels())
        tap.eq(in_inbox(sha), 1, "it is in the inbox exactly once")
        state = emulator.state()
        tap.eq(len(state["drafts"]), 6, "TikTok made six drafts in all, no more")
        tap.diag(f"video inits by the app: {state['counts']['video_inits'] - inits}")
        tap.ok(wait_for(lambda: queued(video) is None, timeout=10, step=0.2), "it left the queue file")
        tap.eq(state["direct_post_attempts"], [], "nothing tried to direct-post")
finally:
    app.stop(os.path.join(shots_dir, "waiting-final.png"))
    emulator.stop()
    if tap.failed:
        tap.diag("app log:\n" + app.tail())
    tap.done()
