"""Calling Zoom on a rep's behalf with a valid access token, refreshing it safely.

Zoom rotates refresh tokens: each refresh returns a new one and kills the old one
(https://developers.zoom.us/docs/integrations/oauth/#refreshing-an-access-token). Two workers that
refresh the same connection at once leave one of them holding a dead token, and its next refresh
answers `invalid_grant`. So refreshes are serialized per connection with a row lock, and whoever
waited re-reads the row and uses the token the other worker stored.
"""

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.db import transaction

from . import lifecycle
from .client import ZoomClient
from .errors import ZoomNeedsReconnect, ZoomNotConnected, ZoomTokenExpired
from .models import ZoomConnection, ZoomTokenChain

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Access tokens live an hour; refresh a minute early so a token never expires mid-call.
REFRESH_MARGIN = timedelta(seconds=60)


def with_zoom(
    connection: ZoomTokenChain,
    call: Callable[[ZoomClient, str], T],
    *,
    client: ZoomClient | None = None,
) -> T:
    """Run `call(client, access_token)` for this connection and return its result.

    Refreshes the token first when it expires within REFRESH_MARGIN; on `ZoomTokenExpired` refreshes
    once and retries once (never more). A refresh or call that says the authorization is gone marks
    the connection "needs reconnect" and re-raises `ZoomNeedsReconnect`. `ZoomNotConnected` when the
    connection is not usable to begin with. Every other ZoomError propagates untouched.
    """
    client = client or ZoomClient(app=connection.zoom_app)
    if not connection.is_usable:
        raise ZoomNotConnected(f"Zoom connection is {connection.status}.")
    if connection.access_token_expires_within(REFRESH_MARGIN):
        _refresh(connection, client, stale_generation=connection.token_generation)
    generation = connection.token_generation
    try:
        try:
            result = call(client, connection.access_token)
        except ZoomTokenExpired:
            _refresh(connection, client, stale_generation=generation)
            generation = connection.token_generation
            result = call(client, connection.access_token)
    except ZoomNeedsReconnect as exc:
        # Only the worker that made the transition tells the rep; the others saw it happen.
        if connection.mark_needs_reconnect(exc.reason, exc.message, generation=generation):
            lifecycle.connection_broke(connection)
        raise
    connection.record_success()
    return result


def refresh_connection(connection: ZoomConnection, *, client: ZoomClient | None = None) -> None:
    """Refresh the tokens now, whatever their expiry (the keep-alive uses this)."""
    if not connection.is_usable:
        raise ZoomNotConnected(f"Zoom connection is {connection.status}.")
    _refresh(
        connection,
        client or ZoomClient(app=connection.zoom_app),
        stale_generation=connection.token_generation,
    )


def _refresh(connection: ZoomTokenChain, client: ZoomClient, *, stale_generation: int) -> None:
    """Replace the tokens of `stale_generation` with fresh ones, unless another worker already did.

    Updates `connection` in place. The row lock is held across the HTTP call on purpose: the others
    must wait for the new refresh token rather than spend the old one.
    """
    failure: ZoomNeedsReconnect | None = None
    with transaction.atomic():
        # The rep's own connection or the company's account connection: one row, one chain.
        locked = type(connection)._default_manager.select_for_update().get(pk=connection.pk)
        if not locked.is_usable:
            _copy_tokens(locked, connection)
            raise ZoomNotConnected(f"Zoom connection is {locked.status}.")
        already_refreshed = locked.token_generation != stale_generation
        if already_refreshed and not locked.access_token_expires_within(REFRESH_MARGIN):
            _copy_tokens(locked, connection)
            return
        try:
            grant = client.refresh(locked.refresh_token)
        except ZoomNeedsReconnect as exc:
            # Record it inside the lock (so nobody refreshes a dead token after us), then raise
            # once the transaction has committed the new status.
            failure = exc
            logger.warning("Zoom refresh refused for connection %s: %s", locked.pk, exc.reason)
            if locked.mark_needs_reconnect(
                exc.reason, exc.message, generation=locked.token_generation
            ):
                lifecycle.connection_broke(locked)
        else:
            locked.store_refreshed_tokens(grant)
    _copy_tokens(locked, connection)
    if failure is not None:
        raise failure


_TOKEN_FIELDS = (
    "status",
    "access_token",
    "refresh_token",
    "access_token_expires_at",
    "scopes",
    "token_generation",
    "last_refreshed_at",
    "needs_reconnect_reason",
    "needs_reconnect_detail",
    "needs_reconnect_since",
    "last_error",
    "last_error_at",
)


def _copy_tokens(source: ZoomTokenChain, target: ZoomTokenChain) -> None:
    for field in _TOKEN_FIELDS:
        setattr(target, field, getattr(source, field))
