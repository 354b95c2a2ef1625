"""send_invites: when invites go out, to whom, and never twice for one version."""

import pytest

from meetings.models import Booking, InviteDelivery, LinkState
from meetings.services.invites import send_invites
from tests.meetings.factories import BookingFactory

pytestmark = pytest.mark.django_db


def test_a_zoom_booking_sends_nothing_until_its_link_is_ready(mailoutbox):
    booking = BookingFactory(link_state=LinkState.PENDING)
    assert send_invites(booking.pk) == 0
    assert mailoutbox == []


def test_a_ready_booking_invites_the_guest_and_the_rep_once(mailoutbox):
    booking = BookingFactory(
        link_state=LinkState.READY, zoom_meeting_id="1", zoom_join_url="https://zoom.example/j/1"
    )
    assert send_invites(booking.pk) == 2
    assert send_invites(booking.pk) == 0
    assert len(mailoutbox) == 2
    assert all("https://zoom.example/j/1" in m.body for m in mailoutbox)
    booking.refresh_from_db()
    assert booking.invites_sent_sequence == 0


def test_a_booking_cancelled_before_any_invite_sends_no_cancellation(mailoutbox):
    booking = BookingFactory(link_state=LinkState.PENDING)
    booking.cancel(Booking.Actor.GUEST)
    booking.save()
    assert send_invites(booking.pk) == 0
    assert not InviteDelivery.objects.exists()
