"""In headless Chromium: a Zoom admin connects the company's Zoom account through the sandbox's
real pages, sees whom it serves, and a served rep sees it on My Integrations. Screenshots in
var/screenshots/."""

import pytest
from playwright.sync_api import expect

from integrations.zoom.company.models import ZoomCompanyAccount
from tests.factories import RepFactory

from .company_steps import company_account, zoom_admin

pytestmark = pytest.mark.browser


def test_the_zoom_admin_connects_the_company_and_a_rep_is_served_without_connecting(
    live_server, live_sandbox, page, screenshot, login, tasks_run_inline
):
    admin = company_account(live_sandbox)
    rep = RepFactory(email="ann@corp.example")
    RepFactory(email="outsider@corp.example")
    live_sandbox.create_user("ann@corp.example", account_id=admin["account_id"])
    staff = zoom_admin()
    login(page, staff, RepFactory.PASSWORD)
    page.goto(f"{live_server.url}/integrations/zoom/account/")
    screenshot(page, "company-not-connected")

    page.get_by_role("button", name="Connect the company's Zoom account").click()
    page.get_by_label("Existing sandbox user").select_option("admin@corp.example")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("button", name="Allow").click()

    page.wait_for_url(f"{live_server.url}/integrations/zoom/account/")
    expect(page.get_by_text("Each rep is being looked up")).to_be_visible()
    page.reload()
    expect(page.locator("#zoom-account-id")).to_have_text(admin["account_id"])
    expect(page.locator("#served-count")).to_have_text("1")
    expect(page.locator('tr[data-rep="outsider@corp.example"] .state')).to_contain_text(
        "No Zoom user with this email"
    )
    screenshot(page, "company-connected")
    assert ZoomCompanyAccount.objects.get().is_usable

    page.context.clear_cookies()
    login(page, rep, RepFactory.PASSWORD)
    page.goto(f"{live_server.url}/integrations/")
    expect(page.locator("#company-zoom-provides")).to_contain_text(
        "provided by your company's Zoom account (as ann@corp.example)"
    )
    screenshot(page, "rep-served-by-company")
