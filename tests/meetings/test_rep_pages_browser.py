"""A rep's own pages in headless Chromium, at desktop and phone widths (axe and overflow checks
run in `screenshot`): Meeting Types with the slug filled from the name and a copy button, the
bookings lists, and cancelling with a confirmation step."""

import pytest

from meetings.meeting_types import MeetingType
from meetings.models import Booking
from meetings.zoom.state import LinkState
from tests.conftest import PASSWORD
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot

pytestmark = pytest.mark.browser


def test_a_rep_creates_a_type_copies_its_link_and_cancels_a_booking_after_confirming(
    live_server, page, login, screenshot, rep
):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    login(page, rep, PASSWORD)
    screenshot(page, "01-dashboard")

    page.goto(f"{live_server.url}/meeting-types/new/")
    page.get_by_label("Name").fill("Pricing walk-through")
    assert page.get_by_label("Slug").input_value() == "pricing-walk-through"
    page.get_by_label("Duration (minutes)").fill("30")
    page.get_by_label("Phone call").check()
    page.get_by_label("Location detail").fill("+1 415 555 0100")
    assert page.get_by_label("Availability").input_value() == str(rep.schedules.get().pk)
    # A question of its own on the booking form: a list, whose choices show only for lists.
    page.get_by_role("button", name="Add a question").click()
    question = page.locator("#questions [data-formset-row]:visible").last
    question.get_by_label("Question", exact=True).fill("Team size")
    assert not question.get_by_label("Choices, one per line").is_visible()
    question.get_by_label("Answer", exact=True).select_option("choice")
    question.get_by_label("Choices, one per line").fill("1–10\n11–50\nMore")
    screenshot(page, "02-new-meeting-type")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/meeting-types/")
    meeting_type = MeetingType.objects.get(rep=rep)
    assert meeting_type.slug == "pricing-walk-through"
    assert [(q.label, q.choice_list) for q in meeting_type.questions.all()] == [
        ("Team size", ["1–10", "11–50", "More"])
    ]

    page.get_by_role("button", name="Copy the booking link of Pricing walk-through").click()
    page.get_by_text("Copied.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{live_server.url}/book/{rep.booking_slug}/pricing-walk-through/"
    screenshot(page, "03-meeting-types")

    booking = BookingFactory(
        meeting_type=MeetingTypeFactory(rep=rep, name="Discovery"),
        guest_name="Grace Hopper",
        link_state=LinkState.READY,
        zoom_meeting_id="81234567890",
        zoom_join_url="https://zoom.example/j/81234567890?pwd=averyveryverylongpasscodetoken1234567",
        zoom_passcode="123456",
    )
    BookingFactory(meeting_type=booking.meeting_type, start_at=next_slot(days=4))
    page.goto(f"{live_server.url}/bookings/")
    screenshot(page, "04-bookings")
    page.get_by_role("link", name="Details").first.click()
    screenshot(page, "05-booking-detail")
    page.get_by_role("link", name="Cancel this meeting…").click()
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED
    page.get_by_label("Reason (optional)").fill("Double-booked on my side, sorry.")
    screenshot(page, "06-cancel-confirm")
    page.get_by_role("button", name="Cancel the meeting").click()
    page.get_by_text("The meeting is cancelled").wait_for()
    booking.refresh_from_db()
    assert booking.is_cancelled and booking.cancel_reason == "Double-booked on my side, sorry."

    page.goto(f"{live_server.url}/bookings/past/")
    page.get_by_text("Grace Hopper").wait_for()
    screenshot(page, "07-past-bookings")
    page.goto(f"{live_server.url}/integrations/")
    screenshot(page, "08-my-integrations")


def test_a_rep_adds_and_removes_date_overrides_with_date_pickers(
    live_server, page, login, screenshot, rep
):
    schedule = MeetingTypeFactory(rep=rep, name="Demo", slug="demo").schedule
    login(page, rep, PASSWORD)
    page.goto(f"{live_server.url}/availability/{schedule.pk}/edit/")
    rows = page.locator("[data-override-row]:visible")
    assert rows.count() == 1  # one blank row to start with

    # A day off: only the date; the times stay out of the way.
    first = rows.nth(0)
    assert first.get_by_label("Date", exact=True).get_attribute("type") == "date"
    first.get_by_label("Date", exact=True).fill("2030-12-25")
    assert first.get_by_label("Unavailable all day").is_checked()
    assert not first.get_by_label("From", exact=True).is_visible()

    # Other hours on another date, in a row the button adds (focus goes to its date).
    page.get_by_role("button", name="Add a date").click()
    second = rows.nth(1)
    assert page.evaluate("document.activeElement.name") == "overrides-1-date"
    second.get_by_label("Date", exact=True).fill("2030-12-27")
    second.get_by_label("Available these hours").check()
    second.get_by_label("From", exact=True).fill("14:00")
    second.get_by_label("To", exact=True).fill("10:00")

    # A row added by mistake and removed again sends nothing.
    page.get_by_role("button", name="Add a date").click()
    rows.nth(2).get_by_label("Date", exact=True).fill("2031-01-01")
    rows.nth(2).get_by_role("button", name="Remove this date").click()
    assert rows.count() == 2
    page.get_by_role("button", name="Save").click()

    # The summary takes focus and links to the mistake's input; the input points at the message.
    page.get_by_text("Nothing was saved").wait_for()
    summary = page.locator("[data-error-summary]")
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    summary.get_by_role("link", name="To: The end must come after the start.").click()
    assert page.evaluate("document.activeElement.name") == "overrides-1-end"
    end = page.locator("[data-override-row]:visible").nth(1).get_by_label("To", exact=True)
    described_by = end.get_attribute("aria-describedby")
    assert end.get_attribute("aria-invalid") == "true"
    assert page.locator(f"#{described_by}").inner_text() == "The end must come after the start."
    screenshot(page, "01-override-error")
    end.fill("16:00")
    screenshot(page, "02-overrides")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/availability/")
    assert [str(o) for o in schedule.overrides.all()] == [
        "2030-12-25: off",
        "2030-12-27: 14:00–16:00",
    ]

    # Editing again shows the saved rows; removing one drops it.
    page.goto(f"{live_server.url}/availability/{schedule.pk}/edit/")
    assert rows.count() == 3  # the two saved rows and a blank one
    assert rows.nth(1).get_by_label("From", exact=True).input_value() == "14:00"
    rows.nth(0).get_by_role("button", name="Remove this date").click()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/availability/")
    assert [str(o) for o in schedule.overrides.all()] == ["2030-12-27: 14:00–16:00"]


def ranges(day):
    """The ranges of hours a weekday shows (hidden blank rows and removed ones left out)."""
    return day.locator("[data-formset-row]:visible")


def test_a_rep_types_weekly_hours_with_time_inputs_several_ranges_a_day(
    live_server, page, login, screenshot, rep
):
    login(page, rep, PASSWORD)
    page.goto(f"{live_server.url}/availability/")
    screenshot(page, "01-availability")
    page.get_by_role("link", name="Edit Working hours").click()
    monday = page.get_by_role("group", name="Monday")
    saturday = page.get_by_role("group", name="Saturday")
    # One range a day to start with; the blank rows for pages without scripts are hidden (by the
    # script that also shows the "Add hours" buttons).
    monday.get_by_role("button", name="Add hours on Monday").wait_for()
    assert ranges(monday).count() == 1
    assert saturday.get_by_text("Unavailable").is_visible()
    assert ranges(monday).first.get_by_label("From").get_attribute("type") == "time"

    # A lunch break on Monday: the first range ends at noon, a second one starts at one.
    ranges(monday).first.get_by_label("To").fill("12:00")
    monday.get_by_role("button", name="Add hours on Monday").click()
    second = ranges(monday).nth(1)
    assert page.evaluate("document.activeElement.type") == "time"  # focus is in the new row
    second.get_by_label("From").fill("13:00")
    second.get_by_label("To").fill("17:00")
    # Saturday morning, and Friday off.
    saturday.get_by_role("button", name="Add hours on Saturday").click()
    assert not saturday.get_by_text("Unavailable").is_visible()
    ranges(saturday).first.get_by_label("From").fill("10:00")
    ranges(saturday).first.get_by_label("To").fill("12:00")
    friday = page.get_by_role("group", name="Friday")
    ranges(friday).first.get_by_role("button", name="Remove these hours").click()
    assert friday.get_by_text("Unavailable").is_visible()
    screenshot(page, "02-hours-editor")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/availability/")
    schedule = rep.schedules.get()
    assert [str(w) for w in schedule.windows.all()] == [
        "Monday 09:00–12:00",
        "Monday 13:00–17:00",
        "Tuesday 09:00–17:00",
        "Wednesday 09:00–17:00",
        "Thursday 09:00–17:00",
        "Saturday 10:00–12:00",
    ]
    page.get_by_text("Tue–Thu 09:00–17:00").wait_for()

    # An overlap is refused: the summary takes focus and leads to the range at fault.
    page.get_by_role("link", name="Edit Working hours").click()
    tuesday = page.get_by_role("group", name="Tuesday")
    tuesday.get_by_role("button", name="Add hours on Tuesday").click()
    ranges(tuesday).nth(1).get_by_label("From").fill("16:00")
    ranges(tuesday).nth(1).get_by_label("To").fill("18:00")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Nothing was saved").wait_for()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    page.get_by_role("link", name="From: These hours overlap other hours on Tuesday.").click()
    assert page.evaluate("document.activeElement.value") == "16:00"
    screenshot(page, "03-hours-overlap")
