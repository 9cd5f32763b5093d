#!/usr/bin/python3
# test-dbus.py — the app's D-Bus API (org.cofndrly.TikTokDrafts.Drafts1) end to end
# (suite "e2e"): the app runs under Xvfb in a private session bus with a real keyring,
# signed in (by the CLI, into the keyring) against the emulator, and other programs
# call it: `gdbus introspect` and `gdbus call` as a shell script would, a Python Gio
# client for ItemChanged and for SendFiles' file descriptors. A video, a slideshow
# through a real WebDAV photo host and a video handed over as a descriptor each reach
# the emulator's inbox; bad calls get one-sentence D-Bus errors and the app keeps
# running. A screenshot shows the window with what was sent.
#
# Run as: xvfb-run -a … run-in-session.sh /usr/bin/python3 test-dbus.py BUILD_ROOT
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "integration"))

from e2etest import app_env  # noqa: E402
from ttdtest import (Emulator, NginxDav, Tap, cli_sign_in, http, make_video,  # noqa: E402
                     sha256_file, wait_for)

import gi  # noqa: E402
gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

build_root = os.path.abspath(sys.argv[1])
app_exe = os.path.join(build_root, "app", "ui", "tiktok-drafts")
cli_exe = os.path.join(build_root, "app", "cli", "tiktok-drafts-cli")
shots_dir = os.path.join(build_root, "tests", "e2e")

with open(os.path.join(build_root, "config.h")) as handle:
    APP_ID = re.search(r'#define APP_ID "([^"]+)"', handle.read()).group(1)
PATH = "/org/cofndrly/TikTokDrafts"
IFACE = "org.cofndrly.TikTokDrafts.Drafts1"
ERROR = "org.cofndrly.TikTokDrafts.Error."
# What the activated app needs of this test's environment beyond TIKTOK_DRAFTS_*.
ACTIVATION_ENV = ("GSETTINGS_SCHEMA_DIR", "GSETTINGS_BACKEND", "GSK_RENDERER", "GDK_DEBUG",
                  "ADW_DISABLE_PORTAL", "LC_ALL", "DISPLAY", "XAUTHORITY", "G_MESSAGES_DEBUG",
                  "HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
                  "XDG_RUNTIME_DIR")

tap = Tap()
work = tempfile.mkdtemp(prefix="ttd-dbus-")
host = NginxDav()
emulator = Emulator(build_root, "--processing-ms", "300", "--verified-prefix", host.public_url)
env = app_env(build_root, emulator, {
    # Not demo mode: the app reads the sign-in the CLI stored in the keyring.
    "TIKTOK_DRAFTS_DEMO": "0",
    "TIKTOK_DRAFTS_PHOTO_UPLOAD_URL": host.upload_url,
    "TIKTOK_DRAFTS_PHOTO_PUBLIC_URL": host.public_url,
    "TIKTOK_DRAFTS_PHOTO_AUTH": "none",
    "G_MESSAGES_DEBUG": "ttd",
})
received_dir = os.path.join(os.environ["XDG_CACHE_HOME"], "tiktok-drafts", "received")

video = make_video(os.path.join(work, "Beach day.mp4"), 2 * 1024 * 1024 + 5, seed=11)
handed = make_video(os.path.join(work, "Handed over.mp4"), 700 * 1024, seed=12)
brand_video = make_video(os.path.join(work, "For the brand.mp4"), 900 * 1024 + 1, seed=14)
pictures = []
for name, args in (("first.png", ["-size", "1200x800", "gradient:orange-purple"]),
                   ("second.jpg", ["-size", "800x1200", "plasma:fractal"])):
    pictures.append(os.path.join(work, name))
    subprocess.run(["convert", *args, pictures[-1]], check=True)
notes = os.path.join(work, "notes.txt")
with open(notes, "w") as handle:
    handle.write("not a video\n")


def uri(path):
    return Gio.File.new_for_path(path).get_uri()


def gdbus(*args, timeout=60):
    return subprocess.run(["gdbus", *args], capture_output=True, text=True, timeout=timeout)


