"""The rep's bookings: the upcoming list, a booking's page, and the rep's own changes."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Booking, InviteDelivery
from meetings.services.invites import send_invites
from meetings.zoom import links as zoom_links
from meetings.zoom.state import LinkState
from tests.factories import RepFactory
from tests.meetings.factories import BookingFactory, MeetingTypeFactory, next_slot

pytestmark = pytest.mark.django_db


def phone_type(rep):
    return MeetingTypeFactory(rep=rep, location_kind="phone", location_detail="+1 415 555 0100")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_shows_states_and_links_in_a_fixed_number_of_queries(rep_client, rep):
    meeting_type = MeetingTypeFactory(rep=rep)
    BookingFactory(meeting_type=meeting_type)
    with_one = _queries(rep_client, "/bookings/")
    other_type = MeetingTypeFactory(rep=rep)
    for days in (3, 4, 5):
        for hour in (10, 11, 12, 13):
            BookingFactory(
                meeting_type=other_type,
                start_at=next_slot(days=days, hour=hour),
                link_state=LinkState.READY,
                zoom_meeting_id="1",
                zoom_join_url=f"https://zoom.example/j/{days}{hour}",
            )
    response = rep_client.get("/bookings/")
    assert b"https://zoom.example/j/310" in response.content
    assert b"Preparing the Zoom link" in response.content
    assert _queries(rep_client, "/bookings/") == with_one


def test_a_rep_sees_only_their_own_bookings(rep_client, rep):
    mine = BookingFactory(meeting_type=MeetingTypeFactory(rep=rep), guest_name="My prospect")
    theirs = BookingFactory(guest_name="Their prospect")
    content = rep_client.get("/bookings/").content
    assert b"My prospect" in content and b"Their prospect" not in content
    assert rep_client.get(f"/bookings/{mine.pk}/").status_code == 200
    for suffix in ("", "link/", "reschedule/"):
        assert rep_client.get(f"/bookings/{theirs.pk}/{suffix}").status_code == 404
    for action in ("cancel", "retry", "start"):
        assert rep_client.post(f"/bookings/{theirs.pk}/{action}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Booking.Status.CONFIRMED


def test_booking_pages_need_a_login(client):
    booking = BookingFactory()
    assert client.get("/bookings/").status_code == 302
    assert client.post(f"/bookings/{booking.pk}/cancel/").status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_the_booking_page_shows_the_reason_a_link_failed_and_offers_a_retry(rep_client, rep):
    booking = BookingFactory(
        meeting_type=MeetingTypeFactory(rep=rep),
        link_state=LinkState.FAILED,
        link_attempts=3,
        link_last_error="This Zoom user may not host meetings (Zoom error 3161).",
    )
    content = rep_client.get(f"/bookings/{booking.pk}/").content.decode()
    assert "may not host meetings" in content and "Try again now" in content


def test_the_rep_cancels_and_both_get_a_cancellation(
    rep_client, rep, mailoutbox, django_capture_on_commit_callbacks
):
    booking = BookingFactory(meeting_type=phone_type(rep))
    send_invites(booking.pk)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = rep_client.post(f"/bookings/{booking.pk}/cancel/")
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and booking.cancelled_by == "rep"
    assert sorted(m.subject.split(":")[0] for m in mailoutbox) == ["Cancelled", "Cancelled"]
    assert InviteDelivery.objects.filter(method="CANCEL", sequence=1).count() == 2


def test_the_rep_reschedules_to_a_free_slot(rep_client, rep, django_capture_on_commit_callbacks):
    booking = BookingFactory(meeting_type=phone_type(rep))
    new_start = next_slot(days=4, hour=15)
    page = rep_client.get(f"/bookings/{booking.pk}/reschedule/", {"tz": "UTC"})
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = rep_client.post(
            f"/bookings/{booking.pk}/reschedule/", {"start": new_start.isoformat(), "confirm": "1"}
        )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.start_at == new_start and booking.invite_sequence == 1


def test_a_reschedule_onto_a_taken_slot_changes_nothing(rep_client, rep):
    meeting_type = phone_type(rep)
    booking = BookingFactory(meeting_type=meeting_type)
    other = BookingFactory(meeting_type=meeting_type, start_at=next_slot(days=3))
    response = rep_client.post(
        f"/bookings/{booking.pk}/reschedule/",
        {"start": other.start_at.isoformat(), "confirm": "1"},
        follow=True,
    )
    assert "no longer available" in response.content.decode()
    booking.refresh_from_db()
    assert booking.start_at == next_slot() and booking.invite_sequence == 0


def test_the_host_starts_with_a_fresh_start_link_that_is_never_stored(
    rep_client, zoom_rep, sandbox
):
    booking = BookingFactory(meeting_type=MeetingTypeFactory(rep=zoom_rep))
    assert zoom_links.sync_zoom_meeting(booking.pk).state == LinkState.READY
    page = rep_client.get(f"/bookings/{booking.pk}/")
    assert b"zak=" not in page.content
    response = rep_client.post(f"/bookings/{booking.pk}/start/")
    # Fetched from Zoom on the click: the start link Zoom answered then, host key and all.
    (read,) = sandbox.calls(f"/meetings/{Booking.objects.get(pk=booking.pk).zoom_meeting_id}")
    start_url = json.loads(read["response_body"])["start_url"]
    assert read["method"] == "GET" and "zak=" in start_url
    assert response.status_code == 302 and response["Location"] == start_url
    stored = json.dumps(list(Booking.objects.values().get(pk=booking.pk).values()), default=str)
    assert "zak=" not in stored


def test_another_rep_cannot_cancel(client):
    booking = BookingFactory()
    client.force_login(RepFactory())
    assert client.post(f"/bookings/{booking.pk}/cancel/").status_code == 404


def test_the_rep_is_asked_before_cancelling_and_the_reason_reaches_the_guest(
    rep_client, rep, mailoutbox, django_capture_on_commit_callbacks
):
    booking = BookingFactory(meeting_type=phone_type(rep))
    send_invites(booking.pk)
    mailoutbox.clear()
    page = rep_client.get(f"/bookings/{booking.pk}/cancel/")
    assert page.status_code == 200 and "Keep it" in page.content.decode()
    booking.refresh_from_db()
    assert not booking.is_cancelled
    with django_capture_on_commit_callbacks(execute=True):
        rep_client.post(f"/bookings/{booking.pk}/cancel/", {"reason": "I am ill, sorry."})
    to_guest = next(m for m in mailoutbox if m.to == [booking.guest_email])
    assert "Reason: I am ill, sorry." in to_guest.body
    assert to_guest.body.startswith(f"This meeting is cancelled by {rep.display_name}.")


def test_cancelled_bookings_leave_upcoming_and_join_past(rep_client, rep):
    meeting_type = MeetingTypeFactory(rep=rep)
    kept = BookingFactory(meeting_type=meeting_type, guest_name="Kept Guest")
    gone = BookingFactory(
        meeting_type=meeting_type, guest_name="Gone Guest", start_at=next_slot(days=3)
    )
    gone.cancel(Booking.Actor.GUEST)
    gone.save()
    upcoming = rep_client.get("/bookings/").content.decode()
    assert kept.guest_name in upcoming and gone.guest_name not in upcoming
    past = rep_client.get("/bookings/past/").content.decode()
    assert gone.guest_name in past and kept.guest_name not in past


def test_the_rep_sees_old_and_new_in_their_zone_before_a_move_is_made(rep_client, rep):
    from zoneinfo import ZoneInfo

    booking = BookingFactory(meeting_type=phone_type(rep), guest_time_zone="Asia/Tokyo")
    new_start = next_slot(days=4, hour=15)
    response = rep_client.post(
        f"/bookings/{booking.pk}/reschedule/", {"start": new_start.isoformat()}
    )
    page = response.content.decode()
    zone = ZoneInfo(rep.time_zone)
    assert f"<del>{booking.start_at.astimezone(zone):%A %-d %B %Y, %H:%M}</del>" in page
    assert f"<strong>{new_start.astimezone(zone):%A %-d %B %Y, %H:%M}</strong>" in page
    assert "<dd>New York</dd>" in page and "Tokyo" not in page
    assert "Move the meeting" in page
    booking.refresh_from_db()
    assert booking.start_at == next_slot() and booking.invite_sequence == 0
