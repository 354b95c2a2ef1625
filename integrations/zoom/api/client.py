"""The only code that talks to Zoom: OAuth and the REST API, with Zoom's errors mapped to types.

OAuth: https://developers.zoom.us/docs/integrations/oauth/
REST API: https://developers.zoom.us/docs/api/ (errors: .../rest/error-definitions/,
rate limits: .../rest/rate-limits/)
"""

import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode, urlsplit

import requests
from django.conf import settings
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from config import metrics
from config.isotime import parse_iso_datetime

from . import account_pace
from .errors import (
    ZoomAccountDailyLimitReached,
    ZoomCannotHost,
    ZoomCodeExpired,
    ZoomCodeInvalid,
    ZoomDailyLimitReached,
    ZoomError,
    ZoomInvalidClient,
    ZoomMeetingEnded,
    ZoomMeetingInProgress,
    ZoomMeetingNotFound,
    ZoomMeetingStarted,
    ZoomMissingScopes,
    ZoomNeedsReconnect,
    ZoomNotMeetingHost,
    ZoomOAuthError,
    ZoomPacedHere,
    ZoomPaidPlanRequired,
    ZoomRateLimited,
    ZoomRedirectMismatch,
    ZoomTokenExpired,
    ZoomUnavailable,
    ZoomUserNotFound,
    ZoomUserPending,
    ZoomValidationError,
)
from .pacing import PacingDelay, account_limiter
from .reasons import ReconnectReason
from .scopes import parse_scopes

logger = logging.getLogger(__name__)

# Zoom's error codes (REST "code" and the OAuth 47xx codes).
CODE_VALIDATION = 300
CODE_TOKEN_EXPIRED = 124
CODE_USER_NOT_FOUND = 1001
CODE_USER_PENDING = 1120
CODE_MEETING_NOT_FOUND = 3001
CODE_CANNOT_HOST = 3161
# PATCH /meetings/{id}: "You cannot update or delete meetings that have started using this
# method", among other reasons the meeting cannot be changed (Zoom's OpenAPI spec,
# `meetingUpdate`, 400); not 3002 or 3007, which only DELETE answers.
CODE_CANNOT_CHANGE = 3000
# "Only available for paid account: {accountId}" (e.g. GET /past_meetings/{id}/participants).
CODE_PAID_PLAN_REQUIRED = 200
CODE_REDIRECT_MISMATCH = 4709
# On the REST API: the access token lacks a scope the call needs (Zoom's error table lists both
# codes for this; 4711 is the one observed). At the token endpoint 4711 means something else: the
# app's scopes changed since the user authorized it.
CODE_MISSING_SCOPES = 4711
CODE_MISSING_SCOPES_ALT = 4700
# PATCH and DELETE /meetings/{id}: the meeting is running, has ended, or is another user's.
# https://developers.zoom.us/docs/api/meetings/#tag/meetings/DELETE/meetings/{meetingId}
_MEETING_LOCKED_CODES = {
    3002: ZoomMeetingInProgress,
    3007: ZoomMeetingEnded,
    3003: ZoomNotMeetingHost,
}
CODE_CODE_EXPIRED = 4733
CODE_CODE_INVALID = 4734
_RECONNECT_CODES = {
    4735: ReconnectReason.USER_GONE,
    4737: ReconnectReason.REAUTHORIZE,
    4738: ReconnectReason.APPROVAL_WITHDRAWN,
    4741: ReconnectReason.AUTHORIZED_ELSEWHERE,
}

# What the other codes mean, on the REST API and on the OAuth server.
_API_ERRORS = {
    CODE_MISSING_SCOPES: ZoomMissingScopes,
    CODE_MISSING_SCOPES_ALT: ZoomMissingScopes,
    CODE_TOKEN_EXPIRED: ZoomTokenExpired,
    CODE_MEETING_NOT_FOUND: ZoomMeetingNotFound,
    CODE_USER_NOT_FOUND: ZoomUserNotFound,
    CODE_USER_PENDING: ZoomUserPending,
    CODE_CANNOT_HOST: ZoomCannotHost,
    CODE_PAID_PLAN_REQUIRED: ZoomPaidPlanRequired,
}
_OAUTH_ERRORS = {
    CODE_MISSING_SCOPES: ZoomMissingScopes,
    CODE_REDIRECT_MISMATCH: ZoomRedirectMismatch,
    CODE_CODE_EXPIRED: ZoomCodeExpired,
    CODE_CODE_INVALID: ZoomCodeInvalid,
}

