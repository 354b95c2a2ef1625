"""Announces a booking's background work once the transaction that made it necessary commits.

A worker that starts before the commit would not see the booking, hence `on_commit`. The receivers
in the tasks modules hand the work to Celery (see `signals`).
"""

from django.db import transaction

from .models import Booking
from .signals import invites_due, zoom_work_due


def zoom_work_after_commit(booking_id: int) -> None:
    transaction.on_commit(lambda: zoom_work_due.send(sender=Booking, booking_id=booking_id))


def invites_after_commit(booking_id: int) -> None:
    transaction.on_commit(lambda: invites_due.send(sender=Booking, booking_id=booking_id))
