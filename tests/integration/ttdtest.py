# ttdtest.py — small shared helpers for the integration and e2e tests:
# TAP output, the emulator process, a browser that follows redirects.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request


class Tap:
    """Minimal TAP producer; a failing check does not stop the run."""

    def __init__(self):
        self.count = 0
        self.failed = 0

    def ok(self, condition, name, detail=None):
        self.count += 1
        if condition:
            print(f"ok {self.count} - {name}", flush=True)
        else:
            self.failed += 1
            print(f"not ok {self.count} - {name}", flush=True)
            if detail is not None:
                for line in str(detail).splitlines()[:40]:
                    print(f"# {line}", flush=True)
        return condition

    def eq(self, got, expected, name):
        return self.ok(got == expected, name, f"got {got!r}, expected {expected!r}")

    def diag(self, text):
        for line in str(text).splitlines():
            print(f"# {line}", flush=True)

    def done(self):
        print(f"1..{self.count}", flush=True)
        sys.exit(1 if self.failed else 0)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_no_redirect = urllib.request.build_opener(NoRedirect)


def http(method, url, body=None, headers=None, follow=True, timeout=30):
    """Returns (status, headers, body bytes); never raises on HTTP errors."""
    data = body
    if isinstance(body, (dict, list)):
        data = json.dumps(body).encode()
        headers = dict(headers or {}, **{"Content-Type": "application/json"})
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    opener = urllib.request.build_opener() if follow else _no_redirect
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def browser_follow(url, max_hops=5):
    """Follows redirects one by one like a browser; returns the hops."""
    hops = []
    for _ in range(max_hops):
        status, headers, body = http("GET", url, follow=False)
        hops.append((url, status, headers, body))
        if status in (301, 302, 303, 307, 308) and headers.get("Location"):
            url = urllib.parse.urljoin(url, headers["Location"])
            continue
        break
    return hops


