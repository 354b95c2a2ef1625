"""A unit of work against one rep's Zoom (or the company's): open a session, call the client's
endpoints through it, close it.

    with ZoomSession(host) as zoom:
        meeting = zoom.call(ZoomClient.create_meeting, body)

The endpoints are written once, in the client; the session supplies the token and the host.

Every call goes out with a valid access token. Zoom rotates refresh tokens: each refresh returns a
new one and kills the old one
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
from django.views.decorators.debug import sensitive_variables

from ..api import quota
from ..api.client import ZoomClient
from ..api.errors import (
    ZoomCapabilityUnavailable,
    ZoomMeetingNotFound,
    ZoomMissingScopes,
    ZoomNeedsReconnect,
    ZoomNotConnected,
    ZoomTokenExpired,
)
from ..api.scopes import Capability, capability_for
from . import lifecycle
from .hosts import ZoomHost, as_host
from .token_chain import GRANT_FIELDS, ZoomTokenChain

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Access tokens live an hour; refresh a minute early so a token never expires mid-call.
REFRESH_MARGIN = timedelta(seconds=60)


class ZoomSession:
    """Zoom's REST API on behalf of one connection, for one unit of work.

    Opening checks the connection is usable (`ZoomNotConnected` otherwise). Each call refreshes the
    token first when it expires within REFRESH_MARGIN, and on `ZoomTokenExpired` (124) refreshes
    once and retries once, never more. A refresh or call that says the authorization is gone marks
    the connection "needs reconnect" and re-raises `ZoomNeedsReconnect`; every other ZoomError
    propagates untouched. Closing records one success on the connection if any call succeeded.

    A call of a capability the product can do without (`Capability.essential` false) that the
    connection lacks raises `ZoomCapabilityUnavailable` without reaching Zoom; one Zoom refuses
    for lack of a scope (a read tried under classic `meeting:write`) is recorded on the
    connection, which stays healthy, and raises the same.
    """

    def __init__(
        self, connection: "ZoomTokenChain | ZoomHost", *, client: ZoomClient | None = None
    ):
        # A rep's own connection acts as "me"; a rep served by the company's Zoom account is
        # `host.user` (their Zoom user id) with the account's token chain. Calls are paced per
        # Zoom account (`pacing.py`): every rep the company's account serves shares its budget.
        self.host = as_host(connection)
        self.connection = self.host.chain
        self.user = self.host.user
        self.client = client or ZoomClient(
            app=self.connection.zoom_app,
            account_id=self.connection.zoom_account_id,
            user=self.user,
        )
        self._answered = False

    @property
    def _rep_id(self) -> int | None:
        """The rep whose Zoom host makes the calls (quota.py counts each host's daily writes)."""
        if self.host.member is not None:
            return self.host.member.rep_id
        return getattr(self.connection, "user_id", None)

    def __enter__(self) -> "ZoomSession":
        self._require_usable()
        return self

    def __exit__(self, *exc_info) -> None:
        if self._answered:
            self.connection.record_success()
            self._answered = False

    def refresh(self) -> None:
        """Refreshes the tokens now, whatever their expiry (the keep-alive and the admin do)."""
        self._require_usable()
        _refresh(self.connection, self.client, stale_generation=self.connection.token_generation)

    # The token dance ----------------------------------------------------------------------------

    def _require_usable(self) -> None:
        if not self.connection.is_usable:
            raise ZoomNotConnected(f"Zoom connection is {self.connection.status}.")

    def call(self, endpoint: Callable[..., T], *args, **kwargs) -> T:
        """`endpoint(client, token, *args, **kwargs)`: a ZoomClient method (`ZoomClient.get_me`)
        run with this session's client and a valid token. A meeting create or update counts once
        against the host's daily allowance, however often the token is refreshed for it."""
        optional = self._optional_capability(endpoint)
        if optional is not None and self.connection.capability_unavailable(optional.endpoint):
            raise self._unavailable(optional)  # never sent, never counted
        if getattr(endpoint, "counts_as_meeting_write", False):
            with quota.counted_write(self._rep_id):
                return self._call(endpoint, optional, *args, **kwargs)
        return self._call(endpoint, optional, *args, **kwargs)

    def _optional_capability(self, endpoint) -> Capability | None:
        capability = capability_for(
            getattr(endpoint, "zoom_endpoint", ""), self.connection.capabilities
        )
        return None if capability is None or capability.essential else capability

    def _unavailable(self, capability: Capability) -> ZoomCapabilityUnavailable:
        scope = dict(self.connection.scopes_to_add).get(capability) or capability.classic
        return ZoomCapabilityUnavailable(capability.endpoint, scope, capability.label)

    @sensitive_variables()
    def _call(self, endpoint: Callable[..., T], optional: Capability | None, *args, **kwargs) -> T:
        """`call` once the capability is known: `optional` is the one the product can do
        without that `endpoint` needs, if any."""
        connection, client = self.connection, self.client
        self._require_usable()
        if connection.access_token_expires_within(REFRESH_MARGIN):
            _refresh(connection, client, stale_generation=connection.token_generation)
        generation = connection.token_generation
        try:
            try:
                result = endpoint(client, connection.access_token, *args, **kwargs)
            except ZoomTokenExpired:
                _refresh(connection, client, stale_generation=generation)
                generation = connection.token_generation
                result = endpoint(client, connection.access_token, *args, **kwargs)
        except ZoomMeetingNotFound:
            self._answered = True  # Zoom accepted the token and answered
            raise
        except ZoomMissingScopes as exc:
            if optional is None:
                self._mark_broken(exc, generation)
                raise
            # Not a broken connection: this grant does not allow this one call.
            self._answered = True
            if connection.record_refused_endpoint(optional.endpoint):
                logger.info(
                    "Zoom refused %s for connection %s (%s): doing without it",
                    optional.endpoint,
                    connection.pk,
                    exc,
                )
            raise self._unavailable(optional) from exc
        except ZoomNeedsReconnect as exc:
            self._mark_broken(exc, generation)
            raise
        self._answered = True
        return result

    def _mark_broken(self, exc: ZoomNeedsReconnect, generation: int) -> None:
        # Only the worker that made the transition tells the rep; the others saw it happen.
        connection = self.connection
        if connection.mark_needs_reconnect(exc.reason, exc.message, generation=generation):
            lifecycle.connection_broke(connection)


@sensitive_variables()
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


# What a refresh (or a refusal of one) may have changed on the row.
_REFRESHED_FIELDS = (*GRANT_FIELDS, "last_refreshed_at", *ZoomTokenChain.health_fields)


def _copy_tokens(source: ZoomTokenChain, target: ZoomTokenChain) -> None:
    for field in _REFRESHED_FIELDS:
        setattr(target, field, getattr(source, field))
