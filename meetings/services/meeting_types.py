"""Creating and editing Meeting Types with their weekly hours."""

from django.db import transaction

from ..availability import Window
from ..models import AvailabilityWindow, DateOverride, MeetingType
from ..questions import Question


def save_meeting_type(
    meeting_type: MeetingType,
    windows: list[Window],
    overrides: list[tuple] | None = None,
    questions: list[dict] | None = None,
) -> MeetingType:
    """Saves the Meeting Type (new or edited, its `rep` set) and replaces its weekly hours and,
    when given, its date overrides ([(date, start, end)], no times = a day off) and its booking
    form's questions ([{label, kind, choices, required}], in order). Past bookings keep their
    answers as they were asked."""
    with transaction.atomic():
        meeting_type.save()
        meeting_type.availability_windows.all().delete()
        AvailabilityWindow.objects.bulk_create(
            AvailabilityWindow(
                meeting_type=meeting_type, weekday=w.weekday, start_time=w.start, end_time=w.end
            )
            for w in windows
        )
        if overrides is not None:
            meeting_type.date_overrides.all().delete()
            DateOverride.objects.bulk_create(
                DateOverride(meeting_type=meeting_type, date=day, start_time=start, end_time=end)
                for day, start, end in overrides
            )
        if questions is not None:
            meeting_type.questions.all().delete()
            Question.objects.bulk_create(
                Question(meeting_type=meeting_type, position=position, **question)
                for position, question in enumerate(questions)
            )
    return meeting_type


class MeetingTypeInUse(Exception):
    """A Meeting Type with bookings cannot be deleted (they point at it): archive it instead."""


def delete_meeting_type(meeting_type: MeetingType) -> None:
    with transaction.atomic():
        if meeting_type.bookings.exists():
            raise MeetingTypeInUse(
                "This Meeting Type has bookings, so it cannot be deleted. Archive it instead: "
                "its bookings keep working and it takes no new ones."
            )
        meeting_type.delete()


def set_archived(meeting_type: MeetingType, archived: bool) -> MeetingType:
    meeting_type.is_archived = archived
    meeting_type.save(update_fields=["is_archived", "updated_at"])
    return meeting_type
