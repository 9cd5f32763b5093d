#!/usr/bin/python3
# test-photos.py — photo slideshows from the CLI: real PNG/WebP/JPEG
# fixtures, a real nginx WebDAV photo host, the emulator pulling them.
# Run through run-in-session.sh (the sign-in lives in the keyring).
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ttdtest import Emulator, NginxDav, Tap, browser_follow  # noqa: E402

BUILD = os.environ.get("MESON_BUILD_ROOT") or sys.argv[1]
CLI = os.path.join(BUILD, "app", "cli", "tiktok-drafts-cli")

tap = Tap()
work = tempfile.mkdtemp(prefix="ttd-photos-")
host = NginxDav(username="creator", password="photo-pass-123")
emulator = Emulator(BUILD, "--processing-ms", "300", "--verified-prefix", host.public_url)
env = dict(os.environ, **emulator.env(),
           TIKTOK_DRAFTS_PHOTO_UPLOAD_URL=host.upload_url,
           TIKTOK_DRAFTS_PHOTO_PUBLIC_URL=host.public_url,
           TIKTOK_DRAFTS_PHOTO_AUTH="basic",
           TIKTOK_DRAFTS_PHOTO_USERNAME="creator",
           TIKTOK_DRAFTS_PHOTO_PASSWORD="photo-pass-123",
           G_MESSAGES_DEBUG="all", LC_ALL="C.UTF-8")
outputs = []


def cli(*args, extra_env=None, timeout=300):
    proc = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout,
                          env=dict(env, **(extra_env or {})))
    outputs.append(proc.stdout + proc.stderr)
    return proc


def cli_json(*args, **kwargs):
    proc = cli(*args, "--json", **kwargs)
    try:
        return proc, json.loads(proc.stdout)
    except ValueError:
        return proc, None


def convert(*args):
    subprocess.run(["convert", *args], check=True)


