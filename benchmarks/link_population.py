"""Link population benchmark: N bookings across M reps against the Zoom sandbox, real Celery
workers over Redis, PostgreSQL.

    python benchmarks/link_population.py --bookings 1000 --reps 50 --latency-ms 300

It creates (and at the end drops) its own database, uses its own Redis db index, starts the
sandbox and the workers itself, books through the real booking service (each booking's task is
published after its commit, as in production), and prints:
- bookings per second (first booking to last link ready), and the rate of the booking calls alone;
- booking-to-link latency p50/p95/p99 (booking committed to link seen ready; polled every 50 ms);
- Zoom calls per booking (every request the sandbox received during the run, OAuth included);
- peak memory (VmHWM) of each worker's main process and pool children.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The launchers of a worker and the sandbox: the benchmark runs the same processes as the tests.
from scripts.launchers import WorkerProcess, serve_command  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bookings", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--latency-ms", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--pool", default="threads", choices=["threads", "prefork"])
    parser.add_argument("--concurrency", type=int, default=16, help="per worker")
    parser.add_argument("--database", default="zoomsched_bench")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for links")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def recreate_database(postgres: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(f"{postgres}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            admin.execute(f'CREATE DATABASE "{name}"')


def configure(args, sandbox_url: str) -> dict:
    """The environment of this process and the workers, set before Django starts."""
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"{args.postgres}/{args.database}",
        "CELERY_BROKER_URL": args.redis,
        "ZOOM_OAUTH_BASE_URL": sandbox_url,
        "ZOOM_API_BASE_URL": f"{sandbox_url}/v2",
        "ZOOM_MARKETPLACE_URL": f"{sandbox_url}/marketplace/app",
        "SITE_URL": "http://127.0.0.1:8000",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(env)
    return {**os.environ, **env}


class Sandbox:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.log = (workdir / "sandbox.log").open("w")
        self.process = subprocess.Popen(
            serve_command(self.port, workdir / "sandbox.sqlite3"),
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://localhost:{self.port}"

    def wait_ready(self):
        import requests

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/_sandbox/health", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("The Zoom sandbox did not start")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def peak_rss_kib(worker: WorkerProcess) -> dict[int, int]:
    """VmHWM of the worker's main process and each pool child (threads share the main's)."""
    main = worker.process.pid
    pids = [main]
    children = Path(f"/proc/{main}/task/{main}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    peaks = {}
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks[pid] = int(line.split()[1])
    return peaks


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def watch_links(booked_at: dict, linked_at: dict, expected: int, deadline: float) -> None:
    """Records when each booking's link is first seen settled (polled every 50 ms)."""
    from django.db import connection

    from meetings.models import Booking, LinkState

    settled = {LinkState.READY, LinkState.FAILED, LinkState.WAITING_FOR_RECONNECT}
    try:
        while len(linked_at) < expected and time.monotonic() < deadline:
            now = time.monotonic()
            for pk in (
                Booking.objects.filter(link_state__in=settled)
                .exclude(pk__in=list(linked_at))
                .values_list("pk", flat=True)
            ):
                linked_at[pk] = now
            time.sleep(0.05)
    finally:
        connection.close()


