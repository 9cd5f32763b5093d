#!/usr/bin/python3
# test-mcp.py — `tiktok-drafts-cli mcp`, the Model Context Protocol server,
# driven by a plain JSON-RPC client over its stdin and stdout, against the
# TikTok emulator, a real nginx WebDAV photo host and a real keyring.
# Run through run-in-session.sh.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import atexit
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ttdtest import (Emulator, NginxDav, Tap, cli_sign_in, http, make_video, sha256_file,  # noqa: E402
                     stored_tokens)

BUILD = os.environ.get("MESON_BUILD_ROOT") or sys.argv[1]
CLI = os.path.join(BUILD, "app", "cli", "tiktok-drafts-cli")
TOOLS = {"send_video", "send_slideshow", "draft_status", "list_queue", "list_accounts"}

tap = Tap()
work = tempfile.mkdtemp(prefix="ttd-mcp-")
host = NginxDav()
atexit.register(host.stop)
emulator = Emulator(BUILD, "--processing-ms", "300", "--verified-prefix", host.public_url)
atexit.register(emulator.stop)
env = dict(os.environ, **emulator.env(),
           TIKTOK_DRAFTS_PHOTO_UPLOAD_URL=host.upload_url,
           TIKTOK_DRAFTS_PHOTO_PUBLIC_URL=host.public_url,
           G_MESSAGES_DEBUG="all", LC_ALL="C.UTF-8")
outputs = []   # everything any process printed, checked for secrets at the end


class McpServer:
    """`tiktok-drafts-cli mcp` with a reader thread, so that no answer the
    server fails to give can hang the test."""

    def __init__(self, wrapper=(), server_env=None):
        self.stderr = tempfile.TemporaryFile("w+")
        self.proc = subprocess.Popen([*wrapper, CLI, "mcp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr, env=server_env or env, cwd=work)
        self.lines = []          # every line of stdout, as bytes
        self.messages = queue.Queue()
        self.ended = False       # the server closed its stdout
        self.next_id = 1
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)
            try:
                self.messages.put(json.loads(line))
            except ValueError:
                self.messages.put({"unparsable": line})
        self.messages.put(None)

    def write(self, data):
        try:
            self.proc.stdin.write(data if isinstance(data, bytes) else (json.dumps(data) + "\n").encode())
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass   # the server is gone: every answer the test waits for is then missing

    def receive(self, timeout=30):
        if self.ended:
            return None
        try:
            message = self.messages.get(timeout=timeout)
        except queue.Empty:
            return None
        self.ended = message is None
        return message

    def request(self, method, params=None, timeout=120):
        """Returns (the response or None, the notifications before it)."""
        rid = self.next_id
        self.next_id += 1
        message = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            message["params"] = params
        self.write(message)
        notes = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reply = self.receive(max(0.1, deadline - time.monotonic()))
            if reply is None:
                return None, notes
            if "id" in reply and reply["id"] == rid:
                return reply, notes
            notes.append(reply)
        return None, notes

    def call(self, name, arguments=None, meta=None, timeout=120):
        """tools/call; returns (result or None, the whole response, notifications)."""
        params = {"name": name}
        if arguments is not None:
            params["arguments"] = arguments
        if meta is not None:
            params["_meta"] = meta
        reply, notes = self.request("tools/call", params, timeout)
        return (reply or {}).get("result"), reply, notes

    def stop(self):
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        try:
            code = self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = None
        self.stderr.seek(0)
        err = self.stderr.read()
        outputs.append(b"".join(self.lines).decode(errors="replace") + err)
        return code, err


def text_of(result):
    return "".join(c.get("text", "") for c in (result or {}).get("content", []))


def tool_error(result, fragment, name):
    tap.ok(result is not None and result.get("isError") is True and fragment in text_of(result),
           name, json.dumps(result))


def rpc_error(reply, code, name):
    tap.ok(reply is not None and "result" not in reply and reply.get("error", {}).get("code") == code
           and isinstance(reply["error"].get("message"), str) and reply["error"]["message"],
           name, json.dumps(reply))


server = McpServer()

# --- initialize and tools/list ----------------------------------------------
reply, _ = server.request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                         "clientInfo": {"name": "test-mcp", "version": "1"}})
result = (reply or {}).get("result", {})
tap.eq(result.get("protocolVersion"), "2025-06-18", "initialize answers protocol 2025-06-18")
tap.eq(result.get("capabilities"), {"tools": {}}, "the server offers tools")
tap.eq((result.get("serverInfo") or {}).get("name"), "tiktok-drafts", "serverInfo names tiktok-drafts")
tap.ok(isinstance((result.get("serverInfo") or {}).get("version"), str), "serverInfo has a version")
server.write({"jsonrpc": "2.0", "method": "notifications/initialized"})

