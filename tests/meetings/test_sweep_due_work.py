"""The periodic sweeper: Zoom work and invites whose enqueue was lost still happen."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings import tasks
from meetings.models import Booking
from meetings.zoom.state import LinkState
from tests.meetings.factories import ZOOM_EMAIL, BookingFactory, MeetingTypeFactory

pytestmark = pytest.mark.django_db


def test_an_overdue_booking_nobody_holds_gets_its_link(
    zoom_rep, sandbox, django_capture_on_commit_callbacks
):
    booking = BookingFactory(
        meeting_type=MeetingTypeFactory(rep=zoom_rep),
        link_next_attempt_at=timezone.now() - timedelta(minutes=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.sweep_due_work()
    booking.refresh_from_db()
    assert booking.link_state == LinkState.READY
    (meeting,) = sandbox.meetings(ZOOM_EMAIL)
    assert booking.zoom_meeting_id == str(meeting["id"])


def test_a_booking_whose_worker_still_holds_it_is_left_alone():
    booking = BookingFactory(
        link_next_attempt_at=timezone.now() - timedelta(minutes=1),
        link_lease_until=timezone.now() + timedelta(minutes=1),
    )
    assert tasks.sweep_due_work() == 0
    booking.refresh_from_db()
    assert booking.link_state == LinkState.PENDING and booking.link_attempts == 0


def test_a_booking_not_yet_due_is_left_alone():
    BookingFactory(link_next_attempt_at=timezone.now() + timedelta(minutes=5))
    assert tasks.sweep_due_work() == 0


def test_invites_that_never_went_out_are_sent(mailoutbox):
    meeting_type = MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0100")
    booking = BookingFactory(meeting_type=meeting_type)
    Booking.objects.filter(pk=booking.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    tasks.sweep_due_work()
    assert len(mailoutbox) == 2
