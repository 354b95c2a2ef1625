import pytest

from tests.factories import RepFactory

pytestmark = pytest.mark.browser


def test_a_rep_logs_in_and_reaches_my_integrations(live_server, page, screenshot, login):
    rep = RepFactory()
    page.goto(f"{live_server.url}/dashboard/")
    assert "/accounts/login/" in page.url
    screenshot(page, "login")

    login(page, rep, RepFactory.PASSWORD)
    assert page.get_by_role("heading", name="Welcome").is_visible()
    screenshot(page, "dashboard")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My Integrations").click()
    page.wait_for_url(f"{live_server.url}/integrations/")
    assert page.get_by_role("heading", name="My Integrations", level=1).is_visible()
    screenshot(page, "my-integrations")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")
