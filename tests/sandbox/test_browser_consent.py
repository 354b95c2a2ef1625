"""The consent and pre-approval pages in a real browser (headless Chromium)."""

import re

import pytest

from .conftest import query_of

pytestmark = pytest.mark.browser


@pytest.fixture
def callback(page, zoom):
    """The app is not running here: the browser's arrival at the callback is answered in place."""
    page.route(
        re.compile(re.escape(zoom.redirect_uri) + r".*"),
        lambda route: route.fulfill(status=200, body="callback reached", content_type="text/plain"),
    )
    return zoom.redirect_uri


def test_a_new_sandbox_user_allows_and_reaches_the_callback(page, zoom, callback, screenshot):
    page.goto(zoom.authorize_url(state="browser-allow"))
    page.get_by_label("Email").fill("new.rep@example.com")
    page.get_by_label("User type").select_option("1")
    page.get_by_role("button", name="Create and sign in").click()
    page.get_by_role(
        "heading", name=re.compile("would like to access your Zoom account")
    ).wait_for()
    assert page.get_by_text("App can view information").is_visible()
    assert page.get_by_text("App can manage information").is_visible()
    screenshot(page, "consent")
    page.get_by_role("button", name="Allow").click()
    page.wait_for_url(re.compile(re.escape(callback)))
    params = query_of(page.url)
    assert params["state"] == "browser-allow"
    assert zoom.exchange(params["code"]).status_code == 200
    assert zoom.sandbox.user("new.rep@example.com")["type"] == 1


def test_an_existing_user_declines_and_the_callback_gets_access_denied(
    page, zoom, callback, screenshot
):
    zoom.sandbox.create_user("ann@example.com")
    page.goto(zoom.authorize_url(state="browser-decline"))
    page.get_by_label("Existing sandbox user").select_option("ann@example.com")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("button", name="Decline").wait_for()
    page.get_by_role("button", name="Decline").click()
    page.wait_for_url(re.compile(re.escape(callback)))
    assert query_of(page.url) == {"error": "access_denied", "state": "browser-decline"}
    screenshot(page, "declined-callback")


def test_an_unapproved_user_sees_the_preapproval_wall_and_stays_on_zoom(
    page, zoom, callback, screenshot
):
    account = zoom.sandbox.create_user("admin@acme.example", requires_preapproval=True)
    zoom.sandbox.create_user("rep@acme.example", account_id=account["account_id"])
    page.goto(zoom.authorize_url())
    page.get_by_label("Existing sandbox user").select_option("rep@acme.example")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("heading", name=re.compile("You cannot authorize")).wait_for()
    screenshot(page, "preapproval")
    page.get_by_role("button", name="Request pre-approve").click()
    page.get_by_text("request was sent").wait_for()
    assert not page.url.startswith(callback)
    assert [r["email"] for r in zoom.sandbox.preapproval_requests()] == ["rep@acme.example"]
