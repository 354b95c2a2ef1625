"""What we remember in the rep's session between Connect and Zoom's redirect back.

`state` ties the callback to this browser session (login-CSRF protection) and the PKCE verifier
proves the code was requested by us (RFC 7636, S256; Zoom supports it:
https://developers.zoom.us/docs/integrations/oauth/#using-pkce). Both are single use.
"""

import base64
import hashlib
import secrets
import time
from dataclasses import asdict, dataclass

from django.utils.crypto import constant_time_compare

SESSION_KEY = "zoom_connect"
# Zoom's codes live 5 minutes; a consent screen left open longer than this starts over.
STATE_MAX_AGE_SECONDS = 15 * 60


@dataclass(frozen=True)
class PendingConnect:
    state: str
    verifier: str
    user_id: int
    started_at: float
    # True when we restarted the flow ourselves (a Marketplace install), to never loop.
    restarted: bool = False

    @property
    def code_challenge(self) -> str:
        digest = hashlib.sha256(self.verifier.encode("ascii")).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    @property
    def age_seconds(self) -> float:
        return time.time() - self.started_at

    @property
    def expired(self) -> bool:
        return self.age_seconds > STATE_MAX_AGE_SECONDS

    def matches(self, state: str, user_id: int) -> bool:
        return constant_time_compare(state, self.state) and user_id == self.user_id


# The company's account connection (a different Marketplace app) keeps its own pending connect.
ACCOUNT_SESSION_KEY = "zoom_account_connect"


def begin(
    session, user_id: int, *, restarted: bool = False, key: str = SESSION_KEY
) -> PendingConnect:
    pending = PendingConnect(
        state=secrets.token_urlsafe(32),
        # 64 random bytes → 86 URL-safe characters, inside PKCE's 43–128.
        verifier=secrets.token_urlsafe(64),
        user_id=user_id,
        started_at=time.time(),
        restarted=restarted,
    )
    session[key] = asdict(pending)
    return pending


def take(session, *, key: str = SESSION_KEY) -> PendingConnect | None:
    """Removes and returns the pending connect, so a state is never accepted twice."""
    data = session.pop(key, None)
    if not isinstance(data, dict):
        return None
    try:
        return PendingConnect(**data)
    except TypeError:
        return None
