"""The Celery tasks that bring a booking's Zoom meeting in line (`links.sync_zoom_meeting`) and
delete the one a booking left in its former host's Zoom (`former.remove_former_meeting`)."""

from collections.abc import Callable
from datetime import timedelta

from celery import shared_task
from django.dispatch import receiver
from django.utils import timezone

from config.celery import publish, publish_on

from ..models import Booking
from ..signals import former_meeting_due, zoom_work_due
from . import former, links

# A retry further away than this is left to the sweeper (the booking keeps its due time): with
# Redis, a countdown longer than the visibility timeout would be delivered more than once.
MAX_COUNTDOWN = timedelta(minutes=10)


# The name predates this module; messages queued under it during a deploy must still route.
@shared_task(name="meetings.tasks.sync_zoom_meeting", acks_late=True)
def sync_zoom_meeting(booking_id: int) -> str:
    run = links.sync_zoom_meeting(booking_id)
    return _again_if_soon(run, lambda wait: enqueue_zoom_work(booking_id, countdown=wait))


def _again_if_soon(run, queue_again: Callable[[float], object]) -> str:
    """The run's state, once `queue_again(seconds)` has queued its retry, if it has one due
    within MAX_COUNTDOWN."""
    if run.retry_at is not None:
        wait = run.retry_at - timezone.now()
        if wait <= MAX_COUNTDOWN:
            queue_again(max(wait.total_seconds(), 0))
    return run.state


def enqueue_zoom_work(booking_id: int, countdown: float | None = None) -> None:
    """A fresh booking is due for the sweeper only after a grace (its task is on the way); once
    its enqueue is known lost it is due now, so the sweeper's next run picks it up."""
    if not publish(sync_zoom_meeting, booking_id, countdown=countdown) and not countdown:
        Booking.objects.make_zoom_work_due_now(booking_id)


@receiver(zoom_work_due, dispatch_uid="meetings.enqueue_zoom_work")
def _zoom_work_due(sender, *, booking_id: int, **kwargs) -> None:
    enqueue_zoom_work(booking_id)


@shared_task(name="meetings.zoom.tasks.remove_former_meeting", acks_late=True)
def remove_former_meeting(change_id: int) -> str:
    run = former.remove_former_meeting(change_id)
    return _again_if_soon(
        run, lambda wait: publish(remove_former_meeting, change_id, countdown=wait)
    )


# A lost message leaves the change due: the sweeper finds it.
publish_on(
    former_meeting_due,
    remove_former_meeting,
    "change_id",
    dispatch_uid="meetings.enqueue_former_meeting_removal",
)
