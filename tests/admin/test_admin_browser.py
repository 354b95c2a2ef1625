"""A staff member opens the admin: the Zoom overview on the index, then the roster."""

import pytest

from integrations.zoom.api.reasons import ReconnectReason
from integrations.zoom.connection.models import ZoomConnection
from meetings.zoom.state import LinkState
from tests.factories import RepFactory
from tests.fixtures.browser import assert_accessible, horizontal_overflow
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

    # At 1280 px, the admin's navigation sidebar and the filters open, the whole roster is on
    # screen: nothing scrolls sideways, not even inside the table's own box.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/integrations/zoomrosterentry/")
    assert (
        page.locator("#nav-sidebar").is_visible()
        and page.locator("#changelist-filter").is_visible()
    )
    assert page.evaluate(
        "() => { const box = document.querySelector('#changelist .results');"
        " return box.scrollWidth <= box.clientWidth; }"
    )
    assert horizontal_overflow(page) <= 0
    for column in ("status", "served_by", "attention", "zoom", "activity"):
        box = page.locator(f"#result_list th.column-{column}").bounding_box()
        assert box is not None and box["x"] + box["width"] <= 1280, column
    assert_accessible(page, "the roster at 1280 px")

    rows = page.locator("#result_list tbody tr")
    # Worst first: the rep whose Zoom admin withdrew the app's approval.
    assert rows.first.locator(".zoom-status").inner_text() == "Blocked by Zoom pre-approval"
    assert rows.last.locator(".zoom-status").inner_text() == "Connected"
    statuses = page.locator(".zoom-status").all_inner_texts()
    # Blocked by a Zoom admin's pre-approval, named as such: the Connect that never came back and
    # the approval withdrawn.
    assert statuses.count("Blocked by Zoom pre-approval") == 2
    assert "Never connected" in statuses
    made_by = page.locator("#result_list td.field-served_by").all_inner_texts()
    assert "None" not in made_by and "Nobody yet: no working Zoom connection" in made_by
    assert page.get_by_text("Basic (free)").first.is_visible()
    assert page.locator("select[name=action] option[value=test_connection]").count() == 1
    # The account filter names accounts by their reps' domain, never by Zoom's account id.
    filters = page.locator("#changelist-filter").inner_text()
    assert "acme.example (3 reps)" in filters and "acme-account" not in filters
    assert page.get_by_label("Search reps on the Zoom roster").is_visible()

    # On a phone each rep is a card: every value under its own name, nothing sideways.
    page.set_viewport_size({"width": 360, "height": 740})
    named = page.evaluate(
        "() => getComputedStyle(document.querySelector('#result_list td.field-served_by'),"
        " '::before').content"
    )
    assert named == '"Zoom meetings made by"'
    assert (
        page.locator("#result_list td.field-served_by").first.evaluate(
            "td => getComputedStyle(td).display"
        )
        == "block"
    )
    assert horizontal_overflow(page) <= 0
    # Saved at 1280 px (with the sidebar and the filters open) and at 360 px.
    screenshot(page, "admin-roster")

    rows.first.locator("th a").click()
    page.wait_for_url("**/change/")
    assert page.get_by_text("Zoom error 4738").first.is_visible()
    screenshot(page, "admin-roster-rep")