_AUTHORIZATION_CODE = "authorization_code"
_REFRESH_TOKEN = "refresh_token"
# Seconds a token refresh may take before we give up on its answer (see ZoomClient.refresh).
REFRESH_READ_TIMEOUT = 30.0


@dataclass(frozen=True)
class TokenGrant:
    """A token response, with the expiry made absolute at the moment it arrived."""

    access_token: str
    refresh_token: str
    expires_at: datetime
    scopes: frozenset[str]


def _meeting_write(endpoint):
    """Marks the calls Zoom counts against a host's daily allowance of meeting creates and updates
    (100 a day, `quota.py`): whoever runs them for a rep counts them (`ZoomSession.call`)."""
    endpoint.counts_as_meeting_write = True
    return endpoint


def _endpoint(name: str):
    """Names the endpoint a method calls as the capability table does (`scopes.CAPABILITIES`), so
    a refusal for lack of a scope is traced to the capability it takes away."""

    def mark(method):
        method.zoom_endpoint = name
        return method

    return mark


_local = threading.local()


class _Session(requests.Session):
    """A requests Session that reads the environment's proxy and CA-bundle settings once per
    host. requests reads them on every request, walking all of os.environ twice (a tenth of a
    link's CPU in a worker); a process's environment does not change while it runs."""

    def __init__(self):
        super().__init__()
        self._environment: dict[tuple[str, str], dict] = {}

    def merge_environment_settings(self, url, proxies, stream, verify, cert):
        if proxies or verify is not None or cert is not None:
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        host = urlsplit(url)[:2]
        if host not in self._environment:
            self._environment[host] = super().merge_environment_settings(url, {}, None, None, None)
        known = self._environment[host]
        stream = self.stream if stream is None else stream
        return {**known, "proxies": dict(known["proxies"]), "stream": stream}


def _thread_session() -> requests.Session:
    """One HTTP session per thread: calls reuse its kept-alive connections to Zoom instead of a
    new TCP and TLS handshake each (a requests Session is not safe to share between threads)."""
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = _Session()
    return session


