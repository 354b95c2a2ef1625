"""Signing outgoing webhooks the Standard Webhooks way (https://www.standardwebhooks.com/, the
spec's "Signature scheme"), so receivers can verify them with any of its libraries:

- headers `webhook-id` (the same on every retry of one message: the receiver's idempotency key),
  `webhook-timestamp` (Unix seconds of this attempt) and `webhook-signature`
  ("v1," + base64 of HMAC-SHA256 over "{id}.{timestamp}.{body}");
- the secret is "whsec_" + base64 of random bytes, and the HMAC key is those bytes.
"""

import base64
import hashlib
import hmac
import secrets

from django.views.decorators.debug import sensitive_variables

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


@sensitive_variables()
def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


@sensitive_variables()
def headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
    }


@sensitive_variables()
def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """What a receiver does (our tests, and the README's example): any listed signature may
    match (a receiver may be sent several while a secret is being rolled)."""
    expected = signature(secret, headers["webhook-id"], int(headers["webhook-timestamp"]), body)
    return any(
        hmac.compare_digest(expected.encode(), candidate.encode())
        for candidate in headers["webhook-signature"].split()
    )
