"""Thin tasks: load ids, call a service, decide when to run again."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import dispatch, selectors
from .services import invites, zoom_links

# A retry further away than this is left to the sweeper (the booking keeps its due time): with
# Redis, a countdown longer than the visibility timeout would be delivered more than once.
MAX_COUNTDOWN = timedelta(minutes=10)
SWEEP_BATCH = 500


@shared_task(acks_late=True)
def sync_zoom_meeting(booking_id: int) -> str:
    outcome = zoom_links.sync_zoom_meeting(booking_id)
    if outcome.retry_at is not None:
        wait = outcome.retry_at - timezone.now()
        if wait <= MAX_COUNTDOWN:
            dispatch.zoom_work(booking_id, countdown=max(wait.total_seconds(), 0))
    return outcome.state


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=8)
def send_booking_invites(booking_id: int) -> int:
    # OSError covers SMTP connection failures (smtplib.SMTPException is an OSError).
    return invites.send_invites(booking_id)


@shared_task
def sweep_due_work() -> int:
    """Re-enqueues Zoom work that is due and nobody holds, bookings parked for a reconnect whose
    rep has reconnected, and invites that never went out. Runs every minute from Celery beat."""
    resumed = zoom_links.resume_parked_links()
    due = list(selectors.bookings_with_zoom_work_due().values_list("pk", flat=True)[:SWEEP_BATCH])
    for booking_id in due:
        dispatch.zoom_work(booking_id)
    invites_due = list(
        selectors.bookings_with_invites_due().values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for booking_id in invites_due:
        dispatch.invites(booking_id)
    return resumed + len(due) + len(invites_due)