def with_exif_orientation(path, orientation):
    """Adds an EXIF APP1 segment (Orientation, plus a GPS IFD pointer) right
    after SOI, as cameras do."""
    ifd = struct.pack(">H", 2)
    ifd += struct.pack(">HHII", 0x0112, 3, 1, orientation << 16)
    ifd += struct.pack(">HHII", 0x8825, 4, 1, 0)  # GPS IFD pointer (empty)
    ifd += struct.pack(">I", 0)
    tiff = b"MM\x00\x2a" + struct.pack(">I", 8) + ifd
    payload = b"Exif\x00\x00" + tiff
    with open(path, "rb") as handle:
        data = handle.read()
    with open(path, "wb") as handle:
        handle.write(data[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + data[2:])


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def decoder_bomb(path, side):
    """A valid PNG header claiming side × side pixels, with almost no data."""
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    with open(path, "wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat)
                     + png_chunk(b"IEND", b""))


def sign_in():
    proc = subprocess.Popen([CLI, "auth", "--no-browser", "--json"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    url = None
    while True:
        line = proc.stderr.readline()
        if not line:
            break
        if line.startswith(emulator.url):
            url = line.strip()
            break
    if url:
        browser_follow(url)
    out, _ = proc.communicate(timeout=60)
    return proc.returncode


# Fixtures: a large PNG with transparency, a WebP, a landscape JPEG with
# EXIF orientation 6 (to be shown rotated), a small JPEG.
png = os.path.join(work, "big-transparent.png")
convert("-size", "4000x3000", "gradient:#ff000080-#0000ff", png)
webp = os.path.join(work, "photo.webp")
convert("-size", "2000x1500", "plasma:fractal", "-seed", "3", webp)
rotated = os.path.join(work, "rotated.jpg")
convert("-size", "1600x1200", "gradient:red-blue", rotated)
with_exif_orientation(rotated, 6)
small = os.path.join(work, "small.jpg")
convert("-size", "640x480", "xc:orange", small)

tap.eq(sign_in(), 0, "signed in through the loopback listener")

# --- a mixed slideshow -------------------------------------------------------
images = ",".join([png, webp, rotated, small])
proc, data = cli_json("slideshow", "--images", images, "--title", "Weekend trip 🌄",
                      "--description", "Day one #travel", "--cover", "2")
tap.ok(proc.returncode == 0 and data and data.get("status") == "SEND_TO_USER_INBOX",
       "a PNG/WebP/JPEG slideshow reaches SEND_TO_USER_INBOX", proc.stdout + proc.stderr[-3000:])
draft = emulator.draft(data.get("publish_id")) if data else None
pulled = (draft or {}).get("photo_images", [])
tap.eq(len(pulled), 4, "TikTok pulled four photos")
tap.ok(all(p.get("format") == "jpeg" for p in pulled), "every pulled photo is a JPEG", pulled)
tap.ok(all(min(p["width"], p["height"]) <= 1080 and max(p["width"], p["height"]) <= 1920 for p in pulled),
       "every photo is within 1080p (short side ≤ 1080, long ≤ 1920)",
       [(p.get("width"), p.get("height")) for p in pulled])
tap.ok(all(not p.get("has_exif") for p in pulled), "no EXIF (or GPS) in any pulled photo")
tap.ok(all(not p.get("progressive") for p in pulled), "every JPEG is baseline")
tap.ok(all(p.get("size", 0) <= 20000000 for p in pulled), "every photo is at most 20 MB")
if len(pulled) == 4:
    tap.eq((pulled[0]["width"], pulled[0]["height"]), (1440, 1080), "4000×3000 PNG scaled to 1440×1080")
    tap.eq((pulled[2]["width"], pulled[2]["height"]), (1080, 1440),
           "landscape JPEG with EXIF orientation 6 arrives upright (portrait)")
    tap.eq((pulled[3]["width"], pulled[3]["height"]), (640, 480), "small photos are not enlarged")
tap.eq(draft and draft.get("photo_cover_index"), 2, "cover index sent 0-based as given")
tap.eq(draft and draft.get("title"), "Weekend trip 🌄", "title arrives intact")
tap.eq(host.files(), [], "hosted copies deleted after TikTok pulled them")
names = [line.split()[6] for line in host.requests("PUT")]
tap.ok(names and all(len(os.path.basename(n)) >= 4 + 32 + 4 for n in names),
       "hosted file names carry at least 128 random bits", names[:2])
emulator.act_on_drafts()

# --- local limits, checked before anything is converted, hosted or sent -----
puts_before = len(host.requests("PUT"))
inits_before = emulator.state()["counts"]["content_inits"]
many = ",".join([small] * 36)
proc = cli("slideshow", "--images", many, "--title", "x")
tap.ok(proc.returncode != 0 and "at most 35" in proc.stderr, "36 photos refused, stating the limit", proc.stderr)
proc = cli("slideshow", "--images", small, "--title", "é" * 91)
tap.ok(proc.returncode != 0 and "at most 90" in proc.stderr, "91-character title refused", proc.stderr)
proc = cli("slideshow", "--images", small, "--title", "😀" * 46)
tap.ok(proc.returncode != 0 and "at most 90" in proc.stderr, "46 emoji (92 UTF-16 units) refused", proc.stderr)
proc = cli("slideshow", "--images", small, "--title", "😀" * 45)
tap.eq(proc.returncode, 0, "45 emoji (90 UTF-16 units) accepted")
emulator.act_on_drafts()
puts_before = len(host.requests("PUT"))
inits_before = emulator.state()["counts"]["content_inits"]
proc = cli("slideshow", "--images", small, "--description", "d" * 4001)
tap.ok(proc.returncode != 0 and "at most 4000" in proc.stderr, "4001-character description refused", proc.stderr)
proc = cli("slideshow", "--images", f"{small},{small}", "--cover", "2")
tap.ok(proc.returncode != 0 and "from 0 to 1" in proc.stderr, "cover out of range refused", proc.stderr)
proc = cli("slideshow", "--images", f"{small},{work}/missing.jpg")
tap.ok(proc.returncode != 0 and "missing.jpg" in proc.stderr, "a missing photo is named", proc.stderr)
tap.eq(len(host.requests("PUT")), puts_before, "nothing was hosted for refused slideshows")
tap.eq(emulator.state()["counts"]["content_inits"], inits_before, "nothing was sent to TikTok for them")

# --- bad pictures: a clear message naming the file, nothing left behind ----
bomb = os.path.join(work, "bomb.png")
decoder_bomb(bomb, 100000)
proc = cli("slideshow", "--images", f"{small},{bomb}")
tap.ok(proc.returncode != 0 and "bomb.png" in proc.stderr and "too large" in proc.stderr,
       "a decoder bomb is refused before decoding", proc.stderr)
junk = os.path.join(work, "notes.jpg")
with open(junk, "w") as handle:
    handle.write("not a picture at all\n" * 10)
proc = cli("slideshow", "--images", f"{small},{junk}")
tap.ok(proc.returncode != 0 and "notes.jpg" in proc.stderr, "a non-picture is refused, naming it", proc.stderr)
tap.eq(host.files(), [], "no hosted copy left behind after a refused picture")

# --- TikTok refuses an unverified prefix -----------------------------------
other = NginxDav()
proc = cli("slideshow", "--images", small, extra_env={
    "TIKTOK_DRAFTS_PHOTO_UPLOAD_URL": other.upload_url,
    "TIKTOK_DRAFTS_PHOTO_PUBLIC_URL": other.public_url,
    "TIKTOK_DRAFTS_PHOTO_AUTH": "none"})
tap.ok(proc.returncode != 0 and "not verified" in proc.stderr and "log ID" in proc.stderr,
       "url_ownership_unverified becomes a plain sentence with the log ID", proc.stderr)
tap.eq(other.files(), [], "the unverified host's copies were deleted")

# --- a public URL that redirects, and wrong credentials -------------------
proc = cli("slideshow", "--images", small, extra_env={
    "TIKTOK_DRAFTS_PHOTO_PUBLIC_URL": f"http://127.0.0.1:{host.port}/moved/"})
tap.ok(proc.returncode != 0 and "redirect" in proc.stderr, "a redirecting public URL is caught before TikTok",
       proc.stderr)
proc = cli("slideshow", "--images", small, extra_env={"TIKTOK_DRAFTS_PHOTO_PASSWORD": "wrong"})
tap.ok(proc.returncode != 0 and "user name and password" in proc.stderr, "wrong photo host password explained",
       proc.stderr)
proc = cli("slideshow", "--images", small, extra_env={"TIKTOK_DRAFTS_PHOTO_UPLOAD_URL": "",
                                                      "TIKTOK_DRAFTS_PHOTO_PUBLIC_URL": ""})
tap.ok(proc.returncode != 0 and "photo host" in proc.stderr, "no photo host: says why one is needed", proc.stderr)
proc = cli("photo-host", "check", "--json", extra_env={"TIKTOK_DRAFTS_PHOTO_PUBLIC_URL": ""})
try:
    checked = json.loads(proc.stdout)
except ValueError:
    checked = {}
tap.eq(checked.get("public_url"), host.upload_url,
       "a WebDAV host without a public address is fetched from its upload address (as in the app)")
proc = cli("slideshow", "--images", small, extra_env={
    "TIKTOK_DRAFTS_PHOTO_PUBLIC_URL": "http://photos.example.com/p/"})
tap.ok(proc.returncode != 0 and "https" in proc.stderr, "a non-loopback http public URL is refused", proc.stderr)
tap.eq(host.files(), [], "nothing left on the host")

# --- leftovers from a crash are deleted on the next start ------------------
# …and only they: a ledger entry that is not one of our random names (".",
# "..", a path, a file of the user's) never reaches a DELETE.
ledger = os.path.join(os.environ.get("XDG_DATA_HOME", os.path.expanduser("~/.local/share")),
                      "tiktok-drafts", "hosted-photos.json")
leftover = "ttd-" + "0123456789abcdef0123" * 2 + ".jpg"
foreign = ["holiday.jpg", "ttd-" + "0123456789ABCDEF0123" * 2 + ".jpg", "ttd-0123.jpg", "sub"]
for name in [leftover] + foreign[:3]:
    with open(os.path.join(host.www, name), "wb") as handle:
        handle.write(b"\xff\xd8\xff")
os.makedirs(os.path.join(host.www, "sub"))
with open(os.path.join(host.www, "sub", "b"), "wb") as handle:
    handle.write(b"mine")
os.makedirs(os.path.dirname(ledger), exist_ok=True)
entries = [{"upload_url": host.upload_url, "name": name, "hosted_at": 1, "pid": 999999}
           for name in [".", "..", "../x", "sub/b", "sub", "", "%2e%2e", "/etc/passwd"] + foreign[:3]]
entries += ["ttd-not-an-object.jpg", {"upload_url": host.upload_url, "name": 7},
            {"upload_url": host.upload_url, "name": leftover, "hosted_at": 1, "pid": 999999}]


def own_start_time():
    """Field 22 of /proc/self/stat, as the app records it beside its pid."""
    with open("/proc/self/stat") as handle:
        return int(handle.read().rsplit(")", 1)[1].split()[19])


# Fresh entries naming a running process: this one, which is still sending
# (kept), and this pid with another start time, i.e. a pid reused since the
# crash (deleted: a pid alone would keep it for as long as this runs).
fresh = int(time.time())
in_flight = "ttd-" + "1" * 40 + ".jpg"
reused = "ttd-" + "2" * 40 + ".jpg"
for name in (in_flight, reused):
    with open(os.path.join(host.www, name), "wb") as handle:
        handle.write(b"\xff\xd8\xff")
entries += [{"upload_url": host.upload_url, "name": in_flight, "hosted_at": fresh,
             "pid": os.getpid(), "pid_start_time": own_start_time()},
            {"upload_url": host.upload_url, "name": reused, "hosted_at": fresh,
             "pid": os.getpid(), "pid_start_time": own_start_time() + 1}]
with open(ledger, "w") as handle:
    json.dump(entries, handle)
deletes_before = len(host.requests("DELETE"))
proc, data = cli_json("slideshow", "--images", small)
tap.ok(proc.returncode == 0, "a slideshow after a crash succeeds", proc.stderr[-1500:])
tap.eq(host.files(), sorted(foreign + [in_flight]),
       "the crash's leftovers were deleted (also one under a reused pid), nothing else on the host")
tap.ok(os.path.exists(os.path.join(host.www, "sub", "b")), "a file in a sub-collection is still there")
deleted = [line.split()[6] for line in host.requests("DELETE")[deletes_before:]]
tap.ok(all(os.path.basename(path).startswith("ttd-") and len(os.path.basename(path)) == 48 for path in deleted),
       "every DELETE named one of our random names", deleted)

tap.eq(emulator.state()["direct_post_attempts"], [], "nothing tried to direct-post")
leaks = [s for s in ("photo-pass-123", "demo-client-secret") if any(s in o for o in outputs)]
tap.eq(leaks, [], "no password or secret in any output")

emulator.stop()
host.stop()
other.stop()
tap.done()
