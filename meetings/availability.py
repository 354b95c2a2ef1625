"""Free slots: weekly wall-clock hours in the rep's zone, turned into UTC instants, minus busy time.

Pure functions over plain values, so DST can be tested without a database. Slots are stepped in
the rep's wall-clock time (10:00 stays 10:00 local across a DST change, its UTC instant moves), and
a wall time that does not exist on a spring-forward day is skipped rather than shifted: a rep who
works 09:00–17:00 never gets a 03:30 slot because 02:30 does not exist.
"""

import bisect
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

# Defaults of a Meeting Type: bookable from an hour from now, up to eight weeks ahead.
MIN_NOTICE = timedelta(hours=1)
HORIZON = timedelta(days=56)
# Starts every 30 minutes, or every `duration` for shorter meetings.
MAX_STEP_MINUTES = 30


@dataclass(frozen=True)
class Window:
    weekday: int  # Monday = 0, as date.weekday()
    start: time
    end: time


@dataclass(frozen=True)
class Rules:
    """A Meeting Type's booking rules. `overrides` maps a date (in the rep's zone) to the
    (start, end) wall-clock hours that replace that weekday's hours; an empty list is a day off."""

    min_notice: timedelta = MIN_NOTICE
    horizon: timedelta = HORIZON
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)
    overrides: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Busy:
    """A meeting already booked, with the free time its own Meeting Type keeps around it."""

    start: datetime
    end: datetime
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)


@dataclass(frozen=True)
class Slot:
    start: datetime  # aware, UTC
    end: datetime

    def local_start(self, tz: zoneinfo.ZoneInfo) -> datetime:
        return self.start.astimezone(tz)


def step_minutes(duration_minutes: int) -> int:
    return min(duration_minutes, MAX_STEP_MINUTES)


def _existing_instant(day: date, wall: time, tz: zoneinfo.ZoneInfo) -> datetime | None:
    """The UTC instant of a wall-clock time, or None when DST skips that time that day.
    Ambiguous times (the repeated hour in autumn) take their first occurrence (fold=0)."""
    local = datetime.combine(day, wall, tzinfo=tz)
    instant = local.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return instant


def weekly_slots(
    windows: Iterable[Window],
    rep_tz: str,
    duration_minutes: int,
    start: datetime,
    end: datetime,
    overrides: dict | None = None,
) -> list[Slot]:
    """Every slot the weekly windows (or a date's override) offer that starts within [start, end),
    sorted."""
    overrides = overrides or {}
    tz = zoneinfo.ZoneInfo(rep_tz)
    duration = timedelta(minutes=duration_minutes)
    step = timedelta(minutes=step_minutes(duration_minutes))
    by_weekday: dict[int, list[Window]] = {}
    for window in windows:
        by_weekday.setdefault(window.weekday, []).append(window)

    slots: list[Slot] = []
    # A day before and after, because the rep's calendar day and UTC's differ by up to 14 hours.
    day = start.astimezone(tz).date() - timedelta(days=1)
    last_day = end.astimezone(tz).date() + timedelta(days=1)
    while day <= last_day:
        if day in overrides:
            hours = overrides[day]
        else:
            hours = [(w.start, w.end) for w in by_weekday.get(day.weekday(), ())]
        for window_start, window_stop in hours:
            slots.extend(
                _window_slots(day, window_start, window_stop, tz, duration, step, start, end)
            )
        day += timedelta(days=1)
    slots.sort(key=lambda slot: slot.start)
    return slots


def within_hours(
    slots: Iterable[Slot], windows: Iterable[Window], rep_tz: str, overrides: dict | None = None
) -> list[Slot]:
    """The slots that lie whole within the weekly windows (or a date's override: none is a day
    off) on `rep_tz`'s wall clock: a team member's own working hours."""
    overrides = overrides or {}
    tz = zoneinfo.ZoneInfo(rep_tz)
    by_weekday: dict[int, list[tuple[time, time]]] = {}
    for window in windows:
        by_weekday.setdefault(window.weekday, []).append((window.start, window.end))
    kept = []
    for slot in slots:
        opens_at = slot.start.astimezone(tz).replace(tzinfo=None)
        closes_at = slot.end.astimezone(tz).replace(tzinfo=None)
        day = opens_at.date()
        hours = overrides[day] if day in overrides else by_weekday.get(day.weekday(), ())
        if any(
            datetime.combine(day, opens) <= opens_at and closes_at <= datetime.combine(day, closes)
            for opens, closes in hours
        ):
            kept.append(slot)
    return kept


