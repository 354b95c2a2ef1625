"""A team Meeting Type offers every slot at least one member is free for."""

import zoneinfo
from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from teams.availability import team_slots
from tests.factories import RepFactory
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot
from tests.teams.factories import member_reps, team_type

pytestmark = pytest.mark.django_db


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
    # weekly hours, everyone's bookings.
    assert len(queries) == 6
