"""book_team_meeting: the slot goes to the member first in line among those free, and the members
passed over are recorded with the reason."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.meeting_types import Distribution
from meetings.models import Booking
from meetings.services.bookings import SlotUnavailable
from teams.assignment import book_team_meeting
from teams.models import AssignmentSkip, Priority, SkipReason
from tests.factories import RepFactory
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot
from tests.teams.factories import member_reps, team_type

pytestmark = pytest.mark.django_db

GUEST = {
    "guest_name": "Ada Lovelace",
    "guest_email": "ada@example.org",
    "guest_time_zone": "Europe/London",
}


def book(meeting_type, start=None, **extra):
    return book_team_meeting(meeting_type, start_at=start or next_slot(), **GUEST, **extra)


def skips():
    return sorted((s.rep_id, s.reason, s.booking_id) for s in AssignmentSkip.objects.all())


def test_the_booking_goes_to_the_member_with_the_fewest_bookings():
    meeting_type = team_type(size=3)
    busy_one, busy_two, idle = member_reps(meeting_type)
    for rep, days in ((busy_one, 3), (busy_two, 4), (busy_one, 5)):
        BookingFactory(meeting_type=meeting_type, rep=rep, start_at=next_slot(days=days))
    BookingFactory(meeting_type=meeting_type, rep=busy_two, start_at=next_slot(days=6, hour=11))
    booking = book(meeting_type)
    assert booking.rep == idle
    assert booking.meeting_type == meeting_type
    assert booking.booked_by is None


def test_consecutive_bookings_rotate_through_every_member():
    meeting_type = team_type(size=3)
    hosts = [book(meeting_type, next_slot(hour=10 + n)).rep for n in range(6)]
    assert len(set(hosts[:3])) == 3
    assert hosts[3:] == hosts[:3]


def test_bookings_outside_the_window_do_not_count():
    meeting_type = team_type(size=2, distribution_window_days=7)
    old_timer, newcomer = member_reps(meeting_type)
    stale = BookingFactory(meeting_type=meeting_type, rep=old_timer)
    Booking.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=8))
    BookingFactory(meeting_type=meeting_type, rep=newcomer, start_at=next_slot(days=3))
    # Within the window old_timer has none, newcomer one.
    assert book(meeting_type, next_slot(days=4)).rep == old_timer


def test_cancelled_bookings_do_not_count_towards_the_share():
    meeting_type = team_type(size=2)
    first, second = member_reps(meeting_type)
    BookingFactory(
        meeting_type=meeting_type,
        rep=first,
        status="cancelled",
        cancelled_at=timezone.now(),
        link_state="removed",
    )
    BookingFactory(meeting_type=meeting_type, rep=second, start_at=next_slot(days=3))
    assert book(meeting_type, next_slot(days=4)).rep == first


def test_bookings_of_other_meeting_types_do_not_count_towards_the_share():
    meeting_type = team_type(size=2)
    first, second = member_reps(meeting_type)
    for day in (3, 4, 5):
        BookingFactory(meeting_type=MeetingTypeFactory(rep=first), start_at=next_slot(days=day))
    BookingFactory(meeting_type=meeting_type, rep=second, start_at=next_slot(days=6))
    assert book(meeting_type).rep == first


def test_a_busy_member_first_in_line_is_skipped_and_recorded():
    meeting_type = team_type(size=2)
    first, second = member_reps(meeting_type)
    slot = next_slot()
    # `first` is busy on their own calendar at that time, but first in line for the team.
    BookingFactory(meeting_type=MeetingTypeFactory(rep=first), start_at=slot)
    BookingFactory(meeting_type=meeting_type, rep=second, start_at=next_slot(days=3))
    booking = book(meeting_type, slot)
    assert booking.rep == second
    assert skips() == [(first.pk, SkipReason.BUSY, booking.pk)]


def test_members_behind_the_host_are_not_recorded_as_skipped():
    meeting_type = team_type(size=3)
    book(meeting_type)
    assert skips() == []


def test_first_available_takes_the_highest_priority_member_free():
    low, high, top = RepFactory(), RepFactory(), RepFactory()
    meeting_type = team_type(
        reps=[(low, Priority.LOW, 100), (high, Priority.HIGH, 100), (top, Priority.HIGHEST, 100)],
        distribution=Distribution.FIRST_AVAILABLE,
    )
    slot = next_slot()
    for _ in range(3):
        BookingFactory(meeting_type=meeting_type, rep=top, start_at=next_slot(days=3 + _))
    assert book(meeting_type, slot).rep == top
    assert book(meeting_type, slot).rep == high
    assert book(meeting_type, slot).rep == low


def test_when_every_member_is_taken_the_guest_hears_it_was_just_taken():
    meeting_type = team_type(size=2)
    slot = next_slot()
    hosts = {book(meeting_type, slot).rep, book(meeting_type, slot).rep}
    assert hosts == set(member_reps(meeting_type))
    with pytest.raises(SlotUnavailable, match="a moment ago"):
        book(meeting_type, slot)
    # Nobody was passed over: the time was simply gone.
    assert [s for s in skips() if s[2] is None] == []


def test_a_time_no_member_works_is_refused():
    meeting_type = team_type(size=2)
    with pytest.raises(SlotUnavailable):
        book(meeting_type, next_slot(hour=20))
    assert not Booking.objects.exists()


def test_the_rep_who_booked_it_is_recorded():
    meeting_type = team_type(size=2)
    sdr = RepFactory()
    booking = book(meeting_type, booked_by=sdr)
    assert booking.booked_by == sdr
    assert booking.rep in member_reps(meeting_type)


def test_a_member_whose_public_booking_limit_is_spent_is_skipped(settings):
    settings.RATE_LIMIT_BOOKINGS_PER_REP = "1/d"
    meeting_type = team_type(size=2, location_kind="phone", location_detail="+1 415 555 0100")
    first = book(meeting_type, next_slot(hour=10)).rep
    second = book(meeting_type, next_slot(hour=11)).rep
    assert first != second
    with pytest.raises(SlotUnavailable):
        book(meeting_type, next_slot(hour=12))
    refused = [s for s in skips() if s[2] is None]
    assert sorted(r[0] for r in refused) == sorted([first.pk, second.pk])
    assert {r[1] for r in refused} == {SkipReason.BOOKING_LIMIT}


def test_a_booking_made_from_inside_the_app_spends_no_public_limit(settings):
    settings.RATE_LIMIT_BOOKINGS_PER_REP = "1/d"
    meeting_type = team_type(size=1, location_kind="phone", location_detail="+1 415 555 0100")
    sdr = RepFactory()
    book(meeting_type, next_slot(hour=10), booked_by=sdr)
    book(meeting_type, next_slot(hour=11), booked_by=sdr)
    assert Booking.objects.count() == 2
