"""Every scope family the product supports, end to end against the strict sandbox: the complete
granular grant, the help article's classic pair `user:read meeting:write`, and that pair plus
`meeting:read`. Each books, reschedules, keeps its connection alive, cancels and survives a create
whose answer was lost.

The sandbox takes the stricter reading of Zoom's reference: classic `meeting:write` does not allow
`GET /meetings/{id}` or `GET /users/{id}/meetings` (the `classic_write_grants_read` knob), so the
pair's reads are refused with 4711 and the product does without them. Zoom's `meeting.created`
event reaches the live app, which is how the pair finds a meeting whose create answer was lost."""

from datetime import timedelta

import pytest
from django.urls import reverse

from integrations.zoom.connection.keepalive import keep_connection_alive
from integrations.zoom.connection.models import ZoomConnection
from meetings.models import Booking
from meetings.services.bookings import cancel_booking, reschedule_booking
from meetings.zoom import links as zoom_links
from meetings.zoom.state import LinkState
from tests.integrations import steps
from tests.meetings.factories import ZOOM_EMAIL, BookingFactory, MeetingTypeFactory, next_slot

pytestmark = pytest.mark.django_db(transaction=True)

PAIR = "user:read meeting:write"
FAMILIES = [
    pytest.param("granular", None, id="granular"),
    pytest.param("classic", PAIR, id="classic-pair"),
    pytest.param("classic", f"{PAIR} meeting:read", id="classic-pair-and-meeting-read"),
]
READ = "GET /meetings/{meetingId}"
LIST = "GET /users/{userId}/meetings"


def connect(rep, sandbox, family: str, granted: str | None) -> ZoomConnection:
    sandbox.set_knobs(scope_family=family, granted_scopes=granted)
    return steps.connect_rep(sandbox, ZOOM_EMAIL, rep=rep)


def book(rep, days: int = 3) -> Booking:
    start = next_slot(days=days)
    return BookingFactory(
        meeting_type=MeetingTypeFactory(rep=rep),
        start_at=start,
        end_at=start + timedelta(minutes=30),
    )


def zoom_meeting(sandbox, meeting_id: str) -> dict | None:
    return next((m for m in sandbox.meetings(ZOOM_EMAIL) if str(m["id"]) == meeting_id), None)


def posts(sandbox) -> list[dict]:
    """Every create Zoom received (the dropped one too: Zoom made its meeting)."""
    return [c for c in sandbox.calls("/users/me/meetings") if c["method"] == "POST"]


@pytest.mark.parametrize(("family", "granted"), FAMILIES)
def test_book_reschedule_and_cancel_work_in_every_family(rep, live_sandbox, family, granted):
    connection = connect(rep, live_sandbox, family, granted)
    booking = book(rep)

    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY
    booking.refresh_from_db()
    first_link = booking.zoom_join_url
    assert first_link and zoom_meeting(live_sandbox, booking.zoom_meeting_id)

    moved = next_slot(days=4, hour=11)
    reschedule_booking(booking, start_at=moved)
    zoom_links.sync_zoom_meeting(booking.pk)
    booking.refresh_from_db()
    assert booking.link_state == LinkState.READY
    assert booking.zoom_join_url == first_link  # moved in place, same link
    meeting = zoom_meeting(live_sandbox, booking.zoom_meeting_id)
    assert meeting["start_time"] == moved.strftime("%Y-%m-%dT%H:%M:%SZ")

    # The keep-alive reads the user and their settings: user:read is enough.
    keep_connection_alive(connection.pk)
    connection.refresh_from_db()
    assert connection.status == ZoomConnection.Status.CONNECTED
    if granted == PAIR:
        # Zoom refused the read after the PATCH: recorded, healthy, and the scope named.
        assert connection.refused_endpoints == [READ]
        assert [scope for _c, scope in connection.scopes_to_add] == ["meeting:read"]
    else:
        assert connection.scopes_to_add == []

    cancel_booking(Booking.objects.get(pk=booking.pk), by=Booking.Actor.GUEST)
    zoom_links.sync_zoom_meeting(booking.pk)
    booking.refresh_from_db()
    assert booking.link_state == LinkState.REMOVED
    assert live_sandbox.meetings(ZOOM_EMAIL) == []
    [delete] = [c for c in live_sandbox.calls("/meetings/") if c["method"] == "DELETE"]
    # Zoom's own cancellation emails are turned off explicitly: ours is the one people read.
    assert "schedule_for_reminder=false" in delete["query"]
    assert "cancel_meeting_reminder=false" in delete["query"]


