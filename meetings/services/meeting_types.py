"""Creating, editing, archiving and deleting Meeting Types."""

from django.db import transaction
from django.utils import timezone

from ..meeting_types import MeetingType
from ..models import Booking
from ..questions import Question


def save_meeting_type(
    meeting_type: MeetingType, questions: list[dict] | None = None
) -> MeetingType:
    """Saves the Meeting Type (new or edited, its `rep` and schedule set) and, when given,
    replaces its booking form's questions ([{label, kind, choices, required}], in order). Past
    bookings keep their answers as they were asked."""
    with transaction.atomic():
        reminders_changed = meeting_type.pk is not None and (
            MeetingType.objects.filter(pk=meeting_type.pk)
            .exclude(reminder_minutes=meeting_type.reminder_minutes)
            .exists()
        )
        meeting_type.save()
        if reminders_changed:
            replan_reminders(meeting_type)
        if questions is not None:
            meeting_type.questions.all().delete()
            Question.objects.bulk_create(
                Question(meeting_type=meeting_type, position=position, **question)
                for position, question in enumerate(questions)
            )
    return meeting_type


def replan_reminders(meeting_type: MeetingType) -> None:
    """The type's reminders changed: its upcoming bookings get the new ones still ahead of them
    (those already sent stay sent)."""
    now = timezone.now()
    upcoming = list(
        Booking.objects.active()
        .filter(meeting_type=meeting_type, start_at__gt=now)
        .select_related("meeting_type")
    )
    for booking in upcoming:
        booking.meeting_type = meeting_type
        booking.plan_reminders(now)
    Booking.objects.bulk_update(upcoming, ["reminders_from", "next_reminder_at"], batch_size=500)


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
