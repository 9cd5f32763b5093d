#!/usr/bin/python3
# test-pending-sign-in.py — a sign-in that times out, is denied or is
# abandoned leaves no PKCE verifier or state in the keyring, and one older
# than 15 minutes cannot be finished. Checked with the keyring's own tool
# (secret-tool) against a real gnome-keyring; run through run-in-session.sh.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ttdtest import Emulator, Tap, cli_sign_in  # noqa: E402

BUILD = os.environ.get("MESON_BUILD_ROOT") or sys.argv[1]
CLI = os.path.join(BUILD, "app", "cli", "tiktok-drafts-cli")
WEB_REDIRECT = "https://drafts.example.com/tiktok/callback/"
SCHEMA = "org.cofndrly.TikTokDrafts.PendingSignIn"

tap = Tap()
emulator = Emulator(BUILD, "--redirect-uri", "http://127.0.0.1:*/callback/",
                    "--redirect-uri", WEB_REDIRECT)
env = dict(os.environ, **emulator.env(), LC_ALL="C.UTF-8")


def cli(*args, stdin=None):
    return subprocess.run([CLI, *args], input=stdin, capture_output=True, text=True,
                          timeout=120, env=env)


def pending_items():
    proc = subprocess.run(["secret-tool", "search", "--all", "--unlock", "xdg:schema", SCHEMA],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return [line for line in proc.stdout.splitlines() if line.startswith("secret = ")]


def plant_pending(created_at):
    secret = json.dumps({"code_verifier": "v" * 43, "state": "s" * 43,
                         "redirect_uri": WEB_REDIRECT, "created_at": created_at})
    subprocess.run(["secret-tool", "store", "--label=planted", "xdg:schema", SCHEMA, "version", "1"],
                   input=secret, text=True, check=True)


# --- the listener times out --------------------------------------------------
proc = cli("auth", "--no-browser", "--timeout", "1")
tap.ok(proc.returncode != 0 and "not finished" in proc.stderr, "auth gives up after its timeout", proc.stderr)
tap.eq(pending_items(), [], "a timed-out sign-in leaves nothing in the keyring")

# --- TikTok reports the sign-in as denied -------------------------------------
emulator.fault("deny-authorize")
proc, url, hops = cli_sign_in(CLI, env, emulator.url)
tap.ok(proc.returncode != 0, "a denied sign-in fails", proc.stderr)
tap.eq(pending_items(), [], "a denied sign-in leaves nothing in the keyring")

# --- the hand-finished flow: a wrong code -----------------------------------
proc = cli("auth", "--redirect-uri", WEB_REDIRECT)
tap.ok(proc.returncode == 0 and len(pending_items()) == 1, "auth --redirect-uri keeps the sign-in for token",
       proc.stderr)
proc = cli("token", "--code", "-", stdin="not-a-code\n")
tap.ok(proc.returncode != 0, "token with a wrong code fails", proc.stderr)
tap.eq(pending_items(), [], "a failed token leaves nothing in the keyring")

# --- abandoned for more than 15 minutes --------------------------------------
plant_pending(int(time.time()) - 16 * 60)
tap.eq(len(pending_items()), 1, "an old sign-in in progress is in the keyring")
proc = cli("token", "--code", "-", stdin="some-code\n")
tap.ok(proc.returncode != 0 and "15 minutes" in proc.stderr, "token refuses a sign-in older than 15 minutes",
       proc.stderr)
tap.eq(pending_items(), [], "the stale sign-in was removed from the keyring")
tap.eq(emulator.state()["counts"]["token_exchanges"], 1, "only the wrong code was ever sent to TikTok")

emulator.stop()
tap.done()
