"""The month of free slots a page shows, in the viewer's time zone (shared by the booking and the
rescheduling pages)."""

import zoneinfo
from collections.abc import Callable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import formats, timezone

from accounts.models import validate_time_zone

from ..availability import Slot, day_bounds, group_by_day
from ..meeting_types import MeetingType
from ..slot_calendar import (
    SlotMonth,
    add_months,
    first_of_month,
    last_of_month,
    month_weeks,
    parse_day,
    parse_month,
    weekday_columns,
)

# Months further out are never offered (and near year 9999 the arithmetic overflows).
MAX_DAYS_AHEAD = timedelta(days=2 * 366)


def time_zone_from(value: str | None, fallback: str) -> str:
    if value:
        try:
            validate_time_zone(value)
        except ValidationError:
            return fallback
        return value
    return fallback


def slot_month(
    meeting_type: MeetingType,
    time_zone: str,
    params,
    find_slots: Callable[[datetime, datetime], list[Slot]],
) -> SlotMonth:
    """The month and day the viewer asked for (`params`: `month=YYYY-MM`, `day=YYYY-MM-DD`),
    kept between this month and the booking horizon, with `find_slots(start, end)`: a rep's free
    slots, a team's, or a booking's host's for a reschedule. Without either, the first month with
    a free time and its first free day: a prospect arriving on the 31st sees next month's times,
    not an empty grid."""
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(time_zone)).date()
    last_day = today + min(timedelta(days=meeting_type.horizon_days), MAX_DAYS_AHEAD)
    first_month, last_month = first_of_month(today), first_of_month(last_day)
    day = parse_day(params.get("day"))
    month = parse_month(params.get("month")) or (first_of_month(day) if day else None)
    asked = month is not None
    month = min(max(month or first_month, first_month), last_month)
    # Without a month asked for, this month and the next are read at once (one query each way),
    # so an empty rest-of-month moves on without a second round.
    through = month if asked else min(add_months(month, 1), last_month)
    start, _ = day_bounds(month, time_zone)
    _, end = day_bounds(last_of_month(through), time_zone)
    slots = find_slots(start, end)
    free = dict(group_by_day(slots, time_zone))
    if not asked and free and min(free) >= add_months(month, 1):
        month = add_months(month, 1)
    free_days = sorted(d for d in free if first_of_month(d) == month)
    day_picked = day is not None and first_of_month(day) == month
    if not day_picked:
        day = free_days[0] if free_days else None
    first_weekday = int(formats.get_format("FIRST_DAY_OF_WEEK"))
    return SlotMonth(
        time_zone=time_zone,
        month=month,
        weeks=month_weeks(month, free, today=today, selected=day, first_weekday=first_weekday),
        weekdays=weekday_columns(first_weekday),
        day=day,
        times=free.get(day, []) if day else [],
        previous_month=add_months(month, -1) if month > first_month else None,
        next_month=add_months(month, 1) if month < last_month else None,
        horizon_days=meeting_type.horizon_days,
        free_days=free_days,
        month_picked=asked,
        day_picked=day_picked,
    )
