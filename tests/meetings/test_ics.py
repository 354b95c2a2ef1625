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


def test_long_and_multilingual_lines_fold_at_75_octets_without_splitting_a_character():
    meeting_type = MeetingTypeFactory(
        invite_title_template="Démo «produit» — 日本語のデモ " * 4 + "{{ guest.name }}",
        invite_description_template="Ligne; avec, des\\caractères\nÀ suivre " * 6,
    )
    booking = ready_booking(meeting_type=meeting_type, guest_name='Zoë "Z" Ünal, PhD')
    data = ics.build_invite(booking, InviteDelivery.Method.REQUEST)

    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode()  # each physical line is whole UTF-8
    _, event = parse(data)
    assert str(event["SUMMARY"]).startswith("Démo «produit» — 日本語のデモ")
    assert str(event["DESCRIPTION"]).startswith("Ligne; avec, des\\caractères\nÀ suivre")
    assert event["ATTENDEE"].params["CN"] == 'Zoë "Z" Ünal, PhD'  # RFC 6868 round trip


def test_control_characters_a_rep_pasted_are_left_out():
    meeting_type = MeetingTypeFactory(invite_description_template="Agenda\x07\x1b:\tintro")
    _, event = parse(ics.build_invite(ready_booking(meeting_type=meeting_type), "REQUEST"))
    assert str(event["DESCRIPTION"]) == "Agenda:\tintro"


def test_every_attendee_given_is_invited_beside_the_host():
    booking = ready_booking()
    attendees = [
        ics.Attendee(booking.guest_email, booking.guest_name),
        ics.Attendee("colleague@example.org"),
    ]
    calendar, _ = parse(ics.build_invite(booking, "REQUEST", attendees=attendees))
    (event,) = calendar.walk("VEVENT")
    assert [str(a) for a in event["ATTENDEE"]] == [
        f"mailto:{booking.guest_email}",
        "mailto:colleague@example.org",
    ]
    assert str(event["ORGANIZER"]) == f"mailto:{booking.rep.email}"