def _window_slots(day, opens, closes, tz, duration, step, start, end) -> list[Slot]:
    """The slots of one window on one day that start within [start, end)."""
    wall = datetime.combine(day, opens)
    window_end = datetime.combine(day, closes)
    first = _existing_instant(day, opens, tz)
    last = _existing_instant(day, closes, tz)
    if first is not None and last is not None and last - first == window_end - wall:
        # As much time passes from opening to closing as the clock shows: no DST change inside
        # the window (one change would add or take an hour, and a zone never changes twice in a
        # day), so wall times map to instants by adding the step.
        found, instant = [], first
        while wall + duration <= window_end:
            if start <= instant < end:
                found.append(Slot(instant, instant + duration))
            wall += step
            instant += step
        return found
    found = []
    while wall + duration <= window_end:
        instant = _existing_instant(day, wall.time(), tz)
        if instant is not None and start <= instant < end:
            found.append(Slot(instant, instant + duration))
        wall += step
    return found


def free_slots(
    windows: Iterable[Window],
    rep_tz: str,
    duration_minutes: int,
    busy: Iterable[Busy | tuple[datetime, datetime]],
    start: datetime,
    end: datetime,
    now: datetime,
    rules: Rules = Rules(),  # noqa: B008 (frozen, so one shared default is safe)
) -> list[Slot]:
    """Slots within [start, end) that respect the notice and horizon, whose time plus this type's
    buffers before and after overlaps no booked meeting, and that fall in no booked meeting's own
    buffers. Buffers are real elapsed time, so across a DST change they are not wall-clock time.
    `busy` takes plain (start, end) pairs for meetings that keep no buffers."""
    start = max(start, now + rules.min_notice)
    end = min(end, now + rules.horizon)
    if start >= end:
        return []
    meetings = [item if isinstance(item, Busy) else Busy(*item) for item in busy]
    blocked = _BlockedStarts(meetings, rules, timedelta(minutes=duration_minutes))
    return [
        slot
        for slot in weekly_slots(windows, rep_tz, duration_minutes, start, end, rules.overrides)
        if slot.start not in blocked
    ]


class _BlockedStarts:
    """The slot starts that clash with booked meetings, as disjoint open intervals, so a slot is
    checked with one binary search instead of against every meeting (a team's month is tens of
    thousands of slots).

    A slot [s, s + duration) clashes with a meeting when its time plus this type's buffers
    overlaps the meeting, or its time overlaps the meeting's own buffers: each side keeps its own
    buffers, so the gap between two meetings is the larger of the two facing each other, not
    their sum. Each condition holds for the starts s inside one open interval."""

    def __init__(self, meetings: list[Busy], rules: Rules, duration: timedelta):
        intervals = sorted(
            interval
            for meeting in meetings
            for interval in (
                (meeting.start - rules.buffer_after - duration, meeting.end + rules.buffer_before),
                (
                    meeting.start - meeting.buffer_before - duration,
                    meeting.end + meeting.buffer_after,
                ),
            )
        )
        self.starts: list[datetime] = []
        self.ends: list[datetime] = []
        for low, high in intervals:
            # Open intervals that only touch leave their common point free.
            if self.ends and low < self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], high)
            else:
                self.starts.append(low)
                self.ends.append(high)

    def __contains__(self, start: datetime) -> bool:
        index = bisect.bisect_left(self.starts, start)
        return index > 0 and start < self.ends[index - 1]


def day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    """[midnight, next midnight) of a calendar day in `tz`, in UTC (23 or 25 hours on DST days)."""
    zone = zoneinfo.ZoneInfo(tz)
    first = datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)
    after = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC)
    return first, after


def group_by_day(slots: Iterable[Slot], tz: str) -> list[tuple[date, list[datetime]]]:
    """Slots as (local date, [local start, …]) in the viewer's zone, in order."""
    zone = zoneinfo.ZoneInfo(tz)
    days: dict[date, list[datetime]] = {}
    for slot in slots:
        local = slot.local_start(zone)
        days.setdefault(local.date(), []).append(local)
    return list(days.items())
