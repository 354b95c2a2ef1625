"""GET /oauth/authorize: sign-in, the consent page, Allow and Decline, and requests Zoom refuses."""

import requests

from .conftest import query_of


def test_allow_redirects_to_the_callback_with_a_code_and_the_state(zoom):
    location = zoom.sandbox.consent(zoom.authorize_url(state="s-1"), "ann@example.com")
    params = query_of(location)
    assert location.startswith(zoom.redirect_uri)
    assert params["state"] == "s-1"
    assert len(params["code"]) > 20


def test_decline_redirects_with_access_denied_and_the_state(zoom):
    location = zoom.sandbox.consent(zoom.authorize_url(state="s-2"), "ann@example.com", allow=False)
    assert query_of(location) == {"error": "access_denied", "state": "s-2"}


def test_consent_page_lists_what_the_app_may_view_and_manage(zoom):
    zoom.sandbox.create_user("ann@example.com")
    browser = requests.Session()
    page = browser.get(zoom.authorize_url(), timeout=10)
    assert 'data-sandbox-page="signin"' in page.text
    zoom.sign_in(browser, "ann@example.com")
    consent = browser.get(zoom.authorize_url(), timeout=10).text
    assert "App can view information" in consent
    assert "Profile &amp; Contact Information" in consent
    assert "App can manage information" in consent
    assert "Registration &amp; Scheduling" in consent
    assert "Allow" in consent and "Decline" in consent


def test_a_user_who_already_authorized_is_redirected_straight_back(zoom):
    zoom.connect("ann@example.com")
    browser = requests.Session()
    page = browser.get(zoom.authorize_url(), timeout=10)
    zoom.sign_in(browser, "ann@example.com")
    assert page.status_code == 200
    again = browser.get(zoom.authorize_url(state="fresh"), allow_redirects=False, timeout=10)
    assert again.status_code == 302
    assert query_of(again.headers["Location"])["state"] == "fresh"


def test_an_unknown_client_id_shows_an_error_page_and_redirects_nowhere(zoom):
    response = requests.get(
        zoom.authorize_url().replace(zoom.client_id, "nope"), allow_redirects=False, timeout=10
    )
    assert response.status_code == 400
    assert "Invalid client_id" in response.text


def test_an_unregistered_redirect_uri_shows_error_4709(zoom):
    url = zoom.authorize_url(redirect_uri="https://evil.example.com/cb")
    response = requests.get(url, allow_redirects=False, timeout=10)
    assert response.status_code == 400
    assert "Invalid redirect" in response.text and "4,709" in response.text


def test_a_scope_parameter_is_refused(zoom):
    response = requests.get(zoom.authorize_url(scope="meeting:write"), timeout=10)
    assert response.status_code == 400
    assert "scope" in response.text.lower()


def test_marketplace_install_arrives_with_a_code_and_no_state(zoom):
    install = f"{zoom.sandbox.url}/marketplace/app/{zoom.client_id}/install"
    authorize = requests.get(install, allow_redirects=False, timeout=10).headers["Location"]
    location = zoom.sandbox.consent(f"{zoom.sandbox.url}{authorize}", "ann@example.com")
    params = query_of(location)
    assert "code" in params
    assert "state" not in params


def test_the_marketplace_page_describes_the_app_listing(zoom):
    page = requests.get(f"{zoom.sandbox.url}/marketplace/app", timeout=10)
    assert page.status_code == 200
    assert "App can view information" in page.text
    assert "user:read" in page.text and "meeting:write" in page.text
