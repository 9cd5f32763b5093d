#!/usr/bin/python3
# test-waiting-queue.py — a queue that waits for TikTok: seven videos sent with the CLI
# against TikTok's real cap of five pending drafts (the emulator counts them per user);
# five arrive, two wait with their next try in the queue, `resume --watch` keeps trying
# with back-off, and once the drafts are acted on (the emulator's act-on-drafts, as the
# user would in the TikTok app) both arrive by themselves, each exactly once. Then
# Ctrl+C stops a watch without losing anything, and --watch ends once nothing waits.
# TIKTOK_DRAFTS_RETRY_SECONDS makes TikTok's minutes seconds.
# Run through run-in-session.sh.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ttdtest import Emulator, Tap, cli_sign_in, make_video, sha256_file, wait_for  # noqa: E402

BUILD = os.environ.get("MESON_BUILD_ROOT") or sys.argv[1]
CLI = os.path.join(BUILD, "app", "cli", "tiktok-drafts-cli")
EXIT_WAITING = 5

tap = Tap()
work = tempfile.mkdtemp(prefix="ttd-waiting-")
emulator = Emulator(BUILD, "--processing-ms", "200")
env = dict(os.environ, **emulator.env(), LC_ALL="C.UTF-8", TIKTOK_DRAFTS_RETRY_SECONDS="2")


def cli_json(*args, timeout=300):
    proc = subprocess.run([CLI, *args, "--json"], capture_output=True, text=True, timeout=timeout, env=env)
    try:
        return proc, json.loads(proc.stdout)
    except ValueError:
        return proc, None


def inbox(sha):
    """How many drafts with these bytes reached the inbox."""
    return sum(1 for d in emulator.state()["drafts"]
               if d.get("sha256") == sha and d.get("status") == "SEND_TO_USER_INBOX")


def delivered_total():
    return sum(1 for d in emulator.state()["drafts"] if d.get("status") == "SEND_TO_USER_INBOX")


def queue_items():
    proc, data = cli_json("queue")
    return data["items"] if data else []


class Watch:
    """`resume --watch` in the background, its lines collected as they come."""

    def __init__(self):
        self.err = open(os.path.join(work, f"watch-{time.monotonic_ns()}.log"), "w+")
        self.proc = subprocess.Popen([CLI, "resume", "--watch"], stdout=subprocess.PIPE, stderr=self.err,
                                     text=True, env=env)
        self.lines = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def count(self, text):
        return sum(1 for line in self.lines if text in line)

    def log(self):
        self.err.seek(0)
        return "\n".join(self.lines) + "\n--- stderr:\n" + self.err.read()[-3000:]


proc, _, _ = cli_sign_in(CLI, env, emulator.url)
tap.eq(proc.returncode, 0, "signed in with the CLI")

videos = [make_video(os.path.join(work, f"clip-{i}.mp4"), 2 * 1000 * 1000 + i, seed=100 + i)
          for i in range(7)]
shas = [sha256_file(v) for v in videos]

# --- seven uploads: five fill the inbox, two wait ---------------------------
results = [cli_json("upload", "--video", v) for v in videos]
for i, (proc, data) in enumerate(results[:5]):
    tap.ok(proc.returncode == 0 and data and data.get("status") == "SEND_TO_USER_INBOX",
           f"video {i + 1} reaches the inbox", proc.stderr[-800:])
for i, (proc, data) in enumerate(results[5:], start=6):
    tap.ok(proc.returncode == EXIT_WAITING and data and data.get("waiting") and
           data.get("wait_reason") in ("pending-cap", "rate-limit") and data.get("next_try_at", 0) > 0,
           f"video {i} does not fail: it waits (exit {EXIT_WAITING}) with its next try", (proc.stderr, data))
proc, data = results[5]
tap.ok(data and data.get("wait_reason") == "pending-cap" and
       "too many drafts waiting in the TikTok app" in proc.stderr and "resume --watch" in proc.stderr,
       "video 6 meets the cap: says so, when it is tried again and what sends it then", proc.stderr)
tap.diag(f"video 7: {results[6][1]}")
state = emulator.state()
tap.eq(state["pending_drafts"], 5, "TikTok counts five pending drafts")
tap.eq(delivered_total(), 5, "five drafts are in the inbox")

