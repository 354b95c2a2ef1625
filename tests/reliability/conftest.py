from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.test import Client

from config.celery import app as celery_app
from meetings.services.bookings import book_meeting
from tests.integrations import steps
from tests.meetings.factories import MeetingTypeFactory, next_slot

WORKER_SETTINGS = "tests.reliability.worker_settings"
HALF_HOUR = timedelta(minutes=30)
GUEST = {"guest_name": "Grace Hopper", "guest_time_zone": "Europe/Paris"}


def reconnect(rep, sandbox, zoom_email: str) -> None:
    browser = Client()
    browser.force_login(rep)
    assert steps.connect(browser, sandbox, zoom_email).status_code == 302


def slot(index: int):
    """The index-th distinct half-hour start inside the factory's 09:00–17:00 New York hours."""
    return next_slot(days=2 + index // 16, hour=9) + (index % 16) * HALF_HOUR


def book(meeting_type, index: int):
    return book_meeting(
        meeting_type, start_at=slot(index), guest_email=f"guest{index}@example.org", **GUEST
    )


@pytest.fixture
def zoom_type(connect_zoom):
    """`zoom_type(zoom_email)`: a Zoom Meeting Type of a newly connected rep."""

    def make(zoom_email: str):
        return MeetingTypeFactory(rep=connect_zoom(zoom_email=zoom_email).user)

    return make


@pytest.fixture
def workers(celery_workers):
    """`workers(count=1, concurrency=1, lease=30, visibility=3600, backoff=0.5)`: real workers
    over Redis with the given lease, Redis visibility timeout and first backoff (seconds)."""

    def start(count=1, concurrency=1, *, lease=30, visibility=3600, backoff=0.5, **env):
        return celery_workers(
            count,
            concurrency,
            DJANGO_SETTINGS_MODULE=WORKER_SETTINGS,
            MEETINGS_ZOOM_LEASE_SECONDS=lease,
            MEETINGS_ZOOM_BACKOFF_BASE_SECONDS=backoff,
            RELIABILITY_VISIBILITY_TIMEOUT=visibility,
            **env,
        )

    return start


def _forget_broker_connections():
    # Celery builds its publishing pools once, for the broker URL of that moment; kombu keeps one
    # pool per broker address, so forgetting ours makes the next publish fetch the right one.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def publishing_to(monkeypatch):
    """`with publishing_to(url):` this process's Celery publishes to `url`. Celery reads the
    CELERY_BROKER_URL environment variable before any configuration, so that is what moves."""

    @contextmanager
    def switch(url: str):
        _forget_broker_connections()
        monkeypatch.setenv("CELERY_BROKER_URL", url)
        try:
            yield
        finally:
            monkeypatch.undo()
            _forget_broker_connections()

    return switch