def run(args, env: dict, sandbox_url: str) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from meetings.models import Booking, LinkState
    from meetings.services.bookings import book_meeting
    from tests.factories import RepFactory
    from tests.fixtures.sandbox import CALLBACK_PATH, WEBHOOK_PATH, SandboxControl
    from tests.integrations import steps
    from tests.meetings.factories import MeetingTypeFactory
    from tests.reliability.conftest import GUEST, slot

    # Lets the test client act as each rep's browser during the Connect Zoom flow (testserver).
    setup_test_environment()
    call_command("migrate", verbosity=0)
    sandbox = SandboxControl(sandbox_url)
    sandbox.reset()
    sandbox.register_app(
        client_id=settings.ZOOM_CLIENT_ID,
        client_secret=settings.ZOOM_CLIENT_SECRET,
        redirect_uris=[settings.SITE_URL + CALLBACK_PATH],
        webhook_url=settings.SITE_URL + WEBHOOK_PATH,
        webhook_secret_token=settings.ZOOM_WEBHOOK_SECRET_TOKEN,
    )
    # Every rep on its own Zoom account (its own per-second budget) with a daily quota that is
    # not what is being measured.
    sandbox.set_knobs(latency_ms=0, daily_meeting_limit=10_000)
    print(f"Connecting {args.reps} reps to the sandbox…", flush=True)
    meeting_types = []
    for index in range(args.reps):
        rep = RepFactory()
        email = f"bench{index}@example.com"
        sandbox.create_user(email)
        browser = Client()
        browser.force_login(rep)
        assert steps.connect(browser, sandbox, email).status_code == 302
        meeting_types.append(MeetingTypeFactory(rep=rep))

    print(f"Starting {args.workers} workers ({args.pool} × {args.concurrency})…", flush=True)
    import redis

    redis.Redis.from_url(args.redis).flushdb()
    workers = [
        WorkerProcess(env, args.concurrency, f"bench{i}@%h", pool=args.pool, loglevel="WARNING")
        for i in range(args.workers)
    ]
    try:
        for worker in workers:
            worker.wait_ready(timeout=60)
        sandbox.set_knobs(latency_ms=args.latency_ms)
        calls_before = len(sandbox.calls())

        print(f"Booking {args.bookings} meetings…", flush=True)
        booked_at: dict[int, float] = {}
        linked_at: dict[int, float] = {}
        started = time.monotonic()
        deadline = started + args.timeout
        # Links are watched while bookings are still being made: a link ready mid-run must be
        # timed when it is ready, not when the booking loop ends.
        watcher = threading.Thread(
            target=watch_links, args=(booked_at, linked_at, args.bookings, deadline), daemon=True
        )
        watcher.start()
        for index in range(args.bookings):
            meeting_type = meeting_types[index % args.reps]
            booking = book_meeting(
                meeting_type,
                start_at=slot(index // args.reps),
                guest_email=f"guest{index}@example.org",
                **GUEST,
            )
            booked_at[booking.pk] = time.monotonic()
        booking_calls = time.monotonic() - started
        watcher.join()
        finished = max(linked_at.values(), default=time.monotonic())
        peaks = [peak_rss_kib(worker) for worker in workers]
        calls = len(sandbox.calls()) - calls_before
    finally:
        for worker in workers:
            worker.stop()

    states = dict.fromkeys(LinkState.values, 0)
    for state in Booking.objects.values_list("link_state", flat=True):
        states[state] += 1
    meetings = len(sandbox.meetings())
    # A link can be seen before the booking loop recorded its booking's time; those are ~0.
    latencies = [max(0.0, linked_at[pk] - booked_at[pk]) for pk in linked_at if pk in booked_at]
    print()
    print(f"bookings: {args.bookings} across {args.reps} reps, Zoom latency {args.latency_ms} ms")
    print(f"workers: {args.workers} × {args.pool} pool, concurrency {args.concurrency}")
    print(f"link states: { {k: v for k, v in states.items() if v} }; sandbox meetings: {meetings}")
    throughput = len(linked_at) / (finished - started)
    print(f"bookings per second (booking to last link): {throughput:.1f}")
    print(f"booking calls per second (book_meeting alone): {args.bookings / booking_calls:.1f}")
    if latencies:
        print(
            "booking-to-link latency: "
            f"p50 {percentile(latencies, 50):.2f} s, p95 {percentile(latencies, 95):.2f} s, "
            f"p99 {percentile(latencies, 99):.2f} s, mean {statistics.fmean(latencies):.2f} s"
        )
    print(f"Zoom calls per booking: {calls / args.bookings:.2f}")
    for index, worker_peaks in enumerate(peaks):
        detail = ", ".join(f"pid {pid}: {kib / 1024:.0f} MiB" for pid, kib in worker_peaks.items())
        total = sum(worker_peaks.values()) / 1024
        print(f"peak memory worker {index}: {total:.0f} MiB ({detail})")


def main():
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="link-bench-"))
    recreate_database(args.postgres, args.database)
    sandbox = Sandbox(workdir)
    try:
        sandbox.wait_ready()
        env = configure(args, sandbox.url)
        run(args, env, sandbox.url)
    finally:
        sandbox.stop()
        import redis

        redis.Redis.from_url(args.redis).flushdb()
        from django.db import connections

        connections.close_all()
        recreate_database(args.postgres, args.database, drop_only=True)


if __name__ == "__main__":
    main()
