"""What one booking costs, stage by stage, in CPU time and database round trips, in one process.

    .venv/bin/python benchmarks/booking_cost.py [-n 200] [--rounds 3] [--profile post|link|invites]

The machine this runs on is shared, so wall-clock figures drift; CPU time of one process, taken
as the best of a few rounds, moves little. Each round books `n` meetings through the stages the
workers run, with production settings (DEBUG off):

- post: the guest's booking POST through Django's WSGI handler and every middleware, exactly
  what gunicorn calls (its own HTTP parsing left out), handing the Zoom work and the confirmation
  to a real Redis broker;
- link: the Zoom task's body (`meetings.zoom.tasks.sync_zoom_meeting`) against the lean Zoom
  answering at once (its answer time is Zoom's, not ours), handing the invites over;
- invites: the invites task's body, once for the confirmation and once for the invite, as the
  two messages arrive in production, sent over SMTP to a server that keeps nothing
  (`smtp_sink.py`).

Celery's own per-message cost (the worker receiving, acking) is not here: the pipeline benchmark
(`link_population.py`) counts it with the rest of the worker's CPU. Queries are counted with a
database execute wrapper. `--profile STAGE` prints that stage's cProfile (by own time).
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.pipeline import cpu, reps, stack  # noqa: E402
from scripts.launchers import serve_command  # noqa: E402

STAGES = ("post", "confirmation", "link", "invites")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=200, help="bookings per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--profile", choices=STAGES, help="print this stage's profile")
    parser.add_argument("--queries", action="store_true", help="print each stage's statements")
    parser.add_argument("--database", default="zoomsched_speed_cost")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    # What reps.prepare reads.
    args.one_account = args.company_account = False
    args.latency_ms, args.latency_p99_ms, args.qps_limit, args.seed = 0, 0, 0, 28
    return args


class RedisClients:
    """Counts the `redis.Redis` objects made (each sets up ~170 response callbacks)."""

    made = 0

    @classmethod
    def watch(cls):
        import redis

        made = redis.Redis.__init__

        def counted(self, *args, **kwargs):
            cls.made += 1
            made(self, *args, **kwargs)

        redis.Redis.__init__ = counted


class QueryCounter:
    def __init__(self):
        self.count = 0
        self.last: list[str] = []  # the statements since the last `next_call()`

    def next_call(self):
        self.last = []

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        self.last.append(sql)
        return execute(sql, params, many, context)


def _by_package(stats: pstats.Stats, n: int) -> str:
    """Own time per call grouped by where the code lives (ours by app, libraries by package)."""
    root = str(Path(__file__).resolve().parents[1])
    totals: dict[str, float] = {}
    for (filename, _line, _name), (_cc, _nc, own, _cum, _callers) in stats.stats.items():
        if "site-packages/" in filename:
            parts = filename.split("site-packages/", 1)[1].split("/")
            key = "/".join(parts[:3]) if parts[0] == "django" else parts[0]
        elif filename.startswith(root):
            key = "ours: " + filename[len(root) + 1 :].split("/")[0]
        elif filename.startswith("~") or filename.startswith("<"):
            key = "builtins"
        else:
            key = "stdlib: " + Path(filename).stem
        totals[key] = totals.get(key, 0.0) + own
    lines = [f"{own / n * 1000:8.3f} ms  {key}" for key, own in totals.items()]
    return "\nown time per call, by package (under the profiler):\n" + "\n".join(
        sorted(lines, reverse=True)[:30]
    )


def _backend_cpu() -> tuple[int, float]:
    """(pid, CPU seconds) of this process's PostgreSQL backend."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    return pid, cpu.process_seconds(pid)


def post_environ(page: str, start: str, index: int) -> dict:
    csrf = f"{index:032x}"
    body = urlencode(
        {
            "csrfmiddlewaretoken": csrf,
            "start": start,
            "name": f"Guest {index}",
            "email": f"guest{index}@example.org",
            "time_zone": "Europe/Paris",
        }
    ).encode()
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": page,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_REFERER": f"https://127.0.0.1:8000{page}",
        "HTTP_COOKIE": f"csrftoken={csrf}",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def run_round(slots, n: int, *, counting: bool = False) -> dict:
    """One round: each stage's median CPU per call and queries per call; `counting`: under
    cProfile instead, for each stage's Python function calls per call and its profile."""
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    from meetings.models import Booking
    from meetings.tasks import send_booking_invites
    from meetings.zoom.tasks import sync_zoom_meeting

    application = get_wsgi_application()
    floor = Booking.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    first = slots.taken
    plan = slots.take(n)
    figures = {}

    def measure(stage, calls):
        counter = QueryCounter()
        clients_before = RedisClients.made
        profiler = cProfile.Profile(time.process_time) if counting else None
        spent = []
        backend = _backend_cpu()
        with connection.execute_wrapper(counter):
            if profiler:
                profiler.enable()
            for call in calls():
                counter.next_call()
                started = time.process_time()
                call()
                spent.append(time.process_time() - started)
            if profiler:
                profiler.disable()
        # The median call: other processes' bursts (cache misses, a busy sibling core) inflate
        # some calls, and the median leaves them out where a mean would not.
        backend_after = _backend_cpu()
        figures[stage] = {
            "cpu": statistics.median(spent) * 1000,
            # The PostgreSQL backend's CPU for the stage (None if the session changed).
            "postgres": (backend_after[1] - backend[1]) / n * 1000
            if backend[0] == backend_after[0]
            else None,
            "queries": counter.count / n,
            "statements": counter.last,
        }
        if profiler:
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            figures[stage]["calls"] = stats.total_calls / n
            figures[stage]["redis clients"] = (RedisClients.made - clients_before) / n
            stats.sort_stats("tottime").print_stats(30)
            stats.sort_stats("cumulative").print_stats(70)
            figures[stage]["profile"] = out.getvalue() + _by_package(stats, n)

    def posts():
        for index, (page, start) in enumerate(plan, start=first):
            environ = post_environ(page.path, start.isoformat(), index)

            def call(environ=environ):
                statuses = []
                response = application(environ, lambda status, headers: statuses.append(status))
                for _chunk in response:
                    pass
                response.close()
                assert statuses[0].startswith("302"), statuses

            yield call

    measure("post", posts)
    ids = list(Booking.objects.filter(pk__gt=floor).order_by("pk").values_list("pk", flat=True))
    assert len(ids) == n, (len(ids), n)
    measure("confirmation", lambda: (lambda i=i: send_booking_invites(i) for i in ids))
    measure("link", lambda: (lambda i=i: sync_zoom_meeting(i) for i in ids))
    measure("invites", lambda: (lambda i=i: send_booking_invites(i) for i in ids))
    done = Booking.objects.filter(pk__in=ids, link_state="ready").count()
    assert done == n, f"only {done} of {n} links ready"
    return figures


