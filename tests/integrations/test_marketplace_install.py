"""Installs started in the Zoom Marketplace: a code and no state arrive at the callback.

The code is never exchanged (it cannot be tied to this browser): the rep confirms on our page, and
that POST restarts the flow with our state.
The end-to-end install against the sandbox lives in test_connect_flow.py.
"""

from urllib.parse import parse_qs, urlsplit

import pytest

from integrations.zoom.connection import oauth_session

pytestmark = pytest.mark.django_db
URL = "/integrations/zoom/callback/"


def restart(client):
    return client.post("/integrations/zoom/connect/", {"install": "1"})


def test_a_signed_in_rep_confirms_then_is_sent_back_to_zoom_with_a_fresh_state(
    rep_client, settings
):
    page = rep_client.get(f"{URL}?code=marketplace-code")
    assert page.status_code == 200
    assert 'name="install" value="1"' in page.content.decode()
    assert oauth_session.SESSION_KEY not in rep_client.session

    response = restart(rep_client)

    assert response["Location"].startswith(f"{settings.ZOOM_OAUTH_BASE_URL}/oauth/authorize?")
    state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
    assert rep_client.session[oauth_session.SESSION_KEY]["state"] == state
    assert "marketplace-code" not in response["Location"]


def test_an_anonymous_visitor_logs_in_first_then_continues_connecting(client, rep, settings):
    response = client.get(f"{URL}?code=marketplace-code")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert "marketplace-code" not in response["Location"]

    client.force_login(rep)
    next_url = parse_qs(urlsplit(response["Location"]).query)["next"][0]
    assert client.get(next_url).status_code == 200
    assert restart(client)["Location"].startswith(
        f"{settings.ZOOM_OAUTH_BASE_URL}/oauth/authorize?"
    )


def test_an_anonymous_decline_logs_in_then_lands_on_my_integrations(client):
    response = client.get(f"{URL}?error=access_denied")
    assert response["Location"] == "/accounts/login/?next=/integrations/"


def test_a_restart_that_comes_back_without_state_again_does_not_loop(rep_client):
    rep_client.get(f"{URL}?code=marketplace-code")
    restart(rep_client)
    response = rep_client.get(f"{URL}?code=another-code")
    assert response.status_code == 400
    assert "did not start here" in response.content.decode()
