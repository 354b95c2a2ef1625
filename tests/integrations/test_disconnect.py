"""POST /integrations/zoom/disconnect/: revoke at Zoom, then forget tokens and Zoom ids."""

import pytest
from django.test import Client

from integrations.zoom.connection.models import ZoomConnection
from tests.factories import RepFactory
from tests.meetings.factories import BookingFactory, MeetingTypeFactory

pytestmark = pytest.mark.django_db
URL = "/integrations/zoom/disconnect/"
EMAIL = "rep.zoom@example.com"


@pytest.fixture
def connected(rep_client, rep, connect_zoom):
    return connect_zoom(rep, EMAIL)


def assert_forgotten(zoom):
    zoom.refresh_from_db()
    assert zoom.status == ZoomConnection.Status.DISCONNECTED
    assert (zoom.access_token, zoom.refresh_token) == ("", "")
    assert (zoom.zoom_user_id, zoom.zoom_account_id, zoom.zoom_email) == ("", "", "")


def test_disconnecting_revokes_at_zoom_and_forgets_everything(rep_client, sandbox, connected):
    token = connected.access_token

    response = rep_client.post(URL, follow=True)

    (revoke,) = sandbox.calls("/oauth/revoke")
    assert f"token={token}" in revoke["request_body"]
    assert_forgotten(connected)
    page = response.content.decode()
    assert "Zoom is disconnected" in page
    assert "Not connected" in page


def test_the_revoked_token_no_longer_works_at_zoom(rep_client, sandbox, connected):
    from integrations.zoom.api.client import ZoomClient
    from integrations.zoom.api.errors import ZoomError

    token = connected.access_token
    rep_client.post(URL)
    with pytest.raises(ZoomError):
        ZoomClient().get_me(token)


def test_disconnecting_while_zoom_is_down_still_disconnects_and_says_so(
    rep_client, sandbox, connected
):
    sandbox.fail_next("/oauth/revoke", status=503)

    response = rep_client.post(URL, follow=True)

    assert_forgotten(connected)
    assert "Zoom did not answer" in response.content.decode()


def test_disconnecting_a_broken_connection_still_forgets_it(rep_client, sandbox, connected):
    connected.mark_needs_reconnect("invalid_grant")
    rep_client.post(URL)
    assert_forgotten(connected)


def test_a_rep_can_only_disconnect_their_own_connection(sandbox, connected):
    intruder = Client()
    intruder.force_login(RepFactory())

    intruder.post(URL)

    connected.refresh_from_db()
    assert connected.status == ZoomConnection.Status.CONNECTED
    assert not sandbox.calls("/oauth/revoke")


def test_disconnect_requires_login_and_only_a_post_disconnects(connected):
    client = Client()
    assert client.post(URL)["Location"].startswith("/accounts/login/")
    client.force_login(connected.user)
    assert client.get(URL).status_code == 200
    assert client.put(URL).status_code == 405
    connected.refresh_from_db()
    assert connected.status == ZoomConnection.Status.CONNECTED


def test_disconnect_asks_first_and_says_what_happens_to_upcoming_bookings(
    rep_client, rep, connected
):
    meeting_type = MeetingTypeFactory(rep=rep)
    BookingFactory(
        meeting_type=meeting_type,
        link_state="ready",
        zoom_meeting_id="123",
        zoom_join_url="https://zoom.example/j/123",
    )
    response = rep_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 upcoming booking with a Zoom meeting" in page
    assert "their links keep working" in page
    connected.refresh_from_db()
    assert connected.status == ZoomConnection.Status.CONNECTED  # nothing happened yet