def introspect():
    return gdbus("introspect", "--session", "--dest", APP_ID, "--object-path", PATH)


def call(method, *args):
    """`gdbus call` as a script would; returns (the parsed answer or None, stderr)."""
    proc = gdbus("call", "--session", "--dest", APP_ID, "--object-path", PATH,
                 "--method", f"{IFACE}.{method}", *args)
    if proc.returncode != 0:
        return None, proc.stderr.strip()
    return GLib.Variant.parse(None, proc.stdout.strip(), None, None).unpack(), proc.stderr


def call_bus(method, *args):
    """A method of the bus itself."""
    proc = gdbus("call", "--session", "--dest", "org.freedesktop.DBus", "--object-path", "/org/freedesktop/DBus",
                 "--method", f"org.freedesktop.DBus.{method}", *args)
    if proc.returncode != 0:
        return None, proc.stderr.strip()
    return GLib.Variant.parse(None, proc.stdout.strip(), None, None).unpack(), proc.stderr


def list_items():
    answer, _ = call("ListItems")
    return {item["id"]: item for item in answer[0]} if answer else {}


def wait_done(item_id, timeout=180):
    def done():
        item = list_items().get(item_id)
        return item if item and item["state"] in ("done", "failed") else None
    return wait_for(done, timeout=timeout, step=1.0)


class Signals:
    """ItemChanged as another program sees it: a Gio client with its own main loop."""

    def __init__(self):
        self.seen = []
        self.lock = threading.Lock()
        self.context = GLib.MainContext.new()
        self.loop = GLib.MainLoop.new(self.context, False)
        ready = threading.Event()

        def run():
            self.context.push_thread_default()
            self.bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
            self.bus.signal_subscribe(None, IFACE, "ItemChanged", PATH, None,
                                      Gio.DBusSignalFlags.NONE, self.on_signal)
            ready.set()
            self.loop.run()
            self.context.pop_thread_default()
        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        ready.wait(10)

    def on_signal(self, connection, sender, path, interface, name, parameters):
        item_id, state = parameters.unpack()
        with self.lock:
            self.seen.append((item_id, state))

    def states(self, item_id):
        with self.lock:
            return [state["state"] for seen_id, state in self.seen if seen_id == item_id]

    def stop(self):
        self.loop.quit()
        self.thread.join(5)


def send_fds(fds, options):
    """SendFiles over the session bus with the descriptors in a Unix fd list
    (duplicates: the list closes what it is given)."""
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    fd_list = Gio.UnixFDList.new_from_array([os.dup(fd) for fd in fds])
    try:
        answer, _ = bus.call_with_unix_fd_list_sync(
            APP_ID, PATH, IFACE, "SendFiles",
            GLib.Variant("(aha{sv})", (list(range(len(fds))), options)),
            GLib.VariantType("(as)"), Gio.DBusCallFlags.NONE, 120000, fd_list, None)
        return answer.unpack()[0], None
    except GLib.Error as error:
        return None, remote_error(error)


def remote_error(error):
    """NAME: sentence, as gdbus prints it."""
    name = Gio.DBusError.get_remote_error(error)
    prefix = f"GDBus.Error:{name}: "
    message = error.message[len(prefix):] if error.message.startswith(prefix) else error.message
    return f"{name}: {message}"


def call_raw(method, parameters):
    """A call gdbus would not make (it checks the types itself first)."""
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    try:
        bus.call_sync(APP_ID, PATH, IFACE, method, parameters, None, Gio.DBusCallFlags.NONE, 30000, None)
        return None
    except GLib.Error as error:
        return remote_error(error)


def received_files():
    found = []
    for top, _, files in os.walk(received_dir):
        found += [os.path.join(top, name) for name in files]
    return found


