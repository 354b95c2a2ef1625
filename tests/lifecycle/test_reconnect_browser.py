"""In headless Chromium: a rep whose Zoom admin withdrew the app's approval finds the
needs-reconnect banner (the keep-alive found the break) on the dashboard and My Integrations, and
reconnects through the sandbox's pages. Screenshots in var/screenshots/."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from integrations.zoom.connection.models import ZoomConnection
from integrations.zoom.tasks import keep_zoom_connections_alive
from tests.factories import RepFactory
from tests.lifecycle import steps

pytestmark = pytest.mark.browser
ZOOM_EMAIL = "browser.reconnect@example.com"


def test_a_rep_sees_the_reconnect_banner_and_reconnects(
    live_server, live_sandbox, page, screenshot, login
):
    # Zoom names the cause (4738) at the token endpoint here; bare refusals are covered in
    # test_broken_connections.py.
    live_sandbox.set_knobs(oauth_error_codes=True)
    rep = RepFactory()
    zoom = steps.connect_preapproved(live_sandbox, ZOOM_EMAIL, rep=rep)
    live_sandbox.withdraw_approval(steps.ACCOUNT)
    steps.make_idle(zoom)
    keep_zoom_connections_alive.delay()
    zoom.refresh_from_db()
    assert zoom.status == ZoomConnection.Status.NEEDS_RECONNECT
    (email,) = mail.outbox
    assert f"{live_server.url}/integrations/" in email.body

    login(page, rep, RepFactory.PASSWORD)
    banner = page.locator("#zoom-attention-banner")
    expect(banner).to_contain_text("Your Zoom connection needs attention")
    expect(banner).to_contain_text("withdrew the app's approval")
    screenshot(page, "dashboard-banner")

    banner.get_by_role("link", name="Details").click()
    page.wait_for_url(f"{live_server.url}/integrations/")
    expect(page.locator("#zoom-attention-banner")).to_be_visible()
    expect(page.get_by_role("heading", name="Ask your Zoom admin to approve")).to_be_visible()
    screenshot(page, "integrations-needs-reconnect")

    # The Zoom admin approves the app again; the rep reconnects from the banner.
    live_sandbox.approve(steps.ACCOUNT)
    page.locator("#zoom-attention-banner").get_by_role("button", name="Reconnect Zoom").click()
    page.get_by_label("Existing sandbox user").select_option(ZOOM_EMAIL)
    screenshot(page, "zoom-sign-in")
    # The rep authorized the app before (a withdrawal keeps the grant), so Zoom skips the consent
    # page and sends them straight back.
    page.get_by_role("button", name="Sign in", exact=True).click()

    page.wait_for_url(f"{live_server.url}/integrations/")
    expect(page.locator("#zoom").get_by_text(f"Connected as {ZOOM_EMAIL}")).to_be_visible()
    expect(page.locator("#zoom-attention-banner")).to_have_count(0)
    screenshot(page, "reconnected")
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.locator("#zoom-attention-banner")).to_have_count(0)
    zoom.refresh_from_db()
    assert zoom.status == ZoomConnection.Status.CONNECTED
    assert zoom.needs_reconnect_reason == ""
