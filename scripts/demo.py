"""`make demo`: migrate, seed a demo rep, and run the app, the Zoom sandbox and a worker together.

Needs no PostgreSQL, Redis or internet: SQLite files and a file-system Celery broker under var/.
Ctrl-C stops everything.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
APP_URL = "http://127.0.0.1:8000"
# Zoom is another host: the sandbox runs on "localhost" so its cookies never mix with the app's.
SANDBOX_URL = "http://localhost:9100"

DEMO_ENV = {
    "DJANGO_DEBUG": "1",
    "SITE_URL": APP_URL,
    "ZOOM_OAUTH_BASE_URL": SANDBOX_URL,
    "ZOOM_API_BASE_URL": f"{SANDBOX_URL}/v2",
    "ZOOM_MARKETPLACE_URL": f"{SANDBOX_URL}/marketplace/app",
    "ZOOM_CLIENT_ID": "sandbox-client-id",
    "ZOOM_CLIENT_SECRET": "sandbox-client-secret-0123456789",
    "ZOOM_WEBHOOK_SECRET_TOKEN": "sandbox-webhook-secret-token-0123",
}


def main() -> int:
    env = {**os.environ}
    for key, value in DEMO_ENV.items():
        env.setdefault(key, value)
    # The demo always uses its own SQLite file and the embedded broker, whatever the shell exports.
    env.pop("DATABASE_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    (ROOT / "var").mkdir(exist_ok=True)

    def manage(*args):
        subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)

    manage("migrate", "--noinput", "-v", "0")
    manage("seed_demo")

    processes: list[subprocess.Popen] = []
    sandbox = ROOT / "zoom_sandbox"
    if sandbox.exists():
        sandbox_env = {
            **env,
            "ZOOM_SANDBOX_CLIENT_ID": env["ZOOM_CLIENT_ID"],
            "ZOOM_SANDBOX_CLIENT_SECRET": env["ZOOM_CLIENT_SECRET"],
            "ZOOM_SANDBOX_REDIRECT_URIS": f"{env['SITE_URL']}/integrations/zoom/callback/",
            "ZOOM_SANDBOX_WEBHOOK_URL": f"{env['SITE_URL']}/integrations/zoom/webhook/",
            "ZOOM_SANDBOX_WEBHOOK_SECRET_TOKEN": env["ZOOM_WEBHOOK_SECRET_TOKEN"],
        }
        processes.append(
            subprocess.Popen(
                [
                    PY,
                    "-m",
                    "zoom_sandbox",
                    "serve",
                    "--host",
                    "localhost",
                    "--port",
                    "9100",
                    "--db",
                    str(ROOT / "var" / "zoom-sandbox.sqlite3"),
                ],
                cwd=ROOT,
                env=sandbox_env,
            )
        )
    processes.append(
        subprocess.Popen(
            [
                PY,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--beat",
                "--concurrency",
                "2",
                "--loglevel",
                "INFO",
            ],
            cwd=ROOT,
            env=env,
        )
    )
    processes.append(
        subprocess.Popen(
            [PY, "manage.py", "runserver", "127.0.0.1:8000", "--noreload"], cwd=ROOT, env=env
        )
    )

    print(f"\n  App:          {APP_URL}/  (log in as rep@example.com / demo-password-123)")
    if sandbox.exists():
        print(f"  Zoom sandbox: {SANDBOX_URL}/  (its admin pages, uninstall, knobs)")
    print("  Ctrl-C stops everything.\n", flush=True)

    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping:
            if any(p.poll() is not None for p in processes):
                print("A demo process exited; stopping the others.", file=sys.stderr)
                break
            time.sleep(0.5)
    finally:
        for p in processes:
            if p.poll() is None:
                p.terminate()
        for p in processes:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
