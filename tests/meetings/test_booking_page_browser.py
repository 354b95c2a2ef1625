"""The booking page in headless Chromium: the month calendar is one Tab stop operated as a
WAI-ARIA grid, picking a day or a month updates the page in place, and a time zone applies as soon
as it is chosen (Enter in the search picks the first match), and switching language keeps what was
picked and is stored on the booking. axe and the 360 px check run in `screenshot`."""

import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from meetings import selectors
from meetings.models import Booking
from meetings.questions import Question
from tests.meetings.factories import MeetingTypeFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def meeting_type(db):
    return MeetingTypeFactory(name="Discovery call", slug="discovery", horizon_days=60)


def book_url(live_server, meeting_type, query="tz=UTC") -> str:
    return f"{live_server.url}/book/{meeting_type.rep.booking_slug}/{meeting_type.slug}/?{query}"


def focused_date(page) -> str | None:
    return page.evaluate("() => document.activeElement.getAttribute('data-date')")


def first_free_day(meeting_type, zone="UTC"):
    now = timezone.now()
    slots = selectors.available_slots(meeting_type, now, now + timedelta(days=40))
    return slots[0].start.astimezone(ZoneInfo(zone)).date()


def test_the_month_is_one_tab_stop_walked_with_arrow_keys_and_picks_days_in_place(
    live_server, page, meeting_type, screenshot
):
    page.goto(book_url(live_server, meeting_type))
    grid = page.get_by_role("grid")
    grid.wait_for()
    screenshot(page, "01-month-calendar")
    picked = first_free_day(meeting_type)
    assert page.locator("td[aria-selected=true]").get_attribute("data-date") == picked.isoformat()

    # One Tab stop: the picked day. The other days are reached with the arrow keys.
    assert page.locator("td[tabindex='0']").count() == 1
    page.locator("td[tabindex='0']").focus()
    page.keyboard.press("ArrowRight")
    assert focused_date(page) == (picked + timedelta(days=1)).isoformat()
    page.keyboard.press("ArrowDown")
    assert focused_date(page) == (picked + timedelta(days=8)).isoformat()
    page.keyboard.press("Home")
    home = focused_date(page)
    page.keyboard.press("End")
    end = focused_date(page)
    assert home < end
    assert (date.fromisoformat(end) - date.fromisoformat(home)).days == 6

    # Enter picks the focused day: its times replace the others, focus stays on the day.
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("day=" + end))
    page.locator(f"td[data-date='{end}'][aria-selected=true]").wait_for()
    assert focused_date(page) == end
    heading = page.locator("#slot-day-title").inner_text()
    assert str(int(end[-2:])) in heading
    times = page.locator(".slot-list a")
    assert times.count() == len(
        [
            s
            for s in selectors.available_slots(
                meeting_type, timezone.now(), timezone.now() + timedelta(days=40)
            )
            if s.start.date().isoformat() == end
        ]
    )
    # The next Tab leaves the month for the first time of that day.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('.slot-list') !== null")

    # Page Down shows the next month with focus on the same date there.
    page.locator(f"td[data-date='{end}']").focus()
    title = page.locator("#slot-month-title").inner_text()
    page.keyboard.press("PageDown")
    page.wait_for_function(
        "title => document.getElementById('slot-month-title').textContent !== title", arg=title
    )
    assert focused_date(page)[:7] > end[:7]
    page.keyboard.press("PageUp")
    page.wait_for_function(
        "title => document.getElementById('slot-month-title').textContent === title", arg=title
    )
    assert focused_date(page) == end
    screenshot(page, "02-month-calendar-day-picked")


