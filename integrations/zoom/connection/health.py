"""Checking that a rep's Zoom connection still works: the one check the connect flow, the
keep-alive and the admin's roster all use.

The check asks Zoom `GET /users/me`: an admin's withdrawal of the app's approval (4738) shows only
on API calls, and a deleted user (4735) or a newer authorization elsewhere (4741) on the refresh
that an old token forces. A broken authorization is recorded on the connection by the session,
which also tells the rep; Zoom being down says nothing about the authorization.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from ..api.client import ZoomClient
from ..api.errors import ZoomError, ZoomNeedsReconnect, ZoomNotConnected
from .models import ZoomConnection
from .session import ZoomSession

logger = logging.getLogger(__name__)


class Health(StrEnum):
    """What checking one connection found."""

    HEALTHY = "healthy"
    BROKEN = "broken"  # marked "needs reconnect"; the rep is being told
    UNAVAILABLE = "unavailable"  # Zoom did not answer usefully; the connection is unchanged
    NOT_CONNECTED = "not_connected"  # not usable to begin with (or changed since it was loaded)


@dataclass(frozen=True)
class ConnectionCheck:
    health: Health
    # Who Zoom says the user is (HEALTHY only), and what went wrong (BROKEN, UNAVAILABLE).
    zoom_email: str = ""
    error: ZoomError | None = None


def check_connection(
    connection: ZoomConnection,
    *,
    renew_tokens: bool = False,
    read_passcode_rules: bool = False,
    by: str = "Checking the connection",
) -> ConnectionCheck:
    """Ask Zoom who the connection's user is, refreshing the tokens first when `renew_tokens`
    (or when they are due), and with `read_passcode_rules` read the host's passcode rules again
    (an admin may tighten them any day). A failure that is not the authorization's is recorded on
    the connection as "`by` failed: <error type>", never with Zoom's own words."""

    def ask(zoom: ZoomSession) -> str:
        if renew_tokens:
            zoom.refresh()
        email = str(zoom.call(ZoomClient.get_me).get("email") or "")
        if read_passcode_rules:
            connection.store_passcode_rules(zoom.call(ZoomClient.get_user_settings))
        return email

    return _checked(connection, by, ask)


def renew_tokens(connection: ZoomConnection, *, by: str) -> ConnectionCheck:
    """Swap the tokens for new ones now (serialized with every other refresh of this rep)."""

    def refresh(zoom: ZoomSession) -> str:
        zoom.refresh()
        return ""

    return _checked(connection, by, refresh)


def _checked(
    connection: ZoomConnection, by: str, work: Callable[[ZoomSession], str]
) -> ConnectionCheck:
    if not connection.is_usable:
        return ConnectionCheck(Health.NOT_CONNECTED)
    try:
        with ZoomSession(connection) as zoom:
            zoom_email = work(zoom)
    except ZoomNeedsReconnect as exc:
        return ConnectionCheck(Health.BROKEN, error=exc)
    except ZoomNotConnected:
        # Broken or disconnected since it was loaded; whoever changed it handled it.
        return ConnectionCheck(Health.NOT_CONNECTED)
    except ZoomError as exc:
        # Down, rate limited, or a 124 twice in a row: none says the authorization is gone.
        connection.record_error(f"{by} failed: {type(exc).__name__}")
        logger.info("%s of Zoom connection %s: %s", by, connection.pk, type(exc).__name__)
        return ConnectionCheck(Health.UNAVAILABLE, error=exc)
    return ConnectionCheck(Health.HEALTHY, zoom_email=zoom_email)
