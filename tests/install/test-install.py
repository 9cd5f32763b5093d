#!/usr/bin/python3
# test-install.py — the installed app works (suite "install").
#
# Configures the project afresh with --prefix in a temporary directory (tests off, plain
# build type, so it takes seconds), runs a real `meson install` into that prefix, and then
# uses ONLY the installed files:
#   - every data file sits where the desktop expects it and passes its validator;
#   - gnome.post_install compiled the schemas (a real install, no DESTDIR: meson skips the
#     post-install scripts under DESTDIR, which is why this test does not use one — and
#     LOCALEDIR, compiled in from the prefix, must point at the installed .mo files);
#   - the installed CLI runs and speaks German and Spanish (LANGUAGE=de / es);
#   - the installed app starts (resources compiled in, schemas found through
#     XDG_DATA_DIRS) and its window, read over AT-SPI, is in German.
#
# Run as: xvfb-run -a … run-in-session.sh /usr/bin/python3 test-install.py SOURCE_ROOT OUT_DIR
# (/usr/bin/python3: Debian's python3-dogtail lives there.) OUT_DIR receives
# install-de.png, a screenshot of the German window.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shutil
import subprocess
import sys
import tempfile
import time

APP_ID = "org.cofndrly.TikTokDrafts"
source_root = os.path.abspath(sys.argv[1])
out_dir = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else os.getcwd()


class Tap:
    def __init__(self):
        self.count = 0
        self.failed = 0

    def ok(self, condition, name, detail=None):
        self.count += 1
        print(f"{'ok' if condition else 'not ok'} {self.count} - {name}", flush=True)
        if not condition:
            self.failed += 1
            if detail is not None:
                self.diag(detail)
        return condition

    def diag(self, text):
        for line in str(text).splitlines()[-60:]:
            print(f"# {line}", flush=True)

    def done(self):
        print(f"1..{self.count}", flush=True)
        sys.exit(1 if self.failed else 0)


tap = Tap()
tmp = tempfile.mkdtemp(prefix="ttd-install-")
build = os.path.join(tmp, "build")
prefix = os.path.join(tmp, "prefix")
share = os.path.join(prefix, "share")
app_proc = None


def cleanup_and_finish():
    if app_proc is not None and app_proc.poll() is None:
        app_proc.terminate()
        try:
            app_proc.wait(10)
        except subprocess.TimeoutExpired:
            app_proc.kill()
    runtime_dir = os.environ.get("XDG_RUNTIME_DIR")
    if runtime_dir and os.path.ismount(os.path.join(runtime_dir, "doc")):
        subprocess.run(["fusermount", "-u", "-z", os.path.join(runtime_dir, "doc")], check=False)
    shutil.rmtree(tmp, ignore_errors=True)
    tap.done()


def run(argv, env=None, timeout=300, **kwargs):
    return subprocess.run(argv, env=env, timeout=timeout, capture_output=True, text=True, **kwargs)


# --------------------------------------------------------------- configure, build, install
# A clean environment for the inner meson: the outer `meson test` exports variables
# (MESON_*, CC flags in some CI setups) that must not leak into this build.
build_env = {k: v for k, v in os.environ.items() if not k.startswith("MESON")}
steps = [
    ["meson", "setup", build, source_root, "--prefix=" + prefix, "--buildtype=plain",
     "-Dtests=false", "-Dgui=true", "-Ddevelopment=false"],
    ["meson", "compile", "-C", build],
    ["meson", "install", "-C", build, "--no-rebuild"],
]
start = time.monotonic()
for argv in steps:
    result = run(argv, env=build_env, timeout=600)
    if not tap.ok(result.returncode == 0, " ".join(argv[:2]) + " into a temporary prefix",
                  result.stdout + result.stderr):
        cleanup_and_finish()
tap.diag(f"configure + build + install took {time.monotonic() - start:.1f} s")

# --------------------------------------------------------------- installed files
expected = {
    "bin/tiktok-drafts": "the app",
    "bin/tiktok-drafts-cli": "the CLI",
    f"share/applications/{APP_ID}.desktop": "desktop file",
    f"share/metainfo/{APP_ID}.metainfo.xml": "AppStream metainfo",
    f"share/icons/hicolor/scalable/apps/{APP_ID}.svg": "scalable icon",
    f"share/icons/hicolor/symbolic/apps/{APP_ID}-symbolic.svg": "symbolic icon",
    f"share/dbus-1/services/{APP_ID}.service": "D-Bus service",
    # The interface is named the same in the .Devel build.
    "share/dbus-1/interfaces/org.cofndrly.TikTokDrafts.Drafts1.xml": "D-Bus API interface",
    f"share/glib-2.0/schemas/{APP_ID}.gschema.xml": "GSettings schema",
    "share/glib-2.0/schemas/gschemas.compiled": "compiled schemas (gnome.post_install)",
    "share/locale/de/LC_MESSAGES/tiktok-drafts.mo": "German translation",
    "share/locale/es/LC_MESSAGES/tiktok-drafts.mo": "Spanish translation",
}
for rel, what in expected.items():
    tap.ok(os.path.isfile(os.path.join(prefix, rel)), f"{what} installed at {rel}")

