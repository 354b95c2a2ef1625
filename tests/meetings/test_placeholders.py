"""Invite templates: placeholders render their values, empty ones render nothing."""

from datetime import UTC, datetime

import pytest

from meetings import placeholders
from meetings.meeting_types import LocationKind
from meetings.zoom.state import LinkState
from tests.meetings.factories import BookingFactory, MeetingTypeFactory


def test_known_placeholders_are_replaced_with_spaces_inside_braces_or_not():
    text = placeholders.render(
        "{{guest.name}} / {{ zoom.join_url }}",
        {"guest.name": "Ada", "zoom.join_url": "https://zoom.example/j/1"},
    )
    assert text == "Ada / https://zoom.example/j/1"


@pytest.mark.parametrize("empty", ["", None])
def test_an_empty_value_renders_nothing_never_none(empty):
    text = placeholders.render("Passcode: {{ zoom.passcode }}.", {"zoom.passcode": empty})
    assert text == "Passcode: ."
    assert "None" not in text


def test_a_description_line_whose_placeholders_are_all_empty_is_left_out():
    template = (
        "Hello {{ guest.name }}\nPasscode: {{ zoom.passcode }}\nDial in: {{ zoom.dial_in }}\nBye"
    )
    text = placeholders.render(
        template,
        {"guest.name": "Ada", "zoom.passcode": "", "zoom.dial_in": None},
        drop_empty_lines=True,
    )
    assert text == "Hello Ada\nBye"


def test_a_line_with_one_filled_placeholder_stays():
    text = placeholders.render(
        "{{ zoom.meeting_id }} {{ zoom.passcode }}",
        {"zoom.meeting_id": "123", "zoom.passcode": ""},
        drop_empty_lines=True,
    )
    assert text == "123"


def test_unknown_placeholders_are_reported_once_each():
    assert placeholders.unknown_placeholders(
        "{{ zoom.start_url }} {{ guest.name }} {{ zoom.start_url }} {{ rep.password }}"
    ) == ["zoom.start_url", "rep.password"]


def test_template_tags_are_not_evaluated():
    assert placeholders.render("{% now 'Y' %}{{ guest.name|upper }}", {"guest.name": "x"}) == (
        "{% now 'Y' %}{{ guest.name|upper }}"
    )


def test_dial_in_numbers_are_listed_with_their_city():
    numbers = [
        {"number": "+1 646 558 8656", "city": "New York", "country_name": "US"},
        {"number": "+49 69 7104 9922", "city": "", "country_name": "Germany"},
        {"number": "", "city": "Nowhere"},
    ]
    assert placeholders.format_dial_in(numbers) == (
        "+1 646 558 8656 (New York), +49 69 7104 9922 (Germany)"
    )


@pytest.mark.django_db
def test_a_booking_renders_times_in_the_guests_zone_and_no_zoom_values_before_the_link():
    meeting_type = MeetingTypeFactory(
        name="Demo",
        invite_title_template="{{ meeting.name }} {{ time.start }} {{ zoom.meeting_id }}",
    )
    booking = BookingFactory(
        meeting_type=meeting_type,
        guest_time_zone="Europe/Berlin",
        start_at=datetime(2030, 4, 2, 14, 0, tzinfo=UTC),
        end_at=datetime(2030, 4, 2, 14, 30, tzinfo=UTC),
    )
    assert placeholders.render_title(booking) == "Demo Tuesday 2 April 2030, 16:00"
    description = placeholders.render_description(booking)
    assert "None" not in description
    assert "Passcode" not in description and "Join Zoom" not in description


@pytest.mark.django_db
def test_a_non_zoom_booking_shows_its_place_as_the_location():
    meeting_type = MeetingTypeFactory(
        location_kind=LocationKind.PHONE,
        location_detail="+1 415 555 0100",
        invite_description_template="Call: {{ meeting.location }}\nJoin: {{ zoom.join_url }}",
    )
    booking = BookingFactory(meeting_type=meeting_type)
    assert booking.link_state == LinkState.NOT_NEEDED
    assert placeholders.render_description(booking) == "Call: +1 415 555 0100"
