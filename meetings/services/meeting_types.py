"""Creating and editing Meeting Types with their weekly hours."""

from django.db import transaction

from ..availability import Window
from ..models import AvailabilityWindow, MeetingType


def save_meeting_type(meeting_type: MeetingType, windows: list[Window]) -> MeetingType:
    """Saves the Meeting Type (new or edited, its `rep` set) and replaces its weekly hours."""
    with transaction.atomic():
        meeting_type.save()
        meeting_type.availability_windows.all().delete()
        AvailabilityWindow.objects.bulk_create(
            AvailabilityWindow(
                meeting_type=meeting_type, weekday=w.weekday, start_time=w.start, end_time=w.end
            )
            for w in windows
        )
    return meeting_type
