"""RabbitMQ as the broker, on the RabbitMQ of the test machine (a vhost of this test's own): web
publishes and workers consume over AMQP, pacing and the cache stay on Redis, and a RabbitMQ that
refuses connections costs a guest nothing."""

import secrets
import subprocess
import time

import pytest
from django.conf import settings
from django.utils import timezone

from config.celery import app as celery_app
from meetings.models import Booking
from meetings.zoom.state import LinkState
from tests.fixtures.celery_worker import wait_until
from tests.reliability.checks import assert_one_meeting_per_booking
from tests.reliability.conftest import book

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]


def rabbitmqctl(*args: str) -> None:
    result = subprocess.run(
        ["rabbitmqctl", "-q", *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, (
        f"rabbitmqctl {' '.join(args)} failed (scripts/ensure_test_services.sh starts RabbitMQ): "
        + result.stdout
        + result.stderr
    )


@pytest.fixture
def rabbitmq_url():
    """An AMQP URL on a vhost made for this test alone (guest may use it), removed afterwards."""
    vhost = f"zoomsched_test_{secrets.token_hex(4)}"
    rabbitmqctl("add_vhost", vhost)
    try:
        rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        yield f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    finally:
        rabbitmqctl("delete_vhost", vhost)


def links_ready(bookings) -> bool:
    states = Booking.objects.filter(pk__in=[b.pk for b in bookings]).values_list(
        "link_state", flat=True
    )
    return set(states) == {LinkState.READY}


def test_bookings_get_their_links_through_rabbitmq(
    rabbitmq_url, publishing_to, sandbox, zoom_type, workers
):
    meeting_type = zoom_type("rabbit@example.com")
    workers(
        concurrency=2,
        CELERY_BROKER_URL=rabbitmq_url,
        # RabbitMQ holds no pacing state: every worker paces its Zoom calls in Redis.
        ZOOM_PACING_URL=settings.CELERY_BROKER_URL,
    )
    with publishing_to(rabbitmq_url):
        bookings = [book(meeting_type, i) for i in range(3)]
        wait_until(lambda: links_ready(bookings), timeout=45, message="links over RabbitMQ")
        # /healthz's worker check is a broadcast ping: it crosses RabbitMQ too.
        assert celery_app.control.ping(timeout=2.0)
    assert_one_meeting_per_booking(sandbox, bookings)


def test_a_rabbitmq_that_refuses_connections_costs_the_guest_nothing(
    transactional_db, publishing_to, sandbox, zoom_type
):
    meeting_type = zoom_type("rabbit-down@example.com")
    with publishing_to("amqp://guest:guest@127.0.0.1:1//"):
        started = time.monotonic()
        booking = book(meeting_type, 0)
        assert time.monotonic() - started < 3
    booking.refresh_from_db()
    # Saved, and due for the sweeper at once (the enqueue is known lost).
    assert booking.link_state == LinkState.PENDING
    assert Booking.objects.filter(pk=booking.pk, link_next_attempt_at__lte=timezone.now()).exists()
