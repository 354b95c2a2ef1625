"""Booking pipeline benchmark: guests book through gunicorn at a fixed rate, real Celery workers
create the Zoom meetings, and the figures come from the server side.

    python benchmarks/link_population.py --rate 20 --duration 60 --reps 50 --latency-ms 300
    python benchmarks/link_population.py --one-account --qps-limit 20 --rate 18 --duration 60

Everything runs as in production: gunicorn and the workers use `config.settings` with DEBUG off
(secrets generated for the run, mail to a dummy backend), the workers keep their own queues
(`--queues`, private names for this run) with invites on their own worker, Redis db `--redis` and
database `--database` are the benchmark's own (flushed / dropped at the end).

Load is open-loop: `--threads` guests send booking POSTs on a fixed schedule (`--rate` per second
for `--duration` seconds) whatever the answers' pace, and a probe requests a static file and
/healthz/live (the liveness probe: no database, no broker) at 5 per second beside them, so the
POST's cost is read against the same machine load.

Readiness is timed by the database: `Booking.link_ready_at` (written with the state change) minus
`created_at`. Zoom is the lean stand-in (`benchmarks/lean_zoom.py`, `--zoom lean`) or the sandbox
(`--zoom sandbox`); either way its own handling time is reported apart. The run exits 1, saying
how many, when any booking did not reach "ready".
"""

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The launchers of a worker and the sandbox: the benchmark runs the same processes as the tests.
from scripts.launchers import WorkerProcess, serve_command, stop_process  # noqa: E402

SHARED_ACCOUNT = "bench-shared-account"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=20, help="bookings per second offered")
    parser.add_argument("--duration", type=float, default=60, help="seconds of offered load")
    parser.add_argument("--threads", type=int, default=8, help="guest threads sending POSTs")
    parser.add_argument(
        "--warmup",
        type=float,
        default=5,
        help="seconds at the start whose requests are booked but left out of the POST and probe "
        "timings (first connections, imports and caches of each web process and thread)",
    )
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--latency-ms", type=int, default=300, help="Zoom's answer time")
    parser.add_argument("--zoom", choices=["lean", "sandbox"], default="lean")
    parser.add_argument("--one-account", action="store_true", help="every rep on one account")
    parser.add_argument(
        "--company-account",
        action="store_true",
        help="every rep on one Zoom account, served by the company's account connection (one "
        "token chain) instead of connecting personally; needs --zoom sandbox",
    )
    parser.add_argument("--qps-limit", type=int, default=0, help="Zoom's per-account limit")
    parser.add_argument("--workers", type=int, default=1, help="Zoom worker processes")
    parser.add_argument("--concurrency", type=int, default=16, help="threads per Zoom worker")
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=10,
        help="how far below gunicorn's the workers' CPU priority is (nice increment; 0: equal): "
        "web and workers share this host's cores, and pages come first",
    )
    parser.add_argument(
        "--web-workers", type=int, default=3, help="gunicorn processes (the Procfile's default)"
    )
    parser.add_argument(
        "--web-threads",
        type=int,
        default=1,
        help="threads per gunicorn process; 1: gunicorn's sync workers, as the Procfile runs",
    )
    parser.add_argument("--database", default="zoomsched_bench")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--settle", type=float, default=120, help="seconds to wait for links")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def spread(values: list[float], scale: float = 1.0, unit: str = "s") -> str:
    if not values:
        return "none"
    p50, p99 = percentile(values, 50) * scale, percentile(values, 99) * scale
    return f"p50 {p50:.3f} {unit}, p99 {p99:.3f} {unit}, max {max(values) * scale:.3f} {unit}"


