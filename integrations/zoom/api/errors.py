"""Typed errors for everything that can go wrong talking to Zoom, and what each one leads to.

`client.py` is the only module that maps Zoom's HTTP statuses and error codes to these;
everything else branches on the types, and a booking's Zoom work follows each error's rule
(`RULES`, at the end). Zoom's codes:
https://developers.zoom.us/docs/api/rest/error-definitions/ and (the OAuth 47xx codes)
https://developers.zoom.us/docs/integrations/oauth/
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

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


class ZoomCapabilityUnavailable(ZoomError):
    """Raised by a Zoom session, not by Zoom: the call needs a capability this connection does
    without (the grant lacks its scope, or Zoom refused it with 4711/4700). Nothing was changed
    in Zoom; the connection is healthy. `scope` is the one to add on the Marketplace app."""

    def __init__(self, endpoint: str, scope: str = "", label: str = ""):
        needs = f" needs the Zoom scope {scope}" if scope else " is not allowed by Zoom"
        super().__init__(f"{label or endpoint}{needs}")
        self.endpoint = endpoint
        self.scope = scope


class ZoomRateLimited(ZoomError):
    """429 (or our own pacing holding the call back). `retry_at` is when to try again."""

    daily = False

    def __init__(self, message: str = "", *, retry_at: datetime, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_at = retry_at


class ZoomPacedHere(ZoomRateLimited):
    """Our own pacing held the call back (the account's next free slot is too far): nothing was
    sent to Zoom."""


class ZoomAccountDailyLimitReached(ZoomRateLimited):
    """429 for the Zoom account's daily cap on an API category (Free accounts: Zoom's rate-limits
    page), shared by every user and app of the account, until `retry_at`. Not the host's
    allowance of meeting writes: the host's count is left alone."""


class ZoomDailyLimitReached(ZoomRateLimited):
    """429 for the host's daily allowance of meeting creates and updates (reset at `retry_at`)."""

    daily = True


class ZoomMeetingNotFound(ZoomError):
    """The meeting does not exist or has expired (404 / code 3001)."""


class ZoomPaidPlanRequired(ZoomError):
    """The endpoint needs "a Pro or higher plan" and the account has none (code 200 "Only
    available for paid account")."""


class ZoomUserNotFound(ZoomError):
    """The Zoom user does not exist (code 1001)."""


class ZoomUserPending(ZoomUserNotFound):
    """Invited to the Zoom account but not (yet) a user of it: the invitation is pending or has
    expired (code 1120 on `GET /users/{userId}`). Not a user until they accept, so it is handled
    as one that does not exist, except where the difference is told (matching reps)."""


