#!/usr/bin/python3
# test-photos-s3.py — a slideshow from the CLI through an S3-compatible photo
# host: PNG → JPEG → a strict S3 server (botocore checks every signature) →
# the emulator's inbox, the objects gone afterwards; and `photo-host check`
# saying in one sentence what is wrong for each thing a user gets wrong.
# Run through run-in-session.sh (the sign-in lives in the keyring).
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ttdtest import CliRunner, Emulator, S3Server, Tap, cli_sign_in  # noqa: E402

BUILD = os.environ.get("MESON_BUILD_ROOT") or sys.argv[1]
CLI = os.path.join(BUILD, "app", "cli", "tiktok-drafts-cli")

tap = Tap()
work = tempfile.mkdtemp(prefix="ttd-photos-s3-")
s3 = S3Server(buckets=["photos"])
emulator = Emulator(BUILD, "--processing-ms", "300", "--verified-prefix", s3.public_url())
env = dict(os.environ, **emulator.env(),
           TIKTOK_DRAFTS_PHOTO_HOST="s3",
           TIKTOK_DRAFTS_S3_ENDPOINT=s3.url,
           TIKTOK_DRAFTS_S3_BUCKET="photos",
           TIKTOK_DRAFTS_S3_PREFIX="tiktok/",
           TIKTOK_DRAFTS_S3_ACCESS_KEY_ID=s3.access_key_id,
           TIKTOK_DRAFTS_S3_SECRET_ACCESS_KEY=s3.secret_access_key,
           TIKTOK_DRAFTS_PHOTO_PUBLIC_URL=s3.public_url(),
           G_MESSAGES_DEBUG="all", LC_ALL="C.UTF-8")
runner = CliRunner(CLI, env)
cli, cli_json = runner.run, runner.json


def check(extra_env, says, name):
    proc, data = cli_json("photo-host", "check", extra_env=extra_env)
    error = (data or {}).get("error") or ""
    tap.ok(proc.returncode != 0 and says in error and error.count(". ") <= 1,
           f"photo-host check: {name}", proc.stdout + proc.stderr[-1500:])


try:
    pngs = []
    for i, colour in enumerate(["orange", "teal"]):
        path = os.path.join(work, f"photo-{i}.png")
        subprocess.run(["convert", "-size", "1200x900", f"xc:{colour}", path], check=True)
        pngs.append(path)

    proc, data = cli_json("photo-host", "check")
    tap.ok(proc.returncode == 0 and data and data.get("ok") is True,
           "photo-host check passes against the S3 server", proc.stdout + proc.stderr[-2000:])
    tap.eq(s3.objects(), {"photos": []}, "the check's probe is deleted")
    seen = s3.requests()
    tap.eq([r["method"] for r in seen], ["PUT", "DELETE"], "the check put and deleted one object")
    tap.ok(all(r["error"] is None and r["key"].startswith("tiktok/ttd-") for r in seen),
           "both signed requests were accepted, under the prefix", seen)

    proc, _, _ = cli_sign_in(CLI, env, emulator.url)
    tap.eq(proc.returncode, 0, "signed in through the loopback listener")

    s3.reset_requests()
    proc, data = cli_json("slideshow", "--images", ",".join(pngs), "--title", "Through S3")
    tap.ok(proc.returncode == 0 and data and data.get("status") == "SEND_TO_USER_INBOX",
           "a PNG slideshow through S3 reaches SEND_TO_USER_INBOX", proc.stdout + proc.stderr[-3000:])
    draft = emulator.draft((data or {}).get("publish_id"))
    pulled = (draft or {}).get("photo_images", [])
    tap.eq(len(pulled), 2, "TikTok pulled both photos from the bucket's public address")
    tap.ok(all(p.get("format") == "jpeg" for p in pulled), "as JPEGs", pulled)
    puts = [r for r in s3.requests() if r["method"] == "PUT"]
    deletes = [r for r in s3.requests() if r["method"] == "DELETE"]
    tap.ok(len(puts) == 2 and all(r["error"] is None and r["sha256"] and len(r["sha256"]) == 64 for r in puts),
           "two signed PUTs with the body's SHA-256", puts)
    tap.eq(sorted(r["key"] for r in deletes), sorted(r["key"] for r in puts), "each was DELETEd afterwards")
    tap.eq(s3.objects(), {"photos": []}, "the bucket is empty afterwards")
    ledger = os.path.join(os.environ.get("XDG_DATA_HOME", os.path.expanduser("~/.local/share")),
                          "tiktok-drafts", "hosted-photos.json")
    remaining = json.load(open(ledger)) if os.path.exists(ledger) else []
    tap.eq(remaining, [], "nothing left in the hosted-photos ledger")

    check({"TIKTOK_DRAFTS_S3_SECRET_ACCESS_KEY": "not-the-secret"}, "secret access key", "wrong secret")
    check({"TIKTOK_DRAFTS_S3_ACCESS_KEY_ID": "AKIDSOMEONEELSE"}, "does not know the access key ID",
          "unknown access key id")
    check({"TIKTOK_DRAFTS_S3_BUCKET": "no-such-bucket"}, "no bucket named “no-such-bucket”", "missing bucket")
    check({"TIKTOK_DRAFTS_PHOTO_PUBLIC_URL": s3.url + "/_public-forbidden/photos/"}, "HTTP 403",
          "public address answers 403")
    check({"TIKTOK_DRAFTS_PHOTO_PUBLIC_URL": s3.url + "/_public-redirect/photos/"}, "redirects",
          "public address redirects")
    check({"TIKTOK_DRAFTS_S3_ENDPOINT": "http://s3.example.com"}, "https", "endpoint not https")
    s3.set_clock_offset(20 * 60)
    check({}, "clock", "clock 20 minutes off")
    s3.set_clock_offset(0)
    tap.eq(s3.objects(), {"photos": []}, "no failed check left an object behind")

    joined = "\n".join(runner.outputs)
    tap.ok(s3.secret_access_key not in joined, "the secret access key is in no output, also at debug level")
finally:
    emulator.stop()
    s3.stop()

tap.done()
