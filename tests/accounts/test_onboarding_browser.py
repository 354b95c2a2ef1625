"""A new rep signs up in a real browser: their time zone is detected, their profile editable."""

import pytest

from accounts.models import User

pytestmark = pytest.mark.browser


@pytest.fixture
def chicago_page(chromium):
    context = chromium.new_context(
        timezone_id="America/Chicago", viewport={"width": 1200, "height": 900}
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_a_new_rep_signs_up_with_name_and_detected_zone_then_edits_the_profile(
    live_server, chicago_page, screenshot
):
    page = chicago_page
    page.goto(f"{live_server.url}/accounts/signup/")
    zone = page.locator("#id_time_zone")
    assert zone.input_value() == "America/Chicago"  # the browser's zone, preselected
    page.get_by_label("Email").fill("casey@example.com")
    page.get_by_label("Your name").fill("Casey Jones")
    page.locator("#id_password1").fill("a-long-enough-passphrase")
    page.locator("#id_password2").fill("a-long-enough-passphrase")
    screenshot(page, "01-signup")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(f"{live_server.url}/dashboard/")
    assert page.get_by_role("heading", name="Welcome, Casey Jones").is_visible()
    rep = User.objects.get(email="casey@example.com")
    assert rep.time_zone == "America/Chicago"

    page.get_by_role("link", name="Casey Jones").click()
    page.wait_for_url(f"{live_server.url}/accounts/profile/")
    screenshot(page, "02-profile")
    # Type-to-search narrows the list without submitting anything; the form's button applies.
    page.get_by_label("Search time zones").fill("kolk")
    assert page.url == f"{live_server.url}/accounts/profile/"
    assert zone.input_value() == "Asia/Kolkata"
    page.get_by_label("Booking handle").fill("casey-j")
    screenshot(page, "03-profile-searching")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Your profile is saved").wait_for()
    rep.refresh_from_db()
    assert (rep.time_zone, rep.booking_slug) == ("Asia/Kolkata", "casey-j")
