#!/usr/bin/python3
# test-photos-e2e.py — a slideshow of PNG, JPEG and WebP pictures sent from
# the app's window: a real nginx WebDAV photo host, the emulator pulling the
# photos, the window showing the result.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2etest import App  # noqa: E402
from ttdtest import Emulator, NginxDav, Tap  # noqa: E402

build_root = os.path.abspath(sys.argv[1])
tap = Tap()
work = tempfile.mkdtemp(prefix="ttd-e2e-photos-")
host = NginxDav()
emulator = Emulator(build_root, "--processing-ms", "300", "--verified-prefix", host.public_url)

pictures = []
for name, args in (("sunset.png", ["-size", "3000x2000", "gradient:orange-purple"]),
                   ("street.jpg", ["-size", "2400x3200", "plasma:fractal"]),
                   ("waves.webp", ["-size", "1600x900", "gradient:navy-cyan"])):
    path = os.path.join(work, name)
    subprocess.run(["convert", *args, path], check=True)
    pictures.append(path)

app = App(build_root, emulator, pictures, {
    "TIKTOK_DRAFTS_PHOTO_UPLOAD_URL": host.upload_url,
    "TIKTOK_DRAFTS_PHOTO_PUBLIC_URL": host.public_url,
    "TIKTOK_DRAFTS_PHOTO_AUTH": "none",
})

try:
    if tap.ok(app.find() is not None, "the app appears on the accessibility bus") and \
       app.sign_in(tap, emulator):
        tap.ok(any("3 photos" in text for text in app.labels()), "the three pictures form one slideshow",
               app.labels())
        images = app.send_slideshow(tap, emulator, 3)
        tap.ok(all(min(i["width"], i["height"]) <= 1080 and max(i["width"], i["height"]) <= 1920
                   for i in images), "all within 1080p", [(i["width"], i["height"]) for i in images])
        tap.eq(host.files(), [], "the hosted copies were deleted afterwards")
        tap.eq(emulator.state()["direct_post_attempts"], [], "nothing tried to direct-post")
finally:
    app.stop(os.path.join(build_root, "tests", "e2e", "e2e-photos.png"))
    emulator.stop()
    host.stop()
    if tap.failed:
        tap.diag("app log:\n" + app.tail())
    tap.done()