class ZoomValidationError(ZoomError):
    """Zoom refused the request body (code 300); `errors` lists `{field, message}`."""

    def __init__(self, message: str = "", *, errors: list[dict] | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.errors = errors or []

    @property
    def with_field_errors(self) -> str:
        """The message with the fields Zoom named, if it named any."""
        details = "; ".join(
            f"{e.get('field')}: {e.get('message')}" for e in self.errors if isinstance(e, dict)
        )
        return f"{self}" + (f" ({details})" if details else "")


class ZoomCannotHost(ZoomError):
    """The Zoom user may not host meetings (code 3161)."""


class ZoomMeetingLocked(ZoomError):
    """Zoom refused to change or delete the meeting in its current state (PATCH/DELETE answered
    400 with 3002, 3007 or 3003): the connection is fine, the meeting is not ours to change now."""


class ZoomMeetingInProgress(ZoomMeetingLocked):
    """The meeting is running (code 3002): it can be changed once it ends."""


class ZoomMeetingStarted(ZoomMeetingLocked):
    """PATCH answered 400 code 3000: Zoom will not change this meeting through the API, most
    often because it has started ("You cannot update or delete meetings that have started using
    this method"; the same code also says "Cannot access meeting information"; Zoom's OpenAPI
    spec, `meetingUpdate`): a moved booking gets a new meeting."""


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


# What each error leads to ---------------------------------------------------------------------
#
# A booking's Zoom work that meets an error RETRIES it at a time, PARKS until someone acts, or
# FAILS with the reason shown to the rep (who, or an admin, can try again). The session has acted
# on two of them before anyone sees them: a 124 is refreshed and retried once, and an
# authorization that is gone marks the connection "needs reconnect" (the rep is emailed). An error
# follows the row of its nearest class in the table; `via_company` is the rule when the host is
# the company's Zoom account and it differs. `says` is what the rep reads, with the error as `exc`.


class Outcome(StrEnum):
    RETRY = "retry"
    PARK = "park"
    FAIL = "fail"


class Wait(StrEnum):
    """When a retry runs."""

    BACKOFF = "backoff"  # exponential with jitter; FAIL once the attempts run out
    RETRY_AT = "retry_at"  # at the error's `retry_at`
    RETRY_AT_SPREAD = "retry_at_spread"  # the same plus jitter, so retries do not arrive together


class Park(StrEnum):
    """Why work waits for a person."""

    RECONNECT = "reconnect"  # the rep's Zoom, or the company's, must be connected again
    LEFT_COMPANY_ACCOUNT = "left_company_account"  # the rep's Zoom user left the company's account
    CANNOT_HOST = "cannot_host"  # the company's Zoom user of the rep may not host meetings


@dataclass(frozen=True)
class Rule:
    outcome: Outcome
    says: str
    wait: Wait | timedelta | None = None
    park: Park | None = None
    # Zoom may have acted on a request whose answer was lost: the next run looks before creating.
    # Any other error means nothing was made.
    answer_lost: bool = False
    via_company: "Rule | None" = None


_RETRY_LATER = "Zoom did not answer usefully ({exc}); trying again."
_RECONNECT = Rule(
    Outcome.PARK,
    "Zoom needs reconnecting: {exc}",
    park=Park.RECONNECT,
    via_company=Rule(
        Outcome.PARK,
        "The company's Zoom account needs reconnecting by a Zoom admin: {exc}",
        park=Park.RECONNECT,
    ),
)

RULES: dict[type[ZoomError], Rule] = {
    ZoomUnavailable: Rule(Outcome.RETRY, _RETRY_LATER, wait=Wait.BACKOFF, answer_lost=True),
    # Still 124 after the session's refresh: Zoom's token service is having trouble.
    ZoomTokenExpired: Rule(Outcome.RETRY, _RETRY_LATER, wait=Wait.BACKOFF),
    # The account is over its per-second limit: the pacing holds every worker back until then.
    ZoomRateLimited: Rule(
        Outcome.RETRY,
        "Zoom asked us to slow down; trying again shortly.",
        wait=Wait.RETRY_AT_SPREAD,
    ),
    ZoomAccountDailyLimitReached: Rule(
        Outcome.RETRY,
        "Zoom's daily limit of requests for this Zoom account is reached (its plan allows only so "
        "many a day); trying again at {exc.retry_at:%Y-%m-%d %H:%M} UTC.",
        wait=Wait.RETRY_AT,
    ),
    ZoomDailyLimitReached: Rule(
        Outcome.RETRY,
        "Zoom's daily limit of meeting creates and updates for this host is reached; "
        "trying again at {exc.retry_at:%Y-%m-%d %H:%M} UTC.",
        wait=Wait.RETRY_AT,
    ),
    # Not a failure: Zoom takes the change (or the deletion) once the meeting ends.
    ZoomMeetingInProgress: Rule(
        Outcome.RETRY,
        "The Zoom meeting is in progress, so Zoom will not change or delete it now; "
        "trying again after it ends.",
        wait=timedelta(minutes=15),
    ),
    ZoomNeedsReconnect: _RECONNECT,
    ZoomNotConnected: _RECONNECT,
    # 1001 for a rep the company's account serves: they left that Zoom account. Only this rep is
    # parked; the account keeps serving everyone else.
    ZoomUserNotFound: Rule(
        Outcome.FAIL,
        "Zoom refused the request: {exc}",
        via_company=Rule(
            Outcome.PARK,
            "Your Zoom user is no longer in your company's Zoom account: connect Zoom yourself, "
            "or ask your Zoom admin to map you again, and the link is created automatically.",
            park=Park.LEFT_COMPANY_ACCOUNT,
        ),
    ),
    # These will not heal by retrying: the rep sees the reason and decides.
    ZoomValidationError: Rule(Outcome.FAIL, "Zoom refused the meeting: {exc.with_field_errors}"),
    # 3161 for a rep the company's account serves: that Zoom user may not host, so the account
    # stops serving the rep (not only this booking) and the booking waits.
    ZoomCannotHost: Rule(
        Outcome.FAIL,
        "This Zoom user may not host meetings (Zoom error 3161).",
        via_company=Rule(
            Outcome.PARK,
            "Your Zoom user in your company's Zoom account may not host meetings (Zoom error "
            "3161): ask your Zoom admin to allow it, or connect Zoom yourself, and the link is "
            "created automatically.",
            park=Park.CANNOT_HOST,
        ),
    ),
    ZoomMeetingLocked: Rule(
        Outcome.FAIL, "Zoom refused to change the meeting in its current state: {exc}"
    ),
    ZoomCapabilityUnavailable: Rule(
        Outcome.FAIL,
        "Zoom does not allow this connection to do it ({exc}): add that scope to the Zoom app "
        "and reconnect Zoom, then try again.",
    ),
    ZoomError: Rule(Outcome.FAIL, "Zoom refused the request: {exc}"),
}


def rule_for(exc: ZoomError, *, via_company: bool = False) -> Rule:
    rule = next(RULES[cls] for cls in type(exc).__mro__ if cls in RULES)
    return (rule.via_company or rule) if via_company else rule
