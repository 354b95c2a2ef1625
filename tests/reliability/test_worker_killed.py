"""A worker SIGKILLed after Zoom created the meeting and before we saved it: the task runs again
and adopts that meeting instead of creating a second one."""

import pytest
from django.db import connection, transaction

from meetings.models import Booking
from meetings.zoom.state import LinkState
from tests.fixtures.celery_worker import wait_until
from tests.reliability.checks import assert_one_meeting_per_booking
from tests.reliability.conftest import book

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]

ZOOM_EMAIL = "killed@example.com"
LEASE = 3
# Redelivery comes from Redis's visibility timeout: the killed worker never acknowledged the
# message (acks_late), so once it is VISIBILITY seconds old any live worker puts it back in the
# queue. It must exceed the lease, or the redelivered task would find the dead worker's lease
# still held and do nothing (leaving the booking to the sweeper, a minute or two later in
# production: the other way back, covered by test_sweep_due_work).
VISIBILITY = 6


def blocked_on_a_row_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def end_sessions_blocked_on_a_row_lock() -> None:
    """The dead worker's save is one statement in autocommit: still waiting on the lock, it would
    land once the lock is free (it needs no client to commit), and the meeting would be recorded
    after all. Ending its session loses it, as when the worker dies just before sending it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )


def test_a_worker_killed_before_saving_the_meeting_is_adopted_not_duplicated(
    sandbox, zoom_type, workers
):
    meeting_type = zoom_type(ZOOM_EMAIL)
    (doomed,) = workers(lease=LEASE, visibility=VISIBILITY)
    sandbox.set_knobs(latency_ms=800)

    booking = book(meeting_type, 0)
    wait_until(
        lambda: Booking.objects.filter(pk=booking.pk, link_lease_until__isnull=False).exists(),
        message="the worker's claim",
    )
    # Deterministic "after Zoom answered, before the save": this test holds the booking's row,
    # so the worker, holding Zoom's answer, waits on the lock to record it; then it is killed.
    with transaction.atomic():
        Booking.objects.select_for_update().get(pk=booking.pk)
        wait_until(blocked_on_a_row_lock, timeout=15, message="the worker to try to save")
        assert len(sandbox.meetings(host_email=ZOOM_EMAIL)) == 1
        doomed.kill()
        end_sessions_blocked_on_a_row_lock()

    booking.refresh_from_db()
    assert booking.link_state == LinkState.PENDING and booking.zoom_meeting_id == ""

    workers(lease=LEASE, visibility=VISIBILITY)
    wait_until(
        lambda: Booking.objects.get(pk=booking.pk).link_state == LinkState.READY,
        timeout=30,
        message="the retry to adopt the meeting",
    )
    creates = [c for c in sandbox.calls("/users/me/meetings") if c["method"] == "POST"]
    assert len(creates) == 1
    assert any(c["method"] == "GET" for c in sandbox.calls("/users/me/meetings"))
    assert_one_meeting_per_booking(sandbox, [booking])
