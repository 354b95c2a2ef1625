"""Thin tasks: check a meeting's outcome with Zoom, send the follow-ups, sweep what is due; and
the listeners that hand that work to a worker once a change commits."""

from celery import shared_task
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from config.celery import mail_task, publish

from . import followups, services
from .models import MeetingOutcome
from .signals import host_absent_check_due, outcome_changed, outcome_settled
from .zoom import check

SWEEP_BATCH = 500


@shared_task(acks_late=True)
def check_outcome(booking_id: int) -> str:
    return check.check_after_meeting(booking_id)


@mail_task(retry_backoff=30, max_retries=8)
def send_no_show_email(booking_id: int) -> bool:
    return followups.send_no_show_email(booking_id)


@mail_task(retry_backoff=10, max_retries=8)
def alert_host_absent(booking_id: int) -> bool:
    return followups.alert_host_absent(booking_id)


@shared_task
def sweep_outcomes() -> int:
    """Checks the meetings that are over and unsettled, and alerts the hosts guests wait for
    (whatever message was lost). Runs every minute from Celery beat."""
    due = services.bookings_due_for_check(limit=SWEEP_BATCH)
    for booking_id in due:
        publish(check_outcome, booking_id)
    alerts = followups.alerts_due(limit=SWEEP_BATCH)
    for booking_id in alerts:
        publish(alert_host_absent, booking_id)
    emails = followups.no_show_emails_due(limit=SWEEP_BATCH)
    for booking_id in emails:
        publish(send_no_show_email, booking_id)
    return len(due) + len(alerts) + len(emails)


# A settled outcome (the check ran, or the rep marked it), or a settled one that a late event
# changed: the guest who missed it may be emailed (the claim in followups keeps it to once when
# both come in one change).
@receiver(outcome_changed, sender=MeetingOutcome, dispatch_uid="outcomes.no_show_email")
@receiver(outcome_settled, sender=MeetingOutcome, dispatch_uid="outcomes.no_show_email_settled")
def email_the_guest_who_missed_it(sender, *, outcome: MeetingOutcome, **kwargs) -> None:
    if followups.no_show_email_due(outcome):
        booking_id = outcome.booking_id
        transaction.on_commit(lambda: publish(send_no_show_email, booking_id))


@receiver(host_absent_check_due, sender=MeetingOutcome, dispatch_uid="outcomes.host_absent")
def check_the_host_when_due(sender, *, booking_id: int, due_at, **kwargs) -> None:
    wait = max(0.0, (due_at - timezone.now()).total_seconds())
    publish(alert_host_absent, booking_id, countdown=wait)
