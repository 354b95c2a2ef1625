"""Bookings parked while a rep's Zoom was broken get their links as soon as the rep reconnects."""

import pytest

from meetings.zoom import links as zoom_links
from meetings.zoom.state import LinkState
from tests.meetings.factories import BookingFactory

pytestmark = pytest.mark.django_db


def test_connecting_zoom_creates_the_parked_bookings_links_at_once(
    connect_zoom, sandbox, django_capture_on_commit_callbacks
):
    booking = BookingFactory()
    zoom_links.sync_zoom_meeting(booking.pk)
    booking.refresh_from_db()
    assert booking.link_state == LinkState.WAITING_FOR_RECONNECT

    with django_capture_on_commit_callbacks(execute=True):
        connect_zoom(booking.rep)

    booking.refresh_from_db()
    assert booking.link_state == LinkState.READY
    assert len(sandbox.meetings()) == 1


def test_another_reps_parked_bookings_wait_for_their_own_reconnect(
    connect_zoom, django_capture_on_commit_callbacks
):
    mine, theirs = BookingFactory(), BookingFactory()
    for booking in (mine, theirs):
        zoom_links.sync_zoom_meeting(booking.pk)

    with django_capture_on_commit_callbacks(execute=True):
        connect_zoom(mine.rep)

    theirs.refresh_from_db()
    assert theirs.link_state == LinkState.WAITING_FOR_RECONNECT
