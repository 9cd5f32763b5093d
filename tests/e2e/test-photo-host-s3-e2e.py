#!/usr/bin/python3
# test-photo-host-s3-e2e.py — an S3-compatible photo host set up in the
# app's Preferences over AT-SPI, as a creator would: host type, endpoint,
# bucket, key ID, secret and public address typed in, “Test Photo Host”
# pressed (right and wrong secret), then a PNG slideshow sent from the
# window through the strict S3 server (botocore checks every signature) to
# the emulator's inbox, and the bucket empty afterwards.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2etest import App  # noqa: E402
from ttdtest import Emulator, S3Server, Tap, wait_for  # noqa: E402

build_root = os.path.abspath(sys.argv[1])
tap = Tap()
work = tempfile.mkdtemp(prefix="ttd-e2e-s3-")
s3 = S3Server(buckets=["photos"])
emulator = Emulator(build_root, "--processing-ms", "300", "--verified-prefix", s3.public_url())

WORKS = "The photo host works"

pictures = []
for i, colour in enumerate(["orange", "teal"]):
    path = os.path.join(work, f"photo-{i}.png")
    subprocess.run(["convert", "-size", "1600x1200", f"gradient:{colour}-white", path], check=True)
    pictures.append(path)

# No photo host in the environment: everything comes from Preferences.
app = App(build_root, emulator, pictures)


def find(node, role, name, timeout=20):
    def lookup():
        try:
            return node.child(name=name, roleName=role, retry=False)
        except Exception:  # noqa: BLE001 — not there (yet)
            return None
    return wait_for(lookup, timeout=timeout, step=0.5)


def open_preferences():
    menu = next((n for n in app.node.findChildren(lambda x: x.name == "Main Menu", showingOnly=False)
                 if "click" in n.actions), None)
    if menu is None:
        return None
    menu.doActionNamed("click")
    item = find(app.node, "menu item", "Preferences")
    if item is None:
        return None
    item.doActionNamed("click")
    return find(app.node, "frame", "Preferences")


