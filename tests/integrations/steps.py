"""Steps shared by the flow tests: our side through Django's test client, Zoom's side through the
sandbox (its consent screen), over real HTTP."""

from urllib.parse import urlsplit

from integrations.zoom.oauth_session import SESSION_KEY

CONNECT_URL = "/integrations/zoom/connect/"


def local(url: str) -> str:
    """The path and query of a callback URL the sandbox built from SITE_URL."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def start_connect(client) -> str:
    """Clicks Connect Zoom; returns the authorize URL we sent the browser to."""
    response = client.post(CONNECT_URL)
    assert response.status_code == 302, response
    return response["Location"]


def consent_url(client, sandbox, zoom_email: str, *, allow: bool = True) -> str:
    """Connect, then allow (or decline) on the sandbox's consent screen: Zoom's redirect back."""
    return local(sandbox.consent(start_connect(client), zoom_email, allow=allow))


def connect(client, sandbox, zoom_email: str, *, allow: bool = True):
    """The whole round trip; returns our callback's response."""
    return client.get(consent_url(client, sandbox, zoom_email, allow=allow))


def pending_connect(client) -> dict:
    return dict(client.session[SESSION_KEY])


def token_calls(sandbox, grant_type: str) -> list[dict]:
    """The sandbox's record of our token requests of one grant type."""
    return [
        call
        for call in sandbox.calls("/oauth/token")
        if f"grant_type={grant_type}" in call["request_body"]
    ]
