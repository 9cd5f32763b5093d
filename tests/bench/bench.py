#!/usr/bin/python3
# bench.py — the measurements behind build-aux/bench.sh, side by side with
# a reference on the same machine; prints one table and the raw figures.
#
#   1 upload     tiktok-drafts-cli upload vs curl PUTting the same chunks
#   2 memory     peak RSS of the CLI uploading a small and a large file
#   3 photos     ttd_image_convert_many() vs ImageMagick convert
#   4 startup    the app's first frame vs a minimal GTK 4 window (and, for
#                information, a minimal libadwaita one), under Xvfb
#   5 stall      longest main-loop stall while 35 large images are added
#                (needs a build with -Dstall_monitor=true, which bench.sh configures); as a
#                reference, the longest stall while the idle window then
#                shows one toast, which is what the renderer alone costs
#   4 and 5 run with GTK's default renderer (GL, which under Xvfb is Mesa's
#   llvmpipe) and with the cairo renderer.
#
# Run it through tests/run-in-session.sh (private D-Bus + unlocked keyring);
# build-aux/bench.sh does all of that. Exit status: 0 when every part ran
# (missed targets are reported, not errors), 1 when a part failed to run.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
from ttdtest import Emulator, browser_follow  # noqa: E402

MB = 1000 * 1000
# The CLI's chunk plan (app/core/ttd-chunk-plan.c): one chunk up to 64 MB,
# otherwise 16 MiB chunks, count = floor(size / chunk), the last one takes the rest.
SINGLE_CHUNK_MAX = 64 * MB
CHUNK = 16 * 1024 * 1024

FULL = {
    "upload_bytes": 1000 * MB, "upload_runs": 5,
    "memory_bytes": (200 * MB, 2000 * MB), "memory_runs": 3,
    "photos": 35, "photo_size": (4000, 3000), "photo_runs": 3,
    "startup_runs": 7,
    "stall_images": 35, "stall_size": (4000, 3000), "stall_runs": 3,
}
SMOKE = {
    "upload_bytes": 70 * MB, "upload_runs": 1,
    "memory_bytes": (20 * MB, 70 * MB), "memory_runs": 1,
    "photos": 3, "photo_size": (800, 600), "photo_runs": 1,
    "startup_runs": 1,
    "stall_images": 3, "stall_size": (800, 600), "stall_runs": 1,
}

TARGETS = {
    "upload": "≥ 0.95× curl",
    "rss": "≤ 48 MB",
    "rss_same": "same (±2 MB)",
    "photos": "≤ 0.5× IM seq.",
    "startup": "≤ 1.5× minimal",
    "stall": "< 50 ms",
}


def imagemagick_convert():
    """ImageMagick's own convert: Debian's /usr/bin/convert when it is there,
    so a wrapper earlier in PATH is not timed with it; $TTD_BENCH_CONVERT wins."""
    if os.environ.get("TTD_BENCH_CONVERT"):
        return os.environ["TTD_BENCH_CONVERT"]
    if os.access("/usr/bin/convert", os.X_OK):
        return "/usr/bin/convert"
    return shutil.which("convert") or "convert"


CONVERT = imagemagick_convert()


def log(text):
    print(f"bench: {text}", file=sys.stderr, flush=True)


def median(values):
    return statistics.median(values) if values else None


def plan_chunks(size):
    """(first, length) of every chunk, exactly as the CLI plans them."""
    if size <= SINGLE_CHUNK_MAX:
        return [(0, size)]
    count = size // CHUNK
    ranges = [(i * CHUNK, CHUNK) for i in range(count - 1)]
    ranges.append(((count - 1) * CHUNK, size - (count - 1) * CHUNK))
    return ranges


