"""Thin tasks: send one delivery, sweep the due ones; and the listeners that turn booking and
outcome changes into deliveries (inside the change's transaction)."""

from celery import shared_task
from django.conf import settings
from django.dispatch import receiver

from config.celery import publish
from meetings.models import Booking
from meetings.signals import booking_changed
from outcomes.models import MeetingOutcome
from outcomes.signals import outcome_changed

from . import deliveries
from .models import EventType

SWEEP_BATCH = 500


@shared_task(acks_late=True)
def deliver_webhook(delivery_id: int) -> str | None:
    return deliveries.deliver(delivery_id)


@shared_task
def sweep_webhook_deliveries() -> int:
    """Sends what is due (retries, and deliveries whose enqueue was lost) and forgets finished
    deliveries past their keeping time. Runs every minute from Celery beat."""
    due = deliveries.due_deliveries(SWEEP_BATCH)
    for delivery_id in due:
        publish(deliver_webhook, delivery_id)
    deliveries.forget_old_deliveries(settings.BOOKING_WEBHOOK_LOG_DAYS)
    return len(due)


def _enqueue(delivery_id: int) -> None:
    publish(deliver_webhook, delivery_id)


_BOOKING_EVENTS = {
    "created": EventType.CREATED,
    "moved": EventType.MOVED,
    "reassigned": EventType.REASSIGNED,
    "cancelled": EventType.CANCELLED,
}


@receiver(booking_changed, sender=Booking, dispatch_uid="booking_webhooks.booking_changed")
def announce_booking_change(
    sender, *, booking: Booking, change: str, host_change=None, **kwargs
) -> int:
    return deliveries.announce(
        _BOOKING_EVENTS[change], booking, on_commit=_enqueue, host_change=host_change
    )


@receiver(outcome_changed, sender=MeetingOutcome, dispatch_uid="booking_webhooks.outcome")
def announce_outcome(sender, *, outcome: MeetingOutcome, **kwargs) -> int:
    return deliveries.announce(EventType.OUTCOME, outcome.booking, on_commit=_enqueue)
