"""The week of free slots a page shows, in the viewer's time zone (shared by booking and
rescheduling pages)."""

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import validate_time_zone

from ..availability import Slot, day_bounds, group_by_day
from ..models import MeetingType

DAYS_PER_PAGE = 7
MAX_DAYS_AHEAD = timedelta(days=2 * 366)


def time_zone_from(value: str | None, fallback: str) -> str:
    if value:
        try:
            validate_time_zone(value)
        except ValidationError:
            return fallback
        return value
    return fallback


@dataclass
class SlotWeek:
    time_zone: str
    first_day: date
    days: list  # [(date, [aware local datetimes])]
    previous_day: date | None
    next_day: date | None  # None once the next page is past the booking horizon
    horizon_days: int


def slot_week(
    meeting_type: MeetingType,
    time_zone: str,
    first_day_param: str | None,
    find_slots: Callable[[datetime, datetime], list[Slot]],
) -> SlotWeek:
    """The week from `first_day_param` (today by default), with `find_slots(start, end)`: a rep's
    free slots, a team's, or a booking's host's for a reschedule."""
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(time_zone)).date()
    try:
        first_day = min(
            max(date.fromisoformat(first_day_param or ""), today),
            today + timedelta(days=meeting_type.horizon_days),
        )
    except ValueError:
        first_day = today
    # Weeks further out are never offered (and near year 9999 the week's arithmetic overflows).
    first_day = min(first_day, today + MAX_DAYS_AHEAD)
    start, _ = day_bounds(first_day, time_zone)
    _, end = day_bounds(first_day + timedelta(days=DAYS_PER_PAGE - 1), time_zone)
    slots = find_slots(start, end)
    next_day = first_day + timedelta(days=DAYS_PER_PAGE)
    last_bookable = today + timedelta(days=meeting_type.horizon_days)
    return SlotWeek(
        time_zone=time_zone,
        first_day=first_day,
        days=group_by_day(slots, time_zone),
        previous_day=max(first_day - timedelta(days=DAYS_PER_PAGE), today)
        if first_day > today
        else None,
        next_day=next_day if next_day <= last_bookable else None,
        horizon_days=meeting_type.horizon_days,
    )
