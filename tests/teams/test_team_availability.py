"""A team Meeting Type offers every slot at least one member is free for."""

import zoneinfo
from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.schedules import AvailabilityWindow, DateOverride
from meetings.services.bookings import SlotUnavailable
from teams.assignment import book_team_meeting
from teams.availability import team_slots
from teams.models import Priority
from tests.factories import RepFactory
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, ScheduleFactory, next_slot
from tests.teams.factories import member_reps, team_type

pytestmark = pytest.mark.django_db

GUEST = {"guest_name": "Ada Lovelace", "guest_email": "ada@example.org", "guest_time_zone": "UTC"}


def day_of(start):
    return start.replace(hour=0, minute=0), start.replace(hour=0, minute=0) + timedelta(days=1)


def starts(meeting_type, start, end):
    return {slot.start for slot in team_slots(meeting_type, start, end)}


def test_a_slot_stays_offered_while_one_member_is_free():
    meeting_type = team_type(size=2)
    first, second = member_reps(meeting_type)
    slot = next_slot()
    BookingFactory(meeting_type=meeting_type, rep=first, start_at=slot)
    assert slot in starts(meeting_type, *day_of(slot))
    BookingFactory(meeting_type=meeting_type, rep=second, start_at=slot)
    assert slot not in starts(meeting_type, *day_of(slot))


def test_a_members_booking_of_their_own_meeting_type_makes_them_busy_for_the_team():
    meeting_type = team_type(size=1)
    (rep,) = member_reps(meeting_type)
    own = MeetingTypeFactory(rep=rep, duration_minutes=60)
    slot = next_slot()
    BookingFactory(meeting_type=own, start_at=slot)
    offered = starts(meeting_type, *day_of(slot))
    assert slot not in offered
    assert slot + timedelta(minutes=30) not in offered
    assert slot + timedelta(minutes=60) in offered


def test_the_team_types_buffers_keep_each_member_clear_of_their_bookings():
    meeting_type = team_type(size=1, buffer_after_minutes=30)
    (rep,) = member_reps(meeting_type)
    slot = next_slot()
    BookingFactory(meeting_type=MeetingTypeFactory(rep=rep), start_at=slot + timedelta(hours=1))
    offered = starts(meeting_type, *day_of(slot))
    # 10:00-10:30 plus 30 minutes after reaches the 11:00 booking.
    assert slot + timedelta(minutes=30) not in offered
    assert slot in offered


