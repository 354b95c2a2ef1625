"""What a booking change tells the logs and the metrics (config/log_context.py, config/metrics.py):
the rest of its request, and the tasks it publishes, log under its id; once committed, it counts.
"""

import logging

from django.db import transaction
from django.dispatch import receiver

from config import log_context, metrics

from .models import Booking
from .signals import booking_changed

logger = logging.getLogger(__name__)


@receiver(booking_changed, sender=Booking, dispatch_uid="meetings.observe_booking_change")
def _observe(sender, *, booking: Booking, change: str, **kwargs) -> None:
    log_context.bind(booking_id=booking.pk)
    logger.info("Booking %s %s (%s)", booking.pk, change, booking.location_kind)
    counted = metrics.BOOKINGS.labels(change, booking.location_kind)
    transaction.on_commit(counted.inc)


def link_ready(booking: Booking) -> None:
    """A booking's first Zoom link is stored: how long the guest's booking waited for it."""
    waited = (booking.link_ready_at - booking.created_at).total_seconds()
    transaction.on_commit(lambda: metrics.LINK_LATENCY.observe(max(waited, 0.0)))
