"""Prometheus metrics: added up across gunicorn's processes and a worker's pool, never public, and
the figures the README's alerts read (bookings, refusals, Zoom calls and 429s, pacing waits, link
latency, link states, queue depth)."""

import secrets

import pytest
import requests
import responses
from django.conf import settings
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from config.celery import app as celery_app
from health.tasks import record_beat_heartbeat
from integrations.zoom.api.client import ZoomClient
from integrations.zoom.api.errors import ZoomRateLimited
from meetings.models import Booking
from meetings.services.bookings import book_meeting
from meetings.zoom.state import LinkState
from scripts.launchers import free_port
from tests.fixtures.celery_worker import database_url, wait_until, worker_env
from tests.fixtures.web import WebServer, book_over_http
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot
from tests.security.booking_steps import book

TOKEN = secrets.token_urlsafe(32)
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def samples(text: str) -> dict[tuple, float]:
    """{(name, (label=value, …)): value} of an exposition."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(text: str, name: str, **labels) -> float:
    return samples(text).get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def metrics_token(settings):
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


# The web's /metrics ------------------------------------------------------------------------------


def test_there_is_no_metrics_page_without_a_token(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404


def test_the_metrics_page_answers_only_the_token(client, metrics_token, transactional_db):
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong-" + TOKEN).status_code == 401
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_the_page_counts_link_states_of_upcoming_bookings_and_queue_depth(
    client, metrics_token, transactional_db
):
    for _ in range(2):
        BookingFactory(link_state=LinkState.WAITING_FOR_RECONNECT)
    BookingFactory(link_state=LinkState.READY, zoom_meeting_id="81", zoom_join_url="https://z/j/81")
    # Two tasks nobody takes yet: the broker's queue holds them.
    celery_app.control.purge()
    for _ in range(2):
        celery_app.send_task(record_beat_heartbeat.name, queue=settings.CELERY_TASK_DEFAULT_QUEUE)
    try:
        page = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    finally:
        celery_app.control.purge()
    assert value(page, "zoomsched_booking_links", state="waiting_for_reconnect") == 2
    assert value(page, "zoomsched_booking_links", state="ready") == 1
    assert value(page, "zoomsched_queue_messages", queue=settings.CELERY_TASK_DEFAULT_QUEUE) == 2
    assert ("zoomsched_queue_messages", (("queue", settings.MEETINGS_INVITES_QUEUE),)) in samples(
        page
    )


def test_bookings_and_refusals_are_counted_by_change_and_reason(
    client, db, settings, django_capture_on_commit_callbacks
):
    settings.RATE_LIMIT_BOOKINGS_PER_ADDRESS = "2/h"
    meeting_type = MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0100")
    created = REGISTRY.get_sample_value(
        "zoomsched_bookings_total", {"change": "created", "location": "phone"}
    )
    refused = REGISTRY.get_sample_value(
        "zoomsched_bookings_refused_total", {"reason": "guest_limit"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        answers = [book(client, meeting_type, n).status_code for n in range(3)]
    assert answers == [302, 302, 429]
    assert (
        REGISTRY.get_sample_value(
            "zoomsched_bookings_total", {"change": "created", "location": "phone"}
        )
        == (created or 0) + 2
    )
    assert (
        REGISTRY.get_sample_value("zoomsched_bookings_refused_total", {"reason": "guest_limit"})
        == (refused or 0) + 1
    )


# Zoom calls, 429s and pacing, counted in the one client ------------------------------------------


@responses.activate
def test_zoom_calls_are_counted_by_endpoint_and_status_and_429s_by_limit(settings):
    api = settings.ZOOM_API_BASE_URL
    responses.get(f"{api}/users/me", json={"id": "u1"})
    responses.get(
        f"{api}/meetings/8123456789",
        status=429,
        json={"code": 429, "message": "Too many requests"},
        headers={"X-RateLimit-Type": "QPS"},
    )
    endpoint = {"endpoint": "GET /v2/meetings/{id}", "status": "429"}
    before = REGISTRY.get_sample_value("zoomsched_zoom_requests_total", endpoint) or 0
    qps = REGISTRY.get_sample_value("zoomsched_zoom_rate_limited_total", {"limit": "qps"}) or 0

    client = ZoomClient()
    client.get_me("token")
    with pytest.raises(ZoomRateLimited):
        client.get_meeting("token", 8123456789)

    assert REGISTRY.get_sample_value("zoomsched_zoom_requests_total", endpoint) == before + 1
    assert REGISTRY.get_sample_value("zoomsched_zoom_rate_limited_total", {"limit": "qps"}) == (
        qps + 1
    )
    assert REGISTRY.get_sample_value(
        "zoomsched_zoom_request_seconds_count", {"endpoint": "GET /v2/users/me"}
    )


@responses.activate
def test_pacing_waits_and_deferrals_are_counted(settings, tmp_path, db):
    # The account's pace is read from the database (integrations.zoom.api.account_pace).
    settings.ZOOM_PACING_URL = f"file://{tmp_path}"
    settings.ZOOM_ACCOUNT_REQUESTS_PER_SECOND = 0.5  # a turn every 2 s
    settings.ZOOM_PACING_MAX_WAIT_SECONDS = 1.0
    responses.get(f"{settings.ZOOM_API_BASE_URL}/users/me", json={"id": "u1"})
    waits = REGISTRY.get_sample_value("zoomsched_zoom_pacing_wait_seconds_count") or 0
    deferred = REGISTRY.get_sample_value("zoomsched_zoom_pacing_deferred_total") or 0

    client = ZoomClient(account_id=f"acct-{secrets.token_hex(4)}")
    client.get_me("token")  # its turn is now
    with pytest.raises(ZoomRateLimited):
        client.get_me("token")  # its turn is 2 s away: deferred, nothing sent

    assert REGISTRY.get_sample_value("zoomsched_zoom_pacing_wait_seconds_count") == waits + 1
    assert REGISTRY.get_sample_value("zoomsched_zoom_pacing_deferred_total") == deferred + 1
    assert len(responses.calls) == 1


# Added up across processes ------------------------------------------------------------------------


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_gunicorns_processes_are_added_up(tmp_path):
    meeting_type = MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0100")
    env = worker_env(
        DATABASE_URL=database_url(),
        METRICS_TOKEN=TOKEN,
        RATE_LIMIT_BOOKINGS_PER_ADDRESS="4/h",
        # The rate limits every process of this host shares.
        CACHE_URL=f"filecache://{tmp_path / 'cache'}",
    )
    page = f"/book/{meeting_type.rep.booking_slug}/{meeting_type.slug}/"
    with WebServer(env, workers=3, log=tmp_path / "web.log") as web:
        answers = [
            book_over_http(web.url, page, next_slot(days=2 + n), email=f"g{n}@example.org")
            for n in range(6)
        ]
        scraped = [requests.get(f"{web.url}/metrics", headers=AUTH, timeout=30) for _ in range(6)]
        anonymous = requests.get(f"{web.url}/metrics", timeout=30)
    assert [a.status_code for a in answers] == [302] * 4 + [429] * 2
    assert anonymous.status_code == 401
    # Whichever process answers the scrape, it reports all of them.
    for scrape in scraped:
        text = scrape.text
        assert value(text, "zoomsched_bookings_total", change="created", location="phone") == 4
        assert value(text, "zoomsched_bookings_refused_total", reason="guest_limit") == 2
    assert Booking.objects.count() == 4


@pytest.mark.celery_worker
def test_a_workers_metrics_cover_its_pool_and_ask_for_the_token(
    celery_workers, sandbox, connect_zoom
):
    port = free_port()
    celery_workers(concurrency=2, METRICS_PORT=port, METRICS_TOKEN=TOKEN)
    meeting_type = MeetingTypeFactory(rep=connect_zoom(zoom_email="metrics@example.com").user)
    for n in range(3):
        book_meeting(
            meeting_type,
            start_at=next_slot(days=2, hour=9 + n),
            guest_name="Ada",
            guest_email=f"g{n}@example.org",
            guest_time_zone="UTC",
        )
    wait_until(
        lambda: not Booking.objects.exclude(link_state=LinkState.READY).exists(),
        timeout=60,
        message="the links",
    )
    url = f"http://127.0.0.1:{port}/metrics"
    assert requests.get(url, timeout=10).status_code == 401

    def scraped():
        page = requests.get(url, headers=AUTH, timeout=10).text
        return page if value(page, "zoomsched_link_latency_seconds_count") >= 3 else None

    text = wait_until(scraped, timeout=30, message="the worker's metrics")
    # The rep's own connection creates as "me".
    creates = value(
        text, "zoomsched_zoom_requests_total", endpoint="POST /v2/users/me/meetings", status="201"
    )
    assert creates == 3
    assert value(text, "zoomsched_zoom_pacing_wait_seconds_count") >= 3
