"""Redis stopped while prospects book: every booking is saved, and once Redis is back the sweeper
(Celery beat's job) hands the overdue links to the workers.

This test runs its own throwaway Redis (other engineers share the main one) and points both its
workers and this process's publisher at it.
"""

import socket
import subprocess
import time

import pytest
import redis

from meetings import tasks
from meetings.models import Booking
from meetings.zoom.state import LinkState
from tests.fixtures.celery_worker import wait_until
from tests.reliability.checks import assert_one_meeting_per_booking
from tests.reliability.conftest import book

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]


class ThrowawayRedis:
    def __init__(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, timeout=10, message="Redis to start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def _answers(self) -> bool:
        try:
            return redis.Redis.from_url(self.url, socket_timeout=1).ping()
        except redis.ConnectionError:
            return False


@pytest.fixture
def own_redis():
    server = ThrowawayRedis()
    server.start()
    yield server
    server.stop()


def test_bookings_made_while_redis_is_down_are_saved_and_swept_once_it_is_back(
    own_redis, publishing_to, sandbox, zoom_type, workers
):
    meeting_type = zoom_type("outage@example.com")
    workers(concurrency=2, CELERY_BROKER_URL=own_redis.url)

    with publishing_to(own_redis.url):
        own_redis.stop()
        started = time.monotonic()
        bookings = [book(meeting_type, i) for i in range(3)]
        # The guest's request neither fails nor hangs on the dead broker.
        assert time.monotonic() - started < 3
        for booking in Booking.objects.filter(pk__in=[b.pk for b in bookings]):
            assert booking.link_state == LinkState.PENDING
        assert sandbox.meetings() == []

        own_redis.start()
        # Beat runs the sweeper every minute; here it is sent once, through the revived Redis.
        tasks.sweep_due_work.delay()
        wait_until(
            lambda: (
                set(
                    Booking.objects.filter(pk__in=[b.pk for b in bookings]).values_list(
                        "link_state", flat=True
                    )
                )
                == {LinkState.READY}
            ),
            timeout=45,
            message="the swept bookings' links",
        )
    assert_one_meeting_per_booking(sandbox, bookings)
