"""The .ics invite: iTIP method, stable UID, SEQUENCE, location and description."""

import pytest
from icalendar import Calendar

from meetings import ics
from meetings.models import InviteDelivery
from meetings.zoom.state import LinkState
from tests.meetings.factories import BookingFactory, MeetingTypeFactory

pytestmark = pytest.mark.django_db
JOIN = "https://zoom.example/j/85746065432?pwd=abc"


def ready_booking(**kwargs):
    return BookingFactory(
        link_state=LinkState.READY,
        zoom_meeting_id="85746065432",
        zoom_join_url=JOIN,
        zoom_passcode="a1B2c3D4e5",
        **kwargs,
    )


def parse(data: bytes):
    calendar = Calendar.from_ical(data)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_an_invite_is_a_request_with_the_join_url_as_location_and_the_rendered_description():
    booking = ready_booking()
    calendar, event = parse(ics.build_invite(booking, InviteDelivery.Method.REQUEST))
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["LOCATION"]) == JOIN
    assert JOIN in str(event["DESCRIPTION"]) and "a1B2c3D4e5" in str(event["DESCRIPTION"])
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    assert event.decoded("DTSTART") == booking.start_at
    assert event.decoded("DTEND") == booking.end_at
    assert str(event["ORGANIZER"]) == f"mailto:{booking.rep.email}"
    assert str(event["ATTENDEE"]) == f"mailto:{booking.guest_email}"


def test_the_uid_stays_the_same_and_the_sequence_follows_the_booking():
    booking = ready_booking()
    _, first = parse(ics.build_invite(booking, InviteDelivery.Method.REQUEST))
    booking.invite_sequence = 2
    _, later = parse(ics.build_invite(booking, InviteDelivery.Method.REQUEST))
    assert first["UID"] == later["UID"] == f"booking-{booking.public_id}@127.0.0.1"
    assert later["SEQUENCE"] == 2


def test_a_cancellation_has_method_cancel_and_status_cancelled():
    booking = ready_booking()
    calendar, event = parse(ics.build_invite(booking, InviteDelivery.Method.CANCEL))
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"


def test_a_phone_meeting_has_its_number_as_location():
    meeting_type = MeetingTypeFactory(location_kind="phone", location_detail="+1 415 555 0100")
    booking = BookingFactory(meeting_type=meeting_type)
    _, event = parse(ics.build_invite(booking, InviteDelivery.Method.REQUEST))
    assert str(event["LOCATION"]) == "+1 415 555 0100"
    assert "URL" not in event
