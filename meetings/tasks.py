"""Thin tasks: load ids, call a service, decide when to run again. The Zoom meeting's own task
is `meetings.zoom.tasks.sync_zoom_meeting`."""

from celery import shared_task

from config.celery import mail_task, publish, publish_on

from . import selectors
from .services import invites, reminders
from .signals import invites_due
from .zoom import former, resume
from .zoom.tasks import enqueue_zoom_work, remove_former_meeting

SWEEP_BATCH = 500


@mail_task(retry_backoff=30, max_retries=8)
def send_booking_invites(booking_id: int) -> int:
    return invites.send_invites(booking_id)


publish_on(invites_due, send_booking_invites, "booking_id", dispatch_uid="meetings.enqueue_invites")


@shared_task
def sweep_due_work() -> int:
    """Re-enqueues Zoom work that is due and nobody holds (a former host's meeting to delete
    included), bookings parked for a reconnect whose rep has reconnected, and invites that never
    went out. Runs every minute from Celery beat."""
    resumed = resume.resume_parked_links()
    due = list(selectors.bookings_with_zoom_work_due().values_list("pk", flat=True)[:SWEEP_BATCH])
    for booking_id in due:
        enqueue_zoom_work(booking_id)
    invites_due_ids = list(
        selectors.bookings_with_invites_due().values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for booking_id in invites_due_ids:
        publish(send_booking_invites, booking_id)
    former_due = list(former.former_meetings_due().values_list("pk", flat=True)[:SWEEP_BATCH])
    for change_id in former_due:
        publish(remove_former_meeting, change_id)
    return resumed + len(due) + len(invites_due_ids) + len(former_due)


@mail_task(retry_backoff=30, max_retries=8)
def send_booking_reminder(booking_id: int) -> int:
    return reminders.send_reminder(booking_id)


@shared_task
def sweep_due_reminders() -> int:
    """Hands each booking whose next reminder is due to a worker. Runs every minute from Celery
    beat; a booking handed over twice sends once (meetings.services.reminders)."""
    due = list(reminders.bookings_with_reminders_due().values_list("pk", flat=True)[:SWEEP_BATCH])
    for booking_id in due:
        publish(send_booking_reminder, booking_id)
    return len(due)
