"""Every page tells a booking's and a rep's Zoom state the same way, in the product's own words:
no join link once a booking is cancelled, the still-valid link while a moved meeting is updated,
never Zoom's raw text on a list or a guest's page, and one sentence of the rep's Zoom on the
dashboard, Meeting Types and the Meeting Type form."""

import pytest

from integrations.zoom.api.reasons import ReconnectReason
from meetings import guest_access
from meetings.models import Booking
from meetings.zoom.state import LinkState
from tests.meetings.factories import BookingFactory, MeetingTypeFactory

pytestmark = pytest.mark.django_db

JOIN = "https://zoom.example/j/81234567890"
RAW = "Invalid Token!"


def zoom_booking(rep, **fields):
    return BookingFactory(meeting_type=MeetingTypeFactory(rep=rep), **fields)


def pages(client, rep_client, booking) -> dict[str, str]:
    token = guest_access.token_for(booking)
    return {
        "rep list": rep_client.get("/bookings/").content.decode(),
        "rep past": rep_client.get("/bookings/past/").content.decode(),
        "rep booking": rep_client.get(f"/bookings/{booking.pk}/").content.decode(),
        "rep panel": rep_client.get(f"/bookings/{booking.pk}/link/").content.decode(),
        "guest booking": client.get(f"/bookings/guest/{token}/").content.decode(),
        "guest panel": client.get(f"/bookings/guest/{token}/link/").content.decode(),
    }


def test_a_cancelled_booking_shows_its_join_link_nowhere(client, rep_client, rep):
    booking = zoom_booking(
        rep,
        link_state=LinkState.READY,
        zoom_meeting_id="81234567890",
        zoom_join_url=JOIN,
        zoom_chain="personal",
    )
    booking.cancel(Booking.Actor.GUEST)
    booking.save()
    assert booking.link_state == LinkState.REMOVING and booking.zoom_join_url == JOIN
    for name, page in pages(client, rep_client, booking).items():
        assert JOIN not in page, name
    rep_page = rep_client.get(f"/bookings/{booking.pk}/").content.decode()
    assert "Cancelled</span>" in rep_page
    assert "its Zoom meeting is being deleted" in rep_page


def test_a_moved_meeting_keeps_showing_its_link_while_zoom_updates_it(client, rep_client, rep):
    booking = zoom_booking(
        rep,
        link_state=LinkState.READY,
        zoom_meeting_id="81234567890",
        zoom_join_url=JOIN,
        zoom_chain="personal",
    )
    moved_by = booking.end_at - booking.start_at
    booking.move_to(booking.start_at + moved_by, booking.end_at + moved_by)
    booking.save()
    assert booking.link_state == LinkState.PENDING
    seen = pages(client, rep_client, booking)
    for name in ("rep list", "rep booking", "rep panel", "guest booking", "guest panel"):
        assert JOIN in seen[name], name
    for name in ("rep booking", "rep panel"):
        assert "Moving to the new time" in seen[name]
        assert "Preparing the Zoom link" not in seen[name] and "Attempts" not in seen[name]
    assert "its link stays the same" in seen["rep panel"]
    assert "Join the Zoom meeting" in seen["guest panel"]
    assert "this link stays the same" in seen["guest panel"]
    assert 'data-settled="false"' in seen["guest panel"]  # it still updates itself


@pytest.mark.parametrize(
    ("state", "label"),
    [
        (LinkState.WAITING_FOR_RECONNECT, "Waiting for Zoom to be reconnected"),
        (LinkState.FAILED, "Zoom link failed"),
        (LinkState.PENDING, "Zoom link delayed"),
    ],
)
def test_zooms_raw_text_stays_off_the_lists_and_the_guests_pages(
    client, rep_client, rep, state, label
):
    booking = zoom_booking(rep, link_state=state, link_last_error=f"Zoom said: {RAW}")
    seen = pages(client, rep_client, booking)
    for name in ("rep list", "guest booking", "guest panel"):
        assert RAW not in seen[name], name
    for name in ("rep list", "rep booking", "rep panel"):
        assert label in seen[name], name
    # Kept for the rep's troubleshooting, named as Zoom's own words.
    assert f"<summary>Zoom's message</summary><p>Zoom said: {RAW}</p>" in seen["rep booking"]
    assert "Your Zoom link is delayed" in seen["guest booking"]


@pytest.mark.parametrize(
    ("setup", "sentence", "badge"),
    [
        ("none", "Connect your Zoom account</a> so Zoom bookings", "Zoom not connected"),
        ("connected", "Zoom is connected as <strong>", "Zoom connected"),
        ("needs_reconnect", "Zoom stopped accepting your connection", "Zoom needs reconnecting"),
        ("removed", "Zoom was removed from your Zoom account", "Zoom removed"),
    ],
)
def test_the_reps_zoom_reads_the_same_on_every_page(
    rep_client, rep, connect_zoom, setup, sentence, badge
):
    if setup != "none":
        connection = connect_zoom(rep)
        if setup == "needs_reconnect":
            connection.mark_needs_reconnect(ReconnectReason.INVALID_GRANT, RAW)
        elif setup == "removed":
            connection.mark_removed()
    MeetingTypeFactory(rep=rep)
    dashboard = rep_client.get("/dashboard/").content.decode()
    types = rep_client.get("/meeting-types/").content.decode()
    form = rep_client.get("/meeting-types/new/").content.decode()
    assert sentence in dashboard and sentence in types
    assert badge in dashboard
    if setup != "connected":
        assert sentence in form
        assert badge in types  # on the Zoom type's row
    else:
        assert "Zoom not connected" not in types + form
    for page in (dashboard, types, form):
        assert RAW not in page


def test_my_integrations_says_what_admins_see_and_can_do(rep_client):
    page = rep_client.get("/integrations/").content.decode()
    assert "nobody else can see or change it" not in page
    assert "What the scheduler's admins see and can do" in page
    assert "disconnect it" in page and "Nobody, admins included, sees your Zoom password" in page
