"""Typed errors for everything that can go wrong talking to Zoom.

`client.py` is the only module that maps Zoom's HTTP statuses and error codes to these;
everything else branches on the types. Zoom's codes:
https://developers.zoom.us/docs/api/rest/error-definitions/ and (the OAuth 47xx codes)
https://developers.zoom.us/docs/integrations/oauth/
"""

from datetime import datetime

from .reasons import ReconnectReason


class ZoomError(Exception):
    """Base of every Zoom failure. `code` is Zoom's numeric or OAuth error code when it sent one."""

    def __init__(self, message: str = "", *, status: int | None = None, code=None):
        super().__init__(message or self.__class__.__doc__ or self.__class__.__name__)
        self.message = message
        self.status = status
        self.code = code


class ZoomUnavailable(ZoomError):
    """Zoom did not answer usefully: 5xx, timeout, connection error, or a body that is not JSON."""


class ZoomTokenExpired(ZoomError):
    """Zoom rejected the access token (code 124): refresh once and retry once."""


class ZoomNeedsReconnect(ZoomError):
    """The authorization is gone for good; only the rep reconnecting fixes it."""

    def __init__(self, reason: ReconnectReason, message: str = "", **kwargs):
        super().__init__(message or reason.label, **kwargs)
        self.reason = reason


class ZoomMissingScopes(ZoomNeedsReconnect):
    """The token lacks scopes the call needs (code 4711, or 4700 in Zoom's error table)."""

    def __init__(self, message: str = "", *, missing: frozenset[str] = frozenset(), **kwargs):
        super().__init__(ReconnectReason.MISSING_SCOPES, message, **kwargs)
        self.missing = missing


class ZoomRateLimited(ZoomError):
    """429. `retry_at` is when to try again; `daily` when the per-host daily quota is spent."""

    def __init__(self, message: str = "", *, retry_at: datetime, daily: bool, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_at = retry_at
        self.daily = daily


class ZoomMeetingNotFound(ZoomError):
    """The meeting does not exist or has expired (404 / code 3001)."""


class ZoomUserNotFound(ZoomError):
    """The Zoom user does not exist (code 1001)."""


class ZoomValidationError(ZoomError):
    """Zoom refused the request body (code 300); `errors` lists `{field, message}`."""

    def __init__(self, message: str = "", *, errors: list[dict] | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.errors = errors or []


class ZoomCannotHost(ZoomError):
    """The Zoom user may not host meetings (code 3161)."""


class ZoomMeetingLocked(ZoomError):
    """Zoom refused to change or delete the meeting in its current state (PATCH/DELETE answered
    400 with 3002, 3007 or 3003): the connection is fine, the meeting is not ours to change now."""


class ZoomMeetingInProgress(ZoomMeetingLocked):
    """The meeting is running (code 3002): it can be changed once it ends."""


class ZoomMeetingEnded(ZoomMeetingLocked):
    """The meeting has ended (code 3007): it cannot be changed or deleted any more."""


class ZoomNotMeetingHost(ZoomMeetingLocked):
    """The meeting belongs to another Zoom user than this connection's (code 3003)."""


class ZoomOAuthError(ZoomError):
    """The authorization-code exchange failed for a reason not covered by a subclass."""


class ZoomCodeExpired(ZoomOAuthError):
    """The authorization code is older than Zoom's 5 minutes (code 4733)."""


class ZoomCodeInvalid(ZoomOAuthError):
    """The authorization code is unknown or was already used (code 4734, invalid_grant)."""


class ZoomAppMisconfigured(ZoomOAuthError):
    """Our Marketplace app settings are wrong: an operator problem, not the rep's."""


class ZoomRedirectMismatch(ZoomAppMisconfigured):
    """The redirect URI does not match the one registered on the Marketplace app (code 4709)."""


class ZoomInvalidClient(ZoomAppMisconfigured):
    """Zoom does not recognise our client id or secret (invalid_client)."""


class ZoomNotConnected(ZoomError):
    """Raised by a Zoom session, not by Zoom: the connection is not usable (see its status)."""