def cli_sign_in(cli, env, emulator_url, timeout=60):
    """`cli auth --no-browser --json`, then acts as the browser: follows the
    authorize redirect to the loopback listener. Returns (process with
    .stdout/.stderr filled in, the authorize URL or None, the hops)."""
    proc = subprocess.Popen([cli, "auth", "--no-browser", "--json"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    url = None
    err_lines = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        err_lines.append(line)
        if line.startswith(emulator_url + "/v2/auth/authorize/"):
            url = line.strip()
            break
    hops = browser_follow(url) if url else []
    out, err = proc.communicate(timeout=timeout)
    proc.stdout, proc.stderr = out, "".join(err_lines) + err
    return proc, url, hops


def stored_tokens():
    """The token pairs in the keyring, as the JSON objects stored there."""
    proc = subprocess.run(["secret-tool", "search", "--all", "--unlock",
                           "xdg:schema", "org.cofndrly.TikTokDrafts.Token"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    secrets = [line.split(" = ", 1)[1] for line in proc.stdout.splitlines()
               if line.startswith("secret = ")]
    return [json.loads(secret) for secret in secrets]


class Emulator:
    def __init__(self, build_dir, *extra):
        exe = os.environ.get("TTD_EMULATOR") or os.path.join(build_dir, "tests", "emulator",
                                                             "tiktok-drafts-emulator")
        self.log = tempfile.NamedTemporaryFile("w+", prefix="emulator-", suffix=".log", delete=False)
        self.proc = subprocess.Popen([exe, "--port", "0", *extra], stdout=subprocess.PIPE,
                                     stderr=self.log, text=True)
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"emulator did not start: {self.url!r}")

    def env(self):
        return {
            "TIKTOK_DRAFTS_CLIENT_KEY": "demo-client-key",
            "TIKTOK_DRAFTS_CLIENT_SECRET": "demo-client-secret",
            "TIKTOK_DRAFTS_API_BASE": self.url,
            "TIKTOK_DRAFTS_AUTH_URL": self.url + "/v2/auth/authorize/",
        }

    def state(self):
        status, _, body = http("GET", self.url + "/_emulator/state")
        assert status == 200, body
        return json.loads(body)

    def fault(self, name):
        status, _, body = http("POST", self.url + "/_emulator/fault", {"fault": name})
        assert status == 200, body

    def act_on_drafts(self):
        http("POST", self.url + "/_emulator/act-on-drafts", b"")

    def draft(self, publish_id):
        for draft in self.state()["drafts"]:
            if draft["publish_id"] == publish_id:
                return draft
        return None

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def make_video(path, size, seed=0):
    """Writes an MP4-looking file (ISO BMFF `ftyp` box, then pseudo-random
    bytes) of exactly `size` bytes, quickly and deterministically."""
    header = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"
    block = hashlib.sha256(str(seed).encode()).digest() * 32768  # 1 MiB
    with open(path, "wb") as handle:
        handle.write(header)
        left = size - len(header)
        while left > 0:
            piece = block[: min(left, len(block))]
            handle.write(piece)
            left -= len(piece)
    return path


def wait_for(predicate, timeout=10.0, step=0.1):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def free_port():
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NginxDav:
    """A real WebDAV-capable photo host: Debian's nginx with its dav module,
    on loopback, in a temporary prefix; `/upload/` takes PUT and DELETE
    (optionally behind basic auth), `/public/` serves the same files."""

    def __init__(self, username=None, password=None):
        self.dir = tempfile.mkdtemp(prefix="ttd-nginx-")
        os.chmod(self.dir, 0o755)
        self.www = os.path.join(self.dir, "www")
        for sub in ("www", "tmp"):
            os.makedirs(os.path.join(self.dir, sub))
            os.chmod(os.path.join(self.dir, sub), 0o777)
        self.port = free_port()
        auth = ""
        if username:
            with open(os.path.join(self.dir, "htpasswd"), "w") as handle:
                handle.write(f"{username}:{{PLAIN}}{password}\n")
            os.chmod(os.path.join(self.dir, "htpasswd"), 0o644)
            auth = f'auth_basic "photos"; auth_basic_user_file {self.dir}/htpasswd;'
        conf = f"""
worker_processes 1;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log {self.dir}/access.log;
  client_body_temp_path {self.dir}/tmp;
  proxy_temp_path {self.dir}/tmp;
  fastcgi_temp_path {self.dir}/tmp;
  uwsgi_temp_path {self.dir}/tmp;
  scgi_temp_path {self.dir}/tmp;
  types {{ image/jpeg jpg; }}
  server {{
    listen 127.0.0.1:{self.port};
    client_max_body_size 64m;
    location /upload/ {{
      alias {self.www}/;
      dav_methods PUT DELETE;
      create_full_put_path on;
      dav_access user:rw group:r all:r;
      {auth}
    }}
    location /public/ {{ alias {self.www}/; }}
    location /moved/ {{ return 302 /public/; }}
  }}
}}
"""
        self.conf = os.path.join(self.dir, "nginx.conf")
        with open(self.conf, "w") as handle:
            handle.write(conf)
        self.proc = subprocess.Popen(["nginx", "-c", self.conf, "-p", self.dir, "-g", "daemon off;"],
                                     stderr=subprocess.DEVNULL)
        import socket
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        self.upload_url = f"http://127.0.0.1:{self.port}/upload/"
        self.public_url = f"http://127.0.0.1:{self.port}/public/"

    def files(self):
        return sorted(os.listdir(self.www))

    def requests(self, method):
        try:
            with open(os.path.join(self.dir, "access.log")) as handle:
                return [line for line in handle if f'"{method} ' in line]
        except OSError:
            return []

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class S3Server:
    """A strict S3-compatible photo host (tests/s3/ttd-s3-server.py): AWS's
    own SDK checks every signature; `/_public/BUCKET/` serves the objects
    without credentials, as a bucket's public address does."""

    SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "s3", "ttd-s3-server.py")

    def __init__(self, access_key_id="AKIDTTDTEST0000001", secret_access_key="ttd+test/secret-key-0123456789",
                 buckets=("photos",), session_token=None):
        self.access_key_id = access_key_id
        self.secret_access_key = secret_access_key
        args = ["/usr/bin/python3", self.SCRIPT, "--access-key-id", access_key_id,
                "--secret-access-key", secret_access_key]
        for bucket in buckets:
            args += ["--bucket", bucket]
        if session_token:
            args += ["--session-token", session_token]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().split()
        if len(line) != 2 or line[0] != "PORT":
            raise RuntimeError("the S3 test server did not start")
        self.port = int(line[1])
        self.url = f"http://127.0.0.1:{self.port}"

    def public_url(self, bucket="photos"):
        return f"{self.url}/_public/{bucket}/"

    def _admin(self, method, what):
        status, _, body = http(method, f"{self.url}/_admin/{what}", body=b"" if method == "POST" else None)
        if status != 200:
            raise RuntimeError(f"S3 admin {what}: HTTP {status}")
        return json.loads(body)

    def objects(self):
        return self._admin("GET", "objects")

    def requests(self):
        return self._admin("GET", "requests")

    def set_clock_offset(self, seconds):
        self._admin("POST", f"clock?offset={int(seconds)}")

    def reset_requests(self):
        self._admin("POST", "reset-requests")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class CliRunner:
    """Runs tiktok-drafts-cli with a fixed environment and keeps every
    output, so a test can check at the end that no secret was printed."""

    def __init__(self, cli, env):
        self.cli, self.env, self.outputs = cli, env, []

    def run(self, *args, extra_env=None, timeout=300):
        proc = subprocess.run([self.cli, *args], capture_output=True, text=True, timeout=timeout,
                              env=dict(self.env, **(extra_env or {})))
        self.outputs.append(proc.stdout + proc.stderr)
        return proc

    def json(self, *args, **kwargs):
        """Returns (process, the parsed --json output or None)."""
        proc = self.run(*args, "--json", **kwargs)
        try:
            return proc, json.loads(proc.stdout)
        except ValueError:
            return proc, None
