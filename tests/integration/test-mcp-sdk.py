#!/usr/bin/python3
# test-mcp-sdk.py — `tiktok-drafts-cli mcp` against the official MCP SDK's
# client (test-mcp-sdk.mjs), with the emulator and a real keyring. Installs
# @modelcontextprotocol/sdk with npm into the build directory; without node,
# npm or the npm registry (as in CI) it exits 77, which meson counts as
# skipped. Run through run-in-session.sh.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import atexit
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ttdtest import Emulator, Tap, cli_sign_in, make_video, sha256_file, stored_tokens  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.environ.get("MESON_BUILD_ROOT") or sys.argv[1]
CLI = os.path.join(BUILD, "app", "cli", "tiktok-drafts-cli")
# The newest SDK checked with Debian 12's nodejs (18.20) and npm (9.2).
SDK = "@modelcontextprotocol/sdk@1.32.2"
PREFIX = os.path.join(BUILD, "npm-mcp")
NODE = os.environ.get("TTD_NODE") or shutil.which("node") or shutil.which("nodejs")
NPM = os.environ.get("TTD_NPM") or shutil.which("npm")


def skip(reason):
    print(f"SKIP: {reason}", flush=True)
    sys.exit(77)


def installed_version():
    try:
        with open(os.path.join(PREFIX, "node_modules", "@modelcontextprotocol", "sdk", "package.json")) as handle:
            return json.load(handle).get("version")
    except (OSError, ValueError):
        return None


if NODE is None:
    skip("node is not installed (Debian: apt install nodejs npm)")
try:
    version = subprocess.run([NODE, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
except (OSError, subprocess.TimeoutExpired) as error:
    skip(f"{NODE} does not run: {error}")
if not version.startswith("v") or int(version[1:].split(".")[0]) < 18:
    skip(f"the MCP SDK needs node 18 or newer; this is {version or 'unknown'}")

if installed_version() != SDK.rsplit("@", 1)[1]:
    if NPM is None:
        skip("npm is not installed (Debian: apt install npm)")
    os.makedirs(PREFIX, exist_ok=True)
    try:
        proc = subprocess.run([NPM, "install", "--prefix", PREFIX, "--no-audit", "--no-fund",
                               "--ignore-scripts", "--no-save", "--fetch-retries", "1",
                               "--fetch-timeout", "30000", SDK],
                              capture_output=True, text=True, timeout=300,
                              env=dict(os.environ, npm_config_update_notifier="false"))
    except subprocess.TimeoutExpired:
        skip(f"npm could not install {SDK} within 5 minutes (is the npm registry reachable?)")
    if proc.returncode != 0 or installed_version() is None:
        lines = [line for line in proc.stderr.splitlines() if "log of this run" not in line]
        said = next((line for line in lines if " code " in line or "ERR" in line), None)
        skip(f"npm could not install {SDK} (is the npm registry reachable?): "
             f"{said or (lines or ['no output'])[-1]}")

# Node resolves the SDK from the script's own folder.
script = os.path.join(PREFIX, "test-mcp-sdk.mjs")
shutil.copyfile(os.path.join(HERE, "test-mcp-sdk.mjs"), script)

tap = Tap()
tap.diag(f"node {version}, {SDK}")
emulator = Emulator(BUILD, "--processing-ms", "300")
atexit.register(emulator.stop)
env = dict(os.environ, **emulator.env(), G_MESSAGES_DEBUG="all", LC_ALL="C.UTF-8")
work = os.path.join(PREFIX, "work")
os.makedirs(work, exist_ok=True)
video = make_video(os.path.join(work, "sdk-clip.mp4"), 2 * 1024 * 1024 + 5, seed=7)

proc, _, _ = cli_sign_in(CLI, env, emulator.url)
tap.eq(proc.returncode, 0, "signed in through the emulator")
tokens = stored_tokens()

run = subprocess.run([NODE, script, CLI, video], capture_output=True, text=True, timeout=600, env=env)
try:
    report = json.loads(run.stdout.strip().splitlines()[-1])
except (ValueError, IndexError):
    report = {}
tap.ok(run.returncode == 0 and report, "the SDK client ran and reported", run.stdout[-2000:] + run.stderr[-3000:])


def value(what):
    entry = report.get(what, {})
    tap.ok(entry.get("ok"), f"{what} succeeded", json.dumps(entry)[:2000])
    return entry.get("value") or {}


def failure(what):
    return report.get(what, {})


def text_of(result):
    return "".join(c.get("text", "") for c in result.get("content", []))


connected = value("connect")
tap.eq((connected.get("server") or {}).get("name"), "tiktok-drafts", "the SDK's client connected to tiktok-drafts")
tap.ok("tools" in (connected.get("capabilities") or {}), "the server offers tools")

tools = report.get("listTools", {}).get("value") or []
tap.eq(sorted(t["name"] for t in tools),
       ["draft_status", "list_accounts", "list_queue", "send_slideshow", "send_video"],
       "listTools: the five tools, accepted by the SDK's schema")
value("ping")

accounts = value("listAccounts").get("structuredContent", {}).get("accounts", [])
state = emulator.state()
tap.ok(len(accounts) == 1 and accounts[0]["open_id"] == state["open_id"] and accounts[0]["default"] is True,
       "list_accounts: the signed-in account", json.dumps(accounts))

sent = value("sendVideo")
publish_id = sent.get("structuredContent", {}).get("publish_id")
draft = emulator.draft(publish_id) if publish_id else None
tap.ok(sent.get("isError") is False and draft is not None and draft["status"] == "SEND_TO_USER_INBOX"
       and draft["sha256"] == sha256_file(video), "send_video: the video is in the emulator's inbox, byte for byte",
       json.dumps([sent, draft])[:2000])
tap.ok(len(report.get("progress", [])) > 0, "the SDK received progress notifications",
       json.dumps(report.get("progress"))[:1000])

status = value("draftStatus")
tap.ok(status.get("isError") is False and status.get("structuredContent", {}).get("status") == "SEND_TO_USER_INBOX",
       "draft_status: in the inbox", json.dumps(status))
tap.eq(value("listQueue").get("structuredContent", {}).get("items"), [], "list_queue: nothing is left queued")

missing = value("missingFile")
tap.ok(missing.get("isError") is True and "does not exist" in text_of(missing),
       "a missing file is a tool error with a sentence", json.dumps(missing))
wrong = value("wrongType")
tap.ok(wrong.get("isError") is True and "must be a string" in text_of(wrong),
       "a path that is not a string is a tool error", json.dumps(wrong))
unknown = failure("unknownTool")
tap.ok(unknown.get("ok") is False and unknown.get("code") == -32602,
       "an unknown tool: the SDK raises McpError -32602", json.dumps(unknown))
method = failure("unknownMethod")
tap.ok(method.get("ok") is False and method.get("code") == -32601,
       "an unknown method: the SDK raises McpError -32601", json.dumps(method))

state = emulator.state()
tap.eq(state["direct_post_attempts"], [], "nothing tried to direct-post")
transcript = run.stdout + run.stderr
leaks = [k for pair in tokens for k in ("access_token", "refresh_token") if pair.get(k) and pair[k] in transcript]
tap.ok(tokens and leaks == [] and "demo-client-secret" not in transcript, "no token or secret in any output",
       leaks)

tap.done()
