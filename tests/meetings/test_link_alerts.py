"""The rep is told, on the dashboard and the bookings list, which bookings lack a Zoom link."""

import pytest

from meetings.models import Booking
from meetings.zoom import links as zoom_links
from meetings.zoom.state import LinkState
from tests.meetings.factories import ZOOM_EMAIL, BookingFactory, MeetingTypeFactory, next_slot

pytestmark = pytest.mark.django_db


def test_zooms_daily_limit_is_explained_on_the_dashboard_and_the_bookings_list(
    client, zoom_rep, sandbox
):
    booking = BookingFactory(meeting_type=MeetingTypeFactory(rep=zoom_rep))
    sandbox.set_daily_usage(ZOOM_EMAIL, 100)
    zoom_links.sync_zoom_meeting(booking.pk)
    client.force_login(zoom_rep)

    for url in ("/dashboard/", "/bookings/"):
        page = client.get(url).content.decode()
        assert "1 booking is delayed by Zoom" in page
        assert "daily limit of 100 meeting creates and updates per host" in page
    assert "Zoom link delayed" in client.get("/bookings/").content.decode()
    detail = client.get(f"/bookings/{booking.pk}/").content.decode()
    assert "Zoom has not created the meeting yet; we try again at" in detail


def test_each_reason_is_counted(rep_client, rep):
    meeting_type = MeetingTypeFactory(rep=rep)
    states = [LinkState.FAILED, LinkState.WAITING_FOR_RECONNECT, LinkState.WAITING_FOR_RECONNECT]
    for hour, state in zip((10, 11, 12), states, strict=True):
        BookingFactory(
            meeting_type=meeting_type,
            start_at=next_slot(hour=hour),
            link_state=state,
            link_last_error="why",
        )
    page = rep_client.get("/dashboard/").content.decode()
    assert "2 bookings are waiting for Zoom to be connected again" in page
    assert "their links are created as soon as it is" in page
    assert "1 booking failed: open it in" in page


def test_no_banner_when_every_link_is_fine_or_cancelled(rep_client, rep):
    meeting_type = MeetingTypeFactory(rep=rep)
    BookingFactory(meeting_type=meeting_type)
    cancelled = BookingFactory(
        meeting_type=meeting_type, start_at=next_slot(hour=14), link_state=LinkState.FAILED
    )
    Booking.objects.filter(pk=cancelled.pk).update(
        status=Booking.Status.CANCELLED, cancelled_at=cancelled.created_at
    )
    assert "have no Zoom link yet" not in rep_client.get("/dashboard/").content.decode()
