"""A prospect books a team's Meeting Type on a phone, in headless Chromium with touch: the same
month calendar as a rep's page, a day and a time tapped, the details typed, and the guest page
names the assigned host and shows the Zoom link a real worker made in that host's Zoom. The first
member in line, whose Zoom needs a reconnect, is passed over with the reason. axe and the 360 px
check run in `screenshot`."""

import re
from zoneinfo import ZoneInfo

import pytest

from integrations.zoom.connection.models import ZoomConnection
from meetings.models import Booking, LinkState
from teams.models import AssignmentSkip, Priority, SkipReason
from tests.factories import RepFactory
from tests.integrations import steps
from tests.teams.factories import team_type

pytestmark = [pytest.mark.browser, pytest.mark.celery_worker, pytest.mark.postgres]

# A phone as Playwright's device list describes one (touch, a mobile viewport and user agent).
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0 Mobile Safari/537.36"
    ),
    "timezone_id": "Europe/London",
}


def test_a_prospect_books_a_team_type_on_a_phone_and_gets_the_hosts_zoom_link(
    live_sandbox, live_server, celery_workers, chromium, screenshot, tmp_path
):
    celery_workers(
        DJANGO_SETTINGS_MODULE="tests.meetings.worker_settings", MEETINGS_TEST_MAIL_DIR=tmp_path
    )
    broken = RepFactory(first_name="Bo", last_name="Broken")
    host = RepFactory(first_name="Hana", last_name="Host")
    steps.connect_rep(live_sandbox, "bo.zoom@example.com", rep=broken)
    steps.connect_rep(live_sandbox, "hana.zoom@example.com", rep=host)
    ZoomConnection.objects.filter(user=broken).update(status=ZoomConnection.Status.NEEDS_RECONNECT)
    meeting_type = team_type(
        reps=[(broken, Priority.HIGHEST, 100), (host, Priority.LOW, 100)],
        name="Product demo",
        horizon_days=30,
    )

    context = chromium.new_context(**PHONE)
    context.set_default_timeout(20_000)
    phone = context.new_page()
    try:
        phone.goto(f"{live_server.url}/team/{meeting_type.team.slug}/{meeting_type.slug}/")
        phone.wait_for_url(re.compile(r"tz=Europe%2FLondon"))  # the phone's own zone, detected
        phone.get_by_role("heading", name=f"Product demo with {meeting_type.team.name}").wait_for()
        screenshot(phone, "01-team-booking-page")

        # A marked day other than the one picked for us, by touch: its times replace the others.
        days = phone.locator("td[data-free] a[data-day-link]")
        days.nth(1 if days.count() > 1 else 0).tap()
        phone.wait_for_url(re.compile(r"day=\d{4}-\d{2}-\d{2}"))
        day = re.search(r"day=(\d{4}-\d{2}-\d{2})", phone.url)[1]
        phone.locator(f"td[data-date='{day}'][aria-selected=true]").wait_for()
        screenshot(phone, "02-day-tapped")
        first_time = phone.locator(".slot-list a").first
        picked = first_time.inner_text()
        first_time.tap()

        phone.get_by_label("Your name").fill("Ada Lovelace")
        phone.get_by_label("Your email").fill("ada@example.org")
        screenshot(phone, "03-details")
        phone.get_by_role("button", name="Book it").tap()
        phone.get_by_text("You're booked").wait_for()
        assert "Hana Host" in phone.locator("h1").inner_text()
        screenshot(phone, "04-booked-preparing")

        join = phone.get_by_role("link", name="Join the Zoom meeting")
        join.wait_for(timeout=30_000)
        join_url = join.get_attribute("href")
        screenshot(phone, "05-booked-with-link")
    finally:
        context.close()

    booking = Booking.objects.get()
    assert booking.rep == host and booking.link_state == LinkState.READY
    london = booking.start_at.astimezone(ZoneInfo("Europe/London"))
    assert (london.date().isoformat(), london.strftime("%H:%M")) == (day, picked)
    assert booking.guest_time_zone == "Europe/London"
    [meeting] = live_sandbox.meetings(host_email="hana.zoom@example.com")
    assert str(meeting["id"]) == booking.zoom_meeting_id
    assert join_url == booking.zoom_join_url
    assert live_sandbox.meetings(host_email="bo.zoom@example.com") == []
    skip = AssignmentSkip.objects.get()
    assert (skip.rep, skip.reason, skip.booking) == (broken, SkipReason.ZOOM_BROKEN, booking)
