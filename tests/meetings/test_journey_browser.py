"""The whole journey in headless Chromium: the rep connects Zoom and creates a Zoom Meeting Type,
a prospect books it and sees the join link appear, then reschedules and cancels — with a real
Celery worker filling in the links against the Zoom sandbox. Screenshots of every page go to
var/screenshots/.

Mail leaves from the worker process, so it is read from the file-based backend's folder (see
tests/meetings/worker_settings.py), not from the locmem outbox.
"""

import re
from datetime import UTC, datetime

import pytest

from meetings.models import Booking
from meetings.zoom.state import LinkState
from tests.conftest import PASSWORD
from tests.fixtures.celery_worker import wait_until
from tests.meetings.mail_files import calendar_mail, invite_of

pytestmark = [pytest.mark.browser, pytest.mark.celery_worker, pytest.mark.postgres]

ZOOM_EMAIL = "journey.rep@example.com"


def zoom_start(meeting: dict) -> datetime:
    return datetime.fromisoformat(meeting["start_time"].replace("Z", "+00:00")).astimezone(UTC)


def the_booking() -> Booking:
    return Booking.objects.get()


def test_rep_connects_zoom_creates_a_type_and_a_prospect_books_moves_and_cancels(
    live_sandbox, live_server, celery_workers, chromium, page, login, screenshot, rep, tmp_path
):
    celery_workers(
        DJANGO_SETTINGS_MODULE="tests.meetings.worker_settings",
        MEETINGS_TEST_MAIL_DIR=tmp_path,
    )
    live_sandbox.create_user(ZOOM_EMAIL, timezone="America/Chicago")

    # The rep connects Zoom through the real consent screens.
    login(page, rep, PASSWORD)
    screenshot(page, "01-dashboard")
    page.goto(f"{live_server.url}/integrations/")
    page.get_by_role("button", name="Connect Zoom").first.click()
    page.wait_for_url(re.compile(r"localhost"))
    if page.get_by_role("button", name="Sign in", exact=True).count():
        page.get_by_label("Existing sandbox user").select_option(ZOOM_EMAIL)
        page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("button", name="Allow").wait_for()
    screenshot(page, "02-zoom-consent")
    page.get_by_role("button", name="Allow").click()
    page.wait_for_url(f"{live_server.url}/**")
    screenshot(page, "03-integrations-connected")
    rep.refresh_from_db()
    assert rep.zoom_connection.is_usable

    # Working hours every day, so the test runs any day of the week.
    page.goto(f"{live_server.url}/availability/")
    page.get_by_role("link", name="Edit Working hours").click()
    for day in ("Saturday", "Sunday"):
        group = page.get_by_role("group", name=day)
        group.get_by_role("button", name=f"Add hours on {day}").click()
        added = group.locator("[data-formset-row]:visible").first
        added.get_by_label("From").fill("09:00")
        added.get_by_label("To").fill("17:00")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/availability/")

    # A Zoom Meeting Type with those hours.
    page.goto(f"{live_server.url}/meeting-types/new/")
    page.get_by_label("Name").fill("Discovery call")
    page.get_by_label("Slug").fill("discovery")
    page.get_by_label("Duration (minutes)").fill("30")
    page.get_by_label("Zoom", exact=True).check()
    page.get_by_label("Waiting room").check()
    screenshot(page, "04-new-meeting-type")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/meeting-types/")
    screenshot(page, "05-meeting-types")

    # The prospect, in their own browser and time zone, books the first free slot.
    prospect_context = chromium.new_context(
        timezone_id="Europe/London", viewport={"width": 1200, "height": 900}
    )
    prospect = prospect_context.new_page()
    prospect.set_default_timeout(20_000)
    prospect.goto(f"{live_server.url}/book/{rep.booking_slug}/discovery/")
    prospect.wait_for_url(re.compile(r"tz=Europe%2FLondon"))  # detected by time_zone.js
    screenshot(prospect, "06-booking-page")
    prospect.locator(".slot-list a").first.click()
    prospect.get_by_label("Your name").fill("Ada Lovelace")
    prospect.get_by_label("Your email").fill("ada@example.org")
    screenshot(prospect, "07-booking-details")
    prospect.get_by_role("button", name="Book it").click()
    prospect.get_by_text("You're booked").wait_for()
    screenshot(prospect, "08-confirmation-preparing")

    # The confirmation page updates itself with the join link.
    join = prospect.get_by_role("link", name="Join the Zoom meeting")
    join.wait_for(timeout=30_000)
    screenshot(prospect, "09-confirmation-with-link")
    booking = the_booking()
    assert booking.link_state == LinkState.READY
    assert join.get_attribute("href") == booking.zoom_join_url
    assert booking.guest_time_zone == "Europe/London"

    (meeting,) = live_sandbox.meetings(host_email=ZOOM_EMAIL)
    assert zoom_start(meeting) == booking.start_at
    assert meeting["duration"] == 30
    assert meeting["timezone"] == "America/Chicago"
    assert meeting["settings"]["waiting_room"] is True
    assert meeting["password"] == booking.zoom_passcode

    wait_until(lambda: len(calendar_mail(tmp_path)) == 2, message="the invites")
    for message in calendar_mail(tmp_path):
        method, event = invite_of(message)
        assert method == "REQUEST" and str(event["LOCATION"]) == booking.zoom_join_url

    # The prospect reschedules: Zoom's meeting moves with the booking.
    prospect.get_by_role("link", name="Reschedule").click()
    screenshot(prospect, "10-reschedule")
    # A later day: late in the rep's day, the booked day has fewer than four times left.
    later = prospect.locator("td[data-free]:not([aria-selected])").first
    later_date = later.get_attribute("data-date")
    later.locator("[data-day-link]").click()
    prospect.locator(f"td[data-date='{later_date}'][aria-selected='true']").wait_for()
    prospect.locator(".slot-list button").nth(3).click()
    prospect.get_by_role("heading", name="Move your meeting").wait_for()
    screenshot(prospect, "10b-reschedule-confirm")
    assert the_booking().start_at == booking.start_at  # nothing moves before confirming
    prospect.get_by_role("button", name="Move the meeting").click()
    prospect.get_by_text("Your meeting is moved").wait_for()
    moved = the_booking()
    assert moved.start_at != booking.start_at
    wait_until(
        lambda: zoom_start(live_sandbox.meetings(host_email=ZOOM_EMAIL)[0]) == moved.start_at,
        message="Zoom to move the meeting",
    )
    wait_until(lambda: the_booking().link_state == LinkState.READY, message="the link again")
    prospect.get_by_role("link", name="Join the Zoom meeting").wait_for(timeout=30_000)
    screenshot(prospect, "11-rescheduled")
    assert [m["id"] for m in live_sandbox.meetings(host_email=ZOOM_EMAIL)] == [meeting["id"]]

    # The rep sees it in their list.
    page.goto(f"{live_server.url}/bookings/")
    page.get_by_role("cell", name="Ada Lovelace ada@example.org").wait_for()
    screenshot(page, "12-rep-bookings")

    # The prospect cancels: the meeting disappears from Zoom, everyone gets a cancellation.
    prospect.get_by_role("link", name="Cancel the meeting…").click()
    prospect.get_by_label("Reason (optional)").fill("We went with another vendor.")
    screenshot(prospect, "12b-cancel-confirm")
    prospect.get_by_role("button", name="Cancel the meeting").click()
    prospect.get_by_text("This meeting is cancelled").wait_for()
    screenshot(prospect, "13-cancelled")
    wait_until(lambda: live_sandbox.meetings(host_email=ZOOM_EMAIL) == [], message="deletion")
    wait_until(lambda: the_booking().link_state == LinkState.REMOVED, message="removed state")
    wait_until(
        lambda: sorted(invite_of(m)[0] for m in calendar_mail(tmp_path)).count("CANCEL") == 2,
        message="the cancellations",
    )
    page.goto(f"{live_server.url}/bookings/{the_booking().pk}/")
    screenshot(page, "14-rep-booking-cancelled")
    prospect_context.close()
