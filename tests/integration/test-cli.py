#!/usr/bin/python3
# test-cli.py — tiktok-drafts-cli against the TikTok emulator and a real
# gnome-keyring, the way a user runs it. Run through run-in-session.sh.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ttdtest import Emulator, Tap, browser_follow, cli_sign_in, make_video, sha256_file  # noqa: E402

BUILD = os.environ.get("MESON_BUILD_ROOT") or sys.argv[1]
CLI = os.path.join(BUILD, "app", "cli", "tiktok-drafts-cli")
WEB_REDIRECT = "https://drafts.example.com/tiktok/callback/"

tap = Tap()
workdir = tempfile.mkdtemp(prefix="ttd-cli-")
emulator = Emulator(BUILD, "--processing-ms", "300",
                    "--redirect-uri", "http://127.0.0.1:*/callback/",
                    "--redirect-uri", WEB_REDIRECT)
env = dict(os.environ, **emulator.env(), G_MESSAGES_DEBUG="all", LC_ALL="C.UTF-8")
transcript = []   # everything the CLI printed, checked for secrets at the end


def cli(*args, stdin=None, timeout=300, extra_env=None):
    proc = subprocess.run([CLI, *args], input=stdin, capture_output=True, text=True,
                          timeout=timeout, env=dict(env, **(extra_env or {})))
    transcript.append(" ".join(args) + "\n" + proc.stdout + proc.stderr)
    return proc


def cli_json(*args, **kwargs):
    proc = cli("--json", *args, **kwargs) if False else cli(*args, "--json", **kwargs)
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        data = None
    return proc, data