def test_each_member_works_the_hours_in_their_own_time_zone():
    new_york = RepFactory(time_zone="America/New_York")
    tokyo = RepFactory(time_zone="Asia/Tokyo")
    meeting_type = team_type(
        reps=[new_york, tokyo], hours=[(d, time(9), time(10)) for d in range(7)]
    )
    day = timezone.now().date() + timedelta(days=3)
    start = datetime.combine(day, time(0), tzinfo=UTC) - timedelta(days=1)
    offered = starts(meeting_type, start, start + timedelta(days=3))
    local_hours = {
        (slot.astimezone(zoneinfo.ZoneInfo("America/New_York")).hour, "ny") for slot in offered
    } | {(slot.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo")).hour, "tokyo") for slot in offered}
    # Every slot is 09:xx for one of the two, and both members' mornings are offered.
    for slot in offered:
        assert 9 in (
            slot.astimezone(zoneinfo.ZoneInfo("America/New_York")).hour,
            slot.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo")).hour,
        )
    assert (9, "ny") in local_hours and (9, "tokyo") in local_hours


def test_a_team_type_without_members_offers_nothing():
    meeting_type = team_type(reps=[])
    assert starts(meeting_type, *day_of(next_slot())) == set()


def test_an_inactive_members_hours_are_not_offered():
    meeting_type = team_type(size=1)
    (rep,) = member_reps(meeting_type)
    rep.is_active = False
    rep.save()
    assert starts(meeting_type, *day_of(next_slot())) == set()


def test_a_week_of_a_big_team_takes_a_fixed_number_of_queries():
    meeting_type = team_type(size=12)
    for rep in member_reps(meeting_type)[:6]:
        BookingFactory(meeting_type=meeting_type, rep=rep)
    start = next_slot(days=1)
    with CaptureQueriesContext(connection) as queries:
        team_slots(meeting_type, start, start + timedelta(days=7))
    # Members, their Zoom connections and company-account rows, the type's overrides, its
    # weekly hours, everyone's bookings, the members' own hours and their days off.
    assert len(queries) == 8


def own_hours(rep, windows, overrides=()):
    """The rep's default schedule ("Working hours") with these hours and date overrides."""
    schedule = ScheduleFactory(rep=rep, name="Working hours", is_default=True)
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(schedule=schedule, weekday=d, start_time=s, end_time=e)
        for d, s, e in windows
    )
    DateOverride.objects.bulk_create(
        DateOverride(schedule=schedule, date=day, start_time=s, end_time=e)
        for day, s, e in overrides
    )
    return schedule


def local_hours(slots, tz):
    return {slot.astimezone(zoneinfo.ZoneInfo(tz)).strftime("%H:%M") for slot in slots}


def test_a_member_is_offered_only_within_their_own_working_hours():
    mornings, all_day = RepFactory(time_zone="UTC"), RepFactory(time_zone="UTC")
    own_hours(mornings, [(d, time(9), time(12)) for d in range(7)])
    meeting_type = team_type(reps=[mornings], hours=[(d, time(9), time(17)) for d in range(7)])
    day = datetime.combine(timezone.now().date() + timedelta(days=3), time(0), tzinfo=UTC)

    offered = starts(meeting_type, day, day + timedelta(days=1))

    # The type's hours run to 17:00; the member's own end at noon, and a slot must end by then.
    assert local_hours(offered, "UTC") == {"09:00", "09:30", "10:00", "10:30", "11:00", "11:30"}

    # A teammate without hours of their own takes the type's hours as they are.
    both = team_type(reps=[mornings, all_day], hours=[(d, time(9), time(17)) for d in range(7)])
    assert "16:30" in local_hours(starts(both, day, day + timedelta(days=1)), "UTC")


def test_a_members_day_off_and_changed_hours_are_kept_by_the_team_type():
    rep = RepFactory(time_zone="America/New_York")
    off, short = (timezone.now().date() + timedelta(days=n) for n in (3, 4))
    own_hours(
        rep,
        [(d, time(9), time(17)) for d in range(7)],
        overrides=[(off, None, None), (short, time(13), time(14))],
    )
    meeting_type = team_type(reps=[rep], hours=[(d, time(9), time(17)) for d in range(7)])
    tz = zoneinfo.ZoneInfo("America/New_York")

    def offered_on(day):
        start = datetime.combine(day, time(0), tzinfo=tz)
        return local_hours(starts(meeting_type, start, start + timedelta(days=1)), str(tz))

    assert offered_on(off) == set()
    assert offered_on(short) == {"13:00", "13:30"}
    assert "16:30" in offered_on(off + timedelta(days=2))


def test_a_prospect_cannot_be_given_a_member_outside_their_own_hours(
    django_capture_on_commit_callbacks,
):
    # First in line, but off that day: the booking goes to the teammate who works then.
    resting, working = RepFactory(time_zone="UTC"), RepFactory(time_zone="UTC")
    slot = datetime.combine(timezone.now().date() + timedelta(days=3), time(10), tzinfo=UTC)
    own_hours(resting, [(d, time(9), time(17)) for d in range(7)], [(slot.date(), None, None)])
    meeting_type = team_type(
        reps=[(resting, Priority.HIGHEST, 100), (working, Priority.LOW, 100)],
        hours=[(d, time(9), time(17)) for d in range(7)],
        location_kind="phone",
        location_detail="+1 415 555 0100",
    )

    booking = book_team_meeting(meeting_type, start_at=slot, **GUEST)

    assert booking.rep == working
    with pytest.raises(SlotUnavailable):
        book_team_meeting(meeting_type, start_at=slot, **GUEST)
