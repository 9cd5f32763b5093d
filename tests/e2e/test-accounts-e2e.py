#!/usr/bin/python3
# test-accounts-e2e.py — several TikTok accounts in the app window (suite "e2e"):
# under Xvfb, in a private D-Bus session with a real gnome-keyring, against the
# TikTok emulator with two users, driven over AT-SPI with dogtail as a person
# would: sign in, add a second account from the header's account menu, send a
# video with it, switch back, retry an item that had failed — it still goes to
# the account it was sent for — and sign out of one account, then the other.
#
# Run as: xvfb-run -a … run-in-session.sh /usr/bin/python3 test-accounts-e2e.py BUILD_ROOT
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2etest import App, app_env  # noqa: E402
from ttdtest import Emulator, Tap, browser_follow, http, make_video, sha256_file, wait_for  # noqa: E402

build_root = os.path.abspath(sys.argv[1])
tap = Tap()
emulator = Emulator(build_root, "--processing-ms", "300")
workdir = tempfile.mkdtemp(prefix="ttd-accounts-e2e-")
video_a = make_video(os.path.join(workdir, "Brand launch.mp4"), 2 * 1024 * 1024, seed=1)
video_b = make_video(os.path.join(workdir, "Weekend.mp4"), 1536 * 1024 + 3, seed=2)
video_c = make_video(os.path.join(workdir, "Studio shoot.mp4"), 1200 * 1024 + 9, seed=3)
CLI = os.path.join(build_root, "app", "cli", "tiktok-drafts-cli")
SHOTS = os.path.join(build_root, "tests", "e2e")


def browser_user(name):
    status, _, body = http("POST", emulator.url + "/_emulator/user", {"display_name": name})
    assert status == 200, body
    return json.loads(body)["open_id"]


def cli_accounts():
    proc = subprocess.run([CLI, "accounts", "--json"], capture_output=True, text=True, timeout=60,
                          env=app_env(build_root, emulator))
    try:
        return json.loads(proc.stdout).get("accounts", [])
    except ValueError:
        return None


def find(role, name, timeout=20):
    def lookup():
        try:
            return app.node.child(name=name, roleName=role, retry=False)
        except Exception:  # noqa: BLE001 — not there (yet)
            return None
    return wait_for(lookup, timeout=timeout, step=0.5)


def find_named(name, timeout=20):
    """Any clickable node called @name (menu items are radio items or plain ones)."""
    def lookup():
        try:
            return next((n for n in app.node.findChildren(lambda x: x.name == name, showingOnly=False)
                         if "click" in n.actions), None)
        except Exception:  # noqa: BLE001
            return None
    return wait_for(lookup, timeout=timeout, step=0.5)


def open_account_menu(current):
    button = find_named(f"Signed in as {current}")
    if button is None:
        return False
    button.doActionNamed("click")
    return True


def choose(item_name):
    item = find_named(item_name)
    if item is None:
        return False
    item.doActionNamed("click")
    return True


def header_shows(name, timeout=60):
    return wait_for(lambda: any(n == f"Signed in as {name}" for _, n, _ in app.names()),
                    timeout=timeout, step=0.5)


def drafts_of(open_id):
    return [d for d in emulator.state()["drafts"] if d.get("open_id") == open_id]


def inbox_count():
    return sum(1 for text in app.labels() if text.startswith("In your TikTok inbox"))


brand = browser_user("Brand Studio")
# Not demo mode: the app keeps the accounts in the session's real keyring,
# where the CLI sees them too.
app = App(build_root, emulator, [video_a], extra_env={"TIKTOK_DRAFTS_DEMO": "0"})

