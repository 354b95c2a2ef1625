"""Zoom's webhook envelope: signature, freshness, the URL validation challenge, and parsing.

https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events
"""

import hashlib
import hmac
import json
import time
from dataclasses import dataclass

from django.views.decorators.debug import sensitive_variables

# Zoom states no replay window, and retries a delivery it thinks failed about 5, 25 and 85 minutes
# later; whether a retry keeps the first attempt's x-zm-request-timestamp is undocumented (Zoom's
# own SDK, rivet-javascript, checks the signature and no age at all). A five-minute window would
# refuse every retry that kept it, so the window covers the last retry with room to spare, and
# replays inside it are caught by the delivery store instead: every delivery's fingerprint is kept
# for good (`ZoomWebhookEvent`), so the same body a second time is acknowledged and not applied.
MAX_AGE_SECONDS = 2 * 60 * 60
# A timestamp ahead of our clock by more than this is not Zoom's clock drifting.
MAX_FUTURE_SECONDS = 5 * 60
URL_VALIDATION_EVENT = "endpoint.url_validation"


class WebhookRejected(Exception):
    """The request is not an authentic, fresh, well-formed Zoom event; nothing may change."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class ZoomEvent:
    name: str
    payload: dict
    event_ts: int | None
    body: bytes

    @property
    def fingerprint(self) -> str:
        """Identical for Zoom's retries of one delivery, different for distinct deliveries."""
        return hashlib.sha256(self.body).hexdigest()


@sensitive_variables()
def _hmac_hex(secret: str, message: str | bytes) -> str:
    if isinstance(message, str):
        message = message.encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


@sensitive_variables()
def signature_for(secret: str, timestamp: str, body: bytes) -> str:
    """The `x-zm-signature` value Zoom sends for this body (used by our tests and the sandbox)."""
    return "v0=" + _hmac_hex(secret, b"v0:" + timestamp.encode() + b":" + body)


@sensitive_variables()
def verify(
    *,
    secret: str,
    body: bytes,
    timestamp: str | None,
    signature: str | None,
    now: float | None = None,
) -> ZoomEvent:
    """Checks the signature over the raw body and the timestamp, then parses the event."""
    if not secret:
        raise WebhookRejected(503, "webhook secret token is not configured")
    if not timestamp or not signature:
        raise WebhookRejected(401, "missing x-zm-signature or x-zm-request-timestamp")
    # Seconds or milliseconds since the epoch: at most 13 ASCII digits (int() would also take
    # other scripts' digits, and hundreds of digits overflow the clock arithmetic below).
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 13):
        raise WebhookRejected(401, "malformed x-zm-request-timestamp")
    sent_at = int(timestamp)
    # Zoom sends seconds; accept milliseconds too, as some deliveries have used them.
    if sent_at > 10**11:
        sent_at //= 1000
    current = time.time() if now is None else now
    if current - sent_at > MAX_AGE_SECONDS or sent_at - current > MAX_FUTURE_SECONDS:
        raise WebhookRejected(401, "stale or future x-zm-request-timestamp")
    # As bytes: compare_digest refuses str with non-ASCII characters (a header may carry them).
    expected = signature_for(secret, timestamp, body).encode()
    if not hmac.compare_digest(expected, signature.encode("utf-8", "replace")):
        raise WebhookRejected(401, "signature does not match")
    return parse(body)


def parse(body: bytes) -> ZoomEvent:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError, RecursionError):
        # ValueError covers JSONDecodeError and numbers past int's digit limit; RecursionError,
        # nesting deeper than the parser's stack.
        raise WebhookRejected(400, "body is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("event"), str):
        raise WebhookRejected(400, "body has no event name")
    payload = data.get("payload")
    if not isinstance(payload, dict):
        raise WebhookRejected(400, "body has no payload object")
    event_ts = data.get("event_ts")
    return ZoomEvent(
        name=data["event"],
        payload=payload,
        event_ts=event_ts if isinstance(event_ts, int) else None,
        body=body,
    )


@sensitive_variables()
def url_validation_answer(secret: str, event: ZoomEvent) -> dict:
    """Zoom's challenge: echo plainToken with its HMAC so Zoom knows we hold the secret."""
    plain_token = event.payload.get("plainToken")
    if not isinstance(plain_token, str) or not plain_token:
        raise WebhookRejected(400, "url validation without plainToken")
    return {"plainToken": plain_token, "encryptedToken": _hmac_hex(secret, plain_token)}
