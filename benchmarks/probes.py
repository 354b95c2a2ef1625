"""How long the probes take to answer, as a load balancer sees them: /healthz/ready (target: within
0.5 s, whatever the database or the broker does) and /healthz, each against a healthy database and
against one that accepts connections and never answers, and with a healthy database against a
broker that refuses connections and one that accepts them and never answers. Prints p50/p95/max
per case and exits 1 when readiness misses its target.

    .venv/bin/python benchmarks/probes.py [--requests 40]

Runs gunicorn (one process, as `gunicorn.conf.py` configures it) on PostgreSQL (DATABASE_URL, or
the test settings' database) and the embedded broker in a temporary directory (or the broker that
fails, a Redis URL); the silent database and broker are a socket that listens and never answers.
"""

import argparse
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.launchers import WebProcess, free_port  # noqa: E402

READY_TARGET = 0.5


def serve(database_url: str, broker_url: str, workdir: Path) -> WebProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "1",
        "DJANGO_VAR_DIR": str(workdir),
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "LOG_LEVEL": "ERROR",
    }
    web = WebProcess(env, free_port(), workers=1)
    web.wait_ready()
    return web


def timings(url: str, path: str, count: int) -> list[float]:
    requests.get(url + path, timeout=30)  # the process's first request imports and connects
    taken = []
    for _ in range(count):
        started = time.monotonic()
        requests.get(url + path, timeout=30)
        taken.append(time.monotonic() - started)
    return taken


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.conf import settings

    db = settings.DATABASES["default"]
    healthy = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1024)
    hung = f"postgres://u:p@127.0.0.1:{silent.getsockname()[1]}/nothing"
    cases = (
        ("healthy database", healthy, "embedded"),
        ("silent database", hung, "embedded"),
        ("refusing broker", healthy, "redis://127.0.0.1:1/0"),
        ("silent broker", healthy, f"redis://127.0.0.1:{silent.getsockname()[1]}/0"),
    )

    failures = []
    for label, database, broker in cases:
        with tempfile.TemporaryDirectory() as workdir:
            web = serve(database, broker, Path(workdir))
            url = web.url
            try:
                for path in ("/healthz/ready", "/healthz"):
                    taken = sorted(timings(url, path, args.requests))
                    p50 = statistics.median(taken)
                    p95 = taken[int(len(taken) * 0.95) - 1]
                    print(
                        f"{path:15} {label:17} p50 {p50 * 1000:6.0f} ms  "
                        f"p95 {p95 * 1000:6.0f} ms  max {taken[-1] * 1000:6.0f} ms"
                    )
                    if path == "/healthz/ready" and taken[-1] > READY_TARGET:
                        failures.append(f"{path} with a {label}: {taken[-1]:.2f} s > 0.5 s")
            finally:
                web.stop()
    silent.close()
    for failure in failures:
        print("MISSED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
