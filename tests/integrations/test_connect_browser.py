"""In headless Chromium: connect Zoom through the sandbox's real pages, and hit the pre-approval
wall then find the Marketplace approval help on My Integrations. Screenshots in var/screenshots/."""

import pytest
from playwright.sync_api import expect

from integrations.zoom.connection.models import ZoomConnection
from tests.factories import RepFactory

pytestmark = pytest.mark.browser
ZOOM_EMAIL = "browser.rep@example.com"


def sign_in_to_zoom(page, email):
    page.get_by_label("Existing sandbox user").select_option(email)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_a_rep_connects_zoom_by_allowing_it_on_zoom(
    live_server, live_sandbox, page, screenshot, login
):
    rep = RepFactory()
    live_sandbox.create_user(ZOOM_EMAIL)
    login(page, rep, RepFactory.PASSWORD)
    page.goto(f"{live_server.url}/integrations/")
    screenshot(page, "not-connected")

    page.get_by_role("button", name="Connect Zoom").click()
    sign_in_to_zoom(page, ZOOM_EMAIL)
    expect(page.get_by_role("button", name="Allow")).to_be_visible()
    screenshot(page, "zoom-consent")
    page.get_by_role("button", name="Allow").click()

    page.wait_for_url(f"{live_server.url}/integrations/")
    expect(page.locator("#zoom").get_by_text(f"Connected as {ZOOM_EMAIL}")).to_be_visible()
    screenshot(page, "connected")
    assert ZoomConnection.objects.get(user=rep).status == ZoomConnection.Status.CONNECTED

    page.get_by_role("link", name="Disconnect Zoom…").click()
    expect(page.get_by_role("heading", name="Disconnect Zoom?")).to_be_visible()
    screenshot(page, "disconnect-confirm")
    page.get_by_role("button", name="Disconnect Zoom").click()
    expect(page.get_by_text("Zoom is disconnected.")).to_be_visible()
    screenshot(page, "disconnected")


def test_a_rep_blocked_by_the_preapproval_wall_finds_the_approval_help(
    live_server, live_sandbox, page, screenshot, login, settings
):
    rep = RepFactory()
    live_sandbox.create_user(ZOOM_EMAIL, requires_preapproval=True)
    login(page, rep, RepFactory.PASSWORD)
    page.goto(f"{live_server.url}/integrations/")

    page.get_by_role("button", name="Connect Zoom").click()
    sign_in_to_zoom(page, ZOOM_EMAIL)
    expect(page.get_by_role("heading", name="You cannot authorize")).to_be_visible()
    screenshot(page, "zoom-preapproval-wall")

    # Zoom never sends the rep back: they come back to My Integrations on their own.
    page.goto(f"{live_server.url}/integrations/")
    expect(page.get_by_text("did not come back from Zoom")).to_be_visible()
    expect(page.get_by_role("heading", name="Ask your Zoom admin to approve")).to_be_visible()
    expect(page.get_by_role("link", name="Zoom App Marketplace")).to_have_attribute(
        "href", settings.ZOOM_MARKETPLACE_URL
    )
    message = page.get_by_label("A message you can send your Zoom admin").input_value()
    assert settings.ZOOM_APP_NAME in message
    assert "meeting:write" in message
    assert f"My Zoom account: {rep.email}" in message
    # The copy button puts the message on the clipboard and says so.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy the message").click()
    expect(page.locator("#zoom-admin-message-status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == message
    screenshot(page, "approval-help")
