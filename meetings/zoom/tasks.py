"""The Celery task that brings a booking's Zoom meeting in line (`links.sync_zoom_meeting`)."""

from datetime import timedelta

from celery import shared_task
from django.dispatch import receiver
from django.utils import timezone

from config import log_context
from config.celery import publish

from ..models import Booking
from ..signals import zoom_work_due
from . import links

# A retry further away than this is left to the sweeper (the booking keeps its due time): with
# Redis, a countdown longer than the visibility timeout would be delivered more than once.
MAX_COUNTDOWN = timedelta(minutes=10)


# The name predates this module; messages queued under it during a deploy must still route.
@shared_task(name="meetings.tasks.sync_zoom_meeting", acks_late=True)
def sync_zoom_meeting(booking_id: int) -> str:
    log_context.bind(booking_id=booking_id)
    run = links.sync_zoom_meeting(booking_id)
    if run.retry_at is not None:
        wait = run.retry_at - timezone.now()
        if wait <= MAX_COUNTDOWN:
            enqueue_zoom_work(booking_id, countdown=max(wait.total_seconds(), 0))
    return run.state


def enqueue_zoom_work(booking_id: int, countdown: float | None = None) -> None:
    """A fresh booking is due for the sweeper only after a grace (its task is on the way); once
    its enqueue is known lost it is due now, so the sweeper's next run picks it up."""
    if not publish(sync_zoom_meeting, booking_id, countdown=countdown) and not countdown:
        Booking.objects.make_zoom_work_due_now(booking_id)


@receiver(zoom_work_due, dispatch_uid="meetings.enqueue_zoom_work")
def _zoom_work_due(sender, *, booking_id: int, **kwargs) -> None:
    enqueue_zoom_work(booking_id)
