"""The prospect's own pages in headless Chromium, at desktop and phone widths (axe and the 360 px
overflow check run in `screenshot`): the time zone they pick follows them through reschedule and
cancel, and an open page shows a parked booking's Zoom link when it arrives, in place."""

import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from meetings import guest_access
from meetings.models import Booking
from meetings.zoom import links as zoom_links
from meetings.zoom.state import LinkState
from tests.fixtures.celery_worker import wait_until
from tests.meetings.factories import BookingFactory, MeetingTypeFactory

pytestmark = pytest.mark.browser

TOKYO = "Asia/Tokyo"
LOS_ANGELES = "America/Los_Angeles"


def when(moment, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%A %-d %B %Y, %H:%M")


def pick_zone(page, search: str, zone: str) -> None:
    """Narrows the picker by typing and takes the first match with Enter: it applies at once,
    in place."""
    search_box = page.get_by_role("searchbox", name="Search time zones")
    search_box.fill(search)
    search_box.press("Enter")
    page.wait_for_url(re.compile("tz=" + re.escape(zone.replace("/", "%2F"))))
    assert page.get_by_label("Your time zone").input_value() == zone


def pick_the_next_free_day(page) -> None:
    """Picks the free day after the one the page opened on. That one may be today with a single
    time left, close to the notice (how many depends on the hour the test runs at); the next free
    day starts after midnight, wholly ahead."""
    if page.locator("td[data-free]").count() < 2:  # the first free day ends the month
        title = page.locator("#slot-month-title").inner_text()
        page.locator(".slot-month__nav a[data-month-step='1']").click()
        page.wait_for_function(
            "title => document.getElementById('slot-month-title').textContent !== title", arg=title
        )
        day = page.locator("td[data-free]").first.get_attribute("data-date")
    else:
        day = page.locator("td[data-free]").nth(1).get_attribute("data-date")
    page.locator(f"td[data-date='{day}'] a").click()
    # The calendar and the day's times are swapped in together (static/js/page_regions.js).
    page.locator(f"td[data-date='{day}'][aria-selected=true]").wait_for()


def next_check_handled(page) -> None:
    """`next_check`, then waits until the page has handled the server's answer: handling ends by
    setting the timer of the check after (meetings/static/meetings/link_status.js), counted here."""
    page.evaluate(
        """() => {
            window.checksHandled = 0;
            const setTimer = window.setTimeout;
            window.setTimeout = function () {
                window.checksHandled += 1;
                return setTimer.apply(this, arguments);
            };
        }"""
    )
    next_check(page)
    wait_until(lambda: page.evaluate("window.checksHandled") > 0, timeout=10, message="the check")


def next_check(page) -> None:
    """Moves the page's clock past a parked page's 30 s pause until it asks the server again
    (a try may land before the page has set its next timer)."""
    for _ in range(10):
        try:
            with page.expect_response(lambda r: r.url.endswith("/link/"), timeout=1_000):
                page.clock.run_for(31_000)
        except PlaywrightTimeoutError:
            continue
        return
    pytest.fail("the open page stopped checking for its link")


def test_the_guests_zone_follows_them_through_reschedule_and_cancel(live_server, page, screenshot):
    meeting_type = MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0100")
    booking = BookingFactory(meeting_type=meeting_type, guest_time_zone="Europe/Berlin")
    page.goto(live_server.url + guest_access.manage_path(booking))
    facts = page.locator("dl.facts").first
    assert when(booking.start_at, "Europe/Berlin") in facts.inner_text()

    # Moving through the list with the keyboard applies the zone in place: focus stays in the
    # list, so the next arrow key goes on from there.
    select = page.get_by_label("Your time zone")
    select.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_url(re.compile("tz="))
    assert page.evaluate("() => document.activeElement.tagName") == "SELECT"
    pick_zone(page, "tokyo", TOKYO)
    facts = page.locator("dl.facts").first
    assert f"{when(booking.start_at, TOKYO)}" in facts.inner_text()
    assert "(Tokyo time)" in facts.inner_text()
    screenshot(page, "01-guest-page-in-tokyo")

    page.get_by_role("link", name="Reschedule").click()
    page.get_by_text("Times in Tokyo time").wait_for()
    assert when(booking.start_at, TOKYO) in page.locator(".lead").inner_text()
    screenshot(page, "02-reschedule-week-in-tokyo")
    pick_the_next_free_day(page)
    first = page.locator(".slot-list button").first
    new_start_text = first.inner_text()
    first.click()
    page.get_by_role("heading", name="Move your meeting").wait_for()
    change = page.locator("dl.change").inner_text()
    assert when(booking.start_at, TOKYO) in change and new_start_text in change
    screenshot(page, "03-reschedule-confirm-in-tokyo")

    # On the old → new step the zone can change too; the picked time stays picked.
    pick_zone(page, "los angeles", LOS_ANGELES)
    page.get_by_role("heading", name="Move your meeting").wait_for()
    assert when(booking.start_at, LOS_ANGELES) in page.locator("dl.change").inner_text()
    assert Booking.objects.get(pk=booking.pk).start_at == booking.start_at
    screenshot(page, "04-reschedule-confirm-in-los-angeles")
    page.get_by_role("button", name="Move the meeting").click()
    page.get_by_text("Your meeting is moved").wait_for()
    moved = Booking.objects.get(pk=booking.pk)
    assert moved.start_at != booking.start_at
    assert when(moved.start_at, LOS_ANGELES) in page.locator("dl.facts").first.inner_text()
    assert new_start_text == moved.start_at.astimezone(ZoneInfo(TOKYO)).strftime("%H:%M")

    page.get_by_role("link", name="Cancel the meeting…").click()
    assert "Zoom meeting is deleted" not in page.content()  # a phone call has none
    assert (
        f"{when(moved.start_at, LOS_ANGELES)} (Los Angeles time)"
        in page.locator("dl.facts").inner_text()
    )
    assert page.get_by_label("Your time zone").count() == 0  # no picker on the cancel step
    screenshot(page, "05-cancel-in-los-angeles")
    page.get_by_role("button", name="Cancel the meeting").click()
    page.get_by_text("This meeting is cancelled").wait_for()
    assert page.url.endswith("?tz=America/Los_Angeles")
    assert page.get_by_label("Your time zone").count() == 0  # nor on the cancelled page
    assert Booking.objects.get(pk=booking.pk).is_cancelled


def test_an_open_guest_page_shows_a_parked_bookings_link_when_it_arrives_in_place(
    live_server, page, screenshot, connect_zoom
):
    booking = BookingFactory(guest_time_zone="Europe/Berlin")
    zoom_links.sync_zoom_meeting(booking.pk)  # the rep has no Zoom connection: it waits
    booking.refresh_from_db()
    assert booking.link_state == LinkState.WAITING_FOR_RECONNECT

    # The page's clock is ours to move: a parked page checks every 30 s, the test need not wait.
    page.clock.install()
    page.goto(live_server.url + guest_access.manage_path(booking))
    panel = page.locator("#meeting-link")
    assert panel.get_attribute("aria-live") == "polite"
    assert panel.get_attribute("data-parked") is not None
    assert "Your Zoom link is delayed" in panel.inner_text()
    assert page.get_by_text("the event has no Zoom link yet").is_visible()
    screenshot(page, "01-parked")
    page.evaluate("window.panelBefore = document.getElementById('meeting-link')")

    # A check while still parked changes nothing visible, once the page has handled its answer.
    next_check_handled(page)
    assert "Your Zoom link is delayed" in panel.inner_text()

    # The rep reconnects: the parked booking gets its Zoom meeting at once.
    connect_zoom(booking.rep)
    booking.refresh_from_db()
    assert booking.link_state == LinkState.READY

    next_check(page)
    join = page.get_by_role("link", name="Join the Zoom meeting")
    join.wait_for()
    assert join.get_attribute("href") == booking.zoom_join_url
    assert str(booking.zoom_meeting_id) in panel.inner_text()
    # Updated in place: the same live region node, now settled, so screen readers announce it.
    assert page.evaluate(
        "window.panelBefore === document.getElementById('meeting-link')"
        " && window.panelBefore.isConnected"
    )
    assert panel.get_attribute("aria-live") == "polite"
    assert panel.get_attribute("data-settled") == "true"
    assert panel.get_attribute("data-parked") is None
    # The calendar card no longer says the link is missing.
    assert not page.get_by_text("the event has no Zoom link yet").is_visible()
    screenshot(page, "02-link-arrived")
