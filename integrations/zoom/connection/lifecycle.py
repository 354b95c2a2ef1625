"""What happens when a rep's Zoom connection breaks or starts working again.

Breaking: whoever moves a connection to "needs reconnect" (a Zoom session, a refused refresh) calls
`connection_broke` once, at that transition. Once that commits, `signals.zoom_connection_broke`
is sent; the reconnect email listens and is sent by a task, so an SMTP hiccup never fails a
booking's Zoom work or a web request (and the once-a-day limit lives in one place,
`notifications`). A notice whose enqueue is lost (broker down) is caught up by the keep-alive's
daily reminders.

Restoring: a committed connect or reconnect sends `signals.zoom_connection_restored`, so other
apps (meetings) resume the work they parked while Zoom was unusable.
"""

import logging

from django.db import transaction

from ..company import lifecycle as company_lifecycle
from ..company.models import ZoomCompanyAccount
from ..signals import zoom_connection_broke, zoom_connection_restored
from .models import ZoomConnection

logger = logging.getLogger(__name__)


def connection_broke(connection: ZoomConnection) -> None:
    """The connection has just stopped working ("needs reconnect", or "removed" in Zoom): tell the
    rep once the change commits. Call it once, from the code that made the transition. The
    company's account connection has no rep of its own: its Zoom admins are told instead."""
    if isinstance(connection, ZoomCompanyAccount):
        company_lifecycle.company_account_broke(connection)
        return
    logger.warning(
        "Zoom connection %s of rep %s stopped working: %s %s",
        connection.pk,
        connection.user_id,
        connection.status,
        connection.needs_reconnect_reason,
    )
    connection_id = connection.pk
    transaction.on_commit(
        lambda: zoom_connection_broke.send(sender=ZoomConnection, connection_id=connection_id)
    )


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
