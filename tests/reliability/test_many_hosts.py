"""Many hosts: two web hosts (gunicorn, two processes each) and two worker hosts, each with a
DJANGO_VAR_DIR of its own, on one PostgreSQL and one Redis (the broker; the cache apart, on another
Redis database), as README "Many hosts" lays them out. Guests booking on either web host get one
booking per slot and their links from either worker host; the workers pace one Zoom account's calls
together (Zoom's per-second limit is never met); a rate limit counts across both web hosts; a rep
signed in on one is signed in on the other, and signing out on one signs out of both. Nothing is
kept in a host's own files.
"""

import os
import re
import threading

import pytest
import redis
import requests

from meetings.models import Booking
from meetings.zoom.state import LinkState
from scripts.launchers import WorkerProcess
from tests.factories import RepFactory
from tests.fixtures.celery_worker import purge_broker, wait_until, worker_env
from tests.fixtures.web import CSRF, WebServer, book_over_http
from tests.integrations import steps
from tests.meetings.factories import MeetingTypeFactory
from tests.reliability.checks import assert_one_meeting_per_booking
from tests.reliability.conftest import slot

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]

CACHE_URL = os.environ.get("TEST_CACHE_REDIS_URL", "redis://127.0.0.1:6379/8")
ZOOM_QPS_LIMIT = 4  # the sandbox answers 429 above this many calls a second per account
PACED_AT = 3  # what every worker together paces one account's calls to


@pytest.fixture
def hosts(transactional_db, sandbox, tmp_path):
    """Starts the four hosts; yields (web_a, web_b, worker_hosts)."""
    redis.Redis.from_url(CACHE_URL).flushdb()
    purge_broker()

    def host_env(name: str) -> dict:
        var_dir = tmp_path / name
        var_dir.mkdir()
        return worker_env(
            DJANGO_VAR_DIR=var_dir,
            CACHE_URL=CACHE_URL,
            ZOOM_ACCOUNT_REQUESTS_PER_SECOND=PACED_AT,
            RATE_LIMIT_BOOKINGS_PER_ADDRESS="1000/h",
            RATE_LIMIT_BOOKINGS_PER_EMAIL="2/h",
        )

    workers = [
        WorkerProcess(host_env(f"worker-{n}"), 3, f"host{n}@%h", pool="threads") for n in "ab"
    ]
    try:
        with (
            WebServer(host_env("web-a"), log=tmp_path / "web-a.log") as web_a,
            WebServer(host_env("web-b"), log=tmp_path / "web-b.log") as web_b,
        ):
            for worker in workers:
                worker.wait_ready()
            yield web_a, web_b, workers
    finally:
        for worker in workers:
            worker.stop()
    for name in ("web-a", "web-b", "worker-a", "worker-b"):
        assert list((tmp_path / name).iterdir()) == [], f"{name} kept something of its own"


def test_two_web_and_two_worker_hosts_share_bookings_pacing_limits_and_sessions(hosts, sandbox):
    web_a, web_b, workers = hosts
    # Three reps in one Zoom account: their Zoom calls share its per-second limit.
    meeting_types = [
        MeetingTypeFactory(
            rep=steps.connect_rep(sandbox, f"rep{n}@acme.example", account_id="acme").user
        )
        for n in range(3)
    ]
    pages = [f"/book/{t.rep.booking_slug}/{t.slug}/" for t in meeting_types]
    # The account's limit applies to the hosts' work from here on. The reps were connected above
    # by this test's process, which is none of the hosts and paces at the default rate, not
    # theirs (and a connect's first call cannot be paced: only its answer names the account):
    # under this limit their six calls would meet 429s on a fast machine.
    sandbox.set_knobs(qps_limit=ZOOM_QPS_LIMIT)
    calls_before = len(sandbox.calls())

    # Bookings: twelve guests at once, alternately on each web host, and two more for one slot,
    # one on each host: that slot is booked once.
    answers: dict[str, requests.Response] = {}

    def guest(key, base, page, start, email):
        answers[key] = book_over_http(base, page, start, email=email)

    guests = [
        threading.Thread(
            target=guest,
            args=(n, (web_a, web_b)[n % 2].url, pages[n % 3], slot(n // 3), f"g{n}@example.org"),
        )
        for n in range(12)
    ] + [
        threading.Thread(
            target=guest, args=(f"same-{h}", web.url, pages[0], slot(20), f"same-{h}@example.org")
        )
        for h, web in (("a", web_a), ("b", web_b))
    ]
    for thread in guests:
        thread.start()
    for thread in guests:
        thread.join(timeout=120)
    assert all(answers[n].status_code == 302 for n in range(12)), answers
    assert sorted("/bookings/guest/" in answers[f"same-{h}"].headers["Location"] for h in "ab") == [
        False,
        True,
    ], "one of the two guests of the same slot is told it was just taken"

    bookings = list(Booking.objects.all())
    assert len(bookings) == 13

    def all_ready():
        return not Booking.objects.exclude(link_state=LinkState.READY).exists()

    wait_until(all_ready, timeout=90, message="every link")
    assert_one_meeting_per_booking(sandbox, bookings)
    # Both worker hosts worked, and together never went over the account's limit.
    for worker in workers:
        assert re.search(r"Task meetings\.tasks\.sync_zoom_meeting\[.*\] succeeded", worker.log())
    calls = sandbox.calls()[calls_before:]
    assert [c for c in calls if c["status"] == 429] == []

    # Rate limits: two bookings per guest email an hour, whichever host takes them.
    limited = [
        book_over_http(web.url, pages[1], slot(30 + n), email="twice@example.org").status_code
        for n, web in enumerate((web_a, web_b, web_a))
    ]
    assert limited == [302, 302, 429]

    # Sessions: signed in on one host, signed in on the other; signed out on one, out of both.
    rep = RepFactory()
    browser = requests.Session()
    login = browser.get(f"{web_a.url}/accounts/login/", timeout=30)
    signed_in = browser.post(
        f"{web_a.url}/accounts/login/",
        data={
            "csrfmiddlewaretoken": CSRF.search(login.text).group(1),
            "login": rep.email,
            "password": RepFactory.PASSWORD,
        },
        headers={"Referer": f"{web_a.url}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert signed_in.status_code == 302
    dashboard_b = browser.get(f"{web_b.url}/dashboard/", allow_redirects=False, timeout=30)
    assert dashboard_b.status_code == 200 and rep.email in dashboard_b.text

    page_b = browser.get(f"{web_b.url}/accounts/logout/", timeout=30)
    browser.post(
        f"{web_b.url}/accounts/logout/",
        data={"csrfmiddlewaretoken": CSRF.search(page_b.text).group(1)},
        headers={"Referer": f"{web_b.url}/accounts/logout/"},
        timeout=30,
    )
    dashboard_a = browser.get(f"{web_a.url}/dashboard/", allow_redirects=False, timeout=30)
    assert dashboard_a.status_code == 302 and "/accounts/login/" in dashboard_a.headers["Location"]
