"""Date overrides, buffers, minimum notice and the booking horizon (pure slot arithmetic)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from meetings.availability import Busy, Rules, Window, day_bounds, free_slots

NY = "America/New_York"
EVERY_DAY_9_TO_17 = [Window(d, time(9), time(17)) for d in range(7)]
NOW = datetime(2024, 3, 1, tzinfo=UTC)


def local_times(slots, tz=NY):
    return [s.start.astimezone(ZoneInfo(tz)).strftime("%H:%M") for s in slots]


def day(d: date, rules: Rules, busy=()):
    start, end = day_bounds(d, NY)
    return free_slots(EVERY_DAY_9_TO_17, NY, 30, list(busy), start, end, NOW, rules)


def test_a_day_off_override_empties_that_date_only():
    rules = Rules(overrides={date(2024, 3, 5): []})
    assert day(date(2024, 3, 5), rules) == []
    assert len(day(date(2024, 3, 6), rules)) == 16


def test_override_hours_replace_the_weekly_hours_across_the_spring_change():
    # 10 March 2024 is the US spring-forward Sunday: the override's 10:00 is 14:00 UTC, not 15:00.
    rules = Rules(overrides={date(2024, 3, 10): [(time(10), time(11)), (time(18), time(19))]})
    slots = day(date(2024, 3, 10), rules)
    assert local_times(slots) == ["10:00", "10:30", "18:00", "18:30"]
    assert slots[0].start == datetime(2024, 3, 10, 14, tzinfo=UTC)


def test_buffers_keep_free_time_around_existing_meetings():
    busy = [(datetime(2024, 3, 5, 16, tzinfo=UTC), datetime(2024, 3, 5, 16, 30, tzinfo=UTC))]
    # 16:00 UTC is 11:00 in New York (EST).
    plain = local_times(day(date(2024, 3, 5), Rules(), busy))
    assert "10:30" in plain and "11:30" in plain and "11:00" not in plain
    padded = local_times(
        day(
            date(2024, 3, 5),
            Rules(buffer_before=timedelta(minutes=15), buffer_after=timedelta(minutes=30)),
            busy,
        )
    )
    assert "10:30" not in padded  # its after-buffer would run into 11:00
    assert "11:30" not in padded  # its 15-minute buffer before would overlap 11:00–11:30
    assert "10:00" in padded and "12:00" in padded


def test_minimum_notice_hides_slots_that_start_too_soon():
    now = datetime(2024, 3, 5, 15, tzinfo=UTC)  # 10:00 in New York
    start, end = day_bounds(date(2024, 3, 5), NY)
    slots = free_slots(
        EVERY_DAY_9_TO_17, NY, 30, [], start, end, now, Rules(min_notice=timedelta(hours=3))
    )
    assert local_times(slots)[0] == "13:00"


def test_the_horizon_stops_slots_that_far_ahead():
    start, end = day_bounds(date(2024, 3, 1), NY)
    far_end = end + timedelta(days=30)
    slots = free_slots(
        EVERY_DAY_9_TO_17, NY, 30, [], start, far_end, NOW, Rules(horizon=timedelta(days=7))
    )
    assert slots and max(s.start for s in slots) < NOW + timedelta(days=7)


def test_a_booked_meeting_keeps_its_own_buffers_against_a_type_without_any():
    # 11:00–11:30 New York, booked with a type keeping 30 minutes after and 15 before.
    busy = [
        Busy(
            datetime(2024, 3, 5, 16, tzinfo=UTC),
            datetime(2024, 3, 5, 16, 30, tzinfo=UTC),
            buffer_before=timedelta(minutes=15),
            buffer_after=timedelta(minutes=30),
        )
    ]
    slots = local_times(day(date(2024, 3, 5), Rules(), busy))
    assert "10:30" not in slots  # would end inside the booked meeting's 15 minutes before
    assert "11:30" not in slots  # would start inside its 30 minutes after
    assert "10:00" in slots and "12:00" in slots


def test_facing_buffers_need_the_larger_gap_not_their_sum():
    # The booked meeting keeps 30 minutes after; the new type keeps 30 minutes before. Both are
    # honoured by a 30-minute gap: 12:00 is offered, 11:30 is not.
    busy = [
        Busy(
            datetime(2024, 3, 5, 16, tzinfo=UTC),
            datetime(2024, 3, 5, 16, 30, tzinfo=UTC),
            buffer_after=timedelta(minutes=30),
        )
    ]
    slots = local_times(day(date(2024, 3, 5), Rules(buffer_before=timedelta(minutes=30)), busy))
    assert "11:30" not in slots and "12:00" in slots


def test_buffers_are_elapsed_time_across_the_spring_change():
    # 10 March 2024, New York springs forward at 02:00 EST → 03:00 EDT. A meeting 01:00–01:30 EST
    # (06:00–06:30 UTC) keeping an hour after it is busy until 07:30 UTC = 03:30 EDT: a wall-clock
    # reading (01:30 + 1 h = 02:30, which does not exist) would wrongly free 03:00.
    night = [Window(6, time(0), time(6))]
    busy = [
        Busy(
            datetime(2024, 3, 10, 6, tzinfo=UTC),
            datetime(2024, 3, 10, 6, 30, tzinfo=UTC),
            buffer_after=timedelta(hours=1),
        )
    ]
    start, end = day_bounds(date(2024, 3, 10), NY)
    slots = local_times(
        free_slots(night, NY, 30, busy, start, end, start - timedelta(days=1), Rules())
    )
    assert "03:00" not in slots
    assert slots[slots.index("00:30") + 1 :][:2] == ["03:30", "04:00"]


def test_a_new_types_buffer_before_is_elapsed_time_across_the_autumn_change():
    # 3 November 2024, New York falls back at 02:00 EDT → 01:00 EST. A meeting 00:00–00:30 EDT
    # (04:00–04:30 UTC); a new slot keeping 90 minutes before needs to start at 06:00 UTC or later.
    # 01:00 and 01:30 EDT are only 30 and 60 real minutes after it; 02:00 EST (07:00 UTC) is free.
    night = [Window(6, time(0), time(6))]
    busy = [(datetime(2024, 11, 3, 4, tzinfo=UTC), datetime(2024, 11, 3, 4, 30, tzinfo=UTC))]
    start, end = day_bounds(date(2024, 11, 3), NY)
    slots = free_slots(
        night,
        NY,
        30,
        busy,
        start,
        end,
        start - timedelta(days=1),
        Rules(buffer_before=timedelta(minutes=90)),
    )
    assert slots[0].start == datetime(2024, 11, 3, 7, tzinfo=UTC)
