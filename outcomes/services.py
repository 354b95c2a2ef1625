"""Deciding and correcting outcomes: the writes on a booking's MeetingOutcome.

Services announce and never import the tasks: `outcome_changed` (inside the transaction, for the
outgoing webhook and the no-show email), `outcome_settled` (inside the transaction, for the
no-show email) and `host_absent_check_due` (a worker checks again when the guest has waited long
enough).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from meetings.models import Booking

from .models import MeetingOutcome, Source
from .rules import Outcome, decide
from .signals import host_absent_check_due, outcome_changed, outcome_settled

# The check after the meeting (Zoom's participant list) runs this long after its scheduled end,
# then again every CHECK_EVERY while Zoom has nothing yet (a meeting running late, Zoom's report
# not ready), CHECK_ATTEMPTS times in all.
CHECK_AFTER_END = timedelta(minutes=10)
CHECK_EVERY = timedelta(minutes=20)
CHECK_ATTEMPTS = 4
# Meetings longer ago than this are not checked any more (their data is old news to the rep).
CHECK_WINDOW = timedelta(days=2)


class OutcomeError(Exception):
    """A marking that cannot be accepted; `str()` is safe to show to the rep."""


def locked_outcome(booking_id: int) -> MeetingOutcome:
    """The booking's outcome row, created when missing, locked until the transaction ends (the
    caller's)."""
    MeetingOutcome.objects.get_or_create(booking_id=booking_id)
    return MeetingOutcome.objects.select_for_update().get(booking_id=booking_id)


def guest_may_start(booking: Booking) -> bool:
    """Whether the booking's guest could be let into the Zoom meeting before the host."""
    meeting_type = booking.meeting_type
    return meeting_type.zoom_join_before_host and not meeting_type.zoom_waiting_room


def decide_outcome(record: MeetingOutcome, booking: Booking, source: Source) -> bool:
    """Decides from what is known; announces a change. Call inside the caller's transaction,
    with `record` locked."""
    outcome = decide(record.evidence(guest_may_start=guest_may_start(booking)))
    changed = record.decide(outcome, source, timezone.now())
    if changed:
        record.check_due_at = None
        outcome_changed.send(sender=MeetingOutcome, outcome=record)
    return changed


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
        record.booking = booking
        if record.correct(Outcome(outcome), by, timezone.now()):
            outcome_changed.send(sender=MeetingOutcome, outcome=record)
        outcome_settled.send(sender=MeetingOutcome, outcome=record)
        record.save()
    return record


def schedule_host_absent_alert(record: MeetingOutcome, booking: Booking) -> None:
    """A guest is waiting without the host: a worker checks again when the Meeting Type's wait
    has passed (the sweeper does too, should that message be lost)."""
    if record.host_absent_alert_sent_at is not None or record.guest_waiting_since is None:
        return
    due = record.guest_waiting_since + timedelta(
        minutes=booking.meeting_type.host_absent_alert_minutes
    )
    transaction.on_commit(
        lambda: host_absent_check_due.send(sender=MeetingOutcome, booking_id=booking.pk, due_at=due)
    )


def settle(record: MeetingOutcome) -> None:
    """The check after the meeting is done with `record` (saved, inside the caller's
    transaction): announces that the outcome may be acted on."""
    outcome_settled.send(sender=MeetingOutcome, outcome=record)


def bookings_due_for_check(now=None, limit: int = 500) -> list[int]:
    """Zoom bookings whose meeting is over and whose outcome nobody has settled yet: no outcome,
    or one from the events that a lost or late event could have got wrong (a no-show, or
    unknown). Held is sure from the events alone (the host and someone else came)."""
    now = now or timezone.now()
    over = Booking.objects.filter(
        status=Booking.Status.CONFIRMED,
        location_kind="zoom",
        end_at__lte=now - CHECK_AFTER_END,
        end_at__gte=now - CHECK_WINDOW,
    ).exclude(zoom_meeting_id="")
    unchecked = over.filter(outcome__isnull=True)
    # Events that did not settle it (none yet, not enough to tell, or a no-show that one lost
    # join would explain) leave it to Zoom's list.
    waiting = (
        over.exclude(outcome__outcome=Outcome.HELD)
        .filter(
            outcome__checked_at__isnull=True,
            outcome__check_attempts__lt=CHECK_ATTEMPTS,
        )
        .exclude(outcome__source=Source.REP)
        .exclude(outcome__check_due_at__gt=now)
    )
    return list(
        (unchecked | waiting).order_by("end_at").values_list("pk", flat=True).distinct()[:limit]
    )