def recreate_database(postgres: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(f"{postgres}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            admin.execute(f'CREATE DATABASE "{name}"')


class Process:
    """A child process whose output goes to a log file; ready when `ready_line` appears."""

    def __init__(self, command: list[str], env: dict, log: Path):
        self.log_path = log
        self.log = log.open("w")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait_for(self, ready, what: str, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if ready():
                return
            time.sleep(0.2)
        raise RuntimeError(f"{what} did not start:\n{self.log_path.read_text()[-3000:]}")

    def stop(self):
        stop_process(self.process)
        self.log.close()


def http_ok(url: str) -> bool:
    import requests

    try:
        return requests.get(url, timeout=2).status_code < 500
    except requests.RequestException:
        return False


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def production_env(args, workdir: Path, zoom_api: str, oauth: str) -> dict:
    """config.settings with DEBUG off, for gunicorn and the workers."""
    tag = f"bench{os.getpid()}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": os.environ["FIELD_ENCRYPTION_KEY"],
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "DATABASE_URL": f"{args.postgres}/{args.database}",
        "CELERY_BROKER_URL": args.redis,
        # Shared by every process, as production requires with DEBUG off.
        "CACHE_URL": args.redis,
        # Every guest comes from 127.0.0.1 and each rep takes hundreds of bookings: the abuse
        # limits and the per-rep reserve of Zoom's daily allowance are not what is measured.
        "RATE_LIMIT_BOOKINGS_PER_ADDRESS": "1000000/m",
        "RATE_LIMIT_BOOKINGS_PER_EMAIL": "1000000/m",
        "RATE_LIMIT_BOOKINGS_PER_REP": "1000000/m",
        "ZOOM_DAILY_MEETING_WRITES": "1000000",
        "CELERY_DEFAULT_QUEUE": f"{tag}-zoom",
        "MEETINGS_INVITES_QUEUE": f"{tag}-invites",
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "WARNING",
        "ZOOM_OAUTH_BASE_URL": oauth,
        "ZOOM_API_BASE_URL": zoom_api,
        "ZOOM_CLIENT_ID": os.environ["ZOOM_CLIENT_ID"],
        "ZOOM_CLIENT_SECRET": os.environ["ZOOM_CLIENT_SECRET"],
        "ZOOM_WEBHOOK_SECRET_TOKEN": os.environ["ZOOM_WEBHOOK_SECRET_TOKEN"],
        "ZOOM_ACCOUNT_CLIENT_ID": os.environ["ZOOM_ACCOUNT_CLIENT_ID"],
        "ZOOM_ACCOUNT_CLIENT_SECRET": os.environ["ZOOM_ACCOUNT_CLIENT_SECRET"],
        "SITE_URL": os.environ["SITE_URL"],
        "PYTHONUNBUFFERED": "1",
    }


def setup(args, sandbox_url: str) -> list[str]:
    """Migrates, registers the app, connects every rep through the real flow; returns the
    booking page paths, one per rep."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tests.factories import RepFactory
    from tests.fixtures.sandbox import CALLBACK_PATH, WEBHOOK_PATH, SandboxControl
    from tests.integrations import steps
    from tests.meetings.factories import MeetingTypeFactory

    setup_test_environment()  # the test client acts as each rep's browser (testserver)
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
    # The daily quota per host is not what is measured.
    sandbox.set_knobs(latency_ms=0, daily_meeting_limit=100_000, qps_limit=1000)
    if args.company_account:
        return serve_reps_by_company_account(args, sandbox)
    print(f"Connecting {args.reps} reps…", flush=True)
    pages = []
    for index in range(args.reps):
        rep = RepFactory()
        email = f"bench{index}@example.com"
        account = {"account_id": SHARED_ACCOUNT} if args.one_account else {}
        sandbox.create_user(email, **account)
        browser = Client()
        browser.force_login(rep)
        assert steps.connect(browser, sandbox, email).status_code == 302
        meeting_type = MeetingTypeFactory(rep=rep)
        pages.append(f"/book/{rep.booking_slug}/{meeting_type.slug}/confirm/")
    return pages


def serve_reps_by_company_account(args, sandbox) -> list[str]:
    """Every rep a user of one Zoom account; a Zoom admin connects the company's account once
    through the real flow and the reps are matched to their Zoom users (none connects)."""
    from django.conf import settings

    from integrations.zoom.api.scopes import ACCOUNT_GRANULAR_SCOPES
    from integrations.zoom.company import services as company_services
    from integrations.zoom.company.models import ZoomAccountConnection
    from tests.factories import RepFactory
    from tests.fixtures.sandbox import ACCOUNT_CALLBACK_PATH
    from tests.integrations.company_steps import company_zoom_account, connect_company
    from tests.meetings.factories import MeetingTypeFactory

    sandbox.register_app(
        client_id=settings.ZOOM_ACCOUNT_CLIENT_ID,
        client_secret=settings.ZOOM_ACCOUNT_CLIENT_SECRET,
        redirect_uris=[settings.SITE_URL + ACCOUNT_CALLBACK_PATH],
        scopes=" ".join(ACCOUNT_GRANULAR_SCOPES),
        management="admin",
    )
    admin = company_zoom_account(sandbox, account_id=SHARED_ACCOUNT)
    print(f"Serving {args.reps} reps from one company Zoom account…", flush=True)
    pages = []
    for index in range(args.reps):
        email = f"bench{index}@corp.example"
        sandbox.create_user(email, account_id=admin["account_id"])
        rep = RepFactory(email=email)
        meeting_type = MeetingTypeFactory(rep=rep)
        pages.append(f"/book/{rep.booking_slug}/{meeting_type.slug}/confirm/")
    response, _ = connect_company(sandbox)
    assert response.status_code == 302, response
    counts = company_services.match_reps(ZoomAccountConnection.objects.get())
    assert counts == {"served": args.reps}, counts
    return pages


def write_tokens(path: Path) -> None:
    from integrations.zoom.connection.models import ZoomConnection

    tokens = {c.access_token: c.zoom_account_id for c in ZoomConnection.objects.all()}
    path.write_text(json.dumps(tokens))


class Guest:
    """One guest thread's HTTP session to gunicorn, speaking HTTPS-behind-a-proxy to Django."""

    def __init__(self, base: str):
        import requests

        self.base = base
        self.session = requests.Session()
        self.csrf = ""
        self.complained = False

    def headers(self, path: str) -> dict:
        return {
            "X-Forwarded-Proto": "https",
            # Django checks an HTTPS request's Referer against its own host.
            "Referer": f"https://{self.base.split('://', 1)[1]}{path}",
            "Cookie": f"csrftoken={self.csrf}" if self.csrf else "",
        }

    def book(self, page: str, start: str, index: int) -> tuple[float, int]:
        if not self.csrf:
            # Secure cookies never come back over plain HTTP by themselves: carry the token.
            answer = self.session.get(
                self.base + page, params={"start": start}, headers=self.headers(page)
            )
            self.csrf = answer.cookies.get("csrftoken", "")
        data = {
            "csrfmiddlewaretoken": self.csrf,
            "start": start,
            "name": f"Guest {index}",
            "email": f"guest{index}@example.org",
            "time_zone": "Europe/Paris",
        }
        started = time.perf_counter()
        answer = self.session.post(
            self.base + page, data=data, headers=self.headers(page), allow_redirects=False
        )
        if answer.status_code != 302 and not self.complained:
            self.complained = True
            print(f"POST {page} answered {answer.status_code}: {answer.text[:300]}", flush=True)
        return time.perf_counter() - started, answer.status_code


def slot_start(index: int) -> str:
    """The index-th half-hour start inside the factory's 09:00–17:00 New York hours."""
    from datetime import timedelta

    from tests.meetings.factories import next_slot

    start = next_slot(days=2 + index // 16, hour=9) + (index % 16) * timedelta(minutes=30)
    return start.isoformat()


def offer_load(args, base: str, pages: list[str]) -> dict:
    total = int(args.rate * args.duration)
    # The slots are computed up front: the guests' loop only sends.
    plan = [(pages[i % len(pages)], slot_start(i // len(pages)), i) for i in range(total)]
    posts, refused, lags, probes = [], [], [], {"static": [], "healthz": []}
    counter = iter(range(total))
    lock = threading.Lock()
    started = time.monotonic() + 0.5
    warm = started + args.warmup

    def guest():
        client = Guest(base)
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            due = started + index / args.rate
            time.sleep(max(0.0, due - time.monotonic()))
            lags.append(time.monotonic() - due)
            page, start, number = plan[index]
            elapsed, status = client.book(page, start, number)
            if status != 302:
                refused.append(status)
            elif due >= warm:  # each web process and thread's first requests are not the product
                posts.append(elapsed)

    def probe():
        import requests

        session = requests.Session()
        static = f"{base}/static/meetings/link_status.js"
        ticks = 0
        while time.monotonic() < started + args.duration:
            due = started + ticks / 5
            time.sleep(max(0.0, due - time.monotonic()))
            for name, url in (("static", static), ("healthz", f"{base}/healthz/live")):
                began = time.perf_counter()
                session.get(url, headers={"X-Forwarded-Proto": "https"})
                if due >= warm:
                    probes[name].append(time.perf_counter() - began)
            ticks += 1

    threads = [threading.Thread(target=guest) for _ in range(args.threads)]
    threads.append(threading.Thread(target=probe))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"posts": posts, "refused": refused, "lags": lags, "probes": probes, "total": total}


def zoom_stats(args, zoom_url: str, sandbox) -> dict:
    import requests

    if args.zoom == "lean":
        return requests.get(f"{zoom_url}/_stats", timeout=10).json()
    calls = [c for c in sandbox.calls() if c["path"].startswith("/v2/")]
    handling = [max(0.0, (c["duration_ms"] or 0) - args.latency_ms) / 1000 for c in calls]
    return {
        "calls": len(calls),
        "limited": sum(1 for c in calls if c["status"] == 429),
        "creates": sum(1 for c in calls if c["method"] == "POST"),
        "handling_p50_ms": percentile(handling, 50) * 1000 if handling else 0.0,
        "handling_p99_ms": percentile(handling, 99) * 1000 if handling else 0.0,
    }


def postgres_sessions(database: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = %s", [database])
        return cursor.fetchone()[0]


def run(args, workdir: Path) -> int:
    from tests.fixtures.sandbox import SandboxControl

    sandbox_port = free_port()
    sandbox_proc = Process(
        serve_command(sandbox_port, workdir / "sandbox.sqlite3"), os.environ, workdir / "sb.log"
    )
    children = [sandbox_proc]
    try:
        sandbox_url = f"http://localhost:{sandbox_port}"
        sandbox_proc.wait_for(lambda: http_ok(f"{sandbox_url}/_sandbox/health"), "The sandbox")
        os.environ.update(
            {
                "ZOOM_OAUTH_BASE_URL": sandbox_url,
                "ZOOM_API_BASE_URL": f"{sandbox_url}/v2",
                "ZOOM_MARKETPLACE_URL": f"{sandbox_url}/marketplace/app",
            }
        )
        pages = setup(args, sandbox_url)
        sandbox = SandboxControl(sandbox_url)

        if args.zoom == "lean":
            write_tokens(workdir / "tokens.json")
            zoom_port = free_port()
            zoom_url = f"http://127.0.0.1:{zoom_port}"
            lean = Process(
                [
                    sys.executable,
                    "benchmarks/lean_zoom.py",
                    f"--port={zoom_port}",
                    f"--tokens={workdir / 'tokens.json'}",
                    f"--latency-ms={args.latency_ms}",
                    f"--qps-limit={args.qps_limit}",
                ],
                os.environ,
                workdir / "lean_zoom.log",
            )
            children.append(lean)
            lean.wait_for(lambda: "ready" in lean.log_path.read_text(), "The lean Zoom")
        else:
            zoom_url = sandbox_url
            sandbox.set_knobs(latency_ms=args.latency_ms, qps_limit=args.qps_limit or 1000)

        env = production_env(args, workdir, f"{zoom_url}/v2", sandbox_url)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        import redis

        redis.Redis.from_url(args.redis).flushdb()
        web_port = free_port()
        web = Process(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                f"--bind=127.0.0.1:{web_port}",
                f"--workers={args.web_workers}",
                *(
                    ["--worker-class=gthread", f"--threads={args.web_threads}"]
                    if args.web_threads > 1
                    else []
                ),
            ],
            env,
            workdir / "gunicorn.log",
        )
        children.append(web)
        base = f"http://127.0.0.1:{web_port}"
        web.wait_for(lambda: http_ok(f"{base}/healthz/live"), "gunicorn")
        zoom_workers = [
            WorkerProcess(
                env,
                args.concurrency,
                f"benchzoom{i}@%h",
                pool="threads",
                loglevel="WARNING",
                queues=env["CELERY_DEFAULT_QUEUE"],
                nice=args.worker_nice,
            )
            for i in range(args.workers)
        ]
        invites_worker = WorkerProcess(
            env, 2, "benchinvites@%h", pool="threads", loglevel="WARNING",
            queues=env["MEETINGS_INVITES_QUEUE"], nice=args.worker_nice,
        )  # fmt: skip
        all_workers = [*zoom_workers, invites_worker]
        try:
            for worker in all_workers:
                worker.wait_ready(timeout=90)
            zoom_before = zoom_stats(args, zoom_url, sandbox)
            cpu_before = {w.process.pid: cpu_seconds(w.process.pid) for w in all_workers}
            sessions_before = postgres_sessions(args.database)

            print(
                f"Offering {args.rate:g} bookings/s for {args.duration:g} s "
                f"from {args.threads} threads…",
                flush=True,
            )
            load = offer_load(args, base, pages)
            ready = wait_settled(args, load["total"])
            cpu = {w.process.pid: cpu_seconds(w.process.pid) - cpu_before[w.process.pid]
                   for w in all_workers}  # fmt: skip
            rss = {w.process.pid: peak_rss_mib(w.process.pid) for w in all_workers}
            sessions = postgres_sessions(args.database) - sessions_before
            zoom_after = zoom_stats(args, zoom_url, sandbox)
        finally:
            for worker in all_workers:
                worker.stop()
        return report(
            args, load, ready, zoom_before, zoom_after, cpu, rss, sessions,
            zoom_workers, invites_worker,
        )  # fmt: skip
    finally:
        for child in reversed(children):
            child.stop()


def wait_settled(args, total: int) -> dict:
    """Waits until every booking is ready (or `--settle` runs out); returns their figures."""
    from django.db import connection

    from meetings.models import Booking, LinkState

    deadline = time.monotonic() + args.settle
    while time.monotonic() < deadline:
        if not Booking.objects.exclude(link_state=LinkState.READY).exists():
            break
        time.sleep(1)
    rows = list(
        Booking.objects.values_list("link_state", "created_at", "link_ready_at", "link_attempts")
    )
    connection.close()
    states: dict[str, int] = {}
    for state, *_ in rows:
        states[state] = states.get(state, 0) + 1
    latencies = [
        (ready_at - created).total_seconds()
        for state, created, ready_at, _ in rows
        if state == LinkState.READY and ready_at
    ]
    return {
        "booked": len(rows),
        "states": states,
        "latencies": latencies,
        "max_attempts": max((attempts for *_, attempts in rows), default=0),
        "span": (max(r[2] for r in rows if r[2]) - min(r[1] for r in rows)).total_seconds()
        if latencies
        else 0.0,
    }


def report(args, load, ready, zoom_before, zoom_after, cpu, rss, sessions, zoom_w, invites_w):
    booked = ready["booked"]
    not_ready = booked - ready["states"].get("ready", 0) + len(load["refused"])
    calls = zoom_after["calls"] - zoom_before["calls"]
    limited = zoom_after["limited"] - zoom_before["limited"]
    zoom_cpu = sum(cpu[w.process.pid] for w in zoom_w)
    if args.company_account:
        accounts = "one Zoom account served by the company's account connection"
    else:
        accounts = "one Zoom account" if args.one_account else "one Zoom account per rep"
    print()
    print(
        f"offered: {load['total']} bookings at {args.rate:g}/s from {args.threads} threads; "
        f"{accounts} "
        f"({args.reps} reps), Zoom {args.zoom} at {args.latency_ms} ms"
        + (f", per-account limit {args.qps_limit}/s" if args.qps_limit else "")
    )
    print(f"schedule lag of the guests: {spread(load['lags'])}")
    print(
        f"booking POST (gunicorn, after {args.warmup:g} s of warm-up): "
        f"{spread(load['posts'], 1000, 'ms')}"
    )
    for name, values in load["probes"].items():
        print(f"  beside it, GET {name}: {spread(values, 1000, 'ms')}")
    if load["posts"] and load["probes"]["healthz"]:
        over = percentile(load["posts"], 99) - percentile(load["probes"]["healthz"], 99)
        print(f"  POST p99 over the trivial view's (/healthz/live) p99: {over * 1000:+.1f} ms")
    if load["refused"]:
        print(f"booking POSTs refused: {len(load['refused'])} (statuses {set(load['refused'])})")
    print(f"link states: {ready['states']}")
    print(f"booking committed → link ready (server side): {spread(ready['latencies'])}")
    if ready["span"]:
        print(f"throughput: {ready['states'].get('ready', 0) / ready['span']:.1f} links/s")
    print(
        f"Zoom calls per booking: {calls / max(booked, 1):.3f} ({calls} calls, {limited} × 429, "
        f"most attempts for one booking {ready['max_attempts']})"
    )
    print(
        "Zoom's own handling time (latency excluded): "
        f"p50 {zoom_after['handling_p50_ms']:.1f} ms, p99 {zoom_after['handling_p99_ms']:.1f} ms"
    )
    print(
        f"worker CPU per booking: Zoom workers {zoom_cpu / max(booked, 1) * 1000:.1f} ms, "
        f"invites worker {cpu[invites_w.process.pid] / max(booked, 1) * 1000:.1f} ms"
    )
    print(f"new PostgreSQL sessions per booking (all processes): {sessions / max(booked, 1):.3f}")
    for name, worker in [*((f"Zoom worker {i}", w) for i, w in enumerate(zoom_w)),
                         ("invites worker", invites_w)]:  # fmt: skip
        print(f"peak memory, {name}: {rss[worker.process.pid]:.0f} MiB")
    if not_ready:
        print(f"FAILED: {not_ready} booking(s) did not reach ready")
        return 1
    return 0


def main():
    args = parse_args()
    from cryptography.fernet import Fernet

    # This process (setup, through the test settings' defaults) and the production-settings
    # processes must share the key that encrypts the Zoom tokens.
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": f"{args.postgres}/{args.database}",
            "CELERY_BROKER_URL": args.redis,
            "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "SITE_URL": "http://127.0.0.1:8000",
            "ZOOM_CLIENT_ID": "bench-client-id",
            "ZOOM_CLIENT_SECRET": "bench-client-secret",
            "ZOOM_WEBHOOK_SECRET_TOKEN": "bench-webhook-secret",
            "ZOOM_ACCOUNT_CLIENT_ID": "bench-account-client-id",
            "ZOOM_ACCOUNT_CLIENT_SECRET": "bench-account-client-secret",
            "CELERY_TASK_ALWAYS_EAGER": "0",
        }
    )
    if args.company_account and args.zoom != "sandbox":
        raise SystemExit(
            "--company-account needs --zoom sandbox (the lean stand-in knows no admin-managed app)"
        )
    workdir = Path(tempfile.mkdtemp(prefix="link-bench-"))
    recreate_database(args.postgres, args.database)
    try:
        status = run(args, workdir)
    finally:
        import redis

        redis.Redis.from_url(args.redis).flushdb()
        from django.db import connections

        connections.close_all()
        recreate_database(args.postgres, args.database, drop_only=True)
    sys.exit(status)


if __name__ == "__main__":
    main()