try:
    if tap.ok(app.find() is not None, "the app appears on the accessibility bus") and \
            app.sign_in(tap, emulator):
        tap.ok(header_shows("Brand Studio"), "the header names the first account")

        # A second account, from the header's account menu.
        personal = browser_user("Personal Me")
        tap.ok(open_account_menu("Brand Studio"), "the account button opens its menu")
        tap.ok(find_named("Brand Studio") is not None, "the menu lists the signed-in account")
        subprocess.run(["import", "-window", "root", os.path.join(SHOTS, "accounts-menu.png")],
                       timeout=30, check=False)
        prefix = emulator.url + "/v2/auth/authorize/"
        old_links = {t for t in app.labels() if t.startswith(prefix)}
        tap.ok(choose("Add Another Account…"), "the menu offers “Add Another Account…”")
        link = wait_for(lambda: next((t for t in app.labels() if t.startswith(prefix) and t not in old_links),
                                     None), timeout=30, step=0.5)
        if tap.ok(link is not None, "adding an account shows the authorize link"):
            browser_follow(link)
        tap.ok(header_shows("Personal Me"), "the window turns to the account just added")
        listed = cli_accounts() or []
        tap.eq(sorted(a["open_id"] for a in listed), sorted([brand, personal]),
               "both accounts are signed in (the CLI lists them)")
        tap.eq([a["open_id"] for a in listed if a["default"]], [personal], "the new one is the default")

        # Send with it.
        tap.ok(app.click_when_enabled("Send to Drafts"), "“Send to Drafts” is enabled and clicked")
        tap.ok(wait_for(lambda: inbox_count() >= 1, timeout=120, step=1.0), "the video reaches the inbox",
               app.labels())
        tap.eq([d.get("sha256") for d in drafts_of(personal)], [sha256_file(video_a)],
               "the draft is in the current account's inbox")
        tap.eq(drafts_of(brand), [], "and not in the other's")

        # An item that failed for this account …
        subprocess.Popen([os.path.join(build_root, "app", "ui", "tiktok-drafts"), video_b],
                         env=app_env(build_root, emulator, {"TIKTOK_DRAFTS_DEMO": "0"})).wait(30)
        tap.ok(wait_for(lambda: any("Weekend.mp4" in t for t in app.labels()), timeout=30, step=0.5),
               "a second video joins the running window")
        hidden = video_b + ".away"
        os.rename(video_b, hidden)
        tap.ok(app.click_when_enabled("Send to Drafts"), "it is sent while its file is gone")
        tap.ok(wait_for(lambda: find_named("Retry sending Weekend.mp4", timeout=0.5) is not None, timeout=60, step=0.5),
               "it fails and offers Retry", [n for n in app.names() if "Retry" in n[1] or "exist" in n[1]])

        # … still goes to that account after a switch.
        tap.ok(open_account_menu("Personal Me"), "the account menu opens")
        subprocess.run(["import", "-window", "root", os.path.join(SHOTS, "accounts-menu-two.png")],
                       timeout=30, check=False)
        tap.ok(choose("Brand Studio"), "the menu switches accounts")
        tap.ok(header_shows("Brand Studio"), "the header names the account switched to")
        listed = cli_accounts() or []
        tap.eq([a["open_id"] for a in listed if a["default"]], [brand], "the switch made it the default")
        tap.ok(wait_for(lambda: any("Weekend" not in t and t.endswith("for Personal Me") for t in app.labels()),
                        timeout=10, step=0.5),
               "the rows of the other account's items say whose they are", app.labels())
        subprocess.run(["import", "-window", "root", os.path.join(SHOTS, "accounts-after-switch.png")],
                       timeout=30, check=False)
        os.rename(hidden, video_b)
        retry = find_named("Retry sending Weekend.mp4")
        if tap.ok(retry is not None, "Retry is still there after the switch"):
            retry.doActionNamed("click")
        tap.ok(wait_for(lambda: inbox_count() >= 2, timeout=120, step=1.0), "the retried video reaches the inbox",
               app.labels())
        tap.eq(sorted(d.get("sha256") for d in drafts_of(personal)),
               sorted([sha256_file(video_a), sha256_file(video_b)]),
               "it went to the account it was first sent for")
        tap.eq(drafts_of(brand), [], "nothing went to the account switched to")

        # A new video now goes to the account on screen.
        subprocess.Popen([os.path.join(build_root, "app", "ui", "tiktok-drafts"), video_c],
                         env=app_env(build_root, emulator, {"TIKTOK_DRAFTS_DEMO": "0"})).wait(30)
        tap.ok(wait_for(lambda: any("Studio shoot.mp4" in t for t in app.labels()), timeout=30, step=0.5),
               "a third video joins the window")
        tap.ok(app.click_when_enabled("Send to Drafts"), "it is sent")
        tap.ok(wait_for(lambda: inbox_count() >= 3, timeout=120, step=1.0), "it reaches the inbox", app.labels())
        tap.eq([d.get("sha256") for d in drafts_of(brand)], [sha256_file(video_c)],
               "it is in the account switched to: each account got its own drafts from the app")

        # Signing out of one leaves the other; then of the last one.
        tap.ok(open_account_menu("Brand Studio") and choose("Sign Out of “Personal Me”"),
               "the menu signs out of the other account")
        tap.ok(wait_for(lambda: [a["open_id"] for a in (cli_accounts() or [])] == [brand], timeout=30, step=0.5),
               "only the current account is left")
        tap.ok(header_shows("Brand Studio", timeout=5), "the window still shows it")
        tap.ok(open_account_menu("Brand Studio") and choose("Sign Out of “Brand Studio”"),
               "the menu signs out of the current account")
        tap.ok(wait_for(lambda: find("push button", "Sign in with TikTok", timeout=0.5) is not None,
                        timeout=30, step=0.5), "with no account left the window offers to sign in")
        tap.eq(cli_accounts(), [], "no account is left")
        tap.eq(len(emulator.state().get("direct_post_attempts", [])), 0, "nothing tried to post directly")
except Exception as error:  # noqa: BLE001 — report, then clean up
    tap.ok(False, "the test ran without an exception", repr(error))
finally:
    app.stop(os.path.join(SHOTS, "accounts-final.png"))
    emulator.stop()
    if tap.failed:
        tap.diag("app log:\n" + app.tail())
    tap.done()