def keyring_items():
    proc = subprocess.run(["secret-tool", "search", "--all", "--unlock",
                           "xdg:schema", "org.cofndrly.TikTokDrafts.Token"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    items = []
    # secret-tool prints attributes on stderr, the rest on stdout.
    for block in re.split(r"^\[/", proc.stdout, flags=re.M)[1:]:
        fields = dict(re.findall(r"^(\S+) = (.*)$", block, re.M))
        if "secret" in fields:
            items.append(fields)
    return items


def sign_in():
    """auth --no-browser, then act as the browser: follow the authorize
    redirect to the loopback listener."""
    proc, url, hops = cli_sign_in(CLI, env, emulator.url)
    transcript.append("auth\n" + proc.stdout + proc.stderr)
    return proc.returncode, url, hops, proc.stdout


# --- signed out --------------------------------------------------------------
proc, data = cli_json("info")
tap.ok(proc.returncode in (0, 1) and data is not None, "info --json prints an object when signed out",
       proc.stdout + proc.stderr)
tap.eq(data and data.get("signed_in"), False, "info says signed out")

proc = cli("upload", "--video", "/nonexistent.mp4")
tap.ok(proc.returncode != 0 and "not signed in" in proc.stderr, "upload refuses while signed out",
       proc.stderr)

proc = cli("upload", "--help")
tap.ok(proc.returncode == 0 and "--video" in proc.stdout and "--no-wait" in proc.stdout,
       "upload --help lists its options")

proc = cli("info", "--json", extra_env={"TIKTOK_DRAFTS_API_BASE": "http://example.com"})
tap.ok("must use https" in (proc.stdout + proc.stderr), "a non-loopback http base URL is refused",
       proc.stdout + proc.stderr)

proc = cli("auth", "--no-browser", "--timeout", "3", timeout=60)
tap.ok(proc.returncode == 1 and "not finished within 3 seconds." in proc.stderr,
       "auth --timeout 3 gives up saying “within 3 seconds”", proc.stderr[-500:])

# --- the client secret from the keyring, where the app's Preferences keep it --
subprocess.run(["secret-tool", "store", "--label=TikTok Drafts client secret",
                "xdg:schema", "org.cofndrly.TikTokDrafts.Password",
                "kind", "client-secret", "key", "keyring-client-key"],
               input="keyring-client-secret", text=True, check=True)
without_secret = {k: v for k, v in env.items() if k != "TIKTOK_DRAFTS_CLIENT_SECRET"}
for key, expected in (("keyring-client-key", True), ("other-client-key", False)):
    proc = subprocess.run([CLI, "info", "--json", "--client-key", key], capture_output=True, text=True,
                          timeout=60, env=without_secret)
    transcript.append("info --client-key " + key + "\n" + proc.stdout + proc.stderr)
    data = json.loads(proc.stdout) if proc.stdout.startswith("{") else {}
    tap.eq(data.get("client_secret_set"), expected,
           f"info --client-key {key}: the client secret {'comes' if expected else 'does not come'} from the keyring")

# --- sign in through the loopback listener --------------------------------
code, url, hops, out = sign_in()
tap.ok(url is not None, "auth --no-browser prints the authorize URL")
query = urllib.parse.parse_qs(urllib.parse.urlsplit(url or "").query)
redirect = query.get("redirect_uri", [""])[0]
tap.ok(re.fullmatch(r"http://127\.0\.0\.1:\d+/callback/", redirect) is not None,
       "redirect URI is http://127.0.0.1:<port>/callback/", redirect)
tap.ok(re.fullmatch(r"[0-9a-f]{64}", query.get("code_challenge", [""])[0]) is not None,
       "code_challenge is 64 lower-case hex characters")
tap.eq(query.get("code_challenge_method", [""])[0], "S256", "code_challenge_method is S256")
tap.eq(query.get("scope", [""])[0], "user.info.basic,video.upload", "scopes are the two we need")
tap.ok(len(hops) == 2 and hops[0][1] == 302 and hops[1][1] == 200,
       "browser: authorize redirects to the listener, which answers 200",
       [(h[0].split("?")[0], h[1]) for h in hops])
if len(hops) == 2:
    headers = hops[1][2]
    tap.eq(headers.get("Cache-Control"), "no-store", "callback page: Cache-Control no-store")
    tap.eq(headers.get("Referrer-Policy"), "no-referrer", "callback page: Referrer-Policy no-referrer")
    tap.ok("default-src 'none'" in (headers.get("Content-Security-Policy") or ""),
           "callback page: CSP default-src 'none'")
    page = hops[1][3].decode()
    callback_code = urllib.parse.parse_qs(urllib.parse.urlsplit(hops[1][0]).query)["code"][0]
    tap.ok(callback_code not in page, "callback page does not echo the code")
tap.eq(code, 0, "auth exits 0")
try:
    signed = json.loads(out)
except ValueError:
    signed = {}
state = emulator.state()
tap.eq(signed.get("open_id"), state["open_id"], "auth --json reports the account's open_id")
tap.eq(signed.get("display_name"), state["display_name"], "auth --json reports the display name")

# The listener stopped right after answering.
port = urllib.parse.urlsplit(redirect).port
try:
    socket.create_connection(("127.0.0.1", port), timeout=2).close()
    listening = True
except OSError:
    listening = False
tap.ok(not listening, "the loopback listener is closed after sign-in")

items = keyring_items()
tap.eq(len(items), 1, "one keyring item for the account")
secret = json.loads(items[0]["secret"]) if items else {}
tap.eq(items[0].get("attribute.open_id") if items else None, state["open_id"],
       "keyring item carries the open_id attribute")
tap.ok(secret.get("access_token", "").startswith("act.") and secret.get("refresh_token", "").startswith("rft.")
       and secret.get("access_expires_at", 0) > time.time(),
       "keyring secret is JSON with both tokens and absolute expiry")
first_tokens = secret

proc, data = cli_json("info")
tap.ok(proc.returncode == 0 and data and data["signed_in"] and data["display_name"] == state["display_name"],
       "info --json shows the signed-in account", proc.stdout)
tap.ok(first_tokens.get("access_token", "x") not in proc.stdout, "info never prints token values")

# --- upload a small video ---------------------------------------------------
small = make_video(os.path.join(workdir, "small clip.mp4"), 3 * 1000 * 1000 + 17, seed=1)
proc, data = cli_json("upload", "--video", small)
tap.ok(proc.returncode == 0 and data and data.get("status") == "SEND_TO_USER_INBOX",
       "upload of a sub-5 MB video reaches SEND_TO_USER_INBOX", proc.stdout + proc.stderr[-2000:])
small_id = data.get("publish_id") if data else None
draft = emulator.draft(small_id) if small_id else None
tap.ok(draft is not None and draft.get("total_chunk_count") == 1 and draft.get("chunk_size") == os.path.getsize(small),
       "sub-5 MB file goes as one chunk of its own size", draft)
tap.eq(draft and draft.get("sha256"), sha256_file(small), "emulator received exactly the file (SHA-256)")

proc, data = cli_json("status", "--publish-id", small_id or "none")
tap.ok(proc.returncode == 0 and data and data.get("status") == "SEND_TO_USER_INBOX",
       "status --publish-id reports SEND_TO_USER_INBOX", proc.stdout + proc.stderr)

proc = cli("upload", "--video", small)
tap.ok(proc.returncode == 0 and "SEND_TO_USER_INBOX" in proc.stdout and "Publish ID" in proc.stdout,
       "plain upload prints the result on stdout", proc.stdout + proc.stderr[-1000:])
tap.ok("Sending" not in proc.stdout and "ttd-core" not in proc.stdout,
       "progress and logs stay off stdout", proc.stdout)
emulator.act_on_drafts()

# --- upload a ~150 MB video in several chunks -----------------------------
big = make_video(os.path.join(workdir, "big.mp4"), 150 * 1000 * 1000 + 12345, seed=2)
proc, data = cli_json("upload", "--video", big, timeout=600)
tap.ok(proc.returncode == 0 and data and data.get("status") == "SEND_TO_USER_INBOX",
       "upload of a ~150 MB video reaches SEND_TO_USER_INBOX", proc.stdout + proc.stderr[-2000:])
draft = emulator.draft(data.get("publish_id")) if data else None
tap.ok(draft is not None and draft.get("total_chunk_count", 0) >= 2, "the big file went in several chunks",
       draft and {k: draft.get(k) for k in ("chunk_size", "total_chunk_count", "chunks_received")})
tap.eq(draft and draft.get("sha256"), sha256_file(big), "emulator's SHA-256 of the big file matches")
os.unlink(big)

# --- no secret in the process's argv or environment ---------------------
tokens_now = json.loads(keyring_items()[0]["secret"])
proc = subprocess.Popen([CLI, "upload", "--video", small, "--json"], stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE, text=True, env=env)
seen = b""
while proc.poll() is None:
    for name in ("cmdline", "environ"):
        try:
            with open(f"/proc/{proc.pid}/{name}", "rb") as handle:
                seen += handle.read()
        except OSError:
            pass
    time.sleep(0.02)
proc.communicate()
tap.ok(seen != b"" and tokens_now["access_token"].encode() not in seen
       and tokens_now["refresh_token"].encode() not in seen,
       "no token in the CLI's argv or environment while it uploads")
emulator.act_on_drafts()

# --- no wait ---------------------------------------------------------------
proc, data = cli_json("upload", "--video", small, "--no-wait")
tap.ok(proc.returncode == 0 and data and data.get("publish_id") and data.get("status"),
       "upload --no-wait prints publish_id and TikTok's status", proc.stdout + proc.stderr[-500:])

# --- bad input --------------------------------------------------------------
png = os.path.join(workdir, "picture.mp4")
with open(png, "wb") as handle:
    handle.write(b"\x89PNG\r\n\x1a\n" + b"\0" * 2000)
proc = cli("upload", "--video", png)
tap.ok(proc.returncode == 1 and "not a video TikTok accepts" in proc.stderr,
       "a PNG renamed .mp4 is refused by content", proc.stderr)
empty = os.path.join(workdir, "empty.mp4")
open(empty, "wb").close()
proc = cli("upload", "--video", empty)
tap.ok(proc.returncode == 1 and "empty" in proc.stderr, "an empty file is refused", proc.stderr)
proc = cli("upload", "--video", os.path.join(workdir, "missing.mp4"))
tap.ok(proc.returncode == 1 and "does not exist" in proc.stderr, "a missing file is refused", proc.stderr)
emulator.act_on_drafts()

# --- refresh -------------------------------------------------------------------
before = emulator.state()["counts"]["refreshes"]
emulator.fault("expire-access-tokens")
proc, data = cli_json("upload", "--video", small)
tap.ok(proc.returncode == 0 and data and data.get("status") == "SEND_TO_USER_INBOX",
       "upload succeeds after TikTok expired the access token", proc.stdout + proc.stderr[-1500:])
tap.eq(emulator.state()["counts"]["refreshes"], before + 1, "exactly one refresh happened")
rotated = json.loads(keyring_items()[0]["secret"])
tap.ok(rotated["refresh_token"] != first_tokens.get("refresh_token"),
       "the rotated refresh token was saved in the keyring")

proc, data = cli_json("refresh")
tap.ok(proc.returncode == 0 and data and data.get("refreshed"), "refresh command works", proc.stdout + proc.stderr)
after = json.loads(keyring_items()[0]["secret"])
tap.ok(after["access_token"] != rotated["access_token"], "refresh stored a new access token")
emulator.act_on_drafts()

# --- manual code flow (web redirect URI, base64url PKCE) -------------------
proc = cli("auth", "--redirect-uri", WEB_REDIRECT, "--json")
auth_data = json.loads(proc.stdout) if proc.returncode == 0 else {}
manual_url = auth_data.get("authorize_url", "")
mquery = urllib.parse.parse_qs(urllib.parse.urlsplit(manual_url).query)
tap.ok(re.fullmatch(r"[A-Za-z0-9_-]{43}", mquery.get("code_challenge", [""])[0]) is not None,
       "web redirect URI uses a base64url challenge", manual_url)
hops = browser_follow(manual_url, max_hops=1)
location = hops[0][2].get("Location", "") if hops else ""
code = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query).get("code", [""])[0]
tap.ok(location.startswith(WEB_REDIRECT) and code, "TikTok redirects to the web callback with a code", location)
proc, data = cli_json("token", "--code", "-", stdin=code + "\n")
tap.ok(proc.returncode == 0 and data and data.get("signed_in"), "token --code - finishes the sign-in",
       proc.stdout + proc.stderr)
proc = cli("token", "--code", "-", stdin=code + "\n")
tap.ok(proc.returncode != 0, "the same code cannot be used twice", proc.stderr)

# --- a code given on the command line leaves the process list at once ------
proc = cli("token", "--help")
tap.ok(proc.returncode == 0 and "“-” to read it from standard input: the safe form" in proc.stdout,
       "token --help says that “-” is the safe form", proc.stdout)
for form in ("--code VALUE", "--code=VALUE"):
    proc = cli("auth", "--redirect-uri", WEB_REDIRECT)   # keeps a verifier for one “token”
    # TikTok that never answers keeps the CLI alive while the code is looked for.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        silent.settimeout(60)
        visible = "code-for-ps-" + os.urandom(8).hex()
        args = form.replace("VALUE", visible).split(" ")
        token = subprocess.Popen([CLI, "token", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 env=dict(env, TIKTOK_DRAFTS_API_BASE="http://127.0.0.1:%d" % silent.getsockname()[1]))
        try:
            connection, _ = silent.accept()   # the CLI is waiting for TikTok's answer now
            with open(f"/proc/{token.pid}/cmdline", "rb") as handle:
                cmdline = handle.read()
            connection.close()
        except OSError:
            cmdline = b""
        token.kill()
        out, err = token.communicate()
    tap.ok(b"token" in cmdline and visible.encode() not in cmdline,
           f"token {form}: the code is gone from /proc/PID/cmdline while the CLI works",
           cmdline.replace(b"\0", b" ").decode(errors="replace") + err.decode(errors="replace")[-500:])

# --- logout ----------------------------------------------------------------
last_tokens = json.loads(keyring_items()[0]["secret"])
proc, data = cli_json("logout")
tap.ok(proc.returncode == 0 and data and data.get("revoked"), "logout revokes", proc.stdout + proc.stderr)
tap.eq(keyring_items(), [], "logout deleted the keyring item")
tap.eq(emulator.state()["live_access_tokens"], 0, "no token is still valid at TikTok")
proc, data = cli_json("info")
tap.ok(data is not None and data.get("signed_in") is False and proc.returncode in (0, 1),
       "info after logout: signed out")

# --- queue: percentages from any numbers in queue.json -------------------
queue_file = os.path.join(os.environ["XDG_DATA_HOME"], "tiktok-drafts", "queue.json")
os.makedirs(os.path.dirname(queue_file), exist_ok=True)
try:
    with open(queue_file) as handle:
        saved_queue = handle.read()
except FileNotFoundError:
    saved_queue = None
odd_numbers = [("huge-1", 2**62, 2**62 + 1, 99), ("huge-2", 2**63 - 1, 2**63 - 1, 100),
               ("huge-3", 2**62, 2**63 - 1, 50), ("more-than-all", 2**63 - 1, 10, 100),
               ("negative", -5, 10, 0)]
with open(queue_file, "w") as handle:
    json.dump({"items": [{"id": name, "kind": "video", "paths": [f"/nonexistent/{name}.mp4"],
                          "state": "sending", "acknowledged": sent, "file_size": size}
                         for name, sent, size, _ in odd_numbers]}, handle)
proc = cli("queue")
shown = dict(re.findall(r"^(\S+)  .*, (-?\d+)% sent$", proc.stdout, re.M))
# A negative count is not a queue item the queue accepts: it is left out on load, alone.
tap.eq(shown, {name: str(percent) for name, sent, _, percent in odd_numbers if sent >= 0},
       "queue: the percentage sent is right for huge numbers, never beyond 0–100")
tap.ok("negative" not in shown and "left out" in proc.stderr,
       "queue: an item with a negative count is left out with a message", proc.stderr)
if saved_queue is None:
    os.unlink(queue_file)
else:
    with open(queue_file, "w") as handle:
        handle.write(saved_queue)

# --- drafts only -----------------------------------------------------------
state = emulator.state()
tap.eq(state["direct_post_attempts"], [], "nothing tried to direct-post")

# --- secrets never printed --------------------------------------------------
everything = "\n".join(transcript)
with open(emulator.log.name) as handle:
    everything += handle.read()
leaks = [name for name, value in [
    ("first access token", first_tokens.get("access_token")),
    ("first refresh token", first_tokens.get("refresh_token")),
    ("last access token", last_tokens.get("access_token")),
    ("last refresh token", last_tokens.get("refresh_token")),
    ("client secret", "demo-client-secret"),
    ("client secret in the keyring", "keyring-client-secret"),
    ("authorization code", code),
] if value and value in everything]
tap.eq(leaks, [], "no token, code or secret in any output, even with G_MESSAGES_DEBUG=all")

emulator.stop()
tap.done()