reply, _ = server.request("initialize", {"protocolVersion": "1999-01-01"})
tap.eq((reply or {}).get("result", {}).get("protocolVersion"), "2025-06-18",
       "a version the server does not speak is answered with its own")

reply, notes = server.request("ping")
tap.ok(reply is not None and reply.get("result") == {} and notes == [],
       "ping answers {}, and notifications/initialized got no answer", json.dumps([reply, notes]))

reply, _ = server.request("tools/list")
listed = {t.get("name"): t for t in (reply or {}).get("result", {}).get("tools", [])}
tap.eq(set(listed), TOOLS, "tools/list lists the five tools")
tap.ok(all(t.get("inputSchema", {}).get("type") == "object" and isinstance(t.get("description"), str)
           for t in listed.values()), "each tool has a description and an object inputSchema")
tap.eq(listed.get("send_video", {}).get("inputSchema", {}).get("required"), ["path"],
       "send_video requires path")
tap.eq(sorted(listed.get("send_slideshow", {}).get("inputSchema", {}).get("properties", {})),
       ["account", "cover", "description", "paths", "title"], "send_slideshow's arguments")

# --- signed out ------------------------------------------------------------
result, _, _ = server.call("list_accounts", {})
tap.ok(result is not None and not result.get("isError") and result.get("structuredContent") == {"accounts": []},
       "list_accounts: nobody is signed in yet", json.dumps(result))
video = make_video(os.path.join(work, "clip.mp4"), 3 * 1024 * 1024 + 17, seed=1)
result, _, _ = server.call("send_video", {"path": video})
tool_error(result, "not signed in", "send_video while signed out is a tool error saying so")

# --- sign in (while the server runs; it notices) ----------------------------
proc, url, hops = cli_sign_in(CLI, env, emulator.url)
outputs.append(proc.stdout + proc.stderr)
tap.eq(proc.returncode, 0, "signed in through the emulator")
state = emulator.state()
seen_tokens = stored_tokens()
tap.eq(len(seen_tokens), 1, "the sign-in is in the keyring")

result, _, _ = server.call("list_accounts")
accounts = (result or {}).get("structuredContent", {}).get("accounts")
tap.eq(accounts, [{"open_id": state["open_id"], "display_name": state["display_name"], "default": True}],
       "list_accounts: the signed-in account, its display name, the default")
tap.eq(json.loads(text_of(result) or "{}").get("accounts"), accounts, "list_accounts' text is the same JSON")

# --- send_video, with progress ---------------------------------------------
result, reply, notes = server.call("send_video", {"path": video}, meta={"progressToken": "p1"})
sent = (result or {}).get("structuredContent", {})
publish_id = sent.get("publish_id")
tap.ok(result is not None and result.get("isError") is False and publish_id, "send_video sends the video",
       json.dumps(reply))
tap.ok(publish_id and publish_id in text_of(result) and sent.get("item_id") in text_of(result)
       and "SEND_TO_USER_INBOX" in text_of(result), "its text gives the publish ID, queue item and status",
       text_of(result))
draft = emulator.draft(publish_id) if publish_id else None
tap.ok(draft is not None and draft["kind"] == "video" and draft["status"] == "SEND_TO_USER_INBOX"
       and draft["sha256"] == sha256_file(video), "the video is in the emulator's inbox, byte for byte",
       json.dumps(draft))
progress = [n for n in notes if n.get("method") == "notifications/progress"]
values = [n["params"].get("progress") for n in progress]
tap.ok(progress and all(n["params"].get("progressToken") == "p1" for n in progress)
       and values == sorted(set(values)) and len(notes) == len(progress),
       "progress notifications came first, for the token, increasing", json.dumps(notes)[:2000])

result, _, _ = server.call("draft_status", {"publish_id": publish_id})
tap.ok(result is not None and result.get("isError") is False
       and result.get("structuredContent", {}).get("status") == "SEND_TO_USER_INBOX"
       and "inbox" in text_of(result), "draft_status says the draft is in the inbox", json.dumps(result))