@pytest.mark.parametrize(("family", "granted"), FAMILIES)
def test_a_lost_create_answer_ends_with_one_meeting_in_every_family(
    rep, live_sandbox, family, granted
):
    connect(rep, live_sandbox, family, granted)
    booking = book(rep)
    live_sandbox.fail_next("/users/me/meetings", kind="lost_answer")

    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.PENDING
    Booking.objects.filter(pk=booking.pk).update(link_next_attempt_at=None)
    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY

    booking.refresh_from_db()
    [meeting] = live_sandbox.meetings(ZOOM_EMAIL)
    assert str(meeting["id"]) == booking.zoom_meeting_id
    assert len(posts(live_sandbox)) == 1  # the lost one only: adopted, never made twice
    connection = ZoomConnection.objects.get(user=rep)
    assert connection.status == ZoomConnection.Status.CONNECTED
    if granted == PAIR:
        assert LIST in connection.refused_endpoints  # found by Zoom's meeting.created instead


def test_the_pair_without_zooms_event_leaves_the_booking_in_doubt_until_the_rep_decides(
    rep, rep_client, live_sandbox
):
    connect(rep, live_sandbox, "classic", PAIR)
    live_sandbox.set_knobs(webhooks_for_api_changes=False)  # the meeting.created never comes
    booking = book(rep)
    live_sandbox.fail_next("/users/me/meetings", kind="lost_answer")
    zoom_links.sync_zoom_meeting(booking.pk)
    Booking.objects.filter(pk=booking.pk).update(link_next_attempt_at=None)

    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.FAILED
    booking.refresh_from_db()
    assert booking.link_in_doubt
    assert "may already have made this meeting" in booking.link_last_error
    assert "meeting:read" in booking.link_last_error
    assert len(posts(live_sandbox)) == 1  # nothing created a second meeting silently

    page = rep_client.get(f"/bookings/{booking.pk}/").content.decode()
    assert "Create a new meeting" in page

    response = rep_client.post(f"/bookings/{booking.pk}/create-anew/")
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.link_state == LinkState.READY
    assert len(posts(live_sandbox)) == 2  # the rep chose it, seeing why


def test_my_integrations_names_the_scope_to_add_once_zoom_refuses_a_read(
    rep, rep_client, live_sandbox
):
    connect(rep, live_sandbox, "classic", PAIR)
    page = rep_client.get("/integrations/").content.decode()
    assert 'id="zoom-scopes-advice"' not in page  # nothing refused yet: the reads are tried

    booking = book(rep)
    zoom_links.sync_zoom_meeting(booking.pk)
    reschedule_booking(Booking.objects.get(pk=booking.pk), start_at=next_slot(days=4, hour=11))
    zoom_links.sync_zoom_meeting(booking.pk)

    page = rep_client.get("/integrations/").content.decode()
    assert 'id="zoom-scopes-advice"' in page
    assert "<code>meeting:read</code>" in page
    assert "Needs reconnecting" not in page


def test_the_roster_shows_what_the_pairs_connection_does_without(
    rep, superuser_client, live_sandbox
):
    connect(rep, live_sandbox, "classic", PAIR)
    booking = book(rep)
    zoom_links.sync_zoom_meeting(booking.pk)
    reschedule_booking(Booking.objects.get(pk=booking.pk), start_at=next_slot(days=4, hour=11))
    zoom_links.sync_zoom_meeting(booking.pk)

    page = superuser_client.get(reverse("admin:integrations_zoomrosterentry_changelist"))
    text = page.content.decode()
    assert "Works without" in text
    assert "<code>meeting:read</code>" in text
