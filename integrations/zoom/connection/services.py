"""Connecting and disconnecting a rep's Zoom account (the writes; views only call these)."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from ..api.client import TokenGrant, ZoomClient
from ..api.errors import (
    ZoomAppMisconfigured,
    ZoomCodeExpired,
    ZoomCodeInvalid,
    ZoomError,
    ZoomNeedsReconnect,
    ZoomRateLimited,
    ZoomUnavailable,
)
from ..api.reasons import ReconnectReason
from ..api.scopes import missing_capabilities, missing_scope_names
from . import lifecycle, oauth_session
from .connect_failures import ConnectFailed, ConnectProblem
from .health import check_connection
from .models import ZoomConnection
from .session import ZoomSession

logger = logging.getLogger(__name__)

# A Marketplace install we restart ourselves comes straight back; a second state-less return within
# this many seconds means Zoom is not honouring our state, and restarting again would loop.
RESTART_LOOP_GUARD_SECONDS = 120


def redirect_uri() -> str:
    """The OAuth redirect URI registered on the Marketplace app (a contract: see README)."""
    return settings.SITE_URL + reverse("integrations:zoom:callback")


def start_connect(user, session, *, restarted: bool = False) -> str:
    """Begin connecting: a fresh state and PKCE verifier in the session, the attempt noted on the
    rep's connection (to explain it later if Zoom never sends them back). Returns Zoom's URL."""
    pending = oauth_session.begin(session, user.pk, restarted=restarted)
    connection, _ = ZoomConnection.objects.get_or_create(user=user)
    connection.start_connect_attempt()
    return ZoomClient().authorize_url(pending.state, pending.code_challenge, redirect_uri())


@dataclass(frozen=True)
class CallbackOutcome:
    """Either `connection` (connected) or `confirm_install` (a Marketplace install: the rep
    confirms on our page, with a POST, before we send them back to Zoom)."""

    connection: ZoomConnection | None = None
    confirm_install: bool = False


def handle_callback(user, session, params) -> CallbackOutcome:
    """Zoom's redirect back, for a signed-in rep. Raises ConnectFailed with what to tell them."""
    pending = oauth_session.take(session)
    try:
        return _handle_callback(user, session, params, pending)
    except ConnectFailed:
        _end_connect_attempt(user)
        raise


def _handle_callback(user, session, params, pending) -> CallbackOutcome:
    error, state, code = params.get("error"), params.get("state"), params.get("code")
    if error:
        # RFC 6749 §4.1.2.1: Decline comes back as error=access_denied. No code rides along, so
        # there is nothing to forge: the rep is told, whatever the state.
        if error == "access_denied":
            raise ConnectFailed(ConnectProblem.DECLINED)
        logger.warning("Zoom redirected back with error=%s", error[:100])
        raise ConnectFailed(ConnectProblem.ZOOM_REFUSED)
    if not state:
        if code or params.get("install"):
            return _restart_install(user, session, pending)
        raise ConnectFailed(ConnectProblem.STATE_MISSING)
    if pending is None:
        raise ConnectFailed(ConnectProblem.STATE_MISSING)
    if not pending.matches(state, user.pk):
        logger.warning(
            "Zoom callback with a state that does not match the session (rep %s)", user.pk
        )
        raise ConnectFailed(ConnectProblem.STATE_FORGED)
    if pending.expired:
        raise ConnectFailed(ConnectProblem.STATE_EXPIRED)
    if not code:
        raise ConnectFailed(ConnectProblem.ZOOM_REFUSED)
    return CallbackOutcome(connection=connect_zoom(user, code, pending.verifier))


def _restart_install(user, session, pending) -> CallbackOutcome:
    """An install started in the Zoom Marketplace arrives with a code and no state. Accepting the
    code would allow login CSRF (someone else's Zoom attached to this rep), so it is dropped. The
    flow restarts with our own state only from a POST on our page: restarted on this GET, any
    site could send a signed-in rep through Zoom's consent (which answers at once for a user who
    consented before) and switch the rep's Zoom account without a click."""
    recent_restart = pending is not None and pending.restarted
    if recent_restart and pending.age_seconds < RESTART_LOOP_GUARD_SECONDS:
        raise ConnectFailed(ConnectProblem.STATE_MISSING)
    return CallbackOutcome(confirm_install=True)


def connect_zoom(user, code: str, verifier: str) -> ZoomConnection:
    """Exchange the code, check the grant and the Zoom user, and store the connection.

    Either the rep ends up connected with the new tokens, or ConnectFailed is raised and nothing
    about the rep's connection changed (tokens that cannot be kept are revoked at Zoom).
    """
    client = ZoomClient()
    grant = _exchange(client, code, verifier)
    # Every endpoint the app calls, checked now: a grant missing one would connect fine and fail
    # on the first booking that needs it.
    missing = missing_capabilities(grant.scopes)
    if missing:
        _revoke_quietly(client, grant.access_token)
        logger.error(
            "Zoom granted scopes %s; missing %s", sorted(grant.scopes), [c.label for c in missing]
        )
        raise ConnectFailed(
            ConnectProblem.SCOPES_MISSING, missing_scopes=missing_scope_names(grant.scopes)
        )
    profile = _fetch_profile(client, grant)
    # The calls from here on take their turn in the account's pacing with every worker's: Zoom's
    # per-second limit counts them too. The profile's could not, as only it names the account.
    client.account_id = str(profile.get("account_id") or "")
    # The host's passcode rules, so the passcodes we make up are ones Zoom accepts.
    zoom_settings = _fetch(client, grant, client.get_user_settings)
    return _store(client, user, grant, profile, zoom_settings)