result, _, _ = server.call("list_queue", {})
tap.ok(result is not None and result.get("isError") is False
       and result.get("structuredContent", {}).get("items") == []
       and json.loads(text_of(result)) == {"items": []}, "list_queue: the delivered video left the queue",
       json.dumps(result))

# The account argument: open_id and display name select the account.
emulator.act_on_drafts()
for which in (state["open_id"], state["display_name"]):
    other = make_video(os.path.join(work, f"clip-{len(which)}.mp4"), 1024 * 1024, seed=len(which))
    result, _, _ = server.call("send_video", {"path": other, "account": which})
    pid = (result or {}).get("structuredContent", {}).get("publish_id")
    tap.ok(result is not None and result.get("isError") is False and emulator.draft(pid or "") is not None,
           f"send_video with account “{which}” sends", json.dumps(result))
result, _, _ = server.call("send_video", {"path": video, "account": "somebody-else"})
tool_error(result, "No TikTok account called “somebody-else” is signed in", "an unknown account is a tool error")
emulator.act_on_drafts()

# A second account, added with the CLI while the server runs: listed, and
# a send that names it lands in its inbox only.
status, _, body = http("POST", emulator.url + "/_emulator/user", {"display_name": "Brand Studio"})
brand = json.loads(body)["open_id"]
proc, _, _ = cli_sign_in(CLI, env, emulator.url)
outputs.append(proc.stdout + proc.stderr)
result, _, _ = server.call("list_accounts")
listed = (result or {}).get("structuredContent", {}).get("accounts") or []
tap.eq(sorted((a["open_id"], a["display_name"], a["default"]) for a in listed),
       sorted([(state["open_id"], state["display_name"], False), (brand, "Brand Studio", True)]),
       "list_accounts: both accounts, the one added last the default")
for_brand = make_video(os.path.join(work, "for-brand.mp4"), 900 * 1024, seed=77)
result, _, _ = server.call("send_video", {"path": for_brand, "account": state["display_name"]})
pid = (result or {}).get("structuredContent", {}).get("publish_id")
draft = emulator.draft(pid or "")
tap.ok(draft is not None and draft["open_id"] == state["open_id"],
       "send_video naming the first account sends to it, not to the default", json.dumps(draft))
result, _, _ = server.call("send_video", {"path": for_brand})
pid = (result or {}).get("structuredContent", {}).get("publish_id")
draft = emulator.draft(pid or "")
tap.ok(draft is not None and draft["open_id"] == brand, "send_video without account sends to the default",
       json.dumps(draft))
proc = subprocess.run([CLI, "logout", "--account", "Brand Studio"], capture_output=True, text=True, env=env)
outputs.append(proc.stdout + proc.stderr)
emulator.act_on_drafts()

# --- send_slideshow --------------------------------------------------------
photos = []
for i, colour in enumerate(("orange", "teal")):
    path = os.path.join(work, f"photo-{i}.png")
    subprocess.run(["convert", "-size", "640x480", f"xc:{colour}", path], check=True)
    photos.append(path)
result, reply, _ = server.call("send_slideshow", {"paths": photos, "title": "Two colours",
                                                  "description": "#mcp test", "cover": 1})
slide_id = (result or {}).get("structuredContent", {}).get("publish_id")
draft = emulator.draft(slide_id) if slide_id else None
tap.ok(result is not None and result.get("isError") is False and draft is not None, "send_slideshow sends",
       json.dumps(reply))
tap.ok(draft is not None and draft["kind"] == "photo" and len(draft["photo_urls"]) == 2
       and draft["title"] == "Two colours" and draft["description"] == "#mcp test"
       and draft["photo_cover_index"] == 1, "the slideshow's photos, title, description and cover arrived",
       json.dumps(draft))
tap.eq(host.files(), [], "the hosted copies were deleted afterwards")

# --- started as MCP clients start servers ------------------------------------
# The SDK passes on HOME, LOGNAME, PATH, SHELL, TERM and USER only: no D-Bus
# address. The server then finds the session bus where systemd puts it,
# /run/user/UID/bus, which a private mount namespace provides here.
bus = os.environ.get("DBUS_SESSION_BUS_ADDRESS", "")
socket_path = dict(p.split("=", 1) for p in bus[len("unix:"):].split(",") if "=" in p).get("path")
runtime = f"/run/user/{os.getuid()}"
wrapper = ["bwrap", "--dev-bind", "/", "/", "--tmpfs", "/run/user", "--dir", runtime,
           "--bind", socket_path or "/nonexistent", f"{runtime}/bus", "--"]
