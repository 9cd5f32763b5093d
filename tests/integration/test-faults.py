#!/usr/bin/python3
# test-faults.py — every fault TikTok (or the user's machine) can throw at an
# upload, from the emulator's fault switches; in each, the draft must arrive
# exactly once. Also the persistent queue: kill -9, resume, a second
# instance, files changed while queued or while being sent, deleted files, a
# missing keyring.
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
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ttdtest import Emulator, Tap, browser_follow, make_video, sha256_file, wait_for  # noqa: E402

BUILD = os.environ.get("MESON_BUILD_ROOT") or sys.argv[1]
CLI = os.path.join(BUILD, "app", "cli", "tiktok-drafts-cli")

tap = Tap()
work = tempfile.mkdtemp(prefix="ttd-faults-")
emulator = Emulator(BUILD, "--processing-ms", "200")
env = dict(os.environ, **emulator.env(), LC_ALL="C.UTF-8")
QUEUE = os.path.join(os.environ.get("XDG_DATA_HOME", os.path.expanduser("~/.local/share")),
                     "tiktok-drafts", "queue.json")


def cli(*args, timeout=300, extra_env=None):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout,
                          env=dict(env, **(extra_env or {})))


def cli_json(*args, **kwargs):
    proc = cli(*args, "--json", **kwargs)
    try:
        return proc, json.loads(proc.stdout)
    except ValueError:
        return proc, None


def delivered(sha):
    """How many drafts with these bytes reached the inbox."""
    return sum(1 for d in emulator.state()["drafts"]
               if d.get("sha256") == sha and d.get("status") == "SEND_TO_USER_INBOX")


