"""In headless Chromium: an admin goes from the admin index to the company's Zoom page (by the
link on the index, and back by the roster's), sees a rep whose own connection broke counted as
served by the company, not as needing a reconnect; that rep's dashboard says the same and asks
for nothing. Screenshots (and axe) in var/screenshots/."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from tests.factories import RepFactory

from .test_served_by_company_pages import broken_own_connection, company_serving

pytestmark = pytest.mark.browser


def test_an_admin_finds_the_company_page_and_a_served_reps_dashboard_asks_no_reconnect(
    live_server, page, screenshot, login
):
    rep = RepFactory(email="ann@corp.example")
    broken_own_connection(rep)
    company_serving(rep)
    admin = RepFactory(email="ops@corp.example", is_staff=True)
    for codename in ("manage_zoom_account", "view_zoomrosterentry"):
        admin.user_permissions.add(Permission.objects.get(codename=codename))

    login(page, admin, RepFactory.PASSWORD)
    page.goto(f"{live_server.url}/admin/")
    overview = page.locator("#zoom-overview")
    expect(overview.locator('[data-status="needs_reconnect"] strong')).to_have_text("0")
    expect(overview.locator('[data-status="company"] strong')).to_have_text("1")
    screenshot(page, "admin-index-company-link")

    company_link = page.locator("#company-zoom-link")
    company_link.get_by_role("link", name="The company's Zoom account").click()
    page.wait_for_url(f"{live_server.url}/integrations/zoom/account/")
    row = page.locator('tr[data-rep="ann@corp.example"] .state')
    expect(row).to_contain_text("Served")
    expect(row).to_contain_text("In use")
    screenshot(page, "company-page-from-admin")

    # The roster lists her as served by the company, and leads back to the same page.
    page.goto(f"{live_server.url}/admin/")
    overview.locator('[data-status="company"] a').click()
    page.wait_for_url("**/admin/integrations/zoomrosterentry/?status=company")
    expect(page.locator("#result_list")).to_contain_text("ann@corp.example")
    expect(page.locator("#result_list")).to_contain_text("own Zoom connection not used")
    page.get_by_role("link", name="Company Zoom account").click()
    page.wait_for_url(f"{live_server.url}/integrations/zoom/account/")

    page.context.clear_cookies()
    login(page, rep, RepFactory.PASSWORD)
    expect(page.locator("#zoom-state")).to_contain_text(
        "Zoom is provided by your company's Zoom account (as ann@corp.example)"
    )
    expect(page.locator("#own-zoom-unused")).to_contain_text(
        "new meetings are made with the company's account"
    )
    expect(page.locator("#zoom-attention-banner")).to_have_count(0)
    expect(page.get_by_text("Reconnect Zoom")).to_have_count(0)
    screenshot(page, "served-rep-dashboard")
