"""Buffers hold across a rep's Meeting Types: a new slot keeps its type's buffers clear of every
booking the rep has, each booking keeps its own type's buffers, and the booking POST checks this
again (a page loaded before the other booking cannot double-book through it)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from meetings import selectors
from meetings.availability import day_bounds
from meetings.models import Booking
from meetings.services.bookings import SlotUnavailable, reschedule_booking
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot

pytestmark = pytest.mark.django_db

TEN = next_slot(days=3, hour=10)  # 10:00 New York, the rep's zone
MINUTES = timedelta(minutes=1)


def starts(meeting_type) -> set:
    """Starts offered for the meeting type on TEN's day."""
    zone = meeting_type.rep.time_zone
    start, end = day_bounds(TEN.astimezone(ZoneInfo(zone)).date(), zone)
    return {slot.start for slot in selectors.available_slots(meeting_type, start, end)}


@pytest.fixture
def rep_types():
    """Two Meeting Types of one rep: `buffered` keeps 30 minutes before and after, `plain` none."""
    buffered = MeetingTypeFactory(buffer_before_minutes=30, buffer_after_minutes=30)
    plain = MeetingTypeFactory(rep=buffered.rep)
    return buffered, plain


def test_a_slot_keeps_its_buffers_clear_of_another_types_booking(rep_types):
    buffered, plain = rep_types
    BookingFactory(meeting_type=plain, start_at=TEN)  # 10:00–10:30, no buffers of its own
    free = starts(buffered)
    assert TEN - 30 * MINUTES not in free  # 09:30–10:00 needs 10:00–10:30 free after it
    assert TEN + 30 * MINUTES not in free  # 10:30–11:00 needs 10:00–10:30 free before it
    assert TEN - 60 * MINUTES in free and TEN + 60 * MINUTES in free


def test_a_booking_keeps_its_own_types_buffers_against_another_type(rep_types):
    buffered, plain = rep_types
    BookingFactory(meeting_type=buffered, start_at=TEN)  # keeps 09:30–11:00 clear
    free = starts(plain)
    assert TEN - 30 * MINUTES not in free and TEN + 30 * MINUTES not in free
    assert TEN - 60 * MINUTES in free and TEN + 60 * MINUTES in free


def test_a_cancelled_booking_keeps_no_buffers(rep_types):
    buffered, plain = rep_types
    booking = BookingFactory(meeting_type=buffered, start_at=TEN)
    booking.cancel(Booking.Actor.REP)
    booking.save()
    assert {TEN - 30 * MINUTES, TEN, TEN + 30 * MINUTES} <= starts(plain)


def test_another_reps_bookings_and_buffers_do_not_count(rep_types):
    buffered, plain = rep_types
    BookingFactory(
        meeting_type=MeetingTypeFactory(buffer_before_minutes=60, buffer_after_minutes=60),
        start_at=TEN,
    )
    assert {TEN - 30 * MINUTES, TEN, TEN + 30 * MINUTES} <= starts(plain)


def test_the_booking_post_checks_buffers_again_so_a_stale_page_cannot_double_book(
    client, rep_types
):
    buffered, plain = rep_types
    url = f"/book/{plain.rep.booking_slug}/{plain.slug}/confirm/"
    stale_start = TEN + 30 * MINUTES
    # The prospect opened the details page while 10:30 was free…
    assert client.get(url, {"start": stale_start.isoformat(), "tz": "UTC"}).status_code == 200
    # …then another prospect booked 10:00 of the buffered type, which keeps 10:30–11:00 clear.
    BookingFactory(meeting_type=buffered, start_at=TEN)
    response = client.post(
        url,
        {
            "name": "Grace Hopper",
            "email": "grace@example.org",
            "start": stale_start.isoformat(),
            "time_zone": "UTC",
        },
        follow=True,
    )
    assert "no longer available" in response.content.decode()
    assert Booking.objects.filter(meeting_type=plain).count() == 0


def test_a_reschedule_into_another_bookings_buffer_is_refused(rep_types):
    buffered, plain = rep_types
    BookingFactory(meeting_type=buffered, start_at=TEN)
    mine = BookingFactory(meeting_type=plain, start_at=next_slot(days=4))
    with pytest.raises(SlotUnavailable):
        reschedule_booking(mine, start_at=TEN + 30 * MINUTES)
    mine.refresh_from_db()
    assert mine.start_at == next_slot(days=4)
