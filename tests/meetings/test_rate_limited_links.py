"""A 429 means Zoom created nothing: the retry creates without looking for an unrecorded meeting,
after Zoom's Retry-After plus jitter. A lost answer (5xx, timeout) still looks first. Run inline
against the Zoom sandbox."""

import json

import pytest
from django.utils import timezone

from meetings.models import Booking
from meetings.services.bookings import cancel_booking
from meetings.zoom import links as zoom_links
from meetings.zoom.state import LinkState
from tests.meetings.factories import ZOOM_EMAIL, BookingFactory, MeetingTypeFactory, next_slot

pytestmark = pytest.mark.django_db

MEETINGS_PATH = "/users/me/meetings"
PER_SECOND = json.dumps(
    {"code": 429, "message": "You have reached the maximum per-second rate limit for this API."}
)


def calls(sandbox, method: str) -> list[dict]:
    return [c for c in sandbox.calls(MEETINGS_PATH) if c["method"] == method]


@pytest.fixture
def meeting_type(zoom_rep):
    return MeetingTypeFactory(rep=zoom_rep)


def test_a_429_is_retried_by_creating_again_without_a_lookup(meeting_type, sandbox):
    booking = BookingFactory(meeting_type=meeting_type)
    sandbox.fail_next(MEETINGS_PATH, status=429, body=PER_SECOND)

    first = zoom_links.sync_zoom_meeting(booking.pk)
    zoom_links.sync_zoom_meeting(booking.pk)

    booking.refresh_from_db()
    assert first.state == LinkState.PENDING
    assert booking.link_state == LinkState.READY
    assert [c["status"] for c in calls(sandbox, "POST")] == [429, 201]
    assert calls(sandbox, "GET") == []
    assert len(sandbox.meetings(ZOOM_EMAIL)) == 1


def test_a_lost_answer_is_looked_up_before_creating_again(meeting_type, sandbox):
    booking = BookingFactory(meeting_type=meeting_type)
    sandbox.fail_next(MEETINGS_PATH, status=502)

    zoom_links.sync_zoom_meeting(booking.pk)
    zoom_links.sync_zoom_meeting(booking.pk)

    booking.refresh_from_db()
    assert booking.link_state == LinkState.READY
    assert len(calls(sandbox, "GET")) == 1
    assert not booking.zoom_create_in_doubt


def test_a_429_after_a_lost_answer_still_looks_next_time(meeting_type, sandbox):
    booking = BookingFactory(meeting_type=meeting_type)
    sandbox.fail_next(MEETINGS_PATH, status=502)
    zoom_links.sync_zoom_meeting(booking.pk)
    sandbox.fail_next(MEETINGS_PATH, status=429, body=PER_SECOND)  # the lookup is refused

    zoom_links.sync_zoom_meeting(booking.pk)

    booking.refresh_from_db()
    assert booking.link_state == LinkState.PENDING
    assert booking.zoom_create_in_doubt


def test_a_per_second_429_holds_the_accounts_calls_and_spreads_the_retries(meeting_type, sandbox):
    bookings = [
        BookingFactory(meeting_type=meeting_type, start_at=next_slot(hour=hour))
        for hour in (9, 10, 11, 12)
    ]
    sandbox.fail_next(MEETINGS_PATH, status=429, body=PER_SECOND, count=len(bookings))
    before = timezone.now()

    retries = [zoom_links.sync_zoom_meeting(b.pk).retry_at for b in bookings]

    # Without Retry-After a per-second limit is retried after a second, plus jitter.
    assert all((r - before).total_seconds() >= 1 for r in retries)
    assert len(set(retries)) == len(retries)
    # Each 429 held the account for that second, so the next call waited instead of adding
    # to the storm: four refused calls took at least three seconds.
    assert (max(retries) - min(retries)).total_seconds() >= 3 - 1
    assert [c["status"] for c in calls(sandbox, "POST")] == [429] * 4


def test_the_ready_time_is_written_with_the_state(meeting_type, sandbox):
    booking = BookingFactory(meeting_type=meeting_type)
    before = timezone.now()

    zoom_links.sync_zoom_meeting(booking.pk)

    booking.refresh_from_db()
    assert booking.link_state == LinkState.READY
    assert before <= booking.link_ready_at <= timezone.now()


def test_a_cancel_after_a_lost_answer_removes_what_zoom_may_have_made(
    meeting_type, sandbox, django_capture_on_commit_callbacks
):
    booking = BookingFactory(meeting_type=meeting_type)
    sandbox.fail_next(MEETINGS_PATH, status=502)
    zoom_links.sync_zoom_meeting(booking.pk)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(Booking.objects.get(pk=booking.pk), by=Booking.Actor.GUEST)

    booking.refresh_from_db()
    assert booking.link_state == LinkState.REMOVED
    # The removal listed the host's meetings for one carrying the booking's reference.
    assert len(calls(sandbox, "GET")) == 1