def _exchange(
    client: ZoomClient, code: str, verifier: str, callback_uri: str | None = None
) -> TokenGrant:
    callback_uri = callback_uri or redirect_uri()
    try:
        return client.exchange_code(code, verifier, callback_uri)
    except ZoomCodeExpired as exc:
        raise ConnectFailed(ConnectProblem.CODE_EXPIRED) from exc
    except ZoomCodeInvalid as exc:
        raise ConnectFailed(ConnectProblem.CODE_INVALID) from exc
    except ZoomAppMisconfigured as exc:
        logger.error(
            "Zoom refused our app configuration (%s): check ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET and "
            "that %s is the Marketplace app's redirect URL.",
            type(exc).__name__,
            callback_uri,
        )
        raise ConnectFailed(ConnectProblem.APP_MISCONFIGURED) from exc
    except ZoomError as exc:
        raise ConnectFailed(_problem_for(exc)) from exc


def _fetch(client: ZoomClient, grant: TokenGrant, read) -> dict:
    try:
        return read(grant.access_token)
    except ZoomError as exc:
        _revoke_quietly(client, grant.access_token)
        raise ConnectFailed(_problem_for(exc)) from exc


def _fetch_profile(client: ZoomClient, grant: TokenGrant) -> dict:
    profile = _fetch(client, grant, client.get_me)
    if not profile.get("id"):
        _revoke_quietly(client, grant.access_token)
        raise ConnectFailed(ConnectProblem.ZOOM_UNAVAILABLE)
    return profile


def _problem_for(exc: ZoomError) -> ConnectProblem:
    if isinstance(exc, ZoomNeedsReconnect):
        if exc.reason == ReconnectReason.APPROVAL_WITHDRAWN:
            return ConnectProblem.APPROVAL_REQUIRED
        if exc.reason == ReconnectReason.MISSING_SCOPES:
            return ConnectProblem.SCOPES_MISSING
        return ConnectProblem.ZOOM_REFUSED
    if isinstance(exc, ZoomUnavailable):
        return ConnectProblem.ZOOM_UNAVAILABLE
    if isinstance(exc, ZoomRateLimited):
        return ConnectProblem.ZOOM_BUSY
    logger.warning("Zoom connect failed: %s (code %s)", type(exc).__name__, exc.code)
    return ConnectProblem.ZOOM_REFUSED


def _store(
    client: ZoomClient, user, grant: TokenGrant, profile: dict, zoom_settings: dict
) -> ZoomConnection:
    zoom_user_id = str(profile["id"])
    other = ZoomConnection.objects.filter(zoom_user_id=zoom_user_id).exclude(user=user).first()
    if other is not None:
        # The grant just made is not ours to keep: revoke it rather than leave it active at Zoom.
        _revoke_quietly(client, grant.access_token)
        _refuse_zoom_user_taken(other)
    try:
        with transaction.atomic():
            connection, _ = ZoomConnection.objects.select_for_update().get_or_create(user=user)
            previous_tokens = connection.access_token if connection.is_usable else ""
            switched_user = connection.zoom_user_id not in ("", zoom_user_id)
            previous_status = connection.status
            connection.store_connection(grant, profile, zoom_settings)
            # Sent once this commits, so receivers see the connection working.
            lifecycle.connection_restored(connection, previous_status)
    except IntegrityError as exc:
        # Another rep connected the same Zoom user between our check and our save.
        _revoke_quietly(client, grant.access_token)
        raise ConnectFailed(ConnectProblem.ZOOM_USER_TAKEN) from exc
    if switched_user and previous_tokens:
        # The rep switched Zoom users: the old user's grant is no longer ours to keep.
        _revoke_quietly(client, previous_tokens)
    return connection


def _refuse_zoom_user_taken(other: ZoomConnection):
    """Zoom has just invalidated the other rep's tokens by authorizing the same user again
    (error 4741), so check that connection now: it is marked "needs reconnect" if it broke."""
    check_connection(other)
    raise ConnectFailed(ConnectProblem.ZOOM_USER_TAKEN)


def disconnect_zoom(connection: ZoomConnection) -> bool:
    """Revoke the app's access at Zoom, then forget the tokens and Zoom ids here whatever Zoom
    said. Returns False when Zoom could not be reached (the rep should remove the app in Zoom)."""
    revoked = True
    try:
        if connection.is_usable:
            # Through a session so an expired access token is refreshed before revoking it.
            with ZoomSession(connection) as zoom:
                zoom.call(ZoomClient.revoke)
        elif connection.access_token:
            ZoomClient().revoke(connection.access_token)
    except ZoomUnavailable:
        revoked = False
    except ZoomError as exc:
        # The grant is already dead at Zoom (revoked, deauthorized, disabled): nothing to revoke.
        logger.info("Zoom revoke for connection %s: %s", connection.pk, type(exc).__name__)
    connection.refresh_from_db()
    connection.mark_disconnected()
    return revoked


def revoke_before_delete(user) -> None:
    """A rep about to be deleted: the app's access at Zoom is revoked first, so no grant outlives
    the rep (Zoom being unreachable does not stop the deletion; the rep's Zoom admin can remove
    the app)."""
    connection = ZoomConnection.objects.filter(user=user).first()
    if connection is not None and (connection.is_usable or connection.access_token):
        disconnect_zoom(connection)


def _end_connect_attempt(user) -> None:
    connection = ZoomConnection.objects.filter(user=user).first()
    if connection is not None:
        connection.end_connect_attempt()


def _revoke_quietly(client: ZoomClient, access_token: str) -> None:
    """Best effort: a token we will not keep should not stay valid at Zoom."""
    try:
        client.revoke(access_token)
    except ZoomError as exc:
        logger.info("Could not revoke an unused Zoom token: %s", type(exc).__name__)
