"""What outcomes does when Zoom tells integrations something: a meeting's activity becomes its
booking's evidence; a removed app takes its participant data with it."""

from django.dispatch import receiver

from integrations.zoom.signals import zoom_meeting_activity
from meetings.signals import zoom_meetings_erased

from . import activity, erasure


@receiver(zoom_meeting_activity, dispatch_uid="outcomes.record_meeting_activity")
def record_meeting_activity(sender, *, event, meeting_id, details, occurred_at, **kwargs) -> bool:
    return activity.record(event, meeting_id, details, occurred_at)


@receiver(zoom_meetings_erased, dispatch_uid="outcomes.erase_participant_data")
def erase_participant_data(sender, *, booking_ids, **kwargs) -> int:
    return erasure.erase_for_bookings(booking_ids)