service = os.path.join(share, "dbus-1", "services", f"{APP_ID}.service")
if os.path.isfile(service):
    with open(service, encoding="utf-8") as f:
        text = f.read()
    tap.ok(f"Name={APP_ID}\n" in text, "the D-Bus service is named after the app id", text)
    tap.ok(f"Exec={prefix}/bin/tiktok-drafts --gapplication-service" in text,
           "the D-Bus service starts the installed binary", text)

desktop = os.path.join(share, "applications", f"{APP_ID}.desktop")
if os.path.isfile(desktop):
    with open(desktop, encoding="utf-8") as f:
        text = f.read()
    tap.ok("DBusActivatable=true" in text and "Comment[de]=" in text and "Keywords[es]=" in text,
           "the installed desktop file is D-Bus activatable and translated")
    result = run(["desktop-file-validate", desktop])
    tap.ok(result.returncode == 0 and "error" not in result.stdout.lower(),
           "desktop-file-validate passes on the installed desktop file", result.stdout + result.stderr)

metainfo = os.path.join(share, "metainfo", f"{APP_ID}.metainfo.xml")
if os.path.isfile(metainfo):
    result = run(["appstreamcli", "validate", "--no-net", "--explain", metainfo])
    tap.ok(result.returncode == 0, "appstreamcli validate --no-net passes on the installed metainfo",
           result.stdout + result.stderr)

result = run(["glib-compile-schemas", "--strict", "--dry-run", os.path.join(share, "glib-2.0", "schemas")])
tap.ok(result.returncode == 0, "the installed schemas compile strictly", result.stderr)

# --------------------------------------------------------------- the installed CLI
cli = os.path.join(prefix, "bin", "tiktok-drafts-cli")
base_env = dict(os.environ)
for name in ("LANGUAGE", "LANG", "LC_MESSAGES", "GSETTINGS_SCHEMA_DIR"):
    base_env.pop(name, None)
base_env["LC_ALL"] = "C.UTF-8"
base_env["XDG_DATA_DIRS"] = share + ":/usr/local/share:/usr/share"


def cli_run(args, language=None, extra=None):
    env = dict(base_env)
    if language:
        env["LANGUAGE"] = language
    env.update(extra or {})
    return run([cli] + args, env=env, timeout=60)


result = cli_run(["--help"])
tap.ok(result.returncode == 0 and result.stdout.startswith("Usage: tiktok-drafts-cli"),
       "tiktok-drafts-cli --help works (English)", result.stdout + result.stderr)
result = cli_run(["--version"])
tap.ok(result.returncode == 0 and result.stdout.strip().startswith("tiktok-drafts-cli "),
       "tiktok-drafts-cli --version works", result.stdout + result.stderr)
result = cli_run(["--help"], "de")
tap.ok(result.returncode == 0 and "Aufruf: tiktok-drafts-cli BEFEHL" in result.stdout
       and "Befehle:" in result.stdout,
       "LANGUAGE=de tiktok-drafts-cli --help prints German", result.stdout + result.stderr)
result = cli_run(["upload", "--help"], "de")
tap.ok(result.returncode == 0 and "--video=PFAD" in result.stdout,
       "GOption help of a command is German too", result.stdout + result.stderr)
result = cli_run(["--help"], "es")
tap.ok(result.returncode == 0 and "Uso: tiktok-drafts-cli ORDEN" in result.stdout,
       "LANGUAGE=es tiktok-drafts-cli --help prints Spanish", result.stdout + result.stderr)
# Core messages use the library's own domain binding (gi18n-lib.h): `info` prints them.
result = cli_run(["info"], "de", {"TIKTOK_DRAFTS_CLIENT_KEY": "install-test-key",
                                  "TIKTOK_DRAFTS_API_BASE": "http://127.0.0.1:9"})
tap.ok("Angemeldet:" in result.stdout or "Angemeldet:" in result.stderr,
       "tiktok-drafts-cli info prints German labels", result.stdout + result.stderr)

# --------------------------------------------------------------- the installed app, in German
app_env = dict(base_env)
for name in ("NO_AT_BRIDGE", "GTK_A11Y", "GSETTINGS_BACKEND", "G_DEBUG"):
    app_env.pop(name, None)
