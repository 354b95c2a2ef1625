"""A retried create adopts only the meeting whose agenda ends with the booking's own marker: no
text a guest types can make another booking's meeting theirs, or theirs another's."""

from datetime import UTC, datetime

import pytest
from django.test import Client

from meetings import guest_access
from meetings.models import Booking
from meetings.services.bookings import cancel_booking
from meetings.zoom import bodies
from meetings.zoom import links as zoom_links
from meetings.zoom.gateway import meeting_gateway
from meetings.zoom.state import LinkState
from tests.meetings.factories import ZOOM_EMAIL, BookingFactory, MeetingTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting_type(zoom_rep):
    # The rep's description shows the guest's name on the agenda's line before the marker.
    return MeetingTypeFactory(rep=zoom_rep, invite_description_template="Guest: {{ guest.name }}")


def booked(meeting_type, hour: int, **fields) -> Booking:
    booking = BookingFactory(
        meeting_type=meeting_type,
        start_at=datetime(2030, 4, 2, hour, tzinfo=UTC),
        end_at=datetime(2030, 4, 2, hour, 30, tzinfo=UTC),
        **fields,
    )
    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY
    booking.refresh_from_db()
    return booking


def test_a_guest_named_after_another_bookings_marker_never_finds_that_meeting(
    meeting_type, sandbox
):
    victim = booked(meeting_type, 14)
    # Both the guest-visible reference and (were it ever leaked) the victim's exact marker line.
    attacker = booked(
        meeting_type,
        16,
        guest_name=f"{bodies.reference_line(victim)} Booking reference: {victim.reference}",
    )
    lure = booked(meeting_type, 18, guest_name=bodies.reference_line(victim))

    with meeting_gateway(victim.rep.zoom_connection) as zoom:
        ids = {b: [str(m["id"]) for m in zoom.find(b)] for b in (victim, attacker, lure)}
    assert ids == {
        victim: [victim.zoom_meeting_id],
        attacker: [attacker.zoom_meeting_id],
        lure: [lure.zoom_meeting_id],
    }
    # Cancelling removes every meeting found for the booking: only its own.
    for booking in (attacker, lure):
        cancel_booking(booking, by=Booking.Actor.GUEST)
        zoom_links.sync_zoom_meeting(booking.pk)
    assert [str(m["id"]) for m in sandbox.meetings(ZOOM_EMAIL)] == [victim.zoom_meeting_id]


def test_a_retried_create_of_the_attackers_booking_makes_its_own_meeting(meeting_type, sandbox):
    victim = booked(meeting_type, 14)
    attacker = BookingFactory(
        meeting_type=meeting_type,
        start_at=victim.start_at.replace(hour=16),
        end_at=victim.end_at.replace(hour=16),
        guest_name=bodies.reference_line(victim),
        # A retry after a lost answer looks for an unrecorded meeting first.
        link_last_error="Zoom did not answer usefully; trying again.",
    )
    zoom_links.sync_zoom_meeting(attacker.pk)

    attacker.refresh_from_db()
    assert attacker.zoom_meeting_id not in ("", victim.zoom_meeting_id)
    assert len(sandbox.meetings(ZOOM_EMAIL)) == 2


def test_the_marker_is_never_shown_to_the_guest(meeting_type, mailoutbox, sandbox):
    booking = booked(meeting_type, 14)
    marker = bodies.reference_line(booking).removeprefix(bodies.REFERENCE_PREFIX)
    page = Client().get(guest_access.manage_path(booking)).content.decode()
    assert booking.reference not in marker
    assert marker not in page
    assert marker not in guest_access.manage_url(booking)
    assert all(marker not in str(m.message()) for m in mailoutbox)
