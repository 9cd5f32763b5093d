#!/usr/bin/python3
# test-accounts.py — several TikTok accounts in tiktok-drafts-cli, against the
# TikTok emulator (two users, "the browser" switched between them) and a real
# gnome-keyring: `auth` adds an account, `accounts [--json]` lists them,
# `accounts --default` chooses one, `--account` sends to another, each account
# receives only its own drafts, and signing out of one leaves the other.
# Run through run-in-session.sh.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import subprocess
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ttdtest import CliRunner, Emulator, Tap, browser_follow, cli_sign_in, http, make_video  # noqa: E402

BUILD = os.environ.get("MESON_BUILD_ROOT") or sys.argv[1]
CLI = os.path.join(BUILD, "app", "cli", "tiktok-drafts-cli")

tap = Tap()
emulator = Emulator(BUILD)
workdir = tempfile.mkdtemp(prefix="ttd-accounts-")
env = dict(os.environ, **emulator.env(), LC_ALL="C.UTF-8",
           XDG_DATA_HOME=os.path.join(workdir, "data"))
cli = CliRunner(CLI, env)


def browser_user(name):
    """Signs "the browser" in to TikTok as the user called name."""
    status, _, body = http("POST", emulator.url + "/_emulator/user", {"display_name": name})
    assert status == 200, body
    return json.loads(body)["open_id"]


def accounts():
    proc, data = cli.json("accounts")
    tap.ok(proc.returncode == 0 and data and data.get("ok"), "accounts --json answers", proc.stdout + proc.stderr)
    return (data or {}).get("accounts", [])


