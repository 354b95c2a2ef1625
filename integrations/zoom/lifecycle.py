"""What happens when a rep's Zoom connection breaks or starts working again.

Breaking: whoever moves a connection to "needs reconnect" (`tokens.with_zoom`, a refused refresh,
the keep-alive) calls `connection_broke` once, at that transition. The rep's reconnect email is
then sent by a task after the commit, so an SMTP hiccup never fails a booking's Zoom work or a web
request, and the once-a-day limit lives in one place (`integrations.notifications`). A notice
whose enqueue is lost (broker down) is caught up by the keep-alive's daily reminders.

Restoring: a committed connect or reconnect sends `signals.zoom_connection_restored`, so other
apps (meetings) resume the work they parked while Zoom was unusable.
"""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnavailable

from . import account_lifecycle
from .models import ZoomAccountConnection, ZoomConnection
from .signals import zoom_connection_restored

logger = logging.getLogger(__name__)


def connection_broke(connection: ZoomConnection) -> None:
    """The connection has just stopped working ("needs reconnect", or "removed" in Zoom): tell the
    rep once the change commits. Call it once, from the code that made the transition. The
    company's account connection has no rep of its own: its Zoom admins are told instead."""
    if isinstance(connection, ZoomAccountConnection):
        account_lifecycle.account_broke(connection)
        return
    logger.warning(
        "Zoom connection %s of rep %s stopped working: %s %s",
        connection.pk,
        connection.user_id,
        connection.status,
        connection.needs_reconnect_reason,
    )
    connection_id = connection.pk
    transaction.on_commit(lambda: enqueue_reconnect_notice(connection_id))


def enqueue_reconnect_notice(connection_id: int) -> bool:
    """Hands the reconnect email to a worker; False when the broker could not take it."""
    # Imported here: tasks import the services, which import this module.
    from .tasks import send_zoom_reconnect_notice

    try:
        # retry=False: the caller (a booking's task, a web request) must not hang on a dead
        # broker; the keep-alive's reminder pass sends the notice later.
        send_zoom_reconnect_notice.apply_async((connection_id,), retry=False)
    except BrokerUnavailable as exc:
        logger.warning(
            "Broker unreachable; the reconnect email for Zoom connection %s is left to the "
            "keep-alive (%s)",
            connection_id,
            type(exc).__name__,
        )
        return False
    return True


def send_reconnect_notice(connection_id: int) -> bool:
    """Email the rep of a broken connection a reconnect link, unless they got one in the last
    24 hours or it works again. Returns whether an email went out; mail errors propagate."""
    # The notification lives in the integrations app, which also reads the meetings app (how many
    # bookings wait): imported here so that this module stays importable from tokens.py.
    from integrations.notifications import notify_needs_reconnect

    connection = ZoomConnection.objects.filter(pk=connection_id).first()
    if connection is None:
        return False
    return notify_needs_reconnect(connection)


def connection_restored(connection: ZoomConnection, previous_status: str) -> None:
    """A connect or reconnect is being stored: announce it to other apps once it commits."""

    def send() -> None:
        results = zoom_connection_restored.send_robust(
            sender=ZoomConnection, connection=connection, previous_status=previous_status
        )
        for receiver, result in results:
            if isinstance(result, Exception):
                # The reconnect itself stands; parked work is still found by the meetings sweeper.
                logger.error(
                    "zoom_connection_restored receiver %r failed for connection %s",
                    receiver,
                    connection.pk,
                    exc_info=result,
                )

    transaction.on_commit(send)
