"""Reassignment with real workers over Redis, the Zoom sandbox and PostgreSQL: the whole hand-over,
and a worker SIGKILLed after the new host's Zoom made the meeting and before it was saved (the
retry adopts that meeting: one meeting, one updated invite)."""

import pytest
from django.db import transaction

from meetings.models import Booking, HostChange, InviteDelivery
from meetings.zoom.state import LinkState
from teams.assignment import book_team_meeting
from teams.models import Priority
from teams.reassignment import reassign_booking
from tests.factories import RepFactory
from tests.fixtures.celery_worker import wait_until
from tests.meetings.factories import next_slot
from tests.reliability.test_worker_killed import (
    blocked_on_a_row_lock,
    end_sessions_blocked_on_a_row_lock,
)
from tests.teams.factories import team_type

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]

GUEST = {"guest_name": "Ada Lovelace", "guest_email": "ada@example.org", "guest_time_zone": "UTC"}
FORMER, NEW = "former.worker@example.com", "new.worker@example.com"
LEASE = 3
# Above the lease: a redelivered task must find the dead worker's lease over (see
# tests/reliability/test_worker_killed.py).
VISIBILITY = 6


@pytest.fixture
def workers(celery_workers):
    def start():
        return celery_workers(
            DJANGO_SETTINGS_MODULE="tests.reliability.worker_settings",
            MEETINGS_ZOOM_LEASE_SECONDS=LEASE,
            MEETINGS_ZOOM_BACKOFF_BASE_SECONDS=0.5,
            RELIABILITY_VISIBILITY_TIMEOUT=VISIBILITY,
        )

    return start


@pytest.fixture
def team(transactional_db, sandbox, connect_zoom):
    first, second = RepFactory(first_name="Fay"), RepFactory(first_name="Ned")
    connect_zoom(first, FORMER)
    connect_zoom(second, NEW)
    meeting_type = team_type(
        reps=[(first, Priority.HIGHEST, 100), (second, Priority.LOW, 100)], zoom_connected=False
    )
    return meeting_type, first, second


def book_with_link(meeting_type):
    booking = book_team_meeting(meeting_type, start_at=next_slot(), **GUEST)
    wait_until(
        lambda: Booking.objects.filter(pk=booking.pk, invites_sent_sequence=0).exists(),
        message="the first host's link and invites",
    )
    booking.refresh_from_db()
    return booking


def handed_over(booking, rep) -> bool:
    current = Booking.objects.get(pk=booking.pk)
    return (
        current.rep_id == rep.pk
        and current.invites_sent_sequence == current.invite_sequence
        and HostChange.objects.filter(booking=booking, removal="removed").exists()
    )


def guest_requests(booking):
    return list(
        InviteDelivery.objects.filter(
            booking=booking, email=GUEST["guest_email"], method="REQUEST"
        ).values_list("sequence", flat=True)
    )


def creates_by(sandbox, email):
    return [
        c
        for c in sandbox.calls(path="/v2/users/me/meetings")
        if c["method"] == "POST" and c["user_email"] == email
    ]


def test_a_worker_hands_the_booking_over_end_to_end(team, sandbox, workers):
    meeting_type, first, second = team
    workers()
    booking = book_with_link(meeting_type)
    old_meeting = booking.zoom_meeting_id

    reassign_booking(booking, second, by=None)
    wait_until(lambda: handed_over(booking, second), message="the hand-over")

    booking.refresh_from_db()
    assert booking.link_state == LinkState.READY and booking.zoom_chain == "personal"
    assert [str(m["id"]) for m in sandbox.meetings(NEW)] == [booking.zoom_meeting_id]
    assert sandbox.meetings(FORMER) == [] and booking.zoom_meeting_id != old_meeting
    assert guest_requests(booking) == [0, 1]
    assert InviteDelivery.objects.filter(
        booking=booking, email=first.email, method="CANCEL", sequence=1
    ).exists()


def test_a_worker_killed_before_saving_the_new_hosts_meeting_is_adopted_not_duplicated(
    team, sandbox, workers
):
    meeting_type, first, second = team
    (doomed,) = workers()
    booking = book_with_link(meeting_type)
    sandbox.set_knobs(latency_ms=800)

    reassign_booking(booking, second, by=None)
    wait_until(
        lambda: Booking.objects.filter(
            pk=booking.pk, rep=second, link_lease_until__isnull=False
        ).exists(),
        message="the worker's claim for the new host",
    )
    # After the new host's Zoom answered, before the save: the worker waits on this row lock.
    with transaction.atomic():
        Booking.objects.select_for_update().get(pk=booking.pk)
        wait_until(blocked_on_a_row_lock, timeout=15, message="the worker to try to save")
        assert len(sandbox.meetings(NEW)) == 1
        doomed.kill()
        end_sessions_blocked_on_a_row_lock()
    assert Booking.objects.get(pk=booking.pk).zoom_meeting_id == ""

    sandbox.set_knobs(latency_ms=0)
    workers()
    wait_until(lambda: handed_over(booking, second), timeout=60, message="the retry")

    booking.refresh_from_db()
    assert [str(m["id"]) for m in sandbox.meetings(NEW)] == [booking.zoom_meeting_id]
    assert len(creates_by(sandbox, NEW)) == 1
    assert sandbox.meetings(FORMER) == []
    assert guest_requests(booking) == [0, 1]