def cpu_ticks(pid):
    """utime + stime of a process and its children that were waited for."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return sum(int(f) for f in fields[11:15])
    except (OSError, IndexError, ValueError):
        return None


def wait_idle(pid, quiet_s=1.0, timeout=120.0, step=0.1, busy_share=0.1):
    """Waits until a process has used less than busy_share of one CPU for
    quiet_s seconds (the app's stall monitor alone costs a few percent);
    returns the monotonic time that quiet period began."""
    hz = os.sysconf("SC_CLK_TCK")
    samples = [(time.monotonic(), cpu_ticks(pid))]
    end = samples[0][0] + timeout
    while time.monotonic() < end:
        time.sleep(step)
        now, ticks = time.monotonic(), cpu_ticks(pid)
        if ticks is None:
            raise RuntimeError(f"process {pid} exited while it was watched")
        samples.append((now, ticks))
        # CPU use over the last quiet_s seconds.
        while len(samples) > 2 and samples[1][0] <= now - quiet_s:
            samples.pop(0)
        span = now - samples[0][0]
        used = (ticks - samples[0][1]) / hz
        if span >= quiet_s * 0.9 and used <= busy_share * span:
            return samples[0][0]
    raise RuntimeError(f"process {pid} did not become idle within {timeout:.0f} s")


class Bench:
    def __init__(self, args):
        self.args = args
        self.sizes = SMOKE if args.smoke else FULL
        self.build = os.path.abspath(args.build)
        self.cache = os.path.abspath(args.cache)
        os.makedirs(self.cache, exist_ok=True)
        self.cli = os.path.join(self.build, "app", "cli", "tiktok-drafts-cli")
        self.app = os.path.join(self.build, "app", "ui", "tiktok-drafts")
        self.bench_bin = os.path.join(self.build, "tests", "bench")
        self.shm = tempfile.mkdtemp(prefix="ttd-bench-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
        self.rows = []       # (metric, ours, reference, ratio, target, result)
        self.raw = {}        # name → list of figures
        self.notes = []
        self.errors = []
        self.emulator = None
        self.env = None
        self.inits_on_token = 0
        self.seen_drafts = set()
        self.client_cpus = None
        self.load_start = self.load_average()
        self.load_end = None

    # --- plumbing ---------------------------------------------------------

    def cleanup(self):
        if self.emulator is not None:
            self.emulator.stop()
        if not os.environ.get("TTD_BENCH_KEEP"):
            shutil.rmtree(self.shm, ignore_errors=True)

    def start_emulator(self):
        if self.emulator is None:
            self.emulator = Emulator(self.build, "--processing-ms", "100")
            self.env = dict(os.environ, **self.emulator.env(), LC_ALL="C.UTF-8")
            self.env.pop("G_MESSAGES_DEBUG", None)
            self.sign_in()

    def sign_in(self):
        """auth --no-browser, then play the browser: a fresh token, so a
        fresh window for TikTok's 6 inits a minute."""
        proc = subprocess.Popen([self.cli, "auth", "--no-browser", "--json"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=self.env)
        url = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            if line.startswith(self.emulator.url + "/v2/auth/authorize/"):
                url = line.strip()
                break
        if url is None:
            proc.kill()
            raise RuntimeError("tiktok-drafts-cli auth did not print the authorize URL")
        browser_follow(url)
        out, err = proc.communicate(timeout=60)
        if proc.returncode != 0:
            raise RuntimeError(f"sign-in failed: {err[-500:]}")
        self.inits_on_token = 0

    def before_init(self):
        """TikTok allows 5 pending drafts and 6 inits a minute per token."""
        self.emulator.act_on_drafts()
        if self.inits_on_token >= 5:
            self.sign_in()
        self.inits_on_token += 1

    def access_token(self):
        proc = subprocess.run(["secret-tool", "search", "--all", "--unlock",
                               "xdg:schema", "org.cofndrly.TikTokDrafts.Token"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        match = re.search(r"^secret = (.*)$", proc.stdout, re.M)
        if match is None:
            raise RuntimeError("no token in the keyring")
        return json.loads(match.group(1))["access_token"]

    def video(self, size):
        path = os.path.join(self.cache, f"playable-{size}.mp4")
        if not os.path.exists(path) or os.path.getsize(path) != size:
            log(f"generating a {size / MB:.0f} MB video in {self.cache}")
            # A playable MP4 (see ttd-bench-video.c), as a creator's would be.
            subprocess.run([os.path.join(self.bench_bin, "ttd-bench-video"), path + ".tmp", str(size)],
                           check=True)
            os.replace(path + ".tmp", path)
            # Written back now, not under the timed runs (whose fsyncs would wait for it).
            os.sync()
        return path

    def warm(self, path):
        """Reads a file once so every run reads it from the page cache."""
        with open(path, "rb") as handle:
            while handle.read(8 << 20):
                pass

    def row(self, metric, ours, reference, ratio, target, ok):
        self.rows.append((metric, ours, reference, ratio, target,
                          "—" if ok is None else ("pass" if ok else "MISS")))

    # --- 1 + 2: uploads -----------------------------------------------------

    def client_affinity(self):
        """preexec_fn for the upload clients: the CPUs the emulator is not
        pinned to (see part_upload), or None."""
        cpus = self.client_cpus
        return (lambda: os.sched_setaffinity(0, cpus)) if cpus else None

    def emulator_times(self):
        """(on CPU, waiting for a CPU) seconds of the emulator so far, from
        /proc/PID/task/*/schedstat; the rest of the wall time it was idle,
        waiting for the client."""
        on_cpu = waiting = 0
        task_dir = f"/proc/{self.emulator.proc.pid}/task"
        for task in os.listdir(task_dir):
            try:
                with open(os.path.join(task_dir, task, "schedstat")) as handle:
                    run_ns, wait_ns, _ = handle.read().split()
            except (OSError, ValueError):
                continue
            on_cpu += int(run_ns)
            waiting += int(wait_ns)
        return on_cpu / 1e9, waiting / 1e9

    def emulator_idle(self, before, wall):
        on_cpu, waiting = self.emulator_times()
        return wall - (on_cpu - before[0]) - (waiting - before[1])

    def timed_process(self, cmd, **kwargs):
        """Runs cmd under GNU time: (wall s, CPU s, peak RSS KiB, process)."""
        stats = os.path.join(self.shm, "time")
        start = time.monotonic()
        proc = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", stats, *cmd],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              preexec_fn=self.client_affinity(), **kwargs)
        seconds = time.monotonic() - start
        with open(stats) as handle:
            user, system, rss = handle.read().split()[-3:]
        return seconds, float(user) + float(system), int(rss), proc

    def forget_queue(self):
        """The CLI and the app keep a resumable queue, and `upload --no-wait`
        leaves the video in it as processing: the next upload of the same
        file would only ask TikTok for its status, and the app would show
        and poll it. Every run starts from an empty queue ($XDG_DATA_HOME is
        the private session's)."""
        data_home = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
        if os.environ.get("TTD_IN_SESSION") != "1":
            raise RuntimeError("run bench.py through tests/run-in-session.sh")
        try:
            os.unlink(os.path.join(data_home, "tiktok-drafts", "queue.json"))
        except FileNotFoundError:
            pass

    def warm_up_cli(self):
        """One untimed small upload first: in the fresh session GStreamer
        (the CLI probes videos with it) builds its plugin registry on first
        use, which a user's machine has long done."""
        if not getattr(self, "cli_warm", False):
            self.cli_warm = True
            self.cli_upload(self.video(20 * MB))

    def cli_upload(self, path):
        """One `tiktok-drafts-cli upload --no-wait`: (wall s, CPU s, peak RSS KiB)."""
        self.before_init()
        self.forget_queue()
        seconds, cpu, rss, proc = self.timed_process(
            [self.cli, "upload", "--video", path, "--json", "--no-wait"], env=self.env, timeout=1800)
        try:
            result = json.loads(proc.stdout)
        except ValueError:
            result = {}
        if proc.returncode != 0 or not result.get("ok"):
            raise RuntimeError(f"CLI upload failed ({proc.returncode}): {proc.stderr[-800:]}")
        self.check_draft(result["publish_id"], os.path.getsize(path))
        return seconds, cpu, rss

    def check_draft(self, publish_id, size):
        """Each timed upload must be a new draft that received every byte."""
        draft = self.emulator.draft(publish_id)
        if not draft or not draft.get("upload_complete") or draft.get("uploaded_bytes") != size:
            raise RuntimeError(f"the emulator did not get the whole video: {draft}")
        if publish_id in self.seen_drafts:
            raise RuntimeError(f"draft {publish_id} was reused: that run sent nothing")
        self.seen_drafts.add(publish_id)

    def split_chunks(self, path):
        """The curl side's chunk files, in tmpfs, so curl only sends."""
        size = os.path.getsize(path)
        files = []
        with open(path, "rb") as handle:
            for index, (first, length) in enumerate(plan_chunks(size)):
                name = os.path.join(self.shm, f"chunk-{index:04d}")
                handle.seek(first)
                with open(name, "wb") as out:
                    left = length
                    while left:
                        block = handle.read(min(left, 8 << 20))
                        out.write(block)
                        left -= len(block)
                files.append((name, first, length))
        return size, files

    def curl_upload(self, size, files):
        """curl does what the CLI does: init, then every chunk streamed from
        its file on one keep-alive connection (one curl process, `next`
        between the PUTs). `upload-file` streams like the CLI does
        (`data-binary @file` would first read each 16 MiB chunk into
        memory); curl appends the file name to an upload URL ending in "/",
        so `request-target` sends TikTok's path and query unchanged."""
        self.before_init()
        token = self.access_token()
        chunk = size if len(files) == 1 else CHUNK
        init_body = json.dumps({"source_info": {"source": "FILE_UPLOAD", "video_size": size,
                                                "chunk_size": chunk, "total_chunk_count": len(files)}})
        headers = os.path.join(self.shm, "init-headers")
        fd = os.open(headers, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(f"Authorization: Bearer {token}\nContent-Type: application/json; charset=UTF-8\n")
        del token
        config = os.path.join(self.shm, "put.curlrc")

        start = time.monotonic()
        init = subprocess.run(["curl", "-sS", "-X", "POST", "-H", f"@{headers}", "--data-binary", init_body,
                               self.emulator.url + "/v2/post/publish/inbox/video/init/"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              preexec_fn=self.client_affinity())
        os.unlink(headers)
        try:
            data = json.loads(init.stdout)["data"]
            upload_url = urllib.parse.urlsplit(data["upload_url"])
        except (ValueError, KeyError, TypeError):
            raise RuntimeError(f"curl init failed: {init.stdout[-300:]} {init.stderr[-300:]}") from None
        origin = f"{upload_url.scheme}://{upload_url.netloc}{upload_url.path}"
        target = f"{upload_url.path}?{upload_url.query}"
        fd = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            for index, (name, first, length) in enumerate(files):
                if index:
                    handle.write("next\n")
                handle.write(f'url = "{origin}"\n'
                             f'request-target = "{target}"\n'
                             f'upload-file = "{name}"\n'
                             f'header = "Content-Range: bytes {first}-{first + length - 1}/{size}"\n'
                             'header = "Content-Type: video/mp4"\n'
                             'header = "Expect:"\n'
                             'output = "/dev/null"\n'
                             'write-out = "%{http_code}\\n"\n'
                             'silent\nshow-error\n')
        _, cpu, _, put = self.timed_process(["curl", "-K", config])
        seconds = time.monotonic() - start
        os.unlink(config)
        codes = put.stdout.split()
        expected = ["206"] * (len(files) - 1) + ["201"]
        if put.returncode != 0 or codes != expected:
            raise RuntimeError(f"curl PUTs failed ({put.returncode}): {codes} {put.stderr[-300:]}")
        self.check_draft(data["publish_id"], size)
        return seconds, cpu

    def part_upload(self):
        """The emulator stands in for TikTok's servers, but here it shares two
        or so CPUs with the client. The headline runs pin it to CPU 0 and
        the clients to the others, as if the server were another machine;
        the same runs unpinned show what the scheduler adds (the CLI's
        threads land on the emulator's CPU and preempt it)."""
        size = self.sizes["upload_bytes"]
        path = self.video(size)
        self.start_emulator()
        self.warm_up_cli()
        self.warm(path)
        size, files = self.split_chunks(path)
        all_cpus = os.sched_getaffinity(0)
        modes = [("unpinned", None)]
        if len(all_cpus) >= 2:
            emulator_cpu = min(all_cpus)
            modes.insert(0, ("pinned", (emulator_cpu, all_cpus - {emulator_cpu})))
        runs = self.sizes["upload_runs"]
        for label, pinning in modes:
            if pinning:
                os.sched_setaffinity(self.emulator.proc.pid, {pinning[0]})
                self.client_cpus = pinning[1]
                where = f"emulator on CPU {pinning[0]}, clients on the others"
            else:
                os.sched_setaffinity(self.emulator.proc.pid, all_cpus)
                self.client_cpus = None
                where = "emulator and clients where the scheduler puts them"
            n = runs if pinning or len(modes) == 1 else max(1, (runs + 1) // 2)
            log(f"upload ({label}): {size / MB:.0f} MB in {len(files)} chunks, {n} runs each, "
                f"CLI and curl alternating; {where}")
            figures = {key: [] for key in ("ours", "ref", "ours_cpu", "ref_cpu", "ours_idle", "ref_idle", "rss")}
            try:
                for run in range(n):
                    before = self.emulator_times()
                    seconds, cpu, kib = self.cli_upload(path)
                    figures["ours_idle"].append(self.emulator_idle(before, seconds))
                    figures["ours"].append(size / MB / seconds)
                    figures["ours_cpu"].append(cpu)
                    figures["rss"].append(kib * 1024 / MB)
                    before = self.emulator_times()
                    seconds, cpu = self.curl_upload(size, files)
                    figures["ref_idle"].append(self.emulator_idle(before, seconds))
                    figures["ref"].append(size / MB / seconds)
                    figures["ref_cpu"].append(cpu)
                    log(f"  run {run + 1}: CLI {figures['ours'][-1]:.0f} MB/s ({figures['ours_cpu'][-1]:.2f} s CPU), "
                        f"curl {figures['ref'][-1]:.0f} MB/s ({figures['ref_cpu'][-1]:.2f} s CPU)")
            finally:
                os.sched_setaffinity(self.emulator.proc.pid, all_cpus)
                self.client_cpus = None
            self.raw[f"upload CLI MB/s ({label})"] = figures["ours"]
            self.raw[f"upload curl MB/s ({label})"] = figures["ref"]
            self.raw[f"upload CLI CPU s, user+sys ({label})"] = figures["ours_cpu"]
            self.raw[f"upload curl CPU s, user+sys ({label})"] = figures["ref_cpu"]
            # The emulator is the bottleneck; the time it sat idle is what a
            # client lost between chunks (and before the first one).
            self.raw[f"upload emulator idle s while the CLI sends ({label})"] = figures["ours_idle"]
            self.raw[f"upload emulator idle s while curl sends ({label})"] = figures["ref_idle"]
            self.raw[f"upload CLI peak RSS MB, {size / MB:.0f} MB ({label})"] = figures["rss"]
            stuck = sum(1 for idle in figures["ours_idle"] if idle > 2)
            if stuck:
                self.notes.append(f"upload ({label}): {stuck} of {n} CLI runs left the emulator idle for more than "
                                  "2 s (for instance the video check before sending waiting for GStreamer; "
                                  "see README, Performance)")
            o, r = median(figures["ours"]), median(figures["ref"])
            headline = label == modes[0][0]
            self.row(f"1 Upload throughput, {size / MB:.0f} MB ({label})", f"{o:.0f} MB/s", f"curl {r:.0f} MB/s",
                     f"{o / r:.2f}×", TARGETS["upload"] if headline else "—", (o / r >= 0.95) if headline else None)
            if headline:
                oc, rc = median(figures["ours_cpu"]), median(figures["ref_cpu"])
                self.row(f"1 Upload client CPU per GB ({label})", f"{oc * 1000 * MB / size:.2f} s",
                         f"curl {rc * 1000 * MB / size:.2f} s", f"{oc / rc:.2f}×", "—", None)
        for name, _, _ in files:
            os.unlink(name)

    def part_memory(self):
        self.start_emulator()
        self.warm_up_cli()
        small, large = self.sizes["memory_bytes"]
        figures = {}
        for size in (small, large):
            path = self.video(size)
            self.warm(path)
            log(f"memory: peak RSS uploading {size / MB:.0f} MB, {self.sizes['memory_runs']} runs")
            values = []
            for _ in range(self.sizes["memory_runs"]):
                _, _, kib = self.cli_upload(path)
                values.append(kib * 1024 / MB)
            self.raw[f"peak RSS {size / MB:.0f} MB upload (MB)"] = values
            figures[size] = median(values)
        for size in (small, large):
            self.row(f"2 Peak RSS, {size / MB:.0f} MB upload", f"{figures[size]:.1f} MB", "—", "—",
                     TARGETS["rss"], figures[size] <= 48)
        growth = figures[large] - figures[small]
        self.row(f"2 RSS growth {small / MB:.0f} → {large / MB:.0f} MB", f"{growth:+.1f} MB", "—", "—",
                 TARGETS["rss_same"], abs(growth) <= 2)

    # --- 3: photos ----------------------------------------------------------

    def pictures(self, count, size, tag):
        """count w×h PNGs, made once: a few plasma fractals, then rolled and
        mirrored copies (plasma is slow; every file still differs)."""
        width, height = size
        directory = os.path.join(self.cache, f"png-{tag}-{width}x{height}")
        os.makedirs(directory, exist_ok=True)
        paths = [os.path.join(directory, f"photo-{i:02d}.png") for i in range(count)]
        missing = [p for p in paths if not os.path.exists(p)]
        if missing:
            log(f"generating {len(missing)} {width}×{height} PNGs in {directory} (once)")
            bases = min(5, count)
            jobs = []
            for i, path in enumerate(paths):
                if path not in missing and i >= bases:
                    continue
                if i < bases:
                    jobs.append([CONVERT, "-size", f"{width}x{height}", "-seed", str(i + 1),
                                 "plasma:fractal", "-depth", "8", path + ".tmp.png"])
            self.run_parallel(jobs)
            for i in range(bases):
                if os.path.exists(paths[i] + ".tmp.png"):
                    os.replace(paths[i] + ".tmp.png", paths[i])
            jobs = []
            for i, path in enumerate(paths[bases:], bases):
                if os.path.exists(path):
                    continue
                flips = [[], ["-flop"], ["-flip"], ["-flip", "-flop"]][i % 4]
                jobs.append([CONVERT, paths[i % bases], "-roll", f"+{(i * 397) % width}+{(i * 211) % height}",
                             *flips, path + ".tmp.png"])
            self.run_parallel(jobs)
            for path in paths[bases:]:
                if os.path.exists(path + ".tmp.png"):
                    os.replace(path + ".tmp.png", path)
            os.sync()
        return paths

    def run_parallel(self, jobs):
        running = []
        for job in jobs:
            while len(running) >= (os.cpu_count() or 1):
                running.pop(0).wait()
            running.append(subprocess.Popen(job))
        for proc in running:
            if proc.wait() != 0:
                raise RuntimeError(f"{' '.join(proc.args)} failed")

    def part_photos(self):
        count = self.sizes["photos"]
        width, height = self.sizes["photo_size"]
        paths = self.pictures(count, (width, height), "bench")
        for path in paths:
            self.warm(path)
        out = os.path.join(self.shm, "jpeg")
        ours_exe = os.path.join(self.bench_bin, "ttd-bench-photos")
        nproc = str(os.cpu_count() or 1)
        names = "\n".join(os.path.splitext(os.path.basename(p))[0] for p in paths) + "\n"
        directory = os.path.dirname(paths[0])

        def fresh():
            shutil.rmtree(out, ignore_errors=True)
            os.makedirs(out)

        def timed(cmd, **kwargs):
            fresh()
            start = time.monotonic()
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)
            seconds = time.monotonic() - start
            if proc.returncode != 0:
                raise RuntimeError(f"{cmd[0]} failed: {proc.stderr[-500:]}")
            produced = sorted(os.listdir(out))
            if len(produced) != count:
                raise RuntimeError(f"{cmd[0]} wrote {len(produced)} of {count} JPEGs")
            return seconds, proc.stdout

        im_one = f'"{CONVERT}" "{directory}/$0.png" -resize 1440x1080 -quality 90 "{out}/$0.jpg"'
        log(f"photos: {count} {width}×{height} PNGs → ≤1080p JPEG, {self.sizes['photo_runs']} runs each "
            f"(ours, ImageMagick sequential, ImageMagick xargs -P {nproc})")
        ours, seq, par = [], [], []
        for run in range(self.sizes["photo_runs"]):
            seconds, stdout = timed([ours_exe, "--quality", "90", "--output-dir", out, *paths])
            ours.append(seconds)
            info = json.loads(stdout)
            seq.append(timed(["xargs", "-P", "1", "-n", "1", "sh", "-c", im_one], input=names)[0])
            par.append(timed(["xargs", "-P", nproc, "-n", "1", "sh", "-c", im_one], input=names)[0])
            log(f"  run {run + 1}: ours {ours[-1]:.2f} s, convert sequential {seq[-1]:.2f} s, "
                f"xargs -P {nproc} {par[-1]:.2f} s")
        expected = (1440, 1080) if (width, height) == (4000, 3000) else None
        if expected and (info["width"], info["height"]) != expected:
            raise RuntimeError(f"ours made {info['width']}×{info['height']}, not 1440×1080")
        shutil.rmtree(out, ignore_errors=True)
        self.raw["photos ours s"] = ours
        self.raw["photos convert sequential s"] = seq
        self.raw[f"photos convert xargs -P {nproc} s"] = par
        o, s, p = median(ours), median(seq), median(par)
        self.row(f"3 Photos, {count}× {width}×{height} PNG", f"{o:.2f} s", f"IM seq. {s:.2f} s",
                 f"{o / s:.2f}×", TARGETS["photos"], o / s <= 0.5)
        self.row("3 Photos (fairness)", f"{o:.2f} s", f"IM -P {nproc} {p:.2f} s", f"{o / p:.2f}×", "—", None)

    # --- 4 + 5: the app under Xvfb -----------------------------------------

    def gui_available(self):
        if getattr(self, "_gui", None) is not None:
            return self._gui
        missing = [p for p in (self.app, os.path.join(self.bench_bin, "ttd-bench-minimal"),
                               os.path.join(self.bench_bin, "ttd-bench-first-frame"))
                   if not os.access(p, os.X_OK)]
        if missing:
            self.notes.append("parts 4–5 skipped: not built: " + ", ".join(os.path.relpath(m, self.build)
                                                                         for m in missing))
        self._gui = not missing
        return self._gui

    def start_xvfb(self):
        if getattr(self, "xvfb", None) is not None:
            return
        read_fd, write_fd = os.pipe()
        self.xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1920x1080x24",
                                      "-nolisten", "tcp", "-noreset"], pass_fds=(write_fd,),
                                     stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(self.shm, "xvfb.log"), "w"))
        os.close(write_fd)
        with os.fdopen(read_fd) as handle:
            display = handle.readline().strip()
        if not display:
            raise RuntimeError("Xvfb did not start")
        self.gui_env = dict(self.env or os.environ, DISPLAY=f":{display}", GDK_BACKEND="x11",
                            GSETTINGS_SCHEMA_DIR=os.path.join(self.build, "data"),
                            GSETTINGS_BACKEND="memory", NO_AT_BRIDGE="1")
        self.gui_env.pop("WAYLAND_DISPLAY", None)
        # Services the session bus starts (the portal, AT-SPI) get the display too.
        subprocess.run(["dbus-update-activation-environment", f"DISPLAY=:{display}", "GDK_BACKEND=x11"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop_xvfb(self):
        if getattr(self, "xvfb", None) is not None:
            self.xvfb.terminate()
            self.xvfb.wait(10)
            self.xvfb = None

    def first_frame(self, title, cmd, env, wait_exit_ms=0):
        watcher = os.path.join(self.bench_bin, "ttd-bench-first-frame")
        proc = subprocess.run([watcher, "--title", title, "--timeout", "60", "--wait-exit", str(wait_exit_ms),
                               "--", *cmd],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                              timeout=120)
        if proc.returncode != 0:
            raise RuntimeError(f"first-frame watcher failed for {cmd[0]}: {proc.stderr[-800:]}")
        return json.loads(proc.stdout.strip().splitlines()[-1])

    # GTK picks its GL renderer when it can; under Xvfb that is Mesa's llvmpipe,
    # which draws on the CPU and compiles every new shader with LLVM the first
    # time it is used (a GPU driver does that in a fraction of the time and
    # keeps it in its disk cache). The cairo renderer has neither cost, so it
    # isolates what the app itself does; both are measured.
    RENDERERS = (("GL/llvmpipe", None), ("cairo", "cairo"))

    def renderer_env(self, renderer, **extra):
        env = dict(self.gui_env, **extra)
        if renderer is None:
            env.pop("GSK_RENDERER", None)
        else:
            env["GSK_RENDERER"] = renderer
        return env

    def part_startup(self):
        self.start_emulator()
        self.start_xvfb()
        minimal = [os.path.join(self.bench_bin, "ttd-bench-minimal")]
        runs = self.sizes["startup_runs"]
        for label, renderer in self.RENDERERS:
            env = self.renderer_env(renderer)
            log(f"startup ({label}): first frame under Xvfb; app, minimal GTK and minimal libadwaita "
                f"windows in turn, 1 warm-up + {runs} runs")
            ours, ref, adw, self_reported = [], [], [], []
            for run in range(runs + 1):
                self.forget_queue()
                app = self.first_frame("TikTok Drafts", [self.app], env)
                mini = self.first_frame("TTD Bench Minimal", minimal, env, wait_exit_ms=3000)
                mini_adw = self.first_frame("TTD Bench Minimal", minimal + ["--adw"], env, wait_exit_ms=3000)
                if run == 0:
                    continue
                ours.append(app["first_frame_ms"])
                ref.append(mini["first_frame_ms"])
                adw.append(mini_adw["first_frame_ms"])
                if mini.get("self_reported_ms") is not None:
                    self_reported.append(mini["self_reported_ms"])
                log(f"  run {run}: app {ours[-1]:.0f} ms, minimal {ref[-1]:.0f} ms, "
                    f"minimal libadwaita {adw[-1]:.0f} ms")
            self.raw[f"startup app ms ({label})"] = ours
            self.raw[f"startup minimal GTK ms ({label})"] = ref
            self.raw[f"startup minimal libadwaita ms ({label})"] = adw
            if self_reported:
                self.raw[f"startup minimal GTK, its own after-paint ms ({label})"] = self_reported
            o, r, a = median(ours), median(ref), median(adw)
            self.row(f"4 Start-up to first frame ({label})", f"{o:.0f} ms", f"minimal {r:.0f} ms",
                     f"{o / r:.2f}×", TARGETS["startup"], o / r <= 1.5)
            self.row(f"4 (info) vs minimal libadwaita ({label})", f"{o:.0f} ms", f"Adw {a:.0f} ms",
                     f"{o / a:.2f}×", "—", None)

    def part_stall(self):
        self.start_emulator()
        self.start_xvfb()
        count = self.sizes["stall_images"]
        paths = self.pictures(count, self.sizes["stall_size"], "bench")
        for path in paths:
            self.warm(path)
        runs = self.sizes["stall_runs"]
        for label, renderer in self.RENDERERS:
            # One untimed run first, as for start-up: the session is new, and
            # Mesa keeps the shaders it compiled in its disk cache, as on a
            # desktop that has run GTK apps before.
            log(f"stall ({label}): longest main-loop stall while {count} images are added, "
                f"1 warm-up + {runs} runs")
            self.one_stall_run(paths, renderer)
            values, durations, toasts = [], [], []
            for run in range(runs):
                stall, duration, toast = self.one_stall_run(paths, renderer)
                values.append(stall)
                durations.append(duration)
                toasts.append(toast)
                log(f"  run {run + 1}: longest stall {stall:.1f} ms; adding and thumbnailing took "
                    f"{duration:.1f} s; then one toast: {toast:.1f} ms")
            self.raw[f"stall longest ms ({label})"] = values
            self.raw[f"stall hand-over to idle s ({label})"] = durations
            self.raw[f"stall longest ms, one toast in the idle window ({label})"] = toasts
            v, t = median(values), median(toasts)
            self.row(f"5 Longest stall, adding {count} images ({label})", f"{v:.1f} ms", f"one toast {t:.1f} ms",
                     "—", TARGETS["stall"], v < 50)

    def one_stall_run(self, paths, renderer):
        """Starts the app with the stall monitor, waits until it is idle,
        hands it the pictures from a second instance (GApplication open, as
        a file manager does), waits until it is idle again; returns the
        longest stall in between (ms), how long the work took (s), and, as a
        reference for what the renderer alone costs, the longest stall while
        the idle window then shows one toast (the first picture handed over
        again: "Already in the list"; nothing is decoded or added)."""
        log_path = os.path.join(self.shm, "stall.log")
        if os.path.exists(log_path):
            os.unlink(log_path)
        env = self.renderer_env(renderer, TTD_STALL_LOG=log_path)
        self.forget_queue()
        app_log = os.path.join(self.shm, "app.log")
        with open(app_log, "w") as handle:
            app = subprocess.Popen([self.app], env=env, stdout=handle, stderr=subprocess.STDOUT)

        def app_output():
            with open(app_log, errors="replace") as handle:
                return handle.read()[-500:]

        try:
            deadline = time.monotonic() + 60
            while not os.path.exists(log_path) or os.path.getsize(log_path) == 0:
                if app.poll() is not None:
                    raise RuntimeError(f"the app exited ({app.returncode}): {app_output()}")
                if time.monotonic() > deadline:
                    raise RuntimeError("the app did not start its stall monitor: was it built "
                                       "with -Dstall_monitor=true (build-aux/bench.sh does)?")
                time.sleep(0.05)
            wait_idle(app.pid)
            start = time.monotonic()
            remote = subprocess.run([self.app, *paths], env=self.renderer_env(renderer),
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=60)
            if remote.returncode != 0:
                raise RuntimeError(f"handing the files over failed: {remote.stderr[-500:]}")
            end = wait_idle(app.pid, timeout=300)
            if app.poll() is not None:
                raise RuntimeError(f"the app exited ({app.returncode}): {app_output()}")
            toast_start = time.monotonic()
            subprocess.run([self.app, paths[0]], env=self.renderer_env(renderer),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
            toast_end = wait_idle(app.pid, timeout=60)
        finally:
            app.terminate()
            try:
                app.wait(10)
            except subprocess.TimeoutExpired:
                app.kill()
                app.wait()
        # Lines: PID MONOTONIC_US GAP_US (app/ui/ttd-stall-monitor.c); a stall
        # counts when the loop came back between the hand-over and idleness.
        longest = toast = 0.0
        with open(log_path) as handle:
            for line in handle:
                fields = line.split()
                if len(fields) == 3 and all(f.isdigit() for f in fields) and int(fields[0]) == app.pid:
                    when_us, gap_us = int(fields[1]), int(fields[2])
                    if start * 1e6 <= when_us <= end * 1e6 + 1e6:
                        longest = max(longest, gap_us / 1000)
                    elif toast_start * 1e6 <= when_us <= toast_end * 1e6 + 1e6:
                        toast = max(toast, gap_us / 1000)
        return longest, end - start, toast

    # --- report -------------------------------------------------------------

    def machine(self):
        cpu = "?"
        try:
            with open("/proc/cpuinfo") as handle:
                cpu = re.search(r"^model name\s*:\s*(.*)$", handle.read(), re.M).group(1)
        except (OSError, AttributeError):
            pass
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
        distro = "?"
        try:
            with open("/etc/os-release") as handle:
                distro = re.search(r'^PRETTY_NAME="?(.*?)"?$', handle.read(), re.M).group(1)
        except (OSError, AttributeError):
            pass
        return f"{cpu}, {os.cpu_count()} CPUs, {mem:.0f} GiB RAM, {distro}, Linux {platform.release()}"

    @staticmethod
    def load_average():
        try:
            return os.getloadavg()[0]
        except OSError:
            return None

    def report(self):
        header = ("Metric", "Ours", "Reference", "Ratio", "Target", "Result")
        rows = [header] + self.rows
        widths = [max(len(str(r[i])) for r in rows) for i in range(len(header))]
        mode = "smoke (tiny sizes; figures mean nothing)" if self.args.smoke else "full"
        print(f"\nTikTok Drafts benchmark — {mode}")
        print(f"Machine: {self.machine()}")
        busy = max(self.load_start or 0, self.load_end or 0) > 0.5 * (os.cpu_count() or 1)
        print(f"Load average (1 min) at start/end: {self.load_start or 0:.2f} / {self.load_end or 0:.2f}"
              + (" — other work was running: expect noisy figures" if busy else "") + "\n")
        for index, r in enumerate(rows):
            print("| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |")
            if index == 0:
                print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        print("\nRaw figures (median of the runs first):")
        for name, values in self.raw.items():
            print(f"  {name}: median {median(values):.2f}  runs " + ", ".join(f"{v:.2f}" for v in values))
        for note in self.notes:
            print(f"Note: {note}")
        for error in self.errors:
            print(f"ERROR: {error}")
        if self.args.json:
            with open(self.args.json, "w") as handle:
                json.dump({"mode": mode, "machine": self.machine(),
                           "load_average": [self.load_start, self.load_end], "rows": self.rows, "raw": self.raw,
                           "notes": self.notes, "errors": self.errors}, handle, indent=2, ensure_ascii=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", required=True, help="a release build directory")
    parser.add_argument("--cache", required=True, help="where generated videos and PNGs are kept")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one run each")
    parser.add_argument("--parts", default="upload,memory,photos,startup,stall")
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()

    parts = args.parts.split(",")
    unknown = set(parts) - {"upload", "memory", "photos", "startup", "stall"}
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    bench = Bench(args)
    try:
        for part in ("upload", "memory", "photos", "startup", "stall"):
            if part not in parts:
                continue
            if part in ("startup", "stall") and not bench.gui_available():
                continue
            try:
                getattr(bench, f"part_{part}")()
            except Exception as error:  # one broken part must not hide the others
                traceback.print_exc()
                bench.errors.append(f"{part}: {error}")
    finally:
        bench.stop_xvfb()
        bench.cleanup()
    bench.load_end = bench.load_average()
    bench.report()
    return 1 if bench.errors else 0


if __name__ == "__main__":
    sys.exit(main())
