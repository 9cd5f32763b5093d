#!/usr/bin/python3
# test-resume.py — the app's persistent queue end to end (suite "e2e"): start the app with a
# large video, sign in, send, `kill -9` it mid-upload, start it again without arguments,
# sign in again, and check that it continues the same upload by itself: one draft with the
# file's bytes, no second upload init. Also checks that the CLI sees what the app queued.
#
# Run as: xvfb-run -a … run-in-session.sh /usr/bin/python3 test-resume.py BUILD_ROOT
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))

from ttdtest import Emulator, Tap, browser_follow, make_video, sha256_file, wait_for  # noqa: E402
from e2etest import app_env, button, labels, names, use_dogtail  # noqa: E402

build_root = os.path.abspath(sys.argv[1])
app_exe = os.path.join(build_root, "app", "ui", "tiktok-drafts")
cli_exe = os.path.join(build_root, "app", "cli", "tiktok-drafts-cli")
shots_dir = os.path.join(build_root, "tests", "e2e")

tap = Tap()
emulator = Emulator(build_root, "--processing-ms", "300")
workdir = tempfile.mkdtemp(prefix="ttd-resume-")
video = make_video(os.path.join(workdir, "Long take.mp4"), 150 * 1024 * 1024 + 321, seed=7)
video_sha = sha256_file(video)

# run-in-session.sh gave this session its own XDG directories.
queue_path = os.path.join(os.environ["XDG_DATA_HOME"], "tiktok-drafts", "queue.json")

env = app_env(build_root, emulator, {"G_MESSAGES_DEBUG": "ttd"})
app_log = open(os.path.join(workdir, "app.log"), "w+")
app = None


def start_app(*args):
    app_log.write(f"--- starting the app {args!r}\n")
    app_log.flush()
    return subprocess.Popen([app_exe, *args], env=env, stdout=app_log, stderr=subprocess.STDOUT)


app = start_app(video)

use_dogtail()
from dogtail import tree  # noqa: E402
from dogtail.config import config as dogtail_config  # noqa: E402


def find_app():
    """The running app's node; not the one of the instance that was killed."""
    try:
        nodes = tree.root.applications()
    except Exception:  # noqa: BLE001 — the bus is busy
        return None
    for node in nodes:
        try:
            if node.name == "tiktok-drafts" and node.get_process_id() == app.pid:
                return node
        except Exception:  # noqa: BLE001 — went away while asking
            continue
    return None


def read_queue():
    try:
        with open(queue_path) as handle:
            return json.load(handle).get("items", [])
    except (OSError, ValueError):
        return []


def queued_video():
    return next((item for item in read_queue() if item.get("paths") == [video]), None)


def cli_queue():
    proc = subprocess.run([cli_exe, "queue", "--json"], env=env, capture_output=True, text=True,
                          timeout=60)
    try:
        return json.loads(proc.stdout).get("items", [])
    except ValueError:
        return []


def our_draft():
    drafts = [d for d in emulator.state()["drafts"] if d.get("video_size") == os.path.getsize(video)]
    return drafts[-1] if drafts else None


def finish():
    try:
        subprocess.run(["import", "-window", "root", os.path.join(shots_dir, "resume-final.png")],
                       timeout=30, check=False)
    except Exception as error:  # noqa: BLE001
        tap.diag(f"no screenshot: {error}")
    if app is not None and app.poll() is None:
        app.terminate()
        try:
            app.wait(10)
        except subprocess.TimeoutExpired:
            app.kill()
    emulator.stop()
    runtime_dir = os.environ.get("XDG_RUNTIME_DIR")
    if runtime_dir and os.path.ismount(os.path.join(runtime_dir, "doc")):
        subprocess.run(["fusermount", "-u", "-z", os.path.join(runtime_dir, "doc")], check=False)
    if tap.failed:
        app_log.seek(0)
        tap.diag("app log:\n" + app_log.read()[-6000:])
    tap.done()


def sign_in(ttd):
    """Signs in through the window, as a person would; True once the account shows."""
    sign_in_button = wait_for(lambda: button(ttd, "Sign in with TikTok"), timeout=30, step=0.5)
    if not tap.ok(sign_in_button is not None, "the window offers “Sign in with TikTok”"):
        return False
    sign_in_button.doActionNamed("click")
    prefix = emulator.url + "/v2/auth/authorize/"
    authorize_url = wait_for(lambda: next((t for t in labels(ttd) if t.startswith(prefix)), None),
                             timeout=30, step=0.5)
    if not tap.ok(authorize_url is not None, "the window shows the authorize link"):
        return False
    hops = browser_follow(authorize_url)
    tap.ok(len(hops) >= 2 and hops[-1][1] == 200, "the browser reaches the app's loopback listener",
           [(url.split("?")[0], status) for url, status, _, _ in hops])
    signed_in = wait_for(lambda: any(name == "Demo Creator" for _, name, _ in names(ttd)),
                         timeout=60, step=0.5)
    return tap.ok(signed_in, "the header shows the account's display name")


