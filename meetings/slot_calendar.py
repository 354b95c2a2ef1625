"""A month of free slots as people pick from it: weeks of days, each with how many times are free,
in the viewer's zone. Pure: the slots come in, the grid goes out (no database, no request).

The booking and rescheduling pages show it as a WAI-ARIA grid beside the picked day's times
(https://www.w3.org/WAI/ARIA/apg/patterns/grid/): one Tab stop for the month instead of one per
slot.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlencode


@dataclass(frozen=True)
class CalendarDay:
    date: date
    free: int  # free times that day
    is_today: bool = False
    is_selected: bool = False
    in_month: bool = True


@dataclass
class SlotMonth:
    time_zone: str
    month: date  # its first day
    weeks: list[list[CalendarDay]]  # rows of 7; days outside the month have in_month=False
    weekdays: list[int]  # the columns' weekdays (Monday = 0), starting with the locale's first
    day: date | None  # the picked day
    times: list[datetime]  # the picked day's free starts, aware in `time_zone`
    previous_month: date | None  # None before this month
    next_month: date | None  # None past the booking horizon
    horizon_days: int
    free_days: list[date] = field(default_factory=list)
    # Whether the viewer picked the month and the day (the query named them) or the page chose
    # them as the first with free times: only a pick is kept when the zone changes, since in
    # another zone the first free day may be another one.
    month_picked: bool = False
    day_picked: bool = False

    def query(self, **changes) -> str:
        """This page's query string (zone, month, day) with `changes` applied; None drops one."""
        values = {
            "tz": self.time_zone,
            "month": f"{self.month:%Y-%m}",
            "day": self.day.isoformat() if self.day else None,
        }
        values.update(changes)
        return "?" + urlencode({k: v for k, v in values.items() if v is not None})

    @property
    def previous_query(self) -> str:
        return self.query(month=f"{self.previous_month:%Y-%m}", day=None)

    @property
    def next_query(self) -> str:
        return self.query(month=f"{self.next_month:%Y-%m}", day=None)


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def last_of_month(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


def parse_month(value: str | None) -> date | None:
    """'2026-12' → 2026-12-01, anything else → None."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return None


def parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def month_weeks(
    month: date,
    free: dict[date, list],
    *,
    today: date,
    selected: date | None,
    first_weekday: int = 0,
) -> list[list[CalendarDay]]:
    """The month as rows of seven days starting on `first_weekday` (Monday = 0); leading and
    trailing days of the neighbouring months fill the first and last rows (in_month=False)."""
    weeks = calendar.Calendar(first_weekday).monthdatescalendar(month.year, month.month)
    return [
        [
            CalendarDay(
                date=day,
                free=len(free.get(day, ())) if day.month == month.month else 0,
                is_today=day == today,
                is_selected=day == selected and day.month == month.month,
                in_month=day.month == month.month,
            )
            for day in week
        ]
        for week in weeks
    ]


def weekday_columns(first_weekday: int) -> list[int]:
    return [(first_weekday + offset) % 7 for offset in range(7)]
