"""Free slots across DST changes, in the rep's and the prospect's zones (pure functions)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetings.availability import (
    Busy,
    Rules,
    Window,
    day_bounds,
    free_slots,
    group_by_day,
    weekly_slots,
)

NY = "America/New_York"
BERLIN = "Europe/Berlin"
EVERY_DAY_9_TO_17 = [Window(d, time(9), time(17)) for d in range(7)]
EARLY_MARCH = datetime(2024, 3, 1, tzinfo=UTC)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def slots_on(day: date, tz: str, windows=EVERY_DAY_9_TO_17, rep_tz=NY, duration=30):
    start, end = day_bounds(day, tz)
    return weekly_slots(windows, rep_tz, duration, start, end)


def test_ten_oclock_stays_ten_oclock_local_across_the_spring_change():
    # US clocks went forward on Sunday 10 March 2024: 10:00 was 15:00 UTC before, 14:00 after.
    before = slots_on(date(2024, 3, 9), NY)
    after = slots_on(date(2024, 3, 11), NY)
    assert utc(2024, 3, 9, 15) in [s.start for s in before]
    assert utc(2024, 3, 11, 14) in [s.start for s in after]
    assert all(s.start.astimezone(ZoneInfo(NY)).hour >= 9 for s in before + after)


def test_the_autumn_change_keeps_wall_clock_hours():
    # US clocks went back on Sunday 3 November 2024.
    day_slots = slots_on(date(2024, 11, 3), NY)
    local = [s.start.astimezone(ZoneInfo(NY)) for s in day_slots]
    assert local[0].time() == time(9) and local[-1].time() == time(16, 30)
    assert len(day_slots) == 16
    assert day_slots[0].start == utc(2024, 11, 3, 14)


def test_a_wall_time_that_does_not_exist_is_skipped_not_shifted():
    night = [Window(6, time(1), time(4))]  # Sundays 01:00–04:00
    day_slots = slots_on(date(2024, 3, 10), NY, windows=night, duration=30)
    local = [s.start.astimezone(ZoneInfo(NY)).strftime("%H:%M") for s in day_slots]
    assert local == ["01:00", "01:30", "03:00", "03:30"]


def test_a_slot_lasts_its_real_duration_across_the_change():
    night = [Window(6, time(1), time(4))]
    day_slots = slots_on(date(2024, 3, 10), NY, windows=night, duration=30)
    assert all(s.end - s.start == timedelta(minutes=30) for s in day_slots)


def test_a_prospect_sees_the_same_instants_in_their_own_zone_between_the_two_changes():
    # Between the US change (10 March) and the EU one (31 March 2024) New York is 5 hours behind
    # Berlin instead of 6: 09:00 in New York is 14:00 in Berlin.
    start, end = day_bounds(date(2024, 3, 20), BERLIN)
    days = group_by_day(weekly_slots(EVERY_DAY_9_TO_17, NY, 30, start, end), BERLIN)
    assert days[0][0] == date(2024, 3, 20)
    assert days[0][1][0].strftime("%H:%M") == "14:00"
    start, end = day_bounds(date(2024, 4, 3), BERLIN)
    days = group_by_day(weekly_slots(EVERY_DAY_9_TO_17, NY, 30, start, end), BERLIN)
    assert days[0][1][0].strftime("%H:%M") == "15:00"


def test_a_prospects_day_boundaries_follow_their_own_dst():
    first, after = day_bounds(date(2024, 3, 31), BERLIN)
    assert after - first == timedelta(hours=23)
    first, after = day_bounds(date(2024, 10, 27), BERLIN)
    assert after - first == timedelta(hours=25)


def test_a_slot_overlapping_busy_time_is_not_offered():
    start, end = day_bounds(date(2024, 3, 12), NY)
    busy = [(utc(2024, 3, 12, 14, 15), utc(2024, 3, 12, 14, 45))]  # 10:15–10:45 New York
    slots = free_slots(EVERY_DAY_9_TO_17, NY, 30, busy, start, end, EARLY_MARCH)
    local = [s.start.astimezone(ZoneInfo(NY)).strftime("%H:%M") for s in slots]
    assert "10:00" not in local and "10:30" not in local
    assert "09:30" in local and "11:00" in local


def test_slots_inside_the_minimum_notice_or_beyond_the_horizon_are_not_offered():
    now = utc(2024, 3, 12, 14, 10)  # 10:10 New York
    start, end = day_bounds(date(2024, 3, 12), NY)
    slots = free_slots(EVERY_DAY_9_TO_17, NY, 30, [], start, end, now)
    assert slots[0].start == utc(2024, 3, 12, 15, 30)  # 11:30: first start an hour away
    far = day_bounds(date(2024, 6, 12), NY)
    assert free_slots(EVERY_DAY_9_TO_17, NY, 30, [], *far, now) == []


def test_long_meetings_start_every_half_hour_and_end_inside_the_window():
    slots = slots_on(date(2024, 3, 12), NY, duration=60)
    local = [s.start.astimezone(ZoneInfo(NY)).strftime("%H:%M") for s in slots]
    assert local[:3] == ["09:00", "09:30", "10:00"] and local[-1] == "16:00"


# The slot engine against the plain definitions, on random hours, zones, days and meetings: a
# binary search over merged intervals and wall times stepped by their offset must give exactly
# what checking every meeting and converting every wall time gives.
ZONES = [NY, BERLIN, "Australia/Lord_Howe", "America/Santiago", "Asia/Kolkata", "UTC"]
# Days around DST changes of those zones, and ordinary ones.
DAYS = [date(2024, 3, 10), date(2024, 3, 31), date(2024, 4, 7), date(2024, 9, 8), date(2024, 10, 6)]
DAYS += [date(2024, 10, 27), date(2024, 11, 3), date(2024, 6, 12)]


def _plain_weekly(windows, rep_tz, duration_minutes, start, end):
    zone = ZoneInfo(rep_tz)
    duration = timedelta(minutes=duration_minutes)
    step = timedelta(minutes=min(duration_minutes, 30))
    found = []
    day = start.astimezone(zone).date() - timedelta(days=1)
    while day <= end.astimezone(zone).date() + timedelta(days=1):
        for window in (w for w in windows if w.weekday == day.weekday()):
            wall = datetime.combine(day, window.start)
            while wall + duration <= datetime.combine(day, window.end):
                local = wall.replace(tzinfo=zone)
                instant = local.astimezone(UTC)
                if instant.astimezone(zone).replace(tzinfo=None) == wall and start <= instant < end:
                    found.append(instant)
                wall += step
        day += timedelta(days=1)
    return sorted(found)


def _plain_clash(slot_start, duration, rules, meeting):
    slot_end = slot_start + duration
    return (
        meeting.start < slot_end + rules.buffer_after
        and meeting.end > slot_start - rules.buffer_before
    ) or (
        meeting.start - meeting.buffer_before < slot_end
        and meeting.end + meeting.buffer_after > slot_start
    )


# Quarter hours, mostly around midnight and the early morning, where zones change their clocks.
minutes = st.one_of(st.integers(0, 5 * 4), st.integers(0, 24 * 4 - 1)).map(lambda q: q * 15)


@st.composite
def windows(draw):
    found = []
    for weekday in range(7):
        for _ in range(draw(st.integers(0, 2))):
            a, b = sorted(draw(st.lists(minutes, min_size=2, max_size=2, unique=True)))
            found.append(Window(weekday, time(a // 60, a % 60), time(b // 60, b % 60)))
    return found


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("day", DAYS)
def test_windows_across_each_zones_changes_give_each_wall_times_instant(zone, day):
    # Every day's small hours and evening, where the zones above change their clocks.
    hours = [Window(d, time(0), time(6, 30)) for d in range(7)]
    hours += [Window(d, time(21), time(23, 59)) for d in range(7)]
    start, end = day_bounds(day, zone)
    start, end = start - timedelta(hours=12), end + timedelta(hours=12)
    for duration in (15, 30, 60):
        got = [slot.start for slot in weekly_slots(hours, zone, duration, start, end)]
        assert got == _plain_weekly(hours, zone, duration, start, end)


@settings(max_examples=200, deadline=None)
@given(
    hours=windows(),
    zone=st.sampled_from(ZONES),
    day=st.sampled_from(DAYS),
    duration=st.sampled_from([15, 25, 30, 45, 60, 90]),
)
def test_stepped_wall_times_are_the_instants_each_wall_time_converts_to(hours, zone, day, duration):
    start, end = day_bounds(day, zone)
    start -= timedelta(hours=12)
    end += timedelta(hours=12)
    got = [slot.start for slot in weekly_slots(hours, zone, duration, start, end)]
    assert got == _plain_weekly(hours, zone, duration, start, end)


@settings(max_examples=200, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    day=st.sampled_from(DAYS),
    duration=st.sampled_from([15, 30, 60]),
    before=st.sampled_from([0, 10, 30]),
    after=st.sampled_from([0, 15, 45]),
    meetings=st.lists(
        # On the quarter hours, so meetings and slots often touch exactly.
        st.tuples(
            st.integers(0, 36 * 4).map(lambda q: q * 15),
            st.sampled_from([15, 30, 60, 90]),
            st.sampled_from([0, 5, 30]),
        ),
        max_size=12,
    ),
)
def test_a_slot_is_free_exactly_when_it_clashes_with_no_meeting(
    zone, day, duration, before, after, meetings
):
    start, end = day_bounds(day, zone)
    rules = Rules(
        min_notice=timedelta(0),
        buffer_before=timedelta(minutes=before),
        buffer_after=timedelta(minutes=after),
    )
    busy = [
        Busy(
            start + timedelta(minutes=offset),
            start + timedelta(minutes=offset + length),
            timedelta(minutes=own),
            timedelta(minutes=own),
        )
        for offset, length, own in meetings
    ]
    now = start - timedelta(days=1)
    got = free_slots(EVERY_DAY_9_TO_17, zone, duration, busy, start, end, now, rules)
    every = weekly_slots(EVERY_DAY_9_TO_17, zone, duration, start, end)
    length = timedelta(minutes=duration)
    expected = [s for s in every if not any(_plain_clash(s.start, length, rules, m) for m in busy)]
    assert got == expected
