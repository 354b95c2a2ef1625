"""GET /integrations/zoom/callback/ with a missing, forged or expired state, or a declined consent.

None of these reaches Zoom: the state is checked first, and no connection is created.
"""

import time
from urllib.parse import urlencode

import pytest

from integrations.zoom.connection import oauth_session
from integrations.zoom.connection.models import ZoomConnection
from tests.factories import RepFactory

pytestmark = pytest.mark.django_db
URL = "/integrations/zoom/callback/"


def start(client):
    client.post("/integrations/zoom/connect/")
    return client.session[oauth_session.SESSION_KEY]["state"]


def callback(client, **params):
    return client.get(f"{URL}?{urlencode(params)}")


def assert_nothing_connected(rep):
    assert not ZoomConnection.objects.filter(user=rep, status="connected").exists()


def test_declined_consent_shows_a_page_with_connect_again(rep_client, rep):
    state = start(rep_client)
    response = callback(rep_client, error="access_denied", state=state)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Zoom was not connected" in page
    assert "Connect Zoom again" in page
    assert_nothing_connected(rep)


def test_declining_clears_the_unfinished_connect_note(rep_client, rep):
    state = start(rep_client)
    callback(rep_client, error="access_denied", state=state)
    assert ZoomConnection.objects.get(user=rep).connect_started_at is None


def test_another_error_from_zoom_shows_zoom_refused(rep_client, rep):
    state = start(rep_client)
    response = callback(rep_client, error="server_error", state=state)
    assert response.status_code == 400
    assert "Zoom refused the connection" in response.content.decode()


def test_a_callback_without_state_or_code_is_refused(rep_client, rep):
    response = callback(rep_client)
    assert response.status_code == 400
    assert "did not start here" in response.content.decode()


def test_a_callback_when_the_session_lost_its_state_is_refused(rep_client, rep):
    response = callback(rep_client, code="abc", state="some-state")
    assert response.status_code == 400
    assert "did not start here" in response.content.decode()
    assert_nothing_connected(rep)


def test_a_forged_state_is_refused(rep_client, rep):
    start(rep_client)
    response = callback(rep_client, code="abc", state="forged-state")
    assert response.status_code == 400
    assert "could not be verified" in response.content.decode()
    assert_nothing_connected(rep)


def test_a_state_is_accepted_only_once(rep_client, rep):
    state = start(rep_client)
    callback(rep_client, code="abc", state="forged-state")
    response = callback(rep_client, code="abc", state=state)
    assert response.status_code == 400
    assert "did not start here" in response.content.decode()


def test_a_state_from_another_reps_session_is_refused(client, rep):
    other = RepFactory()
    client.force_login(other)
    state = start(client)
    pending = client.session[oauth_session.SESSION_KEY]
    client.force_login(rep)  # a new session: the other rep's state is not in it
    session = client.session
    session[oauth_session.SESSION_KEY] = {**pending, "state": "mine"}
    session.save()
    response = callback(client, code="abc", state=state)
    assert response.status_code == 400
    assert_nothing_connected(rep)


def test_an_expired_state_is_refused(rep_client, rep):
    state = start(rep_client)
    session = rep_client.session
    session[oauth_session.SESSION_KEY]["started_at"] = (
        time.time() - oauth_session.STATE_MAX_AGE_SECONDS - 1
    )
    session.save()
    response = callback(rep_client, code="abc", state=state)
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert_nothing_connected(rep)


def test_error_pages_show_no_secret_and_no_trace(rep_client, rep, settings):
    start(rep_client)
    page = callback(rep_client, code="the-code-value", state="forged").content.decode()
    assert settings.ZOOM_CLIENT_SECRET not in page
    assert "the-code-value" not in page
    assert "Traceback" not in page