class ZoomClient:
    """One Zoom app's client: a requests Session, timeouts, and typed errors.

    Settings are read when the client is built, so tests that point them at the sandbox just work.
    With `account_id` (the Zoom account the token acts in), every REST call first waits its turn
    in the account's pacing (`pacing.py`), shared by every worker, and a per-second 429 holds the
    whole account back until Zoom's Retry-After.
    """

    def __init__(
        self,
        *,
        session: requests.Session | None = None,
        app: str = "user",
        account_id: str = "",
        user: str = "me",
    ):
        # Two Marketplace apps: "user" (each rep connects it) and "account" (admin-managed, one
        # authorization for the company's whole Zoom account).
        if app == "account":
            self.client_id = settings.ZOOM_ACCOUNT_CLIENT_ID
            self.client_secret = settings.ZOOM_ACCOUNT_CLIENT_SECRET
        else:
            self.client_id = settings.ZOOM_CLIENT_ID
            self.client_secret = settings.ZOOM_CLIENT_SECRET
        self.oauth_base_url = settings.ZOOM_OAUTH_BASE_URL.rstrip("/")
        self.api_base_url = settings.ZOOM_API_BASE_URL.rstrip("/")
        read_timeout = float(settings.ZOOM_HTTP_TIMEOUT)
        self.timeout = (min(5.0, read_timeout), read_timeout)
        self.session = session or _thread_session()
        self.account_id = account_id
        # Whom the user-level calls act as: "me" (the token's own user), or with the company's
        # account token the served rep's Zoom user id.
        self.user = user

    # OAuth ------------------------------------------------------------------------------------

    def authorize_url(self, state: str, code_challenge: str, redirect_uri: str) -> str:
        # No `scope` parameter: scopes live on the Marketplace app and Zoom rejects requests
        # that add one. Without `code_challenge_method` Zoom assumes `plain`.
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": redirect_uri,
                "state": state,
                "code_challenge": code_challenge,
                "code_challenge_method": "S256",
            }
        )
        return f"{self.oauth_base_url}/oauth/authorize?{query}"

    @sensitive_variables()
    def exchange_code(self, code: str, code_verifier: str, redirect_uri: str) -> TokenGrant:
        data = {
            "grant_type": _AUTHORIZATION_CODE,
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
        }
        return self._token_request(data)

    @sensitive_variables()
    def refresh(self, refresh_token: str) -> TokenGrant:
        # Zoom rotates refresh tokens: the old one dies the moment this succeeds, so callers must
        # serialize refreshes per connection and store the answer before anyone else refreshes.
        # Abandoning a refresh Zoom has already performed loses the new refresh token for good,
        # so this answer is waited for longer than any other call (the caller holds the row lock).
        return self._token_request(
            {"grant_type": _REFRESH_TOKEN, "refresh_token": refresh_token},
            read_timeout=max(REFRESH_READ_TIMEOUT, self.timeout[1]),
        )

    @sensitive_variables()
    def revoke(self, access_token: str) -> None:
        response = self._send(
            "POST",
            f"{self.oauth_base_url}/oauth/revoke",
            auth=(self.client_id, self.client_secret),
            data={"token": access_token},
        )
        if not response.ok:
            self._raise_oauth_error(response, grant=None)

    @sensitive_variables()
    def _token_request(self, data: dict, *, read_timeout: float | None = None) -> TokenGrant:
        received_at = timezone.now()
        response = self._send(
            "POST",
            f"{self.oauth_base_url}/oauth/token",
            auth=(self.client_id, self.client_secret),
            data=data,
            timeout=(self.timeout[0], read_timeout or self.timeout[1]),
        )
        if not response.ok:
            self._raise_oauth_error(response, grant=data["grant_type"])
        body = _json(response)
        try:
            return TokenGrant(
                access_token=str(body["access_token"]),
                refresh_token=str(body["refresh_token"]),
                expires_at=received_at + timedelta(seconds=int(body.get("expires_in", 3599))),
                scopes=parse_scopes(body.get("scope")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ZoomUnavailable(
                "Zoom's token response lacked the expected fields.", status=response.status_code
            ) from exc

    # REST API ---------------------------------------------------------------------------------

    @_endpoint("GET /users/{userId}")
    def get_me(self, token: str) -> dict:
        """`GET /users/me`: id, email, account_id, type (1 Basic, 2 Licensed), timezone, …"""
        return self._api("GET", "/users/me", token)

    @_endpoint("GET /users/{userId}")
    def get_user(self, token: str, user: str) -> dict:
        """`GET /users/{userId}` by id or email (account-level token): `id, email, type, status`
        (`active`, `inactive` when deactivated); 1001 when no such user is in the account."""
        return self._api("GET", f"/users/{quote(user, safe='@')}", token)

    @_endpoint("GET /users/{userId}/settings")
    def get_user_settings(self, token: str, user: str | None = None) -> dict:
        return self._api("GET", f"/users/{user or self.user}/settings", token)

    @_endpoint("POST /users/{userId}/meetings")
    @_meeting_write
    def create_meeting(self, token: str, body: dict, user: str | None = None) -> dict:
        """`POST /users/{userId}/meetings` as the host
        (https://developers.zoom.us/docs/api/meetings/#tag/meetings/POST/users/{userId}/meetings)."""
        return self._api("POST", f"/users/{user or self.user}/meetings", token, json=body)

    @_endpoint("GET /meetings/{meetingId}")
    def get_meeting(self, token: str, meeting_id: int | str) -> dict:
        return self._api("GET", f"/meetings/{meeting_id}", token, meeting=True)

    @_endpoint("PATCH /meetings/{meetingId}")
    @_meeting_write
    def update_meeting(self, token: str, meeting_id: int | str, body: dict) -> None:
        """`PATCH /meetings/{id}` answers 204 with no body: call `get_meeting` for fresh links."""
        self._api("PATCH", f"/meetings/{meeting_id}", token, json=body, meeting=True)

    @_endpoint("DELETE /meetings/{meetingId}")
    def delete_meeting(
        self,
        token: str,
        meeting_id: int | str,
        *,
        schedule_for_reminder: bool | None = None,
        cancel_meeting_reminder: bool | None = None,
    ) -> None:
        """Raises ZoomMeetingNotFound when already gone: callers usually treat that as done."""
        params = {}
        if schedule_for_reminder is not None:
            params["schedule_for_reminder"] = str(schedule_for_reminder).lower()
        if cancel_meeting_reminder is not None:
            params["cancel_meeting_reminder"] = str(cancel_meeting_reminder).lower()
        self._api("DELETE", f"/meetings/{meeting_id}", token, params=params, meeting=True)

    @_endpoint("GET /users/{userId}/meetings")
    def list_meetings(
        self, token: str, type: str = "upcoming", user: str | None = None
    ) -> list[dict]:
        """Every page of `GET /users/{user}/meetings`, following `next_page_token`."""
        meetings: list[dict] = []
        params = {"type": type, "page_size": 300}
        while True:
            page = self._api("GET", f"/users/{user or self.user}/meetings", token, params=params)
            meetings.extend(page.get("meetings", []))
            next_page = page.get("next_page_token")
            if not next_page:
                return meetings
            params = {**params, "next_page_token": next_page}

    @_endpoint("GET /past_meetings/{meetingId}/participants")
    def past_meeting_participants(self, token: str, meeting: str) -> list[dict]:
        """Every page of `GET /past_meetings/{meetingId}/participants` (Zoom's OpenAPI spec,
        `pastMeetingParticipants`): a meeting ID names its latest ended instance, a UUID one
        instance, and a UUID that begins with "/" or holds "//" "must" be double-encoded.
        ZoomMeetingNotFound (3001): not held, or not ended yet; ZoomPaidPlanRequired (200): the
        account is not on a Pro or higher plan."""
        reference = quote(meeting, safe="")
        if meeting.startswith("/") or "//" in meeting:
            reference = quote(reference, safe="")
        participants: list[dict] = []
        params = {"page_size": 300}
        while True:
            page = self._api(
                "GET",
                f"/past_meetings/{reference}/participants",
                token,
                params=params,
                meeting=True,
            )
            participants.extend(page.get("participants") or [])
            next_page = page.get("next_page_token")
            if not next_page:
                return participants
            params = {**params, "next_page_token": next_page}

    @sensitive_variables()
    def _api(self, method, path, token, *, json=None, params=None, meeting=False):
        self._pace()
        response = self._send(
            method,
            f"{self.api_base_url}{path}",
            headers={"Authorization": f"Bearer {token}"},
            json=json,
            params=params,
        )
        if not response.ok:
            self._raise_api_error(response, meeting=meeting)
        if response.status_code == 204 or not response.content:
            return {}
        return _json(response)

    # Transport and error mapping --------------------------------------------------------------

    def _pace(self) -> None:
        if not self.account_id:
            return
        try:
            waited = account_limiter().acquire(
                self.account_id, rate=account_pace.rate_for(self.account_id)
            )
            metrics.PACING_WAIT_SECONDS.observe(waited)
        except PacingDelay as exc:
            metrics.PACING_DEFERRED.inc()
            # Nothing was sent: the caller retries at the slot it would have had.
            raise ZoomPacedHere(
                "Zoom calls for this account are queued; trying again shortly.",
                retry_at=timezone.now() + timedelta(seconds=exc.wait),
            ) from exc

    @sensitive_variables()
    def _send(self, method: str, url: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        endpoint = f"{method} {_route(url)}"
        started = time.monotonic()
        try:
            response = self.session.request(method, url, **kwargs)
        except requests.RequestException as exc:
            metrics.ZOOM_REQUESTS.labels(endpoint, "error").inc()
            # Log only the failure's kind: its text can carry the request (and a token).
            logger.warning(
                "Zoom request failed: %s %s (%s)", method, _path(url), type(exc).__name__
            )
            raise ZoomUnavailable(f"Zoom did not answer ({type(exc).__name__}).") from exc
        metrics.ZOOM_REQUEST_SECONDS.labels(endpoint).observe(time.monotonic() - started)
        metrics.ZOOM_REQUESTS.labels(endpoint, str(response.status_code)).inc()
        return response

    def _raise_api_error(self, response: requests.Response, *, meeting: bool):
        status = response.status_code
        if status == 429:
            error = _rate_limited(response)
            metrics.ZOOM_RATE_LIMITED.labels("daily" if error.daily else "qps").inc()
            if isinstance(error, ZoomAccountDailyLimitReached) and self.account_id:
                # Nobody on this account gets through until the cap resets: every worker's call
                # to it is held back here (and retried then) instead of meeting the same 429.
                wait = (error.retry_at - timezone.now()).total_seconds()
                account_limiter().hold(self.account_id, wait)
            elif not error.daily and self.account_id:
                # The account is over its per-second limit (another app, or a plan allowing less
                # than our pacing assumed): every worker holds back until Zoom's Retry-After (or
                # X-RateLimit-Reset), and the account is paced under the limit Zoom named.
                # Every process paces at the learned rate from now on, not only this one: the
                # others' cached rate would otherwise meet the same 429 each. The hold goes
                # first: callers due meanwhile must not wait on the database's write to see it.
                wait = min((error.retry_at - timezone.now()).total_seconds(), 60.0)
                account_limiter().hold(self.account_id, wait)
                rate = account_pace.learn_from_429(
                    self.account_id,
                    _int_or_none(response.headers.get("X-RateLimit-Limit")),
                    response.headers.get("X-RateLimit-Category", ""),
                )
                account_limiter().hold(self.account_id, wait, rate=rate)
            raise error
        if meeting and status == 404:
            # 3001 "Meeting … is not found or has expired"; Zoom's 404s sometimes lack a JSON body.
            raise ZoomMeetingNotFound(_error_body(response).get("message", ""), status=status)
        if status >= 500:
            raise ZoomUnavailable(f"Zoom answered {status}.", status=status)
        body = _error_body(response)
        code, message = _int_or_none(body.get("code")), str(body.get("message", ""))
        method = response.request.method if response.request is not None else ""
        if code is not None:
            _raise_for_code(code, message, status)
        if status == 401 and method == "GET" and code not in _API_ERRORS:
            # A read refused with 401 for something other than the token (124): Zoom refuses
            # reads the grant's scopes do not allow this way too, besides 4711/4700.
            raise ZoomMissingScopes(message or f"Zoom answered {status}.", status=status, code=code)
        if code is None:
            raise ZoomUnavailable(f"Zoom answered {status} without an error code.", status=status)
        if code == CODE_VALIDATION:
            raise ZoomValidationError(
                message, errors=body.get("errors") or [], status=status, code=code
            )
        if meeting and method == "PATCH" and code == CODE_CANNOT_CHANGE:
            raise ZoomMeetingStarted(message, status=status, code=code)
        if meeting and code in _MEETING_LOCKED_CODES:
            raise _MEETING_LOCKED_CODES[code](message, status=status, code=code)
        raise _API_ERRORS.get(code, ZoomError)(message, status=status, code=code)

    def _raise_oauth_error(self, response: requests.Response, *, grant: str | None):
        status = response.status_code
        if status == 429:
            raise _rate_limited(response)
        if status >= 500:
            raise ZoomUnavailable(f"Zoom's OAuth server answered {status}.", status=status)
        body = _error_body(response)
        if not body:
            raise ZoomUnavailable(f"Zoom's OAuth server answered {status}.", status=status)
        # Token errors look like {"reason": "Invalid Token!", "error": "invalid_grant"}; some also
        # carry a numeric "code" (4709, 4733, …) with a "message".
        code = _int_or_none(body.get("code"))
        error = str(body.get("error", ""))
        message = str(
            body.get("reason") or body.get("message") or body.get("error_description", "")
        )
        if code is not None:
            _raise_for_code(code, message, status)
            if code == CODE_MISSING_SCOPES and grant == _REFRESH_TOKEN:
                # Refreshing: scopes were added to the app since this grant, and every refresh of
                # it now fails until the rep authorizes again.
                raise ZoomNeedsReconnect(
                    ReconnectReason.SCOPES_CHANGED, message, status=status, code=code
                )
            if code in _OAUTH_ERRORS:
                raise _OAUTH_ERRORS[code](message, status=status, code=code)
        if error == "invalid_client":
            raise ZoomInvalidClient(message, status=status, code=error)
        if "redirect" in message.lower():
            raise ZoomRedirectMismatch(message, status=status, code=code or error)
        if grant == _AUTHORIZATION_CODE and "code" in message.lower():
            # Without numeric codes Zoom still names the problem: "Invalid authorization code."
            if "expired" in message.lower():
                raise ZoomCodeExpired(message, status=status, code=error)
            raise ZoomCodeInvalid(message, status=status, code=error)
        if error == "invalid_grant":
            if grant == _AUTHORIZATION_CODE:
                if "expired" in message.lower():
                    raise ZoomCodeExpired(message, status=status, code=error)
                raise ZoomCodeInvalid(message, status=status, code=error)
            raise ZoomNeedsReconnect(
                ReconnectReason.INVALID_GRANT, message, status=status, code=error
            )
        if grant == _REFRESH_TOKEN:
            # Zoom refused the refresh in a way we do not recognise (no known code or error).
            # The tokens cannot be renewed, so the connection must not keep looking healthy.
            raise ZoomNeedsReconnect(
                ReconnectReason.REFRESH_REFUSED, message, status=status, code=code or error
            )
        raise ZoomOAuthError(
            message or f"Zoom answered {status}.", status=status, code=code or error
        )


def _raise_for_code(code, message: str, status: int) -> None:
    """The codes that mean the same on the OAuth server and the REST API."""
    if code in _RECONNECT_CODES:
        raise ZoomNeedsReconnect(_RECONNECT_CODES[code], message, status=status, code=code)


def _rate_limited(response: requests.Response) -> ZoomRateLimited:
    """429: Retry-After is an ISO datetime (not seconds); without it, the daily quota resets at
    00:00 UTC and a per-second limit after a second."""
    body = _error_body(response)
    message = str(body.get("message", ""))
    limit_type = response.headers.get("X-RateLimit-Type", "")
    daily = limit_type.lower().startswith("daily") or "daily" in message.lower()
    now = timezone.now()
    # Every timing header Zoom sends counts: Retry-After (an ISO datetime), and X-RateLimit-Reset,
    # which Zoom documents for per-second limits; the later of the two wins.
    times = [
        _parse_retry_after(response.headers.get(name), now)
        for name in ("Retry-After", "X-RateLimit-Reset")
    ]
    retry_at = max((t for t in times if t is not None), default=None)
    if retry_at is None:
        if daily:
            retry_at = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), UTC)
        else:
            retry_at = now + timedelta(seconds=1)
    limited = ZoomRateLimited
    if daily:
        # The host's allowance of meeting creates and updates ("…of Meeting Create/Update API
        # requests permitted for this particular user"), or, on any other call, the account's
        # daily cap of a category (Free plans), shared by everyone on the account.
        # The client's only POST and PATCH are meeting creates and updates.
        method = response.request.method if response.request is not None else ""
        per_host = method in ("POST", "PATCH") or "particular user" in message.lower()
        limited = ZoomDailyLimitReached if per_host else ZoomAccountDailyLimitReached
    return limited(message, retry_at=retry_at, status=429, code=body.get("code"))


def _parse_retry_after(value: str | None, now: datetime) -> datetime | None:
    """An ISO datetime, seconds from now, or a Unix time (seconds or milliseconds): Zoom's docs
    show the first and do not fix the form of X-RateLimit-Reset."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        number = int(value)
        if number >= 10**12:
            return datetime.fromtimestamp(number / 1000, tz=UTC)
        if number >= 10**9:
            return datetime.fromtimestamp(number, tz=UTC)
        return now + timedelta(seconds=number)
    return parse_iso_datetime(value, naive_is_utc=True)


def _json(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError as exc:
        raise ZoomUnavailable(
            "Zoom answered with something that is not JSON.", status=response.status_code
        ) from exc
    if not isinstance(body, dict):
        raise ZoomUnavailable("Zoom answered with unexpected JSON.", status=response.status_code)
    return body


def _error_body(response: requests.Response) -> dict:
    """An error body if it is a JSON object, else {} (Zoom sometimes answers errors in HTML)."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _path(url: str) -> str:
    return url.split("?", 1)[0]


# Path segments after these name one user or meeting: a metric's label says "{id}" instead, so
# there is one series per endpoint, not per meeting.
_NAMED_BY_ID = {"users", "meetings"}


def _route(url: str) -> str:
    """`/v2/users/{id}/meetings` for `…/v2/users/AbC123/meetings?page_size=300`."""
    segments = urlsplit(url).path.split("/")
    return "/".join(
        "{id}" if previous in _NAMED_BY_ID and segment != "me" else segment
        for previous, segment in zip(["", *segments], segments, strict=False)
    )


__all__ = ["TokenGrant", "ZoomClient", "ZoomError"]
