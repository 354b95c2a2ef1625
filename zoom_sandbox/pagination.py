"""`next_page_token`: what a list answers when more results follow, valid 15 minutes.

Zoom's reference for `next_page_token` (GET /users/{userId}/meetings and the other lists, in the
OpenAPI spec copy shr968/Prokalp ZoomMeetingAPISpec.json): "The API returns this value when the
set of available results exceeds the current page size. This token expires after 15 minutes."
An expired or unknown token answers 400 with code 300, "The next page token is invalid or
expired." (the same spec's error table for the report lists; the meeting lists document no answer,
so the sandbox gives this one everywhere). A token also belongs to the list that issued it.

Tokens live in memory like the per-second rate windows: one sandbox process serves all requests,
and after a restart every token is unknown, which is what an expired one answers anyway. Tests move
the tokens' clock on with `age()` (`POST /_sandbox/page-tokens/age`) instead of waiting.
"""

import secrets
import threading
import time

LIFETIME_SECONDS = 15 * 60
INVALID_OR_EXPIRED = "The next page token is invalid or expired."


class PageTokenError(ValueError):
    pass


_tokens: dict[str, tuple[str, int, float]] = {}
_lock = threading.Lock()
_aged_by = 0.0


def _now() -> float:
    return time.monotonic() + _aged_by


def issue(list_key: str, offset: int) -> str:
    """A token for the results of `list_key` from `offset` on."""
    token = secrets.token_urlsafe(24)
    with _lock:
        now = _now()
        for stale in [t for t, (_, _, at) in _tokens.items() if now - at >= LIFETIME_SECONDS]:
            del _tokens[stale]
        _tokens[token] = (list_key, offset, now)
    return token


def offset_of(list_key: str, token: str) -> int:
    """Where a page starts: 0 without a token; PageTokenError if unknown, expired or foreign."""
    if not token:
        return 0
    with _lock:
        found = _tokens.get(token)
        if found is None or found[0] != list_key or _now() - found[2] >= LIFETIME_SECONDS:
            raise PageTokenError(INVALID_OR_EXPIRED)
        return found[1]


def age(seconds: float) -> None:
    """Moves the tokens' clock on: every token issued so far is `seconds` older."""
    global _aged_by
    with _lock:
        _aged_by += seconds


def reset() -> None:
    global _aged_by
    with _lock:
        _tokens.clear()
        _aged_by = 0.0
