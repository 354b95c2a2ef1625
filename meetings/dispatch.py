"""Hands work to Celery once the transaction that made it necessary has committed.

A worker that starts before the commit would not see the booking, hence `on_commit`. If the broker
is unreachable the booking still stands: the enqueue is logged and dropped, and the periodic sweeper
(`tasks.sweep_due_work`) finds the work through the booking's own state.
"""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def _publish(task, booking_id: int, countdown: float | None = None) -> None:
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


def zoom_work(booking_id: int, countdown: float | None = None) -> None:
    # Imported here: tasks import the services, which call this module.
    from . import tasks

    _publish(tasks.sync_zoom_meeting, booking_id, countdown)


def invites(booking_id: int) -> None:
    from . import tasks

    _publish(tasks.send_booking_invites, booking_id)


def zoom_work_after_commit(booking_id: int) -> None:
    transaction.on_commit(lambda: zoom_work(booking_id))


def invites_after_commit(booking_id: int) -> None:
    transaction.on_commit(lambda: invites(booking_id))