items = queue_items()
waiting = [i for i in items if i.get("waiting")]
tap.ok(len(items) == 2 and len(waiting) == 2 and all(i["state"] == "queued" and i["next_try_at"] > 0
                                                     for i in waiting),
       "the queue has the two, queued, each with its next try", items)
text = subprocess.run([CLI, "queue"], capture_output=True, text=True, env=env, timeout=60).stdout
tap.ok(text.count("tries again at") == 2, "`queue` says when each is tried again", text)

# --- resume without --watch: sends what is due, says when the rest goes ---------
proc, data = cli_json("resume")
tap.ok(proc.returncode == EXIT_WAITING and data and len(data["items"]) == 2 and
       all(i.get("waiting") for i in data["items"]) and "next try is at" in proc.stderr,
       "`resume` leaves them waiting (exit 5) and says when the next try is", (proc.stderr[-1500:], data))
tap.eq(delivered_total(), 5, "…and nothing more arrived")

# --- resume --watch keeps trying; acting on the drafts lets both through -----------
watch = Watch()
# Two lines at once (neither is due yet), then one more each time a try is held back again.
retried = wait_for(lambda: watch.count(": waiting.") >= 3, timeout=60, step=0.5)
tap.ok(retried, "`resume --watch` tries again by itself and says each new next try", watch.log())
tap.ok(watch.proc.poll() is None, "…and keeps running while TikTok holds them back", watch.log())
tap.eq(delivered_total(), 5, "…while the inbox is full, nothing more arrives")

emulator.act_on_drafts()
tap.eq(emulator.state()["pending_drafts"], 0, "the user acts on the five drafts in the TikTok app")
arrived = wait_for(lambda: delivered_total() >= 7, timeout=240, step=1.0)
tap.ok(arrived, "both waiting videos arrive by themselves", watch.log())
try:
    code = watch.proc.wait(timeout=60)
except subprocess.TimeoutExpired:
    code = None
tap.eq(code, 0, "`resume --watch` ends by itself (exit 0) once nothing waits")
watch.reader.join(5)
tap.ok(watch.count("SEND_TO_USER_INBOX") == 2, "…having said each arrival once", watch.log())
tap.diag("`resume --watch` said:\n" + "\n".join(watch.lines))

tap.eq([inbox(sha) for sha in shas], [1] * 7, "every video is in the inbox exactly once")
state = emulator.state()
tap.eq(len(state["drafts"]), 7, "TikTok made seven drafts, no more")
tap.diag(f"video inits: {state['counts']['video_inits']} (refused ones included)")
tap.eq(queue_items(), [], "the queue is empty")
tap.eq(len(state.get("direct_post_attempts", [])), 0, "nothing tried to post directly")

# --- Ctrl+C stops a watch; nothing is lost; the next watch delivers ---------------
emulator.act_on_drafts()
extra = make_video(os.path.join(work, "later.mp4"), 2 * 1000 * 1000 + 99, seed=199)
emulator.fault("pending-cap")
proc, data = cli_json("upload", "--video", extra)
tap.eq(proc.returncode, EXIT_WAITING, "one more, held back by the cap, waits")
before = queue_items()
watch = Watch()
wait_for(lambda: watch.count(": waiting.") >= 1 or watch.proc.poll() is not None, timeout=30, step=0.2)
watch.proc.send_signal(signal.SIGINT)
try:
    code = watch.proc.wait(timeout=30)
except subprocess.TimeoutExpired:
    code = None
watch.reader.join(5)
after = queue_items()
if code == 0:
    # The armed cap was used up and the next try came before Ctrl+C: it arrived.
    tap.ok(inbox(sha256_file(extra)) == 1, "the watch delivered it before Ctrl+C", watch.log())
else:
    tap.eq(code, 130, "Ctrl+C stops `resume --watch` (exit 130)")
    tap.ok(len(after) == 1 and after[0]["id"] == before[0]["id"] and not after[0].get("being_sent"),
           "…the item is still queued, not held by the stopped watch", after)
    proc = subprocess.run([CLI, "resume", "--watch"], capture_output=True, text=True, env=env, timeout=120)
    tap.eq(proc.returncode, 0, "the next `resume --watch` sends it and ends")
tap.eq(inbox(sha256_file(extra)), 1, "it arrived exactly once")
tap.eq(queue_items(), [], "the queue is empty again")

emulator.stop()
tap.done()