try:
    ttd = wait_for(find_app, timeout=60, step=0.5)
    if not tap.ok(ttd is not None, "the app appears on the accessibility bus"):
        finish()

    # What the app queued is on disk before anything is sent, and the CLI sees it.
    item = wait_for(queued_video, timeout=30, step=0.2)
    tap.ok(item is not None and item.get("state") == "queued",
           "the dropped video is in the queue file before it is sent", read_queue())
    listed = wait_for(lambda: next((i for i in cli_queue() if i.get("file") == video), None),
                      timeout=30, step=0.5)
    tap.ok(listed is not None and listed.get("state") == "queued" and not listed.get("being_sent"),
           "`tiktok-drafts-cli queue --json` lists the item the app queued", cli_queue())
    queue_id = item.get("id") if item else None

    if not sign_in(ttd):
        finish()

    send = wait_for(lambda: (lambda b: b if b is not None and b.sensitive else None)(
        button(ttd, "Send to Drafts")), timeout=30, step=0.5)
    if not tap.ok(send is not None, "“Send to Drafts” is there and enabled"):
        finish()
    # The AT-SPI action call returns only after about a second, when much of the video is
    # sent already: click from another thread, and watch the emulator meanwhile.
    dogtail_config.actionDelay = 0
    clicker = threading.Thread(target=send.doActionNamed, args=("click",), daemon=True)
    clicker.start()

    # As soon as TikTok has a chunk or more, the app dies the hard way.
    def some_chunks():
        draft = our_draft()
        return draft if draft and draft.get("chunks_received", 0) >= 1 else None

    draft = wait_for(some_chunks, timeout=120, step=0.02)
    app.send_signal(signal.SIGKILL)
    app.wait(10)
    if not tap.ok(draft is not None, "the emulator received a chunk of the video"):
        finish()
    draft = our_draft()
    tap.ok(not draft.get("upload_complete"), "the app was killed before the upload was complete",
           {k: draft.get(k) for k in ("chunks_received", "total_chunk_count", "uploaded_bytes")})
    publish_id = draft["publish_id"]
    inits_before = emulator.state()["counts"]["video_inits"]

    item = queued_video()
    tap.ok(item is not None and item.get("publish_id") == publish_id,
           "after kill -9 the queue file has the item with its publish_id", read_queue())
    # The last chunk TikTok took may not be recorded yet (the kill can fall between the
    # two); the sender then learns where to go on from TikTok's 416 answer.
    tap.ok(item is not None and item.get("id") == queue_id and item.get("state") == "sending",
           "… as the same item, still being sent", item)
    tap.diag(f"killed at chunk {draft.get('chunks_received')} of {draft.get('total_chunk_count')}; "
             f"the queue had {item.get('acknowledged') if item else None} bytes acknowledged")

    # Again, without files: the queue brings the video back.
    app = start_app()
    ttd = wait_for(find_app, timeout=60, step=0.5)
    if not tap.ok(ttd is not None, "the restarted app appears on the accessibility bus"):
        finish()
    shown = wait_for(lambda: any("1 item is waiting" in text for text in labels(ttd)),
                     timeout=30, step=0.5)
    tap.ok(shown, "the restarted app shows the queued item waiting for sign-in", labels(ttd))

    # The demo keeps tokens in memory only: sign in again. Sending then resumes by itself.
    if not sign_in(ttd):
        finish()

    done = wait_for(lambda: any(text.startswith("In your TikTok inbox") for text in labels(ttd)),
                    timeout=240, step=1.0)
    tap.ok(done, "the video shows “In your TikTok inbox” without clicking Send again", labels(ttd))

    state = emulator.state()
    drafts = [d for d in state["drafts"] if d.get("status") == "SEND_TO_USER_INBOX"]
    tap.eq(len(drafts), 1, "the emulator has exactly one draft in the inbox")
    tap.eq([d.get("sha256") for d in drafts], [video_sha], "the draft is exactly the file (SHA-256)")
    tap.eq(drafts[0].get("publish_id") if drafts else None, publish_id,
           "it is the draft whose upload was interrupted")
    tap.eq(state["counts"]["video_inits"], inits_before,
           "no second upload init: the upload URL was still valid")
    tap.eq(len(state.get("direct_post_attempts", [])), 0, "nothing tried to post directly")
    gone = wait_for(lambda: queued_video() is None, timeout=10, step=0.2)
    tap.ok(gone, "the delivered item left the queue file", read_queue())
except Exception as error:  # noqa: BLE001 — report, then clean up
    tap.ok(False, "the test ran without an exception", repr(error))

finish()
