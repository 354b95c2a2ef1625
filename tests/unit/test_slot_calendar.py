"""The booking page's month: weeks of days with their free times, months stepped and read from
the query (pure functions)."""

from datetime import date

from meetings.slot_calendar import (
    SlotMonth,
    add_months,
    last_of_month,
    month_weeks,
    parse_day,
    parse_month,
    weekday_columns,
)


def test_months_step_across_years_and_know_their_last_day():
    assert add_months(date(2026, 12, 1), 1) == date(2027, 1, 1)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert last_of_month(date(2028, 2, 1)) == date(2028, 2, 29)


def test_unreadable_months_and_days_are_ignored():
    assert parse_month("2026-12") == date(2026, 12, 1)
    assert parse_month("2026-13") is None and parse_month("soon") is None
    assert parse_month(None) is None
    assert parse_day("2026-12-09") == date(2026, 12, 9)
    assert parse_day("2026-02-30") is None and parse_day("") is None


def test_a_month_is_whole_weeks_from_the_locales_first_weekday():
    free = {date(2026, 12, 9): ["10:00", "10:30"], date(2027, 1, 1): ["09:00"]}
    weeks = month_weeks(
        date(2026, 12, 1), free, today=date(2026, 12, 3), selected=date(2026, 12, 9)
    )
    assert all(len(week) == 7 for week in weeks)
    assert weeks[0][0].date == date(2026, 11, 30) and not weeks[0][0].in_month  # a Monday
    days = {day.date: day for week in weeks for day in week}
    assert days[date(2026, 12, 9)].free == 2 and days[date(2026, 12, 9)].is_selected
    assert days[date(2026, 12, 3)].is_today and days[date(2026, 12, 3)].free == 0
    # Days of the next month in the last row are not offered in this one.
    assert days[date(2027, 1, 1)].free == 0 and not days[date(2027, 1, 1)].in_month
    sunday_first = month_weeks(
        date(2026, 12, 1), free, today=date(2026, 12, 3), selected=None, first_weekday=6
    )
    assert sunday_first[0][0].date == date(2026, 11, 29)
    assert weekday_columns(6) == [6, 0, 1, 2, 3, 4, 5]


def test_the_query_keeps_the_zone_and_moves_month_and_day():
    month = SlotMonth(
        time_zone="America/New_York",
        month=date(2026, 12, 1),
        weeks=[],
        weekdays=weekday_columns(0),
        day=date(2026, 12, 9),
        times=[],
        previous_month=None,
        next_month=date(2027, 1, 1),
        horizon_days=56,
    )
    assert month.query() == "?tz=America%2FNew_York&month=2026-12&day=2026-12-09"
    assert month.next_query == "?tz=America%2FNew_York&month=2027-01"
    assert month.query(day="2026-12-10").endswith("day=2026-12-10")
