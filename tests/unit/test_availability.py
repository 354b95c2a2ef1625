"""Free slots across DST changes, in the rep's and the prospect's zones (pure functions)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from meetings.availability import Window, day_bounds, free_slots, group_by_day, weekly_slots

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
