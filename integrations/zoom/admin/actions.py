"""What the roster's admin actions do to one rep's Zoom connection, reported in an admin's words.

Each function takes the rep and their connection (None when they never started connecting) and
returns an ActionReport: whether it worked and one sentence for the admin's messages and the admin
log.
Zoom is reached only through integrations.zoom (the connection check, a token renewal,
disconnect_zoom).
The sentences carry error types and reason labels, never Zoom's raw answers: those are not ours to
echo into the log.
"""

import smtplib
from dataclasses import dataclass

from ..api.reasons import ReconnectReason
from ..connection.health import ConnectionCheck, Health, check_connection, renew_tokens
from ..connection.models import ZoomConnection
from ..connection.notifications import notify_needs_reconnect
from ..connection.services import disconnect_zoom


@dataclass(frozen=True)
class ActionReport:
    succeeded: bool
    message: str
    # False when there was nothing to do (e.g. the rep never connected): reported, not logged.
    acted: bool = True


def _state(connection: ZoomConnection | None) -> str:
    if connection is None:
        return "they never connected Zoom"
    return f"their Zoom connection is “{connection.get_status_display()}”"


def _not_connected(rep, connection: ZoomConnection | None) -> ActionReport:
    return ActionReport(False, f"{rep.email}: skipped, {_state(connection)}.", acted=False)


def _reported(
    rep, connection: ZoomConnection, check: ConnectionCheck, success: str
) -> ActionReport:
    if check.health == Health.HEALTHY:
        return ActionReport(True, success)
    if check.health == Health.BROKEN:
        return ActionReport(
            False,
            f"{rep.email}: Zoom refused the connection, which now needs reconnecting "
            f"({ReconnectReason(check.error.reason).label}).",
        )
    if check.health == Health.NOT_CONNECTED:
        return _not_connected(rep, connection)
    # Zoom down or answering oddly says nothing about the authorization: the status stays.
    return ActionReport(
        False,
        f"{rep.email}: Zoom did not answer usefully ({type(check.error).__name__}); "
        "the connection is unchanged.",
    )


def check_connection_now(rep, connection: ZoomConnection | None) -> ActionReport:
    """Ask Zoom who this connection is (GET /users/me), refreshing the token if it is due."""
    if connection is None or not connection.is_usable:
        return _not_connected(rep, connection)
    check = check_connection(connection, by="Testing the connection from the admin")
    answered_for = check.zoom_email or "the user"
    return _reported(rep, connection, check, f"{rep.email}: Zoom answered for {answered_for}.")


def refresh_now(rep, connection: ZoomConnection | None) -> ActionReport:
    """Swap the tokens for new ones now (serialized with every other refresh of this rep)."""
    if connection is None or not connection.is_usable:
        return _not_connected(rep, connection)
    check = renew_tokens(connection, by="Refreshing the tokens from the admin")
    return _reported(rep, connection, check, f"{rep.email}: Zoom issued new tokens.")


def disconnect(rep, connection: ZoomConnection | None) -> ActionReport:
    """Revoke the app's access at Zoom and forget the tokens and Zoom ids here."""
    if connection is None or (
        connection.status == ZoomConnection.Status.DISCONNECTED and not connection.access_token
    ):
        return _not_connected(rep, connection)
    if disconnect_zoom(connection):
        return ActionReport(True, f"{rep.email}: disconnected; Zoom access revoked.")
    return ActionReport(
        False,
        f"{rep.email}: disconnected here, but Zoom could not be reached to revoke access; "
        "the rep should remove the app in Zoom.",
    )


def send_reconnect_email(rep, connection: ZoomConnection | None, *, admin) -> ActionReport:
    """Email the rep a reconnect link now, even if they got one today (the admin asked)."""
    if connection is None or connection.status not in (
        ZoomConnection.Status.NEEDS_RECONNECT,
        ZoomConnection.Status.REMOVED,
    ):
        return ActionReport(
            False, f"{rep.email}: no email sent, {_state(connection)}.", acted=False
        )
    try:
        sent = notify_needs_reconnect(connection, force=True, sent_by=admin)
    except (smtplib.SMTPException, OSError) as exc:
        return ActionReport(False, f"{rep.email}: the mail server refused ({type(exc).__name__}).")
    if not sent:
        # The rep reconnected between the page load and the click.
        return ActionReport(False, f"{rep.email}: no email sent, Zoom works again.", acted=False)
    return ActionReport(True, f"{rep.email}: reconnect email sent.")
