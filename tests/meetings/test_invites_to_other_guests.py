"""The other guests a prospect invites get the invite with the join link (and the cancellation),
each once per version, never the confirmation nor the guest's own link; everyone's calendar file
lists them; the answers to the type's questions travel in the invite and the Zoom agenda."""

import pytest
from icalendar import Calendar

from meetings.models import Booking, InviteDelivery
from meetings.services.invites import send_invites
from meetings.zoom import bodies
from meetings.zoom.state import LinkState
from tests.meetings.factories import BookingFactory

pytestmark = pytest.mark.django_db

OTHERS = ["grace@example.org", "charles@example.org"]
ANSWERS = [
    {"question": "Team size", "answer": "11–50"},
    {"question": "What should we cover?", "answer": "Pricing\nand the API"},
]


def ready(**fields):
    return BookingFactory(
        link_state=LinkState.READY,
        zoom_meeting_id="81234567890",
        zoom_join_url="https://zoom.example/j/81234567890",
        zoom_chain="personal",
        additional_guests=OTHERS,
        answers=ANSWERS,
        **fields,
    )


def attendees(message) -> list[str]:
    (part,) = [a for a in message.attachments if a.get_content_type() == "text/calendar"]
    event = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")[0]
    found = event.get("ATTENDEE")
    return [str(a).removeprefix("mailto:") for a in (found if isinstance(found, list) else [found])]


def test_other_guests_get_the_invite_with_the_join_link_once(mailoutbox):
    booking = ready()
    assert send_invites(booking.pk) == 4
    assert send_invites(booking.pk) == 0
    by_email = {m.to[0]: m for m in mailoutbox}
    assert set(by_email) == {booking.guest_email, booking.rep.email, *OTHERS}
    other = by_email["grace@example.org"]
    assert other.body.startswith(f"{booking.guest_name} invited you to a meeting:")
    assert "https://zoom.example/j/81234567890" in other.body
    assert "/bookings/guest/" not in other.body  # the guest's key to cancel stays theirs
    assert "/bookings/guest/" in by_email[booking.guest_email].body
    # One calendar file for everyone, listing everyone invited.
    for message in mailoutbox:
        assert attendees(message) == [booking.guest_email, *OTHERS]
    assert (
        InviteDelivery.objects.filter(recipient=InviteDelivery.Recipient.OTHER_GUEST).count() == 2
    )


def test_other_guests_get_no_confirmation_before_the_link_exists(mailoutbox):
    booking = BookingFactory(link_state=LinkState.PENDING, additional_guests=OTHERS)
    send_invites(booking.pk)
    assert [m.to for m in mailoutbox] == [[booking.guest_email]]


def test_a_cancellation_reaches_the_other_guests_who_were_invited(mailoutbox):
    booking = ready()
    send_invites(booking.pk)
    mailoutbox.clear()
    booking.cancel(Booking.Actor.GUEST)
    booking.save()
    send_invites(booking.pk)
    cancelled = {m.to[0]: m for m in mailoutbox}
    assert set(cancelled) == {booking.rep.email, *OTHERS, booking.guest_email}
    assert cancelled["grace@example.org"].subject.startswith("Cancelled: ")
    assert "removes it from your calendar" in cancelled["grace@example.org"].body


def test_the_rep_sees_who_else_comes(mailoutbox):
    booking = ready()
    send_invites(booking.pk)
    to_rep = next(m for m in mailoutbox if m.to == [booking.rep.email])
    assert "Other guests: grace@example.org, charles@example.org" in to_rep.body


def test_answers_travel_in_the_invite_and_the_zoom_agenda(mailoutbox):
    booking = ready()
    send_invites(booking.pk)
    to_rep = next(m for m in mailoutbox if m.to == [booking.rep.email])
    assert "Team size: 11–50\nWhat should we cover?:\nPricing\nand the API" in to_rep.body
    (part,) = [a for a in to_rep.attachments if a.get_content_type() == "text/calendar"]
    description = str(
        Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")[0]["DESCRIPTION"]
    )
    assert "Team size: 11–50" in description
    agenda = bodies.agenda(booking)
    assert "Team size: 11–50" in agenda
    assert agenda.splitlines()[-1] == bodies.reference_line(booking)  # the marker stays last
