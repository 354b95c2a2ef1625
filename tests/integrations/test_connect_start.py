"""POST /integrations/zoom/connect/: the rep is sent to Zoom with state and PKCE, no scope."""

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import pytest

from integrations.zoom.connection.models import ZoomConnection
from integrations.zoom.connection.oauth_session import SESSION_KEY

pytestmark = pytest.mark.django_db
URL = "/integrations/zoom/connect/"


def test_connect_redirects_to_zoom_with_state_and_an_s256_challenge(rep_client, settings):
    response = rep_client.post(URL)

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}" == settings.ZOOM_OAUTH_BASE_URL
    assert location.path == "/oauth/authorize"
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    pending = rep_client.session[SESSION_KEY]
    assert query["state"] == pending["state"]
    assert query["code_challenge_method"] == "S256"
    digest = hashlib.sha256(pending["verifier"].encode()).digest()
    assert query["code_challenge"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert query["redirect_uri"] == f"{settings.SITE_URL}/integrations/zoom/callback/"
    assert query["client_id"] == settings.ZOOM_CLIENT_ID
    assert "scope" not in query


def test_each_connect_gets_a_fresh_state(rep_client):
    first = parse_qs(urlsplit(rep_client.post(URL)["Location"]).query)["state"]
    second = parse_qs(urlsplit(rep_client.post(URL)["Location"]).query)["state"]
    assert first != second


def test_connect_notes_the_attempt_so_a_silent_zoom_can_be_explained(rep_client, rep):
    rep_client.post(URL)
    assert ZoomConnection.objects.get(user=rep).connect_started_at is not None


def test_connect_does_not_touch_an_existing_connections_status(rep_client, rep):
    ZoomConnection.objects.create(user=rep)
    rep_client.post(URL)
    assert ZoomConnection.objects.get(user=rep).status == ZoomConnection.Status.DISCONNECTED


def test_connect_only_accepts_post(rep_client):
    assert rep_client.get(URL).status_code == 405


def test_connect_requires_the_csrf_token(rep):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)
    assert client.post(URL).status_code == 403


def test_anonymous_visitors_cannot_start_connecting(client):
    response = client.post(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
