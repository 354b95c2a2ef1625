"""The booking pipeline under load: guests book, Zoom meetings are made, invites go out.

    python benchmarks/link_population.py capacity       # 60 bookings/s for 60 s, Zoom at 300 ms
    python benchmarks/link_population.py find-capacity  # the highest rate whose schedule is kept
    python benchmarks/link_population.py latency        # 20/s, Zoom log-normal 300 ms / p99 1 s
    python benchmarks/link_population.py one-account    # 30/s on one Zoom account limited to 20/s
    python benchmarks/link_population.py workers        # bookings inserted, handed to the workers

Every scenario runs the product as production does (gunicorn, Celery workers, config.settings with
DEBUG off) against processes of its own (redis-server, a PostgreSQL database, a Zoom stand-in),
offers load open-loop (each request at its due time, latency measured from it), counts the CPU of
every process that serves a booking, and exits 1 naming each target missed or the schedule not
kept. Any flag overrides the scenario's value. benchmarks/README.md says what each figure means.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.pipeline import cpu, direct, figures, guests, report, reps, stack  # noqa: E402
from scripts.launchers import serve_command  # noqa: E402

# Each scenario's defaults and the targets it is judged on (issue: "60 bookings a second").
SCENARIOS = {
    "capacity": {"rate": 60, "targets": {"cpu_ms": 30.0}},
    "find-capacity": {"rate": 40, "targets": {}},
    "latency": {
        "rate": 20,
        "latency_p99_ms": 1000,
        # The POST is judged against the trivial view under the same load.
        "probe_rate": 5,
        "targets": {"link_over_zoom_ms": (40.0, 150.0), "post_over_trivial_ms": 50.0},
    },
    "one-account": {
        "rate": 30,
        "qps_limit": 20,
        "one_account": True,
        "targets": {"schedule": False, "drain_rate": "paced"},
    },
    "workers": {"rate": 60, "direct": True, "targets": {}},
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", choices=SCENARIOS)
    add = parser.add_argument
    add("--rate", type=float, help="bookings per second offered (find-capacity: the first)")
    add("--duration", type=float, default=60, help="seconds of offered load (per step)")
    add("--step", type=float, default=10, help="find-capacity: rate added per step")
    add("--up-to", type=float, default=150, help="find-capacity: the last rate tried")
    add("--target-rate", type=float, default=60, help="find-capacity: the rate to sustain")
    add("--direct", action="store_true", default=None, help="insert bookings, no web")
    add("--warmup", type=float, default=5, help="seconds left out of the POST timings")
    add("--reps", type=int, default=100)
    add("--latency-ms", type=int, default=300, help="Zoom's (median) answer time")
    add("--latency-p99-ms", type=int, help="Zoom's p99 answer time (log-normal); 0: fixed")
    add("--seed", type=int, default=28, help="the Zoom stand-in's latency draws")
    add("--zoom", choices=["lean", "sandbox"], default="lean")
    add("--one-account", action="store_true", default=None, help="every rep on one account")
    add("--company-account", action="store_true", help="served by the company's account")
    add("--qps-limit", type=int, help="Zoom's per-account limit per second (0: none)")
    add("--paced-rate", type=float, help="one-account: the pacing's rate (the settings')")
    add("--concurrency", type=int, help="worker threads (WORKER_CONCURRENCY; else the Procfile's)")
    add("--split-queues", action="store_true", help="a worker for Zoom and one for invites")
    add("--invites-concurrency", type=int, help="threads of the invites worker (split queues)")
    add("--worker-nice", type=int, default=10, help="workers' CPU priority below the web's")
    add("--web-workers", type=int, help="web processes (WEB_CONCURRENCY; else the Procfile's)")
    add(
        "--web-threads",
        type=int,
        help="threads per web process (unset: the Procfile's, WEB_THREADS or 4; 1: sync processes)",
    )
    add("--probe-rate", type=float, help="GETs per second of each trivial page (0: none)")
    add("--max-lag", type=float, default=0.05, help="s of send lag p99 that voids the offer")
    add("--keep-up", type=float, default=1.0, help="s end to end allowed past Zoom's p99")
    add("--database", default="zoomsched_speed_bench")
    add("--postgres", default="postgres://postgres@127.0.0.1:5432")
    add("--settle", type=float, default=120, help="seconds after the last due to finish")
    args = parser.parse_args(argv)
    scenario = SCENARIOS[args.scenario]
    for name, value in scenario.items():
        if name != "targets" and getattr(args, name, None) is None:
            setattr(args, name, value)
    # Without probes the web's CPU is the bookings' alone.
    for name, value in {"rate": 20, "latency_p99_ms": 0, "qps_limit": 0, "probe_rate": 0}.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    args.direct = bool(args.direct)
    args.one_account = bool(args.one_account)
    if args.company_account and args.zoom != "sandbox":
        parser.error("--company-account needs --zoom sandbox (the lean Zoom knows no admin app)")
    return args


def targets_for(args) -> report.Targets:
    wanted = dict(SCENARIOS[args.scenario]["targets"])
    if wanted.get("drain_rate") == "paced":
        wanted["drain_rate"] = args.paced_rate or float(
            os.environ.get("ZOOM_ACCOUNT_REQUESTS_PER_SECOND", 18)
        )
    zoom_p99 = max(args.latency_ms, args.latency_p99_ms) / 1000
    return report.Targets(max_lag=args.max_lag, keep_up=args.keep_up, zoom_p99=zoom_p99, **wanted)


class Run:
    """The processes of a run, started once and measured step by step."""

    def __init__(self, args, workdir: Path):
        self.args, self.workdir = args, workdir
        self.children: list[stack.Process] = []
        self.workers: dict[str, stack.ProcfileProcess] = {}
        self.guests = guests.Guests()

    def start(self, redis_url: str) -> None:
        args, workdir = self.args, self.workdir
        port = stack.free_port()
        sandbox_proc = stack.Process(
            serve_command(port, workdir / "sandbox.sqlite3"), os.environ, workdir / "sb.log"
        )
        self.children.append(sandbox_proc)
        sandbox_url = f"http://localhost:{port}"
        sandbox_proc.wait_for(lambda: stack.http_ok(f"{sandbox_url}/_sandbox/health"), "Sandbox")
        os.environ.update(
            ZOOM_OAUTH_BASE_URL=sandbox_url,
            ZOOM_API_BASE_URL=f"{sandbox_url}/v2",
            ZOOM_MARKETPLACE_URL=f"{sandbox_url}/marketplace/app",
        )
        self.pages = reps.prepare(args, sandbox_url)
        self.slots = reps.Slots(self.pages)
        self.zoom_proc = sandbox_proc
        if args.zoom == "lean":
            reps.write_tokens(workdir / "tokens.json")
            self.zoom_proc, zoom_url = stack.start_lean_zoom(args, workdir)
            self.children.append(self.zoom_proc)
        else:
            from scripts.sandbox import SandboxControl

            zoom_url = sandbox_url
            SandboxControl(sandbox_url).set_knobs(
                latency_ms=args.latency_ms,
                latency_p99_ms=args.latency_p99_ms,
                qps_limit=args.qps_limit or 1000,
            )
        self.zoom_url = zoom_url
        self.smtp, email_url = stack.start_smtp_sink(workdir)
        self.children.append(self.smtp)
        env = stack.production_env(
            args, workdir, redis_url, f"{zoom_url}/v2", sandbox_url, email_url
        )
        stack.collect_static(env)
        self.web = None
        if not args.direct:
            self.web, self.base = stack.start_web(args, env, workdir)
            self.children.append(self.web)
        self.workers = stack.start_workers(args, env, workdir)
        self.children.extend(self.workers.values())

    def meter(self, redis_pid: int) -> cpu.CpuMeter:
        from django.db import connection

        args = self.args
        groups = {
            **{name: cpu.Family(worker.pid) for name, worker in self.workers.items()},
            "PostgreSQL": cpu.postgres_backends(
                f"{args.postgres}/{args.database}", args.database, stack.APPLICATION_NAME
            ),
            "Redis": lambda: [redis_pid],
            "Zoom stand-in": lambda: [self.zoom_proc.pid],
            "mail server": lambda: [self.smtp.pid],
            "guests": lambda: [self.guests.pid] if self.guests.pid else [],
            "meter and hand-over (this process)": lambda: [os.getpid()],
        }
        if self.web is not None:
            groups = {"web": cpu.Family(self.web.pid), **groups}
        connection.close()
        return cpu.CpuMeter(groups)

    def step(self, rate: float, redis_pid: int) -> figures.Step:
        args = self.args
        count = int(rate * args.duration)
        first_index = self.slots.taken
        plan = self.slots.take(count)
        floor = figures.last_booking_id()
        if args.direct:
            ids = direct.insert_bookings(plan, first_index)
        meter = self.meter(redis_pid)
        zoom_before = self.zoom_stats()
        sessions_before = _sessions(args.database)
        print(f"Offering {rate:g} bookings/s for {args.duration:g} s…", flush=True)
        meter.start()
        if args.direct:
            outcomes = direct.hand_over(ids, first_index, rate)
        else:
            outcomes = self.guests.offer(self.base, self._requests(plan, first_index, rate))
        deadline = time.monotonic() + args.settle
        while time.monotonic() < deadline and figures.undone_count(floor, count):
            time.sleep(1)
        seconds = meter.stop()
        meter.groups["PostgreSQL"].close()
        step = figures.Step(rate, args.duration, args.direct, outcomes, warmup=args.warmup)
        step.cpu = seconds
        step.processes = {name: meter.processes(name) for name in meter.groups}
        step.peak_mib = {
            name: max(meter.peak_mib[name].values(), default=0.0)
            for name in ("web", *self.workers)
            if name in meter.groups
        }
        step.sessions = _sessions(args.database) - sessions_before
        zoom_after = self.zoom_stats()
        step.zoom = {k: zoom_after[k] - zoom_before[k] for k in ("calls", "limited", "creates")}
        figures.read_bookings(step, floor, zoom_after.get("zoom_seconds", {}))
        return step

    def _requests(self, plan, first_index: int, rate: float) -> list[guests.Request]:
        host = self.base.split("://", 1)[1]
        requests = [
            guests.booking_request(host, page.path, start.isoformat(), first_index + i, i / rate)
            for i, (page, start) in enumerate(plan)
        ]
        if not self.args.probe_rate:
            return requests
        probes = {"static": "/static/meetings/link_status.js", "healthz": "/healthz/live"}
        return requests + guests.probe_requests(
            host, probes, self.args.probe_rate, self.args.duration
        )

    def zoom_stats(self) -> dict:
        import requests

        if self.args.zoom == "lean":
            return requests.get(f"{self.zoom_url}/_stats", timeout=10).json()
        from scripts.sandbox import SandboxControl

        calls = [c for c in SandboxControl(self.zoom_url).calls() if c["path"].startswith("/v2/")]
        return {
            "calls": len(calls),
            "limited": sum(1 for c in calls if c["status"] == 429),
            "creates": sum(1 for c in calls if c["method"] == "POST"),
        }

    def stop(self) -> None:
        for child in reversed(self.children):
            child.stop()


def _sessions(database: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = %s", [database])
        return cursor.fetchone()[0]


def measure(args, run: Run, redis_pid: int) -> int:
    targets = targets_for(args)
    if args.scenario != "find-capacity":
        step = run.step(args.rate, redis_pid)
        report.print_step(step)
        return verdict(report.judge(step, targets))
    kept, rate, why = None, args.rate, []
    while rate <= args.up_to:
        step = run.step(rate, redis_pid)
        report.print_step(step)
        why = report.judge(step, targets)
        if why:
            break
        kept, rate = rate, rate + args.step
        time.sleep(5)
    print()
    if kept is None:
        print(f"sustained: none; {rate:g}/s already missed: {'; '.join(why)}")
    else:
        stopped = f"{rate:g}/s missed: {'; '.join(why)}" if why else "the last rate tried"
        print(f"sustained: {kept:g} bookings/s kept for {args.duration:g} s ({stopped})")
    if kept is None or kept < args.target_rate:
        return verdict([f"sustained rate below the target of {args.target_rate:g} bookings/s"])
    return verdict([])


def verdict(missed: list[str]) -> int:
    print()
    if not missed:
        print("All targets met.")
        return 0
    for line in missed:
        print(f"MISSED: {line}")
    return 1


def main(argv=None):
    args = parse_args(argv)
    from cryptography.fernet import Fernet

    tag = f"bench{os.getpid()}"
    workdir = Path(tempfile.mkdtemp(prefix="link-bench-"))
    redis_proc, redis_url = stack.start_redis(workdir)
    # This process (setup, with the test settings' defaults) and the production-settings
    # processes share the key that encrypts the Zoom tokens, the broker and the queue names.
    os.environ.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        DATABASE_URL=f"{args.postgres}/{args.database}?application_name={stack.APPLICATION_NAME}",
        CELERY_BROKER_URL=redis_url,
        CELERY_DEFAULT_QUEUE=f"{tag}-zoom",
        MEETINGS_INVITES_QUEUE=f"{tag}-invites",
        DJANGO_BEHIND_TLS_PROXY="true",
        FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        SITE_URL="http://127.0.0.1:8000",
        ZOOM_CLIENT_ID="bench-client-id",
        ZOOM_CLIENT_SECRET="bench-client-secret",
        ZOOM_WEBHOOK_SECRET_TOKEN="bench-webhook-secret",
        ZOOM_ACCOUNT_CLIENT_ID="bench-account-client-id",
        ZOOM_ACCOUNT_CLIENT_SECRET="bench-account-client-secret",
        CELERY_TASK_ALWAYS_EAGER="0",
    )
    stack.recreate_database(args.postgres, args.database)
    run = Run(args, workdir)
    try:
        run.start(redis_url)
        status = measure(args, run, redis_proc.pid)
    finally:
        run.stop()
        redis_proc.stop()
        from django.db import connections

        connections.close_all()
        stack.recreate_database(args.postgres, args.database, drop_only=True)
    sys.exit(status)


if __name__ == "__main__":
    main()
