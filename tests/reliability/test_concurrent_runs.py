"""The same link work run twice at once, or a second time while the first is still talking to a
slow Zoom, leaves one meeting per booking."""

import pytest
from django.utils import timezone

from meetings.models import Booking
from meetings.zoom import tasks
from meetings.zoom.state import LinkState
from tests.fixtures.celery_worker import tasks_settled, wait_until
from tests.reliability.checks import assert_one_meeting_per_booking, settled
from tests.reliability.conftest import book

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]


def creates(sandbox) -> list[dict]:
    return [c for c in sandbox.calls("/users/me/meetings") if c["method"] == "POST"]


def test_the_same_task_twice_at_once_creates_one_meeting(sandbox, zoom_type, workers):
    meeting_type = zoom_type("twice@example.com")
    workers(count=2)
    # Slow enough that both copies of each task are running while Zoom answers the first.
    sandbox.set_knobs(latency_ms=500)

    bookings = [book(meeting_type, i) for i in range(3)]
    for booking in bookings:
        tasks.sync_zoom_meeting.delay(booking.pk)
        tasks.sync_zoom_meeting.delay(booking.pk)

    wait_until(lambda: settled(bookings), timeout=30, message="the links")
    assert {b.link_state for b in Booking.objects.filter(pk__in=[b.pk for b in bookings])} == {
        LinkState.READY
    }
    assert len(creates(sandbox)) == 3
    assert_one_meeting_per_booking(sandbox, bookings)


def test_a_run_that_outlives_its_lease_leaves_one_meeting(sandbox, zoom_type, workers):
    meeting_type = zoom_type("slow@example.com")
    # A one-second lease and a Zoom that takes three: the second run starts while the first is
    # still creating, as it would in production if Zoom hung past the lease.
    started = workers(count=2, lease=1)
    sandbox.set_knobs(latency_ms=3000)

    booking = book(meeting_type, 0)
    wait_until(
        lambda: Booking.objects.filter(pk=booking.pk, link_lease_until__isnull=False).exists(),
        message="the first run's claim",
    )
    wait_until(
        lambda: Booking.objects.filter(pk=booking.pk, link_lease_until__lt=timezone.now()).exists(),
        message="the first run's lease to run out",
    )
    tasks.sync_zoom_meeting.delay(booking.pk)

    wait_until(
        lambda: Booking.objects.get(pk=booking.pk).link_state == LinkState.READY,
        timeout=30,
        message="the link",
    )
    # Both runs are done once neither can still be holding an answer from Zoom.
    wait_until(lambda: len(sandbox.meetings()) <= 1, timeout=15, message="one meeting left")
    wait_until(lambda: tasks_settled(started), timeout=30, message="both runs to end")
    assert_one_meeting_per_booking(sandbox, [booking])
