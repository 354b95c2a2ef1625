"""Admin pages at scale: the Zoom roster, its Zoom-account filter and the bookings list with
1,000 reps (each on a Zoom account of their own, the filter's worst case) and 10,000 bookings,
against the same pages with 60 reps and 600 bookings.

    python benchmarks/admin_pages.py
    python benchmarks/admin_pages.py --reps 1000 --bookings-per-rep 10 --repeat 30

It builds a PostgreSQL database of its own (`--database`, dropped at the end), fills it in bulk,
and requests each page `--repeat` times in-process through Django's test client as a superuser,
with DEBUG off. It prints, per page and size, the server time p50/p99, the number of queries and
the page's size; a page whose time at scale is more than `--max-ratio` times its small time, or
whose queries grow with the data, is named and the run exits 1 (searches are shown, not judged:
a search scans text columns, so its time grows with the rows).
"""

import argparse
import os
import secrets
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ROSTER = "/admin/integrations/zoomrosterentry/"
BOOKINGS = "/admin/meetings/booking/"
# The small size: just over one page of the roster (50 a page), so both sizes render full pages.
SMALL = 60


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--bookings-per-rep", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=30, help="requests per page and size")
    parser.add_argument("--max-ratio", type=float, default=2.0, help="at scale ÷ small, at most")
    parser.add_argument("--database", default="zoomsched_admin_bench")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    return parser.parse_args()