def sign_in():
    proc = subprocess.Popen([CLI, "auth", "--no-browser", "--json"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    for line in proc.stderr:
        if line.startswith(emulator.url):
            browser_follow(line.strip())
            break
    proc.communicate(timeout=60)
    return proc.returncode


def arm_when(predicate, fault):
    """Arms a fault from another thread once the upload got somewhere."""
    def run():
        if wait_for(predicate, timeout=60, step=0.02):
            emulator.fault(fault)
    thread = threading.Thread(target=run)
    thread.start()
    return thread


def chunks_received_at_least(n):
    """True once a draft created after this call has received n chunks."""
    known = len(emulator.state()["drafts"])

    def check():
        drafts = emulator.state()["drafts"][known:]
        return any(d.get("chunks_received", 0) >= n for d in drafts)
    return check


def interrupt_upload(path):
    """Starts sending `path` and kills the CLI once TikTok has a chunk."""
    proc = subprocess.Popen([CLI, "upload", "--video", path], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(chunks_received_at_least(1), timeout=60, step=0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def queue_items():
    proc, data = cli_json("queue")
    return data["items"] if data else None


tap.eq(sign_in(), 0, "signed in")
video = make_video(os.path.join(work, "clip.mp4"), 80 * 1000 * 1000 + 7, seed=11)  # 4 chunks
sha = sha256_file(video)


def upload_with_fault(name, fault, when=None):
    emulator.act_on_drafts()
    before = delivered(sha)
    thread = arm_when(when, fault) if when else None
    if not when:
        emulator.fault(fault)
    proc, data = cli_json("upload", "--video", video)
    if thread:
        thread.join()
    ok = proc.returncode == 0 and data and data.get("status") == "SEND_TO_USER_INBOX"
    tap.ok(ok, f"{name}: the upload still reaches the inbox", proc.stdout + proc.stderr[-1500:])
    tap.eq(delivered(sha) - before, 1, f"{name}: exactly one draft arrived")
    return proc, data


# --- TikTok's faults --------------------------------------------------------
upload_with_fault("connection reset mid-chunk", "reset-mid-chunk", chunks_received_at_least(1))
upload_with_fault("HTTP 500 on a chunk", "upload-5xx", chunks_received_at_least(1))
inits = emulator.state()["counts"]["video_inits"]
# The URL runs out right after chunk 2 (in the emulator, not from a polling
# thread, which a fast upload can outrun).
upload_with_fault("upload URL expired mid-upload", "expire-upload-url-after-2-chunks")
tap.eq(emulator.state()["counts"]["video_inits"] - inits, 2, "expired URL: a new upload was started (2 inits)")
refreshes = emulator.state()["counts"]["refreshes"]
upload_with_fault("access token expired mid-upload", "expire-access-tokens", chunks_received_at_least(1))
tap.eq(emulator.state()["counts"]["refreshes"] - refreshes, 1, "token expiry: refreshed exactly once")
start = time.monotonic()
upload_with_fault("rate_limit_exceeded at init", "rate-limit")
tap.ok(time.monotonic() - start < 30, "rate limit: waited seconds, not minutes")
upload_with_fault("init answered 500", "init-5xx")
upload_with_fault("status check answered 500", "status-5xx")
upload_with_fault("network gone for 3 s mid-upload", "outage", chunks_received_at_least(1))

# --- the file changes while it is being sent --------------------------------
def append_bytes(path):
    with open(path, "ab") as handle:
        handle.write(b"appended")


def rewrite_in_place(path):
    with open(path, "r+b") as handle:     # same size, same inode, new bytes
        handle.seek(4096)
        handle.write(b"rewritten")


def change_while_sending(name, change, seed):
    emulator.act_on_drafts()
    path = make_video(os.path.join(work, name + ".mp4"), 160 * 1000 * 1000, seed=seed)
    proc = subprocess.Popen([CLI, "upload", "--video", path], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(chunks_received_at_least(1), timeout=60, step=0.01)
    emulator.fault("outage")              # holds the upload for 3 s…
    change(path)                          # …while the file changes
    _, err = proc.communicate(timeout=300)
    tap.ok(proc.returncode != 0 and "changed while it was being sent" in err,
           f"{name}: not reported as sent, with a clear message", err[-1500:])
    items = queue_items()
    tap.ok(items and len(items) == 1 and items[0]["state"] == "failed" and
           "changed while it was being sent" in (items[0].get("error") or ""),
           f"{name}: the item is failed, saying why", items)
    proc, data = cli_json("resume")
    sent = (data or {}).get("items") or [{}]
    tap.ok(proc.returncode == 0 and sent[0].get("status") == "SEND_TO_USER_INBOX",
           f"{name}: sending it again works", proc.stdout + proc.stderr[-1500:])
    # (Not "exactly one draft with these bytes": if the outage made the first
    # upload start over, its draft may hold the changed file whole too.)
    again = [d for d in emulator.state()["drafts"] if d.get("publish_id") == sent[0].get("publish_id")]
    tap.ok(again and again[0].get("sha256") == sha256_file(path),
           f"{name}: a new upload sent the file as it is now", again)
    tap.eq(queue_items(), [], f"{name}: the queue is empty again")
    os.unlink(path)


change_while_sending("grown", append_bytes, seed=21)
change_while_sending("rewritten", rewrite_in_place, seed=22)

# --- 416: TikTok has more than we recorded (crash between ack and save) ----
emulator.act_on_drafts()
before = delivered(sha)
proc = subprocess.Popen([CLI, "upload", "--video", video], env=env,
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wait_for(chunks_received_at_least(2), timeout=60, step=0.01)
proc.send_signal(signal.SIGKILL)
proc.wait()
items = queue_items()
tap.ok(items and items[0]["state"] == "sending" and items[0]["publish_id"],
       "kill -9 mid-upload: the queue keeps the item, its publish_id and progress", items)
with open(QUEUE) as handle:
    saved = json.load(handle)
saved["items"][0]["acknowledged"] = 0       # as if the last saves were lost
with open(QUEUE, "w") as handle:
    json.dump(saved, handle)
inits = emulator.state()["counts"]["video_inits"]
proc, data = cli_json("resume")
tap.ok(proc.returncode == 0 and data and data["items"] and data["items"][0].get("status") == "SEND_TO_USER_INBOX",
       "resume after a 416 resynchronises and finishes", proc.stdout + proc.stderr[-1500:])
tap.eq(emulator.state()["counts"]["video_inits"], inits, "416: no new upload was started")
tap.eq(delivered(sha) - before, 1, "416: exactly one draft arrived")
tap.eq(queue_items(), [], "the queue is empty once the draft arrived")

# --- kill -9, then send the same file again: it continues --------------
emulator.act_on_drafts()
before = delivered(sha)
proc = subprocess.Popen([CLI, "upload", "--video", video], env=env,
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wait_for(chunks_received_at_least(1), timeout=60, step=0.01)
proc.send_signal(signal.SIGKILL)
proc.wait()
inits = emulator.state()["counts"]["video_inits"]
proc, data = cli_json("upload", "--video", video)
tap.ok(proc.returncode == 0 and data and data.get("status") == "SEND_TO_USER_INBOX",
       "sending the same unchanged file again finishes the interrupted upload", proc.stderr[-1500:])
tap.eq(emulator.state()["counts"]["video_inits"], inits, "…without starting a second upload")
tap.eq(delivered(sha) - before, 1, "…and exactly one draft arrived")

# --- the pending-draft cap keeps the item queued until its next try --------
# (tests/integration/test-waiting-queue.py has TikTok's real cap and --watch)
emulator.act_on_drafts()
emulator.fault("pending-cap")
proc, data = cli_json("upload", "--video", video)
tap.ok(proc.returncode == 5 and "too many drafts waiting in the TikTok app" in proc.stderr,
       "pending cap: exit 5, says there are too many drafts waiting in the TikTok app", proc.stderr)
tap.ok(data and data.get("waiting") and data.get("wait_reason") == "pending-cap" and
       data.get("next_try_at", 0) > time.time(), "pending cap: --json says when the next try is", data)
items = queue_items()
tap.ok(items and items[0]["state"] == "queued" and "5 drafts" in (items[0].get("error") or "") and
       items[0].get("next_try_at") == (data or {}).get("next_try_at"),
       "pending cap: the item stays queued with TikTok's reason and its next try", items)
proc, data = cli_json("resume")
tap.ok(proc.returncode == 5 and "next try is at" in proc.stderr and data and data["items"] and
       data["items"][0].get("waiting"), "resume leaves it for its next try and says when", proc.stderr[-1000:])
before = delivered(sha)
proc, data = cli_json("resume", "--now")
tap.ok(proc.returncode == 0, "after acting on drafts, resume --now sends it at once", proc.stderr[-1000:])
tap.eq(delivered(sha) - before, 1, "pending cap: exactly one draft arrived in the end")

# --- two instances never send the same item --------------------------------
emulator.act_on_drafts()
big = make_video(os.path.join(work, "big.mp4"), 300 * 1000 * 1000, seed=12)
first = subprocess.Popen([CLI, "upload", "--video", big], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
wait_for(lambda: (queue_items() or [{}])[0].get("being_sent"), timeout=30, step=0.05)
second = cli("resume")
tap.ok("already being sent" in second.stderr, "a second instance refuses to send an item being sent", second.stderr)
first.wait(timeout=300)
tap.eq(delivered(sha256_file(big)), 1, "the big file arrived once")
os.unlink(big)

# --- files changed or deleted while queued ----------------------------------
emulator.act_on_drafts()
other = make_video(os.path.join(work, "other.mp4"), 70 * 1000 * 1000, seed=13)
for path in (video, other):
    interrupt_upload(path)
tap.eq(len(queue_items() or []), 2, "two interrupted uploads are queued")
os.unlink(video)
with open(other, "ab") as handle:
    handle.write(b"appended")
proc, data = cli_json("resume")
results = {os.path.basename(i["file"]): i for i in (data or {}).get("items", [])}
tap.ok("clip.mp4" in results and not results["clip.mp4"]["ok"] and
       "does not exist" in results["clip.mp4"].get("error", ""),
       "a deleted file gets a clear message on its item", results.get("clip.mp4"))
tap.ok("other.mp4" in results and results["other.mp4"]["ok"], "the other item is not affected", results)
tap.eq(delivered(sha256_file(other)), 1, "a file changed while queued is sent as it is now, once")
items = queue_items()
tap.ok(len(items) == 1 and items[0]["state"] == "failed", "only the deleted file's item remains, as failed", items)

# --- a file name that is not UTF-8 costs nothing else in the queue ---------
def cli_json_strict(*args):
    """The CLI's --json output, which must be valid UTF-8 JSON whatever the file names."""
    proc = subprocess.run([CLI, *args, "--json"], capture_output=True, timeout=300, env=env)
    try:
        return proc, json.loads(proc.stdout.decode("utf-8"))
    except ValueError:
        return proc, None


def file_bytes(text):
    """A "file" member back as bytes: a name that is not UTF-8 comes as a file:// URI."""
    if text.startswith("file://"):
        return urllib.parse.unquote_to_bytes(urllib.parse.urlsplit(text).path)
    return os.fsencode(text)


emulator.act_on_drafts()
os.unlink(QUEUE)
odd = make_video(os.path.join(os.fsencode(work), b"clip-\xff\xfe.mp4"), 80 * 1000 * 1000 + 3, seed=14)
keep = make_video(os.path.join(work, "keep.mp4"), 80 * 1000 * 1000 + 5, seed=15)
for path in (odd, keep):
    interrupt_upload(path)
proc, data = cli_json_strict("queue")
tap.ok(data is not None, "non-UTF-8 name: queue --json is still valid UTF-8 JSON", proc.stdout[-500:])
files = sorted(file_bytes(i["file"]) for i in (data or {}).get("items", []))
tap.eq(files, sorted([odd, os.fsencode(keep)]), "non-UTF-8 name: both interrupted uploads stay queued, names intact")
tap.ok(all(file_bytes(f) in (odd, os.fsencode(keep)) for i in (data or {}).get("items", []) for f in i["files"]),
       "non-UTF-8 name: the files array carries the same lossless names", data)
tap.ok(not os.path.exists(QUEUE + ".damaged"), "non-UTF-8 name: the queue file was not set aside")
proc, data = cli_json_strict("resume")
tap.ok(data is not None, "non-UTF-8 name: resume --json is valid UTF-8 JSON", proc.stdout[-500:])
tap.ok(delivered(sha256_file(odd)) == 1, "the video with a non-UTF-8 name is resumed and arrives once",
       proc.stderr[-1500:])
tap.eq(delivered(sha256_file(keep)), 1, "the other queued video arrives once too")
os.unlink(odd)

# --- keyring missing: a clear message, never a plaintext fallback ----------
proc = cli("info", extra_env={"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"})
tap.ok("keyring" in (proc.stdout + proc.stderr).lower(), "no keyring: info says so", proc.stdout + proc.stderr)
proc = cli("upload", "--video", other, extra_env={"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"})
tap.ok(proc.returncode != 0 and "keyring" in proc.stderr, "no keyring: upload refuses with a clear message",
       proc.stderr)
leaky = []
for root, _, files in os.walk(os.environ.get("TTD_SESSION_DIR", work)):
    for name in files:
        try:
            with open(os.path.join(root, name), "rb") as handle:
                if b"act." in handle.read() and "keyring" not in root:
                    leaky.append(os.path.join(root, name))
        except OSError:
            pass
tap.eq(leaky, [], "no token was written to any plain file")

tap.eq(emulator.state()["direct_post_attempts"], [], "nothing tried to direct-post")
emulator.stop()
tap.done()