app = None
activated_pid = None
signals = None
app_log = open(os.path.join(work, "app.log"), "w+")
try:
    proc, _, _ = cli_sign_in(cli_exe, env, emulator.url)
    tap.eq(proc.returncode, 0, "the CLI signs in and stores the account in the keyring")
    account = emulator.state()

    signals = Signals()
    app = subprocess.Popen([app_exe], env=env, stdout=app_log, stderr=subprocess.STDOUT)

    shown = wait_for(lambda: (lambda p: p.stdout if p.returncode == 0 else None)(introspect()),
                     timeout=60, step=0.5)
    tap.ok(shown and f"interface {IFACE}" in shown and "Send(" in shown and "ItemChanged(" in shown,
           "gdbus introspect shows the Drafts1 interface on the app's bus name", shown)

    # A video, as a shell script sends it.
    answer, err = call("Send", f"['{uri(video)}']", "{}")
    ids = answer[0] if answer else []
    tap.ok(len(ids) == 1 and re.fullmatch(r"[A-Za-z0-9_-]{8,}", ids[0] or ""),
           "Send with a file:// URI returns one item id", (answer, err))
    if ids:
        item = wait_done(ids[0])
        tap.eq(item and item["state"], "done", "ListItems shows the video done")
        tap.ok(item and item.get("publish_id") and item.get("files") == [video] and item["kind"] == "video",
               "with its publish_id, file and kind", item)
        tap.eq(item and item.get("account"), account["open_id"], "and the account it went to")
        states = wait_for(lambda: "done" in signals.states(ids[0]) and signals.states(ids[0]), timeout=10)
        tap.ok(states and "sending" in states and states[-1] == "done",
               "ItemChanged reported it queued, sending and done", states)
        drafts = [d for d in emulator.state()["drafts"] if d.get("sha256") == sha256_file(video)]
        tap.ok(len(drafts) == 1 and drafts[0]["status"] == "SEND_TO_USER_INBOX" and item and
               drafts[0]["publish_id"] == item.get("publish_id"),
               "the emulator has the video in the inbox, under that publish_id", drafts)

    # A second account, signed in with the CLI while the app runs: a Send that
    # names it goes there, not to the account the window shows.
    brand = json.loads(http("POST", emulator.url + "/_emulator/user", {"display_name": "Brand Studio"})[2])
    proc, _, _ = cli_sign_in(cli_exe, env, emulator.url)
    tap.eq(proc.returncode, 0, "the CLI adds a second account")
    answer, err = call("Send", f"['{uri(brand_video)}']", "{'account': <'Brand Studio'>}")
    ids = answer[0] if answer else []
    tap.ok(len(ids) == 1, "Send with account set to the second account's name returns one item", (answer, err))
    if ids:
        item = wait_done(ids[0])
        tap.eq(item and item.get("account"), brand["open_id"], "ListItems shows it for that account")
        drafts = [d for d in emulator.state()["drafts"] if d.get("sha256") == sha256_file(brand_video)]
        tap.ok(len(drafts) == 1 and drafts[0]["open_id"] == brand["open_id"] and
               drafts[0]["status"] == "SEND_TO_USER_INBOX",
               "the emulator has it in the second account's inbox", drafts)

    # A slideshow, by the account's display name, with a title and a cover.
    answer, err = call("Send", str([uri(p) for p in pictures]),
                       "{'slideshow': <true>, 'title': <'From D-Bus'>, 'description': <'Two #photos'>, "
                       f"'cover': <uint32 1>, 'account': <'{account['display_name']}'>}}")
    ids = answer[0] if answer else []
    tap.ok(len(ids) == 1, "Send with slideshow=true returns one item", (answer, err))
    if ids:
        item = wait_done(ids[0])
        tap.eq(item and item["state"], "done", "ListItems shows the slideshow done")
        tap.ok(item and item["kind"] == "slideshow" and item.get("files") == pictures and
               item.get("title") == "From D-Bus" and item.get("cover") == 1,
               "a slideshow of both pictures, with its title and cover", item)
        photos = [d for d in emulator.state()["drafts"] if d.get("kind") == "photo"]
        tap.ok(len(photos) == 1 and photos[0]["status"] == "SEND_TO_USER_INBOX" and
               len(photos[0]["photo_images"]) == 2 and photos[0]["title"] == "From D-Bus" and
               photos[0]["description"] == "Two #photos" and photos[0]["photo_cover_index"] == 1,
               "the emulator has the slideshow in the inbox: two photos, title, description, cover", photos)
        wait_for(lambda: host.files() == [], timeout=10)
        tap.eq(host.files(), [], "the hosted copies were deleted afterwards")

    # A video handed over as an open file descriptor.
    fd = os.open(handed, os.O_RDONLY)
    os.lseek(fd, 1234, os.SEEK_SET)
    ids, err = send_fds([fd], {"account": GLib.Variant("s", account["open_id"])})
    tap.ok(ids and len(ids) == 1, "SendFiles with a descriptor returns one item id", err)
    tap.eq(os.lseek(fd, 0, os.SEEK_CUR), 1234, "the caller's file offset is left where it was")
    os.close(fd)
    if ids:
        item = wait_done(ids[0])
        tap.eq(item and item["state"], "done", "ListItems shows the handed-over video done")
        tap.ok(item and os.path.basename(item["files"][0]) == "Handed over.mp4" and
               item["files"][0].startswith(received_dir),
               "it was copied into the app's cache under its own name", item)
        drafts = [d for d in emulator.state()["drafts"] if d.get("sha256") == sha256_file(handed)]
        tap.ok(len(drafts) == 1 and drafts[0]["status"] == "SEND_TO_USER_INBOX",
               "the emulator has the handed-over video, byte for byte", drafts)
        wait_for(lambda: received_files() == [], timeout=10)
        tap.eq(received_files(), [], "the copy is deleted once the draft is in the inbox")

    time.sleep(1)  # the send button's stack cross-fades back
    subprocess.run(["import", "-window", "root", os.path.join(shots_dir, "dbus-send.png")],
                   timeout=30, check=False)

    # Bad calls: a D-Bus error with one sentence each, and the app keeps running.
    bad_calls = [
        ("a missing file", [f"['{uri(os.path.join(work, 'missing.mp4'))}']", "{}"],
         ERROR + "NotAFile: There is no file “" + os.path.join(work, "missing.mp4") + "”."),
        ("a text file", [f"['{notes}']", "{}"],
         ERROR + "UnsupportedFile: Not a video or picture TikTok takes: notes.txt"),
        ("a web address", ["['https://example.com/video.mp4']", "{}"],
         ERROR + "NotAFile: “https://example.com/video.mp4” is not a file on this computer"),
        ("a relative path", ["['video.mp4']", "{}"], ERROR + "NotAFile: “video.mp4” is not a file"),
        ("a folder", [f"['{work}']", "{}"], ERROR + "NotAFile: “" + work + "” is a folder"),
        ("an option of the wrong type", [f"['{video}']", "{'slideshow': <'yes'>}"],
         ERROR + "InvalidOption: The option “slideshow” must be true or false (b), not of type “s”."),
        ("a cover that is no number", [f"['{pictures[0]}']", "{'slideshow': <true>, 'cover': <'x'>}"],
         ERROR + "InvalidOption: The option “cover” must be a photo's number (u or i)"),
        ("a cover beyond the photos", [f"['{pictures[0]}']", "{'slideshow': <true>, 'cover': <5>}"],
         ERROR + "InvalidOption: The cover must be one of the slideshow's photos"),
        ("an unknown option", [f"['{video}']", "{'privacy_level': <'PUBLIC_TO_EVERYONE'>}"],
         ERROR + "InvalidOption: There is no option “privacy_level”"),
        ("a title for a video", [f"['{video}']", "{'title': <'Hi'>}"],
         ERROR + "InvalidOption: TikTok takes a title, description and cover only for a photo slideshow"),
        ("an unknown account", [f"['{handed}']", "{'account': <'someone-else'>}"],
         ERROR + "UnknownAccount: No TikTok account called “someone-else” is signed in."),
        ("a video in a slideshow", [str([pictures[0], handed]), "{'slideshow': <true>}"],
         ERROR + "WrongKind: “Handed over.mp4” is a video"),
        ("no files", ["@as []", "{}"], ERROR + "NotAFile: No files were given."),
    ]
    before = len(list_items())
    for what, args, expected in bad_calls:
        answer, err = call("Send", *args)
        tap.ok(answer is None and expected in err, f"Send with {what} is refused in one sentence", err)
    err = call_raw("Send", GLib.Variant("(sa{sv})", (video, {})))
    tap.ok(err and err.startswith("org.freedesktop.DBus.Error.InvalidArgs:"),
           "Send with arguments of the wrong types is refused by GDBus from the introspection data", err)
    tap.eq(len(list_items()), before, "nothing of the refused calls was queued")

    reader, writer = os.pipe()
    ids, err = send_fds([reader], {})
    os.close(reader)
    os.close(writer)
    tap.ok(ids is None and err and err.startswith(ERROR + "NotAFile: File 1 of the call is not a regular file"),
           "SendFiles with a pipe is refused in one sentence", err)
    tap.eq(received_files(), [], "and leaves no copy behind")

    tap.ok(app.poll() is None and introspect().returncode == 0, "the app is still running and answering")

    # D-Bus activation: with the app not running, a call starts it (as the installed
    # service file does, here with this test's environment), it sends, and shows its window.
    app.terminate()
    app.wait(10)
    app = None
    services = os.path.join(os.environ["XDG_DATA_HOME"], "dbus-1", "services")
    os.makedirs(services, exist_ok=True)
    with open(os.path.join(services, APP_ID + ".service"), "w") as handle:
        handle.write("[D-BUS Service]\nName=%s\nExec=/usr/bin/env %s %s --gapplication-service\n" % (
            APP_ID, " ".join(shlex.quote(f"{k}={v}") for k, v in env.items() if k in ACTIVATION_ENV
                             or k.startswith("TIKTOK_DRAFTS_")),
            shlex.quote(app_exe)))
    gdbus("call", "--session", "--dest", "org.freedesktop.DBus", "--object-path", "/org/freedesktop/DBus",
          "--method", "org.freedesktop.DBus.ReloadConfig")
    activated = make_video(os.path.join(work, "Activated.mp4"), 400 * 1024 + 9, seed=13)
    answer, err = call("Send", f"['{uri(activated)}']", "{}")
    ids = answer[0] if answer else []
    tap.ok(len(ids) == 1, "Send to a name nobody owns starts the app and returns an id", err)
    owner, _ = call_bus("GetConnectionUnixProcessID", f"'{APP_ID}'")
    activated_pid = owner[0] if owner else None
    if ids:
        item = wait_done(ids[0])
        tap.eq(item and item["state"], "done", "the started app sends it")
        drafts = [d for d in emulator.state()["drafts"] if d.get("sha256") == sha256_file(activated)]
        tap.ok(len(drafts) == 1 and drafts[0]["status"] == "SEND_TO_USER_INBOX",
               "the emulator has it in the inbox", drafts)
        tree = wait_for(lambda: (lambda t: t if "\"TikTok Drafts\"" in t else None)(
            subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True).stdout),
            timeout=20, step=0.5)
        tap.ok(tree, "and opened its window to show it")

    tap.eq(emulator.state()["direct_post_attempts"], [], "nothing tried to post directly")
except Exception as error:  # noqa: BLE001 — report, then clean up
    tap.ok(False, "the test ran without an exception", repr(error))
finally:
    if activated_pid:
        os.kill(activated_pid, signal.SIGTERM)
    if app is not None:
        app.terminate()
        try:
            app.wait(10)
        except subprocess.TimeoutExpired:
            app.kill()
    if signals is not None:
        signals.stop()
    emulator.stop()
    host.stop()
    if tap.failed:
        app_log.seek(0)
        tap.diag("app log:\n" + app_log.read()[-4000:])
    tap.done()
