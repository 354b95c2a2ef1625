"""Zoom-shaped identifiers: 22-character user and account ids, int64 meeting ids over 10 digits,
base64 meeting UUIDs, and JWT-shaped tokens (Zoom's are JWTs several hundred characters long, so the
app's storage is exercised with realistic lengths)."""

import base64
import hashlib
import hmac
import json
import secrets
import string
import time

from django.conf import settings

_ID_ALPHABET = string.ascii_letters + string.digits + "-_"


def zoom_id() -> str:
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(22))


def meeting_id() -> int:
    # Zoom's meeting ids are int64 and have 11 digits nowadays: clients must not assume 32 bits or
    # 10 digits.
    return secrets.randbelow(9 * 10**10) + 10**10


def pmi() -> int:
    return secrets.randbelow(9 * 10**9) + 10**9


def meeting_uuid() -> str:
    return base64.b64encode(secrets.token_bytes(16)).decode()


def passcode(length: int = 6, *, numeric: bool = False, specials: str = "") -> str:
    alphabet = string.digits if numeric else string.ascii_letters + string.digits + specials
    return "".join(secrets.choice(alphabet) for _ in range(length))


def encrypted_password() -> str:
    return secrets.token_urlsafe(24)


def numeric_passcode(password: str) -> str:
    """Zoom derives digits-only passcodes for H.323 and phone dial-in from the meeting passcode."""
    if not password:
        return ""
    if password.isdigit():
        return password
    digest = hashlib.sha256(password.encode()).hexdigest()
    return str(int(digest, 16))[: max(6, len(password))]


def authorization_code() -> str:
    return secrets.token_urlsafe(24)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt_token(kind: str, claims: dict, lifetime: int) -> str:
    now = int(time.time())
    header = {"alg": "HS512", "v": "2.0", "kid": secrets.token_hex(16)}
    payload = {
        "ver": 10,
        "typ": kind,
        "aud": "https://oauth.zoom.us",
        "iss": "zm:cid:sandbox",
        "iat": now,
        "nbf": now,
        "exp": now + lifetime,
        "jti": secrets.token_hex(16),
        **claims,
    }
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}"
    signature = hmac.new(settings.SECRET_KEY.encode(), signing_input.encode(), hashlib.sha512)
    return f"{signing_input}.{_b64(signature.digest())}"