def test_a_time_zone_applies_at_once_and_enter_picks_the_first_match(
    live_server, page, meeting_type, screenshot
):
    page.goto(book_url(live_server, meeting_type))
    page.get_by_text("Times in UTC time").wait_for()
    assert not page.get_by_role("button", name="Show times in this zone").is_visible()

    search = page.get_by_role("searchbox", name="Search time zones")
    search.fill("tokyo")
    page.get_by_text("Enter picks Tokyo").wait_for()
    search.press("Enter")
    page.get_by_text("Times in Tokyo time").wait_for()
    page.wait_for_url(re.compile("tz=Asia%2FTokyo"))
    # One zone on the page: the picker and the times agree, and focus stayed in the search.
    assert page.get_by_label("Your time zone").input_value() == "Asia/Tokyo"
    assert "UTC time" not in page.locator("main").inner_text()
    assert page.evaluate("() => document.activeElement.type") == "search"
    assert "day=" not in page.url  # no day was picked: Tokyo's first free day is shown
    assert page.locator("td[aria-selected=true]").get_attribute("data-date") == (
        first_free_day(meeting_type, "Asia/Tokyo").isoformat()
    )
    first_time = page.locator(".slot-list a").first
    assert "tz=Asia/Tokyo" in first_time.get_attribute("href")

    # Choosing in the list applies too, with focus kept in the list (arrow keys are safe).
    select = page.get_by_label("Your time zone")
    select.select_option("Europe/Paris")
    page.get_by_text("Times in Paris time").wait_for()
    page.wait_for_url(re.compile("tz=Europe%2FParis"))
    screenshot(page, "03-zone-applied")


def test_switching_language_keeps_the_zone_day_and_details_and_the_booking_keeps_it(
    live_server, page, meeting_type, screenshot
):
    page.goto(book_url(live_server, meeting_type))
    search = page.get_by_role("searchbox", name="Search time zones")
    search.fill("tokyo")
    search.press("Enter")
    page.wait_for_url(re.compile("tz=Asia%2FTokyo"))
    page.locator("td[tabindex='0']").focus()
    page.keyboard.press("ArrowRight")
    day = focused_date(page)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("day=" + day))

    # The switch sends the prospect back to the page as it is now, not as it first loaded.
    with page.expect_navigation():
        page.get_by_role("button", name="Deutsch").click()
    assert page.locator("html").get_attribute("lang") == "de"
    assert "tz=Asia%2FTokyo" in page.url and f"day={day}" in page.url
    assert page.locator("td[aria-selected=true]").get_attribute("data-date") == day
    assert page.locator("select[name=tz]").input_value() == "Asia/Tokyo"
    assert page.get_by_role("button", name="Deutsch").get_attribute("aria-current") == "true"
    screenshot(page, "04-in-german")

    page.locator(".slot-list a").first.click()
    page.locator("input[name=name]").fill("Ada Lovelace")
    page.locator("input[name=email]").fill("ada@example.org")
    # Switching on the details form keeps what was typed.
    with page.expect_navigation():
        page.get_by_role("button", name="Français").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("input[name=name]").input_value() == "Ada Lovelace"
    assert page.locator("input[name=email]").input_value() == "ada@example.org"
    assert not Booking.objects.exists()
    # Enter in a field still books (the language buttons are not the form's default button).
    page.locator("input[name=email]").press("Enter")
    page.wait_for_url(re.compile("/bookings/guest/"))
    assert page.locator("html").get_attribute("lang") == "fr"
    booking = Booking.objects.get()
    assert booking.language == "fr" and booking.guest_time_zone == "Asia/Tokyo"


def test_the_details_forms_error_summary_takes_focus_and_leads_to_each_field(
    live_server, page, meeting_type, screenshot
):
    Question.objects.create(meeting_type=meeting_type, label="What brings you here?", required=True)
    Question.objects.create(
        meeting_type=meeting_type,
        label="Team size",
        kind=Question.Kind.CHOICE,
        choices="1–10\n11–50",
        required=True,
        position=1,
    )
    page.goto(book_url(live_server, meeting_type))
    page.locator(".slot-list a").first.click()
    page.locator("input[name=name]").fill("Ada Lovelace")
    page.get_by_role("button", name="Book it").click()
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    links = summary.get_by_role("link")
    assert links.count() == 3  # email, the text question, the choice, in the form's order
    screenshot(page, "05-details-errors")

    # Each link puts focus in its field (the choice: its first option), ready to type.
    links.nth(0).click()
    assert page.evaluate("document.activeElement.name") == "email"
    links.nth(2).click()
    assert page.evaluate("document.activeElement.type") == "radio"
    assert page.evaluate("document.activeElement.value") == "1–10"
    links.nth(1).click()
    page.keyboard.type("Pricing")
    assert page.evaluate("document.activeElement.value") == "Pricing"
    assert (
        page.evaluate("document.activeElement.labels[0].textContent")
        .strip()
        .startswith("What brings you here?")
    )
    assert page.locator("input[name=name]").input_value() == "Ada Lovelace"
    assert not Booking.objects.exists()
