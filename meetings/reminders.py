"""Reminders before a meeting (per Meeting Type, e.g. 24 hours and 1 hour before), to the guest,
their other guests and the rep: when one is due, and the record that makes each go out once.

A booking carries `next_reminder_at` (what the sweeper looks for) and `reminders_from` (reminders
due before then are never sent: the time was booked or moved after them, or they went out). A
reminder is for one start time: moving the booking plans its reminders afresh for the new time,
cancelling it drops them, and one sent for the old time never counts for the new one.
"""

from datetime import datetime, timedelta

from django.db import models
from django.utils.translation import gettext, ngettext

# What a rep may choose; the labels say how long before the meeting.
CHOICES = [
    (7 * 24 * 60, "1 week before"),
    (24 * 60, "24 hours before"),
    (2 * 60, "2 hours before"),
    (60, "1 hour before"),
    (30, "30 minutes before"),
    (15, "15 minutes before"),
]
DEFAULT = [24 * 60, 60]


def default_reminders() -> list[int]:
    return list(DEFAULT)


def next_due(start_at: datetime, offsets, after: datetime) -> datetime | None:
    """When the first reminder of `offsets` (minutes before `start_at`) due after `after` is."""
    times = [start_at - timedelta(minutes=m) for m in offsets]
    later = [t for t in times if t > after and t < start_at]
    return min(later) if later else None


def due_offset(start_at: datetime, offsets, after: datetime, now: datetime) -> int | None:
    """The reminder to send now: of those due in (after, now], the one nearest the meeting (a
    sweeper that was stopped sends one reminder, not a burst). None when none is due or the
    meeting has begun."""
    if start_at <= now:
        return None
    due = [m for m in offsets if after < start_at - timedelta(minutes=m) <= now]
    return min(due) if due else None


def in_words(left: timedelta) -> str:
    """How soon the meeting is, as a reminder says it: "in 1 hour", "in 30 minutes" (what is
    left now, so a reminder sent late says the truth)."""
    minutes = max(1, round(left.total_seconds() / 60))
    if minutes >= 7 * 24 * 60 and minutes % (7 * 24 * 60) < 12 * 60:
        weeks = round(minutes / (7 * 24 * 60))
        return ngettext("in %(count)s week", "in %(count)s weeks", weeks) % {"count": weeks}
    if minutes >= 24 * 60:
        days = round(minutes / (24 * 60))
        return ngettext("in %(count)s day", "in %(count)s days", days) % {"count": days}
    if minutes >= 60 and minutes % 60 in (0, 1, 59):
        hours = round(minutes / 60)
        return ngettext("in %(count)s hour", "in %(count)s hours", hours) % {"count": hours}
    if minutes >= 60:
        hours, rest = divmod(minutes, 60)
        return gettext("in %(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}
    return ngettext("in %(count)s minute", "in %(count)s minutes", minutes) % {"count": minutes}


class ReminderDelivery(models.Model):
    """One reminder sent to one person for one start time of a booking: the record that keeps a
    retried or repeated run from sending it twice."""

    booking = models.ForeignKey(
        "meetings.Booking", on_delete=models.CASCADE, related_name="reminder_deliveries"
    )
    recipient = models.CharField(max_length=10)
    email = models.EmailField()
    minutes_before = models.PositiveIntegerField()
    # The start it was for: a reminder of a time the booking moved away from never counts.
    start_at = models.DateTimeField()
    # The place it carried (the join URL for Zoom), as sent.
    location = models.CharField(max_length=2000, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "meetings"
        ordering = ["sent_at", "pk"]
        verbose_name_plural = "reminder deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "recipient", "email", "minutes_before", "start_at"],
                name="reminder_sent_once",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.minutes_before} min reminder to {self.recipient} for booking {self.booking_id}"
        )