def recreate_database(postgres: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(f"{postgres}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            admin.execute(f'CREATE DATABASE "{name}"')


def fill(first: int, reps: int, bookings_per_rep: int) -> None:
    """`reps` reps numbered from `first`, each connected to Zoom on an account of their own, with
    one Zoom Meeting Type and `bookings_per_rep` bookings in every link state."""
    from django.utils import timezone

    from accounts.models import User
    from integrations.zoom.connection.models import ZoomConnection
    from meetings.meeting_types import LocationKind, MeetingType
    from meetings.models import Booking
    from meetings.zoom.state import LinkState

    now = timezone.now()
    users = User.objects.bulk_create(
        User(email=f"rep{n}@example.com", booking_slug=f"rep-{n}", password="!")
        for n in range(first, first + reps)
    )
    ZoomConnection.objects.bulk_create(
        ZoomConnection(
            user=user,
            status=ZoomConnection.Status.CONNECTED,
            zoom_user_id=f"zoomuser{user.pk}",
            zoom_account_id=f"account-{user.pk}",
            zoom_email=f"zoom{user.pk}@example.com",
            zoom_user_type=ZoomConnection.UserType.LICENSED,
            access_token=f"access-{user.pk}",
            refresh_token=f"refresh-{user.pk}",
            scopes="meeting:write:meeting user:read:user",
            connected_at=now,
            last_success_at=now,
        )
        for user in users
    )
    types = MeetingType.objects.bulk_create(
        MeetingType(
            rep=user,
            name="Intro call",
            slug="intro",
            duration_minutes=30,
            location_kind=LocationKind.ZOOM,
        )
        for user in users
    )
    states = [LinkState.READY, LinkState.PENDING, LinkState.FAILED, LinkState.READY]
    start = datetime(2031, 1, 6, 14, tzinfo=UTC)
    Booking.objects.bulk_create(
        (
            Booking(
                rep=meeting_type.rep,
                meeting_type=meeting_type,
                guest_name=f"Guest {meeting_type.pk}-{n}",
                guest_email=f"guest{meeting_type.pk}-{n}@example.org",
                guest_time_zone="Europe/Paris",
                start_at=start + timedelta(hours=n),
                end_at=start + timedelta(hours=n, minutes=30),
                location_kind=LocationKind.ZOOM,
                link_state=states[n % len(states)],
                link_last_error="Zoom refused the meeting." if n % len(states) == 2 else "",
                zoom_meeting_id=f"8{meeting_type.pk:05d}{n:04d}",
                zoom_chain="personal",
                zoom_join_url=f"https://zoom.example/j/8{meeting_type.pk:05d}{n:04d}",
                public_id=uuid.uuid4(),
            )
            for meeting_type in types
            for n in range(bookings_per_rep)
        ),
        batch_size=2000,
    )


def measure(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the first request fills caches (templates, the URL resolver)
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - began)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return {
        "p50": times[len(times) // 2],
        "p99": times[min(len(times) - 1, round(0.99 * (len(times) - 1)))],
        "queries": len(queries.captured_queries),
        "bytes": len(response.content),
    }


def pages(first_account: str) -> dict[str, str]:
    """Each page at both sizes shows the same number of rows (a full page, or one match)."""
    return {
        "roster": ROSTER,
        "roster, one Zoom account": f"{ROSTER}?zoom_account={first_account}",
        "roster, search": f"{ROSTER}?q=rep7@example.com",
        "bookings": BOOKINGS,
        "bookings, failed links": f"{BOOKINGS}?link_state__exact=failed",
        "bookings, search": f"{BOOKINGS}?q=guest5-3@example.org",
    }


def run(args) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import User
    from integrations.zoom.connection.models import ZoomConnection

    setup_test_environment()
    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest pages link to
    call_command("migrate", verbosity=0)
    admin = User.objects.create_superuser(email="admin@example.com", password="!")
    client = Client()
    client.force_login(admin)

    results = {}
    print(f"Filling {SMALL} reps, {SMALL * args.bookings_per_rep} bookings…", flush=True)
    fill(0, SMALL, args.bookings_per_rep)
    first_account = ZoomConnection.objects.order_by("pk").first().zoom_account_id
    for name, url in pages(first_account).items():
        results[name] = {"small": measure(client, url, args.repeat)}
    total = args.reps * args.bookings_per_rep
    print(f"Filling {args.reps} reps, {total} bookings…", flush=True)
    fill(SMALL, args.reps - SMALL, args.bookings_per_rep)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # plans as on a database that has grown, not one just filled
    for name, url in pages(first_account).items():
        results[name]["large"] = measure(client, url, args.repeat)

    print()
    print(f"{'page':<28}{f'{SMALL} reps':>24}{f'{args.reps} reps':>26}{'queries':>12}{'size':>14}")
    failures = []
    for name, sizes in results.items():
        small, large = sizes["small"], sizes["large"]
        print(
            f"{name:<28}"
            f"{small['p50'] * 1000:>9.1f} / {small['p99'] * 1000:>6.1f} ms"
            f"{large['p50'] * 1000:>11.1f} / {large['p99'] * 1000:>6.1f} ms"
            f"{small['queries']:>6} → {large['queries']:<4}"
            f"{large['bytes'] / 1024:>10.0f} KiB"
        )
        if "search" in name:
            continue  # shown, not a target: a search scans text columns (see the README)
        if large["p50"] > args.max_ratio * small["p50"]:
            failures.append(f"{name}: {large['p50'] / small['p50']:.1f}× slower at scale")
        if large["queries"] != small["queries"]:
            failures.append(f"{name}: {small['queries']} → {large['queries']} queries")
    print(
        f"(p50 / p99 server time over {args.repeat} requests; queries at {SMALL} reps → at scale)"
    )
    for failure in failures:
        print(f"FAILED: {failure}")
    return 1 if failures else 0


def main():
    args = parse_args()
    from cryptography.fernet import Fernet

    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": f"{args.postgres}/{args.database}",
            "CACHE_URL": f"filecache://{tempfile.mkdtemp(prefix='admin-bench-cache-')}",
            "EMAIL_URL": "dummymail://",
            "DJANGO_STATIC_ROOT": tempfile.mkdtemp(prefix="admin-bench-static-"),
            "LOG_LEVEL": "WARNING",
            "SITE_URL": "http://testserver",
        }
    )
    recreate_database(args.postgres, args.database)
    try:
        status = run(args)
    finally:
        from django.db import connections

        connections.close_all()
        recreate_database(args.postgres, args.database, drop_only=True)
    sys.exit(status)


if __name__ == "__main__":
    main()