def main():
    args = parse_args()
    from cryptography.fernet import Fernet

    workdir = Path(tempfile.mkdtemp(prefix="booking-cost-"))
    redis_proc, redis_url = stack.start_redis(workdir)
    port = stack.free_port()
    sandbox = stack.Process(serve_command(port, workdir / "sb.sqlite3"), os.environ, workdir / "sb")
    sandbox_url = f"http://localhost:{port}"
    smtp, email_url = stack.start_smtp_sink(workdir)
    children = [redis_proc, sandbox, smtp]
    env = stack.production_env(args, workdir, redis_url, "", sandbox_url, email_url)
    env.update(
        DATABASE_URL=f"{args.postgres}/{args.database}",
        FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        SITE_URL="http://127.0.0.1:8000",
        DJANGO_BEHIND_TLS_PROXY="true",
        ZOOM_CLIENT_ID="bench-client-id",
        ZOOM_CLIENT_SECRET="bench-client-secret",
        ZOOM_WEBHOOK_SECRET_TOKEN="bench-webhook-secret",
        ZOOM_ACCOUNT_CLIENT_ID="bench-account-client-id",
        ZOOM_ACCOUNT_CLIENT_SECRET="bench-account-client-secret",
        ZOOM_MARKETPLACE_URL=f"{sandbox_url}/marketplace/app",
    )
    stack.recreate_database(args.postgres, args.database)
    try:
        sandbox.wait_for(lambda: stack.http_ok(f"{sandbox_url}/_sandbox/health"), "Sandbox")
        lean, zoom_url = None, ""
        os.environ.update(env)
        os.environ["ZOOM_API_BASE_URL"] = f"{sandbox_url}/v2"
        pages = reps.prepare(args, sandbox_url)
        from django.conf import settings
        from django.test.utils import teardown_test_environment

        teardown_test_environment()  # prepare() instrumented templates for its test client
        reps.write_tokens(workdir / "tokens.json")
        lean, zoom_url = stack.start_lean_zoom(args, workdir)
        children.append(lean)
        settings.ZOOM_API_BASE_URL = f"{zoom_url}/v2"
        slots = reps.Slots(pages)
        run_round(slots, args.n)  # pays for imports, caches and connections
        rounds = [run_round(slots, args.n) for _ in range(args.rounds)]
        RedisClients.watch()
        counted = run_round(slots, args.n, counting=True)
    finally:
        for child in reversed(children):
            child.stop()
        from django.db import connections

        connections.close_all()
        stack.recreate_database(args.postgres, args.database, drop_only=True)
    print(
        f"\nper booking: the median call's CPU (best of {len(rounds)} rounds of {args.n}), "
        "its PostgreSQL backend's CPU (mean, best round), queries, Python function calls"
    )
    total = 0.0
    for stage in ("post", "confirmation", "link", "invites"):
        best = min(r[stage]["cpu"] for r in rounds)
        total += best
        each = ", ".join(f"{r[stage]['cpu']:.2f}" for r in rounds)
        postgres = [r[stage]["postgres"] for r in rounds if r[stage]["postgres"] is not None]
        database = f"{min(postgres):5.2f} ms" if postgres else "  n/a   "
        print(
            f"  {stage:13s} {best:6.2f} ms ({each})  PostgreSQL {database}  "
            f"{counted[stage]['queries']:4.1f} queries  {counted[stage]['calls']:7.0f} calls  "
            f"{counted[stage]['redis clients']:.1f} Redis clients made"
        )
    print(f"  {'total':13s} {total:6.2f} ms")
    if args.queries:
        for stage in STAGES:
            print(f"\n{stage}, the last call's statements:")
            for sql in counted[stage]["statements"]:
                print(f"  {sql[:240]}")
    if args.profile:
        print(counted[args.profile]["profile"])


if __name__ == "__main__":
    main()
