"""Steps shared by the flow tests: our side through Django's test client, Zoom's side through the
sandbox (its consent screen), over real HTTP."""

from urllib.parse import urlsplit

from django.test import Client

from integrations.zoom.api.client import ZoomClient
from integrations.zoom.connection.models import ZoomConnection
from integrations.zoom.connection.oauth_session import SESSION_KEY
from integrations.zoom.connection.session import ZoomSession
from tests.factories import RepFactory

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


def connect_rep(sandbox, zoom_email: str, *, rep=None, **zoom_user) -> ZoomConnection:
    """A rep (a new one by default), signed in, connects the sandbox Zoom user `zoom_email` through
    Connect Zoom and the consent screen; returns their working connection. `zoom_user` is what
    `sandbox.create_user` takes (account_id, user_type, timezone, settings, …)."""
    rep = rep or RepFactory()
    sandbox.create_user(zoom_email, **zoom_user)
    browser = Client()
    browser.force_login(rep)
    response = connect(browser, sandbox, zoom_email)
    assert response.status_code == 302 and response["Location"] == "/integrations/", response
    connection = ZoomConnection.objects.get(user=rep)
    assert connection.is_usable
    return connection


def get_me(connection: ZoomConnection) -> dict:
    """`GET /users/me` for the connection, as one unit of work of a Zoom session."""
    with ZoomSession(connection) as zoom:
        return zoom.call(ZoomClient.get_me)
