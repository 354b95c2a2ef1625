"""Hands work to Celery once the transaction that made it necessary has committed.

A worker that starts before the commit would not see the booking, hence `on_commit`. If the broker
is unreachable the booking still stands: the enqueue is logged and dropped, and the periodic sweeper
(`tasks.sweep_due_work`) finds the work through the booking's own state.
"""

import logging

from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from .models import Booking, LinkState

logger = logging.getLogger(__name__)


def _publish(task, booking_id: int, countdown: float | None = None) -> bool:
    try:
        # retry=False: a guest's request must not hang on a dead broker; the sweeper catches up.
        task.apply_async((booking_id,), countdown=countdown, retry=False)
    except OperationalError as exc:
        logger.warning(
            "Broker unreachable, %s for booking %s left to the sweeper (%s)",
            task.name,
            booking_id,
            type(exc).__name__,
        )
        return False
    return True


def zoom_work(booking_id: int, countdown: float | None = None) -> None:
    # Imported here: tasks import the services, which call this module.
    from . import tasks

    if not _publish(tasks.sync_zoom_meeting, booking_id, countdown) and not countdown:
        _due_now(booking_id)


def invites(booking_id: int) -> None:
    from . import tasks

    _publish(tasks.send_booking_invites, booking_id)


def _due_now(booking_id: int) -> None:
    """A fresh booking is due for the sweeper only after a grace (its task is on the way); once its
    enqueue is known lost it is due now, so the sweeper's next run picks it up."""
    now = timezone.now()
    Booking.objects.filter(
        pk=booking_id,
        link_state__in=[LinkState.PENDING, LinkState.REMOVING],
        link_next_attempt_at__gt=now,
    ).update(link_next_attempt_at=now)


def zoom_work_after_commit(booking_id: int) -> None:
    transaction.on_commit(lambda: zoom_work(booking_id))


def invites_after_commit(booking_id: int) -> None:
    transaction.on_commit(lambda: invites(booking_id))