def keyring_token_items():
    proc = subprocess.run(["secret-tool", "search", "--all", "--unlock",
                           "xdg:schema", "org.cofndrly.TikTokDrafts.Token"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return [line.split(" = ", 1)[1] for line in proc.stdout.splitlines() if line.startswith("secret = ")]


def drafts_of(open_id):
    return [d for d in emulator.state()["drafts"] if d["open_id"] == open_id]


def sign_in(name):
    open_id = browser_user(name)
    proc, url, hops = cli_sign_in(CLI, env, emulator.url)
    cli.outputs.append(proc.stdout + proc.stderr)
    tap.ok(proc.returncode == 0, f"auth signs in {name}", proc.stdout + proc.stderr)
    return open_id


# No account yet.
tap.eq(accounts(), [], "no account is listed before any sign-in")
proc = cli.run("accounts")
tap.ok(proc.returncode == 0 and "auth" in proc.stdout, "accounts says how to add one", proc.stdout)

brand = sign_in("Brand Studio")
personal = sign_in("Personal Me")
tap.ok(brand != personal, "the emulator has two users")

listed = accounts()
tap.eq(sorted(a["open_id"] for a in listed), sorted([brand, personal]),
       "auth added the second account beside the first")
tap.eq({a["open_id"]: a["display_name"] for a in listed}, {brand: "Brand Studio", personal: "Personal Me"},
       "each account has its display name")
tap.eq([a["open_id"] for a in listed if a["default"]], [personal], "the account added last is the default")
tap.eq(len(keyring_token_items()), 2, "two keyring items, one per account")
tap.ok(not any("access_token" in json.dumps(a) or "act." in json.dumps(a) for a in listed),
       "the account list has no token")

proc = cli.run("accounts")
lines = proc.stdout.splitlines()
tap.ok(any(line.startswith("*") and "Personal Me" in line and personal in line for line in lines) and
       any(line.startswith(" ") and "Brand Studio" in line for line in lines),
       "accounts marks the default with *", proc.stdout)

# Videos, each to its own account: the default, then --account by name, then by open_id.
v1 = make_video(os.path.join(workdir, "one.mp4"), 1_500_000, seed=1)
v2 = make_video(os.path.join(workdir, "two.mp4"), 1_600_000, seed=2)
v3 = make_video(os.path.join(workdir, "three.mp4"), 1_700_000, seed=3)
proc, data = cli.json("upload", "--video", v1)
tap.ok(proc.returncode == 0 and data and data.get("ok"), "upload goes to the default account", proc.stdout + proc.stderr)
proc, data = cli.json("upload", "--video", v2, "--account", "Brand Studio")
tap.ok(proc.returncode == 0 and data and data.get("ok"), "upload --account NAME", proc.stdout + proc.stderr)
proc, data = cli.json("upload", "--video", v3, "--account", brand)
brand_publish = (data or {}).get("publish_id")
tap.ok(proc.returncode == 0 and data and data.get("ok"), "upload --account OPEN_ID", proc.stdout + proc.stderr)
tap.eq(len(drafts_of(personal)), 1, "the default account received exactly its one draft")
tap.eq(len(drafts_of(brand)), 2, "the other account received exactly its two drafts")

proc, data = cli.json("status", "--publish-id", brand_publish, "--account", "Brand Studio") \
    if brand_publish else (None, None)
tap.ok(proc is not None and proc.returncode == 0 and data and data.get("status") == "SEND_TO_USER_INBOX",
       "status --account asks as that account", (proc.stdout + proc.stderr) if proc else "")
proc = cli.run("status", "--publish-id", brand_publish or "x")
tap.ok(proc.returncode != 0, "the other account does not see that draft's status", proc.stdout + proc.stderr)

proc, data = cli.json("info", "--account", "Brand Studio")
tap.ok(proc.returncode == 0 and data and data.get("open_id") == brand and data.get("display_name") == "Brand Studio",
       "info --account shows that account", proc.stdout + proc.stderr)
proc, data = cli.json("refresh", "--account", brand)
tap.ok(proc.returncode == 0 and data and data.get("open_id") == brand, "refresh --account renews that account",
       proc.stdout + proc.stderr)

# Unknown names: one sentence naming what is signed in, and nothing sent.
before = len(emulator.state()["drafts"])
proc = cli.run("upload", "--video", v1, "--account", "Nobody")
tap.ok(proc.returncode != 0 and "Nobody" in proc.stderr and "Brand Studio" in proc.stderr and
       "Traceback" not in proc.stderr, "an unknown --account is one sentence listing the accounts", proc.stderr)
tap.eq(len(emulator.state()["drafts"]), before, "nothing was sent for the unknown account")
proc = cli.run("accounts", "--default", "Nobody")
tap.ok(proc.returncode != 0 and "Nobody" in proc.stderr, "accounts --default of an unknown account fails", proc.stderr)

# Choosing the default.
proc, data = cli.json("accounts", "--default", "Brand Studio")
tap.ok(proc.returncode == 0 and data and [a["open_id"] for a in data["accounts"] if a["default"]] == [brand],
       "accounts --default NAME makes it the default", proc.stdout + proc.stderr)
proc, data = cli.json("info")
tap.eq((data or {}).get("open_id"), brand, "commands without --account now use it")

# A queued item keeps its account even after the default changes: TikTok
# holds one back (its cap of pending drafts), the default is now the other
# account, and `resume` still delivers it to the account it was sent for.
v4 = make_video(os.path.join(workdir, "four.mp4"), 1_800_000, seed=4)
emulator.fault("pending-cap")
proc = cli.run("upload", "--video", v4, "--account", "Personal Me")
proc = cli.run("queue", "--json")
try:
    queued = json.loads(proc.stdout).get("items", [])
except ValueError:
    queued = []
tap.ok([i.get("open_id") for i in queued] == [personal], "the held-back item is queued for its own account",
       proc.stdout)
personal_before, brand_before = len(drafts_of(personal)), len(drafts_of(brand))
# It waits for its next try (minutes); --now tries at once.
proc = cli.run("resume", "--now")
tap.ok(proc.returncode == 0, "resume --now sends it", proc.stdout + proc.stderr)
tap.eq((len(drafts_of(personal)) - personal_before, len(drafts_of(brand)) - brand_before), (1, 0),
       "it went to the account it was queued for, not the default")

# Signing out of one account leaves the other.
proc, data = cli.json("logout", "--account", "Brand Studio")
tap.ok(proc.returncode == 0 and data and data.get("was_signed_in"), "logout --account signs that one out",
       proc.stdout + proc.stderr)
listed = accounts()
tap.eq([a["open_id"] for a in listed], [personal], "the other account is still signed in")
tap.eq([a["open_id"] for a in listed if a["default"]], [personal], "and became the default")
tap.eq(len(keyring_token_items()), 1, "one keyring item left")
proc, data = cli.json("info")
tap.ok(proc.returncode == 0 and data and data.get("signed_in") and data.get("open_id") == personal,
       "info shows the account left", proc.stdout)
proc = cli.run("upload", "--video", v1, "--account", "Brand Studio")
tap.ok(proc.returncode != 0 and "Brand Studio" in proc.stderr, "the signed-out account can no longer be used",
       proc.stderr)

proc, data = cli.json("logout")
tap.ok(proc.returncode == 0 and accounts() == [], "logout of the last account leaves none")

# Demo mode's emulator (--choose-account) asks in the browser which account to
# sign in with, so a person can add a second one there too.
demo = Emulator(BUILD, "--choose-account")
demo_env = dict(env, **demo.env())
proc = subprocess.Popen([CLI, "auth", "--no-browser", "--json"], stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE, text=True, env=demo_env)
url = None
while True:
    line = proc.stderr.readline()
    if not line or line.startswith(demo.url + "/v2/auth/authorize/"):
        url = line.strip() or None
        break
status, _, page = http("GET", url) if url else (None, None, b"")
tap.ok(status == 200 and b"Continue as Demo Creator" in page and b"emulator_new_user" in page,
       "the demo emulator's authorize page offers the accounts it knows and another one", page[:300])
hops = browser_follow(url + "&" + urllib.parse.urlencode({"emulator_new_user": "Demo Brand"})) if url else []
out, err = proc.communicate(timeout=60)
cli.outputs.append(out + err)
tap.ok(proc.returncode == 0 and json.loads(out or "{}").get("display_name") == "Demo Brand",
       "choosing another account there signs that one in", out + err)
tap.ok(any(u["display_name"] == "Demo Brand" for u in demo.state()["users"]), "the emulator made that user up")
demo.stop()

# Nothing secret in any output.
joined = "\n".join(cli.outputs)
tap.ok("act." not in joined and "rft." not in joined, "no token in any output")
tap.eq(emulator.state()["counts"]["direct_post_attempts"], 0, "no direct post was ever attempted")

emulator.stop()
tap.done()
