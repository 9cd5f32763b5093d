#!/usr/bin/python3
# test-refresh-race.py — several tiktok-drafts-cli processes renewing the
# sign-in at the same moment, against the TikTok emulator (which rotates
# refresh tokens: the old one stops working) and a real gnome-keyring.
# Whoever comes second must use the pair the first one stored, not spend
# the dead refresh token and then delete the winner's sign-in.
# Run through run-in-session.sh.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import stat
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ttdtest import Emulator, Tap, cli_sign_in, stored_tokens  # noqa: E402

BUILD = os.environ.get("MESON_BUILD_ROOT") or sys.argv[1]
CLI = os.path.join(BUILD, "app", "cli", "tiktok-drafts-cli")
ROUNDS = 5
PARALLEL = 3

tap = Tap()
emulator = Emulator(BUILD)
env = dict(os.environ, **emulator.env(), LC_ALL="C.UTF-8")


def run_together(*args):
    """Starts PARALLEL copies of `cli args… --json` at once; returns them finished."""
    procs = [subprocess.Popen([CLI, *args, "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=env) for _ in range(PARALLEL)]
    for proc in procs:
        proc.out, proc.err = proc.communicate(timeout=120)
    return procs


def still_signed_in(what):
    items = stored_tokens()
    tap.eq(len(items), 1, f"{what}: the keyring still holds the sign-in")
    proc = subprocess.run([CLI, "info", "--json"], capture_output=True, text=True, env=env, timeout=60)
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        data = {}
    tap.ok(proc.returncode == 0 and data.get("signed_in") and data.get("display_name"),
           f"{what}: info still shows the account", proc.stdout + proc.stderr)
    return items


proc, url, hops = cli_sign_in(CLI, env, emulator.url)
tap.ok(proc.returncode == 0, "signed in through the loopback listener", proc.stderr)

# --- `refresh` in several processes at once ---------------------------------
for round_ in range(1, ROUNDS + 1):
    before = stored_tokens()
    procs = run_together("refresh")
    tap.ok(all(p.returncode == 0 for p in procs), f"round {round_}: every parallel refresh succeeded",
           "\n".join(p.err for p in procs if p.returncode != 0))
    items = still_signed_in(f"round {round_}")
    tap.ok(items and before and items[0]["refresh_token"] != before[0]["refresh_token"],
           f"round {round_}: the stored pair was rotated")

state = emulator.state()
tap.ok(state["counts"]["refreshes"] <= ROUNDS * PARALLEL and state["live_refresh_tokens"] == 1,
       "TikTok saw no refresh token spent twice: one live grant remains",
       {"refreshes": state["counts"]["refreshes"], "live": state["live_refresh_tokens"]})

# --- several processes find the access token refused at once ---------------
for round_ in range(1, 3):
    emulator.fault("expire-access-tokens")
    procs = run_together("info")
    tap.ok(all(p.returncode == 0 and json.loads(p.out).get("display_name") for p in procs),
           f"token round {round_}: every process renewed or took the renewed token",
           "\n".join(p.out + p.err for p in procs))
    still_signed_in(f"token round {round_}")

# --- the lock file ---------------------------------------------------------
lock = os.path.join(os.environ["XDG_DATA_HOME"], "tiktok-drafts", "tokens.lock")
mode = stat.S_IMODE(os.stat(lock).st_mode) if os.path.exists(lock) else None
tap.eq(mode, 0o600, "the lock file beside the queue is private (0600)")
tap.eq(os.path.getsize(lock) if mode else None, 0, "the lock file holds nothing")

emulator.stop()
tap.done()