if not socket_path or subprocess.run([*wrapper, "true"], capture_output=True).returncode != 0:
    tap.diag("bwrap cannot run here, or the session bus is not a socket path: "
             "not trying a server started with a minimal environment")
else:
    # Plus the client's configuration and what the test run itself sets (sanitizers, GLib).
    minimal = {k: v for k, v in env.items()
               if k in ("HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER", "G_SLICE", "G_DEBUG",
                        "G_MESSAGES_DEBUG", "GIO_USE_PROXY_RESOLVER", "GIO_USE_VFS", "LC_ALL")
               or k.startswith(("TIKTOK_DRAFTS_", "ASAN_", "UBSAN_", "LSAN_"))}
    plain = McpServer(wrapper, minimal)
    plain.request("initialize", {"protocolVersion": "2025-06-18"})
    result, _, _ = plain.call("list_accounts")
    tap.eq((result or {}).get("structuredContent", {}).get("accounts", [{}])[0].get("open_id"), state["open_id"],
           "started with the SDK's minimal environment, the server still finds the keyring's sign-in")
    plain.stop()

# --- bad arguments ---------------------------------------------------------
notvideo = os.path.join(work, "notes.mp4")
with open(notvideo, "w") as handle:
    handle.write("just some text, not a video\n" * 20)
before = emulator.state()["counts"]
bad_calls = [
    ("send_video", {}, "needs the argument “path”", "send_video without path"),
    ("send_video", {"path": 42}, "must be a string", "send_video with a number for path"),
    ("send_video", {"path": video, "colour": "red"}, "has no argument “colour”", "an unknown argument"),
    ("send_video", {"path": os.path.join(work, "missing.mp4")}, "does not exist", "a file that is not there"),
    ("send_video", {"path": notvideo}, "is not a video", "a file that is not a video"),
    ("send_video", {"path": work}, "not a regular file", "a folder"),
    ("send_video", {"path": emulator.url + "/clip.mp4"}, "not a file on this computer", "an http address"),
    ("send_slideshow", {"paths": [photos[0], "sftp://host/b.png"], "title": "", "description": ""},
     "not a file on this computer", "a photo elsewhere"),
    ("send_slideshow", {"paths": photos[0], "title": "", "description": ""}, "must be a list",
     "send_slideshow with a string for paths"),
    ("send_slideshow", {"paths": photos, "title": "", "description": "", "cover": -1}, "whole number",
     "a negative cover"),
    ("send_slideshow", {"paths": photos, "title": "", "description": "", "cover": 1.5}, "whole number",
     "a fractional cover"),
    ("send_slideshow", {"paths": photos, "title": "", "description": "", "cover": 7}, "cover must be",
     "a cover beyond the photos"),
    ("send_slideshow", {"paths": [], "title": "", "description": ""}, "at least one photo", "no photos"),
    ("send_slideshow", {"paths": photos, "title": "x" * 91, "description": ""}, "at most 90",
     "a title that is too long"),
    ("send_slideshow", {"paths": [os.path.join(work, "gone.png")], "title": "", "description": ""},
     "does not exist", "a photo that is not there"),
    ("send_slideshow", {"paths": photos}, "needs the argument “title”", "send_slideshow without a title"),
    ("draft_status", {}, "needs the argument “publish_id”", "draft_status without publish_id"),
    ("draft_status", {"publish_id": ["v_inbox_file~1"]}, "must be a string", "draft_status with a list"),
    ("draft_status", {"publish_id": "v_inbox_file~does-not-exist"}, "", "draft_status of an unknown draft"),
    ("list_queue", {"all": True}, "takes no arguments", "list_queue with an argument"),
]
for name, arguments, fragment, what in bad_calls:
    result, _, _ = server.call(name, arguments)
    tool_error(result, fragment, f"{what}: a tool error")
after = emulator.state()["counts"]
tap.eq({k: after[k] - before[k] for k in ("video_inits", "content_inits", "puts") if after[k] != before[k]}, {},
       "none of them asked TikTok for an upload")
result, _, _ = server.call("list_queue")
tap.eq((result or {}).get("structuredContent", {}).get("items"), [], "and none of them left anything queued")

