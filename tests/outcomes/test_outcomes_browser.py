"""The outcome on the rep's pages in headless Chromium (axe and overflow checks run in
`screenshot`): Zoom's events decide it, the past bookings show it, the rep corrects it on the
booking's page; a guest waiting without the rep shows on the dashboard."""

from datetime import timedelta

import pytest
from django.utils import timezone

from outcomes.models import MeetingOutcome
from outcomes.rules import Outcome
from tests.conftest import PASSWORD
from tests.fixtures.celery_worker import wait_until

from .conftest import meeting_is_now, meeting_is_over, wait_for_outcome

pytestmark = [pytest.mark.browser, pytest.mark.celery_worker, pytest.mark.postgres]


def test_the_rep_sees_zooms_outcome_on_past_bookings_and_corrects_it(
    live_server, page, login, screenshot, live_sandbox, zoom_booking, worker_mail
):
    booking = zoom_booking()
    live_sandbox.start_meeting(booking.zoom_meeting_id)
    live_sandbox.end_meeting(booking.zoom_meeting_id)
    wait_for_outcome(booking, Outcome.GUEST_NO_SHOW)
    meeting_is_over(booking)

    login(page, booking.rep, PASSWORD)
    page.goto(f"{live_server.url}/bookings/past/")
    row = page.get_by_role("row").filter(has_text=booking.guest_name)
    assert row.locator("[data-outcome]").inner_text() == "Guest didn't show"
    screenshot(page, "01-past-bookings")

    row.get_by_role("link", name="Details").click()
    outcome = page.locator("#outcome")
    assert "Guest didn't show" in outcome.inner_text()
    assert "You joined" in outcome.inner_text()
    screenshot(page, "02-booking-outcome")
    outcome.get_by_label("What happened?").select_option("held")
    outcome.get_by_role("button", name="Mark").click()
    page.get_by_text("Marked: Held.").wait_for()
    screenshot(page, "03-marked")

    page.goto(f"{live_server.url}/bookings/past/")
    row = page.get_by_role("row").filter(has_text=booking.guest_name)
    assert row.locator("[data-outcome]").inner_text() == "Held"
    assert "marked by you" in row.inner_text()


def test_the_dashboard_shows_a_guest_waiting_for_the_rep(
    live_server, page, login, screenshot, live_sandbox, zoom_booking, worker_mail
):
    booking = zoom_booking(host_absent_alert_minutes=1)
    meeting_is_now(booking)
    live_sandbox.join_meeting(booking.zoom_meeting_id, "Pat Prospect")
    record = MeetingOutcome.objects.filter(booking=booking)
    wait_until(
        lambda: record.filter(guest_waiting_since__isnull=False).exists(),
        message="the guest waiting",
    )
    record.update(guest_waiting_since=timezone.now() - timedelta(minutes=2))
    login(page, booking.rep, PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    banner = page.locator("[data-guest-waiting]")
    assert f"{booking.guest_name} is waiting for you in Zoom" in banner.inner_text()
    assert banner.get_by_role("button", name="Start the meeting").is_visible()
    screenshot(page, "04-guest-waiting")
