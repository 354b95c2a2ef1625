"""A staff member opens the admin: the Zoom overview on the index, then the roster."""

import pytest

from integrations.zoom.api.reasons import ReconnectReason
from integrations.zoom.connection.models import ZoomConnection
from meetings.zoom.state import LinkState
from tests.factories import RepFactory
from tests.integrations.factories import ZoomConnectionFactory
from tests.meetings.factories import BookingFactory

pytestmark = pytest.mark.browser


def seed_team() -> None:
    ZoomConnectionFactory(zoom_email="ok@acme.example", zoom_account_id="acme-account")
    ZoomConnectionFactory(
        zoom_email="free@acme.example",
        zoom_account_id="acme-account",
        zoom_user_type=ZoomConnection.UserType.BASIC,
    )
    broken = ZoomConnectionFactory(zoom_email="broken@acme.example", zoom_account_id="acme-account")
    broken.mark_needs_reconnect(ReconnectReason.APPROVAL_WITHDRAWN, "Zoom error 4738")
    ZoomConnectionFactory().mark_removed()
    waiting = ZoomConnection.objects.create(user=RepFactory(email="new.hire@globex.example"))
    waiting.start_connect_attempt()
    RepFactory(email="never@example.com")
    BookingFactory(
        guest_name="Pat Prospect",
        meeting_type__rep=broken.user,
        link_state=LinkState.FAILED,
        link_last_error="Zoom refused the meeting: invalid passcode",
    )


def test_staff_see_the_zoom_overview_and_the_roster(live_server, page, screenshot, login):
    seed_team()
    staff = RepFactory(email="ops@example.com", is_staff=True, is_superuser=True)
    login(page, staff, RepFactory.PASSWORD)

    page.goto(f"{live_server.url}/admin/")
    overview = page.locator("#zoom-overview")
    assert overview.get_by_role("heading", name="Zoom connections").is_visible()
    assert overview.locator('[data-status="needs_reconnect"] strong').inner_text() == "1"
    assert overview.get_by_text("reps at @globex.example").is_visible()
    assert overview.get_by_role("link", name="Pat Prospect").is_visible()
    screenshot(page, "admin-overview")

    overview.locator('[data-status="needs_reconnect"] a').click()
    page.wait_for_url("**/admin/integrations/zoomrosterentry/?status=needs_reconnect")
    assert page.locator("#result_list tbody tr").count() == 1
    assert page.get_by_text("broken@acme.example").is_visible()

    # What needs acting on (the error, the bookings at risk) is on screen at 1280 px, the
    # admin's navigation sidebar open, without scrolling sideways.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/integrations/zoomrosterentry/")
    for column in ("status", "last_error", "bookings_at_risk"):
        box = page.locator(f"#result_list th.column-{column}").bounding_box()
        assert box is not None and box["x"] + box["width"] <= 1280, column

    # The roster is a wide table: give it a desktop-sized window.
    page.set_viewport_size({"width": 1920, "height": 900})
    page.goto(f"{live_server.url}/admin/integrations/zoomrosterentry/")
    page.locator("#toggle-nav-sidebar").click()
    rows = page.locator("#result_list tbody tr")
    assert rows.first.locator(".zoom-status").inner_text() == "Needs reconnecting"
    assert rows.last.locator(".zoom-status").inner_text() == "Connected"
    assert page.get_by_role("cell", name="Basic (free)").is_visible()
    assert page.locator("select[name=action] option[value=test_connection]").count() == 1
    screenshot(page, "admin-roster")

    rows.first.locator("th a").click()
    page.wait_for_url("**/change/")
    assert page.get_by_text("Zoom error 4738").first.is_visible()
    screenshot(page, "admin-roster-rep")
