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
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.pipeline import reps, stack  # noqa: E402
from scripts.launchers import serve_command  # noqa: E402

STAGES = ("post", "link", "invites")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=200, help="bookings per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--profile", choices=STAGES)
    parser.add_argument("--database", default="zoomsched_speed_cost")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    # What reps.prepare reads.
    args.one_account = args.company_account = False
    args.latency_ms, args.latency_p99_ms, args.qps_limit, args.seed = 0, 0, 0, 28
    return args


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


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


def run_round(slots, n: int, profile: str | None, first_round: bool) -> dict:
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
        profiler = (
            cProfile.Profile(time.process_time) if profile == stage and not first_round else None
        )
        with connection.execute_wrapper(counter):
            started = time.process_time()
            if profiler:
                profiler.enable()
            for call in calls():
                call()
            if profiler:
                profiler.disable()
            spent = time.process_time() - started
        figures[stage] = (spent / n * 1000, counter.count / n)
        if profiler:
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("tottime").print_stats(30)
            stats.sort_stats("cumulative").print_stats(70)
            figures["profile"] = out.getvalue()

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
        rounds = [run_round(slots, args.n, args.profile, i == 0) for i in range(args.rounds + 1)]
    finally:
        for child in reversed(children):
            child.stop()
        from django.db import connections

        connections.close_all()
        stack.recreate_database(args.postgres, args.database, drop_only=True)
    measured = rounds[1:]  # the first round pays for imports, caches and connections
    print(f"\nper booking, best of {len(measured)} rounds of {args.n} (CPU ms, queries):")
    total = 0.0
    for stage in ("post", "confirmation", "link", "invites"):
        best = min(r[stage][0] for r in measured)
        total += best
        spread = ", ".join(f"{r[stage][0]:.2f}" for r in measured)
        print(f"  {stage:13s} {best:6.2f} ms  ({spread})   {measured[0][stage][1]:.1f} queries")
    print(f"  {'total':13s} {total:6.2f} ms")
    if args.profile:
        print(measured[-1]["profile"])


if __name__ == "__main__":
    main()
