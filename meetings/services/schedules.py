"""A rep's availability schedules: created, edited (weekly hours and date overrides), made the
default, deleted when no Meeting Type uses them."""

from datetime import time

from django.db import IntegrityError, transaction

from .. import selectors
from ..availability import Window
from ..schedules import (
    MAX_SCHEDULES_PER_REP,
    AvailabilitySchedule,
    AvailabilityWindow,
    DateOverride,
)

# A new rep's first schedule: Monday to Friday, 09:00–17:00.
WORKING_HOURS = "Working hours"
WORKING_WEEK = [Window(day, time(9), time(17)) for day in range(5)]


class ScheduleError(Exception):
    """A change to schedules that cannot be made; `str()` is for the rep."""


def ensure_a_schedule(rep) -> AvailabilitySchedule:
    """The rep's default schedule, made ("Working hours", Monday to Friday 09:00–17:00) for a rep
    who has none yet, so a first Meeting Type has hours to use."""
    existing = selectors.default_schedule_of(rep)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return save_schedule(
                AvailabilitySchedule(rep=rep, name=WORKING_HOURS, is_default=True), WORKING_WEEK
            )
    except IntegrityError:
        # Made meanwhile by another request of the same rep.
        return selectors.default_schedule_of(rep)


def save_schedule(
    schedule: AvailabilitySchedule,
    windows: list[Window],
    overrides: list[tuple] | None = None,
) -> AvailabilitySchedule:
    """Saves the schedule (new or edited, its owner set) and replaces its weekly hours and, when
    given, its date overrides ([(date, start, end)], no times = a day off). Made the default, it
    takes that place from the rep's other default."""
    with transaction.atomic():
        owned = AvailabilitySchedule.objects.filter(rep_id=schedule.rep_id)
        if schedule.pk is None and schedule.rep_id and owned.count() >= MAX_SCHEDULES_PER_REP:
            raise ScheduleError(
                f"You have {MAX_SCHEDULES_PER_REP} schedules already: edit or delete one."
            )
        if schedule.is_default and schedule.rep_id is not None:
            AvailabilitySchedule.objects.filter(rep_id=schedule.rep_id, is_default=True).exclude(
                pk=schedule.pk
            ).update(is_default=False)
        schedule.save()
        schedule.windows.all().delete()
        AvailabilityWindow.objects.bulk_create(
            AvailabilityWindow(
                schedule=schedule, weekday=w.weekday, start_time=w.start, end_time=w.end
            )
            for w in windows
        )
        if overrides is not None:
            schedule.overrides.all().delete()
            DateOverride.objects.bulk_create(
                DateOverride(schedule=schedule, date=day, start_time=start, end_time=end)
                for day, start, end in overrides
            )
    return schedule


def delete_schedule(schedule: AvailabilitySchedule) -> None:
    """Deletes a schedule no Meeting Type uses; the default passes to the rep's next one."""
    with transaction.atomic():
        if schedule.meeting_types.exists():
            names = ", ".join(f"“{t.name}”" for t in schedule.meeting_types.all()[:5])
            raise ScheduleError(
                f"{names} use this schedule. Give them another one first, then delete it."
            )
        schedule.delete()
        if schedule.is_default and schedule.rep_id is not None:
            following = selectors.default_schedule_of(schedule.rep)
            if following is not None:
                AvailabilitySchedule.objects.filter(pk=following.pk).update(is_default=True)