def select_s3(prefs):
    """Opens the Host Type row's list with the pointer (the row offers no
    action) and picks the second entry with the keyboard."""
    from dogtail import rawinput
    combo = find(prefs, "combo box", "Host Type")
    if combo is None:
        return False
    # Without a window manager both windows sit at the screen's origin, so
    # window coordinates are screen coordinates.
    (x, y), (width, height) = combo.position, combo.size
    rawinput.click(x + width // 2, y + height // 2)
    time.sleep(1.0)
    rawinput.pressKey("Down")
    rawinput.pressKey("Return")
    return wait_for(lambda: find(prefs, "text", "Endpoint", timeout=0.5) is not None, timeout=10, step=0.5)


def type_into(prefs, title, text):
    # AdwEntryRow's text field carries the row's title as its name.
    field = find(prefs, "text", title) or find(prefs, "password text", title)
    if field is None:
        return False
    field.text = text
    return True


def test_answer(prefs, expect_works):
    """Presses “Test Photo Host”; returns the sentence shown under it."""
    button = find(prefs, "push button", "Test Photo Host")
    if button is None:
        return None
    button.doActionNamed("click")

    def answer():
        from e2etest import labels
        texts = [t for t in labels(prefs) if t.startswith("The ")]
        found = [t for t in texts if (t.startswith(WORKS) if expect_works else "S3 host" in t)]
        return found[0] if found and button.sensitive else None
    return wait_for(answer, timeout=60, step=0.5)


try:
    if tap.ok(app.find() is not None, "the app appears on the accessibility bus") and \
       app.sign_in(tap, emulator):
        tap.ok(any("2 photos" in text for text in app.labels()), "the two pictures form one slideshow",
               app.labels())
        tap.ok(any("need a photo host" in text for text in app.labels()),
               "without a photo host the window says slideshows need one", app.labels())

        prefs = open_preferences()
        if tap.ok(prefs is not None, "Preferences open from the main menu"):
            tap.ok(select_s3(prefs), "Host Type → S3-Compatible Storage shows the S3 rows",
                   [(r, n) for r, n, _ in app.names() if r in ("text", "combo box", "password text")])
            upload = find(prefs, "text", "Upload Address", timeout=1)
            tap.ok(upload is None or not upload.showing, "the WebDAV upload address is hidden")
            typed = [type_into(prefs, "Endpoint", s3.url),
                     type_into(prefs, "Bucket", "photos"),
                     type_into(prefs, "Key Prefix", "drafts/"),
                     type_into(prefs, "Access Key ID", s3.access_key_id),
                     type_into(prefs, "Secret Access Key", s3.secret_access_key),
                     type_into(prefs, "Public Address", s3.public_url())]
            tap.ok(all(typed), "Endpoint, Bucket, Key Prefix, Access Key ID, Secret Access Key and "
                   "Public Address found by their titles and typed into", typed)

            s3.reset_requests()
            answer = test_answer(prefs, True)
            tap.ok(answer is not None, "Test Photo Host says the host works", answer or app.labels())
            seen = s3.requests()
            tap.ok([r["method"] for r in seen] == ["PUT", "DELETE"] and
                   all(r["error"] is None and r["authorization_present"] and r["key"].startswith("drafts/")
                       for r in seen),
                   "the test put and deleted one object under the prefix, both signed and accepted", seen)
            tap.eq(s3.objects(), {"photos": []}, "the test photo is gone from the bucket")

            type_into(prefs, "Secret Access Key", "not-the-secret-access-key")
            s3.reset_requests()
            answer = test_answer(prefs, False)
            tap.ok(answer is not None and "secret access key" in answer and answer.count(". ") <= 1,
                   "with a wrong secret the test says in one sentence the secret access key was refused",
                   answer or app.labels())
            tap.ok(any(r["error"] == "SignatureDoesNotMatch" for r in s3.requests()),
                   "the server refused the wrongly signed request", s3.requests())

            type_into(prefs, "Secret Access Key", s3.secret_access_key)
            answer = test_answer(prefs, True)
            tap.ok(answer is not None, "with the right secret again the test passes", answer or app.labels())
            # The secret reaches the keyring after a pause in typing, then the
            # account is rebuilt from the settings and the keyring.
            time.sleep(2.0)
            close = find(prefs, "push button", "Close")
            if close is not None:
                close.doActionNamed("click")
            tap.ok(wait_for(lambda: find(app.node, "frame", "Preferences", timeout=0.5) is None,
                            timeout=10, step=0.5), "Preferences close")

        tap.ok(wait_for(lambda: not any("need a photo host" in t for t in app.labels()), timeout=30, step=0.5),
               "with the S3 host set up the window no longer asks for a photo host", app.labels())
        s3.reset_requests()
        app.send_slideshow(tap, emulator, 2)

        seen = s3.requests()
        puts = [r for r in seen if r["method"] == "PUT"]
        deletes = [r for r in seen if r["method"] == "DELETE"]
        tap.ok(len(puts) == 2 and all(r["error"] is None and r["authorization_present"] and
                                      r["sha256"] and len(r["sha256"]) == 64 for r in puts),
               "two signed PUTs with the body's SHA-256, accepted by botocore's check", seen)
        tap.eq(sorted(r["key"] for r in deletes), sorted(r["key"] for r in puts),
               "each photo was DELETEd after TikTok pulled it")
        tap.ok(all(r["error"] is None for r in deletes), "the DELETEs were signed and accepted", deletes)
        tap.eq(s3.objects(), {"photos": []}, "the bucket is empty afterwards")
        tap.ok(s3.secret_access_key not in app.tail(), "the secret access key is not in the app's output")
finally:
    app.stop(os.path.join(build_root, "tests", "e2e", "e2e-photo-host-s3.png"))
    emulator.stop()
    s3.stop()
    if tap.failed:
        tap.diag("app log:\n" + app.tail())
    tap.done()
