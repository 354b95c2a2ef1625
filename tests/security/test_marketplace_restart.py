"""A cross-site GET of the OAuth callback can no longer send a signed-in rep through Zoom and
switch their Zoom account: restarting a Marketplace install takes a POST from our own page."""

import pytest
from django.test import Client

from integrations.zoom.connection import oauth_session
from integrations.zoom.connection.models import ZoomConnection
from tests.integrations import steps

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["install=1", "code=attackers-code"])
def test_a_cross_site_get_of_the_callback_starts_nothing(rep_client, rep, sandbox, query):
    steps.connect_rep(sandbox, "mine@example.com", rep=rep)
    authorizations = len(sandbox.calls("/oauth/"))

    response = rep_client.get(f"/integrations/zoom/callback/?{query}")

    assert response.status_code == 200
    assert oauth_session.SESSION_KEY not in rep_client.session
    assert ZoomConnection.objects.get(user=rep).zoom_email == "mine@example.com"
    assert len(sandbox.calls("/oauth/")) == authorizations


def test_the_restart_post_needs_our_csrf_token(rep, sandbox):
    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)
    assert client.post("/integrations/zoom/connect/", {"install": "1"}).status_code == 403