reply, _ = server.request("tools/call", {"name": "post_now", "arguments": {}})
rpc_error(reply, -32602, "an unknown tool is JSON-RPC error -32602")
reply, _ = server.request("tools/call", {"name": "send_video", "arguments": ["clip.mp4"]})
rpc_error(reply, -32602, "arguments that are not an object: -32602")
reply, _ = server.request("tools/call", {})
rpc_error(reply, -32602, "tools/call without a name: -32602")
reply, _ = server.request("tools/call", [1, 2])
rpc_error(reply, -32602, "params that are not an object: -32602")
reply, _ = server.request("resources/list")
rpc_error(reply, -32601, "an unknown method is -32601")

raw = [   # what the server reads, the error code, the id it can tell, what it is
    (b"this is not json\n", -32700, None, "text that is not JSON"),
    (b'{"jsonrpc":"2.0","id":77,"method":"ping"\n', -32700, None, "cut-off JSON"),
    (b'{"jsonrpc":"2.0","id":78,"method":"\xff\xfe"}\n', -32700, None, "bytes that are not UTF-8"),
    (b"[" * 100000 + b"\n", -32700, None, "JSON nested 100000 deep"),
    (b'{"jsonrpc":"2.0","id":79,"method":"' + b"x" * (6 * 1024 * 1024) + b'"}\n', -32700, None,
     "a 6 MB message"),
    (b'[{"jsonrpc":"2.0","id":80,"method":"ping"}]\n', -32600, None, "a batch"),
    (b'{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}\n', -32600, None, "an id that is an object"),
    (b'{"jsonrpc":"1.0","id":81,"method":"ping"}\n', -32600, 81, "another JSON-RPC version"),
    (b'{"jsonrpc":"2.0","id":"x-82"}\n', -32600, "x-82", "a request without a method"),
]
for data, code, rid, what in raw:
    server.write(data)
    reply = server.receive(30)
    rpc_error(reply, code, f"{what}: error {code}")
    tap.ok(reply is not None and reply.get("id") == rid, f"{what}: answered with id {json.dumps(rid)}")

server.write({"jsonrpc": "2.0", "method": "notifications/whatever", "params": {"x": 1}})
server.write({"jsonrpc": "2.0", "id": 5000, "result": {}})
reply, notes = server.request("ping")
tap.ok(reply is not None and reply.get("result") == {} and notes == [],
       "an unknown notification and a stray response get no answer; the server still answers",
       json.dumps([reply, notes]))

# --- the end of input ends the server, cleanly -----------------------------
code, err = server.stop()
tap.eq(code, 0, "the server exits 0 when its input ends")
tap.ok(all(line.endswith(b"\n") and json.loads(line).get("jsonrpc") == "2.0" for line in server.lines),
       "every line on stdout is a JSON-RPC 2.0 message", b"".join(server.lines)[:2000])
tap.ok("ttd-cli-DEBUG" in err or "MCP:" in err, "the debug log went to stderr", err[-1000:])

# Signed out: the tools that need an account say so, once more, in a new server.
seen_tokens += stored_tokens()
subprocess.run([CLI, "logout"], env=env, capture_output=True, timeout=60)
server = McpServer()
server.request("initialize", {"protocolVersion": "2025-06-18"})
result, _, _ = server.call("draft_status", {"publish_id": publish_id})
tool_error(result, "not signed in", "after logout, draft_status says to sign in")
server.stop()

# --- nothing posted directly, no secret printed ----------------------------
state = emulator.state()
tap.eq(state["direct_post_attempts"], [], "nothing tried to direct-post")
tap.eq([r for r in state["requests"] if "/post/publish/video/init" in r["path"]], [],
       "no request went to the direct-post endpoint")
secrets = {"client secret": "demo-client-secret"}
for i, pair in enumerate(seen_tokens):
    secrets[f"access token {i}"] = pair.get("access_token")
    secrets[f"refresh token {i}"] = pair.get("refresh_token")
tap.eq(stored_tokens(), [], "the logout left no token in the keyring")
transcript = "\n".join(outputs)
leaks = [name for name, value in secrets.items() if value and value in transcript]
tap.ok(len(secrets) >= 5 and leaks == [], "no token or secret in any output, even with G_MESSAGES_DEBUG=all",
       leaks)

tap.done()