app_env.update({
    "LANGUAGE": "de",
    # Credentials so the window offers "Sign in with TikTok"; nothing is contacted before a
    # click, and the loopback API base is allowed to be plain http.
    "TIKTOK_DRAFTS_CLIENT_KEY": "install-test-key",
    "TIKTOK_DRAFTS_CLIENT_SECRET": "install-test-secret",
    "TIKTOK_DRAFTS_API_BASE": "http://127.0.0.1:9",
    "TIKTOK_DRAFTS_AUTH_URL": "http://127.0.0.1:9/v2/auth/authorize/",
    # Schemas come from XDG_DATA_DIRS (the installed prefix), not GSETTINGS_SCHEMA_DIR.
    "GSETTINGS_BACKEND": "memory",
    "GSK_RENDERER": "cairo",
    "GDK_DEBUG": "vulkan-disable",
    "ADW_DISABLE_PORTAL": "1",
})
app_log = open(os.path.join(tmp, "app.log"), "w+")
app_proc = subprocess.Popen([os.path.join(prefix, "bin", "tiktok-drafts")], env=app_env,
                            stdout=app_log, stderr=subprocess.STDOUT)

# dogtail needs the desktop's accessibility switch; the session is run-in-session.sh's own.
os.environ.pop("GSETTINGS_BACKEND", None)
subprocess.run(["gsettings", "set", "org.gnome.desktop.interface", "toolkit-accessibility", "true"],
               check=False, capture_output=True)
tap_stdout, sys.stdout = sys.stdout, sys.stderr
try:
    from dogtail import config as dogtail_config
    # dogtail logs to standard output, which must stay valid TAP.
    dogtail_config.logDebugToStdOut = False
    dogtail_config.logDebugToFile = False
    dogtail_config.searchCutoffCount = 3
    dogtail_config.defaultDelay = 0.2
    # Importing dogtail prints a few notices; keep them out of the TAP stream.
    from dogtail import tree
except ImportError as error:
    sys.stdout = tap_stdout
    tap.ok(False, "dogtail is importable (apt-get install python3-dogtail)", error)
    cleanup_and_finish()
sys.stdout = tap_stdout


def wait_for(predicate, timeout, step=0.5):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        if app_proc.poll() is not None:
            break
        time.sleep(step)
    return predicate()


def find_app():
    try:
        return tree.root.application("tiktok-drafts")
    except Exception:  # noqa: BLE001 — not on the accessibility bus yet
        return None


def names(node):
    try:
        return [(n.roleName, n.name or "") for n in node.findChildren(lambda x: True, showingOnly=False)]
    except Exception:  # noqa: BLE001 — the tree changed while walking it
        return []


ttd = wait_for(find_app, timeout=60)
if not tap.ok(ttd is not None, "the installed app starts and appears on the accessibility bus"):
    app_log.seek(0)
    tap.diag(app_log.read()[-4000:])
    cleanup_and_finish()

# The D-Bus API's introspection data is compiled into the installed binary.
introspected = subprocess.run(["gdbus", "introspect", "--session", "--dest", APP_ID,
                               "--object-path", "/org/cofndrly/TikTokDrafts"],
                              capture_output=True, text=True, timeout=30)
tap.ok(introspected.returncode == 0 and "interface org.cofndrly.TikTokDrafts.Drafts1" in introspected.stdout,
       "the installed app offers the D-Bus API", introspected.stdout + introspected.stderr)

german = wait_for(lambda: any(role == "push button" and name == "Mit TikTok anmelden"
                              for role, name in names(ttd)), timeout=30)
tap.ok(german, "the window offers „Mit TikTok anmelden“ (German UI from the installed .mo)",
       "\n".join(f"{r}: {n}" for r, n in names(ttd) if n))
all_names = [n for _, n in names(ttd)]
tap.ok("Sign in with TikTok" not in all_names,
       "no English sign-in button is left in the German window")
tap.ok(any(n == "Hauptmenü" for n in all_names),
       "a .ui accessibility label is German too („Hauptmenü“)")

try:
    os.makedirs(out_dir, exist_ok=True)
    subprocess.run(["import", "-window", "root", os.path.join(out_dir, "install-de.png")],
                   timeout=30, check=False, capture_output=True)
except Exception as error:  # noqa: BLE001
    tap.diag(f"no screenshot: {error}")

app_proc.terminate()
try:
    app_proc.wait(10)
except subprocess.TimeoutExpired:
    app_proc.kill()
app_log.seek(0)
log = app_log.read()
tap.ok("CRITICAL" not in log and "Gtk-WARNING" not in log,
       "the installed app logged no criticals or GTK warnings", log[-4000:])

cleanup_and_finish()
