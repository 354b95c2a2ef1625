"""Deciding and correcting outcomes: the writes on a booking's MeetingOutcome."""

from django.db import transaction
from django.utils import timezone

from meetings.models import Booking

from .models import MeetingOutcome
from .rules import Outcome
from .signals import outcome_changed


class OutcomeError(Exception):
    """A marking that cannot be accepted; `str()` is safe to show to the rep."""


def locked_outcome(booking_id: int) -> MeetingOutcome:
    """The booking's outcome row, created when missing, locked until the transaction ends (the
    caller's)."""
    MeetingOutcome.objects.get_or_create(booking_id=booking_id)
    return MeetingOutcome.objects.select_for_update().get(booking_id=booking_id)


def mark_outcome(booking: Booking, outcome: Outcome, *, by) -> MeetingOutcome:
    """The rep says what happened. It wins over whatever Zoom says afterwards."""
    if outcome not in Outcome.values:
        raise OutcomeError("Choose held, guest didn't show, host didn't show or unknown.")
    if booking.is_cancelled:
        raise OutcomeError("This meeting was cancelled.")
    if booking.start_at > timezone.now():
        raise OutcomeError("This meeting has not started yet.")
    with transaction.atomic():
        record = locked_outcome(booking.pk)
        if record.correct(Outcome(outcome), by, timezone.now()):
            outcome_changed.send(sender=MeetingOutcome, outcome=record)
        record.save()
    return record
