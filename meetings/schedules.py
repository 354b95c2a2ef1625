"""Availability schedules: named weekly hours with date overrides ("Working hours", "Evenings"),
owned by a rep (or by a team, for a team Meeting Type) and shared by the Meeting Types that use
them. Times are wall-clock times in the host's zone."""

from django.db import models
from django.db.models import F, Q

from accounts.fields import own_rep
from config.timestamps import timestamps

MAX_SCHEDULES_PER_REP = 20


class AvailabilitySchedule(models.Model):
    rep = own_rep("schedules")
    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, related_name="schedules", null=True, blank=True
    )
    name = models.CharField(max_length=80)
    # A rep's default: what a new Meeting Type starts with.
    is_default = models.BooleanField("use for new Meeting Types", default=False)
    created_at, updated_at = timestamps()

    class Meta:
        app_label = "meetings"
        ordering = ["-is_default", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(rep__isnull=False) & Q(team__isnull=True))
                | (Q(rep__isnull=True) & Q(team__isnull=False)),
                name="schedule_of_a_rep_or_a_team",
            ),
            models.UniqueConstraint(fields=["rep", "name"], name="schedule_name_unique_per_rep"),
            models.UniqueConstraint(fields=["team", "name"], name="schedule_name_unique_per_team"),
            models.UniqueConstraint(
                fields=["rep"], condition=Q(is_default=True), name="schedule_one_default_per_rep"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AvailabilityWindow(models.Model):
    """One weekly stretch of bookable time of a schedule."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    schedule = models.ForeignKey(
        AvailabilitySchedule, on_delete=models.CASCADE, related_name="windows"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField()

    class Meta:
        app_label = "meetings"
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="availability_window_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0) & Q(weekday__lte=6), name="availability_weekday_valid"
            ),
            models.UniqueConstraint(
                fields=["schedule", "weekday", "start_time"],
                name="availability_window_unique_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class DateOverride(models.Model):
    """Hours that replace a schedule's weekly hours on one date: a range of extra or different
    hours, or, with no times, a day off."""

    schedule = models.ForeignKey(
        AvailabilitySchedule, on_delete=models.CASCADE, related_name="overrides"
    )
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)

    class Meta:
        app_label = "meetings"
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(start_time__isnull=True) & Q(end_time__isnull=True))
                | Q(end_time__gt=F("start_time")),
                name="date_override_day_off_or_range",
            ),
        ]

    def __str__(self) -> str:
        if self.start_time is None:
            return f"{self.date}: off"
        return f"{self.date}: {self.start_time:%H:%M}–{self.end_time:%H:%M}"


def describe_week(windows) -> list[str]:
    """Weekly hours in a few words, consecutive days with the same hours together:
    ["Mon–Fri 09:00–17:00", "Sat 10:00–12:00, 13:00–15:00"]. `windows`: anything with weekday,
    start_time/end_time (AvailabilityWindow) or start/end (availability.Window)."""
    by_day: dict[int, list[str]] = {}
    for window in sorted(windows, key=lambda w: (w.weekday, _start(w))):
        by_day.setdefault(window.weekday, []).append(f"{_start(window):%H:%M}–{_end(window):%H:%M}")
    lines: list[str] = []
    runs: list[tuple[int, int, str]] = []
    for day in range(7):
        hours = ", ".join(by_day.get(day, []))
        if not hours:
            continue
        if runs and runs[-1][1] == day - 1 and runs[-1][2] == hours:
            runs[-1] = (runs[-1][0], day, hours)
        else:
            runs.append((day, day, hours))
    for first, last, hours in runs:
        days = _SHORT_DAYS[first] if first == last else f"{_SHORT_DAYS[first]}–{_SHORT_DAYS[last]}"
        lines.append(f"{days} {hours}")
    return lines


_SHORT_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _start(window):
    return getattr(window, "start_time", None) or window.start


def _end(window):
    return getattr(window, "end_time", None) or window.end
