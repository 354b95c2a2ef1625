"""Creating and editing Meeting Types with their weekly hours."""

import logging

from django.db import transaction

from integrations.zoom.errors import ZoomError

from .. import selectors, zoom_meetings
from ..availability import Window
from ..models import AvailabilityWindow, MeetingType

logger = logging.getLogger(__name__)


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


def zoom_defaults_for(rep) -> dict:
    """Initial Zoom options for a new Meeting Type, taken from the rep's own Zoom settings.

    Empty when Zoom is not connected or does not answer: the form then starts from our defaults,
    which is better than refusing to show it.
    """
    connection = selectors.zoom_connection_of(rep)
    if connection is None or not connection.is_usable:
        return {}
    try:
        return zoom_meetings.user_defaults(connection)
    except ZoomError as exc:
        logger.info("Zoom settings unavailable for rep %s: %s", rep.pk, type(exc).__name__)
        return {}
