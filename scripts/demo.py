"""`make demo`: migrate, seed a demo rep, and run the app, the Zoom sandbox and a worker together.

Needs no PostgreSQL, Redis or internet: SQLite files (the database, the embedded Celery broker)
under var/.
Ports: PORT (the app, 8000) and SANDBOX_PORT (the Zoom sandbox, 9100). The logins are printed once
every process answers. If one stops, the demo says which and why, stops the others and exits
non-zero. Ctrl-C stops everything.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

# Run as a script, so this folder is on sys.path: the tests launch the sandbox the same way.
from launchers import serve_command, stop_process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from integrations.zoom.api.scopes import ACCOUNT_GRANULAR_SCOPES  # noqa: E402 - pure constants

PY = sys.executable
VAR = Path(os.environ.get("DJANGO_VAR_DIR") or ROOT / "var")
START_TIMEOUT = 120


def port_from_env(name: str, default: int) -> int:
    value = os.environ.get(name) or str(default)
    if not value.isdigit() or not 0 < int(value) < 65536:
        sys.exit(f"demo: {name}={value!r} is not a port number.")
    return int(value)


PORT = port_from_env("PORT", 8000)
SANDBOX_PORT = port_from_env("SANDBOX_PORT", 9100)
APP_URL = f"http://127.0.0.1:{PORT}"
# Zoom is another host: the sandbox runs on "localhost" so its cookies never mix with the app's.
SANDBOX_URL = f"http://localhost:{SANDBOX_PORT}"

DEMO_ENV = {
    "DJANGO_DEBUG": "1",
    "ZOOM_CLIENT_ID": "sandbox-client-id",
    "ZOOM_CLIENT_SECRET": "sandbox-client-secret-0123456789",
    "ZOOM_WEBHOOK_SECRET_TOKEN": "sandbox-webhook-secret-token-0123",
    # The company-wide Zoom app (admin-managed), connected once by a Zoom admin.
    "ZOOM_ACCOUNT_CLIENT_ID": "sandbox-account-client-id",
    "ZOOM_ACCOUNT_CLIENT_SECRET": "sandbox-account-client-secret-0123456789",
    "ZOOM_ACCOUNT_WEBHOOK_SECRET_TOKEN": "sandbox-account-webhook-secret-token-0123",
}


class Child:
    """A demo process whose output is shown prefixed with its name and remembered for its end."""

    def __init__(self, name: str, args: list[str], env: dict, ready_marker: str | None = None):
        self.name = name
        self.last_lines: deque[str] = deque(maxlen=15)
        self.ready_marker = ready_marker
        self.ready = threading.Event()
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
            # Ctrl-C reaches the demo alone, which stops the children in order.
            start_new_session=True,
        )
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for line in self.process.stdout:
            line = line.rstrip()
            self.last_lines.append(line)
            print(f"{self.name:<8}| {line}", flush=True)
            if self.ready_marker and self.ready_marker in line:
                self.ready.set()

    def exit_reason(self) -> str:
        code = self.process.returncode
        if code is not None and code < 0:
            return f"was killed by {signal.Signals(-code).name}"
        return f"exited with code {code}"

    def stop(self):
        stop_process(self.process)


def answers(url: str) -> bool:
    try:
        with urlopen(url, timeout=3) as response:  # noqa: S310 - our own local URLs
            return response.status < 500
    except (URLError, OSError):
        return False


def port_taken(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def step(message: str) -> None:
    print(f"demo: {message}", flush=True)


def prepare(env: dict) -> str:
    """Migrates and seeds; returns what seed_demo printed (the logins)."""
    first_run = not (VAR / "db.sqlite3").exists()
    if first_run:
        step("first run: creating the SQLite database under var/ (about a minute)…")
    else:
        step("applying any new migrations…")
    subprocess.run(
        [PY, "manage.py", "migrate", "--noinput", "-v", "1" if first_run else "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    step("seeding the demo rep…")
    seeded = subprocess.run(
        [PY, "manage.py", "seed_demo", "--no-color"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return seeded.stdout.strip()


def start(env: dict) -> list[tuple[Child, callable]]:
    """Starts the sandbox, the worker (with beat) and the web server; each with its readiness."""
    sandbox_env = {
        **env,
        "ZOOM_SANDBOX_CLIENT_ID": env["ZOOM_CLIENT_ID"],
        "ZOOM_SANDBOX_CLIENT_SECRET": env["ZOOM_CLIENT_SECRET"],
        "ZOOM_SANDBOX_REDIRECT_URIS": f"{APP_URL}/integrations/zoom/callback/",
        "ZOOM_SANDBOX_WEBHOOK_URL": f"{APP_URL}/integrations/zoom/webhook/",
        "ZOOM_SANDBOX_WEBHOOK_SECRET_TOKEN": env["ZOOM_WEBHOOK_SECRET_TOKEN"],
        "ZOOM_SANDBOX_ACCOUNT_CLIENT_ID": env["ZOOM_ACCOUNT_CLIENT_ID"],
        "ZOOM_SANDBOX_ACCOUNT_CLIENT_SECRET": env["ZOOM_ACCOUNT_CLIENT_SECRET"],
        "ZOOM_SANDBOX_ACCOUNT_REDIRECT_URIS": f"{APP_URL}/integrations/zoom/account/callback/",
        "ZOOM_SANDBOX_ACCOUNT_WEBHOOK_URL": f"{APP_URL}/integrations/zoom/account/webhook/",
        "ZOOM_SANDBOX_ACCOUNT_WEBHOOK_SECRET_TOKEN": env["ZOOM_ACCOUNT_WEBHOOK_SECRET_TOKEN"],
        "ZOOM_SANDBOX_ACCOUNT_SCOPES": " ".join(ACCOUNT_GRANULAR_SCOPES),
    }
    sandbox_command = serve_command(SANDBOX_PORT, VAR / "zoom-sandbox.sqlite3")
    sandbox = Child("sandbox", sandbox_command, sandbox_env)
    worker_command = [
        PY, "-m", "celery", "-A", "config", "--quiet", "worker", "--beat", "--concurrency", "2",
        "--loglevel", "INFO",
    ]  # fmt: skip
    worker = Child("worker", worker_command, env, ready_marker=" ready.")
    web = Child("web", [PY, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"], env)
    return [
        (sandbox, lambda: answers(f"{SANDBOX_URL}/")),
        (worker, worker.ready.is_set),
        (web, lambda: answers(f"{APP_URL}/healthz/live")),
    ]


def first_death(children: list[Child]) -> Child | None:
    return next((child for child in children if child.process.poll() is not None), None)


def report_death(child: Child) -> None:
    print(
        f"\ndemo: the {child.name} process {child.exit_reason()}. Its last lines:", file=sys.stderr
    )
    for line in child.last_lines:
        print(f"    {line}", file=sys.stderr)
    print("demo: stopping the others.", file=sys.stderr, flush=True)


def main() -> int:
    ports = {"PORT": PORT, "SANDBOX_PORT": SANDBOX_PORT}
    taken = [f"{name}={port}" for name, port in ports.items() if port_taken(port)]
    if taken:
        example = f"make demo PORT={PORT + 1} SANDBOX_PORT={SANDBOX_PORT + 1}"
        print(f"demo: port in use: {', '.join(taken)}. Pick free ones: {example}", file=sys.stderr)
        return 2

    env = {**os.environ, "SITE_URL": APP_URL, "ZOOM_OAUTH_BASE_URL": SANDBOX_URL}
    env["ZOOM_API_BASE_URL"] = f"{SANDBOX_URL}/v2"
    env["ZOOM_MARKETPLACE_URL"] = f"{SANDBOX_URL}/marketplace/app"
    for key, value in DEMO_ENV.items():
        env.setdefault(key, value)
    # The demo always uses its own SQLite file and the embedded broker, whatever the shell exports.
    env.pop("DATABASE_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    env["DJANGO_VAR_DIR"] = str(VAR)
    env["PYTHONUNBUFFERED"] = "1"
    VAR.mkdir(parents=True, exist_ok=True)

    stopping = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())

    logins = prepare(env)
    step("starting the Zoom sandbox, the worker and the web server…")
    started = start(env)
    children = [child for child, _ in started]
    try:
        deadline = time.monotonic() + START_TIMEOUT
        waiting = [(child, ready) for child, ready in started]
        while waiting and not stopping.is_set():
            if dead := first_death(children):
                report_death(dead)
                return 1
            if time.monotonic() > deadline:
                names = ", ".join(child.name for child, _ in waiting)
                print(f"demo: no answer from {names} after {START_TIMEOUT} s.", file=sys.stderr)
                return 1
            waiting = [(child, ready) for child, ready in waiting if not ready()]
            time.sleep(0.3)
        if stopping.is_set():
            return 0

        print(f"\n  App:          {APP_URL}/", flush=True)
        print(f"  Zoom sandbox: {SANDBOX_URL}/  (its admin pages, uninstall, knobs)")
        print("  " + logins.replace("\n", "\n  "))
        print("  Ctrl-C stops everything.\n", flush=True)

        while not stopping.is_set():
            if dead := first_death(children):
                report_death(dead)
                return 1
            time.sleep(0.5)
        return 0
    finally:
        for child in reversed(children):
            child.stop()


if __name__ == "__main__":
    sys.exit(main())
